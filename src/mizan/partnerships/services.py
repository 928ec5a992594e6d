"""Business operations on partnership agreements and joint committees. Each validates,
writes in one transaction with its audit entry (django-simple-history, attributed to
``by``) and returns what it changed.

Views, the API, the CLI and tasks all call these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mizan.actions.models import Action
from mizan.audit.history import attribute_change
from mizan.core.errors import MizanError
from mizan.evidence.models import EvidenceFile
from mizan.evidence.services import store_evidence
from mizan.institutions.models import Institution
from mizan.institutions.queries import with_units
from mizan.partnerships.enums import CommitteeRole, MeetingStatus
from mizan.partnerships.models import (
    Commitment,
    CommitteeMember,
    Decision,
    FollowUpTask,
    JointCommittee,
    Meeting,
    PartnershipAgreement,
)

AGREEMENT_FIELDS = ("title", "reference", "signed_on", "starts_on", "ends_on", "scope")
COMMITMENT_FIELDS = ("text", "party", "due_on", "order")
COMMITTEE_FIELDS = ("name", "mandate")
MEMBER_FIELDS = ("institution", "role", "since", "until")
MEETING_FIELDS = ("starts_at", "place", "agenda")


def _refuse_unknown(changes: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise MizanError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise MizanError(message, field=field)
    return value


# --- Agreements ------------------------------------------------------------------------


def _check_agreement(agreement: PartnershipAgreement) -> None:
    agreement.title = _required_text(agreement.title, "title", _("The title is required."))
    agreement.scope = _required_text(agreement.scope, "scope", _("The scope is required."))
    agreement.reference = (agreement.reference or "").strip()
    if agreement.starts_on is None:
        raise MizanError(
            _("The date the agreement comes into force is required."), field="starts_on"
        )
    if agreement.ends_on is not None and agreement.ends_on < agreement.starts_on:
        raise MizanError(_("The agreement cannot end before it comes into force."), field="ends_on")


def _check_parties(parties: list[Institution]) -> None:
    if len({party.pk for party in parties}) < 2:
        raise MizanError(_("An agreement needs at least two parties."), field="parties")


@transaction.atomic
def create_agreement(
    *,
    title: str,
    parties: Iterable[Institution],
    starts_on: date,
    scope: str,
    reference: str = "",
    signed_on: date | None = None,
    ends_on: date | None = None,
    by: Any = None,
) -> PartnershipAgreement:
    """Register an agreement between two or more institutions."""
    parties = list(parties)
    agreement = PartnershipAgreement(
        title=title,
        reference=reference,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        scope=scope,
    )
    _check_agreement(agreement)
    _check_parties(parties)
    attribute_change(agreement, user=by)
    agreement.save()
    attribute_change(agreement, user=by)
    agreement.parties.set(parties)
    return agreement


@transaction.atomic
def update_agreement(
    *,
    agreement: PartnershipAgreement,
    parties: Iterable[Institution] | None = None,
    by: Any = None,
    **changes: Any,
) -> PartnershipAgreement:
    """Change an agreement's fields and, when given, its parties. A party cannot leave
    while it holds commitments or committee seats under the agreement."""
    _refuse_unknown(changes, AGREEMENT_FIELDS)
    for name, value in changes.items():
        setattr(agreement, name, value)
    _check_agreement(agreement)
    new_parties = None if parties is None else list(parties)
    if new_parties is not None:
        _check_parties(new_parties)
        leaving = {p.pk for p in agreement.parties.all()} - {p.pk for p in new_parties}
        _check_parties_may_leave(agreement, leaving)
    attribute_change(agreement, user=by)
    agreement.save()
    if new_parties is not None:
        attribute_change(agreement, user=by)
        agreement.parties.set(new_parties)
    return agreement


def _check_parties_may_leave(agreement: PartnershipAgreement, leaving: set[int]) -> None:
    if not leaving:
        return
    committed = agreement.commitments.filter(party_id__in=leaving).select_related("party")
    if committed:
        raise MizanError(
            _("%(party)s has commitments under this agreement; change them first.")
            % {"party": committed[0].party},
            field="parties",
        )
    staying = with_units(set(agreement.parties.values_list("id", flat=True)) - leaving)
    seats = CommitteeMember.objects.filter(committee__agreement=agreement).exclude(
        institution_id__in=staying
    )
    seat = seats.select_related("institution").first()
    if seat is not None:
        raise MizanError(
            _("%(institution)s has a seat on a committee of this agreement; change it first.")
            % {"institution": seat.institution},
            field="parties",
        )


@transaction.atomic
def attach_document(
    *,
    record: PartnershipAgreement | Meeting,
    upload: Any,
    description: str = "",
    by: Any = None,
) -> EvidenceFile:
    """Store an uploaded file (checked by its content) as a document of an agreement or
    a meeting."""
    document = store_evidence(upload=upload, by=by, description=description)
    attribute_change(record, user=by)
    record.documents.add(document)
    return document


# --- Commitments -----------------------------------------------------------------------


def _check_commitment(commitment: Commitment) -> None:
    commitment.text = _required_text(commitment.text, "text", _("Write the commitment."))
    if (
        commitment.party_id is not None
        and not commitment.agreement.parties.filter(pk=commitment.party_id).exists()
    ):
        raise MizanError(
            _("%(institution)s is not a party to this agreement.")
            % {"institution": commitment.party},
            field="party",
        )


@transaction.atomic
def add_commitment(
    *,
    agreement: PartnershipAgreement,
    text: str,
    party: Institution | None = None,
    due_on: date | None = None,
    by: Any = None,
) -> Commitment:
    """Add a commitment, after the agreement's others, optionally made by one party."""
    last = agreement.commitments.aggregate(last=Max("order"))["last"]
    commitment = Commitment(
        agreement=agreement,
        text=text,
        party=party,
        due_on=due_on,
        order=0 if last is None else last + 1,
    )
    _check_commitment(commitment)
    attribute_change(commitment, user=by)
    commitment.save()
    return commitment


@transaction.atomic
def update_commitment(*, commitment: Commitment, by: Any = None, **changes: Any) -> Commitment:
    _refuse_unknown(changes, COMMITMENT_FIELDS)
    for name, value in changes.items():
        setattr(commitment, name, value)
    _check_commitment(commitment)
    attribute_change(commitment, user=by)
    commitment.save()
    return commitment


@transaction.atomic
def remove_commitment(*, commitment: Commitment, by: Any = None, reason: str = "") -> None:
    attribute_change(commitment, user=by, reason=reason)
    commitment.delete()


@transaction.atomic
def link_actions(
    *, commitment: Commitment, actions: Iterable[Action], by: Any = None
) -> Commitment:
    """Record that these actions carry out the commitment (linking one twice is harmless)."""
    actions = list(actions)
    if actions:
        attribute_change(commitment, user=by)
        commitment.actions.add(*actions)
    return commitment


@transaction.atomic
def unlink_actions(
    *, commitment: Commitment, actions: Iterable[Action], by: Any = None
) -> Commitment:
    actions = list(actions)
    if actions:
        attribute_change(commitment, user=by)
        commitment.actions.remove(*actions)
    return commitment


@transaction.atomic
def set_commitment_actions(
    *, commitment: Commitment, actions: Iterable[Action], by: Any = None
) -> Commitment:
    """Make ``actions`` exactly the commitment's actions, linking and unlinking as needed."""
    wanted = {action.pk: action for action in actions}
    current = {action.pk: action for action in commitment.actions.all()}
    unlink_actions(
        commitment=commitment, actions=[a for pk, a in current.items() if pk not in wanted], by=by
    )
    link_actions(
        commitment=commitment, actions=[a for pk, a in wanted.items() if pk not in current], by=by
    )
    return commitment


# --- Committees and their members ------------------------------------------------------


@transaction.atomic
def create_committee(
    *, agreement: PartnershipAgreement, name: str, mandate: str = "", by: Any = None
) -> JointCommittee:
    committee = JointCommittee(
        agreement=agreement,
        name=_required_text(name, "name", _("The committee's name is required.")),
        mandate=(mandate or "").strip(),
    )
    attribute_change(committee, user=by)
    committee.save()
    return committee


@transaction.atomic
def update_committee(
    *, committee: JointCommittee, by: Any = None, **changes: Any
) -> JointCommittee:
    _refuse_unknown(changes, COMMITTEE_FIELDS)
    if "name" in changes:
        changes["name"] = _required_text(
            changes["name"], "name", _("The committee's name is required.")
        )
    for name, value in changes.items():
        setattr(committee, name, value)
    attribute_change(committee, user=by)
    committee.save()
    return committee


def _is_current(member: CommitteeMember, today: date) -> bool:
    return member.until is None or member.until >= today


def _check_member(member: CommitteeMember) -> None:
    agreement = member.committee.agreement
    allowed = with_units(agreement.parties.values_list("id", flat=True))
    if member.institution_id not in allowed:
        raise MizanError(
            _("%(institution)s is neither a party to the agreement nor a unit of one.")
            % {"institution": member.institution},
            field="institution",
        )
    if member.since and member.until and member.until < member.since:
        raise MizanError(_("A seat cannot end before it begins."), field="until")
    others = CommitteeMember.objects.filter(committee_id=member.committee_id).exclude(pk=member.pk)
    if others.filter(user_id=member.user_id).exists():
        raise MizanError(
            _("%(person)s already has a seat on this committee.") % {"person": member.user},
            field="user",
        )
    today = timezone.localdate()
    if member.role == CommitteeRole.CHAIR and _is_current(member, today):
        chair = next(
            (m for m in others.filter(role=CommitteeRole.CHAIR) if _is_current(m, today)), None
        )
        if chair is not None:
            raise MizanError(
                _("%(person)s already chairs this committee.") % {"person": chair.user},
                field="role",
            )


@transaction.atomic
def add_committee_member(
    *,
    committee: JointCommittee,
    user: Any,
    institution: Institution,
    role: str = CommitteeRole.MEMBER,
    since: date | None = None,
    until: date | None = None,
    by: Any = None,
) -> CommitteeMember:
    """Give a person a seat, representing a party (or a unit below one). One seat per
    person, and one current chair."""
    member = CommitteeMember(
        committee=committee, user=user, institution=institution, role=role, since=since, until=until
    )
    _check_member(member)
    attribute_change(member, user=by)
    member.save()
    return member


@transaction.atomic
def update_committee_member(
    *, member: CommitteeMember, by: Any = None, **changes: Any
) -> CommitteeMember:
    _refuse_unknown(changes, MEMBER_FIELDS)
    for name, value in changes.items():
        setattr(member, name, value)
    _check_member(member)
    attribute_change(member, user=by)
    member.save()
    return member


@transaction.atomic
def remove_committee_member(*, member: CommitteeMember, by: Any = None) -> None:
    """Remove a seat given by mistake. A seat whose holder attended meetings stays, so the
    attendance records stay true: its end date is set instead."""
    if member.meetings_attended.exists():
        raise MizanError(
            _(
                "%(person)s attended meetings of this committee; set the date the seat "
                "ended instead of removing it."
            )
            % {"person": member.user},
            field="until",
        )
    attribute_change(member, user=by)
    member.delete()


# --- Meetings --------------------------------------------------------------------------


def _check_meeting(meeting: Meeting) -> None:
    if meeting.starts_at is None:
        raise MizanError(_("The date and time of the meeting are required."), field="starts_at")
    meeting.place = _required_text(meeting.place, "place", _("The place is required."))
    meeting.agenda = _required_text(meeting.agenda, "agenda", _("The agenda is required."))


@transaction.atomic
def schedule_meeting(
    *, committee: JointCommittee, starts_at: datetime, place: str, agenda: str, by: Any = None
) -> Meeting:
    meeting = Meeting(committee=committee, starts_at=starts_at, place=place, agenda=agenda)
    _check_meeting(meeting)
    attribute_change(meeting, user=by)
    meeting.save()
    return meeting


def _refuse_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise MizanError(_("This meeting was cancelled."), code="cancelled")


@transaction.atomic
def update_meeting(*, meeting: Meeting, by: Any = None, **changes: Any) -> Meeting:
    """Change a meeting's date, place or agenda (not once it is cancelled)."""
    _refuse_unknown(changes, MEETING_FIELDS)
    _refuse_cancelled(meeting)
    for name, value in changes.items():
        setattr(meeting, name, value)
    _check_meeting(meeting)
    attribute_change(meeting, user=by)
    meeting.save()
    return meeting


def _has_started(meeting: Meeting) -> bool:
    return timezone.localdate(meeting.starts_at) <= timezone.localdate()


@transaction.atomic
def record_meeting(
    *,
    meeting: Meeting,
    attendees: Iterable[CommitteeMember],
    minutes: str = "",
    other_attendees: str = "",
    documents: Iterable[Any] = (),
    by: Any = None,
) -> Meeting:
    """Record that the meeting was held: who of the members came, who else, the minutes
    and documents (uploads, checked by their content). Recording again corrects the record;
    new documents are added to the earlier ones."""
    _refuse_cancelled(meeting)
    if not _has_started(meeting):
        raise MizanError(
            _("A meeting can be recorded from the day it takes place."), field="starts_at"
        )
    attendees = list(attendees)
    strangers = [m for m in attendees if m.committee_id != meeting.committee_id]
    if strangers:
        raise MizanError(
            _("%(person)s has no seat on this committee.") % {"person": strangers[0].user},
            field="attendees",
        )
    meeting.status = MeetingStatus.HELD
    meeting.minutes = (minutes or "").strip()
    meeting.other_attendees = (other_attendees or "").strip()
    attribute_change(meeting, user=by)
    meeting.save()
    attribute_change(meeting, user=by)
    meeting.attendees.set(attendees)
    for upload in documents:
        attach_document(record=meeting, upload=upload, by=by)
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, reason: str = "", by: Any = None) -> Meeting:
    """Cancel a planned meeting; a meeting already held stays on record."""
    if meeting.status == MeetingStatus.HELD:
        raise MizanError(_("A meeting that was held cannot be cancelled."), code="held")
    if meeting.status == MeetingStatus.CANCELLED:
        return meeting
    meeting.status = MeetingStatus.CANCELLED
    attribute_change(meeting, user=by, reason=(reason or "").strip()[:100])
    meeting.save()
    return meeting


# --- Decisions and their follow-up tasks -----------------------------------------------


@transaction.atomic
def record_decision(
    *,
    meeting: Meeting,
    text: str,
    tasks: Iterable[Mapping[str, Any]] = (),
    by: Any = None,
) -> Decision:
    """Record a decision of a meeting that was held (or that has begun and is being
    recorded), numbered after the meeting's others, with the follow-up tasks it gives
    (each a mapping of ``add_follow_up_task``'s arguments)."""
    # Lock the meeting so two people recording at once do not take the same number.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_cancelled(meeting)
    if meeting.status != MeetingStatus.HELD and not _has_started(meeting):
        raise MizanError(
            _("Decisions are recorded for a meeting that has taken place."), code="not_held"
        )
    text = _required_text(text, "text", _("Write the decision."))
    last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
    decision = Decision(
        meeting=meeting,
        number=last + 1,
        text=text,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    attribute_change(decision, user=by)
    decision.save()
    for task in tasks:
        add_follow_up_task(decision=decision, by=by, **task)
    return decision


@transaction.atomic
def add_follow_up_task(
    *,
    decision: Decision,
    description: str,
    owner: Any,
    due_on: date,
    institution: Institution | None = None,
    by: Any = None,
) -> FollowUpTask:
    """Give someone work to do by a date, following a decision."""
    description = _required_text(description, "description", _("Describe the task."))
    if owner is None:
        raise MizanError(_("Name the person who owns the task."), field="owner")
    if not owner.is_active:
        raise MizanError(
            _("%(person)s's account is not active.") % {"person": owner}, field="owner"
        )
    if due_on is None:
        raise MizanError(_("The due date is required."), field="due_on")
    if due_on < timezone.localdate(decision.meeting.starts_at):
        raise MizanError(_("The due date is before the meeting."), field="due_on")
    # The institution's focal points hear of the task when it is late: only a party (or a
    # unit of one) may be named, so the agreement's work reaches no one outside it.
    agreement = decision.meeting.committee.agreement
    if institution is not None and institution.pk not in with_units(
        agreement.parties.values_list("id", flat=True)
    ):
        raise MizanError(
            _("%(institution)s is neither a party to the agreement nor a unit of one.")
            % {"institution": institution},
            field="institution",
        )
    task = FollowUpTask(
        decision=decision,
        description=description,
        owner=owner,
        institution=institution,
        due_on=due_on,
    )
    attribute_change(task, user=by)
    task.save()
    return task


@transaction.atomic
def complete_follow_up_task(
    *, task: FollowUpTask, outcome: str, done_on: date | None = None, by: Any = None
) -> FollowUpTask:
    """Mark a task done on a day (today unless given) and say what came of it."""
    if task.done_on is not None:
        raise MizanError(_("This task is already done."), code="done")
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise MizanError(_("A task cannot be done in the future."), field="done_on")
    task.outcome = _required_text(outcome, "outcome", _("Say what came of the task."))
    task.done_on = done_on
    attribute_change(task, user=by)
    task.save()
    return task


@transaction.atomic
def reopen_follow_up_task(*, task: FollowUpTask, reason: str = "", by: Any = None) -> FollowUpTask:
    """Open a task marked done again (its outcome stays in the history)."""
    if task.done_on is None:
        raise MizanError(_("This task is still open."), code="open")
    task.done_on = None
    attribute_change(task, user=by, reason=(reason or "").strip()[:100])
    task.save()
    return task
