"""Tag suggestions in the back office: accepted or rejected in one click beside the confirmed
tags (HTMX or a plain form), the review queue, and the vocabulary page's summary."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mizan.assist.enums import TagModelKind
from mizan.assist.models import RejectedSuggestion, TagModel
from mizan.recommendations import services
from mizan.recommendations.enums import TaggingSource
from mizan.recommendations.models import Tagging
from tests.factories import (
    RecommendationFactory,
    SourceDocumentFactory,
    TaggingFactory,
    TermFactory,
    VocabularyFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def suggest(recommendation, term, confidence=0.8):
    return services.tag_recommendation(
        recommendation=recommendation,
        term=term,
        source=TaggingSource.MODEL,
        model_name="tag-model",
        confidence=confidence,
    )


@pytest.fixture
def sdg():
    return VocabularyFactory(code="sdg_targets", names={"en": "SDG targets"}, position=1)


@pytest.fixture
def themes():
    return VocabularyFactory(code="themes", names={"en": "Themes"}, position=2)


@pytest.fixture
def recommendation():
    return RecommendationFactory(text="Train border police on the rights of migrant workers.")


@pytest.fixture
def target_16_2(sdg):
    return TermFactory(vocabulary=sdg, code="16.2", labels={"en": "End abuse of children"})


@pytest.fixture
def suggestion(recommendation, target_16_2):
    return suggest(recommendation, target_16_2, 0.83)


@pytest.fixture
def other_suggestion(recommendation, themes):
    term = TermFactory(vocabulary=themes, code="B51", labels={"en": "Migrants"})
    return suggest(recommendation, term, 0.42)


def accept_url(tagging):
    return reverse("staff:suggestion_accept", args=[tagging.recommendation_id, tagging.pk])


def reject_url(tagging):
    return reverse("staff:suggestion_reject", args=[tagging.recommendation_id, tagging.pk])


def detail_url(recommendation):
    return reverse("staff:recommendation_detail", args=[recommendation.pk])


# --- Accepting and rejecting -------------------------------------------------------------


def test_accepting_confirms_the_tag_in_the_users_name(coordinator_client, coordinator, suggestion):
    response = coordinator_client.post(accept_url(suggestion))
    assert response.status_code == 302
    assert response["Location"] == detail_url(suggestion.recommendation) + "#tags"
    suggestion.refresh_from_db()
    assert suggestion.confirmed_by == coordinator
    assert suggestion.confirmed_at is not None


def test_accepting_is_recorded_in_the_history_with_the_user(
    coordinator_client, coordinator, suggestion
):
    coordinator_client.post(accept_url(suggestion))
    latest = suggestion.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == coordinator
    assert latest.confirmed_at is not None


def test_rejecting_removes_the_suggestion_and_remembers_it(
    coordinator_client, coordinator, suggestion
):
    response = coordinator_client.post(reject_url(suggestion))
    assert response.status_code == 302
    assert not Tagging.objects.filter(pk=suggestion.pk).exists()
    rejected = RejectedSuggestion.objects.get()
    assert (rejected.recommendation_id, rejected.term_id) == (
        suggestion.recommendation_id,
        suggestion.term_id,
    )
    assert rejected.rejected_by == coordinator
    assert rejected.confidence == pytest.approx(0.83)


def test_rejecting_is_recorded_in_the_history_with_the_user(
    coordinator_client, coordinator, suggestion
):
    coordinator_client.post(reject_url(suggestion))
    deletion = Tagging.history.filter(id=suggestion.pk, history_type="-").get()
    assert deletion.history_user == coordinator


def test_htmx_gets_the_tags_box_back_with_the_accepted_tag_confirmed(
    coordinator_client, suggestion, other_suggestion
):
    response = coordinator_client.post(accept_url(suggestion), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(
        f'<div class="tags-box" id="tags-box-{suggestion.recommendation_id}"'
    )
    # The accepted term is among the confirmed tags, with a Remove button; the other
    # suggestion is still waiting.
    assert f"/tags/{suggestion.pk}/remove/" in html
    assert accept_url(suggestion) not in html
    assert accept_url(other_suggestion) in html
    assert 'role="status"' in html


def test_htmx_rejection_leaves_the_suggestion_out_of_the_box(
    coordinator_client, suggestion, other_suggestion
):
    html = coordinator_client.post(reject_url(other_suggestion), headers=HTMX).content.decode()
    assert f'id="suggestion-{other_suggestion.pk}"' not in html
    assert reject_url(other_suggestion) not in html
    assert reject_url(suggestion) in html


def test_plain_form_from_the_queue_comes_back_to_the_queue(coordinator_client, suggestion):
    queue = reverse("staff:suggestion_review") + "?vocabulary=sdg_targets&page=1"
    response = coordinator_client.post(accept_url(suggestion), {"next": queue})
    assert response["Location"] == queue


def test_a_next_address_elsewhere_is_ignored(coordinator_client, suggestion):
    response = coordinator_client.post(accept_url(suggestion), {"next": "https://evil.example/"})
    assert response["Location"] == detail_url(suggestion.recommendation) + "#tags"


def test_tagging_of_another_recommendation_is_not_found(coordinator_client, suggestion):
    other = RecommendationFactory()
    url = reverse("staff:suggestion_accept", args=[other.pk, suggestion.pk])
    assert coordinator_client.post(url).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.confirmed_at is None


def test_a_confirmed_tag_is_not_a_suggestion(coordinator_client, recommendation):
    confirmed = TaggingFactory(recommendation=recommendation)
    assert coordinator_client.post(reject_url(confirmed)).status_code == 404
    assert Tagging.objects.filter(pk=confirmed.pk).exists()
    assert not RejectedSuggestion.objects.exists()


def test_a_persons_unconfirmed_tag_is_not_a_suggestion(coordinator_client, recommendation):
    tagging = TaggingFactory(recommendation=recommendation, confirmed_at=None)
    assert coordinator_client.post(accept_url(tagging)).status_code == 404


def test_a_member_without_the_right_is_refused(viewer_client, suggestion):
    assert viewer_client.post(accept_url(suggestion)).status_code == 403
    assert viewer_client.post(reject_url(suggestion)).status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.confirmed_at is None
    assert not RejectedSuggestion.objects.exists()


def test_anonymous_is_sent_to_login(client, suggestion):
    for url in (accept_url(suggestion), reject_url(suggestion)):
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    suggestion.refresh_from_db()
    assert suggestion.confirmed_at is None


def test_get_is_not_allowed(coordinator_client, suggestion):
    assert coordinator_client.get(accept_url(suggestion)).status_code == 405


# --- The recommendation's page -----------------------------------------------------------


def test_page_shows_suggestions_by_vocabulary_with_confidence_and_buttons(
    coordinator_client, suggestion, other_suggestion
):
    response = coordinator_client.get(detail_url(suggestion.recommendation))
    box = response.context["tags_box"]
    assert [(g.vocabulary.code, [t.pk for t in g.suggestions]) for g in box.groups] == [
        ("sdg_targets", [suggestion.pk]),
        ("themes", [other_suggestion.pk]),
    ]
    html = response.content.decode()
    assert "83% confidence" in html
    assert 'aria-label="Accept suggestion 16.2 End abuse of children"' in html
    assert 'aria-label="Reject suggestion 16.2 End abuse of children"' in html
    # The old one-off Confirm is gone for a model's suggestion.
    assert (
        reverse("staff:tagging_confirm", args=[suggestion.recommendation_id, suggestion.pk])
        not in html
    )


def test_suggestions_of_a_vocabulary_are_most_confident_first(
    coordinator_client, recommendation, sdg
):
    low = suggest(recommendation, TermFactory(vocabulary=sdg, code="10.7"), 0.3)
    high = suggest(recommendation, TermFactory(vocabulary=sdg, code="8.8"), 0.9)
    box = coordinator_client.get(detail_url(recommendation)).context["tags_box"]
    assert [t.pk for t in box.groups[0].suggestions] == [high.pk, low.pk]


def test_confirmed_tags_keep_their_remove_button(coordinator_client, recommendation, suggestion):
    confirmed = TaggingFactory(recommendation=recommendation)
    html = coordinator_client.get(detail_url(recommendation)).content.decode()
    assert reverse("staff:tagging_remove", args=[recommendation.pk, confirmed.pk]) in html
    assert reverse("staff:tagging_remove", args=[recommendation.pk, suggestion.pk]) not in html


def test_reader_sees_suggestions_without_buttons(viewer_client, suggestion):
    html = viewer_client.get(detail_url(suggestion.recommendation)).content.decode()
    assert "16.2" in html
    assert accept_url(suggestion) not in html
    assert reject_url(suggestion) not in html


# --- The review queue ---------------------------------------------------------------------

QUEUE = reverse("staff:suggestion_review")


def test_queue_lists_only_recommendations_with_suggestions_waiting(
    viewer_client, suggestion, recommendation
):
    decided = RecommendationFactory()
    TaggingFactory(recommendation=decided)
    rows = [box.recommendation.pk for box in viewer_client.get(QUEUE).context["boxes"]]
    assert rows == [recommendation.pk]


def test_queue_filters_by_vocabulary(coordinator_client, sdg, themes):
    in_sdg = RecommendationFactory()
    suggest(in_sdg, TermFactory(vocabulary=sdg))
    in_themes = RecommendationFactory()
    theme_suggestion = suggest(in_themes, TermFactory(vocabulary=themes))
    response = coordinator_client.get(QUEUE, {"vocabulary": "themes"})
    boxes = response.context["boxes"]
    assert [box.recommendation.pk for box in boxes] == [in_themes.pk]
    # The form sends the filter along, so the swapped box keeps showing only that vocabulary.
    assert 'name="vocabulary" value="themes"' in response.content.decode()
    assert [t.pk for g in boxes[0].groups for t in g.suggestions] == [theme_suggestion.pk]


def test_queue_shows_only_the_chosen_vocabularys_suggestions(
    coordinator_client, suggestion, other_suggestion
):
    boxes = coordinator_client.get(QUEUE, {"vocabulary": "themes"}).context["boxes"]
    assert [t.pk for g in boxes[0].groups for t in g.suggestions] == [other_suggestion.pk]


def test_htmx_decision_in_the_queue_keeps_the_vocabulary_filter(
    coordinator_client, suggestion, other_suggestion, sdg
):
    third = suggest(suggestion.recommendation, TermFactory(vocabulary=sdg, code="5.2"), 0.5)
    html = coordinator_client.post(
        accept_url(suggestion),
        {"next": QUEUE + "?vocabulary=sdg_targets", "vocabulary": "sdg_targets"},
        headers=HTMX,
    ).content.decode()
    assert accept_url(third) in html
    assert accept_url(other_suggestion) not in html
    # Removing tags is for the recommendation's own page.
    assert "/remove/" not in html


def test_queue_filters_by_document(viewer_client, sdg):
    wanted = RecommendationFactory(document=SourceDocumentFactory(symbol="CAT/C/MAR/CO/5"))
    suggest(wanted, TermFactory(vocabulary=sdg))
    other = RecommendationFactory(document=SourceDocumentFactory(symbol="CMW/C/MAR/CO/2"))
    suggest(other, TermFactory(vocabulary=sdg))
    response = viewer_client.get(QUEUE, {"document": "CAT/C/MAR/CO/5"})
    assert [box.recommendation.pk for box in response.context["boxes"]] == [wanted.pk]
    # Every document with suggestions stays offered, with its count.
    assert [(d.symbol, d.n) for d in response.context["document_choices"]] == [
        ("CAT/C/MAR/CO/5", 1),
        ("CMW/C/MAR/CO/2", 1),
    ]


def test_queue_is_paginated(viewer_client, sdg, monkeypatch):
    monkeypatch.setattr("mizan.staff.views.tag_suggestions.REVIEW_PAGE_SIZE", 2)
    term = TermFactory(vocabulary=sdg)
    for _ in range(3):
        suggest(RecommendationFactory(), term)
    first = viewer_client.get(QUEUE)
    second = viewer_client.get(QUEUE, {"page": 2})
    assert len(first.context["boxes"]) == 2
    assert len(second.context["boxes"]) == 1
    assert 'rel="next"' in first.content.decode()


def test_queue_shows_the_text_in_its_own_direction(viewer_client, sdg):
    recommendation = RecommendationFactory(
        text="تدريب الشرطة على حقوق المهاجرين", text__language="ar"
    )
    suggest(recommendation, TermFactory(vocabulary=sdg))
    html = viewer_client.get(QUEUE).content.decode()
    assert '<p dir="auto" lang="ar">تدريب الشرطة على حقوق المهاجرين</p>' in html


def test_queue_buttons_are_for_those_who_may_decide(client, coordinator, viewer, suggestion):
    client.force_login(coordinator)
    assert accept_url(suggestion) in client.get(QUEUE).content.decode()
    client.force_login(viewer)
    assert accept_url(suggestion) not in client.get(QUEUE).content.decode()


def test_queue_is_refused_to_an_outsider(outsider_client, suggestion):
    assert outsider_client.get(QUEUE).status_code == 403


def test_queue_sends_anonymous_to_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("count", [1, 3])
def test_queue_query_count_does_not_grow(
    coordinator_client, django_assert_num_queries, sdg, themes, count
):
    for _ in range(count):
        recommendation = RecommendationFactory()
        suggest(recommendation, TermFactory(vocabulary=sdg))
        suggest(recommendation, TermFactory(vocabulary=themes))
        TaggingFactory(recommendation=recommendation, term=TermFactory(vocabulary=themes))
    with django_assert_num_queries(QUEUE_QUERIES):
        assert coordinator_client.get(QUEUE).status_code == 200


#: session, user, memberships (permissions), the count and the page of recommendations
#: (with their documents), their texts, taggings and assignments, the vocabulary choices
#: and the document choices
QUEUE_QUERIES = 10


# --- The vocabulary's page ------------------------------------------------------------------


def vocabulary_url(vocabulary):
    return reverse("staff:vocabulary_detail", args=[vocabulary.code])


def test_vocabulary_page_counts_the_suggestions_waiting_and_links_the_queue(
    viewer_client, sdg, suggestion, recommendation
):
    suggest(recommendation, TermFactory(vocabulary=sdg, code="5.3"))
    response = viewer_client.get(vocabulary_url(sdg))
    assert response.context["pending_suggestions"] == 2
    html = response.content.decode()
    assert f'href="{QUEUE}?vocabulary=sdg_targets"' in html
    assert "2 suggested tags waiting for a decision" in html


def test_vocabulary_page_shows_the_tag_models_state(viewer_client, sdg):
    TagModel.objects.create(
        vocabulary=sdg,
        kind=TagModelKind.LEARNED,
        encoder="use",
        examples=312,
        metrics={"micro_f1": 0.7412, "macro_f1": 0.55, "precision_at_3": 0.81, "other": 1},
        trained_at=datetime.datetime(2025, 3, 4, 10, 0, tzinfo=datetime.UTC),
    )
    response = viewer_client.get(vocabulary_url(sdg))
    assert response.context["tag_model_metrics"] == [
        ("Micro-F1", 0.7412),
        ("Macro-F1", 0.55),
        ("Precision at 3", 0.81),
    ]
    html = response.content.decode()
    assert "312" in html
    assert "0.74" in html
    assert str(TagModelKind.LEARNED.label) in html


def test_vocabulary_page_without_a_tag_model(viewer_client, sdg):
    response = viewer_client.get(vocabulary_url(sdg))
    assert response.context["tag_model"] is None
    assert response.context["pending_suggestions"] == 0
