"""Checking in for a half-day from a participant's phone by scanning its QR code: who the
phone belongs to, the confirmation step, the messages when it is refused, and the
language of the pages."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mizan.participant.identity import COOKIE, remember_link
from mizan.participant.views.check_in import token_from
from mizan.training.enums import AttendanceMethod, AttendanceStatus
from mizan.training.models import Attendance
from mizan.training.services import attendance as services
from tests.training.attendance_builders import at, link_for, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course(2, title="Oujda, border rights", language="en")


@pytest.fixture
def link(course):
    return link_for(course.enrolments[0])


@pytest.fixture
def clock(monkeypatch):
    """``clock(moment)`` sets what the check-in takes as now."""

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


def remember(client, link) -> Client:
    """The phone opened its owner's personal link: the signed cookie is set."""
    response = HttpResponse()
    remember_link(response, link)
    client.cookies[COOKIE] = response.cookies[COOKIE].value
    return client


def url_of(slot) -> str:
    return reverse("participant:check_in", args=[slot.check_in_code])


def records():
    return list(Attendance.objects.values_list("status", "method"))


# --- Who is checking in ------------------------------------------------------------------


def test_a_phone_without_the_link_is_asked_to_open_it_first(client, course):
    response = client.get(url_of(course.morning))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Open your personal link first" in content
    assert 'name="link"' in content and '<label for="check-in-link">' in content


def test_opening_the_code_only_asks_to_confirm(client, course, link, clock):
    clock(at(course.morning, 9))
    response = remember(client, link).get(url_of(course.morning))
    content = response.content.decode()
    assert "Check me in" in content and 'method="post"' in content
    assert link.participant.name_latin in content
    assert records() == []


def test_confirming_checks_in_and_says_for_what(client, course, link, clock):
    clock(at(course.morning, 9, 5))
    response = remember(client, link).post(url_of(course.morning), follow=True)
    content = response.content.decode()
    assert "You are checked in for" in content
    assert "Oujda, border rights" in content and "Morning" in content
    assert records() == [(AttendanceStatus.PRESENT, AttendanceMethod.QR_CODE)]


def test_checking_in_after_the_first_quarter_hour_says_late(client, course, link, clock):
    clock(at(course.morning, 9, 40))
    response = remember(client, link).post(url_of(course.morning), follow=True)
    assert "recorded as late" in response.content.decode()
    assert records() == [(AttendanceStatus.LATE, AttendanceMethod.QR_CODE)]


def test_the_checked_in_page_sends_back_a_phone_not_checked_in(client, course, link):
    done = reverse("participant:check_in_done", args=[course.morning.check_in_code])
    response = remember(client, link).get(done)
    assert response.status_code == 302
    assert response["Location"] == url_of(course.morning)


def test_pasting_the_personal_link_checks_in_and_remembers_the_phone(client, course, link, clock):
    clock(at(course.morning, 9))
    pasted = f"  https://mizan.example.org/p/{link.token}/  "
    response = client.post(url_of(course.morning), {"link": pasted})
    assert response.status_code == 302
    assert records() == [(AttendanceStatus.PRESENT, AttendanceMethod.QR_CODE)]
    assert response.cookies[COOKIE].value


def test_a_pasted_link_that_does_not_work_is_refused(client, course, clock):
    clock(at(course.morning, 9))
    response = client.post(url_of(course.morning), {"link": "https://example.org/p/nonsense/"})
    assert response.status_code == 400
    assert "This personal link does not work" in response.content.decode()
    assert records() == []


TOKEN = "abcdefghijklmnopqrstuvwxyz012345"


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        (TOKEN, TOKEN),
        (f"https://x.org/p/{TOKEN}/", TOKEN),
        (f"https://x.org/p/{TOKEN}/tests/pre/", TOKEN),
        ("https://x.org/p/check-in/abc/", ""),
        ("not a link", ""),
    ],
)
def test_the_token_is_found_in_what_was_pasted(pasted, expected):
    assert token_from(pasted) == expected


# --- Refusals ------------------------------------------------------------------------------------


def test_an_unknown_code_is_not_found(client, link):
    remember(client, link)
    url = reverse("participant:check_in", args=["no-such-code"])
    assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)


def test_the_code_of_another_session_says_so(client, course, link, clock):
    other = make_course(1, code="other-course", by=course.organiser, language="en")
    clock(at(other.morning, 9))
    remember(client, link)
    shown = client.get(url_of(other.morning)).content.decode()
    posted = client.post(url_of(other.morning)).content.decode()
    assert "another session" in shown and "another session" in posted
    assert records() == []


def test_checking_in_too_early_says_when_it_opens(client, course, link, clock):
    clock(at(course.afternoon, 11, 0))
    response = remember(client, link).post(url_of(course.afternoon))
    content = response.content.decode()
    assert "Check-in not possible" in content and "opens at" in content
    assert records() == []


def test_checking_in_after_the_end_says_it_closed(client, course, link, clock):
    clock(at(course.morning, 13, 0))
    response = remember(client, link).post(url_of(course.morning))
    assert "closed at" in response.content.decode()
    assert records() == []


def test_checking_in_needs_the_csrf_token(course, link, clock):
    clock(at(course.morning, 9))
    client = remember(Client(enforce_csrf_checks=True), link)
    assert client.post(url_of(course.morning)).status_code == 403
    assert records() == []


def test_a_trainers_present_is_not_lowered_by_a_late_scan(client, course, link, clock):
    services.record_attendance(
        enrolment=course.enrolments[0], slot=course.morning, status=AttendanceStatus.PRESENT
    )
    clock(at(course.morning, 10))
    response = remember(client, link).post(url_of(course.morning), follow=True)
    assert "You are checked in for" in response.content.decode()
    assert records() == [(AttendanceStatus.PRESENT, AttendanceMethod.TRAINER)]


# --- Language ------------------------------------------------------------------------------------


def test_the_page_opens_in_the_sessions_language(client):
    course = make_course(1, language="fr")
    content = client.get(url_of(course.morning)).content.decode()
    assert '<html lang="fr" dir="ltr">' in content


def test_a_chosen_language_wins_and_is_remembered(client):
    course = make_course(1, language="fr")
    response = client.get(url_of(course.morning), {"lang": "ar"})
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert response.cookies["mizan_participant_language"].value == "ar"
    again = client.get(url_of(course.morning)).content.decode()
    assert '<html lang="ar"' in again


def test_the_page_offers_the_other_languages(client, course):
    content = client.get(url_of(course.morning)).content.decode()
    assert "?lang=fr" in content and "?lang=en" in content
