"""The public API: open to everyone, read-only, published records only, structured
errors, throttled, and documented by its own schema and docs page."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from mizan.reports import publication
from tests.actions.factories import ActionFactory
from tests.factories import RecommendationFactory
from tests.public.builders import trained_action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def test_anyone_lists_published_recommendations_only(client, coordinator):
    shown, hidden = RecommendationFactory(), RecommendationFactory()
    publication.publish_recommendations(coordinator, [shown.pk])
    response = client.get(reverse("api:public-recommendation-list"))
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [shown.pk]
    detail = reverse("api:public-recommendation-detail", args=[hidden.pk])
    assert client.get(detail).status_code == 404


def test_an_unknown_id_is_a_structured_404(client):
    response = client.get(reverse("api:public-action-detail", args=[999999]))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_path_is_a_structured_404(client):
    response = client.get("/api/public/v1/nothing-here/")
    assert response.status_code == 404
    assert "error" in response.json()


def test_a_bad_filter_is_a_structured_400_not_a_500(client):
    url = reverse("api:public-recommendation-list")
    for query in ({"status": "bogus"}, {"document": "x"}, {"document": "9" * 40}):
        response = client.get(url, query)
        assert response.status_code == 400, query
        assert response.json()["error"]["code"] == "invalid"
    assert client.get(url, {"page": "999"}).status_code == 404


def test_writing_is_refused(client, coordinator):
    recommendation = RecommendationFactory()
    publication.publish_recommendations(coordinator, [recommendation.pk])
    url = reverse("api:public-recommendation-detail", args=[recommendation.pk])
    assert client.delete(url).status_code == 405
    assert client.post(reverse("api:public-recommendation-list"), {}).status_code == 405


def test_a_bad_token_changes_nothing(client, coordinator):
    recommendation = RecommendationFactory()
    publication.publish_recommendations(coordinator, [recommendation.pk])
    response = client.get(
        reverse("api:public-recommendation-list"), headers={"authorization": "Token nonsense"}
    )
    assert response.status_code == 200


def test_actions_and_their_figures(client, coordinator):
    action = trained_action({"Oriental": 15, "Souss-Massa": 11, "Draa": 4})
    publication.publish_action(coordinator, action, with_figures=True)
    ActionFactory(title="Not published")
    actions = client.get(reverse("api:public-action-list")).json()["results"]
    assert [item["id"] for item in actions] == [action.pk]
    figures = client.get(reverse("api:public-figures-detail", args=[action.pk])).json()
    assert figures["officers_trained"] == 30
    region = next(b for b in figures["breakdowns"] if b["breakdown"] == "region")
    assert {g["group"]: g["officers_trained"] for g in region["groups"]} == {
        "Oriental": 15,
        "Souss-Massa": None,
        "Draa": None,
    }


def test_figures_not_published_are_404(client, coordinator):
    action = ActionFactory()
    publication.publish_action(coordinator, action, with_figures=False)
    assert client.get(reverse("api:public-figures-detail", args=[action.pk])).status_code == 404


def test_requests_are_throttled_with_a_structured_429(client, settings):
    settings.MIZAN_PUBLIC_API_RATE = "2/minute"
    url = reverse("api:public-action-list")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert "Retry-After" in response


def test_the_schema_and_docs_load_for_anyone(client):
    schema = client.get(reverse("api:public_schema"), {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/public/v1/recommendations/" in paths
    assert "/api/public/v1/training-figures/{id}/" in paths
    assert not any(path.startswith("/api/v1/") for path in paths)
    assert client.get(reverse("api:public_docs")).status_code == 200


def test_the_schema_builds_without_warnings(client, capsys):
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    client.get(reverse("api:public_schema"), {"format": "json"})
    assert not GENERATOR_STATS
