"""What a viewer sees: no buttons to change the registry, and the 403 page behind them."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, expect_language
from tests.factories import RecommendationFactory


def test_viewer_has_no_editing_buttons_and_is_refused_the_form(
    page, live_server, log_in, viewer_account, language
):
    RecommendationFactory.create_batch(2)
    log_in(viewer_account)
    page.goto(f"{live_server.url}/staff/recommendations/")
    expect(page.locator(".recommendation-item")).to_have_count(2)
    main = page.locator("main")
    expect(main.locator("a[href$='/recommendations/new/']")).to_have_count(0)
    expect(main.locator("a[href$='/recommendations/import/']")).to_have_count(0)
    expect(main.locator("input[name=selected]")).to_have_count(0)
    expect(main.locator("#bulk-form fieldset")).to_have_count(0)

    for path in ("/staff/recommendations/new/", "/staff/recommendations/import/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 403, path
        expect_language(page, language)
        expect(main.locator("h1")).to_have_count(1)
        expect(main.locator("form")).to_have_count(0)
    assert_accessible(page)
