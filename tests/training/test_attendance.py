"""Attendance per half-day: what trainers record, what a QR check-in records and when,
and what is read back (minutes, shares, the session's grid, the export command)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from mizan.core.errors import MizanError
from mizan.training import attendance as reading
from mizan.training.enums import AttendanceMethod, AttendanceStatus, SessionStatus
from mizan.training.models import Attendance
from mizan.training.services import attendance as services
from mizan.training.services import sessions as session_services
from tests.training.attendance_builders import at, link_for, make_course
from tests.training.builders import make_participant

pytestmark = pytest.mark.django_db

PRESENT = AttendanceStatus.PRESENT
LATE = AttendanceStatus.LATE
EXCUSED = AttendanceStatus.EXCUSED
ABSENT = AttendanceStatus.ABSENT


@pytest.fixture
def course():
    return make_course(3)


def status_of(enrolment, slot) -> str | None:
    record = Attendance.objects.filter(enrolment=enrolment, slot=slot).first()
    return record.status if record else None


# --- Recording by a trainer ---------------------------------------------------------------


def test_recording_attendance_keeps_who_recorded_it(course):
    enrolment = course.enrolments[0]
    record = services.record_attendance(
        enrolment=enrolment, slot=course.morning, status=PRESENT, by=course.organiser
    )
    assert (record.status, record.method, record.recorded_by) == (
        PRESENT,
        AttendanceMethod.TRAINER,
        course.organiser,
    )
    assert record.history.get().history_user == course.organiser


def test_recording_again_corrects_the_one_record(course):
    enrolment = course.enrolments[0]
    services.record_attendance(
        enrolment=enrolment, slot=course.morning, status=ABSENT, by=course.organiser
    )
    services.record_attendance(
        enrolment=enrolment, slot=course.morning, status=EXCUSED, by=course.organiser
    )
    records = Attendance.objects.filter(enrolment=enrolment, slot=course.morning)
    assert [r.status for r in records] == [EXCUSED]
    assert records.get().history.count() == 2


def test_recording_the_same_status_again_writes_no_history(course):
    enrolment = course.enrolments[0]
    for _ in range(2):
        record = services.record_attendance(
            enrolment=enrolment, slot=course.morning, status=PRESENT, by=course.organiser
        )
    assert record.history.count() == 1


def test_a_participant_of_another_session_is_refused(course):
    other = make_course(1, code="other-course", by=course.organiser)
    with pytest.raises(MizanError) as refused:
        services.record_attendance(
            enrolment=other.enrolments[0], slot=course.morning, status=PRESENT
        )
    assert refused.value.code == "other_session"
    assert not Attendance.objects.exists()


def test_a_withdrawn_participant_is_refused(course):
    enrolment = session_services.withdraw(
        enrolment=course.enrolments[0], reason="Posted abroad", by=course.organiser
    )
    with pytest.raises(MizanError) as refused:
        services.record_attendance(enrolment=enrolment, slot=course.morning, status=PRESENT)
    assert refused.value.code == "not_approved"


def test_a_cancelled_session_takes_no_attendance():
    course = make_course(1, status=SessionStatus.PLANNED)
    session_services.change_session_status(
        session=course.session, status=SessionStatus.CANCELLED, reason="Floods"
    )
    with pytest.raises(MizanError) as refused:
        services.record_attendance(
            enrolment=course.enrolments[0], slot=course.morning, status=PRESENT
        )
    assert refused.value.code == "cancelled"


def test_an_unknown_status_is_refused(course):
    with pytest.raises(MizanError) as refused:
        services.record_attendance(
            enrolment=course.enrolments[0], slot=course.morning, status="asleep"
        )
    assert refused.value.field == "status"


def test_a_whole_slot_is_recorded_at_once(course):
    first, second, third = course.enrolments
    services.record_slot(
        slot=course.afternoon,
        statuses={first.pk: PRESENT, second.pk: LATE, third.pk: ABSENT},
        by=course.organiser,
    )
    assert [status_of(e, course.afternoon) for e in course.enrolments] == [PRESENT, LATE, ABSENT]


def test_a_slot_with_one_refused_participant_records_nobody(course):
    other = make_course(1, code="other-course", by=course.organiser)
    with pytest.raises(MizanError):
        services.record_slot(
            slot=course.morning,
            statuses={course.enrolments[0].pk: PRESENT, other.enrolments[0].pk: PRESENT},
        )
    assert not Attendance.objects.exists()


def test_marking_the_unrecorded_absent_keeps_what_was_recorded(course):
    first = course.enrolments[0]
    services.record_attendance(enrolment=first, slot=course.morning, status=PRESENT)
    marked = services.mark_unrecorded_absent(slot=course.morning, by=course.organiser)
    assert len(marked) == 2
    assert [status_of(e, course.morning) for e in course.enrolments] == [PRESENT, ABSENT, ABSENT]


# --- Checking in with the QR code ---------------------------------------------------------


def scan(enrolment, slot, hour, minute=0, *, days=0):
    return services.check_in(
        link=link_for(enrolment), code=slot.check_in_code, now=at(slot, hour, minute, days=days)
    )


def test_checking_in_at_the_start_is_present(course):
    record = scan(course.enrolments[0], course.morning, 9, 0)
    assert (record.status, record.method, record.recorded_by) == (
        PRESENT,
        AttendanceMethod.QR_CODE,
        None,
    )


def test_check_in_opens_an_hour_before_the_start(course):
    assert scan(course.enrolments[0], course.morning, 8, 0).status == PRESENT


def test_checking_in_more_than_an_hour_early_is_refused(course):
    with pytest.raises(MizanError) as refused:
        scan(course.enrolments[0], course.morning, 7, 59)
    assert refused.value.code == "too_early"
    assert not Attendance.objects.exists()


def test_fifteen_minutes_after_the_start_is_still_present(course):
    assert scan(course.enrolments[0], course.morning, 9, 15).status == PRESENT


def test_more_than_fifteen_minutes_after_the_start_is_late(course):
    assert scan(course.enrolments[0], course.morning, 9, 16).status == LATE


def test_check_in_is_open_until_the_slot_ends(course):
    assert scan(course.enrolments[0], course.morning, 12, 30).status == LATE


def test_checking_in_after_the_slot_ended_is_refused(course):
    with pytest.raises(MizanError) as refused:
        scan(course.enrolments[0], course.morning, 12, 31)
    assert refused.value.code == "too_late"


def test_checking_in_on_another_day_is_refused(course):
    with pytest.raises(MizanError) as refused:
        scan(course.enrolments[0], course.morning, 9, 0, days=1)
    assert refused.value.code == "too_late"


def test_a_slot_starting_after_midnight_does_not_open_the_day_before(course):
    slot = session_services.update_slot(
        slot=course.morning,
        starts_at=at(course.morning, 0, 30).time(),
        ends_at=at(course.morning, 3, 0).time(),
    )
    previous_evening = at(slot, 23, 45, days=-1)
    with pytest.raises(MizanError) as refused:
        services.check_in(
            link=link_for(course.enrolments[0]), code=slot.check_in_code, now=previous_evening
        )
    assert refused.value.code == "too_early"


def test_the_code_of_another_session_is_refused(course):
    other = make_course(1, code="other-course", by=course.organiser)
    with pytest.raises(MizanError) as refused:
        services.check_in(
            link=link_for(course.enrolments[0]),
            code=other.morning.check_in_code,
            now=at(other.morning, 9),
        )
    assert refused.value.code == "other_session"


def test_an_unknown_code_is_refused(course):
    with pytest.raises(MizanError) as refused:
        services.check_in(
            link=link_for(course.enrolments[0]), code="no-such-code", now=at(course.morning, 9)
        )
    assert refused.value.code == "unknown_code"


def test_a_withdrawn_participant_cannot_check_in(course):
    link = link_for(course.enrolments[0])
    session_services.withdraw(enrolment=course.enrolments[0], reason="Ill")
    with pytest.raises(MizanError) as refused:
        services.check_in(link=link, code=course.morning.check_in_code, now=at(course.morning, 9))
    assert refused.value.code == "not_approved"


def test_a_revoked_link_cannot_check_in(course):
    link = link_for(course.enrolments[0])
    session_services.revoke_personal_link(link=link)
    with pytest.raises(MizanError) as refused:
        services.check_in(link=link, code=course.morning.check_in_code, now=at(course.morning, 9))
    assert refused.value.code == "link_unusable"


def test_a_link_without_enrolment_cannot_check_in(course):
    relay = session_services.issue_personal_link(participant=make_participant(name_latin="Relay"))
    with pytest.raises(MizanError) as refused:
        services.check_in(link=relay, code=course.morning.check_in_code, now=at(course.morning, 9))
    assert refused.value.code == "other_session"


def test_a_second_scan_does_not_downgrade_a_trainers_present(course):
    enrolment = course.enrolments[0]
    services.record_attendance(
        enrolment=enrolment, slot=course.morning, status=PRESENT, by=course.organiser
    )
    record = scan(enrolment, course.morning, 10, 0)
    assert (record.status, record.method) == (PRESENT, AttendanceMethod.TRAINER)


def test_a_second_scan_does_not_downgrade_an_earlier_scan(course):
    enrolment = course.enrolments[0]
    scan(enrolment, course.morning, 9, 0)
    assert scan(enrolment, course.morning, 10, 0).status == PRESENT
    assert Attendance.objects.get().history.count() == 1


def test_a_participant_marked_absent_who_scans_is_recorded_late(course):
    enrolment = course.enrolments[0]
    services.mark_unrecorded_absent(slot=course.morning, by=course.organiser)
    record = scan(enrolment, course.morning, 9, 40)
    assert (record.status, record.method) == (LATE, AttendanceMethod.QR_CODE)


def test_check_in_uses_the_current_time_when_none_is_given(course, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(course.afternoon, 14, 20))
    record = services.check_in(
        link=link_for(course.enrolments[0]), code=course.afternoon.check_in_code
    )
    assert record.status == LATE


# --- Minutes, shares and the grid ------------------------------------------------------------


@pytest.fixture
def recorded(course):
    """The first participant: present (210 min) and late (180 min) on day 1, excused and
    absent on day 2, nothing on day 3."""
    first = course.enrolments[0]
    for slot, status in zip(course.slots[:4], [PRESENT, LATE, EXCUSED, ABSENT], strict=True):
        services.record_attendance(enrolment=first, slot=slot, status=status)
    return course


def test_minutes_count_present_and_late_half_days_in_full(recorded):
    assert reading.attended_minutes(recorded.enrolments[0]) == 210 + 180


def test_share_is_attended_half_days_over_all_half_days(recorded):
    assert reading.attendance_share(recorded.enrolments[0]) == pytest.approx(2 / 6)


def test_the_threshold_is_met_only_without_rounding_up(recorded):
    summary = reading.summary_for(recorded.enrolments[0])
    assert (summary.meets(33), summary.meets(34)) == (True, False)


def test_a_summary_counts_each_status(recorded):
    summary = reading.summary_for(recorded.enrolments[0])
    assert (summary.attended, summary.late, summary.excused, summary.absent) == (2, 1, 1, 1)
    assert summary.unrecorded == 2


def test_minutes_follow_the_hours_of_the_half_day(recorded):
    session_services.update_slot(
        slot=recorded.morning,
        starts_at=at(recorded.morning, 8, 30).time(),
        ends_at=at(recorded.morning, 12, 30).time(),
    )
    assert reading.attended_minutes(recorded.enrolments[0]) == 240 + 180


def test_the_grid_has_a_row_per_approved_participant_and_a_cell_per_half_day(recorded):
    session_services.withdraw(enrolment=recorded.enrolments[2], reason="Ill")
    grid = reading.attendance_grid(recorded.session)
    assert len(grid.slots) == 6
    assert [row.enrolment for row in grid.rows] == recorded.enrolments[:2]
    assert [cell.status for cell in grid.rows[0].cells] == [
        PRESENT,
        LATE,
        EXCUSED,
        ABSENT,
        "",
        "",
    ]
    assert grid.rows[0].summary.minutes == 390
    assert [total.attended for total in grid.totals] == [1, 1, 0, 0, 0, 0]


def test_the_grid_says_who_meets_the_session_threshold(recorded):
    second = recorded.enrolments[1]
    services.record_slot(slot=recorded.morning, statuses={second.pk: PRESENT})
    for slot in recorded.slots[1:]:
        services.record_attendance(enrolment=second, slot=slot, status=PRESENT)
    grid = reading.attendance_grid(recorded.session)
    assert [row.meets for row in grid.rows] == [False, True, False]
    assert grid.meeting_threshold == 1


@pytest.mark.parametrize("people", [5, 20])
def test_the_grid_takes_the_same_queries_whatever_the_number_of_participants(
    people, django_assert_num_queries
):
    course = make_course(people)
    for enrolment in course.enrolments:
        services.record_attendance(enrolment=enrolment, slot=course.morning, status=PRESENT)
    session = type(course.session).objects.get(pk=course.session.pk)
    with django_assert_num_queries(3):
        grid = reading.attendance_grid(session)
        cells = [cell.minutes for row in grid.rows for cell in row.cells]
        names = [row.enrolment.participant.institution for row in grid.rows]
    assert len(cells) == people * 6 and len(names) == people


@pytest.mark.parametrize("people", [5, 20])
def test_a_half_days_sheet_takes_the_same_queries_whatever_the_number(
    people, django_assert_num_queries
):
    course = make_course(people)
    slot = type(course.morning).objects.select_related("session").get(pk=course.morning.pk)
    with django_assert_num_queries(2):
        sheet = reading.slot_sheet(slot)
        assert [row.enrolment.participant.name for row in sheet.rows]
    assert sheet.counts.unrecorded == people


# --- The export command ----------------------------------------------------------------------


def test_the_command_writes_a_csv_with_a_row_per_participant_and_half_day(recorded, tmp_path):
    output = tmp_path / "attendance.csv"
    call_command("export_attendance", session=recorded.session.pk, output=str(output))
    rows = list(csv.reader(io.StringIO(output.read_bytes().decode("utf-8-sig"))))
    detail = rows[: rows.index([])]
    assert len(detail) == 1 + 3 * 6
    assert detail[1][5:11] == ["2026-03-02", "Morning", "09:00", "12:30", "Present", "210"]


def test_the_command_writes_xlsx_with_a_summary_sheet(recorded, tmp_path):
    output = tmp_path / "attendance.xlsx"
    call_command(
        "export_attendance", session=recorded.session.pk, format="xlsx", output=str(output)
    )
    workbook = load_workbook(output)
    summary = list(workbook["Summary"].iter_rows(values_only=True))
    assert summary[1][5:] == (6, 2, 1, 390, pytest.approx(33.3), "no")


def test_the_command_refuses_an_unknown_session(tmp_path):
    with pytest.raises(CommandError):
        call_command("export_attendance", session=999999, output=str(tmp_path / "x.csv"))
