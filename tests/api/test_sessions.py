"""The sessions API: sessions with their slots and counts for every member, the roster and
participants only for those who may see them, nominations and decisions through the
services, refusals in the API's error shape."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.training.enums import EnrolmentStatus, SessionStatus
from mizan.training.models import Enrolment, Participant, TrainingSession
from mizan.training.services import sessions as services
from tests.api.assertions import assert_error_shape
from tests.factories import InstitutionFactory
from tests.training import builders

pytestmark = pytest.mark.django_db

NAME = "Samira Bennani"
SESSIONS = "/api/v1/sessions/"


@pytest.fixture
def manager():
    return builders.organiser()


@pytest.fixture
def stranger():
    """A coordinator of customs: a member who organises nothing."""
    return builders.outsider()


@pytest.fixture
def session(manager):
    session = builders.make_session(manager, status=SessionStatus.OPEN)
    person = builders.make_participant(manager, service_number="778899")
    services.enrol(session=session, participant=person, by=manager)
    return session


@pytest.fixture
def person(session):
    return Participant.objects.get(name_latin=NAME)


def nominated(session, by, name="Youssef Tazi"):
    person = builders.make_participant(by, name_latin=name, name_arabic="", sex="male")
    return services.nominate(
        session=session, participant=person, institution=builders.police(), by=by
    )


def new_session(session, **changes):
    data = {
        "action": session.action_id,
        "version": session.version_id,
        "title": "Tangier, second session",
        "starts_on": "2026-04-06",
        "ends_on": "2026-04-08",
        "city": "Tangier",
        "organisers": ["police"],
        "capacity": 30,
        "language": "fr",
    }
    data.update(changes)
    return data


# --- Sessions ---------------------------------------------------------------------------------


def test_a_member_reads_sessions_without_any_name(as_user, stranger, session):
    response = as_user(stranger).get(SESSIONS)
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["title"] == session.title
    assert row["approved_count"] == 1
    assert NAME not in response.content.decode()
    assert "778899" not in response.content.decode()


def test_an_account_without_membership_is_refused(as_user, outsider, session):
    assert_error_shape(as_user(outsider).get(SESSIONS), 403)


def test_a_visitor_must_authenticate(api, session):
    assert_error_shape(api.get(SESSIONS), 401)


def test_a_session_shows_its_half_days_without_check_in_codes(as_user, stranger, session):
    response = as_user(stranger).get(f"{SESSIONS}{session.pk}/")
    slots = response.json()["slots"]
    assert [(s["date"], s["part"]) for s in slots[:2]] == [
        ("2026-03-02", "am"),
        ("2026-03-02", "pm"),
    ]
    assert session.slots.first().check_in_code not in response.content.decode()


def test_the_list_filters_by_status(as_user, manager, session):
    builders.make_session(manager, version=session.version, title="Still planned")
    response = as_user(manager).get(SESSIONS, {"status": "planned"})
    assert [row["title"] for row in response.json()["results"]] == ["Still planned"]


def test_an_unknown_status_is_refused_not_ignored(as_user, manager, session):
    error = assert_error_shape(as_user(manager).get(SESSIONS, {"status": "someday"}), 400)
    assert "status" in error["fields"]


def test_the_list_takes_as_many_queries_for_three_sessions_as_for_one(as_user, manager, session):
    client = as_user(manager)
    client.get(SESSIONS)
    with CaptureQueriesContext(connection) as one:
        client.get(SESSIONS)
    for n in range(2):
        other = builders.make_session(
            manager,
            version=session.version,
            title=f"Other {n}",
            trainers=[builders.make_trainer(f"trainer{n}")],
        )
        builders.enrol_people(other, 2, manager)
    with CaptureQueriesContext(connection) as three:
        response = client.get(SESSIONS)
    assert response.json()["count"] == 3
    assert len(three) == len(one)


def test_a_focal_point_plans_a_session(as_user, manager, session):
    response = as_user(manager).post(SESSIONS, new_session(session), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["slots"]) == 6
    assert body["status"] == "planned"
    assert TrainingSession.objects.get(pk=body["id"]).created_by == manager


def test_a_viewer_cannot_plan_a_session(as_user, viewer, session):
    response = as_user(viewer).post(SESSIONS, new_session(session), format="json")
    assert_error_shape(response, 403)


def test_a_bad_date_comes_back_under_its_field(as_user, manager, session):
    data = new_session(session, ends_on="2026-04-01")
    error = assert_error_shape(as_user(manager).post(SESSIONS, data, format="json"), 400)
    assert list(error["fields"]) == ["ends_on"]


def test_organising_for_another_institution_is_forbidden(as_user, manager, session):
    InstitutionFactory(code="customs")
    data = new_session(session, organisers=["customs"])
    error = assert_error_shape(as_user(manager).post(SESSIONS, data, format="json"), 403)
    assert "organisers" in error["fields"]


def test_the_organiser_changes_the_session(as_user, manager, session):
    url = f"{SESSIONS}{session.pk}/"
    response = as_user(manager).patch(url, {"capacity": 30}, format="json")
    assert response.status_code == 200
    assert response.json()["capacity"] == 30


def test_a_member_outside_cannot_change_the_session(as_user, stranger, session):
    url = f"{SESSIONS}{session.pk}/"
    assert_error_shape(as_user(stranger).patch(url, {"capacity": 30}, format="json"), 403)


def test_the_status_moves_along(as_user, manager, session):
    url = f"{SESSIONS}{session.pk}/status/"
    response = as_user(manager).post(url, {"status": "running"}, format="json")
    assert response.json()["status"] == "running"


def test_cancelling_needs_a_reason(as_user, manager, session):
    url = f"{SESSIONS}{session.pk}/status/"
    error = assert_error_shape(
        as_user(manager).post(url, {"status": "cancelled"}, format="json"), 400
    )
    assert "reason" in error["fields"]


# --- Roster and nominations -------------------------------------------------------------


def test_the_organiser_reads_the_roster(as_user, manager, session):
    response = as_user(manager).get(f"{SESSIONS}{session.pk}/enrolments/")
    assert [row["participant"]["name_latin"] for row in response.json()["results"]] == [NAME]


def test_the_roster_is_refused_to_a_member_outside(as_user, stranger, session):
    assert_error_shape(as_user(stranger).get(f"{SESSIONS}{session.pk}/enrolments/"), 403)


def test_the_roster_of_no_session_is_not_found(as_user, manager, session):
    assert_error_shape(as_user(manager).get(f"{SESSIONS}999999/enrolments/"), 404)


def test_a_focal_point_nominates_a_new_officer(as_user, manager, session):
    body = {"institution": "police", "participant": {"name_latin": "Youssef Tazi", "sex": "male"}}
    response = as_user(manager).post(f"{SESSIONS}{session.pk}/enrolments/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "nominated"
    assert response.json()["participant"]["institution"] == "police"


def test_nominating_for_an_institution_one_does_not_act_for_is_refused(as_user, stranger, session):
    body = {"institution": "police", "participant": {"name_latin": "Youssef Tazi", "sex": "male"}}
    response = as_user(stranger).post(f"{SESSIONS}{session.pk}/enrolments/", body, format="json")
    error = assert_error_shape(response, 400)
    assert "institution" in error["fields"]
    assert not Participant.objects.filter(name_latin="Youssef Tazi").exists()


def test_a_planned_session_takes_no_nomination(as_user, manager):
    session = builders.make_session(manager)
    body = {"institution": "police", "participant": {"name_latin": "Youssef Tazi", "sex": "male"}}
    response = as_user(manager).post(f"{SESSIONS}{session.pk}/enrolments/", body, format="json")
    assert assert_error_shape(response, 400)["code"] == "not_open"


def test_a_nominator_sees_only_their_own_nominations(as_user, stranger, session):
    InstitutionFactory(code="customs")
    body = {"institution": "customs", "participant": {"name_latin": "Omar Fassi", "sex": "male"}}
    client = as_user(stranger)
    assert (
        client.post(f"{SESSIONS}{session.pk}/enrolments/", body, format="json").status_code == 201
    )
    response = client.get("/api/v1/enrolments/", {"session": session.pk})
    assert [row["participant"]["name_latin"] for row in response.json()["results"]] == [
        "Omar Fassi"
    ]
    assert NAME not in response.content.decode()


def test_the_organiser_approves_a_nomination(as_user, manager, session):
    enrolment = nominated(session, manager)
    url = f"/api/v1/enrolments/{enrolment.pk}/decide/"
    response = as_user(manager).post(url, {"approve": True}, format="json")
    assert response.json()["status"] == "approved"


def test_declining_needs_a_note(as_user, manager, session):
    enrolment = nominated(session, manager)
    url = f"/api/v1/enrolments/{enrolment.pk}/decide/"
    error = assert_error_shape(as_user(manager).post(url, {"approve": False}, format="json"), 400)
    assert "note" in error["fields"]


def test_a_full_session_refuses_an_approval(as_user, manager):
    session = builders.make_session(manager, capacity=1, status=SessionStatus.OPEN)
    builders.enrol_people(session, 1, manager)
    enrolment = nominated(session, manager)
    url = f"/api/v1/enrolments/{enrolment.pk}/decide/"
    response = as_user(manager).post(url, {"approve": True}, format="json")
    assert assert_error_shape(response, 400)["code"] == "full"


def test_a_nominator_cannot_decide_their_own_nomination(as_user, stranger, session):
    InstitutionFactory(code="customs")
    body = {"institution": "customs", "participant": {"name_latin": "Omar Fassi", "sex": "male"}}
    client = as_user(stranger)
    created = client.post(f"{SESSIONS}{session.pk}/enrolments/", body, format="json").json()
    response = client.post(f"/api/v1/enrolments/{created['id']}/decide/", {"approve": True})
    assert_error_shape(response, 403)
    assert Enrolment.objects.get(pk=created["id"]).status == EnrolmentStatus.NOMINATED


def test_an_enrolment_one_may_not_see_is_not_found(as_user, stranger, session, person):
    enrolment = Enrolment.objects.get(participant=person)
    url = f"/api/v1/enrolments/{enrolment.pk}/withdraw/"
    assert_error_shape(as_user(stranger).post(url, {"reason": "x"}, format="json"), 404)


def test_the_organiser_withdraws_a_participant(as_user, manager, session, person):
    enrolment = Enrolment.objects.get(participant=person)
    url = f"/api/v1/enrolments/{enrolment.pk}/withdraw/"
    response = as_user(manager).post(url, {"reason": "Posted abroad"}, format="json")
    assert response.json()["status"] == "withdrawn"


# --- Participants -----------------------------------------------------------------------------


def test_the_organiser_reads_participants(as_user, manager, session):
    response = as_user(manager).get("/api/v1/participants/")
    assert [row["name_latin"] for row in response.json()["results"]] == [NAME]


def test_a_member_outside_sees_no_participant(as_user, stranger, session, person):
    client = as_user(stranger)
    assert client.get("/api/v1/participants/").json()["results"] == []
    assert_error_shape(client.get(f"/api/v1/participants/{person.pk}/"), 404)


def test_participants_filter_by_session(as_user, manager, session):
    other = builders.make_session(manager, version=session.version, title="Other")
    builders.enrol_people(other, 1, manager)
    response = as_user(manager).get("/api/v1/participants/", {"session": session.pk})
    assert json.dumps(response.json()).count("name_latin") == 1
    assert response.json()["results"][0]["name_latin"] == NAME
