"""Every endpoint and method: one success, and a refusal for each role that is refused.

Anonymous → 401, an account with no membership → 403 everywhere, a viewer or a focal point
→ 403 on writes. A refused request changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from mizan.recommendations.models import Recommendation, SourceDocument, Tagging
from tests.api.assertions import assert_error_shape
from tests.api.conftest import Registry

pytestmark = pytest.mark.django_db


@dataclass
class Call:
    name: str
    method: str
    url: Callable[[Registry], str]
    data: Callable[[Registry], Any] = field(default=lambda r: None)
    write: bool = False
    success: int = 200


CALLS = [
    Call("mechanisms-list", "get", lambda r: "/api/v1/mechanisms/"),
    Call("documents-list", "get", lambda r: "/api/v1/documents/"),
    Call("documents-retrieve", "get", lambda r: f"/api/v1/documents/{r.document.pk}/"),
    Call(
        "documents-create",
        "post",
        lambda r: "/api/v1/documents/",
        lambda r: {
            "symbol": "CRC/C/MAR/CO/5-6",
            "mechanism": "CRC",
            "state_under_review": "Morocco",
        },
        write=True,
        success=201,
    ),
    Call(
        "documents-update",
        "put",
        lambda r: f"/api/v1/documents/{r.document.pk}/",
        lambda r: {
            "symbol": r.document.symbol,
            "mechanism": "CMW",
            "state_under_review": "Morocco",
            "title": "Concluding observations on the second report",
            "date": "2023-04-12",
            "cycle": "2",
        },
        write=True,
    ),
    Call(
        "documents-partial-update",
        "patch",
        lambda r: f"/api/v1/documents/{r.document.pk}/",
        lambda r: {"title": "Concluding observations"},
        write=True,
    ),
    Call("recommendations-list", "get", lambda r: "/api/v1/recommendations/"),
    Call(
        "recommendations-retrieve",
        "get",
        lambda r: f"/api/v1/recommendations/{r.recommendation.pk}/",
    ),
    Call(
        "recommendations-create",
        "post",
        lambda r: "/api/v1/recommendations/",
        lambda r: {
            "document": r.document.symbol,
            "paragraph": "38",
            "texts": [{"language": "en", "text": "Ratify the optional protocol."}],
        },
        write=True,
        success=201,
    ),
    Call(
        "recommendations-partial-update",
        "patch",
        lambda r: f"/api/v1/recommendations/{r.recommendation.pk}/",
        lambda r: {"status": "in_progress"},
        write=True,
    ),
    Call(
        "recommendations-destroy",
        "delete",
        lambda r: f"/api/v1/recommendations/{r.recommendation.pk}/",
        write=True,
        success=204,
    ),
    Call("vocabularies-list", "get", lambda r: "/api/v1/vocabularies/"),
    Call("vocabularies-retrieve", "get", lambda r: "/api/v1/vocabularies/sdg_goals/"),
    Call("vocabularies-terms", "get", lambda r: "/api/v1/vocabularies/sdg_goals/terms/"),
    Call(
        "taggings-list",
        "get",
        lambda r: f"/api/v1/taggings/?recommendation={r.recommendation.pk}",
    ),
    Call("taggings-retrieve", "get", lambda r: f"/api/v1/taggings/{r.tagging.pk}/"),
    Call(
        "taggings-create",
        "post",
        lambda r: "/api/v1/taggings/",
        lambda r: {"recommendation": r.recommendation.pk, "vocabulary": "sdg_goals", "term": "10"},
        write=True,
        success=201,
    ),
    Call(
        "taggings-confirm",
        "post",
        lambda r: f"/api/v1/taggings/{r.suggestion.pk}/confirm/",
        write=True,
    ),
    Call(
        "taggings-destroy",
        "delete",
        lambda r: f"/api/v1/taggings/{r.tagging.pk}/",
        write=True,
        success=204,
    ),
    Call("me", "get", lambda r: "/api/v1/me/"),
]
WRITES = [call for call in CALLS if call.write]
BY_NAME = {"ids": [call.name for call in CALLS]}


def send(client, call: Call, registry: Registry):
    return getattr(client, call.method)(call.url(registry), call.data(registry), format="json")


def snapshot() -> tuple:
    """What a refused request must leave as it was."""
    return (
        list(Recommendation.objects.values_list("id", "status", "updated_at")),
        list(SourceDocument.objects.values_list("id", "symbol", "title")),
        list(Tagging.objects.values_list("id", "confirmed_at")),
    )


@pytest.mark.parametrize("call", CALLS, **BY_NAME)
def test_allowed_role_succeeds(call, registry, as_user, viewer, coordinator):
    # Reads by the least-privileged member, writes by a coordinator.
    response = send(as_user(coordinator if call.write else viewer), call, registry)
    assert response.status_code == call.success, response.content


@pytest.mark.parametrize("call", CALLS, **BY_NAME)
def test_anonymous_is_asked_to_authenticate(call, registry, api):
    before = snapshot()
    response = send(api, call, registry)
    assert assert_error_shape(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"
    assert snapshot() == before


@pytest.mark.parametrize("call", CALLS, **BY_NAME)
def test_account_without_membership_is_refused(call, registry, as_user, outsider):
    before = snapshot()
    response = send(as_user(outsider), call, registry)
    assert assert_error_shape(response, 403)["code"] == "permission_denied"
    assert snapshot() == before


@pytest.mark.parametrize("call", WRITES, ids=[call.name for call in WRITES])
def test_viewer_cannot_write(call, registry, as_user, viewer):
    before = snapshot()
    response = send(as_user(viewer), call, registry)
    assert_error_shape(response, 403)
    assert snapshot() == before


@pytest.mark.parametrize("call", WRITES, ids=[call.name for call in WRITES])
def test_focal_point_cannot_write_the_registry(call, registry, as_user, focal_point):
    before = snapshot()
    response = send(as_user(focal_point), call, registry)
    assert_error_shape(response, 403)
    assert snapshot() == before


def test_administrator_may_delete_a_recommendation(registry, as_user, admin_user):
    url = f"/api/v1/recommendations/{registry.recommendation.pk}/"
    assert as_user(admin_user).delete(url).status_code == 204


def test_token_authenticates(registry, viewer):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=viewer).key}")
    assert client.get("/api/v1/recommendations/").status_code == 200


def test_wrong_token_is_refused(registry):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert assert_error_shape(client.get("/api/v1/me/"), 401)["code"] == "authentication_failed"


def test_session_authenticates(registry, client, viewer):
    client.force_login(viewer)
    assert client.get("/api/v1/recommendations/").status_code == 200


def test_session_write_needs_the_csrf_token(registry, coordinator):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.patch(
        f"/api/v1/recommendations/{registry.recommendation.pk}/", {"status": "implemented"}
    )
    assert_error_shape(response, 403)


def test_options_offers_writing_only_to_who_may_write(registry, as_user, viewer, coordinator):
    def offered(user) -> set[str]:
        return set(as_user(user).options("/api/v1/recommendations/").json().get("actions", {}))

    assert (offered(viewer), offered(coordinator)) == (set(), {"POST"})


@pytest.mark.parametrize("call", [c for c in CALLS if c.method == "get"], ids=lambda c: c.name)
def test_browsable_pages_render_for_a_member(call, registry, as_user, coordinator):
    response = as_user(coordinator).get(call.url(registry), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
