"""Who may read, write, review and decide suggestions.

- Every member reads suggestions (their text, subject and status) and may make one;
  participants make theirs through their personal link (``mizan.participant``).
- Who wrote a suggestion is personal data. It is shown to its author, to coordinators
  and to the staff of the institutions that organised the source session, and never to
  a member of a committee that reviews it blind: during blind review a reviewer cannot
  reach the author through any page, export or endpoint (that includes the suggestion's
  history, whose entries name the person who made it).
- A review round (with its unreleased decisions) is read by its committee's members and
  coordinators; its chair and secretary (or a coordinator) prepare it, assign
  reviewers, record decisions and release them.
- A reviewer scores the suggestions assigned to them, while the round is open.
- Coordinators and trainers integrate accepted suggestions into a curriculum version.
"""

from __future__ import annotations

from typing import Any

import rules

from mizan.accounts.rules import is_coordinator, is_member
from mizan.partnerships.rules import can_record_meeting
from mizan.suggestions.enums import RoundStatus
from mizan.suggestions.models import ReviewRound
from mizan.training.rules import can_write_curricula, is_session_organiser


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_author(user: Any, suggestion: Any) -> bool:
    return (
        _active(user)
        and suggestion is not None
        and suggestion.author_user_id is not None
        and suggestion.author_user_id == user.pk
    )


@rules.predicate
def reviews_blind(user: Any, suggestion: Any) -> bool:
    """``user`` sits on a committee that reviews ``suggestion`` in a blind round."""
    if not _active(user) or suggestion is None:
        return False
    return ReviewRound.objects.filter(
        blind=True, suggestions=suggestion, committee__members__user_id=user.pk
    ).exists()


@rules.predicate
def organises_source_session(user: Any, suggestion: Any) -> bool:
    if suggestion is None or suggestion.session_id is None:
        return False
    return bool(is_session_organiser(user, suggestion.session))


@rules.predicate
def sits_on_round_committee(user: Any, review_round: Any) -> bool:
    """A seat (current or past) on the committee of the round. Other staff of the
    agreement's parties do not read a round: its decisions are unpublished until the
    committee releases them, and a party's staff may have written its suggestions."""
    return (
        _active(user)
        and review_round is not None
        and review_round.committee.members.filter(user_id=user.pk).exists()
    )


reads_round = is_coordinator | sits_on_round_committee


@rules.predicate
def keeps_round(user: Any, review_round: Any) -> bool:
    """The round's committee chair or secretary, or a coordinator."""
    return review_round is not None and bool(can_record_meeting(user, review_round.committee))


@rules.predicate
def keeps_committee(user: Any, committee: Any) -> bool:
    return committee is not None and bool(can_record_meeting(user, committee))


@rules.predicate
def is_assigned_reviewer(user: Any, assignment: Any) -> bool:
    return (
        _active(user)
        and assignment is not None
        and assignment.reviewer.user_id == user.pk
        and assignment.round.status == RoundStatus.REVIEWING
    )


@rules.predicate
def keeps_round_of_assignment(user: Any, assignment: Any) -> bool:
    return assignment is not None and bool(keeps_round(user, assignment.round))


@rules.predicate
def reads_own_assignment(user: Any, assignment: Any) -> bool:
    return _active(user) and assignment is not None and assignment.reviewer.user_id == user.pk


sees_author = is_author | (~reviews_blind & (is_coordinator | organises_source_session))

rules.add_perm("suggestions.view_suggestion", is_member)
rules.add_perm("suggestions.add_suggestion", is_member)
rules.add_perm("suggestions.view_author", sees_author)
rules.add_perm("suggestions.view_history", sees_author)
rules.add_perm("suggestions.integrate_suggestion", can_write_curricula)
rules.add_perm("suggestions.view_reviewround", reads_round)
rules.add_perm("suggestions.add_reviewround", keeps_committee)
rules.add_perm("suggestions.change_reviewround", keeps_round)
rules.add_perm("suggestions.decide", keeps_round)
rules.add_perm("suggestions.view_review", keeps_round_of_assignment | reads_own_assignment)
rules.add_perm("suggestions.review", is_assigned_reviewer)
