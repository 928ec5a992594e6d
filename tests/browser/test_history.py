"""Opening a recommendation, editing its text, and finding the change in its history."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from mizan.recommendations.models import RecommendationText
from tests.browser.conftest import assert_accessible, expect_language
from tests.factories import RecommendationFactory

OLD_TEXT = "Train border officials on the rights of migrant workers."
NEW_TEXT = "Train border officials and labour inspectors on the rights of migrant workers."


def test_edited_text_shows_in_history_with_its_author(
    page, live_server, log_in, coordinator_account, language
):
    recommendation = RecommendationFactory(paragraph="31(c)", text=OLD_TEXT)
    coordinator_account.display_name = "Amina Berrada"
    coordinator_account.save()
    log_in(coordinator_account)

    page.goto(f"{live_server.url}/staff/recommendations/")
    page.locator(".recommendation-item a.reference", has_text="¶31(c)").click()
    expect(page).to_have_url(re.compile(rf"/staff/recommendations/{recommendation.pk}/$"))
    expect_language(page, language)
    expect(page.locator("main p.text-block[lang=en]")).to_have_text(OLD_TEXT)
    assert_accessible(page)

    page.locator(f"main a[href$='/recommendations/{recommendation.pk}/edit/']").click()
    expect(page.locator("#id_text_en")).to_have_value(OLD_TEXT)
    page.locator("#id_text_en").fill(NEW_TEXT)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/staff/recommendations/{recommendation.pk}/$"))
    expect(page.locator("main p.text-block[lang=en]")).to_have_text(NEW_TEXT)
    assert RecommendationText.objects.get(recommendation=recommendation).text == NEW_TEXT

    page.locator(f"main a[href$='/recommendations/{recommendation.pk}/history/']").click()
    expect_language(page, language)
    change = page.locator("article.history-entry", has_text=NEW_TEXT)
    expect(change).to_have_count(1)
    expect(change.locator("h2")).to_contain_text("Amina Berrada")
    cells = change.locator("tbody tr td")
    expect(cells.nth(1)).to_have_text(OLD_TEXT)
    expect(cells.nth(2)).to_have_text(NEW_TEXT)
    assert_accessible(page)
