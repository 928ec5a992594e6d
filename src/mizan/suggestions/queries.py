"""Reading suggestions and review rounds: who sees which, what a reviewer sees, and the
outcome an author may see. Pages, the API, exports and the CLI all start here.

Every member reads suggestions; who wrote one is shown only under
``suggestions.view_author`` (see ``rules``). Decisions are read by the round's readers
(its committee's members and coordinators) before they are released, and by every
member after.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from mizan.accounts.rules import is_coordinator, is_member
from mizan.institutions.queries import institutions_acted_for
from mizan.partnerships.models import CommitteeMember
from mizan.suggestions.models import (
    ReviewAssignment,
    ReviewRound,
    Suggestion,
    SuggestionDecision,
)
from mizan.training.models import TrainingSession


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def suggestions_visible_to(user: Any) -> QuerySet[Suggestion]:
    if not is_member(user):
        return Suggestion.objects.none()
    return Suggestion.objects.all()


def rounds_visible_to(user: Any) -> QuerySet[ReviewRound]:
    """Rounds read by ``user``: all for coordinators, else those of the committees they
    sit (or sat) on."""
    if not _active(user):
        return ReviewRound.objects.none()
    if is_coordinator(user):
        return ReviewRound.objects.all()
    seated = CommitteeMember.objects.filter(user_id=user.pk).values("committee_id")
    return ReviewRound.objects.filter(committee_id__in=seated)


def decisions_visible_to(user: Any) -> QuerySet[SuggestionDecision]:
    """Released decisions for every member; unreleased ones for the round's readers."""
    if not is_member(user):
        return SuggestionDecision.objects.none()
    return SuggestionDecision.objects.filter(
        Q(released_at__isnull=False) | Q(round__in=rounds_visible_to(user))
    )


def assignments_of(user: Any) -> QuerySet[ReviewAssignment]:
    """The suggestions a person has been asked to review, in any round."""
    if not _active(user):
        return ReviewAssignment.objects.none()
    return ReviewAssignment.objects.filter(reviewer__user_id=user.pk).select_related(
        "round", "suggestion"
    )


def blind_for(user: Any) -> QuerySet[Suggestion]:
    """Suggestions ``user`` reviews blind (as a member of a committee reviewing them in
    a blind round): their author must never be shown to them."""
    if not _active(user):
        return Suggestion.objects.none()
    blind_rounds = ReviewRound.objects.filter(
        blind=True, suggestions=OuterRef("pk"), committee__members__user_id=user.pk
    )
    return Suggestion.objects.filter(Exists(blind_rounds))


def released_decisions(suggestion: Suggestion) -> QuerySet[SuggestionDecision]:
    """What an author sees of the committee's decisions on their suggestion."""
    return suggestion.decisions.filter(released_at__isnull=False).select_related(
        "round", "merged_into"
    )


def suggestions_of_enrolment(enrolment: Any) -> QuerySet[Suggestion]:
    """A participant's own (not anonymous) suggestions, for their personal page."""
    return Suggestion.objects.filter(author_enrolment=enrolment, anonymous=False)


def authors_visible_to(user: Any, suggestions: Iterable[Suggestion]) -> set[int]:
    """Ids of those of ``suggestions`` whose author ``user`` may see, in at most two
    queries: the permission ``suggestions.view_author`` (``rules.sees_author``) for a
    whole list. The author themselves; otherwise a coordinator, or staff of an
    institution that organised the source session, unless they sit on a committee that
    reviews the suggestion blind. Anonymous suggestions have no author to see.
    ``tests/suggestions/test_exports.py`` checks that both give the same answers."""
    named = [s for s in suggestions if not s.anonymous]
    if not named or not _active(user):
        return set()
    blind = set(blind_for(user).filter(pk__in=[s.pk for s in named]).values_list("pk", flat=True))
    coordinator = bool(is_coordinator(user))
    organised: set[int] = set()
    session_ids = {s.session_id for s in named if s.session_id is not None}
    if session_ids and not coordinator:
        if user.is_superuser:
            organised = session_ids
        else:
            organised = set(
                TrainingSession.organisers.through.objects.filter(
                    trainingsession_id__in=session_ids,
                    institution_id__in=institutions_acted_for(user),
                ).values_list("trainingsession_id", flat=True)
            )
    shown = set()
    for suggestion in named:
        own = suggestion.author_user_id is not None and suggestion.author_user_id == user.pk
        staff = suggestion.pk not in blind and (coordinator or suggestion.session_id in organised)
        if own or staff:
            shown.add(suggestion.pk)
    return shown
