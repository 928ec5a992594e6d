"""The header's language switcher changes the page's language and direction."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import expect_language

OTHER = {"ar": "fr", "fr": "ar"}


def test_language_switcher_changes_lang_and_dir(
    page, live_server, log_in, coordinator_account, language
):
    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/recommendations/")
    expect_language(page, language)
    switcher = page.locator("#language-select")
    expect(switcher).to_have_value(language)

    other = OTHER[language]
    switcher.select_option(other)
    expect_language(page, other)
    expect(page).to_have_url(re.compile(r"/staff/recommendations/$"))
    expect(page.locator("#language-select")).to_have_value(other)

    # The choice outlives the page, whatever the browser asks for.
    page.locator("nav.main-nav a[href$='/staff/documents/']").click()
    expect(page).to_have_url(re.compile(r"/staff/documents/$"))
    expect_language(page, other)

    page.locator("#language-select").select_option(language)
    expect_language(page, language)
    expect(page).to_have_url(re.compile(r"/staff/documents/$"))
