"""The partnership services: what they refuse, how they number, and who the audit trail
names."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mizan.core.errors import MizanError
from mizan.partnerships import services
from mizan.partnerships.enums import CommitteeRole, MeetingStatus
from tests.factories import InstitutionFactory, UserFactory, user_with_role
from tests.partnerships.factories import ActionFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def refused(call, field=None, **kwargs):
    with pytest.raises(MizanError) as caught:
        call(**kwargs)
    if field is not None:
        assert caught.value.field == field, caught.value.message
    return caught.value


# --- Agreements ------------------------------------------------------------------------


def test_agreement_needs_two_parties(nhri, coordinator):
    refused(
        services.create_agreement,
        "parties",
        title="Alone",
        parties=[nhri],
        starts_on=TODAY(),
        scope="Everything",
        by=coordinator,
    )


def test_agreement_cannot_end_before_it_starts(nhri, coordinator):
    refused(
        services.create_agreement,
        "ends_on",
        title="Backwards",
        parties=[nhri, InstitutionFactory()],
        starts_on=TODAY(),
        ends_on=TODAY() - timedelta(days=1),
        scope="Everything",
        by=coordinator,
    )


def test_agreement_creation_is_attributed(nhri, coordinator):
    agreement = services.create_agreement(
        title=" MoU ",
        parties=[nhri, InstitutionFactory()],
        starts_on=TODAY(),
        scope="Training",
        by=coordinator,
    )
    assert agreement.title == "MoU"
    assert {h.history_user for h in agreement.history.all()} == {coordinator}


def test_update_refuses_unknown_fields(partnership, coordinator):
    refused(
        services.update_agreement, agreement=partnership.agreement, by=coordinator, colour="red"
    )


def test_party_with_a_committee_seat_cannot_leave(partnership, coordinator):
    other = InstitutionFactory()
    refused(
        services.update_agreement,
        "parties",
        agreement=partnership.agreement,
        parties=[partnership.nhri, other],
        by=coordinator,
    )
    assert partnership.police in partnership.agreement.parties.all()


def test_party_with_commitments_cannot_leave(nhri, coordinator):
    third = InstitutionFactory()
    agreement = services.create_agreement(
        title="MoU",
        parties=[nhri, InstitutionFactory(), third],
        starts_on=TODAY(),
        scope="Training",
        by=coordinator,
    )
    services.add_commitment(agreement=agreement, text="Train", party=third, by=coordinator)
    others = [p for p in agreement.parties.all() if p != third]
    refused(
        services.update_agreement, "parties", agreement=agreement, parties=others, by=coordinator
    )


def test_attached_document_is_checked_and_recorded(partnership, coordinator, media_root):
    upload = SimpleUploadedFile("mou.txt", b"Signed text of the memorandum.\n")
    document = services.attach_document(record=partnership.agreement, upload=upload, by=coordinator)
    assert list(partnership.agreement.documents.all()) == [document]
    assert partnership.agreement.history.first().history_user == coordinator


def test_document_of_a_refused_kind_is_not_attached(partnership, coordinator, media_root):
    upload = SimpleUploadedFile("run.sh", b"\x7fELF\x02\x01\x01" + b"\x00" * 64)
    refused(
        services.attach_document,
        "file",
        record=partnership.agreement,
        upload=upload,
        by=coordinator,
    )
    assert not partnership.agreement.documents.exists()


# --- Commitments -----------------------------------------------------------------------


def test_commitments_are_ordered_as_added(partnership, coordinator):
    first = services.add_commitment(agreement=partnership.agreement, text="One", by=coordinator)
    second = services.add_commitment(agreement=partnership.agreement, text="Two", by=coordinator)
    assert (first.order, second.order) == (0, 1)


def test_commitment_party_must_be_a_party(partnership, coordinator):
    refused(
        services.add_commitment,
        "party",
        agreement=partnership.agreement,
        text="Train",
        party=partnership.unrelated,
        by=coordinator,
    )


def test_commitment_needs_text(partnership, coordinator):
    refused(
        services.add_commitment, "text", agreement=partnership.agreement, text="  ", by=coordinator
    )


def test_actions_are_linked_and_unlinked(partnership, coordinator):
    commitment = services.add_commitment(
        agreement=partnership.agreement, text="Train", party=partnership.police, by=coordinator
    )
    kept, dropped, added = ActionFactory(), ActionFactory(), ActionFactory()
    services.link_actions(commitment=commitment, actions=[kept, dropped], by=coordinator)
    services.set_commitment_actions(commitment=commitment, actions=[kept, added], by=coordinator)
    assert set(commitment.actions.all()) == {kept, added}
    assert commitment.history.first().history_user == coordinator


def test_removed_commitment_leaves_a_history_row(partnership, coordinator):
    commitment = services.add_commitment(
        agreement=partnership.agreement, text="Train", by=coordinator
    )
    pk = commitment.pk
    services.remove_commitment(commitment=commitment, by=coordinator)
    last = type(commitment).history.filter(id=pk).first()
    assert (last.history_type, last.history_user) == ("-", coordinator)


# --- Committee members -----------------------------------------------------------------


def test_a_unit_of_a_party_may_be_represented(partnership):
    assert partnership.member_seat.institution == partnership.police_unit


def test_representing_a_non_party_is_refused(partnership, coordinator):
    refused(
        services.add_committee_member,
        "institution",
        committee=partnership.committee,
        user=UserFactory(),
        institution=partnership.unrelated,
        by=coordinator,
    )


def test_one_seat_per_person(partnership, coordinator):
    refused(
        services.add_committee_member,
        "user",
        committee=partnership.committee,
        user=partnership.member,
        institution=partnership.nhri,
        by=coordinator,
    )


def test_one_chair_at_a_time(partnership, coordinator):
    refused(
        services.add_committee_member,
        "role",
        committee=partnership.committee,
        user=UserFactory(),
        institution=partnership.nhri,
        role=CommitteeRole.CHAIR,
        by=coordinator,
    )
    refused(
        services.update_committee_member,
        "role",
        member=partnership.member_seat,
        role=CommitteeRole.CHAIR,
        by=coordinator,
    )


def test_a_new_chair_once_the_former_seat_has_ended(partnership, coordinator):
    services.update_committee_member(
        member=partnership.chair_seat, until=TODAY() - timedelta(days=1), by=coordinator
    )
    seat = services.add_committee_member(
        committee=partnership.committee,
        user=UserFactory(),
        institution=partnership.nhri,
        role=CommitteeRole.CHAIR,
        by=coordinator,
    )
    assert seat.role == CommitteeRole.CHAIR


def test_seat_of_someone_who_attended_is_not_removed(partnership, coordinator):
    refused(services.remove_committee_member, "until", member=partnership.member_seat)
    assert partnership.committee.members.count() == 3


def test_seat_given_by_mistake_is_removed(partnership, coordinator):
    seat = services.add_committee_member(
        committee=partnership.committee,
        user=UserFactory(),
        institution=partnership.nhri,
        by=coordinator,
    )
    services.remove_committee_member(member=seat, by=coordinator)
    assert partnership.committee.members.count() == 3


# --- Meetings --------------------------------------------------------------------------


def schedule(partnership, by, days=7):
    return services.schedule_meeting(
        committee=partnership.committee,
        starts_at=timezone.now() + timedelta(days=days),
        place="Casablanca",
        agenda="Second quarter",
        by=by,
    )


def test_meeting_needs_place_and_agenda(partnership, coordinator):
    refused(
        services.schedule_meeting,
        "place",
        committee=partnership.committee,
        starts_at=timezone.now(),
        place="",
        agenda="Things",
        by=coordinator,
    )


def test_meeting_is_recorded_with_attendance(partnership):
    meeting = partnership.meeting
    assert meeting.status == MeetingStatus.HELD
    assert meeting.attendees.count() == 3
    assert meeting.history.first().history_user.username == "coordinator"


def test_attendee_without_a_seat_is_refused(partnership, coordinator):
    other = services.create_committee(
        agreement=partnership.agreement, name="Training committee", by=coordinator
    )
    stranger_seat = services.add_committee_member(
        committee=other, user=UserFactory(), institution=partnership.nhri, by=coordinator
    )
    refused(
        services.record_meeting,
        "attendees",
        meeting=partnership.meeting,
        attendees=[stranger_seat],
        by=coordinator,
    )


def test_future_meeting_cannot_be_recorded(partnership, coordinator):
    meeting = schedule(partnership, coordinator)
    refused(services.record_meeting, meeting=meeting, attendees=[], by=coordinator)


def test_cancelled_meeting_is_neither_changed_nor_recorded(partnership, coordinator):
    meeting = schedule(partnership, coordinator)
    services.cancel_meeting(meeting=meeting, reason="No quorum", by=coordinator)
    assert meeting.history.first().history_change_reason == "No quorum"
    refused(services.update_meeting, meeting=meeting, place="Rabat", by=coordinator)
    refused(services.record_decision, meeting=meeting, text="Something", by=coordinator)


def test_held_meeting_cannot_be_cancelled(partnership, coordinator):
    refused(services.cancel_meeting, meeting=partnership.meeting, by=coordinator)


def test_documents_are_added_when_recording(partnership, coordinator, media_root):
    upload = SimpleUploadedFile("minutes.txt", b"Minutes of the meeting.\n")
    services.record_meeting(
        meeting=partnership.meeting, attendees=[], documents=[upload], by=coordinator
    )
    assert [d.name for d in partnership.meeting.documents.all()] == ["minutes.txt"]


# --- Decisions and tasks ---------------------------------------------------------------


def test_decisions_are_numbered_in_their_meeting(partnership, secretary_user):
    second = services.record_decision(
        meeting=partnership.meeting, text="Report in June.", by=secretary_user
    )
    third = services.record_decision(
        meeting=partnership.meeting, text="Adjourn.", by=secretary_user
    )
    assert (partnership.decision.number, second.number, third.number) == (1, 2, 3)
    assert third.recorded_by == secretary_user


@pytest.fixture
def secretary_user(partnership):
    return partnership.secretary


def test_numbering_starts_again_in_each_meeting(partnership, coordinator):
    meeting = services.schedule_meeting(
        committee=partnership.committee,
        starts_at=timezone.now() - timedelta(hours=1),
        place="Rabat",
        agenda="Extra session",
        by=coordinator,
    )
    decision = services.record_decision(meeting=meeting, text="Begin.", by=coordinator)
    assert decision.number == 1


def test_no_decision_for_a_meeting_yet_to_come(partnership, coordinator):
    meeting = schedule(partnership, coordinator)
    refused(services.record_decision, meeting=meeting, text="Too early", by=coordinator)


def test_decision_needs_text(partnership, coordinator):
    refused(services.record_decision, "text", meeting=partnership.meeting, text=" ", by=coordinator)


def test_refused_task_refuses_the_whole_decision(partnership, coordinator):
    tasks = [{"description": "Plan", "owner": None, "due_on": TODAY()}]
    refused(
        services.record_decision,
        "owner",
        meeting=partnership.meeting,
        text="Something",
        tasks=tasks,
        by=coordinator,
    )
    assert partnership.meeting.decisions.count() == 1


def test_task_due_before_the_meeting_is_refused(partnership, coordinator):
    refused(
        services.add_follow_up_task,
        "due_on",
        decision=partnership.decision,
        description="Late already",
        owner=partnership.member,
        due_on=TODAY() - timedelta(days=10),
        by=coordinator,
    )


def test_task_of_an_inactive_account_is_refused(partnership, coordinator):
    gone = user_with_role("viewer", partnership.nhri, is_active=False)
    refused(
        services.add_follow_up_task,
        "owner",
        decision=partnership.decision,
        description="Plan",
        owner=gone,
        due_on=TODAY(),
        by=coordinator,
    )


def test_task_for_an_institution_outside_the_agreement_is_refused(partnership, coordinator):
    """Its focal points would hear of the agreement's work when the task is late."""
    refused(
        services.add_follow_up_task,
        "institution",
        decision=partnership.decision,
        description="Plan",
        owner=partnership.member,
        institution=partnership.unrelated,
        due_on=TODAY(),
        by=coordinator,
    )


def test_task_for_a_unit_of_a_party_is_taken(partnership, coordinator):
    task = services.add_follow_up_task(
        decision=partnership.decision,
        description="Plan",
        owner=partnership.member,
        institution=partnership.police_unit,
        due_on=TODAY(),
        by=coordinator,
    )
    assert task.institution == partnership.police_unit


def test_task_is_completed_then_reopened(partnership):
    task = partnership.member_task
    services.complete_follow_up_task(task=task, outcome="Visits planned.", by=partnership.member)
    assert task.done_on == TODAY()
    refused(services.complete_follow_up_task, task=task, outcome="Again", by=partnership.member)
    services.reopen_follow_up_task(task=task, reason="One visit missing", by=partnership.member)
    task.refresh_from_db()
    assert task.done_on is None
    assert [h.history_user for h in task.history.all()[:2]] == [partnership.member] * 2


def test_task_cannot_be_done_in_the_future(partnership):
    refused(
        services.complete_follow_up_task,
        "done_on",
        task=partnership.member_task,
        outcome="Done",
        done_on=TODAY() + timedelta(days=1),
    )


def test_completing_a_task_needs_its_outcome(partnership):
    refused(services.complete_follow_up_task, "outcome", task=partnership.member_task, outcome="")


def test_open_task_cannot_be_reopened(partnership):
    refused(services.reopen_follow_up_task, task=partnership.member_task)
