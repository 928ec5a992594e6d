"""/api/v1/taggings/: listing a recommendation's tags, tagging, confirming, removing."""

from __future__ import annotations

import pytest

from mizan.recommendations.models import Tagging
from tests.api.assertions import assert_error_shape
from tests.api.conftest import Registry
from tests.factories import RecommendationFactory, TaggingFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/taggings/"


@pytest.fixture
def reader(as_user, viewer):
    return as_user(viewer)


@pytest.fixture
def editor(as_user, coordinator):
    return as_user(coordinator)


def ids(response) -> set[int]:
    return {tagging["id"] for tagging in response.json()["results"]}


def test_list_filtered_by_recommendation(reader, registry: Registry):
    TaggingFactory()  # another recommendation's
    response = reader.get(URL, {"recommendation": registry.recommendation.pk})
    assert ids(response) == {registry.tagging.pk, registry.suggestion.pk}


def test_list_filtered_by_confirmation(reader, registry: Registry):
    assert ids(reader.get(URL, {"confirmed": "false"})) == {registry.suggestion.pk}
    assert ids(reader.get(URL, {"confirmed": "true"})) == {registry.tagging.pk}


def test_list_filtered_by_vocabulary(reader, registry: Registry):
    assert ids(reader.get(URL, {"vocabulary": "other"})) == set()


def test_list_filter_of_the_wrong_type_is_refused(reader, registry: Registry):
    assert (
        "recommendation"
        in assert_error_shape(reader.get(URL, {"recommendation": "abc"}), 400)["fields"]
    )


def test_retrieve_shows_who_tagged_and_confirmed(reader, registry: Registry, coordinator):
    registry.tagging.tagged_by = registry.tagging.confirmed_by = coordinator
    registry.tagging.save()
    body = reader.get(f"{URL}{registry.tagging.pk}/").json()
    assert (body["vocabulary"], body["term"], body["tagged_by"], body["confirmed"]) == (
        "sdg_goals",
        "5",
        "coordinator",
        True,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(as_user, viewer, django_assert_num_queries, count):
    for _ in range(count):
        TaggingFactory()
    client = as_user(viewer)
    # roles, count, page with terms, vocabularies and users
    with django_assert_num_queries(3):
        assert client.get(URL).json()["count"] == count


def test_create_tags_and_confirms_at_once(editor, registry: Registry, coordinator):
    response = editor.post(
        URL,
        {"recommendation": registry.recommendation.pk, "vocabulary": "sdg_goals", "term": "10"},
        format="json",
    )
    assert response.status_code == 201, response.content
    tagging = Tagging.objects.get(pk=response.json()["id"])
    assert (tagging.term, tagging.confirmed_by, tagging.source) == (
        registry.other_term,
        coordinator,
        "person",
    )
    assert tagging.history.first().history_user == coordinator


def test_tagging_again_returns_the_existing_tag(editor, registry: Registry):
    response = editor.post(
        URL,
        {"recommendation": registry.recommendation.pk, "vocabulary": "sdg_goals", "term": "5"},
        format="json",
    )
    assert (response.status_code, response.json()["id"]) == (200, registry.tagging.pk)


def test_model_suggestion_waits_for_confirmation(editor, registry: Registry):
    response = editor.post(
        URL,
        {
            "recommendation": registry.recommendation.pk,
            "vocabulary": "sdg_goals",
            "term": "10",
            "source": "model",
            "model_name": "multilingual-e5",
            "confidence": 0.7,
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["confirmed"] is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"term": "999"}, "term"),
        ({"vocabulary": "nope"}, "term"),
        ({"recommendation": 999999}, "recommendation"),
        ({"recommendation": "abc"}, "recommendation"),
        ({"confidence": 2}, "confidence"),
        ({"source": "import"}, "source"),
        ({"source": "model"}, "model_name"),
    ],
    ids=[
        "unknown-term",
        "unknown-vocabulary",
        "unknown-recommendation",
        "recommendation-not-a-number",
        "confidence-above-1",
        "import-source",
        "model-without-name",
    ],
)
def test_create_with_bad_input_is_refused(editor, registry: Registry, changes, field):
    data = {"recommendation": registry.recommendation.pk, "vocabulary": "sdg_goals", "term": "10"}
    response = editor.post(URL, {**data, **changes}, format="json")
    assert field in assert_error_shape(response, 400)["fields"]
    assert not Tagging.objects.filter(term=registry.other_term).exists()


def test_confirm_records_who_confirmed(editor, registry: Registry, coordinator):
    response = editor.post(f"{URL}{registry.suggestion.pk}/confirm/")
    assert response.json()["confirmed"] is True
    registry.suggestion.refresh_from_db()
    assert registry.suggestion.confirmed_by == coordinator


def test_destroy_removes_the_tag_and_records_the_api_user(editor, registry: Registry, coordinator):
    assert editor.delete(f"{URL}{registry.tagging.pk}/").status_code == 204
    assert not Tagging.objects.filter(pk=registry.tagging.pk).exists()
    removal = Tagging.history.filter(id=registry.tagging.pk, history_type="-").get()
    assert removal.history_user == coordinator


def test_tags_of_a_deleted_recommendation_are_gone(reader):
    tagging = TaggingFactory(recommendation=RecommendationFactory())
    tagging.recommendation.delete()
    assert_error_shape(reader.get(f"{URL}{tagging.pk}/"), 404)
