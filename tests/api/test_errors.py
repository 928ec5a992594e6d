"""Bad input never gives a 500: every write endpoint answers garbage with 400 and the
API's error shape ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

import pytest

from tests.api.assertions import assert_error_shape
from tests.api.conftest import Registry

pytestmark = pytest.mark.django_db

WRITE_ENDPOINTS = [
    ("post", lambda r: "/api/v1/documents/"),
    ("put", lambda r: f"/api/v1/documents/{r.document.pk}/"),
    ("patch", lambda r: f"/api/v1/documents/{r.document.pk}/"),
    ("post", lambda r: "/api/v1/recommendations/"),
    ("patch", lambda r: f"/api/v1/recommendations/{r.recommendation.pk}/"),
    ("post", lambda r: "/api/v1/taggings/"),
]
ENDPOINT_IDS = [
    "documents-create",
    "documents-update",
    "documents-partial-update",
    "recommendations-create",
    "recommendations-partial-update",
    "taggings-create",
]
#: Bodies (sent as application/json) no endpoint can accept.
GARBAGE = {
    "invalid-json": '{"paragraph": ',
    "not-json": "hello",
    "list": "[1, 2, 3]",
    "string": '"a string"',
    "number": "42",
    "null": "null",
    "nan": '{"confidence": NaN}',
    "deeply-nested": "[" * 100_000,
    "wrong-types": (
        '{"symbol": {}, "mechanism": 3, "state_under_review": [], "document": [], '
        '"paragraph": {}, "texts": "abc", "status": 7, "recommendation": {}, '
        '"vocabulary": 7, "term": []}'
    ),
    "lone-surrogates": (
        '{"symbol": "\\ud800", "paragraph": "\\ud800", "vocabulary": "\\ud800", '
        '"texts": [{"language": "en", "text": "\\ud800"}]}'
    ),
    "nul-characters": (
        '{"symbol": "a\\u0000b", "paragraph": "a\\u0000b", "term": "a\\u0000b", '
        '"texts": [{"language": "en", "text": "a\\u0000b"}]}'
    ),
    "nested-wrong-types": '{"texts": [1, {"language": []}], "symbol": [""], "term": {}}',
}


@pytest.mark.parametrize(("method", "url"), WRITE_ENDPOINTS, ids=ENDPOINT_IDS)
@pytest.mark.parametrize("body", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_is_refused_with_the_error_shape(
    registry: Registry, as_user, coordinator, method, url, body
):
    client = as_user(coordinator)
    response = getattr(client, method)(url(registry), body, content_type="application/json")
    assert_error_shape(response, 400)


@pytest.mark.parametrize(("method", "url"), WRITE_ENDPOINTS, ids=ENDPOINT_IDS)
def test_unsupported_media_type_is_415_in_the_error_shape(
    registry: Registry, as_user, coordinator, method, url
):
    client = as_user(coordinator)
    response = getattr(client, method)(url(registry), "<xml/>", content_type="application/xml")
    assert_error_shape(response, 415)


def test_invalid_json_says_so(registry: Registry, as_user, coordinator):
    response = as_user(coordinator).post(
        "/api/v1/recommendations/", "{", content_type="application/json"
    )
    assert assert_error_shape(response, 400)["code"] == "parse_error"


def test_nested_error_message_names_the_bad_item(registry: Registry, as_user, coordinator):
    response = as_user(coordinator).post(
        "/api/v1/recommendations/",
        {
            "document": registry.document.symbol,
            "paragraph": "40",
            "texts": [{"language": "en", "text": "Fine"}, {"language": "xx", "text": "Bad"}],
        },
        format="json",
    )
    error = assert_error_shape(response, 400)
    assert "xx" in error["message"]
    assert "language" in error["fields"]["texts"]["1"]


def test_error_message_skips_items_without_errors():
    from rest_framework.exceptions import ValidationError

    from mizan.api.errors import structured_exception_handler

    exc = ValidationError({"texts": [{}, {"language": ["Unknown language."]}]})
    response = structured_exception_handler(exc, {})
    assert response.data["error"]["message"] == "Unknown language."


def test_method_not_offered_is_405_with_the_allowed_methods(as_user, viewer):
    response = as_user(viewer).post("/api/v1/me/", {}, format="json")
    assert assert_error_shape(response, 405)["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_unknown_address_under_the_api_is_404_in_the_error_shape(as_user, viewer):
    assert_error_shape(as_user(viewer).get("/api/v1/nothing-here/"), 404)
    assert_error_shape(as_user(viewer).get("/api/"), 404)


HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/recommendations/{HUGE}/",
        f"/api/v1/documents/{HUGE}/",
        f"/api/v1/taggings/{HUGE}/",
        f"/api/v1/recommendations/?page={HUGE}",
    ],
    ids=["recommendation", "document", "tagging", "page"],
)
def test_numbers_beyond_the_database_range_are_not_found(registry: Registry, as_user, viewer, url):
    assert_error_shape(as_user(viewer).get(url), 404)


def test_filter_number_beyond_the_database_range_is_refused(registry: Registry, as_user, viewer):
    response = as_user(viewer).get("/api/v1/taggings/", {"recommendation": HUGE})
    assert "recommendation" in assert_error_shape(response, 400)["fields"]


def test_tagging_a_recommendation_id_beyond_the_database_range_is_refused(
    registry: Registry, as_user, coordinator
):
    response = as_user(coordinator).post(
        "/api/v1/taggings/",
        {"recommendation": int(HUGE), "vocabulary": "sdg_goals", "term": "10"},
        format="json",
    )
    assert "recommendation" in assert_error_shape(response, 400)["fields"]
