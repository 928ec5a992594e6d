"""Searching and filtering the recommendation list, in place through HTMX."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from mizan.recommendations.models import Recommendation
from tests.browser.conftest import assert_accessible, expect_language, expect_results
from tests.factories import RecommendationFactory

#: Only in the Arabic text of CMW/C/MAR/CO/2 ¶27(b) ("racial profiling").
ARABIC_WORD = "التنميط"


def with_word(word: str, queryset=None):
    queryset = Recommendation.objects.all() if queryset is None else queryset
    return queryset.filter(texts__text__iregex=rf"\b{word}").distinct()


def search(page: Page, word: str, *, submit: bool) -> None:
    """Type ``word`` in the search box and wait for HTMX to swap the results in."""
    box = page.locator("#search-input")
    with page.expect_response(lambda r: "q=" in r.url and r.request.headers.get("hx-request")):
        box.fill(word)
        if submit:
            box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q="))


def test_search_and_facets_narrow_the_list(
    page, live_server, log_in, coordinator_account, demo, language
):
    total = Recommendation.objects.count()
    log_in(coordinator_account)
    page.locator("nav.main-nav a[href$='/staff/recommendations/']").click()
    expect_language(page, language)
    expect_results(page, total)
    # One stylesheet for both directions: the filters sit at the start of the line.
    facets_box = page.locator("aside.facets").bounding_box()
    results_box = page.locator(".recommendation-list").bounding_box()
    assert facets_box and results_box
    assert (facets_box["x"] > results_box["x"]) == (language == "ar")
    assert_accessible(page)

    # Typing searches as you go, without reloading the page.
    page.evaluate("window.mizanTestMarker = 'same page'")
    search(page, "border", submit=False)
    expect_results(page, with_word("border").count())
    assert page.evaluate("window.mizanTestMarker") == "same page"

    # An Arabic word finds the recommendation whose Arabic text holds it, and no other.
    search(page, ARABIC_WORD, submit=True)
    expected = Recommendation.objects.filter(
        texts__language="ar", texts__text__contains=ARABIC_WORD
    )
    assert expected.count() == 1
    expect_results(page, 1)
    expect(page.locator(".recommendation-item a.reference")).to_have_text(
        f"{expected[0].document.symbol} ¶{expected[0].paragraph}"
    )
    # The row shows the text in the interface language, which this one has.
    expect(page.locator(".recommendation-item p[dir=auto]")).to_have_attribute("lang", language)
    assert page.evaluate("window.mizanTestMarker") == "same page"

    # Facets: a mechanism, then a term of the affected-persons vocabulary.
    page.goto(f"{live_server.url}/staff/recommendations/")
    facets = page.locator("aside.facets")
    facets.locator("a[href='?mechanism=CMW']").click()
    cmw = Recommendation.objects.filter(document__mechanism__code="CMW")
    expect_results(page, cmw.count())
    # Only the first facets start open.
    migrants_link = "a[href$='affected-persons=migrants']"
    facets.locator("details", has=page.locator(migrants_link)).locator("summary").click()
    facets.locator(migrants_link).click()
    migrants = cmw.filter(
        taggings__term__vocabulary__code="affected-persons",
        taggings__term__code="migrants",
        taggings__confirmed_at__isnull=False,
    ).distinct()
    expect_results(page, migrants.count())
    expect(facets.locator("a[aria-current=true]")).to_have_count(2)
    assert_accessible(page)

    # A search keeps the ticked facets.
    search(page, "border", submit=True)
    expect_results(page, with_word("border", migrants).count())

    # "Clear all filters" is the one plain link back to the list.
    facets.locator("a[href='/staff/recommendations/']").click()
    expect(page).to_have_url(re.compile(r"/staff/recommendations/$"))
    expect_results(page, total)
    expect(page.locator("#search-input")).to_have_value("")
    expect(facets.locator("a[aria-current=true]")).to_have_count(0)


def test_htmx_search_updates_everything_that_depends_on_the_query(
    page, live_server, log_in, coordinator_account, language
):
    RecommendationFactory(text="Train border officials on the rights of migrant workers.")
    RecommendationFactory(text="Open regular pathways for labour migration.")
    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/recommendations/")
    search(page, "border", submit=True)
    expect_results(page, 1)

    problems = []
    if page.locator("[id=results]").count() != 1:
        problems.append("the results are swapped inside #results: two elements have that id")
    facet = page.locator("aside.facets a[href*='mechanism=CMW']").get_attribute("href") or ""
    if "q=border" not in facet:
        problems.append(f"the mechanism facet links to {facet!r}, dropping the search")
    other = "fr" if language == "ar" else "ar"
    page.locator("#language-select").select_option(other)
    expect(page.locator("html")).to_have_attribute("lang", other)
    if "q=border" not in page.url:
        problems.append(f"switching language returns to {page.url!r}, dropping the search")
    assert not problems, "; ".join(problems)
