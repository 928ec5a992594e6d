"""Review of the back office's training pages: who reads the people of a session, what a
person's history tells someone who sees them through another session, and an audience
beyond belief on the cascade form.

A member of another institution, a viewer elsewhere and the trainer of another session
get 403 or 404 on every page that shows a session's people, and read its logistics,
history, cascades and results without a name or a service number; a visitor is sent to
log in.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from mizan.accounts.enums import Role
from mizan.training.models import CascadeSession, Participant
from mizan.training.services import sessions as session_services
from mizan.training.services.certificates import issue_certificates
from mizan.training.services.rosters import import_roster
from tests.factories import InstitutionFactory, user_with_role
from tests.training import builders
from tests.training.attendance_builders import make_course
from tests.training.cascade_builders import give_cascade
from tests.training.certificate_builders import complete, finish, small_version
from tests.training.roster_builders import csv_bytes, gendarmerie_session

pytestmark = pytest.mark.django_db

NAME = "Samira Bennani"
SERVICE_NUMBER = "SN-778899"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def course():
    return make_course(2, trainers=[builders.make_trainer("trainer-a")])


@pytest.fixture
def samira(course):
    """An approved participant with a service number, who completed the course, holds a
    certificate and gave a cascade session."""
    person = builders.make_participant(
        course.organiser, name_latin=NAME, service_number=SERVICE_NUMBER
    )
    enrolment = session_services.enrol(
        session=course.session, participant=person, by=course.organiser
    )
    complete(enrolment)
    finish(course.session, course.organiser)
    issue_certificates(session=course.session, by=course.organiser)
    give_cascade(person, by=course.organiser)
    return enrolment


def _outsider():
    return builders.outsider()


def _viewer():
    return user_with_role(Role.VIEWER, InstitutionFactory(code="interior"), username="viewer")


def _trainer_of_another_session():
    academy = InstitutionFactory(code="academy", kind="law_enforcement")
    trainer = user_with_role(Role.TRAINER, academy, username="trainer-b")
    their_organiser = user_with_role(Role.FOCAL_POINT, academy, username="academy-focal")
    builders.make_session(
        their_organiser,
        version=small_version(their_organiser, code="academy-course"),
        title="Academy session",
        organisers=[academy],
        trainers=[trainer],
    )
    return trainer


MEMBERS_ELSEWHERE = {
    "outsider": _outsider,
    "viewer": _viewer,
    "trainer of another session": _trainer_of_another_session,
}


def _people_pages(enrolment) -> list[str]:
    session = enrolment.session.pk
    slot = enrolment.session.slots.order_by("date", "part").first().pk
    person = enrolment.participant_id
    certificate = enrolment.certificate.pk
    return [
        f"/staff/sessions/{session}/links/",
        f"/staff/sessions/{session}/enrol/",
        f"/staff/sessions/{session}/attendance/",
        f"/staff/sessions/{session}/attendance/export.csv",
        f"/staff/sessions/{session}/attendance/export.xlsx",
        f"/staff/slots/{slot}/attendance/",
        f"/staff/slots/{slot}/check-in-code/",
        f"/staff/sessions/{session}/marking/",
        f"/staff/sessions/{session}/certificates/",
        f"/staff/certificates/{certificate}/pdf/en/",
        f"/staff/sessions/{session}/roster/import/",
        f"/staff/participants/{person}/",
        f"/staff/participants/{person}/history/",
        f"/staff/participants/{person}/edit/",
    ]


def _shared_pages(enrolment) -> list[str]:
    session = enrolment.session
    return [
        f"/staff/sessions/{session.pk}/",
        f"/staff/sessions/{session.pk}/history/",
        f"/staff/sessions/{session.pk}/cascades/",
        f"/staff/sessions/{session.pk}/results/",
        f"/staff/sessions/{session.pk}/results/officers-trained.csv",
        f"/staff/actions/{session.action_id}/training/",
    ]


def _names_no_one(response) -> bool:
    text = response.content.decode("utf-8", "replace")
    return NAME not in text and SERVICE_NUMBER not in text


@pytest.mark.parametrize("who", MEMBERS_ELSEWHERE)
def test_members_elsewhere_are_refused_the_pages_of_a_session_s_people(client, samira, who):
    client.force_login(MEMBERS_ELSEWHERE[who]())
    for url in _people_pages(samira):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert _names_no_one(response), url


@pytest.mark.parametrize("who", MEMBERS_ELSEWHERE)
def test_members_elsewhere_read_the_session_without_its_people(client, samira, who):
    client.force_login(MEMBERS_ELSEWHERE[who]())
    for url in _shared_pages(samira):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _names_no_one(response), url


def test_a_visitor_is_sent_to_log_in_from_every_page(client, samira):
    for url in _people_pages(samira) + _shared_pages(samira):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_the_trainer_of_the_session_sees_its_people(client, samira):
    client.force_login(samira.session.trainers.get())
    response = client.get(f"/staff/sessions/{samira.session_id}/")
    assert NAME in response.content.decode()


# --- A person's history, seen through another session ------------------------------------


@pytest.fixture
def imported():
    """Samira came into the police's session with its roster."""
    by = builders.organiser()
    session = builders.make_session(by, version=small_version(by), title="Oujda, police session")
    import_roster(session=session, file=csv_bytes(), by=by)
    return session, by, Participant.objects.get(service_number="P-1001")


def test_her_history_does_not_name_a_session_the_reader_does_not_see(client, imported):
    police_session, _by, samira = imported
    gendarmerie, gendarme = gendarmerie_session(version=small_version(code="gendarmerie"))
    session_services.enrol(session=gendarmerie, participant=samira, by=gendarme)

    client.force_login(gendarme)
    response = client.get(reverse("staff:participant_history", args=[samira.pk]))

    assert response.status_code == 200
    assert police_session.title not in response.content.decode()


def test_her_history_gives_the_reasons_to_who_sees_all_her_enrolments(client, imported):
    police_session, by, samira = imported

    client.force_login(by)
    response = client.get(reverse("staff:participant_history", args=[samira.pk]))

    assert police_session.title in response.content.decode()


# --- The cascade form ---------------------------------------------------------------------


def test_an_audience_beyond_belief_is_refused_on_the_cascade_form(client, course):
    reporter = course.enrolments[0].participant
    client.force_login(course.organiser)
    response = client.post(
        reverse("staff:session_cascade_record", args=[course.session.pk]),
        {
            "cascade-reporter": reporter.pk,
            "cascade-held_on": "2026-03-10",
            "cascade-place": "Nador",
            "audience-TOTAL_FORMS": "1",
            "audience-INITIAL_FORMS": "0",
            "audience-0-women": str(10**20),
            "audience-0-men": "2",
        },
    )
    assert response.status_code == 200
    assert response.context["cascade_form"].non_field_errors()
    assert not CascadeSession.objects.exists()
