"""Review rounds: the rubric, the suggestions under review, assigning reviewers (balanced
across members, without conflicts of interest), reviews and groups of near-identical
suggestions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mizan.accounts.models import Membership
from mizan.audit.history import acting_user, attribute_change
from mizan.core.errors import MizanError, Refused
from mizan.partnerships.models import CommitteeMember, JointCommittee
from mizan.suggestions.enums import Outcome, RoundStatus, SuggestionStatus
from mizan.suggestions.models import (
    SCORE_MAX,
    Criterion,
    Review,
    ReviewAssignment,
    ReviewRound,
    Score,
    Suggestion,
    SuggestionGroup,
)
from mizan.training.models import Curriculum, TrainingSession
from mizan.training.services.curricula import clean_texts

#: A rubric a new round starts with, when none is given: (names, weight).
DEFAULT_CRITERIA: tuple[tuple[dict[str, str], int], ...] = (
    ({"en": "Relevance", "fr": "Pertinence", "ar": "الملاءمة"}, 3),
    ({"en": "Feasibility", "fr": "Faisabilité", "ar": "قابلية التنفيذ"}, 2),
    (
        {
            "en": "Human rights impact",
            "fr": "Effet sur les droits humains",
            "ar": "الأثر على حقوق الإنسان",
        },
        3,
    ),
)


def one_line(text: str | None) -> str:
    """``text`` on one line, in single spaces: a title goes into e-mail subjects."""
    return " ".join((text or "").split())


def _refuse_unless(review_round: ReviewRound, *statuses: str) -> None:
    if review_round.status not in statuses:
        raise MizanError(
            _("This cannot be done while the round is “%(status)s”.")
            % {"status": review_round.get_status_display()},
            code="wrong_status",
        )


def _lock(review_round: ReviewRound) -> ReviewRound:
    return ReviewRound.objects.select_for_update().get(pk=review_round.pk)


# --- The round and its rubric --------------------------------------------------------------


@transaction.atomic
def create_round(
    *,
    committee: JointCommittee,
    title: str,
    by: Any,
    curriculum: Curriculum | None = None,
    blind: bool = True,
    reviewers_per_suggestion: int = 2,
    review_until: date | None = None,
    criteria: Sequence[tuple[Mapping[str, str], int]] | None = None,
) -> ReviewRound:
    title = one_line(title)
    if not title:
        raise MizanError(_("Give the round a title."), field="title", code="required")
    review_round = ReviewRound(
        committee=committee,
        title=title,
        curriculum=curriculum,
        blind=blind,
        review_until=review_until,
        created_by=acting_user(by),
    )
    _check_reviewers_per_suggestion(review_round, reviewers_per_suggestion)
    attribute_change(review_round, user=by)
    review_round.save()
    set_criteria(
        review_round=review_round,
        criteria=DEFAULT_CRITERIA if criteria is None else criteria,
        by=by,
    )
    return review_round


def _check_reviewers_per_suggestion(review_round: ReviewRound, count: int) -> None:
    if not 1 <= int(count) <= 20:
        raise MizanError(
            _("Between 1 and 20 reviewers per suggestion."), field="reviewers_per_suggestion"
        )
    review_round.reviewers_per_suggestion = int(count)


ROUND_FIELDS = ("title", "curriculum", "blind", "reviewers_per_suggestion", "review_until")


@transaction.atomic
def update_round(*, review_round: ReviewRound, by: Any, **changes: Any) -> ReviewRound:
    unknown = set(changes) - set(ROUND_FIELDS)
    if unknown:
        raise MizanError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    review_round = _lock(review_round)
    if "blind" in changes and bool(changes["blind"]) != review_round.blind:
        # Once reviewers have seen the suggestions, lifting the blind would reveal authors
        # they have already judged; making it blind afterwards would be an empty promise.
        _refuse_unless(review_round, RoundStatus.PREPARING)
    if "reviewers_per_suggestion" in changes:
        _check_reviewers_per_suggestion(review_round, changes.pop("reviewers_per_suggestion"))
    if "title" in changes:
        changes["title"] = one_line(changes["title"])
    for name, value in changes.items():
        setattr(review_round, name, value.strip() if isinstance(value, str) else value)
    if not review_round.title:
        raise MizanError(_("Give the round a title."), field="title", code="required")
    attribute_change(review_round, user=by)
    review_round.save()
    return review_round


@transaction.atomic
def set_criteria(
    *,
    review_round: ReviewRound,
    criteria: Sequence[tuple[Mapping[str, str], int]],
    by: Any,
) -> list[Criterion]:
    """Replace the round's rubric: (names by language, weight 1–10) in order. Only while
    the round is being prepared, so every review is scored against the same rubric."""
    _refuse_unless(review_round, RoundStatus.PREPARING)
    if not criteria:
        raise MizanError(_("The rubric needs at least one criterion."), field="criteria")
    cleaned: list[tuple[dict[str, str], int]] = []
    for names, weight in criteria:
        texts = clean_texts(names, field="criteria")
        try:
            weight = int(weight)
        except (TypeError, ValueError):
            weight = 0
        if not 1 <= weight <= 10:
            raise MizanError(_("A criterion's weight is from 1 to 10."), field="criteria")
        cleaned.append((texts, weight))
    for old in review_round.criteria.all():
        attribute_change(old, user=by)
        old.delete()
    created = []
    for order, (texts, weight) in enumerate(cleaned, start=1):
        criterion = Criterion(round=review_round, order=order, names=texts, weight=weight)
        attribute_change(criterion, user=by)
        criterion.save()
        created.append(criterion)
    return created


def _decided_finally(suggestion: Suggestion) -> bool:
    """Decided in some round for good (anything but deferred)."""
    return suggestion.decisions.exclude(outcome=Outcome.DEFERRED).exists()


@transaction.atomic
def add_suggestions(
    *, review_round: ReviewRound, suggestions: Iterable[Suggestion], by: Any
) -> int:
    """Put suggestions under review in the round. A suggestion already decided (other
    than deferred) is not reviewed again. Returns how many were added."""
    review_round = _lock(review_round)
    _refuse_unless(review_round, RoundStatus.PREPARING, RoundStatus.REVIEWING)
    present = set(review_round.suggestions.values_list("pk", flat=True))
    added = []
    for suggestion in suggestions:
        if suggestion.pk in present:
            continue
        if _decided_finally(suggestion):
            raise MizanError(
                _("%(reference)s has already been decided.") % {"reference": suggestion.reference},
                field="suggestions",
            )
        if (
            suggestion.review_rounds.exclude(pk=review_round.pk)
            .exclude(status=RoundStatus.RELEASED)
            .exists()
        ):
            raise MizanError(
                _("%(reference)s is already under review in another round.")
                % {"reference": suggestion.reference},
                field="suggestions",
                code="in_another_round",
            )
        if (
            review_round.curriculum_id is not None
            and suggestion.curriculum_id is not None
            and suggestion.curriculum_id != review_round.curriculum_id
        ):
            raise MizanError(
                _("%(reference)s is about another curriculum than the round's.")
                % {"reference": suggestion.reference},
                field="suggestions",
            )
        added.append(suggestion)
        present.add(suggestion.pk)
    if added:
        attribute_change(review_round, user=by)
        review_round.suggestions.add(*added)
        for suggestion in added:
            suggestion.status = SuggestionStatus.IN_REVIEW
            attribute_change(suggestion, user=by)
            suggestion.save(update_fields=["status"])
    return len(added)


@transaction.atomic
def remove_suggestion(*, review_round: ReviewRound, suggestion: Suggestion, by: Any) -> None:
    review_round = _lock(review_round)
    _refuse_unless(review_round, RoundStatus.PREPARING, RoundStatus.REVIEWING)
    if not review_round.suggestions.filter(pk=suggestion.pk).exists():
        raise MizanError(
            _("%(reference)s is not in this round.") % {"reference": suggestion.reference},
            field="suggestions",
        )
    if review_round.decisions.filter(suggestion=suggestion).exists():
        raise MizanError(
            _("%(reference)s has been decided already.") % {"reference": suggestion.reference},
            code="decided",
        )
    if Review.objects.filter(
        assignment__round=review_round, assignment__suggestion=suggestion
    ).exists():
        raise MizanError(
            _("%(reference)s has been reviewed already; it stays in the round.")
            % {"reference": suggestion.reference},
            code="reviewed",
        )
    for assignment in review_round.assignments.filter(suggestion=suggestion):
        attribute_change(assignment, user=by)
        assignment.delete()
    attribute_change(review_round, user=by)
    review_round.suggestions.remove(suggestion)
    if suggestion.group_id and suggestion.group.round_id == review_round.pk:  # type: ignore[union-attr]
        suggestion.group = None
    suggestion.status = SuggestionStatus.RECEIVED
    attribute_change(suggestion, user=by)
    suggestion.save(update_fields=["status", "group"])


# --- Conflicts of interest and assignment ---------------------------------------------------


def active_members(committee: JointCommittee, today: date | None = None) -> list[CommitteeMember]:
    today = today or timezone.localdate()
    return list(
        committee.members.filter(Q(until__isnull=True) | Q(until__gte=today))
        .filter(user__is_active=True)
        .select_related("user", "institution")
        .order_by("id")
    )


@dataclass
class ConflictFinder:
    """Why a member may not review a suggestion: they wrote it, they trained the session
    it came from, or they belong to the author's unit."""

    #: session id → ids of its trainers
    trainers: dict[int, set[int]] = field(default_factory=dict)
    #: user id → ids of the institutions they belong to directly
    units: dict[int, set[int]] = field(default_factory=dict)

    @classmethod
    def for_round(
        cls, review_round: ReviewRound, members: Sequence[CommitteeMember]
    ) -> ConflictFinder:
        finder = cls()
        sessions = {
            s.session_id for s in review_round.suggestions.all() if s.session_id is not None
        }
        through = TrainingSession.trainers.through
        for session_id, user_id in through.objects.filter(
            trainingsession_id__in=sessions
        ).values_list("trainingsession_id", "user_id"):
            finder.trainers.setdefault(session_id, set()).add(user_id)
        for user_id, institution_id in Membership.objects.filter(
            user_id__in=[m.user_id for m in members]
        ).values_list("user_id", "institution_id"):
            finder.units.setdefault(user_id, set()).add(institution_id)
        return finder

    def reasons(self, member: CommitteeMember, suggestion: Suggestion) -> list[str]:
        reasons = []
        if suggestion.author_user_id is not None and suggestion.author_user_id == member.user_id:
            reasons.append(str(_("wrote the suggestion")))
        if suggestion.session_id is not None and member.user_id in self.trainers.get(
            suggestion.session_id, set()
        ):
            reasons.append(str(_("trained the session it came from")))
        if suggestion.author_institution_id is not None and (
            suggestion.author_institution_id in self.units.get(member.user_id, set())
        ):
            reasons.append(str(_("belongs to the author's unit")))
        return reasons


@dataclass
class AssignmentSummary:
    created: int = 0
    #: suggestion → how many more reviewers it needed but could not get
    short: dict[Suggestion, int] = field(default_factory=dict)
    #: member → number of assignments after the run
    load: dict[CommitteeMember, int] = field(default_factory=dict)


@transaction.atomic
def assign_reviewers(*, review_round: ReviewRound, by: Any) -> AssignmentSummary:
    """Give every suggestion of the round its number of reviewers, keeping assignments
    already made. Each goes to the eligible member with the fewest assignments so far, so
    the load stays balanced; suggestions with the fewest eligible members are served
    first. A grouped suggestion is reviewed with its group: all of a group's suggestions
    get the same reviewers."""
    review_round = _lock(review_round)
    _refuse_unless(review_round, RoundStatus.PREPARING, RoundStatus.REVIEWING)
    members = active_members(review_round.committee)
    if not members:
        raise MizanError(_("The committee has no members to review."), code="no_members")
    suggestions = list(review_round.suggestions.select_related("session").order_by("id"))
    finder = ConflictFinder.for_round(review_round, members)
    existing: dict[int, set[int]] = defaultdict(set)
    load: dict[int, int] = {m.pk: 0 for m in members}
    for suggestion_id, member_id in review_round.assignments.values_list(
        "suggestion_id", "reviewer_id"
    ):
        existing[suggestion_id].add(member_id)
        if member_id in load:
            load[member_id] += 1
    # Units of review: a group, or a suggestion on its own.
    units: dict[Any, list[Suggestion]] = defaultdict(list)
    for suggestion in suggestions:
        units[
            ("group", suggestion.group_id) if suggestion.group_id else ("one", suggestion.pk)
        ].append(suggestion)
    eligible: dict[Any, list[CommitteeMember]] = {}
    for key, items in units.items():
        eligible[key] = [m for m in members if not any(finder.reasons(m, s) for s in items)]
    summary = AssignmentSummary()
    wanted = review_round.reviewers_per_suggestion
    for key in sorted(units, key=lambda k: (len(eligible[k]), str(k))):
        items = units[key]
        have = set.intersection(*(existing[s.pk] for s in items)) if items else set()
        candidates = [m for m in eligible[key] if m.pk not in have]
        needed = max(0, wanted - len(have))
        candidates.sort(key=lambda m: (load[m.pk], m.pk))
        chosen = candidates[:needed]
        for member in chosen:
            for suggestion in items:
                if member.pk in existing[suggestion.pk]:
                    continue
                assignment = ReviewAssignment(
                    round=review_round, suggestion=suggestion, reviewer=member
                )
                attribute_change(assignment, user=by)
                assignment.save()
                existing[suggestion.pk].add(member.pk)
                summary.created += 1
                load[member.pk] += 1
        if len(chosen) < needed:
            for suggestion in items:
                summary.short[suggestion] = needed - len(chosen)
    summary.load = {m: load[m.pk] for m in members}
    return summary


@transaction.atomic
def unassign(*, assignment: ReviewAssignment, by: Any) -> None:
    if hasattr(assignment, "review"):
        raise MizanError(_("This review has been submitted; it cannot be taken back."))
    _refuse_unless(assignment.round, RoundStatus.PREPARING, RoundStatus.REVIEWING)
    attribute_change(assignment, user=by)
    assignment.delete()


# --- Opening, closing, reviewing -------------------------------------------------------------


@transaction.atomic
def open_round(*, review_round: ReviewRound, by: Any) -> ReviewRound:
    """Let reviewers at work. The rubric is fixed from now on."""
    review_round = _lock(review_round)
    _refuse_unless(review_round, RoundStatus.PREPARING)
    if not review_round.criteria.exists():
        raise MizanError(_("The rubric needs at least one criterion."), code="no_criteria")
    if not review_round.suggestions.exists():
        raise MizanError(_("Add suggestions to the round first."), code="empty_round")
    if not review_round.assignments.exists():
        raise MizanError(_("Assign reviewers first."), code="no_assignments")
    review_round.status = RoundStatus.REVIEWING
    attribute_change(review_round, user=by)
    review_round.save(update_fields=["status"])
    return review_round


@transaction.atomic
def close_round(*, review_round: ReviewRound, by: Any) -> ReviewRound:
    """End the reviewing; the committee decides next."""
    review_round = _lock(review_round)
    _refuse_unless(review_round, RoundStatus.REVIEWING)
    review_round.status = RoundStatus.CLOSED
    attribute_change(review_round, user=by)
    review_round.save(update_fields=["status"])
    return review_round


def weighted_score(values: Mapping[Criterion, int]) -> Decimal:
    total_weight = sum(c.weight for c in values)
    if not total_weight:
        return Decimal("0")
    raw = Decimal(sum(c.weight * v for c, v in values.items())) / Decimal(total_weight)
    return raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def submit_review(
    *,
    assignment: ReviewAssignment,
    scores: Mapping[int, Any],
    comment: str,
    by: Any,
) -> Review:
    """Score a suggestion against every criterion of the round's rubric (1 to 5), with a
    comment. A reviewer may change their review while the round is open."""
    assignment = ReviewAssignment.objects.select_related("round", "reviewer").get(pk=assignment.pk)
    if assignment.reviewer.user_id != getattr(by, "pk", None):
        raise Refused(_("This suggestion is not assigned to you."))
    _refuse_unless(assignment.round, RoundStatus.REVIEWING)
    criteria = list(assignment.round.criteria.all())
    values: dict[Criterion, int] = {}
    for criterion in criteria:
        raw = scores.get(criterion.pk)
        try:
            value = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= SCORE_MAX:
            raise MizanError(
                _("Give “%(criterion)s” a score from 1 to %(max)s.")
                % {"criterion": criterion.name, "max": SCORE_MAX},
                field=f"criterion_{criterion.pk}",
            )
        values[criterion] = value
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        raise MizanError(_("Score only the criteria of the round's rubric."), field="scores")
    review = Review.objects.filter(assignment=assignment).first() or Review(assignment=assignment)
    review.comment = (comment or "").strip()
    review.weighted_score = weighted_score(values)
    attribute_change(review, user=by)
    review.save()
    existing = {s.criterion_id: s for s in review.scores.all()}
    for criterion, value in values.items():
        score = existing.get(criterion.pk) or Score(review=review, criterion=criterion)
        if score.pk and score.value == value:
            continue
        score.value = value
        attribute_change(score, user=by)
        score.save()
    return review


# --- Groups of near-identical suggestions ------------------------------------------------------


@transaction.atomic
def group_suggestions(
    *, review_round: ReviewRound, suggestions: Sequence[Suggestion], title: str, by: Any
) -> SuggestionGroup:
    """Group suggestions of the round that say the same thing: they are reviewed by the
    same reviewers and decided together."""
    _refuse_unless(review_round, RoundStatus.PREPARING, RoundStatus.REVIEWING, RoundStatus.CLOSED)
    if len({s.pk for s in suggestions}) < 2:
        raise MizanError(_("Choose at least two suggestions to group."), field="suggestions")
    in_round = set(review_round.suggestions.values_list("pk", flat=True))
    for suggestion in suggestions:
        if suggestion.pk not in in_round:
            raise MizanError(
                _("%(reference)s is not in this round.") % {"reference": suggestion.reference},
                field="suggestions",
            )
        if review_round.decisions.filter(suggestion=suggestion).exists():
            raise MizanError(
                _("%(reference)s has been decided already.") % {"reference": suggestion.reference},
                field="suggestions",
            )
    title = (title or "").strip() or suggestions[0].text[:120]
    group = SuggestionGroup(round=review_round, title=title[:200], created_by=acting_user(by))
    attribute_change(group, user=by)
    group.save()
    for suggestion in suggestions:
        suggestion.group = group
        attribute_change(suggestion, user=by)
        suggestion.save(update_fields=["group"])
    return group


@transaction.atomic
def ungroup(*, group: SuggestionGroup, by: Any) -> None:
    _refuse_unless(group.round, RoundStatus.PREPARING, RoundStatus.REVIEWING, RoundStatus.CLOSED)
    for suggestion in group.suggestions.all():
        suggestion.group = None
        attribute_change(suggestion, user=by)
        suggestion.save(update_fields=["group"])
    attribute_change(group, user=by)
    group.delete()
