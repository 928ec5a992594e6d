"""The training figures, registered for indicators and computed through the actions
service as ``mizan compute-indicators`` does (see ``two_session_action`` for the case)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from mizan.actions import services as action_services
from mizan.actions.indicators import computed_figures
from mizan.core.errors import MizanError
from mizan.training.enums import PlanKept
from mizan.training.figures import TRAINING_FIGURES
from mizan.training.services import cascades as cascade_services
from tests.actions.factories import IndicatorFactory
from tests.training.analytics_builders import evaluate, follow_up, two_session_action
from tests.training.builders import police

pytestmark = pytest.mark.django_db

AFTER_BOTH = datetime.date(2026, 11, 1)
BETWEEN = datetime.date(2026, 4, 15)  # after the first session, before the second


@pytest.fixture
def case():
    return two_session_action()


def computed(case, name: str, as_of: datetime.date = AFTER_BOTH) -> Decimal:
    indicator = IndicatorFactory(action=case.action, name=name, unit="", computation=name)
    return action_services.compute_indicator(indicator=indicator, as_of=as_of).value


def test_every_training_figure_is_registered():
    names = {figure.name for figure in computed_figures()}
    assert set(TRAINING_FIGURES) <= names


def test_officers_trained_counts_sessions_started_by_the_date(case):
    assert computed(case, "officers_trained") == Decimal("4.00")
    assert computed(case, "officers_trained", BETWEEN) == Decimal("3.00")


def test_officers_trained_women_and_their_share(case):
    assert computed(case, "officers_trained_women") == Decimal("2.00")
    assert computed(case, "women_share_trained") == Decimal("50.00")


def test_completion_rate(case):
    assert computed(case, "completion_rate") == Decimal("25.00")


def test_knowledge_gain_in_points_and_normalised(case):
    assert computed(case, "mean_knowledge_gain") == Decimal("10.00")
    assert computed(case, "normalised_knowledge_gain") == Decimal("33.33")


def test_reaction_overall_of_final_evaluations(case):
    evaluate(case.first, key="a", overall=5)
    evaluate(case.first, key="b", overall=4)
    assert computed(case, "reaction_overall") == Decimal("4.50")


def test_follow_up_used_at_work(case):
    follow_up(case.enrolments["A"], used_at_work=5, plan_kept=PlanKept.YES, colleagues_briefed=1)
    follow_up(case.enrolments["B"], used_at_work=2, plan_kept=PlanKept.NO, colleagues_briefed=0)
    assert computed(case, "follow_up_used_at_work") == Decimal("3.50")


def test_cascade_reach_adds_the_cascaded_audiences(case):
    cascade_services.report_cascade(
        reporter=case.people["B"],
        source_session=case.first,
        held_on=datetime.date(2026, 4, 1),
        place="Oujda",
        audience=[cascade_services.AudienceCount(institution=police(), women=2, men=5)],
    )
    assert computed(case, "cascade_reach") == Decimal("11.00")


def test_a_mean_with_nothing_to_compute_from_is_refused_not_zero(case):
    with pytest.raises(MizanError) as refused:
        computed(case, "reaction_overall")
    assert refused.value.code == "no_data"


def test_before_any_session_the_counts_are_zero(case):
    assert computed(case, "officers_trained", datetime.date(2026, 1, 1)) == Decimal("0.00")
