"""Reading suggestions and review rounds: who sees which, what a reviewer sees, and the
outcome an author may see. Pages, the API, exports and the CLI all start here.

Every member reads suggestions; who wrote one is shown only under
``suggestions.view_author`` (see ``rules``). Decisions are read by the round's readers
(its committee, the parties of its agreement, coordinators) before they are released,
and by every member after.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from mizan.accounts.rules import is_member
from mizan.partnerships.queries import committees_visible_to
from mizan.suggestions.models import (
    ReviewAssignment,
    ReviewRound,
    Suggestion,
    SuggestionDecision,
)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def suggestions_visible_to(user: Any) -> QuerySet[Suggestion]:
    if not is_member(user):
        return Suggestion.objects.none()
    return Suggestion.objects.all()


def rounds_visible_to(user: Any) -> QuerySet[ReviewRound]:
    if not _active(user):
        return ReviewRound.objects.none()
    return ReviewRound.objects.filter(committee__in=committees_visible_to(user))


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
