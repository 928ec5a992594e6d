"""The training dashboard's figures: Kirkpatrick's four levels over every session a
reader sees, filtered and broken down, read from the precomputed per-session figures
(``mizan.reports.rollup``) in a fixed number of queries however many sessions count.

- **participation**: officers enrolled, trained and who completed, *summed over
  sessions*: an officer trained in two sessions counts twice (participations);
- **reaction**: mean of each score of the end-of-course evaluations;
- **learning**: paired pre- and post-tests: mean scores and gain, mean normalised gain,
  and the paired effect size d_z (mean gain over the standard deviation of the gains)
  with its 95 % confidence interval; per learning objective and item analysis are
  computed live, only when the filters leave few sessions (:data:`DETAIL_LIMIT`);
- **behaviour**: follow-up answers, action plans kept, colleagues briefed, action plans;
- **cascade reach**: people reached by cascade sessions, generation by generation;
- **results**: the indicators of the training actions against their targets.

Participation and learning break down by sex, region, institution or rank. A reader who
may not see the people of every session counted gets small cells hidden
(``mizan.reports.suppression``), with the figures derived from them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mizan.actions.enums import ActionKind
from mizan.actions.models import Indicator, IndicatorValue
from mizan.actions.queries import actions_visible_to
from mizan.institutions.models import Institution
from mizan.reports.models import (
    CascadeFigures,
    MonthlyParticipationCell,
    ParticipationCell,
    SessionFigures,
)
from mizan.reports.rollup import refresh_stale
from mizan.reports.suppression import SMALL_CELL, suppress, suppress_table
from mizan.training import analytics
from mizan.training.enums import EnrolmentStatus, Sex, TestStage
from mizan.training.models import Evaluation, TestAnswer, TrainingSession
from mizan.training.queries import sessions_visible_to, sessions_with_roster_for

#: Per-objective learning and item analysis are computed live, from the answers, only
#: when the filters leave at most this many sessions.
DETAIL_LIMIT = 200
#: The normal quantile of a two-sided 95 % interval.
Z_95 = 1.959964

#: Breakdowns: code → the cell column it groups by.
DIMENSIONS = {
    "sex": "sex",
    "region": "region",
    "institution": "institution_id",
    "rank": "rank",
}
DIMENSION_LABELS = {
    "": _("No breakdown"),
    "sex": _("Sex"),
    "region": _("Region of the officer"),
    "institution": _("Institution"),
    "rank": _("Rank"),
}

LEARNING_SUMS = (
    "pairs",
    "pre_sum",
    "post_sum",
    "gain_sum",
    "gain_square_sum",
    "normalised_gain_sum",
    "normalised_n",
)
PEOPLE_SUMS = ("enrolled", "trained", "completed")


@dataclass(frozen=True)
class Filters:
    """Which sessions count: starting in the period (both ends included), of a
    curriculum, of a version, among given sessions, organised by an institution."""

    starts_from: date | None = None
    starts_until: date | None = None
    curriculum: int | None = None
    version: int | None = None
    sessions: tuple[int, ...] = ()
    organiser: int | None = None

    @property
    def any(self) -> bool:
        return any(
            value not in (None, ())
            for value in (
                self.starts_from,
                self.starts_until,
                self.curriculum,
                self.version,
                self.sessions,
                self.organiser,
            )
        )

    def condition(self, *, session: str = "session_id") -> Q:
        """The filters on a table that carries the session's start, version and
        curriculum (``SessionFigures``, ``ParticipationCell``)."""
        condition = Q()
        if self.starts_from is not None:
            condition &= Q(starts_on__gte=self.starts_from)
        if self.starts_until is not None:
            condition &= Q(starts_on__lte=self.starts_until)
        if self.curriculum is not None:
            condition &= Q(curriculum_id=self.curriculum)
        if self.version is not None:
            condition &= Q(version_id=self.version)
        if self.sessions:
            condition &= Q(**{f"{session}__in": list(self.sessions)})
        if self.organiser is not None:
            organised = TrainingSession.organisers.through.objects.filter(
                institution_id=self.organiser
            ).values("trainingsession_id")
            condition &= Q(**{f"{session}__in": organised})
        return condition


# --- Learning: sums and what follows from them ---------------------------------------


def effect_size(
    n: int, gain_sum: float, gain_square_sum: float
) -> tuple[float, float, float] | None:
    """The paired effect size d_z = mean gain / standard deviation of the gains, and
    its 95 % confidence interval by the normal approximation, se = √(1/n + d²/2n):
    (d, low, high). ``None`` with fewer than two pairs or gains that do not vary."""
    if n < 2:
        return None
    mean = gain_sum / n
    variance = (gain_square_sum - n * mean * mean) / (n - 1)
    if variance <= 1e-12:
        return None
    d = mean / math.sqrt(variance)
    se = math.sqrt(1 / n + d * d / (2 * n))
    return d, d - Z_95 * se, d + Z_95 * se


@dataclass(frozen=True)
class Learning:
    pairs: int = 0
    pre_sum: float = 0.0
    post_sum: float = 0.0
    gain_sum: float = 0.0
    gain_square_sum: float = 0.0
    normalised_gain_sum: float = 0.0
    normalised_n: int = 0
    suppressed: bool = False

    @property
    def pairs_shown(self) -> int | None:
        """The number of pairs, unless it is hidden with the figures it gives."""
        return None if self.suppressed else self.pairs

    def _mean(self, total: float, n: int, scale: int = 1) -> Decimal | None:
        if self.suppressed or not n:
            return None
        return analytics._number(total / n, scale)

    @property
    def mean_pre(self) -> Decimal | None:
        return self._mean(self.pre_sum, self.pairs)

    @property
    def mean_post(self) -> Decimal | None:
        return self._mean(self.post_sum, self.pairs)

    @property
    def mean_gain(self) -> Decimal | None:
        return self._mean(self.gain_sum, self.pairs)

    @property
    def mean_normalised_gain(self) -> Decimal | None:
        """Hake's gain, averaged over the pairs whose pre-test is below 100, in %."""
        return self._mean(self.normalised_gain_sum, self.normalised_n, 100)

    def _effect(self) -> tuple[float, float, float] | None:
        if self.suppressed:
            return None
        return effect_size(self.pairs, self.gain_sum, self.gain_square_sum)

    @property
    def effect_size(self) -> Decimal | None:
        effect = self._effect()
        return None if effect is None else analytics._number(effect[0])

    @property
    def effect_size_low(self) -> Decimal | None:
        effect = self._effect()
        return None if effect is None else analytics._number(effect[1])

    @property
    def effect_size_high(self) -> Decimal | None:
        effect = self._effect()
        return None if effect is None else analytics._number(effect[2])


# --- Participation -------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A row of the breakdown (or the whole, with ``key`` empty)."""

    key: str
    label: str
    enrolled: int | None
    trained: int | None
    completed: int | None
    learning: Learning
    share_of_trained: Decimal | None = None
    suppressed: bool = False

    @property
    def completion_rate(self) -> Decimal | None:
        return analytics.share(self.completed, self.trained)


@dataclass(frozen=True)
class Reaction:
    evaluations: int
    #: (field, label, mean) of each score, 1 to 5.
    means: list[tuple[str, str, Decimal | None]]
    suppressed: bool = False


@dataclass(frozen=True)
class Behaviour:
    follow_ups: int
    used_at_work: Decimal | None
    kept_plan: int | None
    kept_plan_partly: int | None
    did_not_keep_plan: int | None
    colleagues_briefed: int | None
    action_plans: int
    colleagues_to_brief: int | None
    follow_ups_suppressed: bool = False
    action_plans_suppressed: bool = False

    def shares(self) -> list[tuple[Any, int | None, Decimal | None]]:
        """(answer, officers, share of the answers %) of "did you keep your plan?"."""
        return [
            (label, count, analytics.share(count, self.follow_ups))
            for label, count in (
                (_("Yes"), self.kept_plan),
                (_("Partly"), self.kept_plan_partly),
                (_("No"), self.did_not_keep_plan),
            )
        ]


@dataclass(frozen=True)
class IndicatorProgress:
    action_id: int
    action: str
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    value: Decimal | None
    measured_on: date | None

    @property
    def progress(self) -> Decimal | None:
        """How far the latest value has come from the baseline (0 when none is given)
        to the target, in %."""
        if self.value is None or self.target is None:
            return None
        start = self.baseline or Decimal(0)
        if self.target == start:
            return None
        return analytics._number((self.value - start) / (self.target - start), 100)


@dataclass(frozen=True)
class TrainingDashboard:
    filters: Filters
    dimension: str
    sessions: int
    total: Group
    groups: list[Group]
    women: int | None
    men: int | None
    reaction: Reaction
    behaviour: Behaviour
    cascades: analytics.CascadeReach
    indicators: list[IndicatorProgress]
    small_cells_hidden: bool
    #: Live per-objective learning and item analysis (``None``: too many sessions, or
    #: item analysis not allowed).
    objectives: list[analytics.ObjectiveGain] | None = None
    items: list[analytics.ItemStatistics] | None = None
    detail_limit: int = DETAIL_LIMIT
    small_cell: int = SMALL_CELL
    notes: list[str] = field(default_factory=list)

    @property
    def detailed(self) -> bool:
        return self.objectives is not None

    @property
    def women_share(self) -> Decimal | None:
        if self.women is None or self.men is None:
            return None
        return analytics.share(self.women, self.women + self.men)


# --- Reading -------------------------------------------------------------------------


def _scope(user: Any, filters: Filters) -> Q:
    """The filters, within the sessions ``user`` sees."""
    condition = filters.condition()
    visible = sessions_visible_to(user)
    if visible.query.is_empty():
        return Q(pk__in=[])
    if visible.query.where:
        # Only when the reader sees some sessions and not others: every member sees
        # every session today, and the subquery would cost a read of all of them.
        condition &= Q(session_id__in=visible.values("pk"))
    return condition


def _whole_months(filters: Filters) -> bool:
    """Whether the period, if any, runs from the first day of a month to the last day
    of a month."""
    first, last = filters.starts_from, filters.starts_until
    return (first is None or first.day == 1) and (
        last is None or (last + timedelta(days=1)).day == 1
    )


def _cells(user: Any, filters: Filters, scope: Q) -> QuerySet[Any]:
    """The participation cells to add up: the monthly ones when the filters are whole
    months, curricula and versions and the reader sees every session (a tenth of the
    rows or fewer), else those of each session."""
    if (
        _whole_months(filters)
        and not filters.sessions
        and filters.organiser is None
        and not sessions_visible_to(user).query.where
    ):
        condition = Q()
        if filters.starts_from is not None:
            condition &= Q(month__gte=filters.starts_from)
        if filters.starts_until is not None:
            condition &= Q(month__lte=filters.starts_until)
        if filters.curriculum is not None:
            condition &= Q(curriculum_id=filters.curriculum)
        if filters.version is not None:
            condition &= Q(version_id=filters.version)
        return MonthlyParticipationCell.objects.filter(condition)
    return ParticipationCell.objects.filter(scope)


def _sees_everyone(user: Any, figures: QuerySet[SessionFigures]) -> bool:
    """Whether ``user`` may see the people of every session counted: one query."""
    if getattr(user, "is_superuser", False):
        return True
    roster = sessions_with_roster_for(user).values("pk")
    return not figures.exclude(session_id__in=roster).exists()


def _labels(dimension: str, keys: Iterable[Any]) -> dict[Any, str]:
    """The label of each group of a breakdown: one query for institutions."""
    if dimension == "sex":
        sexes = dict(Sex.choices)
        return {key: str(sexes.get(key, key)) for key in keys}
    if dimension == "region":
        return {key: key or str(_("Region not given")) for key in keys}
    if dimension == "rank":
        return {
            key: key or str(pgettext_lazy("rank of an officer", "Rank not given")) for key in keys
        }
    if dimension == "institution":
        keys = list(keys)
        names = {
            institution.pk: institution.name
            for institution in Institution.objects.filter(
                pk__in=[key for key in keys if key is not None]
            ).order_by()
        }
        return {
            key: names.get(key, "") if key is not None else str(_("No institution given"))
            for key in keys
        }
    return dict.fromkeys(keys, "")


def _group(key: Any, label: str, sums: dict[str, Any]) -> Group:
    return Group(
        key="" if key is None else str(key),
        label=label,
        enrolled=sums.get("enrolled", 0),
        trained=sums.get("trained", 0),
        completed=sums.get("completed", 0),
        learning=Learning(**{name: sums.get(name, 0) for name in LEARNING_SUMS}),
    )


def _hide_small(total: Group, groups: list[Group]) -> tuple[Group, list[Group]]:
    """Small cells hidden, with complementary cells, on the officers trained and,
    apart, on the paired tests; what derives from a hidden cell goes with it."""
    trained = suppress({group.key: group.trained or 0 for group in groups})
    paired = suppress({group.key: group.learning.pairs for group in groups})
    # Completion splits each group in two (completed, not): with the number trained, a
    # rate gives both, so either side of 1–10 people hides it, as a two-way table.
    outcomes = suppress_table(
        {
            (group.key, outcome): count
            for group in groups
            for outcome, count in (
                ("completed", group.completed or 0),
                ("not_completed", (group.trained or 0) - (group.completed or 0)),
            )
        }
    )
    hidden_groups = []
    for group in groups:
        if not (
            outcomes.shows((group.key, "completed"))
            and outcomes.shows((group.key, "not_completed"))
        ):
            group = replace(group, completed=None)
        if not trained.shows(group.key):
            group = replace(
                group,
                enrolled=None,
                trained=None,
                completed=None,
                share_of_trained=None,
                suppressed=True,
            )
        if not paired.shows(group.key):
            group = replace(group, learning=replace(group.learning, suppressed=True))
        hidden_groups.append(group)
    not_completed = (total.trained or 0) - (total.completed or 0)
    if (
        (total.trained or 0) < SMALL_CELL
        or 0 < (total.completed or 0) < SMALL_CELL
        or 0 < not_completed < SMALL_CELL
    ):
        total = replace(total, completed=None)
    if total.learning.pairs < SMALL_CELL:
        total = replace(total, learning=replace(total.learning, suppressed=True))
    return total, hidden_groups


def _indicators(
    user: Any, filters: Filters, figures: QuerySet[SessionFigures]
) -> list[IndicatorProgress]:
    """The indicators of the training actions (those with sessions counted, when
    filtered), each with its latest value: one query."""
    latest = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-id")
    indicators = Indicator.objects.filter(
        action__in=actions_visible_to(user), action__kind=ActionKind.TRAINING
    )
    if filters.any:
        counted = TrainingSession.objects.filter(
            action=OuterRef("action"), pk__in=figures.values("session_id")
        )
        indicators = indicators.filter(Exists(counted))
    rows = (
        indicators.annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_on=Subquery(latest.values("measured_on")[:1]),
        )
        .select_related("action")
        .order_by("action__title", "action_id", "id")
    )
    return [
        IndicatorProgress(
            action_id=row.action_id,
            action=row.action.title,
            name=row.name,
            unit=row.unit,
            baseline=row.baseline,
            target=row.target,
            value=row.latest_value,
            measured_on=row.latest_on,
        )
        for row in rows
    ]


def training_dashboard(
    user: Any,
    filters: Filters | None = None,
    *,
    dimension: str = "",
    with_items: bool = False,
    refresh: bool = True,
) -> TrainingDashboard:
    """Everything the dashboard shows for ``user``: figures of the stale sessions are
    computed first (``refresh``), then eight queries at most (nine with a breakdown by
    institution), plus four when the filters leave :data:`DETAIL_LIMIT` sessions or
    fewer (per-objective learning; item analysis with ``with_items``)."""
    filters = filters or Filters()
    dimension = dimension if dimension in DIMENSIONS else ""
    if refresh:
        refresh_stale()
    scope = _scope(user, filters)
    figures = SessionFigures.objects.filter(scope, cancelled=False)

    # Sessions, reaction and behaviour: one query.
    totals = figures.order_by().aggregate(
        sessions=Count("pk"),
        evaluations=Coalesce(Sum("evaluations"), 0),
        **{
            f"{name}_sum": Coalesce(Sum(f"{name}_sum"), 0)
            for name in (*Evaluation.SCORES, "used_at_work")
        },
        **{
            name: Coalesce(Sum(name), 0)
            for name in (
                "follow_ups",
                "plans_kept",
                "plans_partly_kept",
                "plans_not_kept",
                "colleagues_briefed",
                "action_plans",
                "colleagues_to_brief",
            )
        },
    )

    # Participation and learning, by the dimension and by sex: one query.
    column = DIMENSIONS.get(dimension)
    by = [column, "sex"] if column and column != "sex" else ["sex"]
    rows = (
        _cells(user, filters, scope)
        .order_by()
        .values(*by)
        .annotate(**{name: Sum(name) for name in (*PEOPLE_SUMS, *LEARNING_SUMS)})
    )
    grouped: dict[Any, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    whole: dict[str, Any] = defaultdict(int)
    by_sex: dict[str, int] = defaultdict(int)
    for row in rows:
        key = row[column] if column else None
        for name in (*PEOPLE_SUMS, *LEARNING_SUMS):
            value = row[name] or 0
            grouped[key][name] += value
            whole[name] += value
        by_sex[row["sex"]] += row["trained"] or 0
    total = _group(None, str(_("All officers")), whole)
    groups: list[Group] = []
    if column:
        labels = _labels(dimension, grouped)
        sexes = [value for value in Sex.values if value in grouped]
        order = (
            sexes + sorted(key for key in grouped if key not in sexes)
            if dimension == "sex"
            else sorted(grouped, key=lambda key: (-grouped[key]["trained"], labels[key]))
        )
        groups = [
            replace(
                _group(key, labels[key], grouped[key]),
                share_of_trained=analytics.share(grouped[key]["trained"], total.trained),
            )
            for key in order
        ]

    # Cascade reach: one query.
    generations = (
        CascadeFigures.objects.filter(session_id__in=figures.values("session_id"))
        .order_by("generation")
        .values("generation")
        .annotate(
            cascades=Coalesce(Sum("cascades"), 0),
            women=Coalesce(Sum("women"), 0),
            men=Coalesce(Sum("men"), 0),
        )
    )
    women, men = by_sex.get(Sex.FEMALE, 0), by_sex.get(Sex.MALE, 0)
    cascades = analytics.CascadeReach(
        direct_women=women,
        direct_men=men,
        generations=[analytics.CascadeGeneration(**row) for row in generations],
    )

    labels_of_scores = {score.name: str(score.verbose_name) for score in Evaluation._meta.fields}
    evaluations = totals["evaluations"]
    reaction = Reaction(
        evaluations=evaluations,
        means=[
            (
                name,
                labels_of_scores[name],
                analytics._number(totals[f"{name}_sum"] / evaluations) if evaluations else None,
            )
            for name in Evaluation.SCORES
        ],
    )
    follow_ups = totals["follow_ups"]
    behaviour = Behaviour(
        follow_ups=follow_ups,
        used_at_work=(
            analytics._number(totals["used_at_work_sum"] / follow_ups) if follow_ups else None
        ),
        kept_plan=totals["plans_kept"],
        kept_plan_partly=totals["plans_partly_kept"],
        did_not_keep_plan=totals["plans_not_kept"],
        colleagues_briefed=totals["colleagues_briefed"],
        action_plans=totals["action_plans"],
        colleagues_to_brief=totals["colleagues_to_brief"],
    )

    # Suppression: one query to know whether the reader sees every session's people.
    sees_everyone = _sees_everyone(user, figures)
    shown_women: int | None = women
    shown_men: int | None = men
    if not sees_everyone:
        total, groups = _hide_small(total, groups)
        if evaluations < SMALL_CELL:
            reaction = replace(
                reaction,
                means=[(name, label, None) for name, label, _mean in reaction.means],
                suppressed=True,
            )
        if follow_ups < SMALL_CELL:
            behaviour = replace(
                behaviour,
                used_at_work=None,
                kept_plan=None,
                kept_plan_partly=None,
                did_not_keep_plan=None,
                colleagues_briefed=None,
                follow_ups_suppressed=True,
            )
        if behaviour.action_plans < SMALL_CELL:
            behaviour = replace(behaviour, colleagues_to_brief=None, action_plans_suppressed=True)
        women_and_men = suppress({Sex.FEMALE: women, Sex.MALE: men})
        if not women_and_men.shows(Sex.FEMALE):
            shown_women = shown_men = None

    dashboard = TrainingDashboard(
        filters=filters,
        dimension=dimension,
        sessions=totals["sessions"],
        total=total,
        groups=groups,
        women=shown_women,
        men=shown_men,
        reaction=reaction,
        behaviour=behaviour,
        cascades=cascades,
        indicators=_indicators(user, filters, figures),
        small_cells_hidden=not sees_everyone,
    )
    if 0 < dashboard.sessions <= DETAIL_LIMIT:
        dashboard = _with_detail(dashboard, figures, sees_everyone, with_items=with_items)
    return dashboard


def people_per_objective(sessions: QuerySet[TrainingSession]) -> dict[int, int]:
    """How many participations (enrolments) the figures of each learning objective come
    from: those with paired tests who answered one of its questions, the fewer of the
    two stages. One query. An objective's counts of answers are not people: two officers
    answering six questions each give twelve answers."""
    answers = (
        TestAnswer.objects.filter(
            attempt__enrolment__in=analytics.paired_tests(sessions).values("pk"),
            attempt__stage__in=[TestStage.PRE, TestStage.POST],
            attempt__submitted_at__isnull=False,
            is_correct__isnull=False,
        )
        .order_by()
        .values("question__objective_id", "attempt__stage")
        .annotate(people=Count("attempt__enrolment", distinct=True))
    )
    people: dict[int, dict[str, int]] = defaultdict(dict)
    for row in answers:
        people[row["question__objective_id"]][row["attempt__stage"]] = row["people"]
    return {
        objective: min(stages.get(TestStage.PRE, 0), stages.get(TestStage.POST, 0))
        for objective, stages in people.items()
    }


def people_per_item(sessions: QuerySet[TrainingSession]) -> dict[int, int]:
    """How many participations answered each question in a submitted attempt: one query.
    An item's answers count a pre-test and a post-test of the same officer twice."""
    rows = (
        TestAnswer.objects.filter(
            attempt__enrolment__session__in=sessions,
            attempt__enrolment__status=EnrolmentStatus.APPROVED,
            attempt__submitted_at__isnull=False,
            is_correct__isnull=False,
        )
        .order_by()
        .values("question_id")
        .annotate(people=Count("attempt__enrolment", distinct=True))
    )
    return {row["question_id"]: row["people"] for row in rows}


def hide_small_objectives(
    objectives: list[analytics.ObjectiveGain], sessions: QuerySet[TrainingSession]
) -> list[analytics.ObjectiveGain]:
    """``objectives`` with those computed from fewer than ``SMALL_CELL`` people hidden."""
    people = people_per_objective(sessions) if objectives else {}
    return [
        objective
        if not objective.suppressed and people.get(objective.objective_id, 0) >= SMALL_CELL
        else replace(objective, suppressed=True)
        for objective in objectives
    ]


def _with_detail(
    dashboard: TrainingDashboard,
    figures: QuerySet[SessionFigures],
    sees_everyone: bool,
    *,
    with_items: bool,
) -> TrainingDashboard:
    """Per-objective learning (two queries) and item analysis (two more), live; for a
    reader who does not see everyone, one more query each to count the people behind."""
    sessions = TrainingSession.objects.filter(pk__in=figures.values("session_id"))
    objectives = analytics.objective_gains(sessions)
    items = analytics.item_analysis(sessions) if with_items else None
    if not sees_everyone:
        objectives = hide_small_objectives(objectives, sessions)
        if items:
            people = people_per_item(sessions)
            items = [
                item
                if people.get(item.question_id, 0) >= SMALL_CELL
                else replace(item, difficulty=None, discrimination=None, flags=(), suppressed=True)
                for item in items
            ]
    return replace(dashboard, objectives=objectives, items=items)


# --- The breakdown as rows of text ---------------------------------------------------


def breakdown_header() -> list[str]:
    return [
        str(_("Group")),
        str(_("Enrolled (participations)")),
        str(_("Trained (participations)")),
        str(_("Share of the trained (%)")),
        str(_("Completed")),
        str(_("Completion rate (%)")),
        str(_("Officers with both tests")),
        str(_("Mean pre-test score (%)")),
        str(_("Mean post-test score (%)")),
        str(_("Mean gain (points)")),
        str(_("Mean normalised gain (%)")),
        str(_("Effect size (d)")),
        str(_("Effect size, lower limit of the 95-percent confidence interval")),
        str(_("Effect size, upper limit of the 95-percent confidence interval")),
    ]


def breakdown_rows(dashboard: TrainingDashboard) -> Sequence[list[str]]:
    """The breakdown and the whole, as rows of text for a CSV; hidden cells stay empty."""

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    def row(group: Group) -> list[str]:
        learned = group.learning
        return [
            group.label,
            *(text(value) for value in (group.enrolled, group.trained, group.share_of_trained)),
            *(text(value) for value in (group.completed, group.completion_rate)),
            text(learned.pairs_shown),
            *(
                text(value)
                for value in (
                    learned.mean_pre,
                    learned.mean_post,
                    learned.mean_gain,
                    learned.mean_normalised_gain,
                    learned.effect_size,
                    learned.effect_size_low,
                    learned.effect_size_high,
                )
            ),
        ]

    return [*(row(group) for group in dashboard.groups), row(dashboard.total)]
