"""The document and vocabulary pages, and from a term to the recommendations it tags."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from mizan.recommendations.models import Recommendation, SourceDocument, Vocabulary
from tests.browser.conftest import assert_accessible, expect_language, expect_results


def test_documents_and_vocabularies_lead_to_the_list(
    page, live_server, log_in, coordinator_account, demo, language
):
    log_in(coordinator_account)
    nav = page.locator("nav.main-nav")

    nav.locator("a[href$='/staff/documents/']").click()
    expect_language(page, language)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(SourceDocument.objects.count())
    for document in SourceDocument.objects.all():
        expect(rows.locator("td a", has_text=document.symbol)).to_have_count(1)
    assert_accessible(page)

    nav.locator("a[href$='/staff/vocabularies/']").click()
    expect_language(page, language)
    expect(page.locator("main table tbody tr")).to_have_count(Vocabulary.objects.count())
    assert_accessible(page)

    page.locator("main a[href$='/staff/vocabularies/sdg/']").click()
    expect(page).to_have_url(re.compile(r"/staff/vocabularies/sdg/$"))
    tree = page.locator("main .term-tree")
    expect(tree.locator(":scope > ul > li")).to_have_count(17)
    assert_accessible(page)

    # Target 16.3 sits under goal 16, in a closed disclosure.
    goal = tree.locator(":scope > ul > li", has=page.locator("a[href$='tag:sdg=16']"))
    goal.locator("details > summary").click()
    goal.locator("a[href$='tag:sdg=16.3']").click()
    expect(page).to_have_url(re.compile(r"/staff/recommendations/\?tag:sdg=16\.3$"))
    tagged = Recommendation.objects.filter(
        taggings__term__vocabulary__code="sdg",
        taggings__term__code="16.3",
        taggings__confirmed_at__isnull=False,
    ).distinct()
    assert tagged.count() > 0
    expect_results(page, tagged.count())
    for recommendation in tagged:
        reference = re.compile(f"^{re.escape(str(recommendation))}$")
        expect(page.locator(".recommendation-item a.reference", has_text=reference)).to_have_count(
            1
        )
