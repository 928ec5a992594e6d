"""The OpenAPI schema and its docs page: complete, without warnings, for members only."""

from __future__ import annotations

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from tests.api.assertions import assert_error_shape

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/documents/": {"get", "post"},
    "/api/v1/documents/{id}/": {"get", "put", "patch"},
    "/api/v1/mechanisms/": {"get"},
    "/api/v1/recommendations/": {"get", "post"},
    "/api/v1/recommendations/{id}/": {"get", "patch", "delete"},
    "/api/v1/vocabularies/": {"get"},
    "/api/v1/vocabularies/{code}/": {"get"},
    "/api/v1/vocabularies/{code}/terms/": {"get"},
    "/api/v1/taggings/": {"get", "post"},
    "/api/v1/taggings/{id}/": {"get", "delete"},
    "/api/v1/taggings/{id}/confirm/": {"post"},
    "/api/v1/me/": {"get"},
}


def fetch_schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200, response.content
    return response.json()


def test_schema_lists_every_endpoint_and_method(as_user, viewer):
    paths = fetch_schema(as_user(viewer))["paths"]
    assert {path: set(operations) for path, operations in paths.items()} == ENDPOINTS


def test_schema_generates_without_warnings():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache)


def test_schema_documents_the_list_filters(as_user, viewer):
    operation = fetch_schema(as_user(viewer))["paths"]["/api/v1/recommendations/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "mechanism", "document", "state", "status", "position", "institution"} <= names
    assert "tag:" in operation["description"]


def test_schema_needs_authentication(api):
    assert_error_shape(api.get("/api/schema/", {"format": "json"}), 401)


def test_schema_is_refused_without_membership(as_user, outsider):
    assert_error_shape(as_user(outsider).get("/api/schema/", {"format": "json"}), 403)


def test_docs_page_for_a_member(client, viewer):
    client.force_login(viewer)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_docs_page_sends_a_logged_out_visitor_to_log_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_docs_page_is_refused_without_membership(client, outsider):
    client.force_login(outsider)
    assert client.get("/api/docs/").status_code == 403
