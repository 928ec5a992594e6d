"""The precomputed per-session figures: equal to ``training.analytics`` on the same
session, marked stale by a change and computed again on the next read."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from mizan.reports.models import (
    CascadeFigures,
    MonthlyParticipationCell,
    ParticipationCell,
    SessionFigures,
)
from mizan.reports.rollup import mark_stale, refresh_session, refresh_stale
from mizan.reports.tasks import refresh_figures
from mizan.training import analytics
from mizan.training.enums import PlanKept, TestStage
from mizan.training.models import CascadeAudience, CascadeSession, TrainingSession
from tests.training.analytics_builders import (
    attend,
    enrol,
    evaluate,
    follow_up,
    plan,
    take_test,
    two_session_action,
)
from tests.training.builders import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case():
    built = two_session_action()
    first = built.first
    evaluate(first, key="a", overall=5, relevance=5)
    evaluate(first, key="b", overall=3, relevance=4)
    evaluate(first, key="c", overall=4, relevance=2)
    follow_up(built.enrolments["A"], used_at_work=4, plan_kept=PlanKept.YES, colleagues_briefed=3)
    follow_up(
        built.enrolments["B"], used_at_work=2, plan_kept=PlanKept.PARTLY, colleagues_briefed=0
    )
    plan(built.enrolments["A"], 5)
    plan(built.enrolments["B"], 2)
    cascade = CascadeSession.objects.create(
        reported_by=built.people["A"],
        source_session=first,
        held_on=datetime.date(2026, 5, 1),
        place="Berkane",
    )
    CascadeAudience.objects.create(cascade=cascade, women=4, men=6)
    return built


def cell_sums(session: TrainingSession) -> dict[str, float]:
    cells = ParticipationCell.objects.filter(session=session)
    names = ("enrolled", "trained", "completed", "pairs", "pre_sum", "post_sum", "gain_sum")
    names += ("normalised_gain_sum", "normalised_n")
    return {name: sum(getattr(cell, name) for cell in cells) for name in names}


def test_the_cells_of_a_session_add_up_to_what_analytics_says(case):
    refresh_stale()
    for session in (case.first, case.second):
        expected = analytics.training_results(analytics.one_session(session))
        sums = cell_sums(session)
        assert sums["trained"] == expected.participation.trained
        assert sums["completed"] == expected.participation.completed
        learned = expected.learning
        assert sums["pairs"] == learned.pairs
        if learned.pairs:
            assert analytics._number(sums["gain_sum"] / sums["pairs"]) == learned.mean_gain
            assert analytics._number(sums["pre_sum"] / sums["pairs"]) == learned.mean_pre
            normalised = sums["normalised_gain_sum"] / sums["normalised_n"]
            assert analytics._number(normalised, 100) == learned.mean_normalised_gain


def test_the_first_session_in_numbers(case):
    refresh_stale()
    sums = cell_sums(case.first)
    # A, B, C trained; D absent throughout; only A completed; A, B, C have both tests.
    assert (sums["enrolled"], sums["trained"], sums["completed"], sums["pairs"]) == (4, 3, 1, 3)
    # Gains 40, 0, -10; normalised 40/60 and 0 (C's pre-test of 100 is left out).
    assert sums["gain_sum"] == pytest.approx(30)
    assert sums["normalised_n"] == 2
    assert sums["normalised_gain_sum"] == pytest.approx(40 / 60)


def test_the_session_figures_equal_the_reaction_and_behaviour_of_analytics(case):
    refresh_stale()
    figures = SessionFigures.objects.get(session=case.first)
    one = analytics.one_session(case.first)
    reaction = analytics.reaction(one).final
    assert figures.evaluations == reaction.responses == 3
    assert analytics._number(figures.overall_sum / figures.evaluations) == reaction.mean_of(
        "overall"
    )
    assert analytics._number(figures.relevance_sum / figures.evaluations) == reaction.mean_of(
        "relevance"
    )
    behaviour = analytics.behaviour(one)
    assert figures.follow_ups == behaviour.follow_ups == 2
    assert (figures.plans_kept, figures.plans_partly_kept, figures.plans_not_kept) == (1, 1, 0)
    assert figures.colleagues_briefed == behaviour.colleagues_briefed
    assert figures.action_plans == behaviour.action_plans == 2
    assert figures.colleagues_to_brief == behaviour.colleagues_to_brief == 7


def test_cascade_reach_is_kept_by_generation(case):
    refresh_stale()
    (generation,) = CascadeFigures.objects.filter(session=case.first)
    assert (generation.generation, generation.cascades, generation.women, generation.men) == (
        1,
        1,
        4,
        6,
    )


def test_cells_break_the_session_down_by_person(case):
    refresh_stale()
    cells = ParticipationCell.objects.filter(session=case.first)
    by_region: dict[str, int] = {}
    for cell in cells:
        by_region[cell.region] = by_region.get(cell.region, 0) + cell.trained
    assert by_region == {"Oriental": 2, "Souss-Massa": 1}


def test_a_new_attendance_marks_the_session_stale_and_the_next_refresh_shows_it(case):
    refresh_stale()
    assert not SessionFigures.objects.filter(stale=True).exists()
    late = enrol(case.second, make_participant(name_latin="Late comer", sex="male"))
    assert SessionFigures.objects.get(session=case.second).stale
    attend(late, "present", "present")
    assert refresh_stale() == 1
    assert cell_sums(case.second)["trained"] == 3
    assert not SessionFigures.objects.get(session=case.first).stale


def test_a_new_post_test_marks_the_session_stale(case):
    refresh_stale()
    take_test(case.enrolments["F"], TestStage.PRE, score=10)
    take_test(case.enrolments["F"], TestStage.POST, score=60)
    figures = SessionFigures.objects.get(session=case.second)
    assert figures.stale
    refresh_stale()
    assert cell_sums(case.second)["pairs"] == 1


def test_a_participant_change_marks_all_their_sessions(case):
    refresh_stale()
    person = case.people["A"]
    person.region = "Souss-Massa"
    person.save()
    assert SessionFigures.objects.filter(stale=True).count() == 2


def test_a_cancelled_session_counts_nothing(case):
    refresh_stale()
    TrainingSession.objects.filter(pk=case.second.pk).update(status="cancelled")
    mark_stale([case.second.pk])
    refresh_stale()
    figures = SessionFigures.objects.get(session=case.second)
    assert figures.cancelled
    assert not ParticipationCell.objects.filter(session=case.second).exists()


def test_refreshing_twice_writes_the_same_rows(case):
    refresh_session(case.first)
    first = cell_sums(case.first)
    refresh_session(case.first)
    assert cell_sums(case.first) == first


def test_the_command_and_the_task_compute_every_session(case):
    out = StringIO()
    call_command("refresh_figures", "--all", stdout=out)
    assert "2" in out.getvalue()
    assert SessionFigures.objects.filter(stale=False).count() == 2
    assert refresh_figures.enqueue().return_value == 0


def test_the_monthly_cells_add_up_the_sessions_of_the_month(case):
    refresh_stale()
    march = MonthlyParticipationCell.objects.filter(month=datetime.date(2026, 3, 1))
    assert sum(cell.trained for cell in march) == cell_sums(case.first)["trained"]
    june = MonthlyParticipationCell.objects.filter(month=datetime.date(2026, 6, 1))
    assert sum(cell.trained for cell in june) == cell_sums(case.second)["trained"]


def test_a_session_moved_to_another_month_leaves_its_old_month(case):
    refresh_stale()
    session = case.second
    session.starts_on = session.ends_on = datetime.date(2026, 3, 20)
    session.save()
    refresh_stale()
    assert not MonthlyParticipationCell.objects.filter(month=datetime.date(2026, 6, 1)).exists()
    march = MonthlyParticipationCell.objects.filter(month=datetime.date(2026, 3, 1))
    assert sum(cell.trained for cell in march) == 5
