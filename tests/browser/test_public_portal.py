"""The public portal in the browser, logged out, in Arabic (right to left) and French, on
the demo (which publishes the CMW recommendations and the actions answering them, the
training action with its figures): from the home page to a recommendation, its actions,
the training action's figures and the open data page, whose CSV file downloads; every
page checked with axe-core. On a phone 360 px wide, the list of recommendations does not
scroll sideways.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from mizan.actions.models import Action
from mizan.core.demo.action_plan import TRAINING_ACTION
from mizan.core.demo.content import CMW_SYMBOL, TRAINING_PARAGRAPH
from mizan.public.views_portal import PAGE_SIZE
from mizan.recommendations.models import Recommendation
from tests.browser.conftest import assert_accessible, expect_language

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


def expect_page(page: Page, language: str) -> None:
    """The page is in ``language``, has one main heading and no serious accessibility
    problem."""
    expect_language(page, language)
    expect(page.locator("main h1")).to_have_count(1)
    assert_accessible(page)


def portal_link(page: Page, path: str) -> Any:
    return page.locator(f"main nav.portal-nav a[href$='{path}']")


def published() -> Any:
    return Recommendation.objects.filter(published_at__isnull=False)


def test_a_visitor_reads_the_portal_and_downloads_the_open_data(page, live_server, demo, language):
    recommendation = Recommendation.objects.get(
        document__symbol=CMW_SYMBOL, paragraph=TRAINING_PARAGRAPH
    )
    action = Action.objects.get(title=TRAINING_ACTION.title)
    assert recommendation.published_at is not None and action.published_at is not None
    shown = published().count()
    unpublished = Recommendation.objects.filter(published_at__isnull=True).first()
    assert unpublished is not None, "the demo keeps a document unpublished"

    # Home: no account, a way to log in, and the published figures.
    page.goto(f"{live_server.url}/")
    expect(page.locator("main a[href$='/accounts/login/']")).to_have_count(1)
    expect(page.locator("nav.main-nav")).to_have_count(0)
    expect(page.locator("main a[href$='/open-data/']")).not_to_have_count(0)
    expect_page(page, language)

    # The published recommendations, filtered by the state's assessment.
    portal_link(page, "/recommendations/").click()
    expect(page).to_have_url(re.compile(r"/recommendations/$"))
    expect(portal_link(page, "/recommendations/")).to_have_attribute("aria-current", "page")
    cards = page.locator("main ul.card-list > li.card")
    expect(cards).to_have_count(min(shown, PAGE_SIZE))
    expect(page.locator(f"main a[href$='/recommendations/{unpublished.pk}/']")).to_have_count(0)
    expect_page(page, language)
    page.locator("#filter-status").select_option(recommendation.status)
    page.locator("main form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"[?&]status={recommendation.status}(&|$)"))
    same_status = published().filter(status=recommendation.status).count()
    expect(cards).to_have_count(min(same_status, PAGE_SIZE))
    expect_page(page, language)

    # One recommendation, and the actions answering it.
    link = page.locator(f"main .card-list a[href$='/recommendations/{recommendation.pk}/']")
    while not link.count():
        page.locator("main nav.pagination a[rel=next]").click()
    link.click()
    expect(page).to_have_url(re.compile(rf"/recommendations/{recommendation.pk}/$"))
    expect(page.locator("main h1")).to_contain_text(CMW_SYMBOL)
    answers = page.locator("main section[aria-labelledby=actions-heading] li a")
    expect(answers).to_have_count(recommendation.actions.filter(published_at__isnull=False).count())
    expect(
        page.locator(
            f"main section[aria-labelledby=actions-heading] a[href$='/actions/{action.pk}/']"
        )
    ).to_have_count(1)
    expect_page(page, language)

    # The published actions, then the training action with its figures.
    portal_link(page, "/actions/").click()
    expect(page).to_have_url(re.compile(r"/actions/$"))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(
        min(Action.objects.filter(published_at__isnull=False).count(), PAGE_SIZE)
    )
    expect_page(page, language)
    rows.locator(f"a[href$='/actions/{action.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/actions/{action.pk}/$"))
    figures = page.locator("#training-figures")
    expect(figures.locator("dl.meta dd")).not_to_have_count(0)
    trained = figures.locator("dl.meta dd").first
    expect(trained).to_have_text(re.compile(r"^\s*\d+\s*$"))
    assert int(trained.inner_text()) >= 11, "the demo's figures are large enough to show"
    # The breakdowns are charts: tables, with bars drawn beside the figures.
    expect(figures.locator("figure.chart[id^=trained-] tbody tr")).not_to_have_count(0)
    expect(figures.locator("figure.chart svg.chart-bar")).not_to_have_count(0)
    answered = page.locator("main section[aria-labelledby=recommendations-heading]")
    expect(answered.locator(f"a[href$='/recommendations/{recommendation.pk}/']")).to_have_count(1)
    expect_page(page, language)

    # The open data page; the recommendations' CSV holds every published one.
    portal_link(page, "/open-data/").click()
    expect(page).to_have_url(re.compile(r"/open-data/$"))
    expect(page.locator("main table tbody tr")).to_have_count(3)
    expect_page(page, language)
    with page.expect_download() as download_info:
        page.locator("main a[href$='/open-data/recommendations.csv']").click()
    download = download_info.value
    assert download.suggested_filename == "recommendations.csv"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf"), "a byte-order mark, for spreadsheets"
    records = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(records) == shown
    assert {int(record["id"]) for record in records} == set(
        published().values_list("pk", flat=True)
    )
    ours = next(record for record in records if int(record["id"]) == recommendation.pk)
    assert ours["document"] == CMW_SYMBOL
    assert str(action.pk) in ours["actions"]

    # The same records from the public API, with no account.
    response = page.request.get(f"{live_server.url}/api/public/v1/recommendations/")
    assert response.ok, response.status
    assert response.json()["count"] == shown


def test_the_recommendations_fit_a_phone(phone, live_server, demo, language):
    phone.goto(f"{live_server.url}/recommendations/")
    expect(phone.locator("main ul.card-list > li.card")).to_have_count(
        min(published().count(), PAGE_SIZE)
    )
    expect_page(phone, language)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the list scrolls sideways: {width} px wide"
