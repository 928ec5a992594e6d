"""Training figures computed by hand on small cases (see ``two_session_action``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.training import analytics
from mizan.training.enums import EvaluationKind, PlanKept, SessionStatus, TestStage
from mizan.training.models import Enrolment, Question, TestAttempt
from mizan.training.services import cascades as cascade_services
from mizan.training.services import sessions as session_services
from tests.actions.factories import ActionFactory
from tests.training.analytics_builders import (
    at,
    attend,
    border,
    enrol,
    evaluate,
    follow_up,
    plan,
    session_of,
    small_version,
    take_test,
    two_session_action,
)
from tests.training.builders import make_participant, police

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def case():
    return two_session_action()


def action_sessions(case):
    return analytics.sessions_of_action(case.action)


# --- participation ---------------------------------------------------------------------


def test_officers_trained_counts_each_person_once_and_only_if_they_attended(case):
    result = analytics.participation(action_sessions(case))
    # A (twice), B, C, F; D was absent throughout.
    assert result.trained == 4


def test_completion_needs_both_the_attendance_share_and_the_post_test(case):
    result = analytics.participation(action_sessions(case))
    # Only A completed (in both sessions, counted once); B failed the post-test, C missed
    # too many half-days, F attended one of two.
    assert (result.completed, result.completion_rate) == (1, D("25.00"))


def test_women_share_of_the_officers_trained(case):
    result = analytics.participation(action_sessions(case))
    assert (result.women, result.men, result.women_share) == (2, 2, D("50.00"))


def test_breakdown_by_sex(case):
    rows = analytics.participation(action_sessions(case)).by_sex
    assert [(r.key, r.trained, r.completed, r.completion_rate) for r in rows] == [
        ("female", 2, 1, D("50.00")),
        ("male", 2, 0, D("0.00")),
    ]


def test_breakdown_by_region_of_the_officer_largest_first(case):
    rows = analytics.participation(action_sessions(case)).by_region
    assert [(r.label, r.trained, r.completed, r.share_of_trained) for r in rows] == [
        ("Oriental", 2, 1, D("50.00")),
        ("Region not given", 1, 0, D("25.00")),
        ("Souss-Massa", 1, 0, D("25.00")),
    ]


def test_breakdown_by_institution_names_the_institution(case):
    rows = analytics.participation(action_sessions(case)).by_institution
    assert [(r.label, r.trained) for r in rows] == [
        (police().name, 2),
        (border().name, 1),
        ("No institution given", 1),
    ]


def test_breakdown_by_rank(case):
    rows = analytics.participation(action_sessions(case)).by_rank
    assert [(r.label, r.trained, r.completed) for r in rows] == [
        ("Agent", 2, 0),
        ("Inspector", 1, 1),
        ("Rank not given", 1, 0),
    ]


def test_one_session_alone(case):
    result = analytics.participation(analytics.one_session(case.first))
    assert (result.trained, result.completed) == (3, 1)


def test_a_nominated_officer_who_attended_is_not_counted(case):
    nominee = make_participant(name_latin="Nadia")
    # Nominated, not (yet) approved by the organiser.
    enrolment = Enrolment.objects.create(session=case.second, participant=nominee)
    attend(enrolment, "present", "present")
    assert analytics.participation(action_sessions(case)).trained == 4


def test_cancelled_sessions_and_sessions_outside_the_period_do_not_count(case):
    in_march = analytics.sessions_of_action(
        case.action,
        starts_from=datetime.date(2026, 3, 1),
        starts_until=datetime.date(2026, 3, 31),
    )
    assert list(in_march) == [case.first]
    session_services.change_session_status(
        session=case.second, status=SessionStatus.CANCELLED, reason="No venue"
    )
    assert list(action_sessions(case)) == [case.first]


def test_small_cells_are_hidden_for_readers_without_the_roster(case):
    hidden = analytics.participation(action_sessions(case)).with_small_cells_hidden()
    assert hidden.trained == 4
    assert hidden.completed is None
    assert all(row.suppressed and row.trained is None for row in hidden.by_region)


def test_no_officer_trained_gives_no_rates(case):
    empty = analytics.sessions_of_action(case.action, starts_from=datetime.date(2027, 1, 1))
    result = analytics.participation(empty)
    assert (result.trained, result.completion_rate, result.women_share) == (0, None, None)


def test_a_threshold_of_zero_asks_nothing(items_case):
    session_services.update_session(session=items_case.first, min_post_test_percent=0)
    enrolment = enrol(items_case.first, make_participant(name_latin="Zineb"))
    attend(enrolment, "present", "present")  # no post-test taken
    result = analytics.participation(analytics.one_session(items_case.first))
    assert (result.trained, result.completed) == (1, 1)


# --- learning ----------------------------------------------------------------------------


def test_paired_tests_give_means_and_gain(case):
    result = analytics.learning(action_sessions(case))
    # Pairs: A 40→80, B 50→50, C 100→90 (D and A's second enrolment have one test each).
    assert (result.pairs, result.mean_pre, result.mean_post, result.mean_gain) == (
        3,
        D("63.33"),
        D("73.33"),
        D("10.00"),
    )


def test_normalised_gain_skips_a_perfect_pre_test(case):
    result = analytics.learning(action_sessions(case))
    # A: 40/60 = 0.667; B: 0; C (pre-test 100) left out: mean 0.333.
    assert result.mean_normalised_gain == D("33.33")


def test_gain_per_learning_objective(case):
    objectives = analytics.learning(action_sessions(case)).objectives
    assert [
        (o.code, o.pre_correct, o.post_correct, o.gain, o.normalised_gain) for o in objectives
    ] == [
        # 1.1: B, C right before (2/3); A, B, C after (3/3).
        ("1.1", D("66.67"), D("100.00"), D("33.33"), D("100.00")),
        # 1.2: A, C right before (2/3); A only after (1/3).
        ("1.2", D("66.67"), D("33.33"), D("-33.33"), D("-100.00")),
    ]


def test_a_test_submitted_after_the_date_does_not_count(case):
    late = case.enrolments["A2"]
    take_test(late, TestStage.PRE, score=60, submitted=at(datetime.date(2026, 7, 1)))
    sessions = action_sessions(case)
    assert analytics.learning(sessions).pairs == 4
    assert analytics.learning(sessions, as_of=datetime.date(2026, 6, 30)).pairs == 3


def test_an_unsubmitted_attempt_does_not_pair(case):
    TestAttempt.objects.filter(enrolment=case.enrolments["B"], stage=TestStage.POST).update(
        submitted_at=None
    )
    assert analytics.learning(action_sessions(case)).pairs == 2


# --- reaction ------------------------------------------------------------------------------


def test_reaction_means_of_final_and_daily_evaluations_apart(case):
    e = case.enrolments
    evaluate(case.first, enrolment=e["A"], key="a", overall=4, relevance=5)
    evaluate(case.first, enrolment=e["B"], key="b", overall=3, relevance=4)
    evaluate(case.first, key="anonymous", overall=5, relevance=2)
    evaluate(case.first, kind=EvaluationKind.DAILY, day=1, key="a", overall=2)
    evaluate(case.first, kind=EvaluationKind.DAILY, day=2, key="a", overall=3)
    result = analytics.reaction(action_sessions(case))
    assert (result.final.responses, result.final.mean_of("overall")) == (3, D("4.00"))
    assert result.final.mean_of("relevance") == D("3.67")
    assert (result.daily.responses, result.daily.mean_of("overall")) == (2, D("2.50"))


def test_no_evaluation_gives_no_means(case):
    result = analytics.reaction(action_sessions(case))
    assert result.final.responses == 0
    assert all(score.mean is None for score in result.final.scores)


# --- behaviour ---------------------------------------------------------------------------


def test_follow_up_answers_and_action_plans(case):
    e = case.enrolments
    follow_up(e["A"], used_at_work=4, plan_kept=PlanKept.YES, colleagues_briefed=3)
    follow_up(e["B"], used_at_work=2, plan_kept=PlanKept.PARTLY, colleagues_briefed=0)
    follow_up(e["C"], used_at_work=3, plan_kept=PlanKept.NO, colleagues_briefed=6)
    plan(e["A"], 5)
    plan(e["B"], 2)
    result = analytics.behaviour(action_sessions(case))
    assert (result.follow_ups, result.used_at_work) == (3, D("3.00"))
    assert (result.kept_plan, result.kept_plan_partly, result.did_not_keep_plan) == (1, 1, 1)
    assert result.kept_plan_share == D("33.33")
    assert (result.colleagues_briefed, result.colleagues_briefed_mean) == (9, D("3.00"))
    assert (result.action_plans, result.colleagues_to_brief, result.colleagues_to_brief_mean) == (
        2,
        7,
        D("3.50"),
    )


def test_follow_up_answered_after_the_date_does_not_count(case):
    e = case.enrolments
    follow_up(
        e["A"],
        used_at_work=4,
        plan_kept=PlanKept.YES,
        colleagues_briefed=3,
        submitted=at(datetime.date(2026, 10, 1)),
    )
    sessions = action_sessions(case)
    assert analytics.behaviour(sessions, as_of=datetime.date(2026, 9, 30)).follow_ups == 0
    assert analytics.behaviour(sessions, as_of=datetime.date(2026, 10, 1)).follow_ups == 1


# --- cascade reach ---------------------------------------------------------------------------


def test_cascade_reach_across_two_generations(case):
    first = cascade_services.report_cascade(
        reporter=case.people["A"],
        source_session=case.first,
        held_on=datetime.date(2026, 4, 1),
        place="Oujda police station",
        audience=[
            cascade_services.AudienceCount(institution=police(), women=3, men=7),
            cascade_services.AudienceCount(institution=None, women=1, men=0),
        ],
    )
    relay = cascade_services.register_relay_trainer(cascade=first, name_latin="Rachid", sex="male")
    cascade_services.report_cascade(
        reporter=relay.participant,
        held_on=datetime.date(2026, 5, 1),
        place="Nador border post",
        audience=[cascade_services.AudienceCount(institution=police(), women=2, men=4)],
    )
    reach = analytics.cascade_reach(action_sessions(case))
    assert [(g.generation, g.cascades, g.women, g.men) for g in reach.generations] == [
        (1, 1, 4, 7),
        (2, 1, 2, 4),
    ]
    # Direct: A, B, C, F (women A and F). Cascaded: 11 + 6.
    assert (reach.direct, reach.cascaded, reach.total) == (4, 17, 21)
    assert (reach.women, reach.men) == (8, 13)
    assert (
        analytics.cascade_reach(action_sessions(case), as_of=datetime.date(2026, 4, 30)).cascaded
        == 11
    )


# --- item analysis --------------------------------------------------------------------------


def item_matrix(case, rows: list[list[bool]]) -> list[Question]:
    """Pre-tests of len(rows) new participants of the first session, answering the
    version's questions in order as ``rows`` say."""
    questions = list(
        Question.objects.filter(objective__module__version=case.version).order_by("id")
    )
    for n, answers in enumerate(rows):
        person = make_participant(name_latin=f"Item {n}")
        enrolment = enrol(case.first, person)
        take_test(
            enrolment,
            TestStage.PRE,
            answers=dict(zip(questions, answers, strict=False)),
        )
    return questions[: len(rows[0])]


@pytest.fixture
def items_case():
    version = small_version()
    action = ActionFactory()
    first = session_of(action, version, starts_on=datetime.date(2026, 3, 2))
    return SimpleNamespace(version=version, first=first, action=action)


def test_item_difficulty_and_discrimination_on_a_known_matrix(items_case):
    # Four attempts, items 1 to 3 a Guttman pattern; item 4 right for all.
    questions = item_matrix(
        items_case,
        [
            [True, True, True, True],
            [True, True, False, True],
            [True, False, False, True],
            [False, False, False, True],
        ],
    )
    items = {
        item.question_id: item
        for item in analytics.item_analysis(analytics.one_session(items_case.first))
    }
    found = [
        (items[q.pk].answers, items[q.pk].difficulty, items[q.pk].discrimination) for q in questions
    ]
    # Item 1: x = 1,1,1,0 against rest 2,1,0,0 → r = 0.1875 / √(0.1875 × 0.6875) = 0.522.
    # Item 2: x = 1,1,0,0 against rest 2,1,1,0 → r = 0.25 / √(0.25 × 0.5) = 0.707.
    # Item 3: x = 1,0,0,0 against rest 2,2,1,0 → r = 0.522. Item 4 does not vary.
    assert found == [
        (4, D("0.75"), D("0.52")),
        (4, D("0.50"), D("0.71")),
        (4, D("0.25"), D("0.52")),
        (4, D("1.00"), None),
    ]
    assert [items[q.pk].flags for q in questions] == [(), (), (), ("too_easy",)]


def test_items_too_hard_or_discriminating_poorly_are_flagged(items_case):
    # Item 1 is right only for those who get item 2 wrong; item 3 is never right.
    questions = item_matrix(
        items_case,
        [[True, False, False], [True, False, False], [False, True, False], [False, True, False]],
    )
    items = {
        item.question_id: item
        for item in analytics.item_analysis(analytics.one_session(items_case.first))
    }
    assert items[questions[0].pk].discrimination == D("-1.00")
    assert items[questions[0].pk].flags == ("poor_discrimination",)
    assert items[questions[2].pk].flags == ("too_hard",)


def test_unmarked_short_answers_are_left_out_of_item_analysis(items_case):
    questions = item_matrix(items_case, [[True, None], [False, None]])
    found = {
        item.question_id
        for item in analytics.item_analysis(analytics.one_session(items_case.first))
    }
    assert found == {questions[0].pk}


def test_point_biserial_is_none_without_variance():
    assert analytics.point_biserial(n=3, sx=3, st=6, sxt=6, stt=14) is None


# --- a fixed number of queries ---------------------------------------------------------------


def sessions_with_people(count: int):
    version = small_version(code=f"queries-{count}")
    action = ActionFactory()
    for n in range(count):
        session = session_of(
            action, version, starts_on=datetime.date(2026, 3, 2) + datetime.timedelta(days=7 * n)
        )
        person = make_participant(
            name_latin=f"Person {count}-{n}", sex="female" if n % 2 else "male"
        )
        enrolment = enrol(session, person)
        attend(enrolment, "present", "present")
        questions = list(Question.objects.filter(objective__module__version=version))
        take_test(enrolment, TestStage.PRE, answers={questions[0]: False, questions[1]: True})
        take_test(enrolment, TestStage.POST, answers={questions[2]: True, questions[3]: True})
        evaluate(session, enrolment=enrolment, key=f"k{n}", overall=4)
        follow_up(enrolment, used_at_work=4, plan_kept=PlanKept.YES, colleagues_briefed=2)
        plan(enrolment, 3)
    return analytics.sessions_of_action(action)


def queries_for(sessions) -> int:
    with CaptureQueriesContext(connection) as captured:
        analytics.training_results(sessions, with_items=True)
    return len(captured)


def test_all_four_levels_take_the_same_queries_for_2_and_6_sessions():
    two, six = queries_for(sessions_with_people(2)), queries_for(sessions_with_people(6))
    assert two == six
    assert six <= 12
