"""Reading partnerships: who sees which agreements, committees, meetings and tasks, and
the lists the committee pages show.

Coordinators and administrators see every agreement. Others see the agreements one of
whose parties they belong to (``member_institutions``: their institutions, the units below
and the institutions above) and those on whose committees they sit, and everything under
them. Pages, the API and exports all start from these selectors.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from mizan.accounts.rules import is_coordinator, is_member
from mizan.evidence.models import EvidenceFile
from mizan.institutions.queries import member_institutions
from mizan.partnerships.enums import MeetingStatus
from mizan.partnerships.models import (
    Commitment,
    CommitteeMember,
    Decision,
    FollowUpTask,
    JointCommittee,
    Meeting,
    PartnershipAgreement,
)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _visible_agreement_ids(user: Any) -> QuerySet[Any]:
    seated = CommitteeMember.objects.filter(user_id=user.pk).values("committee__agreement_id")
    return PartnershipAgreement.objects.filter(
        Q(parties__in=member_institutions(user)) | Q(pk__in=seated)
    ).values("pk")


def agreements_visible_to(user: Any) -> QuerySet[PartnershipAgreement]:
    if not _active(user):
        return PartnershipAgreement.objects.none()
    if is_coordinator(user):
        return PartnershipAgreement.objects.all()
    return PartnershipAgreement.objects.filter(pk__in=_visible_agreement_ids(user))


def committees_visible_to(user: Any) -> QuerySet[JointCommittee]:
    """The committees of the agreements a user sees (a seat on one committee shows its
    agreement, and so its other committees)."""
    return JointCommittee.objects.filter(agreement__in=agreements_visible_to(user))


def commitments_visible_to(user: Any) -> QuerySet[Commitment]:
    return Commitment.objects.filter(agreement__in=agreements_visible_to(user))


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(committee__agreement__in=agreements_visible_to(user))


def decisions_visible_to(user: Any) -> QuerySet[Decision]:
    return Decision.objects.filter(meeting__committee__agreement__in=agreements_visible_to(user))


def follow_up_tasks_visible_to(user: Any) -> QuerySet[FollowUpTask]:
    """The tasks under the agreements a user sees, and the tasks they own."""
    if not _active(user):
        return FollowUpTask.objects.none()
    return FollowUpTask.objects.filter(
        Q(decision__meeting__committee__agreement__in=agreements_visible_to(user))
        | Q(owner_id=user.pk)
    )


def evidence_visible_to(user: Any) -> QuerySet[EvidenceFile]:
    """The evidence files a user may download. Every member reads the evidence of actions,
    progress reports and assessments; the documents of an agreement or of a meeting only
    those who see that agreement. (The selector lives here, not in the evidence app, because
    partnerships are the records whose files are not for every member.)"""
    if not is_member(user):
        return EvidenceFile.objects.none()
    visible = agreements_visible_to(user)
    partnership_documents = EvidenceFile.objects.filter(
        Q(agreements__isnull=False) | Q(meetings__isnull=False)
    ).values("pk")
    shown = EvidenceFile.objects.filter(
        Q(agreements__in=visible) | Q(meetings__committee__agreement__in=visible)
    ).values("pk")
    return EvidenceFile.objects.filter(~Q(pk__in=partnership_documents) | Q(pk__in=shown))


def with_in_force(
    agreements: QuerySet[PartnershipAgreement], today: date | None = None
) -> QuerySet[PartnershipAgreement]:
    """Annotate ``in_force``: the agreement has come into force and has not ended."""
    today = today or timezone.localdate()
    return agreements.annotate(
        in_force=Case(
            When(
                Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today)),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def is_in_force(agreement: PartnershipAgreement, today: date | None = None) -> bool:
    """The agreement has come into force and has not ended (the same as ``with_in_force``)."""
    today = today or timezone.localdate()
    ended = agreement.ends_on is not None and agreement.ends_on < today
    return agreement.starts_on <= today and not ended


def open_tasks(committee: JointCommittee) -> QuerySet[FollowUpTask]:
    """The committee's follow-up tasks not yet done, soonest due first."""
    return (
        FollowUpTask.objects.filter(decision__meeting__committee=committee, done_on__isnull=True)
        .select_related("owner", "institution", "decision__meeting")
        .order_by("due_on", "id")
    )


def upcoming_meetings(committee: JointCommittee) -> QuerySet[Meeting]:
    """Planned meetings from now on, soonest first."""
    return committee.meetings.filter(
        status=MeetingStatus.PLANNED, starts_at__gte=timezone.now()
    ).order_by("starts_at")


def past_meetings(committee: JointCommittee) -> QuerySet[Meeting]:
    """Meetings held, cancelled or whose time has passed, latest first."""
    return committee.meetings.exclude(
        status=MeetingStatus.PLANNED, starts_at__gte=timezone.now()
    ).order_by("-starts_at")


def open_tasks_owned_by(user: Any) -> QuerySet[FollowUpTask]:
    """A person's follow-up tasks not yet done (for their own work list and reminders)."""
    return (
        FollowUpTask.objects.filter(owner_id=user.pk, done_on__isnull=True)
        .select_related("decision__meeting__committee", "institution")
        .order_by("due_on", "id")
    )
