"""The committee's decisions on suggestions, recorded at a meeting one by one or in bulk,
and their release: until the committee releases a round's decisions, only the committee
(and coordinators) see them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mizan.audit.history import acting_user, attribute_change
from mizan.core.errors import MizanError
from mizan.partnerships.models import Meeting
from mizan.suggestions.enums import Outcome, RoundStatus, SuggestionStatus
from mizan.suggestions.models import ReviewRound, Suggestion, SuggestionDecision


def _with_groups(review_round: ReviewRound, suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """The suggestions, and every other suggestion of their groups: a group is decided
    together."""
    chosen: dict[int, Suggestion] = {}
    for suggestion in suggestions:
        chosen[suggestion.pk] = suggestion
        if suggestion.group_id is not None:
            for member in review_round.suggestions.filter(group_id=suggestion.group_id):
                chosen.setdefault(member.pk, member)
    return sorted(chosen.values(), key=lambda s: s.pk)


@transaction.atomic
def record_decisions(
    *,
    review_round: ReviewRound,
    suggestions: Sequence[Suggestion],
    outcome: str,
    rationale: str,
    by: Any,
    meeting: Meeting | None = None,
    merged_into: Suggestion | None = None,
) -> list[SuggestionDecision]:
    """Record the committee's decision on one or more suggestions of the round (with the
    rest of their groups), with its rationale. Recording again before the release
    replaces the earlier decision."""
    review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if review_round.status not in (RoundStatus.REVIEWING, RoundStatus.CLOSED):
        if review_round.status == RoundStatus.RELEASED:
            raise MizanError(
                _("The decisions of this round have been released; they are final."),
                code="released",
            )
        raise MizanError(_("Open the round for review before deciding."), code="wrong_status")
    if outcome not in Outcome.values:
        raise MizanError(_("Choose an outcome."), field="outcome")
    rationale = (rationale or "").strip()
    if not rationale:
        raise MizanError(_("Give the reason for the decision."), field="rationale", code="required")
    if not suggestions:
        raise MizanError(_("Choose the suggestions to decide."), field="suggestions")
    if meeting is not None and meeting.committee_id != review_round.committee_id:
        raise MizanError(_("The meeting is not one of the round's committee."), field="meeting")
    in_round = set(review_round.suggestions.values_list("pk", flat=True))
    targets = _with_groups(review_round, suggestions)
    for suggestion in targets:
        if suggestion.pk not in in_round:
            raise MizanError(
                _("%(reference)s is not in this round.") % {"reference": suggestion.reference},
                field="suggestions",
            )
    if outcome == Outcome.MERGED:
        if merged_into is None:
            raise MizanError(_("Choose the suggestion these are merged into."), field="merged_into")
        if merged_into.pk not in in_round:
            raise MizanError(
                _("%(reference)s is not in this round.") % {"reference": merged_into.reference},
                field="merged_into",
            )
        if merged_into.pk in {s.pk for s in targets}:
            raise MizanError(
                _("A suggestion cannot be merged into itself or its own group."),
                field="merged_into",
            )
    else:
        merged_into = None
    decisions = []
    for suggestion in targets:
        decision = SuggestionDecision.objects.filter(
            round=review_round, suggestion=suggestion
        ).first() or SuggestionDecision(round=review_round, suggestion=suggestion)
        decision.outcome = outcome
        decision.rationale = rationale
        decision.meeting = meeting
        decision.merged_into = merged_into
        decision.decided_by = acting_user(by)
        attribute_change(decision, user=by)
        decision.save()
        decisions.append(decision)
        if suggestion.status != SuggestionStatus.DECIDED:
            suggestion.status = SuggestionStatus.DECIDED
            attribute_change(suggestion, user=by)
            suggestion.save(update_fields=["status"])
    return decisions


@transaction.atomic
def release_decisions(*, review_round: ReviewRound, by: Any) -> int:
    """Publish the round's decisions: authors who are not anonymous see the outcome and
    its rationale on their page, and staff are told (see ``tasks``). Every suggestion of
    the round needs a decision first. Returns how many were released."""
    review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if review_round.status == RoundStatus.RELEASED:
        raise MizanError(_("The decisions of this round are already released."), code="released")
    if review_round.status != RoundStatus.CLOSED:
        raise MizanError(_("Close the review before releasing decisions."), code="wrong_status")
    undecided = review_round.suggestions.exclude(decisions__round=review_round).order_by("id")
    if undecided.exists():
        references = ", ".join(s.reference for s in undecided[:10])
        raise MizanError(
            _("Decide every suggestion of the round first. Still undecided: %(references)s.")
            % {"references": references},
            code="undecided",
        )
    now = timezone.now()
    released = 0
    for decision in review_round.decisions.all():
        decision.released_at = now
        attribute_change(decision, user=by)
        decision.save(update_fields=["released_at"])
        released += 1
    review_round.status = RoundStatus.RELEASED
    review_round.released_at = now
    attribute_change(review_round, user=by)
    review_round.save(update_fields=["status", "released_at"])
    transaction.on_commit(lambda: _notify(review_round.pk))
    return released


def _notify(round_id: int) -> None:
    from mizan.suggestions.tasks import send_release_notices

    send_release_notices.enqueue(round_id)
