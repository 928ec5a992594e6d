"""The participant's phone pages behind a personal link: bad links, headers, languages,
and each page read and answered as a participant would."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from mizan.training.enums import EvaluationKind, PlanKept, QuestionKind, TestStage
from mizan.training.models import (
    ActionPlan,
    CascadeSession,
    Certificate,
    Evaluation,
    FollowUpResponse,
    TestAttempt,
)
from mizan.training.services import answers as services
from mizan.training.services import sessions as session_services
from mizan.training.services.cascades import AudienceCount, report_cascade
from tests.training.answers_builders import (
    all_right,
    answers_session,
    enrol_person,
    questions_of,
    right_choices,
    wrong_choices,
)
from tests.training.builders import make_participant, police

pytestmark = pytest.mark.django_db

SCORES = dict.fromkeys(Evaluation.SCORES, "4")


def today() -> datetime.date:
    return timezone.localdate()


def session_from(offset: int, days: int = 3, language: str = "en", **fields):
    """A session whose first day is ``offset`` days from today, in English unless said."""
    return answers_session(
        starts_on=today() + datetime.timedelta(days=offset), days=days, language=language, **fields
    )


def link_of(enrolment):
    return session_services.issue_personal_link(enrolment=enrolment)


def page(link, name="home", *args):
    return reverse(f"participant:{name}", args=[link.token, *args])


@pytest.fixture
def first_day():
    """A participant's link on the first day of a three-day session."""
    return link_of(enrol_person(session_from(0)))


@pytest.fixture
def finished():
    """A participant's link the day after a three-day session ended."""
    return link_of(enrol_person(session_from(-3)))


def text(response) -> str:
    return response.content.decode()


# --- Links that do not work ----------------------------------------------------------------


def test_unknown_expired_and_revoked_links_get_the_same_404(client, first_day):
    enrolment = first_day.enrolment
    expired = session_services.issue_personal_link(
        participant=enrolment.participant, expires_at=timezone.now() - datetime.timedelta(1)
    )
    revoked = link_of(enrolment)
    session_services.revoke_personal_link(link=revoked)
    pages = [
        client.get("/p/no-such-token-at-all/"),
        client.get(f"/p/{expired.token}/"),
        client.get(f"/p/{revoked.token}/"),
    ]
    assert [r.status_code for r in pages] == [404, 404, 404]
    assert text(pages[0]) == text(pages[1]) == text(pages[2])
    assert "This link does not work" in text(pages[0])


def test_every_page_of_a_bad_link_is_404(client):
    for path in ("test/pre/", "evaluation/daily/1/", "action-plan/", "follow-up/", "cascade/"):
        assert client.get(f"/p/not-a-token/{path}").status_code == 404


def test_a_withdrawn_participants_link_stops_working(client, first_day):
    session_services.withdraw(enrolment=first_day.enrolment, reason="Transferred")
    assert client.get(page(first_day)).status_code == 404


def test_pages_are_not_cached_and_send_no_referrer(client, first_day):
    for response in (client.get(page(first_day)), client.get("/p/no-such-token/")):
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "same-origin"


# --- Home ----------------------------------------------------------------------------------


def test_home_lists_what_is_open_on_the_first_day(client, first_day):
    response = client.get(page(first_day))
    assert response.status_code == 200
    body = text(response)
    assert page(first_day, "test", "pre") in body
    assert page(first_day, "evaluation", "daily", 1) in body
    assert page(first_day, "action_plan") in body
    assert page(first_day, "test", "post") not in body
    assert page(first_day, "cascade") not in body
    assert "Who sees your answers" in body


def test_home_marks_what_is_done(client, first_day):
    session = first_day.enrolment.session
    services.submit_test(
        enrolment=first_day.enrolment,
        stage=TestStage.PRE,
        answers=all_right(session, TestStage.PRE),
    )
    body = text(client.get(page(first_day)))
    pre_test = body.split(page(first_day, "test", "pre"))[1].split("</li>")[0]
    assert "Done" in pre_test
    evaluation = body.split(page(first_day, "evaluation", "daily", 1))[1].split("</li>")[0]
    assert "To do" in evaluation


def test_home_after_the_course_offers_post_test_final_evaluation_and_cascade(client, finished):
    body = text(client.get(page(finished)))
    assert page(finished, "test", "post") in body
    assert page(finished, "evaluation", "final", 0) in body
    assert page(finished, "cascade") in body
    assert page(finished, "test", "pre") not in body


def test_home_links_to_the_certificate_once_issued(client, finished):
    assert "/certificate/" not in text(client.get(page(finished)))
    certificate = Certificate.objects.create(
        enrolment=finished.enrolment, holder_name_latin=finished.participant.name_latin
    )
    assert f"{page(finished)}certificate/?lang=en" in text(client.get(page(finished)))
    certificate.revoked_at = timezone.now()
    certificate.save()
    assert "/certificate/" not in text(client.get(page(finished)))


def test_home_remembers_the_link_on_the_phone(client, first_day):
    response = client.get(page(first_day))
    assert "mizan_participant" in response.cookies


# --- Languages -----------------------------------------------------------------------------


def test_arabic_session_pages_are_right_to_left(client):
    link = link_of(enrol_person(session_from(0, language="ar")))
    body = text(client.get(page(link)))
    assert 'lang="ar" dir="rtl"' in body


def test_the_participant_may_pick_another_language_and_it_sticks(client):
    link = link_of(enrol_person(session_from(0, language="ar")))
    response = client.get(page(link) + "?lang=fr")
    assert 'lang="fr" dir="ltr"' in text(response)
    assert response.cookies["mizan_participant_language"].value == "fr"
    assert 'lang="fr" dir="ltr"' in text(client.get(page(link, "action_plan")))


def test_the_header_offers_the_three_languages(client, first_day):
    body = text(client.get(page(first_day)))
    for code in ("ar", "fr", "en"):
        assert f'href="?lang={code}"' in body


def test_form_errors_come_in_the_page_language(client):
    link = link_of(enrol_person(session_from(0, language="fr")))
    response = client.post(page(link, "action_plan"), {"colleagues_to_brief": "2"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in text(response)


# --- Tests ---------------------------------------------------------------------------------


def form_data(answers):
    return {f"question_{pk}": value for pk, value in answers.items()}


def test_test_page_shows_the_questions_in_order_with_their_inputs(client, first_day):
    session = first_day.enrolment.session
    response = client.get(page(first_day, "test", "pre"))
    body = text(response)
    questions = questions_of(session, TestStage.PRE)
    positions = [body.index(q.prompt) for q in questions.values()]
    assert positions == sorted(positions)
    assert 'type="radio"' in body and 'type="checkbox"' in body and "<textarea" in body
    single = questions[QuestionKind.SINGLE_CHOICE]
    assert f'name="question_{single.pk}"' in body


def test_submitting_the_pre_test_shows_the_score_without_the_right_answers(client, first_day):
    session = first_day.enrolment.session
    answers = all_right(session, TestStage.PRE)
    single = questions_of(session, TestStage.PRE)[QuestionKind.SINGLE_CHOICE]
    answers[single.pk] = wrong_choices(single)
    response = client.post(page(first_day, "test", "pre"), form_data(answers))
    assert response.status_code == 302
    attempt = TestAttempt.objects.get(enrolment=first_day.enrolment, stage=TestStage.PRE)
    assert attempt.submitted_at is not None
    body = text(client.get(page(first_day, "test", "pre")))
    assert "67%" in body
    assert "Your answers" not in body
    assert 'name="question_' not in body


def test_a_missing_answer_is_shown_next_to_its_question(client, first_day):
    session = first_day.enrolment.session
    answers = all_right(session, TestStage.PRE)
    short = questions_of(session, TestStage.PRE)[QuestionKind.SHORT_ANSWER]
    del answers[short.pk]
    response = client.post(page(first_day, "test", "pre"), form_data(answers))
    assert response.status_code == 400
    body = text(response)
    assert f'id="id_question_{short.pk}_error"' in body
    assert "This field is required." in body
    assert not TestAttempt.objects.filter(submitted_at__isnull=False).exists()


def test_a_second_submission_changes_nothing(client, first_day):
    session = first_day.enrolment.session
    client.post(page(first_day, "test", "pre"), form_data(all_right(session, TestStage.PRE)))
    single = questions_of(session, TestStage.PRE)[QuestionKind.SINGLE_CHOICE]
    wrong = {**all_right(session, TestStage.PRE), single.pk: wrong_choices(single)}
    response = client.post(page(first_day, "test", "pre"), form_data(wrong))
    assert response.status_code == 302
    attempt = TestAttempt.objects.get(enrolment=first_day.enrolment, stage=TestStage.PRE)
    assert attempt.answers.get(question=single).chosen == right_choices(single)


def test_post_test_result_says_which_answers_were_right(client, finished):
    session = finished.enrolment.session
    questions = questions_of(session, TestStage.POST)
    answers = all_right(session, TestStage.POST)
    answers[questions[QuestionKind.TRUE_FALSE].pk] = wrong_choices(
        questions[QuestionKind.TRUE_FALSE]
    )
    client.post(page(finished, "test", "post"), form_data(answers))
    body = text(client.get(page(finished, "test", "post")))
    assert "Your answers" in body
    assert body.count("result-right") == 2
    assert body.count("result-wrong") == 1
    assert body.count("result-waiting") == 1


def test_a_test_that_is_not_open_says_so(client, first_day):
    response = client.get(page(first_day, "test", "post"))
    assert response.status_code == 200
    assert "This test is not open yet." in text(response)
    assert not TestAttempt.objects.exists()


def test_an_unknown_test_is_404(client, first_day):
    assert client.get(page(first_day, "test", "mid")).status_code == 404


# --- Evaluations ---------------------------------------------------------------------------


def test_evaluation_page_asks_the_six_scores_and_is_anonymous_by_default(client, first_day):
    body = text(client.get(page(first_day, "evaluation", "daily", 1)))
    for label in ("Relevance to my work", "Teaching methods", "Organisation", "Overall"):
        assert label in body
    checkbox = re.search(r'<input[^>]*name="anonymous"[^>]*>', body)
    assert checkbox is not None and "checked" in checkbox.group(0)


def test_posting_an_evaluation_stores_it_without_the_enrolment(client, first_day):
    response = client.post(
        page(first_day, "evaluation", "daily", 1), {**SCORES, "anonymous": "on", "comment": "Ok"}
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.enrolment, evaluation.day, evaluation.comment) == (None, 1, "Ok")
    again = text(client.get(page(first_day, "evaluation", "daily", 1)))
    assert "You have already given this evaluation." in again


def test_an_account_signed_in_on_the_same_browser_is_not_recorded_on_an_evaluation(
    client, first_day, coordinator
):
    """The personal link acts, not a staff account signed in on the same phone: the
    audit trail of an anonymous evaluation names no one."""
    client.force_login(coordinator)
    client.post(page(first_day, "evaluation", "daily", 1), {**SCORES, "anonymous": "on"})
    evaluation = Evaluation.objects.get()
    assert evaluation.enrolment is None
    assert [row.history_user for row in evaluation.history.all()] == [None]


def test_an_evaluation_may_be_given_by_name(client, first_day):
    client.post(page(first_day, "evaluation", "daily", 1), SCORES)
    assert Evaluation.objects.get().enrolment == first_day.enrolment


def test_an_evaluation_without_scores_shows_errors(client, first_day):
    response = client.post(page(first_day, "evaluation", "daily", 1), {"anonymous": "on"})
    assert response.status_code == 400
    assert 'id="id_overall_error"' in text(response)
    assert not Evaluation.objects.exists()


def test_a_later_day_is_not_open_yet(client, first_day):
    response = client.get(page(first_day, "evaluation", "daily", 2))
    assert "This evaluation opens on" in text(response)
    client.post(page(first_day, "evaluation", "daily", 2), SCORES)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(("kind", "day"), [("daily", 4), ("daily", 0), ("final", 1), ("weekly", 1)])
def test_an_evaluation_that_does_not_exist_is_404(client, first_day, kind, day):
    assert client.get(page(first_day, "evaluation", kind, day)).status_code == 404


def test_the_final_evaluation_after_the_course(client, finished):
    client.post(page(finished, "evaluation", "final", 0), {**SCORES, "anonymous": "on"})
    assert Evaluation.objects.get().kind == EvaluationKind.FINAL


# --- Action plan ---------------------------------------------------------------------------


def test_action_plan_is_written_then_changed(client, first_day):
    url = page(first_day, "action_plan")
    assert 'name="commitments"' in text(client.get(url))
    client.post(url, {"commitments": "Brief my unit", "colleagues_to_brief": "10"})
    response = client.post(
        url,
        {
            "commitments": "Brief two units",
            "colleagues_to_brief": "25",
            "by_date": (today() + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    plan = ActionPlan.objects.get()
    assert (plan.commitments, plan.colleagues_to_brief) == ("Brief two units", 25)
    assert "Brief two units" in text(client.get(url))


def test_action_plan_refused_by_the_service_shows_the_reason_next_to_the_field(client, first_day):
    response = client.post(
        page(first_day, "action_plan"),
        {
            "commitments": "Brief my unit",
            "colleagues_to_brief": "3",
            "by_date": (today() - datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert 'id="id_by_date_error"' in text(response)
    assert not ActionPlan.objects.exists()


# --- Follow-up survey ----------------------------------------------------------------------


def test_follow_up_survey_in_its_window(client):
    link = link_of(enrol_person(session_from(-102)))
    url = page(link, "follow_up")
    assert page(link, "follow_up") in text(client.get(page(link)))
    assert 'name="used_at_work"' in text(client.get(url))
    response = client.post(
        url,
        {
            "used_at_work": "5",
            "plan_kept": PlanKept.YES,
            "colleagues_briefed": "9",
            "situations": "At the port",
            "obstacles": "",
        },
    )
    assert response.status_code == 302
    stored = FollowUpResponse.objects.get()
    assert stored.pseudonym == link.participant.pseudonym
    assert "You have answered the follow-up survey." in text(client.get(url))


def test_follow_up_survey_before_its_window_says_when_it_opens(client, first_day):
    response = client.get(page(first_day, "follow_up"))
    assert "The follow-up survey is open from" in text(response)
    assert 'name="used_at_work"' not in text(response)


# --- Cascade reports -----------------------------------------------------------------------


def cascade_data(**changes):
    data = {
        "held_on": (today() - datetime.timedelta(days=1)).isoformat(),
        "place": "Nador police school",
        "institution_1": str(police().pk),
        "women_1": "3",
        "men_1": "5",
        "institution_2": "other",
        "women_2": "1",
        "men_2": "",
        "notes": "Two hours",
    }
    data.update(changes)
    return data


def test_reporting_a_cascade_after_the_course(client, finished):
    session = finished.enrolment.session
    module = session.version.modules.get()
    url = page(finished, "cascade")
    assert module.title in text(client.get(url))
    response = client.post(url, {**cascade_data(), "modules": [str(module.pk)]})
    assert response.status_code == 302
    cascade = CascadeSession.objects.get()
    assert cascade.source_session == session
    assert cascade.reported_by == finished.participant
    assert list(cascade.modules.all()) == [module]
    rows = {(row.institution_id, row.women, row.men) for row in cascade.audience.all()}
    assert rows == {(police().pk, 3, 5), (None, 1, 0)}
    assert "Nador police school" in text(client.get(url))


def test_a_count_without_institution_is_shown_next_to_it(client, finished):
    response = client.post(page(finished, "cascade"), cascade_data(institution_1=""))
    assert response.status_code == 400
    assert 'id="id_institution_1_error"' in text(response)
    assert not CascadeSession.objects.exists()


def test_a_cascade_with_no_one_is_refused_next_to_the_counts(client, finished):
    empty = {"women_1": "", "men_1": "", "women_2": "", "institution_2": ""}
    response = client.post(page(finished, "cascade"), cascade_data(**empty))
    assert response.status_code == 400
    assert 'id="id_women_1_error"' in text(response)


def test_cascade_reports_open_after_the_course(client, first_day):
    assert 'name="place"' not in text(client.get(page(first_day, "cascade")))
    assert client.post(page(first_day, "cascade"), cascade_data()).status_code == 400
    assert not CascadeSession.objects.exists()


@pytest.fixture
def relay(finished):
    """The link of a person trained in a cascade session, who reports their own."""
    cascade = report_cascade(
        reporter=finished.participant,
        held_on=today() - datetime.timedelta(days=1),
        place="Oujda",
        audience=[AudienceCount(institution=None, women=2, men=2)],
    )
    person = make_participant(name_latin="Relay trainer", name_arabic="")
    person.trained_in_cascade = cascade
    person.save()
    return session_services.issue_personal_link(participant=person)


def test_a_relay_trainers_link_shows_only_the_cascade_report(client, relay):
    body = text(client.get(page(relay)))
    assert page(relay, "cascade") in body
    assert "/test/" not in body and "/evaluation/" not in body and "/action-plan/" not in body
    for name, args in (("test", ["pre"]), ("action_plan", []), ("follow_up", [])):
        assert client.get(page(relay, name, *args)).status_code == 404
    assert client.get(page(relay, "evaluation", "final", 0)).status_code == 404


def test_a_relay_trainer_reports_the_next_generation(client, relay):
    response = client.post(page(relay, "cascade"), cascade_data())
    assert response.status_code == 302
    cascade = CascadeSession.objects.get(reported_by=relay.participant)
    assert cascade.generation == 2
