"""What a review round's dashboard shows: progress per reviewer and per suggestion, the
scores' mean and spread, the mean of each criterion, the groups; and the summary of an
assignment run. Plain functions returning dataclasses, in a fixed number of queries
whatever the round's size.

Nothing here names a suggestion's author: the pages decide who may see that.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from mizan.partnerships.models import CommitteeMember
from mizan.suggestions.models import (
    Criterion,
    Review,
    ReviewAssignment,
    ReviewRound,
    Score,
    Suggestion,
    SuggestionGroup,
)
from mizan.suggestions.services.rounds import AssignmentSummary, ConflictFinder, active_members

#: Reviews of one suggestion whose weighted scores lie this far apart (or more) disagree:
#: the committee should talk about it.
WIDE_SPREAD = Decimal("2")
CENT = Decimal("0.01")


def _round2(value: Decimal | float) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class ReviewerProgress:
    member: CommitteeMember
    assigned: int = 0
    done: int = 0

    @property
    def percent(self) -> int:
        return _percent(self.done, self.assigned)


@dataclass
class SuggestionProgress:
    suggestion: Suggestion
    #: The suggestion's assignments, each with its review when submitted.
    assignments: list[ReviewAssignment] = field(default_factory=list)

    @property
    def assigned(self) -> int:
        return len(self.assignments)

    @property
    def reviews(self) -> list[Review]:
        return [a.review for a in self.assignments if _review_of(a) is not None]

    @property
    def done(self) -> int:
        return len(self.reviews)

    @property
    def scores(self) -> list[Decimal]:
        return [review.weighted_score for review in self.reviews]

    @property
    def mean(self) -> Decimal | None:
        scores = self.scores
        return _round2(sum(scores) / len(scores)) if scores else None

    @property
    def low(self) -> Decimal | None:
        return min(self.scores, default=None)

    @property
    def high(self) -> Decimal | None:
        return max(self.scores, default=None)

    @property
    def deviation(self) -> Decimal | None:
        """The population standard deviation of the weighted scores."""
        scores = self.scores
        return _round2(statistics.pstdev(scores)) if scores else None

    @property
    def wide_spread(self) -> bool:
        scores = self.scores
        return len(scores) > 1 and max(scores) - min(scores) >= WIDE_SPREAD


@dataclass
class CriterionMean:
    criterion: Criterion
    mean: Decimal | None
    count: int


@dataclass
class GroupLine:
    group: SuggestionGroup
    suggestions: list[Suggestion]


@dataclass
class RoundDashboard:
    review_round: ReviewRound
    reviewers: list[ReviewerProgress]
    suggestions: list[SuggestionProgress]
    criteria: list[CriterionMean]
    groups: list[GroupLine]

    @property
    def assigned(self) -> int:
        return sum(r.assigned for r in self.reviewers)

    @property
    def done(self) -> int:
        return sum(r.done for r in self.reviewers)

    @property
    def percent(self) -> int:
        return _percent(self.done, self.assigned)

    @property
    def wide_spreads(self) -> int:
        return sum(1 for s in self.suggestions if s.wide_spread)


def _review_of(assignment: ReviewAssignment) -> Review | None:
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


def round_dashboard(review_round: ReviewRound) -> RoundDashboard:
    """Everything the dashboard shows, in six queries."""
    criteria = list(review_round.criteria.all())
    means = {
        row["criterion_id"]: row
        for row in Score.objects.filter(review__assignment__round=review_round)
        .values("criterion_id")
        .annotate(mean=Avg("value"), count=Count("id"))
    }
    assignments = list(
        review_round.assignments.select_related(
            "reviewer__user", "reviewer__institution", "review"
        ).order_by("suggestion_id", "reviewer_id")
    )
    suggestions = list(review_round.suggestions.select_related("group", "session").order_by("id"))
    # Current members, and anyone who has been assigned reviews even if their seat ended.
    reviewers: dict[int, ReviewerProgress] = {
        m.pk: ReviewerProgress(member=m) for m in active_members(review_round.committee)
    }
    by_suggestion: dict[int, SuggestionProgress] = {
        s.pk: SuggestionProgress(suggestion=s) for s in suggestions
    }
    for assignment in assignments:
        progress = reviewers.setdefault(
            assignment.reviewer_id, ReviewerProgress(member=assignment.reviewer)
        )
        progress.assigned += 1
        if _review_of(assignment) is not None:
            progress.done += 1
        line = by_suggestion.get(assignment.suggestion_id)
        if line is not None:
            line.assignments.append(assignment)
    grouped: dict[int, list[Suggestion]] = defaultdict(list)
    for suggestion in suggestions:
        if suggestion.group_id is not None:
            grouped[suggestion.group_id].append(suggestion)
    groups = [
        GroupLine(group=group, suggestions=grouped.get(group.pk, []))
        for group in review_round.groups.order_by("id")
    ]
    return RoundDashboard(
        review_round=review_round,
        reviewers=sorted(
            reviewers.values(), key=lambda r: (str(r.member.user).casefold(), r.member.pk)
        ),
        suggestions=list(by_suggestion.values()),
        criteria=[
            CriterionMean(
                criterion=criterion,
                mean=_round2(means[criterion.pk]["mean"]) if criterion.pk in means else None,
                count=means[criterion.pk]["count"] if criterion.pk in means else 0,
            )
            for criterion in criteria
        ],
        groups=groups,
    )


# --- The summary of an assignment run --------------------------------------------------------


@dataclass
class ShortSuggestion:
    """A suggestion that did not get all its reviewers, and why: the members who could not
    review it. Conflicts that would say something about the author are only counted
    (``hidden``) for someone who may not see the author."""

    suggestion: Suggestion
    missing: int
    #: (member, reasons) for the members with a conflict that may be told
    conflicts: list[tuple[CommitteeMember, list[str]]] = field(default_factory=list)
    #: members with a conflict whose reasons would point at the author
    hidden: int = 0


@dataclass
class AssignmentReport:
    created: int
    short: list[ShortSuggestion]
    load: list[tuple[CommitteeMember, int]]


#: Conflicts that say nothing about who wrote the suggestion: the session's trainers are
#: on its page for everyone to see.
def _reasons_about_session() -> set[str]:
    return {str(_("trained the session it came from"))}


def assignment_report(
    review_round: ReviewRound, summary: AssignmentSummary, user: Any
) -> AssignmentReport:
    """The summary of ``rounds.assign_reviewers`` as ``user`` may read it. Who wrote a
    suggestion, or belongs to its author's unit, is only told to someone who may see its
    author (``suggestions.view_author``) and never in a blind round."""
    members = active_members(review_round.committee)
    finder = ConflictFinder.for_round(review_round, members)
    neutral = _reasons_about_session()
    short = []
    for suggestion, missing in sorted(summary.short.items(), key=lambda item: item[0].pk):
        line = ShortSuggestion(suggestion=suggestion, missing=missing)
        may_name = not review_round.blind and user.has_perm("suggestions.view_author", suggestion)
        for member in members:
            reasons = finder.reasons(member, suggestion)
            if not reasons:
                continue
            told = reasons if may_name else [r for r in reasons if r in neutral]
            if told:
                line.conflicts.append((member, told))
            else:
                line.hidden += 1
        short.append(line)
    load = sorted(summary.load.items(), key=lambda item: (str(item[0].user).casefold(), item[0].pk))
    return AssignmentReport(created=summary.created, short=short, load=load)
