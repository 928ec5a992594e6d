"""/api/v1/agreements/, commitments, committees, committee-members, meetings, decisions
and follow-up-tasks: who may read and change what, and the answers' shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mizan.accounts.enums import Role
from mizan.partnerships import services
from mizan.partnerships.enums import MeetingStatus
from mizan.partnerships.models import (
    Commitment,
    CommitteeMember,
    Decision,
    JointCommittee,
    Meeting,
    PartnershipAgreement,
)
from tests.api.assertions import assert_error_shape
from tests.factories import InstitutionFactory, user_with_role
from tests.partnerships.factories import ActionFactory, build_partnership

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


@pytest.fixture
def partnership(nhri, coordinator):
    return build_partnership(nhri=nhri, by=coordinator)


def today(days=0):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


# --- Reading ---------------------------------------------------------------------------


def read_urls(p):
    return [
        f"{V1}/agreements/{p.agreement.pk}/",
        f"{V1}/committees/{p.committee.pk}/",
        f"{V1}/meetings/{p.meeting.pk}/",
        f"{V1}/decisions/{p.decision.pk}/",
        f"{V1}/follow-up-tasks/{p.member_task.pk}/",
    ]


LISTS = [
    "agreements",
    "commitments",
    "committees",
    "committee-members",
    "meetings",
    "decisions",
    "follow-up-tasks",
]


def test_anonymous_gets_401(api, partnership):
    assert_error_shape(api.get(f"{V1}/agreements/"), 401)


def test_account_without_role_gets_403(as_user, outsider, partnership):
    client = as_user(outsider)
    for name in LISTS:
        assert_error_shape(client.get(f"{V1}/{name}/"), 403)


def test_party_viewer_reads_everything(as_user, viewer, partnership):
    services.add_commitment(agreement=partnership.agreement, text="Train")
    client = as_user(viewer)
    for url in read_urls(partnership):
        assert client.get(url).status_code == 200, url
    for name in LISTS:
        assert client.get(f"{V1}/{name}/").json()["count"] >= 1, name


def test_unrelated_viewer_sees_nothing(as_user, partnership):
    client = as_user(partnership.stranger)
    for url in read_urls(partnership):
        assert_error_shape(client.get(url), 404)
    for name in LISTS:
        assert client.get(f"{V1}/{name}/").json()["count"] == 0, name


def test_agreement_shows_parties_and_in_force(as_user, viewer, partnership):
    body = as_user(viewer).get(f"{V1}/agreements/{partnership.agreement.pk}/").json()
    assert sorted(body["parties"]) == ["nhri", "police"]
    assert body["in_force"] is True
    assert body["committees"] == [
        {"id": partnership.committee.pk, "name": "Joint monitoring committee"}
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_agreement_list_query_count_does_not_grow(
    as_user, coordinator, nhri, django_assert_num_queries, count
):
    other = InstitutionFactory()
    for n in range(count):
        services.create_agreement(
            title=f"Accord {n}", parties=[nhri, other], starts_on=timezone.localdate(), scope="S"
        )
    client = as_user(coordinator)
    # roles, count, page, parties, documents, committees
    with django_assert_num_queries(6):
        assert client.get(f"{V1}/agreements/").json()["count"] == count


def test_open_and_mine_filter_tasks(as_user, partnership):
    client = as_user(partnership.member)
    body = client.get(f"{V1}/follow-up-tasks/?open=true&mine=true").json()
    assert [t["id"] for t in body["results"]] == [partnership.member_task.pk]


def test_bad_filter_is_a_400(as_user, viewer, partnership):
    response = as_user(viewer).get(f"{V1}/meetings/?committee=abc")
    assert set(assert_error_shape(response, 400)["fields"]) == {"committee"}


# --- Agreements and commitments ---------------------------------------------------------


NEW_AGREEMENT = {
    "title": "Accord on training",
    "parties": ["nhri", "police"],
    "starts_on": "2025-01-01",
    "scope": "Training of officers",
}


def test_coordinator_creates_an_agreement(as_user, coordinator, partnership):
    response = as_user(coordinator).post(f"{V1}/agreements/", NEW_AGREEMENT, format="json")
    assert response.status_code == 201, response.content
    agreement = PartnershipAgreement.objects.get(pk=response.json()["id"])
    assert agreement.history.first().history_user == coordinator


def test_viewer_cannot_create_or_change_an_agreement(as_user, viewer, partnership):
    client = as_user(viewer)
    assert_error_shape(client.post(f"{V1}/agreements/", NEW_AGREEMENT, format="json"), 403)
    url = f"{V1}/agreements/{partnership.agreement.pk}/"
    assert_error_shape(client.patch(url, {"title": "Mine"}, format="json"), 403)


def test_agreement_with_one_party_is_a_400(as_user, coordinator, partnership):
    data = {**NEW_AGREEMENT, "parties": ["nhri"]}
    response = as_user(coordinator).post(f"{V1}/agreements/", data, format="json")
    assert set(assert_error_shape(response, 400)["fields"]) == {"parties"}


def test_coordinator_changes_the_period(as_user, coordinator, partnership):
    url = f"{V1}/agreements/{partnership.agreement.pk}/"
    response = as_user(coordinator).patch(url, {"ends_on": today(10)}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["ends_on"] == today(10)


def test_ending_before_the_start_is_a_400(as_user, coordinator, partnership):
    url = f"{V1}/agreements/{partnership.agreement.pk}/"
    response = as_user(coordinator).patch(url, {"ends_on": "2000-01-01"}, format="json")
    assert set(assert_error_shape(response, 400)["fields"]) == {"ends_on"}


def test_document_is_uploaded(as_user, coordinator, partnership, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"{V1}/agreements/{partnership.agreement.pk}/documents/"
    upload = SimpleUploadedFile("mou.txt", b"The signed text.\n")
    response = as_user(coordinator).post(url, {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "mou.txt"


def test_commitment_is_created_with_actions(as_user, coordinator, partnership):
    action = ActionFactory()
    data = {
        "agreement": partnership.agreement.pk,
        "text": "Train all custody officers",
        "party": "police",
        "actions": [action.pk],
    }
    response = as_user(coordinator).post(f"{V1}/commitments/", data, format="json")
    assert response.status_code == 201, response.content
    assert list(Commitment.objects.get().actions.all()) == [action]


def test_commitment_replaces_its_actions(as_user, coordinator, partnership):
    commitment = services.add_commitment(agreement=partnership.agreement, text="Train")
    services.link_actions(commitment=commitment, actions=[ActionFactory()])
    new = ActionFactory()
    url = f"{V1}/commitments/{commitment.pk}/"
    response = as_user(coordinator).patch(url, {"actions": [new.pk]}, format="json")
    assert response.json()["actions"] == [new.pk]


def test_commitment_of_a_non_party_is_a_400(as_user, coordinator, partnership):
    data = {"agreement": partnership.agreement.pk, "text": "Train", "party": "health"}
    response = as_user(coordinator).post(f"{V1}/commitments/", data, format="json")
    assert set(assert_error_shape(response, 400)["fields"]) == {"party"}


def test_secretary_cannot_add_commitments(as_user, partnership):
    data = {"agreement": partnership.agreement.pk, "text": "Train"}
    response = as_user(partnership.secretary).post(f"{V1}/commitments/", data, format="json")
    assert_error_shape(response, 403)


def test_coordinator_removes_a_commitment(as_user, coordinator, partnership):
    commitment = services.add_commitment(agreement=partnership.agreement, text="Train")
    response = as_user(coordinator).delete(f"{V1}/commitments/{commitment.pk}/")
    assert response.status_code == 204
    assert not Commitment.objects.exists()


# --- Committees and members -------------------------------------------------------------


def test_coordinator_creates_a_committee(as_user, coordinator, partnership):
    data = {"agreement": partnership.agreement.pk, "name": "Training committee"}
    response = as_user(coordinator).post(f"{V1}/committees/", data, format="json")
    assert response.status_code == 201, response.content
    assert JointCommittee.objects.filter(name="Training committee").exists()


def test_chair_cannot_create_a_committee(as_user, partnership):
    data = {"agreement": partnership.agreement.pk, "name": "Another"}
    response = as_user(partnership.chair).post(f"{V1}/committees/", data, format="json")
    assert_error_shape(response, 403)


def test_committee_lists_its_members(as_user, viewer, partnership):
    body = as_user(viewer).get(f"{V1}/committees/{partnership.committee.pk}/").json()
    assert {(m["user"], m["role"]) for m in body["members"]} == {
        ("chair", "chair"),
        ("secretary", "secretary"),
        ("member", "member"),
    }


def test_second_chair_is_a_400(as_user, coordinator, viewer, partnership):
    data = {
        "committee": partnership.committee.pk,
        "user": "viewer",
        "institution": "nhri",
        "role": "chair",
    }
    response = as_user(coordinator).post(f"{V1}/committee-members/", data, format="json")
    assert set(assert_error_shape(response, 400)["fields"]) == {"role"}


def test_seat_for_a_non_party_is_a_400(as_user, coordinator, viewer, partnership):
    data = {"committee": partnership.committee.pk, "user": "viewer", "institution": "health"}
    response = as_user(coordinator).post(f"{V1}/committee-members/", data, format="json")
    assert set(assert_error_shape(response, 400)["fields"]) == {"institution"}


def test_chair_cannot_add_members(as_user, viewer, partnership):
    data = {"committee": partnership.committee.pk, "user": "viewer", "institution": "nhri"}
    response = as_user(partnership.chair).post(f"{V1}/committee-members/", data, format="json")
    assert_error_shape(response, 403)
    assert not CommitteeMember.objects.filter(user__username="viewer").exists()


def test_coordinator_ends_a_seat(as_user, coordinator, partnership):
    url = f"{V1}/committee-members/{partnership.member_seat.pk}/"
    response = as_user(coordinator).patch(url, {"until": today()}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["until"] == today()


# --- Meetings --------------------------------------------------------------------------


def meeting_data(p, days=0):
    return {
        "committee": p.committee.pk,
        "starts_at": (timezone.now() + timedelta(days=days)).isoformat(),
        "place": "Tangier",
        "agenda": "Follow-up",
    }


def test_secretary_schedules_and_records_a_meeting(as_user, partnership):
    client = as_user(partnership.secretary)
    response = client.post(f"{V1}/meetings/", meeting_data(partnership), format="json")
    assert response.status_code == 201, response.content
    url = f"{V1}/meetings/{response.json()['id']}/record/"
    response = client.post(
        url, {"attendees": [partnership.chair_seat.pk], "minutes": "Short."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == MeetingStatus.HELD
    assert response.json()["attendees"] == [partnership.chair_seat.pk]


def test_plain_member_cannot_schedule_or_record(as_user, partnership):
    client = as_user(partnership.member)
    assert_error_shape(
        client.post(f"{V1}/meetings/", meeting_data(partnership), format="json"), 403
    )
    url = f"{V1}/meetings/{partnership.meeting.pk}/record/"
    assert_error_shape(client.post(url, {"attendees": []}, format="json"), 403)


def test_recording_a_future_meeting_is_a_400(as_user, coordinator, partnership):
    meeting = services.schedule_meeting(
        committee=partnership.committee,
        starts_at=timezone.now() + timedelta(days=5),
        place="Fes",
        agenda="A",
    )
    url = f"{V1}/meetings/{meeting.pk}/record/"
    assert_error_shape(as_user(coordinator).post(url, {"attendees": []}, format="json"), 400)


def test_secretary_cancels_a_planned_meeting(as_user, partnership):
    meeting = services.schedule_meeting(
        committee=partnership.committee,
        starts_at=timezone.now() + timedelta(days=5),
        place="Fes",
        agenda="A",
    )
    url = f"{V1}/meetings/{meeting.pk}/cancel/"
    response = as_user(partnership.secretary).post(url, {"reason": "No quorum"}, format="json")
    assert response.json()["status"] == MeetingStatus.CANCELLED


def test_secretary_moves_a_meeting(as_user, partnership):
    url = f"{V1}/meetings/{partnership.meeting.pk}/"
    response = as_user(partnership.secretary).patch(url, {"place": "Oujda"}, format="json")
    assert response.json()["place"] == "Oujda"
    assert Meeting.objects.get(pk=partnership.meeting.pk).history.first().history_user == (
        partnership.secretary
    )


# --- Decisions and tasks ---------------------------------------------------------------


def test_secretary_records_a_decision_with_tasks(as_user, partnership):
    data = {
        "meeting": partnership.meeting.pk,
        "text": "Publish the reports.",
        "tasks": [{"description": "Draft", "owner": "member", "due_on": today(7)}],
    }
    response = as_user(partnership.secretary).post(f"{V1}/decisions/", data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["recorded_by"]) == (2, "secretary")
    assert [t["owner"] for t in body["tasks"]] == ["member"]


def test_plain_member_cannot_record_a_decision(as_user, partnership):
    data = {"meeting": partnership.meeting.pk, "text": "Mine."}
    response = as_user(partnership.member).post(f"{V1}/decisions/", data, format="json")
    assert_error_shape(response, 403)
    assert Decision.objects.count() == 1


def test_decision_for_an_invisible_meeting_is_a_400(as_user, partnership):
    data = {"meeting": partnership.meeting.pk, "text": "Mine."}
    response = as_user(partnership.stranger).post(f"{V1}/decisions/", data, format="json")
    assert set(assert_error_shape(response, 400)["fields"]) == {"meeting"}


def test_secretary_adds_a_task(as_user, partnership):
    data = {
        "decision": partnership.decision.pk,
        "description": "Call the stations",
        "owner": "secretary",
        "due_on": today(3),
    }
    response = as_user(partnership.secretary).post(f"{V1}/follow-up-tasks/", data, format="json")
    assert response.status_code == 201, response.content


def test_owner_completes_own_task(as_user, partnership):
    url = f"{V1}/follow-up-tasks/{partnership.member_task.pk}/complete/"
    response = as_user(partnership.member).post(url, {"outcome": "Planned."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["done_on"] == today()


def test_owner_cannot_complete_anothers_task(as_user, partnership):
    url = f"{V1}/follow-up-tasks/{partnership.chair_task.pk}/complete/"
    response = as_user(partnership.member).post(url, {"outcome": "Done."}, format="json")
    assert_error_shape(response, 403)


def test_completing_twice_is_a_400_then_reopen(as_user, partnership):
    client = as_user(partnership.member)
    base = f"{V1}/follow-up-tasks/{partnership.member_task.pk}"
    client.post(f"{base}/complete/", {"outcome": "Planned."}, format="json")
    assert_error_shape(client.post(f"{base}/complete/", {"outcome": "x"}, format="json"), 400)
    response = client.post(f"{base}/reopen/", {}, format="json")
    assert response.json()["done_on"] is None


def test_viewer_cannot_complete_tasks(as_user, viewer, partnership):
    url = f"{V1}/follow-up-tasks/{partnership.member_task.pk}/complete/"
    assert_error_shape(as_user(viewer).post(url, {"outcome": "x"}, format="json"), 403)


def test_coordinator_renames_a_committee(as_user, coordinator, partnership):
    url = f"{V1}/committees/{partnership.committee.pk}/"
    response = as_user(coordinator).patch(url, {"name": "Monitoring board"}, format="json")
    assert response.json()["name"] == "Monitoring board"


def test_secretary_cannot_rename_the_committee(as_user, partnership):
    url = f"{V1}/committees/{partnership.committee.pk}/"
    assert_error_shape(as_user(partnership.secretary).patch(url, {"name": "X"}, format="json"), 403)


def test_seat_of_an_attendee_is_not_deleted(as_user, coordinator, partnership):
    response = as_user(coordinator).delete(f"{V1}/committee-members/{partnership.member_seat.pk}/")
    assert set(assert_error_shape(response, 400)["fields"]) == {"until"}


def test_chair_cannot_delete_a_seat(as_user, partnership):
    url = f"{V1}/committee-members/{partnership.member_seat.pk}/"
    assert_error_shape(as_user(partnership.chair).delete(url), 403)


def test_a_seat_on_one_committee_reads_the_agreements_other_committees(
    as_user, partnership, coordinator
):
    """What the lists show, the record's own endpoint shows too."""
    un_agency = InstitutionFactory(code="undp", kind="un_agency")
    observer = user_with_role(Role.COMMITTEE_MEMBER, un_agency, username="observer")
    services.add_committee_member(
        committee=partnership.committee,
        user=observer,
        institution=partnership.police,
        by=coordinator,
    )
    other = services.create_committee(
        agreement=partnership.agreement, name="Training committee", by=coordinator
    )
    client = as_user(observer)
    listed = {row["id"] for row in client.get(f"{V1}/committees/").json()["results"]}
    assert other.pk in listed
    assert client.get(f"{V1}/committees/{other.pk}/").status_code == 200


@pytest.mark.parametrize(
    "endpoint", ["committees", "committee-members", "meetings", "decisions", "follow-up-tasks"]
)
def test_list_query_counts_do_not_grow(as_user, partnership, coordinator, endpoint):
    client = as_user(partnership.chair)
    client.get(f"{V1}/{endpoint}/")  # the user's roles are read once, then cached
    counts = []
    for n in range(2):
        committee = services.create_committee(
            agreement=partnership.agreement, name=f"Committee {n}", by=coordinator
        )
        services.add_committee_member(
            committee=committee,
            user=partnership.secretary,
            institution=partnership.police,
            by=coordinator,
        )
        meeting = services.schedule_meeting(
            committee=committee,
            starts_at=timezone.now() - timedelta(days=1),
            place="Rabat",
            agenda="Visits",
            by=coordinator,
        )
        services.record_meeting(meeting=meeting, attendees=[], by=coordinator)
        services.record_decision(
            meeting=meeting,
            text="Visit",
            tasks=[{"description": "Plan", "owner": partnership.member, "due_on": today_date()}],
            by=coordinator,
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{V1}/{endpoint}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def today_date():
    return timezone.localdate()
