"""A suggestion is reviewed in one round at a time, and participants make suggestions
only once their course has started."""

from __future__ import annotations

import pytest

from mizan.core.errors import MizanError
from mizan.suggestions.services import rounds
from mizan.training.enums import SessionStatus
from mizan.training.services import sessions as session_services
from tests.suggestions.builders import decide_and_release, from_participant, open_round
from tests.training.builders import enrol_people, make_session


def second_round(case):
    return rounds.create_round(committee=case.committee, title="Another round", by=case.coordinator)


def test_a_suggestion_under_review_is_not_added_to_another_round(case):
    suggestion = from_participant(case.enrolments[0])
    open_round(case, [suggestion])
    with pytest.raises(MizanError) as refused:
        rounds.add_suggestions(
            review_round=second_round(case), suggestions=[suggestion], by=case.coordinator
        )
    assert refused.value.code == "in_another_round"
    assert suggestion.reference in str(refused.value.message)


def test_a_deferred_suggestion_goes_to_a_later_round_once_released(case):
    suggestion = from_participant(case.enrolments[0])
    first = open_round(case, [suggestion])
    decide_and_release(case, first, outcome="deferred")
    later = second_round(case)
    assert (
        rounds.add_suggestions(review_round=later, suggestions=[suggestion], by=case.coordinator)
        == 1
    )
    assert list(later.suggestions.all()) == [suggestion]


def test_participants_of_a_course_not_yet_started_cannot_suggest(db, coordinator):
    session = make_session(by=coordinator, status=SessionStatus.OPEN, code="later-course")
    enrolment = enrol_people(session, 1, by=coordinator)[0]
    with pytest.raises(MizanError) as refused:
        from_participant(enrolment)
    assert refused.value.code == "not_started"
    session_services.change_session_status(
        session=session, status=SessionStatus.RUNNING, by=coordinator
    )
    enrolment.refresh_from_db()
    assert from_participant(enrolment).session == session
