"""The back office's marking page: who may open it, what it shows, and marking."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.accounts.enums import Role
from mizan.training.enums import QuestionKind, TestStage
from mizan.training.models import TestAnswer
from mizan.training.services import answers as services
from tests.factories import UserFactory, user_with_role
from tests.training.answers_builders import all_right, answers_session, at, enrol_person
from tests.training.builders import make_trainer, nhri, organiser, outsider

pytestmark = pytest.mark.django_db

DURING = at(answers_session.__kwdefaults__["starts_on"], 10)


@pytest.fixture
def trainer():
    return make_trainer()


@pytest.fixture
def session(trainer):
    return answers_session(trainers=[trainer])


def sit_pre_test(session, name: str, short: str):
    enrolment = enrol_person(session, name_latin=name)
    return services.submit_test(
        enrolment=enrolment,
        stage=TestStage.PRE,
        answers=all_right(session, TestStage.PRE, short=short),
        now=DURING,
    )


@pytest.fixture
def attempt(session):
    return sit_pre_test(session, "Samira Bennani", "Refer the child to child protection")


def url(session):
    return reverse("staff:session_marking", args=[session.pk])


def short_answer(attempt):
    return attempt.answers.get(question__kind=QuestionKind.SHORT_ANSWER)


# --- Who may open it -----------------------------------------------------------------------


def test_trainer_of_the_session_sees_unmarked_answers_with_question_and_model_answer(
    client, trainer, session, attempt
):
    client.force_login(trainer)
    response = client.get(url(session))
    assert response.status_code == 200
    body = response.content.decode()
    question = short_answer(attempt).question
    assert question.prompt in body
    assert question.model_answer in body
    assert "Refer the child to child protection" in body
    assert 'value="correct"' in body and 'value="incorrect"' in body


def test_answers_are_shown_without_the_participants_name(client, trainer, session, attempt):
    client.force_login(trainer)
    assert "Samira Bennani" not in client.get(url(session)).content.decode()


def test_an_organiser_may_mark(client, session, attempt):
    client.force_login(organiser())
    assert client.get(url(session)).status_code == 200


@pytest.mark.parametrize(
    "make_user",
    [
        outsider,
        lambda: UserFactory(username="nobody"),
        lambda: user_with_role(Role.VIEWER, nhri(), username="nhri-viewer"),
        lambda: make_trainer("other-trainer"),
    ],
    ids=["outsider", "no-membership", "viewer-of-an-organiser", "trainer-of-another-session"],
)
def test_others_are_refused(client, session, attempt, make_user):
    client.force_login(make_user())
    assert client.get(url(session)).status_code == 403
    response = client.post(url(session), {"answer": short_answer(attempt).pk, "verdict": "correct"})
    assert response.status_code == 403
    assert short_answer(attempt).is_correct is None


def test_logged_out_visitors_are_sent_to_log_in(client, session):
    response = client.get(url(session))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_unknown_session_is_404(client, trainer):
    client.force_login(trainer)
    assert client.get(reverse("staff:session_marking", args=[999999])).status_code == 404


# --- Marking -------------------------------------------------------------------------------


def test_marking_an_answer_updates_the_score_and_leaves_the_list(client, trainer, session, attempt):
    client.force_login(trainer)
    answer = short_answer(attempt)
    response = client.post(url(session), {"answer": answer.pk, "verdict": "incorrect"})
    assert response.status_code == 302
    answer.refresh_from_db()
    attempt.refresh_from_db()
    assert (answer.is_correct, answer.marked_by) == (False, trainer)
    assert str(attempt.score_percent) == "75.00"
    assert "Refer the child to child protection" not in client.get(url(session)).content.decode()


def test_a_refused_htmx_mark_answers_400(client, trainer, session, attempt):
    client.force_login(trainer)
    response = client.post(
        url(session),
        {"answer": short_answer(attempt).pk, "verdict": "maybe"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert short_answer(attempt).is_correct is None


def test_htmx_marking_returns_the_marked_row(client, trainer, session, attempt):
    client.force_login(trainer)
    answer = short_answer(attempt)
    response = client.post(
        url(session), {"answer": answer.pk, "verdict": "correct"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert f'id="answer-{answer.pk}"' in response.content.decode()
    answer.refresh_from_db()
    assert answer.is_correct is True


def test_a_choice_answer_cannot_be_marked_here(client, trainer, session, attempt):
    client.force_login(trainer)
    choice = attempt.answers.get(question__kind=QuestionKind.SINGLE_CHOICE)
    response = client.post(url(session), {"answer": choice.pk, "verdict": "incorrect"}, follow=True)
    assert "Choose an answer and whether it is correct." in response.content.decode()
    choice.refresh_from_db()
    assert choice.is_correct is True


def test_an_answer_of_another_session_cannot_be_marked_here(client, trainer, session, attempt):
    other = answers_session(trainers=[trainer], code="other-course", title="Other session")
    elsewhere = sit_pre_test(other, "Karim Alaoui", "Something")
    client.force_login(trainer)
    response = client.post(
        url(session), {"answer": short_answer(elsewhere).pk, "verdict": "correct"}, follow=True
    )
    assert "Choose an answer and whether it is correct." in response.content.decode()
    assert TestAnswer.objects.get(pk=short_answer(elsewhere).pk).is_correct is None


def test_a_bad_verdict_is_refused(client, trainer, session, attempt):
    client.force_login(trainer)
    response = client.post(
        url(session), {"answer": short_answer(attempt).pk, "verdict": "maybe"}, follow=True
    )
    assert "Choose an answer and whether it is correct." in response.content.decode()
    assert short_answer(attempt).is_correct is None


# --- Queries -------------------------------------------------------------------------------


def queries_for(client, session) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(session)).status_code == 200
    return len(captured)


def test_the_page_reads_a_fixed_number_of_queries(client, trainer, session, attempt):
    client.force_login(trainer)
    one = queries_for(client, session)
    sit_pre_test(session, "Second officer", "Another answer")
    sit_pre_test(session, "Third officer", "A third answer")
    assert queries_for(client, session) == one
