"""The OpenAPI schema and its docs page: complete, without warnings, for members only."""

from __future__ import annotations

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from tests.api.assertions import assert_error_shape

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/actions/": {"get", "post"},
    "/api/v1/actions/{id}/": {"get", "patch"},
    "/api/v1/actions/{id}/indicators/": {"get", "post"},
    "/api/v1/actions/{id}/progress-reports/": {"get", "post"},
    "/api/v1/actions/{id}/status/": {"post"},
    "/api/v1/agreements/": {"get", "post"},
    "/api/v1/agreements/{id}/": {"get", "patch", "put"},
    "/api/v1/agreements/{id}/documents/": {"post"},
    "/api/v1/attendance/": {"post"},
    "/api/v1/cascades/": {"get", "post"},
    "/api/v1/cascades/reach/": {"get"},
    "/api/v1/cascades/{id}/remove/": {"post"},
    "/api/v1/certificates/": {"get", "post"},
    "/api/v1/certificates/issue/": {"post"},
    "/api/v1/certificates/verify/{code}/": {"get"},
    "/api/v1/certificates/{id}/": {"get"},
    "/api/v1/certificates/{id}/reissue/": {"post"},
    "/api/v1/certificates/{id}/revoke/": {"post"},
    "/api/v1/commitments/": {"get", "post"},
    "/api/v1/commitments/{id}/": {"delete", "get", "patch"},
    "/api/v1/committee-members/": {"get", "post"},
    "/api/v1/committee-members/{id}/": {"delete", "patch"},
    "/api/v1/committees/": {"get", "post"},
    "/api/v1/committees/{id}/": {"get", "patch"},
    "/api/v1/curricula/": {"get", "post"},
    "/api/v1/curricula/{id}/": {"get", "patch"},
    "/api/v1/curriculum-modules/": {"get", "post"},
    "/api/v1/curriculum-modules/{id}/": {"delete", "get", "patch"},
    "/api/v1/curriculum-versions/{id}/": {"get"},
    "/api/v1/curriculum-versions/{id}/new-version/": {"post"},
    "/api/v1/curriculum-versions/{id}/publish/": {"post"},
    "/api/v1/decisions/": {"get", "post"},
    "/api/v1/decisions/{id}/": {"get"},
    "/api/v1/documents/": {"get", "post"},
    "/api/v1/documents/{id}/": {"get", "patch", "put"},
    "/api/v1/enrolments/": {"get"},
    "/api/v1/enrolments/{id}/": {"get"},
    "/api/v1/enrolments/{id}/decide/": {"post"},
    "/api/v1/enrolments/{id}/withdraw/": {"post"},
    "/api/v1/follow-up-tasks/": {"get", "post"},
    "/api/v1/follow-up-tasks/{id}/": {"get"},
    "/api/v1/follow-up-tasks/{id}/complete/": {"post"},
    "/api/v1/follow-up-tasks/{id}/reopen/": {"post"},
    "/api/v1/indicators/{id}/": {"get", "patch"},
    "/api/v1/indicators/{id}/compute/": {"post"},
    "/api/v1/indicators/{id}/values/": {"get", "post"},
    "/api/v1/indicators/{id}/values/{value_id}/": {"delete", "patch"},
    "/api/v1/institutions/": {"get", "post"},
    "/api/v1/institutions/{id}/": {"get", "patch"},
    "/api/v1/learning-objectives/": {"get", "post"},
    "/api/v1/learning-objectives/{id}/": {"delete", "get", "patch"},
    "/api/v1/me/": {"get"},
    "/api/v1/mechanisms/": {"get"},
    "/api/v1/meetings/": {"get", "post"},
    "/api/v1/meetings/{id}/": {"get", "patch"},
    "/api/v1/meetings/{id}/cancel/": {"post"},
    "/api/v1/meetings/{id}/record/": {"post"},
    "/api/v1/my-work/": {"get"},
    "/api/v1/participants/": {"get"},
    "/api/v1/participants/{id}/": {"get"},
    "/api/v1/progress-reports/": {"get"},
    "/api/v1/progress-reports/{id}/": {"get", "patch"},
    "/api/v1/progress-reports/{id}/approve/": {"post"},
    "/api/v1/progress-reports/{id}/correct/": {"post"},
    "/api/v1/progress-reports/{id}/return/": {"post"},
    "/api/v1/progress-reports/{id}/submit/": {"post"},
    "/api/v1/questions/": {"get", "post"},
    "/api/v1/questions/{id}/": {"get", "patch"},
    "/api/v1/recommendations/": {"get", "post"},
    "/api/v1/recommendations/{id}/": {"delete", "get", "patch"},
    "/api/v1/recommendations/{id}/assessments/": {"get", "post"},
    "/api/v1/changelog-entries/": {"get", "post"},
    "/api/v1/changelog-entries/{id}/": {"get"},
    "/api/v1/review-assignments/": {"get"},
    "/api/v1/review-assignments/{id}/": {"get"},
    "/api/v1/review-assignments/{id}/review/": {"post"},
    "/api/v1/review-rounds/": {"get", "post"},
    "/api/v1/review-rounds/{id}/": {"get", "patch"},
    "/api/v1/review-rounds/{id}/add-suggestions/": {"post"},
    "/api/v1/review-rounds/{id}/assign/": {"post"},
    "/api/v1/review-rounds/{id}/close/": {"post"},
    "/api/v1/review-rounds/{id}/dashboard/": {"get"},
    "/api/v1/review-rounds/{id}/decide/": {"post"},
    "/api/v1/review-rounds/{id}/groups/": {"post"},
    "/api/v1/review-rounds/{id}/open/": {"post"},
    "/api/v1/review-rounds/{id}/release/": {"post"},
    "/api/v1/suggestions/": {"get", "post"},
    "/api/v1/suggestions/{id}/": {"get"},
    "/api/v1/sessions/": {"get", "post"},
    "/api/v1/sessions/{id}/": {"get", "patch"},
    "/api/v1/sessions/{id}/attendance/": {"get"},
    "/api/v1/sessions/{id}/enrolments/": {"get", "post"},
    "/api/v1/sessions/{id}/status/": {"post"},
    "/api/v1/slots/{id}/attendance/": {"get", "post"},
    "/api/v1/taggings/": {"get", "post"},
    "/api/v1/taggings/{id}/": {"delete", "get"},
    "/api/v1/taggings/{id}/confirm/": {"post"},
    "/api/v1/taggings/{id}/reject/": {"post"},
    "/api/v1/vocabularies/": {"get"},
    "/api/v1/vocabularies/{code}/": {"get"},
    "/api/v1/vocabularies/{code}/terms/": {"get"},
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
