"""A training session in the back office, in Arabic (right to left) and French: the
organiser imports a roster, the trainer records attendance on the tablet page and shows
the check-in QR code, and the organiser completes the session, issues certificates and
downloads one, which anyone can then check on the public page, until it is revoked.
Every page on the way is checked with axe-core.

The roster import works on the demo (its organiser ``focal.police`` and its sessions);
the other tests build a one-day session of their own, held today, which is much faster
than loading the demo (see ``tests.training.session_day_builders``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from mizan.core.demo.sessions import SESSIONS
from mizan.training.enums import (
    AttendanceMethod,
    AttendanceStatus,
    EnrolmentStatus,
    SessionStatus,
    TestStage,
)
from mizan.training.models import Attendance, Certificate, Participant, TrainingSession
from mizan.training.services import answers, attendance
from tests.browser.conftest import assert_accessible, expect_language
from tests.training.session_day_builders import (
    OFFICERS,
    enrolment_of,
    questions_on_form,
    right_choice,
    session_of_the_day,
    session_staff,
)

HEADER = "name_latin,name_arabic,sex,rank,institution,service_number,email\n"
#: Officers with Latin and Arabic names, one with an Arabic name only. Invented people.
GOOD_ROWS = [
    "Youssef Bennis,يوسف بنيس,male,Inspector,police,481516,youssef.bennis@police.example\n",
    "Nadia Ghazali,نادية الغزالي,female,Sergeant,police,623342,\n",
    ",سعاد المريني,female,Police officer,border-police,,\n",
]
#: Line 3 gives no sex the roster knows; line 4 an e-mail address that is not one.
BAD_FILE = (
    HEADER
    + GOOD_ROWS[0]
    + "Nadia Ghazali,نادية الغزالي,X,Sergeant,police,623342,\n"
    + ",سعاد المريني,female,Police officer,border-police,,not-an-address\n"
)
GOOD_FILE = HEADER + "".join(GOOD_ROWS)
IMPORTED = [
    ("Youssef Bennis", "يوسف بنيس"),
    ("Nadia Ghazali", "نادية الغزالي"),
    ("", "سعاد المريني"),
]


@pytest.fixture
def visitor(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    """A page in a browser of its own, with no one logged in: a member of the public."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def expect_page(page: Page, language: str) -> None:
    """The page is in ``language``, has one main heading and no serious accessibility
    problem."""
    expect_language(page, language)
    expect(page.locator("main h1")).to_have_count(1)
    assert_accessible(page)


def upload(page: Page, tmp_path: Path, content: str) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(content, encoding="utf-8")
    page.locator("#id_file").set_input_files(roster)
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()


def test_organiser_imports_a_roster(page, live_server, log_in_as, demo, language, tmp_path):
    agadir = TrainingSession.objects.get(title=SESSIONS[2].title)
    participants = Participant.objects.count()
    log_in_as("focal.police")

    page.locator("nav.main-nav a[href$='/staff/sessions/']").click()
    expect(page).to_have_url(re.compile(r"/staff/sessions/$"))
    expect(page.locator("main table.session-table tbody tr")).to_have_count(len(SESSIONS))
    expect_page(page, language)

    page.locator(f"main table a[href$='/staff/sessions/{agadir.pk}/']").click()
    expect(page.locator("main h1")).to_have_text(agadir.title)
    expect(page.locator("#roster tbody tr")).to_have_count(SESSIONS[2].nominations)
    expect_page(page, language)

    page.locator("nav.session-tools a[href$='/roster/import/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/sessions/{agadir.pk}/roster/import/$"))
    expect_page(page, language)

    # A file with two wrong rows: each problem with its line, its column and the value;
    # nobody is imported.
    upload(page, tmp_path, BAD_FILE)
    problems = page.locator("main section[role=alert]")
    expect(problems.locator("#problems-heading")).to_contain_text("roster.csv")
    rows = problems.locator("tbody tr")
    expect(rows).to_have_count(2)
    cells = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]
    assert [cell[:2] for cell in cells] == [["3", "sex"], ["4", "email"]]
    assert "X" in cells[0][2]
    assert Participant.objects.count() == participants
    assert agadir.enrolments.count() == SESSIONS[2].nominations
    expect_page(page, language)

    # The corrected file: a preview of its three rows, and still nobody imported.
    upload(page, tmp_path, GOOD_FILE)
    preview = page.locator("main section[aria-labelledby=preview-heading]")
    expect(preview.locator("#preview-heading")).to_contain_text("roster.csv")
    expect(preview.locator("table tbody tr")).to_have_count(len(GOOD_ROWS))
    expect(preview.locator("fieldset")).to_have_count(0)  # no one like a known person
    for latin, arabic in IMPORTED:
        row = preview.locator("tbody tr", has=page.locator("td[lang=ar]", has_text=arabic))
        expect(row).to_have_count(1)
        if latin:
            expect(row.locator("td[dir=ltr]").first).to_have_text(latin)
    assert Participant.objects.count() == participants
    expect_page(page, language)

    # Confirmed: the three officers are on the session's roster, approved.
    preview.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/staff/sessions/{agadir.pk}/#roster$"))
    expect(page.locator("main .messages")).to_be_visible()
    roster = page.locator("#roster")
    for latin, arabic in IMPORTED:
        row = roster.locator("tbody tr", has=page.locator("td span[lang=ar]", has_text=arabic))
        expect(row).to_have_count(1)
        if latin:
            expect(row.locator("th a")).to_have_text(latin)
    assert sorted(
        agadir.enrolments.filter(status=EnrolmentStatus.APPROVED).values_list(
            "participant__name_arabic", flat=True
        )
    ) == sorted(arabic for _latin, arabic in IMPORTED)
    assert Participant.objects.count() == participants + len(IMPORTED)

    # The completed session's pages, full of the demo's figures.
    oujda = TrainingSession.objects.get(title=SESSIONS[0].title)
    for area in ("results", "cascades", "certificates"):
        page.goto(f"{live_server.url}/staff/sessions/{oujda.pk}/{area}/")
        expect(page.locator("main h1")).to_contain_text(oujda.title)
        expect_page(page, language)


def test_trainer_records_attendance_on_the_tablet(page, live_server, log_in, language):
    staff = session_staff(language)
    session = session_of_the_day(staff, language=language)
    slot = session.slots.get()
    enrolment = enrolment_of(session, OFFICERS[0][0])
    log_in(staff.trainer)

    page.goto(f"{live_server.url}/staff/sessions/{session.pk}/")
    page.locator("nav.session-tools a[href$='/attendance/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/sessions/{session.pk}/attendance/$"))
    expect(page.locator("table.attendance-grid tbody tr")).to_have_count(len(OFFICERS))
    expect_page(page, language)

    page.locator(f"table.attendance-grid thead a[href$='/slots/{slot.pk}/attendance/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/slots/{slot.pk}/attendance/$"))
    counts = page.locator("#slot-counts")
    expect(counts.locator(".attendance-none .attendance-count")).to_have_text(str(len(OFFICERS)))
    expect_page(page, language)

    # One tap: the row and the counts change in place (HTMX), the page stays.
    row = page.locator(f"li#enrolment-{enrolment.pk}")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        row.locator("button[value=present]").click()
    assert posted.value.request.headers.get("hx-request") == "true"
    expect(row).to_have_class(re.compile(r"\battendance-present\b"))
    expect(row.locator("button[value=present]")).to_have_attribute("aria-pressed", "true")
    expect(counts.locator(".attendance-present .attendance-count")).to_have_text("1")
    expect(counts.locator(".attendance-none .attendance-count")).to_have_text(
        str(len(OFFICERS) - 1)
    )
    expect(page).to_have_url(re.compile(rf"/staff/slots/{slot.pk}/attendance/$"))
    record = Attendance.objects.get()
    assert (record.enrolment_id, record.status, record.method, record.recorded_by) == (
        enrolment.pk,
        AttendanceStatus.PRESENT,
        AttendanceMethod.TRAINER,
        staff.trainer,
    )
    assert_accessible(page)

    # The QR code to project: an image with a name, and the address it encodes.
    page.locator(f"main a[href$='/slots/{slot.pk}/check-in-code/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/slots/{slot.pk}/check-in-code/$"))
    qr = page.locator("main figure svg[role=img]")
    expect(qr).to_have_count(1)
    expect(qr).to_have_accessible_name(re.compile(re.escape(session.title)))
    expect(page.locator("main .check-in-url")).to_contain_text(f"/p/check-in/{slot.check_in_code}/")
    expect_page(page, language)


def test_certificate_is_issued_downloaded_and_checked(page, visitor, live_server, log_in, language):
    staff = session_staff(language)
    session = session_of_the_day(staff, language=language)
    (latin, arabic, _sex), (absent_latin, _arabic, _) = OFFICERS
    holder, absent = enrolment_of(session, latin), enrolment_of(session, absent_latin)
    # The holder attended and passed the post-test; the other one missed the day.
    slot = session.slots.get()
    attendance.record_attendance(
        enrolment=holder, slot=slot, status=AttendanceStatus.PRESENT, by=staff.trainer
    )
    attendance.record_attendance(
        enrolment=absent, slot=slot, status=AttendanceStatus.ABSENT, by=staff.trainer
    )
    for enrolment in (holder, absent):
        questions = questions_on_form(session, TestStage.POST)
        answers.submit_test(
            enrolment=enrolment,
            stage=TestStage.POST,
            answers={question.pk: [right_choice(question)] for question in questions},
        )
    log_in(staff.organiser)

    # The organiser completes the session with its status button.
    page.goto(f"{live_server.url}/staff/sessions/{session.pk}/")
    expect_page(page, language)
    page.locator(
        f"#status form:has(input[name=status][value={SessionStatus.COMPLETED}]) button"
    ).click()
    expect(page.locator("#status .badge")).to_have_class(re.compile(r"\bsession-completed\b"))
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED

    page.locator("nav.session-tools a[href$='/certificates/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/sessions/{session.pk}/certificates/$"))
    expect_page(page, language)
    page.locator("main form[action$='/certificates/issue/'] button").click()
    held = page.locator(f"tr#enrolment-{holder.pk}")
    expect(held.locator(".badge.status-completed")).to_have_count(2)  # completed, valid
    expect(page.locator(f"tr#enrolment-{absent.pk} .term-code")).to_have_count(0)
    certificate = Certificate.objects.get()
    assert certificate.enrolment_id == holder.pk
    expect(held.locator(".term-code")).to_have_text(certificate.code)
    expect_page(page, language)

    # The PDF, in the page's language.
    with page.expect_download() as download:
        held.locator(f"a[href$='/certificates/{certificate.pk}/pdf/{language}/']").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # The results and cascades of the completed session.
    for area in ("results", "cascades"):
        page.goto(f"{live_server.url}/staff/sessions/{session.pk}/{area}/")
        expect(page.locator("main h1")).to_contain_text(session.title)
        expect_page(page, language)

    # Anyone checks the code on the public page and sees whom it was issued to.
    visitor.goto(f"{live_server.url}/verify/")
    expect_page(visitor, language)
    visitor.locator("#id_code").fill(certificate.code)
    visitor.locator("main form.verify-form button[type=submit]").click()
    expect(visitor).to_have_url(re.compile(rf"/verify/{certificate.code}/$"))
    result = visitor.locator("main .verify-result")
    expect(result).to_have_class(re.compile(r"\bverify-valid\b"))
    expect(result).to_contain_text(latin)
    expect(result.locator("[lang=ar]")).to_have_text(arabic)
    expect_page(visitor, language)

    # Revoked by the organiser, it says so, and no longer names anyone.
    page.goto(f"{live_server.url}/staff/sessions/{session.pk}/certificates/")
    held.locator("details summary").click()
    held.locator("textarea[name=reason]").fill("Issued by mistake.")
    held.locator("details button[type=submit]").click()
    expect(held.locator(".badge.status-cancelled")).to_have_count(1)
    certificate.refresh_from_db()
    assert certificate.is_revoked
    visitor.reload()
    expect(result).to_have_class(re.compile(r"\bverify-revoked\b"))
    expect(result).not_to_contain_text(latin)
    expect_page(visitor, language)
