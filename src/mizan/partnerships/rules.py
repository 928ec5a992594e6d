"""Who may read and change partnership agreements and joint committees.

An agreement, its committees, meetings and decisions are read by coordinators and by
members of the parties (including units below a party, and the staff of a party's
parent) and by the committee's own members. Coordinators keep agreements and committees.
A committee's chair and secretary (or a coordinator) record meetings, minutes and
decisions. The owner of a follow-up task (or whoever may record decisions) marks it done.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q
from django.utils import timezone

from mizan.accounts.rules import is_coordinator, is_member
from mizan.institutions.queries import member_institutions
from mizan.partnerships.enums import CommitteeRole
from mizan.partnerships.models import CommitteeMember


def _agreement_of(obj: Any) -> Any:
    for path in ("agreement", "committee", "meeting", "decision"):
        if hasattr(obj, f"{path}_id"):
            obj = getattr(obj, path)
            return obj if path == "agreement" else _agreement_of(obj)
    return obj


def _committee_of(obj: Any) -> Any:
    if hasattr(obj, "decision_id"):
        obj = obj.decision
    if hasattr(obj, "meeting_id"):
        obj = obj.meeting
    return obj.committee if hasattr(obj, "committee_id") else obj


@rules.predicate
def is_party_member(user: Any, obj: Any) -> bool:
    if obj is None:
        return False
    agreement = _agreement_of(obj)
    parties = {party.pk for party in agreement.parties.all()}
    return bool(parties & member_institutions(user))


@rules.predicate
def sits_on_committee(user: Any, obj: Any) -> bool:
    """A seat on any committee of the record's agreement: as in ``agreements_visible_to``,
    a seat shows the agreement and everything under it."""
    if obj is None:
        return False
    agreement = _agreement_of(obj)
    return bool(
        CommitteeMember.objects.filter(user_id=user.pk, committee__agreement=agreement).exists()
    )


@rules.predicate
def chairs_or_keeps_minutes(user: Any, obj: Any) -> bool:
    if obj is None:
        return False
    committee = _committee_of(obj)
    if not hasattr(committee, "members"):
        return False
    # A former chair or secretary (whose seat has ended) no longer keeps the record.
    return committee.members.filter(
        Q(until__isnull=True) | Q(until__gte=timezone.localdate()),
        user_id=user.pk,
        role__in=[CommitteeRole.CHAIR, CommitteeRole.SECRETARY],
    ).exists()


@rules.predicate
def owns_task(user: Any, task: Any) -> bool:
    return task is not None and task.owner_id == user.pk


can_view_partnership = is_coordinator | is_party_member | sits_on_committee
can_record_meeting = is_coordinator | chairs_or_keeps_minutes

rules.add_perm("partnerships.view_partnershipagreement", is_member)
rules.add_perm("partnerships.view_agreement_detail", can_view_partnership)
rules.add_perm("partnerships.add_partnershipagreement", is_coordinator)
rules.add_perm("partnerships.change_partnershipagreement", is_coordinator)
rules.add_perm("partnerships.view_jointcommittee", can_view_partnership)
rules.add_perm("partnerships.add_jointcommittee", is_coordinator)
rules.add_perm("partnerships.change_jointcommittee", is_coordinator)
rules.add_perm("partnerships.add_meeting", can_record_meeting)
rules.add_perm("partnerships.change_meeting", can_record_meeting)
rules.add_perm("partnerships.add_decision", can_record_meeting)
rules.add_perm("partnerships.change_followuptask", can_record_meeting | owns_task)
# The same rules under the names of the records they are checked on.
rules.add_perm("partnerships.view_meeting", can_view_partnership)
rules.add_perm("partnerships.view_followuptask", can_view_partnership | owns_task)
rules.add_perm("partnerships.view_history", can_view_partnership)
rules.add_perm("partnerships.change_commitment", is_coordinator)
rules.add_perm("partnerships.change_committeemember", is_coordinator)
