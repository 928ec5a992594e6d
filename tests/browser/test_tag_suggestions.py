"""Accepting one suggested tag and rejecting another, in place through HTMX, on the
recommendation's page and in the review queue, in Arabic (right to left) and French."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mizan.assist.models import RejectedSuggestion
from mizan.recommendations import services
from mizan.recommendations.enums import TaggingSource
from mizan.recommendations.models import Tagging
from tests.browser.conftest import assert_accessible, expect_language
from tests.factories import RecommendationFactory, TermFactory, VocabularyFactory


@pytest.fixture(autouse=True)
def no_background_embedding(settings):
    # The texts created here need no embedding: that is the assistant's own job.
    settings.MIZAN_ASSIST_AUTO_REFRESH = False


@pytest.fixture
def suggestions(coordinator_account):
    """A recommendation with one confirmed tag and two suggestions in two vocabularies."""
    sdg = VocabularyFactory(
        code="sdg_targets",
        names={"en": "SDG targets", "fr": "Cibles des ODD", "ar": "غايات أهداف التنمية المستدامة"},
        position=1,
    )
    themes = VocabularyFactory(
        code="themes", names={"en": "Themes", "fr": "Thèmes", "ar": "المواضيع"}, position=2
    )
    recommendation = RecommendationFactory(
        text="Train border police officers on the human rights of migrants."
    )
    services.tag_recommendation(
        recommendation=recommendation,
        term=TermFactory(
            vocabulary=themes,
            code="B51",
            labels={"en": "Migrants", "fr": "Migrants", "ar": "المهاجرون"},
        ),
        by=coordinator_account,
    )
    accepted, rejected = (
        services.tag_recommendation(
            recommendation=recommendation,
            term=term,
            source=TaggingSource.MODEL,
            model_name="tag-model",
            confidence=confidence,
        )
        for term, confidence in [
            (
                TermFactory(
                    vocabulary=sdg,
                    code="10.7",
                    labels={
                        "en": "Safe and orderly migration",
                        "fr": "Migrations sûres et ordonnées",
                        "ar": "الهجرة الآمنة والمنظمة",
                    },
                ),
                0.91,
            ),
            (
                TermFactory(
                    vocabulary=themes,
                    code="D8",
                    labels={"en": "Death penalty", "fr": "Peine de mort", "ar": "عقوبة الإعدام"},
                ),
                0.34,
            ),
        ]
    )
    return recommendation, accepted, rejected


def decide(page: Page, tagging: Tagging, button: str) -> None:
    """Click Accept or Reject of one suggestion and wait for HTMX to swap the box."""
    with page.expect_response(
        lambda r: f"/suggested-tags/{tagging.pk}/" in r.url and r.request.headers.get("hx-request")
    ):
        page.locator(f"#suggestion-{tagging.pk} button.{button}").click()
    expect(page.locator(f"#suggestion-{tagging.pk}")).to_have_count(0)


def test_accepting_and_rejecting_suggestions_in_place(
    page, live_server, log_in, coordinator_account, suggestions, language
):
    recommendation, accepted, rejected = suggestions
    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/recommendations/{recommendation.pk}/")
    expect_language(page, language)
    box = page.locator(f"#tags-box-{recommendation.pk}")
    expect(box.locator(".suggestion")).to_have_count(2)
    # Grouped by vocabulary, each with its confidence as a percentage.
    expect(box.locator(".suggestion-group")).to_have_count(2)
    expect(box.locator(f"#suggestion-{accepted.pk}")).to_contain_text("91")
    assert_accessible(page)

    page.evaluate("window.mizanTestMarker = 'same page'")
    decide(page, accepted, "accept")
    # Now among the confirmed tags, with its Remove button, the page not reloaded.
    expect(box.locator(f"form[action$='/tags/{accepted.pk}/remove/']")).to_have_count(1)
    expect(box.locator("[role=status]")).to_contain_text("10.7")
    decide(page, rejected, "reject")
    expect(box.locator(".suggestion")).to_have_count(0)
    expect(box.locator(".tags-box-confirmed li.tag")).to_have_count(2)
    assert page.evaluate("window.mizanTestMarker") == "same page"
    assert_accessible(page)

    accepted.refresh_from_db()
    assert accepted.confirmed_by == coordinator_account
    assert accepted.confirmed_at is not None
    assert not Tagging.objects.filter(pk=rejected.pk).exists()
    remembered = RejectedSuggestion.objects.get()
    assert (remembered.term_id, remembered.rejected_by) == (rejected.term_id, coordinator_account)


def test_review_queue_decides_in_place(
    page, live_server, log_in, coordinator_account, suggestions, language
):
    recommendation, accepted, rejected = suggestions
    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/recommendations/suggested-tags/")
    expect_language(page, language)
    row = page.locator(f"#review-{recommendation.pk}")
    expect(row.locator("p[dir=auto]")).to_have_attribute("lang", "en")
    expect(row.locator(".suggestion")).to_have_count(2)
    assert_accessible(page)

    decide(page, rejected, "reject")
    decide(page, accepted, "accept")
    expect(row.locator(".suggestion")).to_have_count(0)
    # Still on the queue, which offers no removal of tags.
    expect(row.locator("form[action$='/remove/']")).to_have_count(0)
    assert_accessible(page)
    assert Tagging.objects.get(pk=accepted.pk).confirmed_by == coordinator_account
    assert RejectedSuggestion.objects.filter(term_id=rejected.term_id).exists()
