"""The suggestions loop in the browser, in Arabic (right to left) and French: a
participant makes suggestions from their phone, the joint committee reviews them blind,
decides and releases its decisions, and a coordinator integrates an accepted one into a
new curriculum version, which the module's traceability page then shows. Every page on
the way is checked with axe-core.

Blind review is checked on every page a committee member opens while the suggestions are
under review: none holds the participant's names (Latin and Arabic) or the staff
author's. The coordinator, who is not on the committee, does see the participant's name,
so the check looks for something that is there to find.

Each test builds the loop up to its step through the services (see
``tests.suggestions.browser_builders``), which is much faster than loading the demo.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from mizan.suggestions.enums import Outcome, RoundStatus, Subject, SuggestionStatus
from mizan.suggestions.models import (
    ReviewAssignment,
    ReviewRound,
    Suggestion,
    SuggestionDecision,
)
from mizan.training import services as training_services
from mizan.training.models import ChangelogEntry
from tests.browser.conftest import assert_accessible, expect_language
from tests.suggestions.browser_builders import (
    ANONYMOUS_TEXT,
    AUTHOR_NAMES,
    NAMED_TEXT,
    PARTICIPANT_ARABIC,
    PARTICIPANT_LATIN,
    STAFF_AUTHOR,
    STAFF_TEXT,
    LoopCase,
    anonymous_suggestion,
    build_loop_case,
    loop_suggestions,
    named_suggestion,
)
from tests.suggestions.builders import decide_and_release, open_round, review_everything

PHONE = {"width": 360, "height": 740}
ROUND_TITLE = "Suggestions of the Oujda session"
REVIEWERS = 3
COMMENT = "A strong case study; keep it to one hour."
ACCEPTED = "It fits the module on screening, and the trainers have such a case."
DEFERRED = "The guide is being translated; we come back to it in June."
CHANGE = "Module 1 gets a case study of a family stopped at the border."


@pytest.fixture
def loop(nhri: Any, coordinator_account: Any, language: str) -> LoopCase:
    return build_loop_case(nhri=nhri, coordinator=coordinator_account, language=language)


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


def expect_page(page: Page, language: str) -> None:
    """The page is in ``language``, has one main heading and no serious accessibility
    problem."""
    expect_language(page, language)
    expect(page.locator("main h1")).to_have_count(1)
    assert_accessible(page)


def expect_phone_page(page: Page, language: str) -> None:
    """As ``expect_page``, and nothing wider than the phone's screen."""
    expect_page(page, language)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} px wide"


def expect_no_author(page: Page) -> None:
    """Nothing on the page, hidden parts included, names an author."""
    content = page.content()
    for name in AUTHOR_NAMES:
        assert name not in content, f"{page.url} names {name!r} to a blind reviewer"


def log_in_again(page: Page, log_in: Any, user: Any) -> Page:
    """Log ``user`` in in place of whoever was logged in."""
    page.context.clear_cookies()
    return log_in(user)


def suggest(
    page: Page,
    *,
    subject: str,
    category: str,
    text: str,
    module: Any = None,
    anonymous: bool = False,
) -> None:
    """Fill in the participant's suggestion form (in English) and send it."""
    form = page.locator("main form[method=post]")
    form.locator(f"input[name=subject][value={subject}]").check()
    if module is not None:
        form.locator("#id_module").select_option(str(module.pk))
    form.locator(f"input[name=category][value={category}]").check()
    form.locator("#id_text").fill(text)
    form.locator("#id_language").select_option("en")
    if anonymous:
        form.locator("#id_anonymous").check()
    form.locator("button[type=submit]").click()


def suggestions_section(page: Page) -> Locator:
    return page.locator("main section[aria-labelledby=suggestions-heading]")


def dashboard_url(live_server: Any, review_round: ReviewRound) -> str:
    return f"{live_server.url}/staff/reviews/{review_round.pk}/"


# --- 1. The participant's phone ----------------------------------------------------------


def test_participant_makes_a_named_and_an_anonymous_suggestion(phone, live_server, loop, language):
    home = f"{live_server.url}/p/{loop.link.token}/"
    phone.goto(home)
    expect_phone_page(phone, language)
    section = suggestions_section(phone)
    expect(section.locator("ul.task-list li")).to_have_count(0)

    # A named suggestion about the first module.
    section.locator("a[href$='/suggest/']").click()
    expect(phone).to_have_url(re.compile(rf"/p/{loop.link.token}/suggest/$"))
    expect_phone_page(phone, language)
    suggest(phone, subject=Subject.MODULE, category="content", text=NAMED_TEXT, module=loop.module)
    expect(phone).to_have_url(home)
    named = Suggestion.objects.get()
    assert (named.author_enrolment_id, named.module_id, named.session_id, named.anonymous) == (
        loop.enrolment.pk,
        loop.module.pk,
        loop.session.pk,
        False,
    )
    expect(phone.locator("main .phone-messages")).to_contain_text(named.reference)
    items = section.locator("ul.task-list li")
    expect(items).to_have_count(1)
    expect(items).to_contain_text(named.reference)
    expect(items).to_contain_text(NAMED_TEXT)
    expect_phone_page(phone, language)

    # An anonymous one: received, under a reference of its own, and listed nowhere here.
    section.locator("a[href$='/suggest/']").click()
    expect_phone_page(phone, language)
    suggest(
        phone,
        subject=Subject.LOGISTICS,
        category="organisation",
        text=ANONYMOUS_TEXT,
        anonymous=True,
    )
    expect(phone).to_have_url(home)
    anonymous = Suggestion.objects.get(anonymous=True)
    assert (anonymous.author_enrolment_id, anonymous.author_institution_id) == (None, None)
    assert anonymous.session_id == loop.session.pk
    expect(phone.locator("main .phone-messages")).to_contain_text(anonymous.reference)
    expect(items).to_have_count(1)
    expect(items).to_contain_text(named.reference)
    expect(section).not_to_contain_text(anonymous.reference)
    expect(section).not_to_contain_text(ANONYMOUS_TEXT)
    expect_phone_page(phone, language)

    # Opened again later, the home page still lists the named one only.
    phone.goto(home)
    expect(items).to_have_count(1)
    expect(section).not_to_contain_text(ANONYMOUS_TEXT)


# --- 2. A blind round: prepared, opened, reviewed ---------------------------------------


def test_committee_prepares_a_blind_round_and_a_member_reviews(
    page, live_server, log_in, loop, language
):
    case = loop.case
    named, anonymous = named_suggestion(loop), anonymous_suggestion(loop)

    # The staff author makes theirs signed in, and sees it signed with their name.
    log_in(loop.staff_author)
    page.locator("nav.main-nav a[href$='/staff/suggestions/']").click()
    expect_page(page, language)
    page.locator("main a[href$='/staff/suggestions/new/']").click()
    expect(page).to_have_url(re.compile(r"/staff/suggestions/new/$"))
    expect_page(page, language)
    form = page.locator("main form[method=post]")
    form.locator(f"input[name=subject][value={Subject.LOGISTICS}]").check()
    form.locator("#id_category").select_option("organisation")
    form.locator("#id_text").fill(STAFF_TEXT)
    form.locator("#id_language").select_option("en")
    form.locator("#id_session").select_option(str(loop.session.pk))
    form.locator("button[type=submit]").click()
    staff = Suggestion.objects.get(author_user=loop.staff_author)
    assert (staff.session_id, staff.text) == (loop.session.pk, STAFF_TEXT)
    expect(page).to_have_url(re.compile(rf"/staff/suggestions/{staff.pk}/$"))
    expect(page.locator("main")).to_contain_text(STAFF_AUTHOR)
    expect_page(page, language)

    # The chair creates a blind round about the session's curriculum.
    log_in_again(page, log_in, case.partnership.chair)
    page.locator("nav.main-nav a[href$='/staff/reviews/']").click()
    expect(page).to_have_url(re.compile(r"/staff/reviews/$"))
    expect_page(page, language)
    page.locator("main a[href$='/staff/reviews/new/']").click()
    expect_page(page, language)
    form = page.locator("main form[method=post]")
    expect(form.locator("#id_committee")).to_have_value(str(case.committee.pk))
    form.locator("#id_title").fill(ROUND_TITLE)
    form.locator("#id_curriculum").select_option(str(loop.session.version.curriculum_id))
    form.locator("#id_blind").check()
    # Three each: every member without a conflict reviews the participant's suggestion.
    form.locator("#id_reviewers_per_suggestion").fill(str(REVIEWERS))
    form.locator("button[type=submit]").click()
    review_round = ReviewRound.objects.get()
    assert (review_round.title, review_round.blind, review_round.committee_id) == (
        ROUND_TITLE,
        True,
        case.committee.pk,
    )
    expect(page).to_have_url(re.compile(rf"/staff/reviews/{review_round.pk}/edit/$"))
    criteria = list(review_round.criteria.all())
    assert criteria, "the round starts with the default rubric"
    expect_page(page, language)

    # The three suggestions go into the round; no page names their authors.
    dashboard = dashboard_url(live_server, review_round)
    page.goto(dashboard)
    expect_page(page, language)
    page.locator("#next-steps a[href$='/suggestions/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/reviews/{review_round.pk}/suggestions/$"))
    expect_page(page, language)
    for suggestion in (named, anonymous, staff):
        page.locator(f"#add-{suggestion.pk}").check()
    page.locator("#add button[name=add]").click()
    expect(page.locator("#in-round tbody tr")).to_have_count(3)
    assert {s.pk for s in review_round.suggestions.all()} == {named.pk, anonymous.pk, staff.pk}
    expect_page(page, language)
    expect_no_author(page)

    # Reviewers assigned, never the session's trainer; the secretary, of the police
    # directorate like the officer, does not review the officer's suggestion.
    page.goto(dashboard)
    page.locator("#next-steps a[href$='/assign/']").click()
    expect_page(page, language)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("#summary")).to_be_visible()
    assignments = ReviewAssignment.objects.filter(round=review_round)
    assert all(
        assignments.filter(suggestion=s).count() == REVIEWERS for s in (named, anonymous, staff)
    )
    assert not assignments.filter(reviewer__user=case.trainer).exists()
    assert not assignments.filter(
        suggestion=named, reviewer__user=case.partnership.secretary
    ).exists()
    expect_page(page, language)
    expect_no_author(page)

    # Opened: reviewers can score.
    page.goto(dashboard)
    page.locator("#next-steps a[href$='/open/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/reviews/{review_round.pk}/open/$"))
    expect_page(page, language)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(dashboard)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.REVIEWING
    expect_language(page, language)
    expect_no_author(page)

    # A reviewer finds the named suggestion under "my reviews", and no author anywhere.
    log_in_again(page, log_in, case.reviewer)
    page.locator("nav.main-nav a[href$='/staff/reviews/']").click()
    page.locator("main a[href$='/staff/reviews/mine/']").click()
    expect(page).to_have_url(re.compile(r"/staff/reviews/mine/$"))
    mine = assignments.filter(reviewer__user=case.reviewer)
    expect(page.locator("main tbody tr")).to_have_count(mine.count())
    expect_page(page, language)
    expect_no_author(page)
    assignment = mine.get(suggestion=named)
    page.locator(f"main a[href$='/staff/reviews/assignments/{assignment.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/reviews/assignments/{assignment.pk}/$"))
    expect(page.locator("#suggestion")).to_contain_text(NAMED_TEXT)
    expect_page(page, language)
    expect_no_author(page)

    # They score every criterion and comment.
    scores = {criterion.pk: 5 - n % 3 for n, criterion in enumerate(criteria)}
    expect(page.locator("#review form fieldset")).to_have_count(len(criteria))
    for pk, value in scores.items():
        page.locator(f"#review input[name=criterion_{pk}][value='{value}']").check()
    page.locator("#id_comment").fill(COMMENT)
    page.locator("#review form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/reviews/mine/$"))
    assignment.refresh_from_db()
    review = assignment.review
    assert review.comment == COMMENT
    assert {s.criterion_id: s.value for s in review.scores.all()} == scores
    done = page.locator("main tbody tr").filter(
        has=page.locator(f"a[href$='/staff/reviews/assignments/{assignment.pk}/']")
    )
    expect(done.locator(".badge.status-completed")).to_have_count(1)
    expect_language(page, language)
    expect_no_author(page)

    # The dashboard shows the progress: one review of three on the suggestion, one done
    # by the reviewer, whose comment they read back.
    page.goto(dashboard)
    row = page.locator(f"#suggestion-{named.pk}")
    expect(row.locator("td").nth(1)).to_have_text(re.compile(rf"^\D*1\D+{REVIEWERS}\D*$"))
    expect(row.locator("details")).to_contain_text(COMMENT)
    reviewer_row = page.locator("#reviewers tbody tr").filter(has_text=case.reviewer.username)
    expect(reviewer_row.locator("td").nth(1)).to_have_text(str(mine.count()))
    expect(reviewer_row.locator("td").nth(2)).to_have_text("1")
    expect_page(page, language)
    expect_no_author(page)

    # Nor do the suggestions' own pages name the authors to the reviewer.
    page.locator("nav.main-nav a[href$='/staff/suggestions/']").click()
    expect(page.locator("#results tbody tr")).to_have_count(3)
    expect_page(page, language)
    expect_no_author(page)
    page.locator(f"#results a[href$='/staff/suggestions/{named.pk}/']").click()
    expect(page.locator("main")).to_contain_text(NAMED_TEXT)
    expect_page(page, language)
    expect_no_author(page)


# --- 3. Decisions at a meeting, released -------------------------------------------------


def decide(
    page: Page, suggestions: list[Suggestion], outcome: str, rationale: str, meeting: Any
) -> None:
    """Tick ``suggestions`` on the round's decisions page and record one decision."""
    for suggestion in suggestions:
        page.locator(f"#pick-{suggestion.pk}").check()
    page.locator("#id_outcome").select_option(outcome)
    page.locator("#id_rationale").fill(rationale)
    page.locator("#id_meeting").select_option(str(meeting.pk))
    page.locator("main form[method=post] fieldset button[type=submit]").click()


def test_committee_decides_in_bulk_and_releases(page, phone, live_server, log_in, loop, language):
    case = loop.case
    named, anonymous, staff = loop_suggestions(loop)
    review_round = open_round(case, [named, anonymous, staff])
    review_everything(review_round)
    dashboard = dashboard_url(live_server, review_round)

    # The chair closes the review.
    log_in(case.partnership.chair)
    page.goto(dashboard)
    expect_page(page, language)
    page.locator("#next-steps a[href$='/close/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/reviews/{review_round.pk}/close/$"))
    expect_page(page, language)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(dashboard)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.CLOSED

    # At the meeting: the participant's two suggestions accepted together, the staff one
    # deferred; nothing is published yet.
    page.locator("#next-steps a[href$='/decisions/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/reviews/{review_round.pk}/decisions/$"))
    expect(page.locator("main tbody tr[id^=suggestion-]")).to_have_count(3)
    expect_page(page, language)
    expect_no_author(page)
    decide(page, [named, anonymous], Outcome.ACCEPTED, ACCEPTED, case.meeting)
    expect(page).to_have_url(re.compile(rf"/staff/reviews/{review_round.pk}/decisions/$"))
    for suggestion in (named, anonymous):
        row = page.locator(f"#suggestion-{suggestion.pk}")
        expect(row).to_contain_text(ACCEPTED)
        expect(row.locator(".badge.status-in_progress")).to_have_count(1)  # not released
    recorded = SuggestionDecision.objects.filter(round=review_round)
    assert sorted(recorded.values_list("suggestion_id", "outcome", "rationale", "meeting_id")) == [
        (named.pk, Outcome.ACCEPTED, ACCEPTED, case.meeting.pk),
        (anonymous.pk, Outcome.ACCEPTED, ACCEPTED, case.meeting.pk),
    ]
    assert not recorded.filter(released_at__isnull=False).exists()
    decide(page, [staff], Outcome.DEFERRED, DEFERRED, case.meeting)
    expect(page.locator(f"#suggestion-{staff.pk}")).to_contain_text(DEFERRED)
    expect_language(page, language)
    expect_no_author(page)

    # Until the release, the participant's page says nothing of it.
    home = f"{live_server.url}/p/{loop.link.token}/"
    phone.goto(home)
    section = suggestions_section(phone)
    expect(section.locator("ul.task-list li")).to_have_count(1)
    expect(section).not_to_contain_text(ACCEPTED)
    expect(section.locator("dl.plan")).to_have_count(0)

    # Released.
    page.locator("main .page-head a[href$='/release/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/reviews/{review_round.pk}/release/$"))
    expect_page(page, language)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/staff/reviews/{review_round.pk}/decisions/$"))
    expect(page.locator("main tbody .badge.status-implemented")).to_have_count(3)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.RELEASED
    assert recorded.filter(released_at__isnull=False).count() == 3
    expect_page(page, language)
    expect_no_author(page)

    # The participant now reads the outcome and the rationale of their named suggestion;
    # the anonymous one is still not theirs to see.
    phone.goto(home)
    expect_phone_page(phone, language)
    item = section.locator("ul.task-list li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(named.reference)
    expect(item.locator("dl.plan")).to_have_count(1)
    expect(item.locator("dl.plan")).to_contain_text(ACCEPTED)
    expect(item.locator(".status-done")).to_have_count(1)
    expect(section).not_to_contain_text(ANONYMOUS_TEXT)
    expect(section).not_to_contain_text(DEFERRED)


# --- 4. Into a new version, and traceable ------------------------------------------------


def test_coordinator_integrates_an_accepted_suggestion(
    page, live_server, log_in, loop, language, coordinator_account
):
    case = loop.case
    named, anonymous, staff = loop_suggestions(loop)
    review_round = open_round(case, [named, anonymous, staff])
    review_everything(review_round)
    decide_and_release(case, review_round)
    draft = training_services.new_version_from(
        version=loop.session.version,
        changelog="Case studies from the spring sessions.",
        by=coordinator_account,
    )
    module = draft.modules.get(order=loop.module.order)

    # From the draft's page to the integration form, which offers the accepted ones.
    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/training/versions/{draft.pk}/")
    expect_page(page, language)
    page.locator("#changes a[href$='/integrate/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/training/versions/{draft.pk}/integrate/$"))
    expect(page.locator("main input[name=suggestions]")).to_have_count(3)
    expect_page(page, language)
    form = page.locator("main form[method=post]")
    form.locator("#id_text").fill(CHANGE)
    form.locator(f"input[name=modules][value='{module.pk}']").check()
    form.locator(f"input[name=suggestions][value='{named.pk}']").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/staff/training/versions/{draft.pk}/#changes$"))
    entry = ChangelogEntry.objects.get(version=draft, text=CHANGE)
    assert list(entry.suggestions.all()) == [named]
    assert list(entry.modules.all()) == [module]
    named.refresh_from_db()
    assert named.status == SuggestionStatus.INTEGRATED
    change = page.locator(f"#changes #change-{entry.pk}")
    expect(change).to_contain_text(CHANGE)
    expect(change.locator(f"a[href$='/staff/suggestions/{named.pk}/']")).to_have_count(1)
    expect_page(page, language)

    # The module's traceability page: the change, the suggestion and the decision.
    page.locator(f"#module-{module.pk} a[href$='/modules/{module.pk}/traceability/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/training/modules/{module.pk}/traceability/$"))
    trail = page.locator(f"main section#change-{entry.pk}")
    expect(page.locator("main section")).to_have_count(1)
    expect(trail).to_contain_text(CHANGE)
    expect(trail.locator(f"a[href$='/staff/suggestions/{named.pk}/']")).to_have_count(1)
    expect(trail).to_contain_text(named.decisions.get().rationale)
    expect(trail).not_to_contain_text(anonymous.reference)
    expect_page(page, language)

    # The suggestion's page says where it ended up.
    trail.locator(f"a[href$='/staff/suggestions/{named.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/staff/suggestions/{named.pk}/$"))
    expect(
        page.locator(f"main section a[href$='/staff/training/versions/{draft.pk}/']")
    ).to_have_count(1)
    expect_page(page, language)

    # The session's suggestions: the coordinator, on no committee, reads the participant's
    # name; the anonymous one names no one.
    page.goto(f"{live_server.url}/staff/sessions/{loop.session.pk}/suggestions/")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(3)
    named_row = rows.filter(has=page.locator(f"a[href$='/staff/suggestions/{named.pk}/']"))
    expect(named_row).to_contain_text(PARTICIPANT_LATIN)
    anonymous_row = rows.filter(has=page.locator(f"a[href$='/staff/suggestions/{anonymous.pk}/']"))
    expect(anonymous_row).not_to_contain_text(PARTICIPANT_LATIN)
    expect(anonymous_row).not_to_contain_text(PARTICIPANT_ARABIC)
    expect(page.locator(f"main a[href$='/staff/training/versions/{draft.pk}/']")).to_have_count(1)
    expect_page(page, language)
