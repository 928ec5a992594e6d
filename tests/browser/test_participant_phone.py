"""A participant's day of training on a phone (360 × 740), in Arabic and French: opening
the personal link, checking in with the half-day's QR code, the pre- and post-test, and
the evaluation. The session is held today in the test's language, with a half-day open
now (see ``tests.training.session_day_builders``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from mizan.training.enums import AttendanceMethod, AttendanceStatus, TestStage
from mizan.training.models import Attendance, Evaluation, Question, TestAttempt
from tests.browser.conftest import assert_accessible, expect_language
from tests.training.session_day_builders import (
    OFFICERS,
    enrolment_of,
    personal_link,
    questions_on_form,
    right_choice,
    session_of_the_day,
    session_staff,
    wrong_choice,
)

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    """A page in a phone-sized browser of its own, in the test's language."""
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def expect_phone_page(page: Page, language: str) -> None:
    """The page is in ``language``, has one main heading, no serious accessibility
    problem, and nothing wider than the phone's screen."""
    expect_language(page, language)
    expect(page.locator("main h1")).to_have_count(1)
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} px wide"


def answer(page: Page, choices: dict[Question, int]) -> None:
    """Tick the given choice of each question, then submit the test."""
    form = page.locator("main form[method=post]")
    expect(form.locator("fieldset")).to_have_count(len(choices))
    for question, choice in choices.items():
        form.locator(f"input[name='question_{question.pk}'][value='{choice}']").check()
    form.locator("button[type=submit]").click()


def test_participant_checks_in_with_the_qr_code(
    page, phone, live_server, log_in, language, transactional_db
):
    staff = session_staff(language)
    session = session_of_the_day(staff, language=language)
    latin, arabic, _sex = OFFICERS[0]
    enrolment = enrolment_of(session, latin)
    link = personal_link(enrolment, staff.organiser)
    code = session.slots.get().check_in_code

    # The personal link, opened once on the phone, tells the check-in page who holds it.
    phone.goto(f"{live_server.url}/p/{link.token}/")
    expect_phone_page(phone, language)
    expect(phone.locator("main")).to_contain_text(arabic)

    phone.goto(f"{live_server.url}/p/check-in/{code}/")
    expect_phone_page(phone, language)
    expect(phone.locator("main")).to_contain_text(session.title)
    assert not Attendance.objects.exists()  # opening the address checks no one in
    phone.locator("main form[method=post] button[type=submit]").click()
    expect(phone).to_have_url(re.compile(rf"/p/check-in/{code}/done/$"))
    expect(phone.locator("main [role=status]")).to_contain_text(session.title)
    expect_phone_page(phone, language)
    record = Attendance.objects.get()
    assert (record.enrolment_id, record.status, record.method) == (
        enrolment.pk,
        AttendanceStatus.PRESENT,
        AttendanceMethod.QR_CODE,
    )

    # The trainer's grid shows the participant present, and the other one not recorded.
    log_in(staff.trainer)
    page.goto(f"{live_server.url}/staff/sessions/{session.pk}/attendance/")
    expect_language(page, language)
    rows = page.locator("table.attendance-grid tbody tr")
    expect(rows).to_have_count(len(OFFICERS))
    present = rows.filter(has=page.locator("th", has_text=latin))
    expect(present.locator("td.attendance-cell")).to_have_class(
        re.compile(r"\battendance-present\b")
    )
    absent = rows.filter(has=page.locator("th", has_text=OFFICERS[1][0]))
    expect(absent.locator("td.attendance-cell")).to_have_class(re.compile(r"\battendance-none\b"))
    expect(page.locator("table.attendance-grid tfoot td").first).to_have_text("1")


def test_participant_takes_both_tests_and_evaluates_the_day(
    phone, live_server, language, transactional_db
):
    staff = session_staff(language)
    session = session_of_the_day(staff, language=language, officers=OFFICERS[:1])
    enrolment = enrolment_of(session, OFFICERS[0][0])
    link = personal_link(enrolment, staff.organiser)
    home = f"{live_server.url}/p/{link.token}/"

    phone.goto(home)
    expect_phone_page(phone, language)
    tasks = phone.locator("main ul.task-list")
    # A one-day session held today: both tests and both evaluations are open.
    for path in ("test/pre/", "test/post/", "evaluation/daily/1/", "evaluation/final/0/"):
        expect(tasks.locator(f"a[href$='/{path}']")).to_have_count(1)

    # The pre-test: one answer right, one wrong.
    tasks.locator("a[href$='/test/pre/']").click()
    expect(phone).to_have_url(re.compile(r"/test/pre/$"))
    expect_phone_page(phone, language)
    first, second = questions_on_form(session, TestStage.PRE)
    answer(phone, {first: right_choice(first), second: wrong_choice(second)})
    expect(phone.locator("main .result .score")).to_have_text(re.compile(r"(?<!\d)50(?!\d)"))
    expect_phone_page(phone, language)
    pre = TestAttempt.objects.get(enrolment=enrolment, stage=TestStage.PRE)
    assert pre.submitted_at is not None and pre.score_percent == 50

    # The post-test: every answer right; the page then lists the answers, all right.
    phone.locator("main .back a").click()
    expect(phone).to_have_url(home)
    expect(tasks.locator("a[href$='/test/pre/'] .status-done")).to_have_count(1)
    tasks.locator("a[href$='/test/post/']").click()
    expect(phone).to_have_url(re.compile(r"/test/post/$"))
    expect_phone_page(phone, language)
    questions = questions_on_form(session, TestStage.POST)
    assert not {q.pk for q in questions} & {first.pk, second.pk}  # a parallel form
    answer(phone, {question: right_choice(question) for question in questions})
    expect(phone.locator("main .result .score")).to_have_text(re.compile(r"(?<!\d)100(?!\d)"))
    expect(phone.locator("main .result-list li.result-right")).to_have_count(len(questions))
    expect_phone_page(phone, language)
    post = TestAttempt.objects.get(enrolment=enrolment, stage=TestStage.POST)
    assert post.score_percent == 100

    # The day's evaluation: a score for each point, then back home with a thank-you.
    phone.goto(home)
    tasks.locator("a[href$='/evaluation/daily/1/']").click()
    expect(phone).to_have_url(re.compile(r"/evaluation/daily/1/$"))
    expect_phone_page(phone, language)
    scales = phone.locator("main form fieldset.scale-field")
    expect(scales).to_have_count(len(Evaluation.SCORES))
    for scale in scales.all():
        scale.locator("input[type=radio][value='4']").check()
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(home)
    expect(phone.locator("main .phone-messages")).to_be_visible()
    expect(tasks.locator("a[href$='/evaluation/daily/1/'] .status-done")).to_have_count(1)
    evaluation = Evaluation.objects.get()
    assert {getattr(evaluation, name) for name in Evaluation.SCORES} == {4}
