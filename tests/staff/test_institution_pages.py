"""The institution directory: the tree, an institution's page, keeping it and naming its
focal persons; who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mizan.accounts.enums import Role
from mizan.accounts.models import Membership
from mizan.actions.models import Action
from mizan.core.errors import MizanError
from mizan.institutions import services
from mizan.institutions.models import Institution
from mizan.recommendations import services as registry
from tests.factories import InstitutionFactory, RecommendationFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(focal_point):
    return focal_point.memberships.get().institution


@pytest.fixture
def unit(police):
    return InstitutionFactory(
        code="border-police", kind="law_enforcement", parent=police, names={"en": "Border unit"}
    )


def list_url() -> str:
    return reverse("staff:institution_list")


def detail_url(institution) -> str:
    return reverse("staff:institution_detail", args=[institution.pk])


def edit_url(institution) -> str:
    return reverse("staff:institution_edit", args=[institution.pk])


# --- The services ------------------------------------------------------------------------------


def test_an_institution_cannot_be_part_of_itself(coordinator, police):
    with pytest.raises(MizanError) as error:
        services.update_institution(institution=police, parent=police, by=coordinator)
    assert error.value.field == "parent"


def test_an_institution_cannot_be_part_of_its_own_unit(coordinator, police, unit):
    below = InstitutionFactory(code="checkpoint", parent=unit)
    with pytest.raises(MizanError):
        services.update_institution(institution=police, parent=below, by=coordinator)
    police.refresh_from_db()
    assert police.parent is None


def test_create_institution_needs_a_name_and_a_free_code(coordinator, police):
    with pytest.raises(MizanError) as error:
        services.create_institution(code="new", names={"en": " "}, kind="ministry")
    assert error.value.field == "names"
    with pytest.raises(MizanError) as error:
        services.create_institution(code=police.code, names={"en": "Copy"}, kind="ministry")
    assert error.value.field == "code"


def test_membership_changes_are_attributed(coordinator, police):
    person = UserFactory(username="amina")
    membership = services.add_membership(
        institution=police, user=person, role=Role.FOCAL_POINT, by=coordinator
    )
    assert membership.history.first().history_user == coordinator
    with pytest.raises(MizanError):
        services.add_membership(institution=police, user=person, role=Role.FOCAL_POINT)
    services.remove_membership(membership=membership, by=coordinator)
    assert Membership.history.filter(history_type="-").get().history_user == coordinator


# --- Who may open and change what --------------------------------------------------------------


def test_outsider_gets_403_on_every_page(outsider_client, police):
    for url in (list_url(), detail_url(police), reverse("staff:institution_create")):
        assert outsider_client.get(url).status_code == 403, url


def test_viewer_reads_but_cannot_change(viewer_client, police):
    assert viewer_client.get(list_url()).status_code == 200
    assert viewer_client.get(detail_url(police)).status_code == 200
    assert viewer_client.get(reverse("staff:institution_create")).status_code == 403
    assert viewer_client.get(edit_url(police)).status_code == 403
    response = viewer_client.post(
        reverse("staff:institution_member_add", args=[police.pk]),
        {"user": UserFactory().pk, "role": Role.FOCAL_POINT},
    )
    assert response.status_code == 403


def test_focal_point_cannot_name_focal_persons(client, focal_point, police):
    client.force_login(focal_point)
    membership = focal_point.memberships.get()
    response = client.post(
        reverse("staff:institution_member_remove", args=[police.pk, membership.pk])
    )
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- The pages ---------------------------------------------------------------------------------


def test_list_indents_units_under_their_directorate(viewer_client, police, unit, focal_point):
    response = viewer_client.get(list_url())
    rows = [(row["institution"], row["depth"]) for row in response.context["rows"]]
    assert rows.index((unit, 1)) == rows.index((police, 0)) + 1
    police_row = next(r for r in response.context["rows"] if r["institution"] == police)
    assert [m.user for m in police_row["focal_persons"]] == [focal_point]


def test_list_query_count_does_not_grow_with_institutions(viewer_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert viewer_client.get(list_url()).status_code == 200
        return len(captured)

    parent = InstitutionFactory(code="ministry-interior", kind="ministry")
    user_with_role(Role.FOCAL_POINT, parent)
    with_one = queries()
    for code in ("unit-a", "unit-b"):
        user_with_role(Role.FOCAL_POINT, InstitutionFactory(code=code, parent=parent))
    assert queries() == with_one


def test_detail_shows_units_focal_persons_assignments_and_actions(
    viewer_client, police, unit, focal_point
):
    overdue = RecommendationFactory(paragraph="31")
    registry.assign_recommendation(
        recommendation=overdue,
        institution=police,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    action = Action.objects.create(
        title="Train 300 officers", kind="training", lead_institution=police
    )
    response = viewer_client.get(detail_url(police))
    assert list(response.context["units"]) == [unit]
    assert [m.user for m in response.context["focal_persons"]] == [focal_point]
    [row] = response.context["assigned"]
    assert row["overdue"] is True
    content = response.content.decode()
    assert focal_point.email in content
    assert reverse("staff:action_detail", args=[action.pk]) in content
    assert reverse("staff:recommendation_detail", args=[overdue.pk]) in content


def test_coordinator_creates_a_unit(coordinator_client, police):
    response = coordinator_client.post(
        reverse("staff:institution_create"),
        {
            "code": "airport-police",
            "kind": "law_enforcement",
            "parent": police.pk,
            "name_en": "Airport police",
            "name_ar": "شرطة المطار",
        },
    )
    created = Institution.objects.get(code="airport-police")
    assert response.status_code == 302
    assert created.parent == police
    assert created.names == {"en": "Airport police", "ar": "شرطة المطار"}


def test_edit_refuses_a_cycle_as_a_field_error(coordinator_client, police, unit):
    response = coordinator_client.post(
        edit_url(police),
        {"code": police.code, "kind": police.kind, "parent": unit.pk, "name_en": "Police"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    police.refresh_from_db()
    assert police.parent is None


def test_coordinator_names_and_removes_a_focal_person(coordinator_client, police):
    person = UserFactory(username="karim")
    response = coordinator_client.post(
        reverse("staff:institution_member_add", args=[police.pk]),
        {"user": person.pk, "role": Role.FOCAL_POINT},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert (membership.institution, membership.role) == (police, Role.FOCAL_POINT)
    response = coordinator_client.post(
        reverse("staff:institution_member_remove", args=[police.pk, membership.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(user=person).exists()


def test_pages_render_in_arabic(coordinator_client, police):
    response = coordinator_client.get(detail_url(police), HTTP_ACCEPT_LANGUAGE="ar")
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


# --- The NHRI's voice belongs to the NHRI ------------------------------------------------------


@pytest.fixture
def ministry_coordinator(db):
    ministry = InstitutionFactory(code="justice", kind="ministry")
    return user_with_role(Role.COORDINATOR, ministry, username="justice-coordinator")


def test_coordinator_outside_the_nhri_cannot_give_themselves_a_role_in_it(
    client, ministry_coordinator, nhri
):
    client.force_login(ministry_coordinator)
    client.post(
        reverse("staff:institution_member_add", args=[nhri.pk]),
        {"user": ministry_coordinator.pk, "role": Role.COORDINATOR},
    )
    assert not Membership.objects.filter(user=ministry_coordinator, institution=nhri).exists()


def test_coordinator_outside_the_nhri_cannot_make_an_institution_an_nhri(
    ministry_coordinator,
):
    own = ministry_coordinator.memberships.get().institution
    with pytest.raises(MizanError):
        services.update_institution(institution=own, kind="nhri", by=ministry_coordinator)
    own.refresh_from_db()
    assert own.kind == "ministry"


def test_coordinator_outside_the_nhri_cannot_create_an_nhri(ministry_coordinator):
    with pytest.raises(MizanError):
        services.create_institution(
            code="second-nhri",
            names={"en": "Another council"},
            kind="nhri",
            by=ministry_coordinator,
        )
    assert not Institution.objects.filter(code="second-nhri").exists()


def test_nhri_coordinator_names_the_nhri_members(coordinator, nhri):
    person = UserFactory(username="new-colleague")
    membership = services.add_membership(
        institution=nhri, user=person, role=Role.COORDINATOR, by=coordinator
    )
    assert membership.pk is not None


def test_detail_query_count_does_not_grow(coordinator_client, police, unit):
    """At one and at three actions, assignments, units and members, the same number of reads."""
    counts = []
    for more in (1, 2):
        for n in range(more):
            Action.objects.create(title=f"Action {n}", kind="training", lead_institution=police)
            registry.assign_recommendation(
                recommendation=RecommendationFactory(),
                institution=police,
                due_date=datetime.date(2030, 1, 1),
            )
            InstitutionFactory(parent=police, kind="law_enforcement")
            user_with_role(Role.VIEWER, police)
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(detail_url(police)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
