"""The attendance endpoints: a session's and a half-day's records (for those who see the
roster), recording one or a whole half-day (for its managers and trainers), refusals in
the API's one error shape."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.accounts.enums import Role
from mizan.training.enums import AttendanceMethod, AttendanceStatus
from mizan.training.models import Attendance
from mizan.training.services import attendance as services
from tests.api.assertions import assert_error_shape
from tests.factories import user_with_role
from tests.training.attendance_builders import make_course
from tests.training.builders import make_trainer, police
from tests.training.builders import outsider as coordinator_elsewhere

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(db):
    return make_trainer("session-trainer")


@pytest.fixture
def course(trainer):
    return make_course(3, trainers=[trainer])


@pytest.fixture
def police_viewer(course):
    """Staff of an organising institution who does not manage the session: sees its
    roster, records nothing."""
    return user_with_role(Role.VIEWER, police(), username="police-viewer")


def session_url(course) -> str:
    return f"/api/v1/sessions/{course.session.pk}/attendance/"


def slot_url(slot) -> str:
    return f"/api/v1/slots/{slot.pk}/attendance/"


RECORD_URL = "/api/v1/attendance/"


def record_body(course, status="present", enrolment=None) -> dict:
    enrolment = enrolment or course.enrolments[0]
    return {"enrolment": enrolment.pk, "slot": course.morning.pk, "status": status}


# --- Reading ------------------------------------------------------------------------------------


def test_the_session_list_gives_each_record_with_minutes(as_user, course):
    services.record_attendance(
        enrolment=course.enrolments[0], slot=course.morning, status=AttendanceStatus.PRESENT
    )
    services.record_attendance(
        enrolment=course.enrolments[1], slot=course.afternoon, status=AttendanceStatus.ABSENT
    )
    response = as_user(course.organiser).get(session_url(course))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["participant_name"], r["part"], r["status"], r["minutes"]) for r in results] == [
        (course.enrolments[0].participant.name, "am", "present", 210),
        (course.enrolments[1].participant.name, "pm", "absent", 0),
    ]


def test_organising_staff_read_the_roster_attendance(as_user, course, police_viewer):
    assert as_user(police_viewer).get(session_url(course)).status_code == 200


def test_a_trainer_of_the_session_reads_a_half_day(as_user, course, trainer):
    services.record_attendance(
        enrolment=course.enrolments[0], slot=course.morning, status=AttendanceStatus.LATE
    )
    response = as_user(trainer).get(slot_url(course.morning))
    assert [r["status"] for r in response.json()["results"]] == ["late"]


@pytest.mark.parametrize("which", ["session", "slot"])
def test_an_institution_that_does_not_organise_cannot_read(as_user, course, which):
    url = session_url(course) if which == "session" else slot_url(course.morning)
    error = assert_error_shape(as_user(coordinator_elsewhere()).get(url), 403)
    assert course.enrolments[0].participant.name_latin not in error["message"]


def test_an_account_without_membership_is_refused(as_user, course, outsider):
    assert_error_shape(as_user(outsider).get(session_url(course)), 403)


def test_reading_needs_authentication(as_user, course):
    assert_error_shape(as_user(None).get(session_url(course)), 401)


@pytest.mark.parametrize(
    "url", ["/api/v1/sessions/987654/attendance/", "/api/v1/slots/987654/attendance/"]
)
def test_an_unknown_session_or_slot_is_not_found(as_user, course, url):
    assert_error_shape(as_user(course.organiser).get(url), 404)


# --- Recording one ---------------------------------------------------------------------------


def test_a_trainer_records_one_participant(as_user, course, trainer):
    response = as_user(trainer).post(RECORD_URL, record_body(course, "late"), format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["method"]) == ("late", "trainer")
    record = Attendance.objects.get()
    assert (record.status, record.recorded_by, record.method) == (
        "late",
        trainer,
        AttendanceMethod.TRAINER,
    )


def test_staff_who_only_see_the_roster_cannot_record(as_user, course, police_viewer):
    response = as_user(police_viewer).post(RECORD_URL, record_body(course), format="json")
    assert_error_shape(response, 403)
    assert not Attendance.objects.exists()


def test_an_outsider_cannot_record(as_user, course):
    response = as_user(coordinator_elsewhere()).post(RECORD_URL, record_body(course), format="json")
    assert_error_shape(response, 403)
    assert not Attendance.objects.exists()


def test_an_unknown_slot_is_not_found(as_user, course):
    body = {**record_body(course), "slot": 987654}
    assert_error_shape(as_user(course.organiser).post(RECORD_URL, body, format="json"), 404)


def test_an_enrolment_of_another_session_is_refused(as_user, course):
    other = make_course(1, code="other-course", by=course.organiser)
    body = record_body(course, enrolment=other.enrolments[0])
    error = assert_error_shape(as_user(course.organiser).post(RECORD_URL, body, format="json"), 400)
    assert "enrolment" in error["fields"]
    assert not Attendance.objects.exists()


def test_an_unknown_status_is_refused(as_user, course):
    body = record_body(course, "asleep")
    error = assert_error_shape(as_user(course.organiser).post(RECORD_URL, body, format="json"), 400)
    assert "status" in error["fields"]


# --- Recording a whole half-day ----------------------------------------------------------------


def test_a_whole_half_day_is_recorded_at_once(as_user, course, trainer):
    first, second, third = course.enrolments
    body = {
        "records": [
            {"enrolment": first.pk, "status": "present"},
            {"enrolment": second.pk, "status": "excused"},
            {"enrolment": third.pk, "status": "absent"},
        ]
    }
    response = as_user(trainer).post(slot_url(course.morning), body, format="json")
    assert response.status_code == 200, response.content
    assert sorted(r["status"] for r in response.json()["records"]) == [
        "absent",
        "excused",
        "present",
    ]
    assert Attendance.objects.filter(slot=course.morning).count() == 3


def test_a_half_day_with_one_refused_entry_records_nobody(as_user, course):
    other = make_course(1, code="other-course", by=course.organiser)
    body = {
        "records": [
            {"enrolment": course.enrolments[0].pk, "status": "present"},
            {"enrolment": other.enrolments[0].pk, "status": "present"},
        ]
    }
    response = as_user(course.organiser).post(slot_url(course.morning), body, format="json")
    assert_error_shape(response, 400)
    assert not Attendance.objects.exists()


def test_an_enrolment_given_twice_is_refused(as_user, course):
    pk = course.enrolments[0].pk
    body = {
        "records": [{"enrolment": pk, "status": "present"}, {"enrolment": pk, "status": "late"}]
    }
    response = as_user(course.organiser).post(slot_url(course.morning), body, format="json")
    assert_error_shape(response, 400)


def test_an_outsider_cannot_record_a_half_day(as_user, course):
    body = {"records": [{"enrolment": course.enrolments[0].pk, "status": "present"}]}
    response = as_user(coordinator_elsewhere()).post(slot_url(course.morning), body, format="json")
    assert_error_shape(response, 403)
    assert not Attendance.objects.exists()


def test_the_record_endpoint_only_takes_posts(as_user, course):
    assert_error_shape(as_user(course.organiser).get(RECORD_URL), 405)


def test_the_session_list_takes_the_same_queries_for_one_or_three_records(as_user, course):
    counts = []
    for enrolment in course.enrolments:
        services.record_attendance(
            enrolment=enrolment, slot=course.morning, status=AttendanceStatus.PRESENT
        )
        if enrolment in (course.enrolments[0], course.enrolments[2]):
            # A fresh user each time: the institutions a user acts for are cached on it.
            client = as_user(type(course.organiser).objects.get(pk=course.organiser.pk))
            with CaptureQueriesContext(connection) as queries:
                assert client.get(session_url(course)).status_code == 200
            counts.append(len(queries))
    assert counts[0] == counts[1]
