"""Each main page of the follow-up work, in Arabic (right to left) and French: it is in the
page's language and direction, shows the demo's records, and has no serious or critical
axe-core violation.

The pages are visited in three groups (the work of a report, the partnership, the
directory and the recommendation), each test checking every page of its group before
failing, so one run reports every page that needs a fix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from mizan.actions.enums import ProgressReportStatus
from mizan.actions.models import Action, ProgressReport
from mizan.core.demo.action_plan import AGREEMENT, TRAINING_ACTION
from mizan.core.demo.content import CMW_SYMBOL, TRAINING_PARAGRAPH
from mizan.institutions.models import Institution
from mizan.partnerships.enums import MeetingStatus
from mizan.partnerships.models import JointCommittee, Meeting, PartnershipAgreement
from mizan.recommendations.models import Recommendation
from tests.browser.conftest import assert_accessible, expect_language


def _check_pages(
    page: Page, base_url: str, language: str, pages: list[tuple[str, Callable[[Page], Any]]]
) -> None:
    """Visit each path, check what it shows and its language, run axe; fail at the end
    with every page that failed."""
    failures = []
    for path, check in pages:
        response = page.goto(f"{base_url}{path}")
        try:
            assert response is not None and response.status == 200, f"{path}: {response}"
            expect_language(page, language)
            expect(page.locator("main h1")).to_have_count(1)
            check(page)
            assert_accessible(page)
        except AssertionError as error:
            failures.append(f"{path}: {error}")
    assert not failures, "\n\n".join(failures)


def _training_action() -> Action:
    return Action.objects.get(title=TRAINING_ACTION.title)


def test_pages_of_actions_and_reports(
    page, live_server, log_in, log_in_as, coordinator_account, demo, language
):
    action = _training_action()
    submitted = ProgressReport.objects.get(action=action, status=ProgressReportStatus.SUBMITTED)
    approved = ProgressReport.objects.get(action=action, status=ProgressReportStatus.APPROVED)
    report_link = f"a[href$='/staff/actions/reports/{submitted.pk}/']"

    def my_work(p: Page) -> None:
        # The report awaiting the coordinator's approval is on their list.
        expect(p.locator(f"main table {report_link}")).to_have_count(1)

    def action_list(p: Page) -> None:
        expect(p.locator(f"main table a[href$='/staff/actions/{action.pk}/']")).to_have_count(1)

    def action_detail(p: Page) -> None:
        expect(p.locator("#indicators article")).to_have_count(action.indicators.count())
        expect(p.locator(f"#reports {report_link}")).to_have_count(1)

    def submitted_report(p: Page) -> None:
        expect(
            p.locator(f"#review form[action$='/reports/{submitted.pk}/approve/']")
        ).to_have_count(1)

    def approved_report(p: Page) -> None:
        expect(p.locator("#review form")).to_have_count(0)
        expect(p.locator("#review tbody tr")).to_have_count(3)  # drafted, submitted, approved

    log_in(coordinator_account)
    _check_pages(
        page,
        live_server.url,
        language,
        [
            ("/staff/my-work/", my_work),
            ("/staff/actions/", action_list),
            (f"/staff/actions/{action.pk}/", action_detail),
            (f"/staff/actions/reports/{submitted.pk}/", submitted_report),
            (f"/staff/actions/reports/{approved.pk}/", approved_report),
        ],
    )

    # The police focal point's list has overdue work (a follow-up task) and a meeting.
    def focal_work(p: Page) -> None:
        expect(
            p.locator("main section[aria-labelledby=overdue-heading] tbody tr")
        ).not_to_have_count(0)
        expect(p.locator("main section[aria-labelledby=meetings-heading] tbody tr")).to_have_count(
            1
        )

    log_in_as("focal.police")
    _check_pages(page, live_server.url, language, [("/staff/my-work/", focal_work)])


def test_pages_of_the_partnership(page, live_server, log_in, coordinator_account, demo, language):
    agreement = PartnershipAgreement.objects.get(reference=AGREEMENT.reference)
    committee = JointCommittee.objects.get(agreement=agreement)
    held = Meeting.objects.get(committee=committee, status=MeetingStatus.HELD)
    planned = Meeting.objects.get(committee=committee, status=MeetingStatus.PLANNED)

    def agreement_list(p: Page) -> None:
        expect(p.locator(f"main table a[href$='/staff/agreements/{agreement.pk}/']")).to_have_count(
            1
        )

    def agreement_detail(p: Page) -> None:
        expect(p.locator("#commitments tbody tr")).to_have_count(len(AGREEMENT.commitments))
        expect(p.locator(f"#committees a[href$='/committees/{committee.pk}/']")).to_have_count(1)

    def committee_detail(p: Page) -> None:
        members = AGREEMENT.committees[0].members
        expect(p.locator("#members tbody tr")).to_have_count(len(members))
        expect(p.locator(f"#meetings a[href$='/meetings/{held.pk}/']")).to_have_count(1)
        expect(p.locator(f"#meetings a[href$='/meetings/{planned.pk}/']")).to_have_count(1)

    def held_meeting(p: Page) -> None:
        # The committee's name is isolated, so a name in Latin letters leaves the date
        # after it in the page's direction.
        expect(p.locator("main h1 bdi")).to_have_text(committee.name)
        expect(p.locator("#decisions article")).to_have_count(held.decisions.count())
        expect(p.locator("#decision-form form")).to_have_count(1)

    def planned_meeting(p: Page) -> None:
        expect(p.locator("#record-form form")).to_have_count(1)

    log_in(coordinator_account)
    _check_pages(
        page,
        live_server.url,
        language,
        [
            ("/staff/agreements/", agreement_list),
            (f"/staff/agreements/{agreement.pk}/", agreement_detail),
            (f"/staff/agreements/committees/{committee.pk}/", committee_detail),
            (f"/staff/agreements/meetings/{held.pk}/", held_meeting),
            (f"/staff/agreements/meetings/{planned.pk}/", planned_meeting),
        ],
    )


def test_pages_of_institutions_and_the_two_voices(
    page, live_server, log_in, coordinator_account, demo, language
):
    police = Institution.objects.get(code="police")
    trained = Recommendation.objects.get(document__symbol=CMW_SYMBOL, paragraph=TRAINING_PARAGRAPH)

    def institution_list(p: Page) -> None:
        expect(p.locator(f"main table a[href$='/staff/institutions/{police.pk}/']")).to_have_count(
            1
        )

    def institution_detail(p: Page) -> None:
        expect(p.locator("#actions a[href^='/staff/actions/']")).to_have_count(
            police.led_actions.count()
        )

    def recommendation_detail(p: Page) -> None:
        confirmed = trained.taggings.filter(confirmed_at__isnull=False)
        expect(p.locator("#tags li.tag bdi")).to_have_count(confirmed.count())
        voices = p.locator("#assessments .assessment-voice")
        expect(voices).to_have_count(2)
        # The state says "in progress", the NHRI "partially implemented": the page says so.
        expect(p.locator("#assessments [role=note]")).to_have_count(1)
        for voice in ("state", "nhri"):
            expect(p.locator(f"#voice-{voice}")).to_have_count(1)
        # Open the assessment forms so axe checks them too.
        for summary in voices.locator("details > summary").all():
            summary.click()
        expect(
            p.locator(f"#actions a[href$='/staff/actions/{_training_action().pk}/']")
        ).to_have_count(1)

    log_in(coordinator_account)
    _check_pages(
        page,
        live_server.url,
        language,
        [
            ("/staff/institutions/", institution_list),
            (f"/staff/institutions/{police.pk}/", institution_detail),
            (f"/staff/recommendations/{trained.pk}/", recommendation_detail),
        ],
    )
