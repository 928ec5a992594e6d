"""/api/v1/institutions/: the directory with each institution's members; coordinators add
and change institutions, never in a cycle."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.accounts.enums import Role
from mizan.institutions.models import Institution
from tests.api.assertions import assert_error_shape
from tests.factories import InstitutionFactory, user_with_role

pytestmark = pytest.mark.django_db

URL = "/api/v1/institutions/"


@pytest.fixture
def police(focal_point):
    return focal_point.memberships.get().institution


def test_viewer_lists_institutions_with_their_members(as_user, viewer, police, focal_point):
    response = as_user(viewer).get(URL)
    assert response.status_code == 200
    by_code = {row["code"]: row for row in response.json()["results"]}
    assert set(by_code) == {"nhri", "police"}
    assert [(m["username"], m["role"], m["email"]) for m in by_code["police"]["members"]] == [
        ("focal", "focal_point", focal_point.email)
    ]


def test_list_query_count_does_not_grow(as_user, viewer):
    client = as_user(viewer)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    count()  # the first request also reads the user's roles, cached on the user after it
    with_one = count()  # the NHRI
    for code in ("a", "b"):
        user_with_role(Role.FOCAL_POINT, InstitutionFactory(code=code))
    assert count() == with_one


def test_retrieve_shows_parent_by_code(as_user, viewer, police):
    unit = InstitutionFactory(code="border", kind="law_enforcement", parent=police)
    body = as_user(viewer).get(f"{URL}{unit.pk}/").json()
    assert (body["parent"], body["kind"], body["members"]) == ("police", "law_enforcement", [])


def test_outsider_is_refused(as_user, outsider):
    assert_error_shape(as_user(outsider).get(URL), 403)


def test_coordinator_creates_a_unit(as_user, coordinator, police):
    response = as_user(coordinator).post(
        URL,
        {
            "code": "airport",
            "names": {"en": "Airport police", "fr": "Police de l'aéroport"},
            "kind": "law_enforcement",
            "parent": "police",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    created = Institution.objects.get(code="airport")
    assert (created.parent, created.name) == (police, "Airport police")
    assert created.history.first().history_user == coordinator


def test_viewer_and_focal_point_may_not_create(as_user, viewer, focal_point):
    data = {"code": "x", "names": {"en": "X"}, "kind": "ngo"}
    for user in (viewer, focal_point):
        assert_error_shape(as_user(user).post(URL, data, format="json"), 403)
    assert not Institution.objects.filter(code="x").exists()


def test_cycle_is_refused_with_a_structured_error(as_user, coordinator, police):
    unit = InstitutionFactory(code="border", kind="law_enforcement", parent=police)
    response = as_user(coordinator).patch(f"{URL}{police.pk}/", {"parent": "border"}, format="json")
    assert "parent" in assert_error_shape(response, 400)["fields"]
    police.refresh_from_db()
    assert police.parent is None
    assert unit.parent == police


def test_duplicate_code_is_a_structured_error(as_user, coordinator, police):
    response = as_user(coordinator).post(
        URL, {"code": "police", "names": {"en": "Again"}, "kind": "ministry"}, format="json"
    )
    assert "code" in assert_error_shape(response, 400)["fields"]


def test_coordinator_renames_and_members_stay_read_only(as_user, coordinator, police):
    response = as_user(coordinator).patch(
        f"{URL}{police.pk}/",
        {"names": {"en": "National police"}, "acronym": "DGSN", "members": []},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["acronym"]) == ("National police", "DGSN")
    assert len(response.json()["members"]) == 1


def test_coordinator_outside_the_nhri_cannot_turn_their_institution_into_one(as_user, db):
    ministry = InstitutionFactory(code="justice", kind="ministry")
    coordinator = user_with_role(Role.COORDINATOR, ministry, username="justice-coordinator")
    response = as_user(coordinator).patch(f"{URL}{ministry.pk}/", {"kind": "nhri"}, format="json")
    assert_error_shape(response, 403)
    ministry.refresh_from_db()
    assert ministry.kind == "ministry"
