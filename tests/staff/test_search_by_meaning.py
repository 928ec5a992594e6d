"""Searching the registry by meaning: an Arabic or a French query finds an English
recommendation among unrelated ones, on the list page, in its export and in the API.
The encoder is the real one (loaded once per process)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mizan.assist.embeddings import refresh_embeddings
from tests.factories import MechanismFactory, RecommendationFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db

LIST = reverse("staff:recommendation_list")

UNRELATED = [
    "Abolish the death penalty and commute all existing death sentences.",
    "Guarantee the independence of judges and their security of tenure.",
    "Adopt a law that criminalises domestic violence, including marital rape.",
    "Ensure free and compulsory primary education for all children in rural areas.",
    "Protect journalists from harassment, surveillance and arbitrary arrest.",
]
TARGET = (
    "Train border police officers on the human rights of migrants, including the "
    "prohibition of collective expulsions."
)
ARABIC_QUERY = "تدريب شرطة الحدود على حقوق المهاجرين"
FRENCH_QUERY = "former les policiers aux frontières aux droits des migrants"


@pytest.fixture
def registry():
    """The target under CMW, the unrelated texts under CAT, all embedded."""
    cat = SourceDocumentFactory(symbol="CAT/C/MAR/CO/5", mechanism=MechanismFactory(code="CAT"))
    unrelated = [RecommendationFactory(document=cat, text=text) for text in UNRELATED]
    target = RecommendationFactory(
        document=SourceDocumentFactory(symbol="CMW/C/MAR/CO/2"), text=TARGET
    )
    refresh_embeddings()
    return target, unrelated


def found(response) -> list[int]:
    return [recommendation.pk for recommendation in response.context["rows"]]


@pytest.mark.parametrize("query", [ARABIC_QUERY, FRENCH_QUERY])
def test_a_query_in_another_language_finds_the_english_text_first(viewer_client, registry, query):
    target, _unrelated = registry
    response = viewer_client.get(LIST, {"q": query, "mode": "meaning"})
    assert found(response)[0] == target.pk


def test_words_search_does_not_cross_languages(viewer_client, registry):
    target, _unrelated = registry
    assert target.pk not in found(viewer_client.get(LIST, {"q": ARABIC_QUERY}))


def test_results_are_ordered_by_closeness(viewer_client, registry):
    target, unrelated = registry
    rows = found(viewer_client.get(LIST, {"q": "abolir la peine de mort", "mode": "meaning"}))
    assert rows[0] == unrelated[0].pk
    assert target.pk not in rows[:1]


def test_meaning_search_combines_with_the_facets(viewer_client, registry):
    target, _unrelated = registry
    response = viewer_client.get(LIST, {"q": FRENCH_QUERY, "mode": "meaning", "mechanism": "CAT"})
    assert target.pk not in found(response)
    mechanisms = next(f for f in response.context["facets"] if f.key == "mechanism")
    # The facet still counts the target under CMW, so the user can switch to it.
    assert {v.value: v.count for v in mechanisms.values}["CMW"] == 1


def test_the_mode_stays_chosen_on_the_page(viewer_client, registry):
    html = viewer_client.get(LIST, {"q": FRENCH_QUERY, "mode": "meaning"}).content.decode()
    assert 'value="meaning" checked' in html
    # Not repeated as a hidden field next to the choice.
    assert 'type="hidden" name="mode"' not in html
    # The export links carry the mode.
    assert "mode=meaning" in html.split(reverse("staff:export"), 1)[1].split('"', 1)[0]


def test_htmx_gets_the_results_in_meaning_order(viewer_client, registry):
    target, _unrelated = registry
    response = viewer_client.get(
        LIST, {"q": ARABIC_QUERY, "mode": "meaning"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert found(response)[0] == target.pk


def test_export_in_meaning_mode_exports_what_the_list_shows(viewer_client, registry):
    response = viewer_client.get(
        reverse("staff:export"), {"q": ARABIC_QUERY, "mode": "meaning", "format": "csv"}
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert rows[0]["text"] == TARGET


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_api_list_searches_by_meaning(viewer, registry):
    target, _unrelated = registry
    response = api_client(viewer).get(
        "/api/v1/recommendations/", {"q": FRENCH_QUERY, "mode": "meaning"}
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == target.pk


def test_api_words_mode_is_unchanged(viewer, registry):
    target, _unrelated = registry
    results = api_client(viewer).get("/api/v1/recommendations/", {"q": FRENCH_QUERY}).json()
    assert target.pk not in [r["id"] for r in results["results"]]


def test_anonymous_is_sent_to_login(client, registry):
    response = client.get(LIST, {"q": FRENCH_QUERY, "mode": "meaning"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_outsider_is_refused(outsider_client, registry):
    assert outsider_client.get(LIST, {"q": FRENCH_QUERY, "mode": "meaning"}).status_code == 403
