"""/api/v1/me/: who the API sees, with memberships, roles and permissions."""

from __future__ import annotations

import pytest

from mizan.accounts.enums import Role
from tests.factories import InstitutionFactory, MembershipFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/"


def test_shows_memberships_and_roles(as_user, coordinator):
    MembershipFactory(user=coordinator, institution=InstitutionFactory(code="police"))
    body = as_user(coordinator).get(URL).json()
    assert body["username"] == "coordinator"
    assert [(m["institution"], m["role"]) for m in body["memberships"]] == [
        ("nhri", "coordinator"),
        ("police", "viewer"),
    ]
    assert body["roles"] == sorted([Role.COORDINATOR, Role.VIEWER])


def test_coordinator_may_change_the_registry(as_user, coordinator):
    permissions = as_user(coordinator).get(URL).json()["permissions"]
    assert "recommendations.add_recommendation" in permissions


def test_viewer_may_only_read(as_user, viewer):
    permissions = as_user(viewer).get(URL).json()["permissions"]
    assert "recommendations.view_recommendation" in permissions
    assert "recommendations.add_recommendation" not in permissions


def test_query_count_does_not_grow_with_memberships(as_user, viewer, django_assert_num_queries):
    for n in range(3):
        MembershipFactory(user=viewer, institution=InstitutionFactory(code=f"inst{n}"))
    client = as_user(viewer)
    client.get(URL)  # roles and rule lookups are cached on the user from here on
    # memberships with their institutions
    with django_assert_num_queries(1):
        assert len(client.get(URL).json()["memberships"]) == 4
