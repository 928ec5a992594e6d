"""A small partnership to act on: two parties, a committee with a chair, a secretary and
a plain member, a meeting held yesterday with one decision and two follow-up tasks.

Test modules of other packages (staff pages, API) build it too, so it is a function
rather than a fixture of this package's conftest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from mizan.accounts.enums import Role
from mizan.actions.enums import ActionKind
from mizan.actions.models import Action
from mizan.institutions.models import Institution
from mizan.partnerships import services
from mizan.partnerships.enums import CommitteeRole
from mizan.partnerships.models import (
    CommitteeMember,
    Decision,
    FollowUpTask,
    JointCommittee,
    Meeting,
    PartnershipAgreement,
)
from tests.factories import InstitutionFactory, user_with_role


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    title = factory.Sequence(lambda n: f"Train border officers, round {n + 1}")
    kind = ActionKind.TRAINING
    lead_institution = factory.SubFactory(InstitutionFactory, code="police")


@dataclass
class Partnership:
    nhri: Institution
    police: Institution
    police_unit: Institution
    unrelated: Institution
    agreement: PartnershipAgreement
    committee: JointCommittee
    chair: Any
    secretary: Any
    member: Any
    stranger: Any
    chair_seat: CommitteeMember
    secretary_seat: CommitteeMember
    member_seat: CommitteeMember
    meeting: Meeting
    decision: Decision
    member_task: FollowUpTask
    chair_task: FollowUpTask


def build_partnership(*, nhri: Institution, by: Any) -> Partnership:
    """The NHRI and the police sign an agreement; its committee met yesterday."""
    police = InstitutionFactory(code="police", kind="law_enforcement")
    police_unit = InstitutionFactory(code="border-police", kind="law_enforcement", parent=police)
    unrelated = InstitutionFactory(code="health", kind="ministry")
    chair = user_with_role(Role.COMMITTEE_MEMBER, nhri, username="chair")
    secretary = user_with_role(Role.COMMITTEE_MEMBER, police, username="secretary")
    member = user_with_role(Role.COMMITTEE_MEMBER, police_unit, username="member")
    stranger = user_with_role(Role.VIEWER, unrelated, username="stranger")
    today = timezone.localdate()
    agreement = services.create_agreement(
        title="Memorandum on detention monitoring",
        parties=[nhri, police],
        starts_on=today - timedelta(days=365),
        ends_on=today + timedelta(days=365),
        scope="Unannounced visits to police custody.",
        by=by,
    )
    committee = services.create_committee(
        agreement=agreement, name="Joint monitoring committee", by=by
    )
    seats = {
        "chair": services.add_committee_member(
            committee=committee, user=chair, institution=nhri, role=CommitteeRole.CHAIR, by=by
        ),
        "secretary": services.add_committee_member(
            committee=committee,
            user=secretary,
            institution=police,
            role=CommitteeRole.SECRETARY,
            by=by,
        ),
        "member": services.add_committee_member(
            committee=committee, user=member, institution=police_unit, by=by
        ),
    }
    meeting = services.schedule_meeting(
        committee=committee,
        starts_at=timezone.now() - timedelta(days=1),
        place="Rabat",
        agenda="Visits of the first quarter.",
        by=by,
    )
    services.record_meeting(
        meeting=meeting, attendees=list(seats.values()), minutes="Visits reviewed.", by=by
    )
    decision = services.record_decision(
        meeting=meeting,
        text="Visit three more stations.",
        tasks=[
            {"description": "Plan the visits", "owner": member, "due_on": today},
            {
                "description": "Write to the directorate",
                "owner": chair,
                "due_on": today + timedelta(days=30),
            },
        ],
        by=by,
    )
    member_task, chair_task = decision.tasks.order_by("id")
    return Partnership(
        nhri=nhri,
        police=police,
        police_unit=police_unit,
        unrelated=unrelated,
        agreement=agreement,
        committee=committee,
        chair=chair,
        secretary=secretary,
        member=member,
        stranger=stranger,
        chair_seat=seats["chair"],
        secretary_seat=seats["secretary"],
        member_seat=seats["member"],
        meeting=meeting,
        decision=decision,
        member_task=member_task,
        chair_task=chair_task,
    )
