"""The training dashboard's figures, read from the precomputed per-session figures:
equal to ``training.analytics``, breakdowns that add up, the effect size, filters,
small cells hidden from readers outside the sessions, and a fixed number of queries."""

from __future__ import annotations

import datetime
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.reports.training_figures import Filters, effect_size, training_dashboard
from mizan.training import analytics
from mizan.training.models import TrainingSession
from tests.actions.factories import ActionFactory
from tests.training.analytics_builders import (
    attend,
    enrol,
    evaluate,
    session_of,
    small_version,
    take_test,
    two_session_action,
)
from tests.training.builders import make_participant, organiser, outsider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case():
    built = two_session_action()
    evaluate(built.first, key="a", overall=5)
    evaluate(built.first, key="b", overall=4)
    return built


# --- the effect size, by hand ----------------------------------------------------------


def test_effect_size_and_its_interval_on_a_worked_example():
    # Gains 10, 20, 30: mean 20, standard deviation 10, so d = 2;
    # se = √(1/3 + 4/6) = 1, interval 2 ± 1.96.
    d, low, high = effect_size(3, 60, 100 + 400 + 900)
    assert d == pytest.approx(2)
    assert low == pytest.approx(2 - 1.959964)
    assert high == pytest.approx(2 + 1.959964)


def test_no_effect_size_without_two_pairs_or_without_spread():
    assert effect_size(1, 10, 100) is None
    assert effect_size(3, 30, 300) is None  # every gain 10


# --- equal to analytics ------------------------------------------------------------------


def test_the_whole_equals_analytics_summed_over_sessions(case):
    dashboard = training_dashboard(organiser())
    sessions = [case.first, case.second]
    per_session = [analytics.training_results(analytics.one_session(s)) for s in sessions]
    assert dashboard.sessions == 2
    # Participations: A, trained in both sessions, counts twice.
    assert dashboard.total.trained == sum(r.participation.trained for r in per_session) == 5
    assert dashboard.total.completed == sum(r.participation.completed for r in per_session)
    both = analytics.learning(TrainingSession.objects.filter(pk__in=[s.pk for s in sessions]))
    assert dashboard.total.learning.pairs == both.pairs == 3
    assert dashboard.total.learning.mean_gain == both.mean_gain
    assert dashboard.total.learning.mean_pre == both.mean_pre
    assert dashboard.total.learning.mean_normalised_gain == both.mean_normalised_gain
    reaction = analytics.reaction(analytics.one_session(case.first)).final
    means = {name: mean for name, _label, mean in dashboard.reaction.means}
    assert dashboard.reaction.evaluations == reaction.responses
    assert means["overall"] == reaction.mean_of("overall")


def test_the_effect_size_of_the_case(case):
    learning = training_dashboard(organiser()).total.learning
    # Gains 40, 0, -10: mean 10, standard deviation √700.
    d = 10 / math.sqrt(700)
    assert float(learning.effect_size) == pytest.approx(d, abs=0.005)
    se = math.sqrt(1 / 3 + d * d / 6)
    assert float(learning.effect_size_low) == pytest.approx(d - 1.959964 * se, abs=0.005)


@pytest.mark.parametrize("dimension", ["sex", "region", "institution", "rank"])
def test_every_breakdown_adds_up_to_the_whole(case, dimension):
    dashboard = training_dashboard(organiser(), dimension=dimension)
    assert dashboard.groups
    assert sum(group.trained for group in dashboard.groups) == dashboard.total.trained
    assert sum(group.completed for group in dashboard.groups) == dashboard.total.completed
    pairs = sum(group.learning.pairs for group in dashboard.groups)
    assert pairs == dashboard.total.learning.pairs


def test_the_breakdown_by_region_names_its_groups(case):
    dashboard = training_dashboard(organiser(), dimension="region")
    trained = {group.label: group.trained for group in dashboard.groups}
    # A twice, B, D (absent) in Oriental; C in Souss-Massa; F without a region.
    assert trained == {"Oriental": 3, "Souss-Massa": 1, "Region not given": 1}


# --- filters -----------------------------------------------------------------------------


def test_the_period_filter_keeps_sessions_starting_in_it(case):
    filters = Filters(starts_from=datetime.date(2026, 5, 1))
    dashboard = training_dashboard(organiser(), filters)
    assert (dashboard.sessions, dashboard.total.trained) == (1, 2)


def test_the_session_filter_keeps_those_sessions(case):
    dashboard = training_dashboard(organiser(), Filters(sessions=(case.first.pk,)))
    assert (dashboard.sessions, dashboard.total.trained) == (1, 3)


def test_the_curriculum_filter_leaves_out_other_curricula(case):
    other = session_of(
        ActionFactory(), small_version(code="other"), starts_on=datetime.date(2026, 4, 1)
    )
    attend(enrol(other, make_participant(name_latin="Other")), "present")
    reader = organiser()
    everything = training_dashboard(reader)
    assert everything.sessions == 3
    only = training_dashboard(reader, Filters(curriculum=case.version.curriculum_id))
    assert (only.sessions, only.total.trained) == (2, 5)
    by_version = training_dashboard(reader, Filters(version=other.version_id))
    assert (by_version.sessions, by_version.total.trained) == (1, 1)


def test_the_organiser_filter(case):
    police = case.first.organisers.get(code="police")
    reader = organiser()
    assert training_dashboard(reader, Filters(organiser=police.pk)).sessions == 2
    nobody = training_dashboard(reader, Filters(organiser=police.pk + 1000))
    assert nobody.sessions == 0


# --- small cells -------------------------------------------------------------------------


def test_an_organiser_sees_every_cell(case):
    dashboard = training_dashboard(organiser(), dimension="rank")
    assert not dashboard.small_cells_hidden
    assert all(group.trained is not None for group in dashboard.groups)
    assert dashboard.total.learning.mean_gain is not None


def test_a_reader_outside_the_sessions_sees_no_small_cell(case):
    dashboard = training_dashboard(outsider(), dimension="rank")
    assert dashboard.small_cells_hidden
    assert all(group.suppressed and group.trained is None for group in dashboard.groups)
    assert dashboard.total.completed is None
    assert dashboard.total.learning.mean_gain is None
    assert dashboard.total.learning.effect_size is None
    assert all(mean is None for _name, _label, mean in dashboard.reaction.means)
    assert dashboard.women is None


def test_a_reader_outside_sees_large_cells_and_a_partner_hides_with_the_small_one():
    version = small_version()
    session = session_of(ActionFactory(), version, starts_on=datetime.date(2026, 3, 2))
    for n in range(25):
        sex, region = ("female", "Oriental") if n < 12 else ("male", "Souss-Massa")
        if n == 24:
            region = "Fès-Meknès"  # a group of one
        enrolment = enrol(session, make_participant(name_latin=f"P{n}", sex=sex, region=region))
        attend(enrolment, "present")
        take_test(enrolment, "pre", score=40 + n)
        take_test(enrolment, "post", score=60 + n)
    dashboard = training_dashboard(outsider(), dimension="region")
    shown = {group.label: group.trained for group in dashboard.groups}
    # Fès-Meknès (1) is hidden, and so is another group, lest it be the total minus
    # the others: the first of the two smallest (12 each).
    assert shown == {"Oriental": None, "Souss-Massa": 12, "Fès-Meknès": None}
    souss = next(group for group in dashboard.groups if group.label == "Souss-Massa")
    assert souss.learning.mean_gain == 20
    oriental = next(group for group in dashboard.groups if group.label == "Oriental")
    assert oriental.learning.mean_gain is None
    assert dashboard.total.trained == 25
    assert dashboard.total.learning.mean_gain == 20


# --- detail and queries ------------------------------------------------------------------


def test_few_sessions_get_learning_per_objective_and_item_analysis(case):
    dashboard = training_dashboard(organiser(), with_items=True)
    assert dashboard.detailed
    assert [objective.code for objective in dashboard.objectives] == ["1.1", "1.2"]
    assert dashboard.items


def test_many_sessions_get_no_live_detail(case, monkeypatch):
    monkeypatch.setattr("mizan.reports.training_figures.DETAIL_LIMIT", 1)
    dashboard = training_dashboard(organiser(), with_items=True)
    assert not dashboard.detailed and dashboard.items is None


def test_the_number_of_queries_does_not_grow_with_the_sessions(case, monkeypatch):
    monkeypatch.setattr("mizan.reports.training_figures.DETAIL_LIMIT", 0)
    reader = organiser()
    training_dashboard(reader)

    def queries(dimension: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            training_dashboard(reader, dimension=dimension)
        return len(captured)

    before = {dimension: queries(dimension) for dimension in ("", "sex", "institution")}
    for n in range(3):
        more = session_of(
            case.action, case.version, starts_on=datetime.date(2026, 7, 1 + n), title=f"More {n}"
        )
        attend(enrol(more, make_participant(name_latin=f"More {n}")), "present")
    training_dashboard(reader)  # computes the new sessions
    after = {dimension: queries(dimension) for dimension in ("", "sex", "institution")}
    assert before == after
    assert after[""] <= 7


def test_whole_months_and_days_give_the_same_figures(case):
    reader = organiser()
    by_month = training_dashboard(reader, Filters(starts_from=datetime.date(2026, 3, 1)))
    by_day = training_dashboard(reader, Filters(starts_from=datetime.date(2026, 3, 2)))
    assert by_month.sessions == by_day.sessions == 2
    assert by_month.total == by_day.total


def test_a_completion_rate_that_would_name_the_few_who_did_not_complete_is_hidden():
    from mizan.reports.training_figures import Group, Learning, _hide_small

    def group(key, trained, completed):
        return Group(
            key=key,
            label=key,
            enrolled=trained,
            trained=trained,
            completed=completed,
            learning=Learning(),
        )

    total = group("", 64, 60)
    groups = [group("north", 15, 14), group("south", 25, 25), group("east", 24, 21)]
    shown_total, shown = _hide_small(total, groups)
    by_key = {row.key: row for row in shown}
    # 1 and 3 did not complete: every group's rate would give them, and so would the total.
    assert by_key["north"].completion_rate is None and by_key["east"].completion_rate is None
    assert shown_total.completed is None
    # The groups themselves are large enough to be counted.
    assert [row.trained for row in shown] == [15, 25, 24]
    # No shown rate, with the shown total, leaves a single hidden split to recover.
    assert sum(1 for row in shown if row.completed is None) != 1


def test_completion_rates_are_shown_when_both_sides_are_large_enough():
    from mizan.reports.training_figures import Group, Learning, _hide_small

    def group(key, trained, completed):
        return Group(
            key=key,
            label=key,
            enrolled=trained,
            trained=trained,
            completed=completed,
            learning=Learning(),
        )

    total = group("", 80, 50)
    groups = [group("north", 40, 25), group("south", 40, 25)]
    shown_total, shown = _hide_small(total, groups)
    assert [row.completed for row in shown] == [25, 25]
    assert shown_total.completed == 50
