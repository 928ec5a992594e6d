"""Review of the training API: who may read the people of a session, and bad input that
used to end in a server error.

The people of a session (names, service numbers, attendance, certificates, who gave a
cascade session) are read only by staff of its organising institutions and its trainers:
a member of another institution, a viewer elsewhere, the trainer of another session and
an anonymous caller get a refusal or nothing. Ids beyond any database id, and audiences
beyond belief, are refused with the API's error shape rather than a 500.
"""

from __future__ import annotations

import pytest

from mizan.accounts.enums import Role
from mizan.training.models import CascadeSession
from mizan.training.services import sessions as session_services
from mizan.training.services.certificates import issue_certificates
from tests.api.assertions import assert_error_shape
from tests.factories import InstitutionFactory, user_with_role
from tests.training import builders
from tests.training.attendance_builders import make_course
from tests.training.cascade_builders import give_cascade
from tests.training.certificate_builders import complete, finish, small_version

pytestmark = pytest.mark.django_db

NAME = "Samira Bennani"
SERVICE_NUMBER = "SN-778899"
BEYOND_ANY_ID = 10**20


@pytest.fixture
def course():
    """A running session of the police and the NHRI, with a trainer of the police."""
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


OTHERS = {
    "outsider": _outsider,
    "viewer": _viewer,
    "trainer of another session": _trainer_of_another_session,
    "anonymous": lambda: None,
}


def _roster_urls(enrolment) -> list[str]:
    session = enrolment.session
    slot = session.slots.order_by("date", "part").first()
    return [
        f"/api/v1/sessions/{session.pk}/enrolments/",
        f"/api/v1/enrolments/{enrolment.pk}/",
        f"/api/v1/participants/{enrolment.participant_id}/",
        f"/api/v1/sessions/{session.pk}/attendance/",
        f"/api/v1/slots/{slot.pk}/attendance/",
        f"/api/v1/certificates/?session={session.pk}",
        f"/api/v1/certificates/{enrolment.certificate.pk}/",
    ]


def _assert_no_one_named(response) -> None:
    text = response.content.decode()
    assert NAME not in text and SERVICE_NUMBER not in text


@pytest.mark.parametrize("who", OTHERS)
def test_others_are_refused_the_roster_endpoints(as_user, samira, who):
    client = as_user(OTHERS[who]())
    for url in _roster_urls(samira):
        response = client.get(url)
        assert response.status_code in (401, 403, 404), url
        _assert_no_one_named(response)


@pytest.mark.parametrize("who", OTHERS)
def test_others_find_no_one_through_the_list_filters(as_user, samira, who):
    client = as_user(OTHERS[who]())
    session = samira.session.pk
    for endpoint in ("enrolments", "participants"):
        url = f"/api/v1/{endpoint}/?session={session}"
        response = client.get(url)
        if response.status_code == 200:
            assert response.json()["results"] == [], url
        else:
            assert response.status_code in (401, 403), url
        _assert_no_one_named(response)


@pytest.mark.parametrize("who", ["outsider", "viewer", "trainer of another session"])
def test_others_read_counts_not_names_of_the_session_and_its_cascades(as_user, samira, who):
    client = as_user(OTHERS[who]())
    session = samira.session.pk
    detail = client.get(f"/api/v1/sessions/{session}/")
    cascades = client.get("/api/v1/cascades/", {"session": session})

    assert detail.status_code == 200 and detail.json()["approved_count"] == 3
    assert cascades.status_code == 200
    [cascade] = cascades.json()["results"]
    assert cascade["reported_by"] is None and cascade["notes"] is None
    _assert_no_one_named(detail)
    _assert_no_one_named(cascades)


def test_the_trainer_of_the_session_reads_the_roster(as_user, samira):
    trainer = samira.session.trainers.get()
    response = as_user(trainer).get(f"/api/v1/sessions/{samira.session_id}/enrolments/")
    assert response.status_code == 200
    assert NAME in response.content.decode()


# --- Bad input ------------------------------------------------------------------------------


def test_a_half_day_record_naming_an_enrolment_beyond_any_id_is_refused(as_user, course):
    slot = course.morning
    response = as_user(course.organiser).post(
        f"/api/v1/slots/{slot.pk}/attendance/",
        {"records": [{"enrolment": BEYOND_ANY_ID, "status": "present"}]},
        format="json",
    )
    error = assert_error_shape(response, 400)
    assert "records" in error["fields"]


def _cascade_body(course, **changes):
    enrolment = course.enrolments[0]
    return {
        "source_session": course.session.pk,
        "reporter": enrolment.participant_id,
        "held_on": "2026-03-10",
        "place": "Nador",
        "audience": [{"institution": None, "women": 3, "men": 4}],
        **changes,
    }


def test_a_cascade_naming_a_module_beyond_any_id_is_refused(as_user, course):
    body = _cascade_body(course, modules=[BEYOND_ANY_ID])
    response = as_user(course.organiser).post("/api/v1/cascades/", body, format="json")
    error = assert_error_shape(response, 400)
    assert "modules" in error["fields"]
    assert not CascadeSession.objects.exists()


@pytest.mark.parametrize("women", [BEYOND_ANY_ID, 3_000_000_000, 200_000])
def test_a_cascade_audience_beyond_belief_is_refused(as_user, course, women):
    body = _cascade_body(course, audience=[{"institution": None, "women": women, "men": 1}])
    response = as_user(course.organiser).post("/api/v1/cascades/", body, format="json")
    error = assert_error_shape(response, 400)
    assert "audience" in error["fields"]
    assert not CascadeSession.objects.exists()
