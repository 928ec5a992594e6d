"""Fixtures for "my work", reminders and the calendar feed: work items built from the
models directly, and a fixed "today"."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from mizan.accounts.enums import Role
from mizan.actions.enums import ActionKind, ActionStatus, ProgressReportStatus
from mizan.actions.models import Action, ProgressReport
from mizan.institutions.models import Institution
from mizan.partnerships.enums import MeetingStatus
from mizan.partnerships.models import (
    CommitteeMember,
    Decision,
    FollowUpTask,
    JointCommittee,
    Meeting,
    PartnershipAgreement,
)
from mizan.recommendations.models import Assignment
from tests.factories import InstitutionFactory, RecommendationFactory, user_with_role

TODAY = date(2026, 3, 10)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def police(focal_point) -> Institution:
    return focal_point.memberships.get().institution


@pytest.fixture
def justice(db) -> Institution:
    return InstitutionFactory(code="justice", names={"en": "Ministry of Justice"}, kind="ministry")


@pytest.fixture
def justice_focal_point(justice):
    return user_with_role(Role.FOCAL_POINT, justice, username="justice-focal")


def assign(institution: Institution, due_date: date | None, **recommendation) -> Assignment:
    return Assignment.objects.create(
        recommendation=RecommendationFactory(**recommendation),
        institution=institution,
        due_date=due_date,
    )


def make_action(
    institution: Institution,
    due_on: date | None,
    status: str = ActionStatus.PLANNED,
    created_by=None,
    title: str = "Train border officers",
) -> Action:
    return Action.objects.create(
        title=title,
        kind=ActionKind.TRAINING,
        lead_institution=institution,
        due_on=due_on,
        status=status,
        created_by=created_by,
    )


def make_report(action: Action, author, status: str = ProgressReportStatus.SUBMITTED):
    return ProgressReport.objects.create(
        action=action,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        summary="Two sessions held.",
        status=status,
        author=author,
        submitted_at=timezone.now(),
    )


def make_committee(*members, institution: Institution) -> JointCommittee:
    agreement = PartnershipAgreement.objects.create(
        title="Cooperation on detention monitoring", starts_on=date(2025, 1, 1), scope="Visits"
    )
    agreement.parties.add(institution)
    committee = JointCommittee.objects.create(agreement=agreement, name="Joint committee")
    for member in members:
        CommitteeMember.objects.create(committee=committee, user=member, institution=institution)
    return committee


def make_meeting(committee: JointCommittee, on: date, hour: int = 10, **fields) -> Meeting:
    starts_at = timezone.make_aware(datetime.combine(on, datetime.min.time()).replace(hour=hour))
    return Meeting.objects.create(
        committee=committee,
        starts_at=starts_at,
        place=fields.pop("place", "Rabat, room 2"),
        agenda=fields.pop("agenda", "Follow-up of the visit reports"),
        **fields,
    )


def make_task(owner, due_on: date, institution: Institution | None = None, **fields):
    committee = make_committee(owner, institution=institution or InstitutionFactory())
    meeting = make_meeting(committee, due_on - timedelta(days=30), status=MeetingStatus.HELD)
    decision = Decision.objects.create(meeting=meeting, number=1, text="Visit two prisons.")
    return FollowUpTask.objects.create(
        decision=decision,
        description=fields.pop("description", "Send the visit schedule"),
        owner=owner,
        institution=institution,
        due_on=due_on,
        **fields,
    )
