"""Confirming a tag a model suggested, and assigning ticked recommendations in bulk."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from mizan.core.demo.loader import MODEL_NAME
from mizan.institutions.models import Institution
from mizan.recommendations.models import Assignment, Recommendation, Tagging
from tests.browser.conftest import assert_accessible, expect_language


def test_confirming_a_suggested_tag(page, live_server, log_in, coordinator_account, demo, language):
    # The demo's own suggestion, and any the assistant made on the same recommendation.
    suggested = Tagging.objects.get(
        recommendation__paragraph="27(b)", confirmed_at__isnull=True, model_name=MODEL_NAME
    )
    count = Tagging.objects.filter(
        recommendation=suggested.recommendation, confirmed_at__isnull=True
    ).count()
    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/recommendations/{suggested.recommendation_id}/")
    expect_language(page, language)
    tags = page.locator("#tags")
    expect(tags.locator(".suggestion")).to_have_count(count)
    assert_accessible(page)

    # Accepting swaps the tags box in place (HTMX); see also test_tag_suggestions.py.
    tags.locator(f"#suggestion-{suggested.pk} button.accept").click()
    expect(tags.locator(".suggestion")).to_have_count(count - 1)
    expect(tags.locator(f"form[action$='/tags/{suggested.pk}/remove/']")).to_have_count(1)
    suggested.refresh_from_db()
    assert suggested.confirmed_by == coordinator_account
    assert suggested.confirmed_at is not None


def test_bulk_assignment_of_ticked_rows(
    page, live_server, log_in, coordinator_account, demo, language
):
    ohchr = Institution.objects.get(code="ohchr")
    ticked = list(
        Recommendation.objects.filter(
            document__mechanism__code="UPR", assignments__isnull=True
        ).order_by("id")[:2]
    )
    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/recommendations/?mechanism=UPR")
    expect_language(page, language)
    for recommendation in ticked:
        page.locator(f"#select-{recommendation.pk}").check()
    bulk = page.locator("#bulk-form fieldset")
    bulk.locator("#bulk-action").select_option("assign")
    bulk.locator("#bulk-institution").select_option(str(ohchr.pk))
    bulk.locator("#bulk-role").select_option("lead")
    bulk.locator("button[type=submit]").click()

    expect(page.locator("main .messages")).to_be_visible()
    # Back on the same filtered list.
    expect(page).to_have_url(re.compile(r"/staff/recommendations/\?mechanism=UPR$"))
    for recommendation in ticked:
        row = page.locator(".recommendation-item", has=page.locator(f"#select-{recommendation.pk}"))
        expect(row).to_contain_text(ohchr.names[language])
    assert_accessible(page)
    assigned = Assignment.objects.filter(institution=ohchr, role="lead")
    assert sorted(assigned.values_list("recommendation_id", flat=True)) == sorted(
        r.pk for r in ticked
    )
    assert all(a.assigned_by == coordinator_account for a in assigned)
