"""Registering a recommendation by hand: the form's errors, then the saved record."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from mizan.recommendations.models import Recommendation
from tests.browser.conftest import assert_accessible, expect_language
from tests.factories import SourceDocumentFactory

ARABIC_TEXT = "إنشاء آلية وطنية مستقلة لرصد أوضاع العمال المهاجرين في القطاع الفلاحي."
FRENCH_TEXT = (
    "Créer un mécanisme national indépendant de suivi des travailleurs migrants agricoles."
)


def test_new_recommendation_with_arabic_original(
    page, live_server, log_in, coordinator_account, language
):
    document = SourceDocumentFactory(symbol="CMW/C/TST/CO/2")
    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/recommendations/")
    page.locator("main a[href$='/staff/recommendations/new/']").click()
    expect(page).to_have_url(re.compile(r"/staff/recommendations/new/$"))
    expect_language(page, language)
    assert_accessible(page)

    # Sent empty: every missing field is marked, nothing is saved.
    save = page.locator("main form[method=post] button[type=submit]")
    save.click()
    expect(page.locator("#id_paragraph")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_document")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_text_en")).to_have_attribute("aria-invalid", "true")
    assert Recommendation.objects.count() == 0
    assert_accessible(page)

    page.locator("#id_document").select_option(str(document.pk))
    page.locator("#id_paragraph").fill("44(d)")
    page.locator("#id_original_language").select_option("ar")
    page.locator("#id_text_ar").fill(ARABIC_TEXT)
    page.locator("#id_text_fr").fill(FRENCH_TEXT)
    save.click()

    expect(page).to_have_url(re.compile(r"/staff/recommendations/\d+/$"))
    expect(page.locator("main h1")).to_have_text("CMW/C/TST/CO/2 ¶44(d)")
    arabic = page.locator("main p.text-block[lang=ar]")
    expect(arabic).to_have_text(ARABIC_TEXT)
    expect(arabic).to_have_attribute("dir", "auto")
    expect(page.locator("main p.text-block[lang=fr]")).to_have_text(FRENCH_TEXT)
    recommendation = Recommendation.objects.get()
    assert recommendation.paragraph == "44(d)"
    assert recommendation.texts.get(is_original=True).language == "ar"
