"""Review of the training domain and the participant's phone pages: anonymous evaluations
that a key could tie to a name, certificates issued twice at once, follow-up answers lost
in a merge, the personal link's token in logs and cookies, and links acting on what is
not theirs."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.core.errors import MizanError
from mizan.participant.identity import COOKIE
from mizan.training.enums import EvaluationKind, PlanKept, TestStage
from mizan.training.models import Attendance, Certificate, Enrolment, FollowUpResponse
from mizan.training.services import answers as answer_services
from mizan.training.services import certificates as certificate_services
from mizan.training.services import sessions as session_services
from mizan.training.services.attendance import check_in
from mizan.training.services.rosters import merge_participants
from tests.training import builders
from tests.training.answers_builders import all_right, answers_session, at, questions_of
from tests.training.attendance_builders import at as slot_at
from tests.training.attendance_builders import link_for, make_course
from tests.training.certificate_builders import completed_session_with, small_version

pytestmark = pytest.mark.django_db

SCORES = dict.fromkeys(("relevance", "content", "methods", "trainers", "organisation"), 4)
LAST_DAY = datetime.date(2026, 3, 4)


# --- Anonymous evaluations --------------------------------------------------------------------


@pytest.fixture
def enrolment():
    session = answers_session()
    person = builders.make_participant(name_latin="Samira Bennani")
    return session_services.enrol(session=session, participant=person)


def evaluate(enrolment, kind=EvaluationKind.DAILY, day=1, anonymous=True):
    return answer_services.submit_evaluation(
        enrolment=enrolment,
        kind=kind,
        day=day,
        scores={**SCORES, "overall": 5},
        anonymous=anonymous,
        now=at(LAST_DAY, 16),
    )


def test_an_anonymous_evaluation_shares_no_key_with_a_named_one_of_the_same_person(enrolment):
    named = evaluate(enrolment, day=1, anonymous=False)
    anonymous = evaluate(enrolment, day=2, anonymous=True)

    assert anonymous.enrolment is None
    assert anonymous.respondent_key != named.respondent_key


def test_one_person_s_evaluations_each_have_their_own_key(enrolment):
    keys = {evaluate(enrolment, day=day).respondent_key for day in (1, 2, 3)}
    keys.add(evaluate(enrolment, kind=EvaluationKind.FINAL, day=0).respondent_key)

    assert len(keys) == 4
    assert answer_services.has_evaluated(enrolment, EvaluationKind.DAILY, 2)


def test_an_anonymous_evaluation_is_still_given_once(enrolment):
    evaluate(enrolment, day=2)
    assert not answer_services.has_evaluated(enrolment, EvaluationKind.DAILY, 1)
    with pytest.raises(MizanError) as refused:
        evaluate(enrolment, day=2, anonymous=False)
    assert refused.value.code == "duplicate"


# --- Certificates issued at the same moment -----------------------------------------------


def test_issuing_a_session_s_certificates_while_one_is_issued_alone(monkeypatch):
    by = builders.organiser()
    session, done, _not_done = completed_session_with(by, done=2, not_done=0)
    first = done[0]
    seen = certificate_services.certificate_of

    def meanwhile(enrolment):
        found = seen(enrolment)
        if enrolment.pk == first.pk and found is None:
            # Another request issues this certificate between the check and the write.
            certificate_services.issue_certificate(enrolment=Enrolment.objects.get(pk=first.pk))
        return found

    monkeypatch.setattr(certificate_services, "certificate_of", meanwhile)
    result = certificate_services.issue_certificates(session=session, by=by)

    assert [certificate.enrolment_id for certificate in result.issued] == [done[1].pk]
    assert Certificate.objects.filter(enrolment__session=session).count() == 2


def test_issuing_one_certificate_while_the_session_s_are_issued(monkeypatch):
    by = builders.organiser()
    _session, done, _not_done = completed_session_with(by, done=1, not_done=0)
    [enrolment] = done
    completion_of = certificate_services.completion_of

    def meanwhile(checked):
        # The whole session's certificates are issued between the check and the write.
        Certificate.objects.create(enrolment=checked, holder_name_latin="Officer")
        return completion_of(checked)

    monkeypatch.setattr(certificate_services, "completion_of", meanwhile)
    certificate = certificate_services.issue_certificate(enrolment=enrolment, by=by)

    assert certificate == Certificate.objects.get(enrolment=enrolment)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not lock rows")
def test_changing_a_session_locks_it_as_approving_a_nomination_does():
    by = builders.organiser()
    session = builders.make_session(by, version=small_version(by))

    with CaptureQueriesContext(connection) as queries:
        session_services.update_session(session=session, capacity=30, by=by)

    assert any(
        "FOR UPDATE" in query["sql"] and "training_trainingsession" in query["sql"]
        for query in queries
    )


# --- Merging two records of one person -----------------------------------------------------


def test_merging_keeps_the_duplicate_s_follow_up_answer_with_the_person():
    by = builders.organiser()
    answered_in = builders.make_session(by, version=small_version(by), title="Spring session")
    later = builders.make_session(by, version=small_version(by, code="later"), title="Autumn")
    duplicate = builders.make_participant(by, name_latin="Samira Benani")
    keep = builders.make_participant(by, name_latin="Samira Bennani")
    answered = session_services.enrol(session=answered_in, participant=duplicate, by=by)
    session_services.enrol(session=later, participant=keep, by=by)
    answer_services.submit_follow_up(
        enrolment=answered,
        used_at_work=4,
        plan_kept=PlanKept.YES,
        now=at(answered_in.ends_on + datetime.timedelta(days=100)),
    )

    merge_participants(keep=keep, duplicate=duplicate, by=by)

    answered.refresh_from_db()
    assert answered.participant == keep
    assert answer_services.follow_up_answered(answered)
    assert FollowUpResponse.objects.get().pseudonym == keep.pseudonym


# --- Personal links ------------------------------------------------------------------------


@pytest.fixture
def course():
    return make_course(2)


def test_the_phone_keeps_the_link_for_the_participant_pages_only(client, course):
    link = link_for(course.enrolments[0], course.organiser)
    response = client.get(f"/p/{link.token}/")
    assert response.status_code == 200
    assert response.cookies[COOKIE]["path"] == "/p/"


def test_a_refused_form_is_logged_without_the_link_s_token(client, course, caplog):
    link = link_for(course.enrolments[0], course.organiser)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(f"/p/{link.token}/action-plan/", {"commitments": ""})
    assert response.status_code == 400
    assert "/p/" in caplog.text
    assert link.token not in caplog.text


def test_an_unknown_link_is_logged_without_its_token(client, db, caplog):
    token = "Qm9ndXMtdG9rZW4tdGhhdC1pcy1ub3QtaW4tdGhlLWRi"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/p/{token}/")
    assert response.status_code == 404
    assert "/p/" in caplog.text
    assert token not in caplog.text


def test_a_withdrawn_participant_s_link_is_not_found_like_any_unknown_one(client, course):
    enrolment = course.enrolments[0]
    link = link_for(enrolment, course.organiser)
    unknown = client.get("/p/Qm9ndXMtdG9rZW4tdGhhdC1pcy1ub3QtaW4tdGhlLWRi/")

    session_services.withdraw(enrolment=enrolment, reason="Posted abroad", by=course.organiser)

    for path in ("", "action-plan/", "test/pre/", "certificate/"):
        response = client.get(f"/p/{link.token}/{path}")
        assert response.status_code == 404, path
    assert client.get(f"/p/{link.token}/").content == unknown.content


def test_a_link_answers_only_the_questions_of_its_own_test():
    session = answers_session()
    enrolment = session_services.enrol(session=session, participant=builders.make_participant())
    answers = all_right(session, TestStage.PRE)
    other_form = questions_of(session, TestStage.POST)
    stranger = next(q for q in other_form.values() if q.pk not in answers)
    answers[stranger.pk] = "An answer"

    with pytest.raises(MizanError):
        answer_services.submit_test(
            enrolment=enrolment, stage=TestStage.PRE, answers=answers, now=at(session.starts_on)
        )
    assert not enrolment.test_attempts.filter(submitted_at__isnull=False).exists()


def test_a_link_checks_in_only_for_its_own_session(course):
    other = make_course(1, by=course.organiser, title="Another session", code="another-course")
    link = link_for(course.enrolments[0], course.organiser)
    slot = other.morning

    with pytest.raises(MizanError) as refused:
        check_in(link=link, code=slot.check_in_code, now=slot_at(slot, 9, 5))

    assert refused.value.code == "other_session"
    assert not Attendance.objects.exists()
