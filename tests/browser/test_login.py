"""Logging in, in Arabic (right to left) and French."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def test_login_page_and_dashboard(page, live_server, log_in, coordinator_account, language):
    page.goto(f"{live_server.url}/accounts/login/")
    expected_dir = "rtl" if language == "ar" else "ltr"
    expect(page.locator("html")).to_have_attribute("dir", expected_dir)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    log_in(coordinator_account)
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
