"""Completing a course: the share of half-days attended (present or late) and the
post-test score, against the session's thresholds, with the reasons when not."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.training.completion import completion_of, completions_for
from mizan.training.enums import AttendanceStatus
from mizan.training.services import sessions as session_services
from tests.training.builders import enrol_people, make_participant, organiser
from tests.training.certificate_builders import attend, post_test, running_session, samira

pytestmark = pytest.mark.django_db


@pytest.fixture
def by(db):
    return organiser()


@pytest.fixture
def session(by):
    """Three days, six half-days; 80 % attendance and 60 % on the post-test needed."""
    return running_session(by)


def test_all_half_days_and_a_passing_score_complete_the_course(session, by):
    enrolment = samira(session, by)
    attend(enrolment)
    post_test(enrolment, 75)

    completion = completion_of(enrolment)

    assert completion.is_complete
    assert completion.reasons == ()
    assert (completion.slots_attended, completion.slots_total) == (6, 6)
    assert completion.attendance_percent == Decimal("100.0")
    assert completion.post_test_percent == Decimal("75")


def test_arriving_late_counts_as_attending(session, by):
    enrolment = samira(session, by)
    attend(enrolment, status=AttendanceStatus.LATE)
    post_test(enrolment, 75)

    assert completion_of(enrolment).slots_attended == 6
    assert completion_of(enrolment).is_complete


def test_an_excused_absence_does_not_count_as_attending(session, by):
    enrolment = samira(session, by)
    attend(enrolment, status=AttendanceStatus.EXCUSED)
    post_test(enrolment, 75)

    completion = completion_of(enrolment)

    assert completion.slots_attended == 0
    assert not completion.is_complete


def test_too_few_half_days_is_a_reason_with_the_figures(session, by):
    enrolment = samira(session, by)
    attend(enrolment, 4)
    post_test(enrolment, 90)

    completion = completion_of(enrolment)

    assert not completion.is_complete
    assert completion.attendance_percent == Decimal("66.7")
    assert len(completion.reasons) == 1
    assert "4 of 6" in completion.reasons[0]
    assert "80" in completion.reasons[0]


def test_attendance_exactly_at_the_threshold_is_enough(by):
    session = running_session(by, min_attendance_percent=50)
    enrolment = samira(session, by)
    attend(enrolment, 3)
    post_test(enrolment, 60)

    assert completion_of(enrolment).is_complete


def test_a_score_below_the_threshold_is_a_reason(session, by):
    enrolment = samira(session, by)
    attend(enrolment)
    post_test(enrolment, "59.5")

    completion = completion_of(enrolment)

    assert not completion.is_complete
    assert "59.5" in completion.reasons[0]
    assert "60" in completion.reasons[0]


def test_a_whole_score_is_written_plainly(session, by):
    enrolment = samira(session, by)
    attend(enrolment)
    post_test(enrolment, "50.00")

    assert "score 50 %" in completion_of(enrolment).reasons[0]


@pytest.mark.parametrize(
    ("make_attempt", "words"),
    [
        (lambda e: None, "not taken"),
        (lambda e: post_test(e, None, submitted=False), "not taken"),
        (lambda e: post_test(e, None), "not fully marked"),
    ],
    ids=["no attempt", "started not submitted", "short answers unmarked"],
)
def test_a_post_test_not_taken_or_not_marked_is_a_reason(session, by, make_attempt, words):
    enrolment = samira(session, by)
    attend(enrolment)
    make_attempt(enrolment)

    completion = completion_of(enrolment)

    assert not completion.is_complete
    assert completion.post_test_percent is None
    assert any(words in reason for reason in completion.reasons)


def test_both_reasons_are_given_together(session, by):
    enrolment = samira(session, by)
    attend(enrolment, 1)

    assert len(completion_of(enrolment).reasons) == 2


def test_no_post_test_is_needed_when_its_threshold_is_zero(by):
    session = running_session(by, min_post_test_percent=0)
    enrolment = samira(session, by)
    attend(enrolment)

    assert completion_of(enrolment).is_complete


def test_hours_attended_add_up_the_half_days_attended(session, by):
    enrolment = samira(session, by)
    attend(enrolment, 1)  # the first morning, 9:00 to 12:30

    assert completion_of(enrolment).hours_attended == Decimal("3.5")
    attend(enrolment)
    assert completion_of(enrolment).hours_attended == Decimal("19.5")


def test_a_withdrawn_enrolment_is_not_complete(session, by):
    enrolment = samira(session, by)
    attend(enrolment)
    post_test(enrolment, 90)
    session_services.withdraw(enrolment=enrolment, reason="Transferred", by=by)

    completion = completion_of(enrolment)

    assert not completion.is_complete
    assert "not approved" in completion.reasons[0]


def test_completions_cover_approved_enrolments_only(session, by):
    done, half = enrol_people(session, 2, by)
    attend(done)
    post_test(done, 80)
    attend(half, 2)
    withdrawn = session_services.enrol(session=session, participant=make_participant(by), by=by)
    attend(withdrawn)
    post_test(withdrawn, 80)
    session_services.withdraw(enrolment=withdrawn, reason="Ill", by=by)

    completions = {c.enrolment.pk: c for c in completions_for(session)}

    assert set(completions) == {done.pk, half.pk}
    assert completions[done.pk].is_complete
    assert not completions[half.pk].is_complete
    assert completions[half.pk].slots_attended == 2


def count_queries(session) -> int:
    with CaptureQueriesContext(connection) as queries:
        completions_for(session)
    return len(queries)


def test_completions_take_the_same_queries_for_one_or_many(by):
    small = running_session(by, title="Small")
    large = running_session(by, title="Large", code="other-course")
    for enrolment in enrol_people(small, 1, by):
        attend(enrolment)
        post_test(enrolment, 70)
    for enrolment in enrol_people(large, 6, by):
        attend(enrolment, 3)
        post_test(enrolment, 70)

    assert count_queries(small) == count_queries(large) == 4
