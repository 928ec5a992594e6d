"""The follow-up work in the browser, in Arabic and French: assigning a recommendation and
finding it on "my work", approving (and returning) a progress report, and recording a
committee decision with its follow-up task.

Interface text is never looked for as written in a test; where the page must show a
message or a label, the test asks Django for it in the page's language, the way the
server renders it, and checks that it is a translation.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from mizan.accounts.models import User
from mizan.actions.enums import ProgressReportStatus
from mizan.actions.models import ProgressReport
from mizan.core.demo.action_plan import AGREEMENT, TRAINING_ACTION
from mizan.institutions.models import Institution
from mizan.partnerships.enums import MeetingStatus
from mizan.partnerships.models import Decision, FollowUpTask, Meeting
from mizan.recommendations.models import Assignment, Recommendation
from mizan.reminders.work import FINISHED_RECOMMENDATION_STATUSES, WorkKind
from tests.browser.conftest import assert_accessible, expect_language


def _translated(language: str, message: Any) -> str:
    """``message`` (a message id or a lazy translation) as the server renders it in
    ``language``; it must differ from the English."""
    with translation.override(language):
        text = str(gettext(message) if isinstance(message, str) else message)
    with translation.override("en"):
        english = str(gettext(message) if isinstance(message, str) else message)
    assert text != english, f"{english!r} has no {language} translation"
    return text


def _date(language: str, day: date) -> str:
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def _number(number: int) -> re.Pattern[str]:
    return re.compile(rf"(?<!\d){number}(?!\d)")


def _prefer(username: str, language: str) -> None:
    # In a new browser the interface opens in the account's preferred language: set it
    # to the test's language.
    User.objects.filter(username=username).update(preferred_language=language)


def _submitted_report() -> ProgressReport:
    return ProgressReport.objects.get(
        action__title=TRAINING_ACTION.title, status=ProgressReportStatus.SUBMITTED
    )


def _held_meeting() -> Meeting:
    return Meeting.objects.get(
        committee__agreement__reference=AGREEMENT.reference, status=MeetingStatus.HELD
    )


# --- Assigning ----------------------------------------------------------------------------


def test_assigning_a_recommendation_puts_it_on_the_focal_points_work(
    page, live_server, log_in, log_in_as, coordinator_account, demo, language
):
    recommendation = (
        Recommendation.objects.filter(document__mechanism__code="UPR", assignments__isnull=True)
        # One still open: an implemented recommendation leaves everyone's work.
        .exclude(status__in=FINISHED_RECOMMENDATION_STATUSES)
        .order_by("id")
        .first()
    )
    assert recommendation is not None
    police = Institution.objects.get(code="police")
    due = timezone.localdate() + timedelta(days=settings.MIZAN_REMINDER_HORIZON_DAYS // 2)

    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/recommendations/{recommendation.pk}/")
    expect_language(page, language)
    assignments = page.locator("#assignments")
    expect(assignments.locator("li.muted")).to_have_count(1)  # not assigned yet
    form = assignments.locator(f"form[action$='/recommendations/{recommendation.pk}/assignments/']")
    form.locator("select[name=institution]").select_option(str(police.pk))
    form.locator("select[name=role]").select_option("lead")
    form.locator("input[name=due_date]").fill(due.isoformat())
    form.locator("button[type=submit]").click()

    expect(page.locator("main .messages .message-success")).to_have_count(1)
    assigned = assignments.locator("li", has_text=police.names[language])
    expect(assigned).to_have_count(1)
    expect(assigned).to_contain_text(_date(language, due))
    expect(assignments.locator("li.muted")).to_have_count(0)
    assert_accessible(page)
    assignment = Assignment.objects.get(recommendation=recommendation)
    assert (assignment.institution, assignment.role, assignment.due_date) == (police, "lead", due)
    assert assignment.assigned_by == coordinator_account

    # The police focal point finds it on their work, due soon.
    _prefer("focal.police", language)
    log_in_as("focal.police")
    page.locator(".main-nav a[href$='/staff/my-work/']").click()
    expect_language(page, language)
    due_soon = page.locator("section[aria-labelledby=due-soon-heading]")
    row = due_soon.locator(
        "tbody tr", has=page.locator(f"a[href$='/staff/recommendations/{recommendation.pk}/']")
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text(police.names[language])
    expect(row).to_contain_text(_date(language, due))
    expect(row.locator("td").nth(1)).to_have_text(
        _translated(language, WorkKind.RECOMMENDATION.label)
    )
    assert_accessible(page)

    row.locator(f"a[href$='/staff/recommendations/{recommendation.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/recommendations/{recommendation.pk}/$"))
    # A focal point sees the assignment but cannot change it.
    expect(page.locator("#assignments li", has_text=police.names[language])).to_have_count(1)
    expect(page.locator("#assignments form")).to_have_count(0)


# --- Approving a progress report ----------------------------------------------------------


def test_approving_a_submitted_progress_report(
    page, live_server, log_in, coordinator_account, demo, language
):
    report = _submitted_report()
    author = report.author
    comment = "Figures by region received; approved."

    log_in(coordinator_account)
    page.locator(".main-nav a[href$='/staff/my-work/']").click()
    expect_language(page, language)
    # Awaiting approval has no due date: it is listed under "later or without a due date".
    later = page.locator("section[aria-labelledby=later-heading]")
    link = later.locator(f"a[href$='/staff/actions/reports/{report.pk}/']")
    expect(link).to_have_count(1)
    row = later.locator(
        "tbody tr", has=page.locator(f"a[href$='/staff/actions/reports/{report.pk}/']")
    )
    expect(row.locator("td").nth(1)).to_have_text(
        _translated(language, WorkKind.REPORT_TO_REVIEW.label)
    )
    link.click()

    expect(page).to_have_url(re.compile(rf"/staff/actions/reports/{report.pk}/$"))
    expect_language(page, language)
    expect(page.locator("dl.meta .badge.report-submitted")).to_have_count(1)
    review = page.locator("#review")
    expect(review.locator("tbody tr")).to_have_count(2)  # drafted, submitted
    approve = review.locator(f"form[action$='/reports/{report.pk}/approve/']")
    approve.locator("textarea[name=comment]").fill(comment)
    approve.locator("button[type=submit]").click()

    expect(page.locator("main .messages .message-success")).to_have_text(
        _translated(language, "Report approved.")
    )
    expect(page.locator("dl.meta .badge.report-approved")).to_have_count(1)
    expect(review.locator("tbody tr")).to_have_count(3)
    expect(review.locator("tbody tr").last).to_contain_text(comment)
    # Locked: no review forms, no edit link, no submit button; only a correction.
    expect(review.locator("form")).to_have_count(0)
    expect(page.locator(f"main a[href$='/reports/{report.pk}/edit/']")).to_have_count(0)
    expect(page.locator(f"main form[action$='/reports/{report.pk}/submit/']")).to_have_count(0)
    expect(page.locator(f"main form[action$='/reports/{report.pk}/correct/']")).to_have_count(1)
    expect(page.locator("#evidence form")).to_have_count(0)
    assert_accessible(page)

    report.refresh_from_db()
    assert report.status == ProgressReportStatus.APPROVED
    assert report.reviewed_by == coordinator_account
    assert report.reviewed_at is not None
    assert report.review_comment == comment
    assert report.author == author

    # Off the coordinator's list.
    page.goto(f"{live_server.url}/staff/my-work/")
    expect(page.locator(f"main a[href$='/staff/actions/reports/{report.pk}/']")).to_have_count(0)


def test_returning_a_report_needs_a_comment(
    page, live_server, log_in, coordinator_account, demo, language
):
    report = _submitted_report()
    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/actions/reports/{report.pk}/")
    expect_language(page, language)
    returning = page.locator(f"#review form[action$='/reports/{report.pk}/return/']")
    returning.locator("button[type=submit]").click()

    # The server refuses, in the page's language (under the field, or as the page's
    # message), and the report is still awaiting review.
    expect(page.locator("#return-comment-error, main .messages .message-error")).to_have_text(
        _translated(language, "Say what should change in the report.")
    )
    expect_language(page, language)
    expect(page.locator("dl.meta .badge.report-submitted")).to_have_count(1)
    expect(returning).to_have_count(1)
    assert_accessible(page)
    report.refresh_from_db()
    assert report.status == ProgressReportStatus.SUBMITTED
    assert report.reviewed_by is None

    # With a comment it goes back to its author.
    returning.locator("textarea[name=comment]").fill("Please add the figures by region.")
    returning.locator("button[type=submit]").click()
    expect(page.locator("dl.meta .badge.report-returned")).to_have_count(1)
    report.refresh_from_db()
    assert report.status == ProgressReportStatus.RETURNED
    assert report.reviewed_by == coordinator_account
    assert report.review_comment == "Please add the figures by region."


# --- Recording a committee decision -------------------------------------------------------


def test_the_secretary_records_a_decision_with_a_follow_up_task(
    page, live_server, log_in_as, demo, language
):
    meeting = _held_meeting()
    before = meeting.decisions.count()
    tasks_before = FollowUpTask.objects.filter(decision__meeting=meeting).count()
    number = before + 1
    secretary = User.objects.get(username="focal.police")
    police = Institution.objects.get(code="police")
    due = timezone.localdate() + timedelta(days=30)
    text = "Send the revised module 3 to every police training centre."
    task = "Print and send the revised module with a covering letter."

    _prefer("focal.police", language)
    log_in_as("focal.police")
    page.goto(f"{live_server.url}/staff/agreements/meetings/{meeting.pk}/")
    expect_language(page, language)
    decisions = page.locator("#decisions article")
    expect(decisions).to_have_count(before)
    form = page.locator(f"#decision-form form[action$='/meetings/{meeting.pk}/decisions/']")
    form.locator("textarea[name=text]").fill(text)
    form.locator("textarea[name=task_description]").fill(task)
    form.locator("select[name=task_owner]").select_option(str(secretary.pk))
    form.locator("select[name=task_institution]").select_option(str(police.pk))
    form.locator("input[name=task_due_on]").fill(due.isoformat())
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/#decisions$"))
    expect_language(page, language)
    expect(page.locator("main .messages .message-success")).to_contain_text(_number(number))
    expect(decisions).to_have_count(number)
    recorded = decisions.last
    expect(recorded.locator("h3")).to_contain_text(_number(number))
    expect(recorded.locator("p.text-block")).to_have_text(text)
    task_row = recorded.locator("table tbody tr")
    expect(task_row).to_have_count(1)
    expect(task_row.locator("td").nth(0)).to_have_text(task)
    expect(task_row.locator("td").nth(1)).to_contain_text(str(secretary))
    expect(task_row.locator("td").nth(1)).to_contain_text(police.names[language])
    expect(task_row.locator("td").nth(2)).to_contain_text(_date(language, due))
    assert_accessible(page)

    decision = Decision.objects.get(meeting=meeting, number=number)
    assert decision.text == text
    assert decision.recorded_by == secretary
    (follow_up,) = decision.tasks.all()
    assert (follow_up.description, follow_up.owner, follow_up.institution, follow_up.due_on) == (
        task,
        secretary,
        police,
        due,
    )
    assert follow_up.done_on is None
    assert FollowUpTask.objects.filter(decision__meeting=meeting).count() == tasks_before + 1


def test_a_committee_member_sees_the_meeting_but_cannot_record(
    page, live_server, log_in_as, demo, language
):
    meeting = _held_meeting()
    _prefer("committee", language)
    log_in_as("committee")
    page.goto(f"{live_server.url}/staff/agreements/meetings/{meeting.pk}/")
    expect_language(page, language)
    expect(page.locator("#decisions article")).to_have_count(meeting.decisions.count())
    expect(page.locator("#record")).to_have_count(1)  # attendance and minutes
    main = page.locator("main")
    expect(main.locator("form")).to_have_count(0)
    expect(main.locator(f"a[href$='/meetings/{meeting.pk}/edit/']")).to_have_count(0)
    expect(main.locator("a[href*='/tasks/']")).to_have_count(0)
    assert_accessible(page)

    # Posting the form anyway (with a valid CSRF token) is refused.
    headers = json.loads(page.locator("body").get_attribute("hx-headers") or "{}")
    response = page.request.post(
        f"{live_server.url}/staff/agreements/meetings/{meeting.pk}/decisions/",
        form={"text": "Not allowed."},
        headers=headers,
        max_redirects=0,
    )
    assert response.status == 403
    assert meeting.decisions.filter(text="Not allowed.").count() == 0
