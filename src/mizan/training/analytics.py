"""Training figures, read side: what a set of sessions achieved at Kirkpatrick's four
levels, computed in the database in a fixed number of queries whatever the number of
sessions or participants.

The set of sessions is a queryset: an action's sessions (:func:`sessions_of_action`,
optionally for a period) or one session (:func:`one_session`). ``as_of`` limits what
participants submitted (tests, evaluations, follow-up answers, cascades held) to that
day and before; ``None`` takes everything.

- **participation** (:func:`participation`): officers trained (distinct participants
  with an approved enrolment who attended at least one half-day slot), officers who
  completed (attendance share, present or late slots over the session's slots, and
  post-test score both at the session's thresholds, as ``training.completion`` decides
  for certificates), completion rate, and breakdowns by sex, region, institution and
  rank;
- **reaction** (:func:`reaction`): mean of each evaluation score, end-of-course and
  daily evaluations apart;
- **learning** (:func:`learning`): paired pre- and post-tests (the same enrolment, both
  submitted): mean scores, mean gain in points, mean normalised gain (Hake's
  ``(post - pre) / (100 - pre)``, averaged over participants, skipping a pre-test of
  100), and the share of correct answers per learning objective before and after;
- **behaviour** (:func:`behaviour`): follow-up answers and action plans;
- **cascade reach** (:func:`cascade_reach`): officers trained directly and the people
  reached by cascade sessions of every generation, women and men;
- **item analysis** (:func:`item_analysis`): per question, difficulty (share correct),
  discrimination (the point-biserial correlation of the item with the rest of the
  attempt's score) and the number of answers, with flags for items to review.

Results are dataclasses; a share or a mean with nothing to compute it from is ``None``.
Figures are never about one person: pages start from here, not from the roster.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mizan.institutions.models import Institution
from mizan.training.enums import (
    ATTENDED,
    EnrolmentStatus,
    EvaluationKind,
    PlanKept,
    SessionStatus,
    Sex,
    TestStage,
)
from mizan.training.models import (
    ActionPlan,
    Attendance,
    CascadeSession,
    Enrolment,
    Evaluation,
    FollowUpResponse,
    LearningObjective,
    Participant,
    Question,
    SessionSlot,
    TestAnswer,
    TestAttempt,
    TrainingSession,
)

TWO_PLACES = Decimal("0.01")
#: Published tables hide a cell computed from fewer people than this.
SMALL_CELL = 11
#: Item analysis: an item most get right, or most get wrong, or that the stronger
#: participants do not get right more often than the weaker ones, needs a look.
TOO_EASY = 0.9
TOO_HARD = 0.2
POOR_DISCRIMINATION = 0.2

FLAG_LABELS = {
    "too_easy": _("too easy"),
    "too_hard": _("too hard"),
    "poor_discrimination": _("discriminates poorly"),
}


# --- The set of sessions -------------------------------------------------------------


def sessions_of_action(
    action: Any, *, starts_from: date | None = None, starts_until: date | None = None
) -> QuerySet[TrainingSession]:
    """The action's sessions that were not cancelled, those starting in the period if
    one is given (both ends included)."""
    sessions = TrainingSession.objects.filter(action=action).exclude(status=SessionStatus.CANCELLED)
    if starts_from is not None:
        sessions = sessions.filter(starts_on__gte=starts_from)
    if starts_until is not None:
        sessions = sessions.filter(starts_on__lte=starts_until)
    return sessions


def one_session(session: TrainingSession) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.filter(pk=session.pk)


def _before(as_of: date | None) -> datetime | None:
    """The first instant after ``as_of`` in the site's time zone: what was submitted
    on ``as_of`` counts, by a comparison the database can make on the stored value."""
    if as_of is None:
        return None
    return timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))


def share(part: int | None, whole: int | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, or ``None`` when there is no whole."""
    if not whole or part is None:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(TWO_PLACES)


def _number(value: Any, scale: int = 1) -> Decimal | None:
    if value is None:
        return None
    number = (Decimal(str(value)) * scale).quantize(TWO_PLACES)
    return number if number else abs(number)  # never "-0"


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated ``(SELECT COUNT(*) …)`` of ``queryset``, 0 when nothing matches."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _rows(
    tables: Sequence[tuple[str, QuerySet[Any], bool]], outer: str, params: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """Run ``outer`` over named querysets given as common table expressions, each
    ``(name, queryset, materialised)``. A materialised one (SQLite 3.35+, PostgreSQL
    12+) is computed once, so that a per-row subquery in it runs once per row however
    often the outer query reads its result; the others the database may fold into the
    outer query. ``outer`` holds only quoted names; values go in ``params``."""
    connection = connections[tables[0][1].db]
    parts: list[str] = []
    values: list[Any] = []
    for name, queryset, materialised in tables:
        sql, table_params = queryset.query.sql_with_params()
        parts.append(f"{name} AS {'MATERIALIZED ' if materialised else ''}({sql})")
        values.extend(table_params)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} {outer}", [*values, *params])
        return list(cursor.fetchall())


def _quote(name: str, queryset: QuerySet[Any]) -> str:
    return connections[queryset.db].ops.quote_name(name)


# --- Participation: trained, completed, breakdowns -----------------------------------


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    trained: int | None
    completed: int | None
    share_of_trained: Decimal | None = None
    suppressed: bool = False

    @property
    def completion_rate(self) -> Decimal | None:
        return share(self.completed, self.trained)


@dataclass(frozen=True)
class Participation:
    trained: int
    completed: int | None
    women: int
    men: int
    by_sex: list[BreakdownRow] = field(default_factory=list)
    by_region: list[BreakdownRow] = field(default_factory=list)
    by_institution: list[BreakdownRow] = field(default_factory=list)
    by_rank: list[BreakdownRow] = field(default_factory=list)

    @property
    def completion_rate(self) -> Decimal | None:
        return share(self.completed, self.trained)

    @property
    def women_share(self) -> Decimal | None:
        return share(self.women, self.trained)

    def breakdowns(self) -> list[tuple[str, Any, list[BreakdownRow]]]:
        """(code, title, rows) of each breakdown, in the order pages show them."""
        return [
            ("sex", _("By sex"), self.by_sex),
            ("region", _("By region of the officer"), self.by_region),
            ("institution", _("By institution"), self.by_institution),
            ("rank", _("By rank"), self.by_rank),
        ]

    @property
    def completion_hidden(self) -> bool:
        return self.completed is None

    def with_small_cells_hidden(self, threshold: int = SMALL_CELL) -> Participation:
        """The same figures with every breakdown cell of fewer than ``threshold``
        officers hidden, and the number who completed if fewer than ``threshold`` were
        trained, for readers who may not see the people themselves."""

        def hide(rows: list[BreakdownRow]) -> list[BreakdownRow]:
            return [
                replace(row, trained=None, completed=None, share_of_trained=None, suppressed=True)
                if row.trained is not None and row.trained < threshold
                else row
                for row in rows
            ]

        return replace(
            self,
            completed=self.completed if self.trained >= threshold else None,
            by_sex=hide(self.by_sex),
            by_region=hide(self.by_region),
            by_institution=hide(self.by_institution),
            by_rank=hide(self.by_rank),
        )


def enrolment_outcomes(
    sessions: QuerySet[TrainingSession], *, as_of: date | None = None, with_scores: bool = True
) -> QuerySet[Any, Any]:
    """One row per approved enrolment in ``sessions`` whose participant attended at least
    one slot (present or late): the enrolment, the person, the session and, with
    ``with_scores``, the post-test score submitted on or before ``as_of``."""
    attending = (
        Enrolment.objects.filter(session__in=sessions, status=EnrolmentStatus.APPROVED)
        .filter(
            Exists(Attendance.objects.filter(enrolment=OuterRef("pk"), status__in=list(ATTENDED)))
        )
        .order_by()
    )
    fields: dict[str, Any] = {
        "enrolment_key": F("pk"),
        "person": F("participant_id"),
        "session_key": F("session_id"),
    }
    if with_scores:
        condition = Q(
            test_attempts__stage=TestStage.POST, test_attempts__submitted_at__isnull=False
        )
        before = _before(as_of)
        if before is not None:
            condition &= Q(test_attempts__submitted_at__lt=before)
        attending = attending.annotate(post=FilteredRelation("test_attempts", condition=condition))
        fields["post_score"] = F("post__score_percent")
    return attending.annotate(**fields).values(*fields)


def session_thresholds(sessions: QuerySet[TrainingSession]) -> QuerySet[Any, Any]:
    """One row per session: its number of slots and its two completion thresholds."""
    return (
        sessions.order_by()
        .annotate(
            session_key=F("pk"),
            slot_count=_count(SessionSlot.objects.filter(session=OuterRef("pk"))),
            attendance_needed=F("min_attendance_percent"),
            score_needed=F("min_post_test_percent"),
        )
        .values("session_key", "slot_count", "attendance_needed", "score_needed")
    )


#: Participant columns a breakdown may group by.
BREAKDOWN_COLUMNS = ("sex", "region", "institution_id", "rank")


def _participation_rows(
    sessions: QuerySet[TrainingSession],
    *,
    as_of: date | None,
    by: Sequence[str] = (),
    with_completion: bool = False,
) -> list[tuple[Any, ...]]:
    """Distinct officers trained (and, ``with_completion``, those who completed) in
    ``sessions``, grouped by the participant columns ``by``: one query.

    The outcome of each enrolment is read in one pass: attendance at least once (an
    indexed ``EXISTS``), the post-test score (a join), and the slots attended counted
    only for an enrolment whose post-test already passes, against its session's slots
    and thresholds (a small materialised table of the sessions)."""
    outcomes = enrolment_outcomes(sessions, as_of=as_of, with_scores=with_completion)
    quote = connections[outcomes.db].ops.quote_name
    columns = [f"p.{quote(column)}" for column in by if column in BREAKDOWN_COLUMNS]
    selected = [*columns, "COUNT(DISTINCT o.person)"]
    joins, params = "", []
    tables: list[tuple[str, QuerySet[Any], bool]] = [("o", outcomes, False)]
    if with_completion:
        # The rule of ``training.completion`` (certificates): a threshold of 0 asks
        # nothing; shares are compared in whole numbers, so 4 of 5 half-days meets 80 %.
        attended = (
            f"(SELECT COUNT(*) FROM {quote(Attendance._meta.db_table)} a "  # noqa: S608
            "WHERE a.enrolment_id = o.enrolment_key AND a.status IN (%s, %s))"
        )
        params = sorted(str(status) for status in ATTENDED)
        selected.append(
            "COUNT(DISTINCT CASE WHEN s.score_needed = 0 OR (o.post_score IS NOT NULL "
            "AND o.post_score >= s.score_needed) THEN CASE WHEN s.attendance_needed = 0 "
            f"OR (s.slot_count > 0 AND {attended} * 100 >= s.attendance_needed * s.slot_count) "
            "THEN o.person END END)"
        )
        tables.insert(0, ("s", session_thresholds(sessions), True))
        joins += " JOIN s ON s.session_key = o.session_key"
    if columns:
        joins += f" JOIN {quote(Participant._meta.db_table)} p ON p.id = o.person"
    # Only quoted names go into the text; values are parameters.
    outer = f"SELECT {', '.join(selected)} FROM o{joins}"  # noqa: S608
    if columns:
        outer += f" GROUP BY {', '.join(columns)}"
    return _rows(tables, outer, params)


def officers_trained(sessions: QuerySet[TrainingSession], *, as_of: date | None = None) -> int:
    """Distinct officers with an approved enrolment in ``sessions`` who attended at
    least one slot: one query."""
    return int(_participation_rows(sessions, as_of=as_of)[0][0] or 0)


def officers_trained_by_sex(
    sessions: QuerySet[TrainingSession], *, as_of: date | None = None
) -> dict[str, int]:
    """Officers trained, by sex: one query."""
    return dict(_participation_rows(sessions, as_of=as_of, by=["sex"]))


def completion(
    sessions: QuerySet[TrainingSession], *, as_of: date | None = None
) -> tuple[int, int]:
    """(officers trained, officers who completed) in ``sessions``: one query."""
    trained, completed = _participation_rows(sessions, as_of=as_of, with_completion=True)[0]
    return int(trained or 0), int(completed or 0)


def participation(
    sessions: QuerySet[TrainingSession], *, as_of: date | None = None
) -> Participation:
    """Officers trained and completed in ``sessions``, with their breakdowns: two
    queries (the figures, and the names of the institutions in them)."""
    rows = _participation_rows(sessions, as_of=as_of, by=BREAKDOWN_COLUMNS, with_completion=True)
    groups: dict[str, dict[Any, list[int]]] = {
        "sex": defaultdict(lambda: [0, 0]),
        "region": defaultdict(lambda: [0, 0]),
        "institution": defaultdict(lambda: [0, 0]),
        "rank": defaultdict(lambda: [0, 0]),
    }
    trained = completed_count = 0
    for sex, region, institution_id, rank, group_trained, group_completed in rows:
        trained += group_trained
        completed_count += group_completed
        for name, key in (
            ("sex", sex),
            ("region", region or ""),
            ("institution", institution_id),
            ("rank", rank or ""),
        ):
            groups[name][key][0] += group_trained
            groups[name][key][1] += group_completed
    institution_ids = [key for key in groups["institution"] if key is not None]
    names = {
        institution.pk: institution.name
        for institution in Institution.objects.filter(pk__in=institution_ids)
    }

    def breakdown(name: str, label: Any, order: Sequence[Any] | None = None) -> list[BreakdownRow]:
        counts = groups[name]
        keys = (
            list(order)
            if order is not None
            else sorted(counts, key=lambda key: (-counts[key][0], str(label(key))))
        )
        return [
            BreakdownRow(
                key="" if key is None else str(key),
                label=str(label(key)),
                trained=counts[key][0],
                completed=counts[key][1],
                share_of_trained=share(counts[key][0], trained),
            )
            for key in keys
            if key in counts or order is not None
        ]

    sexes = dict(Sex.choices)
    by_sex = breakdown(
        "sex",
        lambda key: sexes.get(key, key),
        [value for value in sexes if value in groups["sex"]]
        + sorted(key for key in groups["sex"] if key not in sexes),
    )
    return Participation(
        trained=trained,
        completed=completed_count,
        women=groups["sex"].get(Sex.FEMALE, [0, 0])[0],
        men=groups["sex"].get(Sex.MALE, [0, 0])[0],
        by_sex=by_sex,
        by_region=breakdown("region", lambda key: key or _("Region not given")),
        by_institution=breakdown(
            "institution",
            lambda key: names.get(key, "") if key is not None else _("No institution given"),
        ),
        by_rank=breakdown(
            "rank", lambda key: key or pgettext_lazy("rank of an officer", "Rank not given")
        ),
    )


# --- Learning: paired pre- and post-tests --------------------------------------------


@dataclass(frozen=True)
class ObjectiveGain:
    """Answers to the questions of one learning objective in the paired tests: how many
    were marked, and how many were right, before and after."""

    objective_id: int
    code: str
    text: str
    module: str
    pre_answers: int
    pre_right: int
    post_answers: int
    post_right: int
    suppressed: bool = False

    def _shares(self) -> tuple[float, float] | None:
        if self.suppressed or not self.pre_answers or not self.post_answers:
            return None
        return self.pre_right / self.pre_answers, self.post_right / self.post_answers

    @property
    def pre_correct(self) -> Decimal | None:
        """Share of right answers in the pre-test, in %."""
        shares = self._shares()
        return None if shares is None else _number(shares[0], 100)

    @property
    def post_correct(self) -> Decimal | None:
        shares = self._shares()
        return None if shares is None else _number(shares[1], 100)

    @property
    def gain(self) -> Decimal | None:
        """Post-test share minus pre-test share, in points."""
        shares = self._shares()
        return None if shares is None else _number(shares[1] - shares[0], 100)

    @property
    def normalised_gain(self) -> Decimal | None:
        """Hake's gain on the pooled shares of right answers, in %."""
        shares = self._shares()
        if shares is None or shares[0] >= 1:
            return None
        return _number((shares[1] - shares[0]) / (1 - shares[0]), 100)


@dataclass(frozen=True)
class Learning:
    pairs: int
    mean_pre: Decimal | None
    mean_post: Decimal | None
    mean_gain: Decimal | None
    mean_normalised_gain: Decimal | None
    objectives: list[ObjectiveGain] = field(default_factory=list)
    suppressed: bool = False


def paired_tests(
    sessions: QuerySet[TrainingSession], *, as_of: date | None = None
) -> QuerySet[Enrolment]:
    """Approved enrolments in ``sessions`` with a submitted, scored pre-test and
    post-test (on or before ``as_of``), annotated with the relations ``pre`` and
    ``post``."""
    before = _before(as_of)

    def attempt(stage: str) -> FilteredRelation:
        condition = Q(test_attempts__stage=stage, test_attempts__submitted_at__isnull=False)
        if before is not None:
            condition &= Q(test_attempts__submitted_at__lt=before)
        return FilteredRelation("test_attempts", condition=condition)

    return (
        Enrolment.objects.filter(session__in=sessions, status=EnrolmentStatus.APPROVED)
        .order_by()
        .annotate(pre=attempt(TestStage.PRE), post=attempt(TestStage.POST))
        .filter(pre__score_percent__isnull=False, post__score_percent__isnull=False)
    )


def knowledge_gain(sessions: QuerySet[TrainingSession], *, as_of: date | None = None) -> Learning:
    """The means of the paired tests, without the objectives: one query."""
    pre = Cast(F("pre__score_percent"), FloatField())
    post = Cast(F("post__score_percent"), FloatField())
    means = paired_tests(sessions, as_of=as_of).aggregate(
        pairs=Count("pk"),
        mean_pre=Avg(pre),
        mean_post=Avg(post),
        mean_gain=Avg(post - pre),
        mean_normalised_gain=Avg(
            Case(
                When(pre__score_percent__lt=100, then=(post - pre) / (100.0 - pre)),
                default=None,
                output_field=FloatField(),
            )
        ),
    )
    return Learning(
        pairs=means["pairs"],
        mean_pre=_number(means["mean_pre"]),
        mean_post=_number(means["mean_post"]),
        mean_gain=_number(means["mean_gain"]),
        mean_normalised_gain=_number(means["mean_normalised_gain"], 100),
    )


def objective_gains(
    sessions: QuerySet[TrainingSession], *, as_of: date | None = None
) -> list[ObjectiveGain]:
    """Right answers per learning objective in the paired tests, before and after: two
    queries (the counts, the objectives' texts)."""
    before = _before(as_of)

    def submitted(stage: str) -> Exists:
        attempts = TestAttempt.objects.filter(
            enrolment=OuterRef("attempt__enrolment"),
            stage=stage,
            submitted_at__isnull=False,
            score_percent__isnull=False,
        )
        if before is not None:
            attempts = attempts.filter(submitted_at__lt=before)
        return Exists(attempts)

    # Answers of the paired attempts: the answer's own attempt is one of the pair, and
    # the enrolment has the other too.
    answers = TestAnswer.objects.filter(
        attempt__enrolment__session__in=sessions,
        attempt__enrolment__status=EnrolmentStatus.APPROVED,
        attempt__submitted_at__isnull=False,
        is_correct__isnull=False,
    ).filter(submitted(TestStage.PRE), submitted(TestStage.POST))
    if before is not None:
        answers = answers.filter(attempt__submitted_at__lt=before)
    per_objective = (
        answers.order_by()
        .values("question__objective_id", "attempt__stage")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    )
    counts: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in per_objective:
        counts[row["question__objective_id"]][row["attempt__stage"]] = (
            row["answered"],
            row["correct"],
        )
    objectives = (
        LearningObjective.objects.filter(pk__in=list(counts))
        .select_related("module")
        .order_by("module__version_id", "module__order", "module_id", "order", "id")
    )
    gains = []
    for objective in objectives:
        pre_answers, pre_right = counts[objective.pk].get(TestStage.PRE, (0, 0))
        post_answers, post_right = counts[objective.pk].get(TestStage.POST, (0, 0))
        gains.append(
            ObjectiveGain(
                objective_id=objective.pk,
                code=objective.code,
                text=objective.text,
                module=objective.module.title,
                pre_answers=pre_answers,
                pre_right=pre_right,
                post_answers=post_answers,
                post_right=post_right,
            )
        )
    return gains


def learning(sessions: QuerySet[TrainingSession], *, as_of: date | None = None) -> Learning:
    """Knowledge gain of the paired tests, overall and per learning objective: three
    queries (the means, the answers per objective, the objectives' texts)."""
    return replace(
        knowledge_gain(sessions, as_of=as_of),
        objectives=objective_gains(sessions, as_of=as_of),
    )


# --- Reaction: evaluations -----------------------------------------------------------


@dataclass(frozen=True)
class ScoreMean:
    field: str
    label: str
    mean: Decimal | None


@dataclass(frozen=True)
class EvaluationScores:
    kind: str
    responses: int
    scores: list[ScoreMean]
    suppressed: bool = False

    def mean_of(self, name: str) -> Decimal | None:
        return next((score.mean for score in self.scores if score.field == name), None)


@dataclass(frozen=True)
class Reaction:
    final: EvaluationScores
    daily: EvaluationScores

    def score_rows(self) -> list[tuple[str, Decimal | None, Decimal | None]]:
        """(label, end-of-course mean, daily mean) of each scored question."""
        return [
            (final.label, final.mean, daily.mean)
            for final, daily in zip(self.final.scores, self.daily.scores, strict=True)
        ]


def reaction(sessions: QuerySet[TrainingSession], *, as_of: date | None = None) -> Reaction:
    """Mean of each score (1 to 5) of the end-of-course and of the daily evaluations,
    anonymous ones included: one query."""
    evaluations = Evaluation.objects.filter(session__in=sessions)
    before = _before(as_of)
    if before is not None:
        evaluations = evaluations.filter(submitted_at__lt=before)
    rows: dict[str, Any] = {
        row["kind"]: row
        for row in evaluations.order_by()
        .values("kind")
        .annotate(responses=Count("pk"), **{name: Avg(name) for name in Evaluation.SCORES})
    }

    labels = {score.name: score.verbose_name for score in Evaluation._meta.fields}

    def scores(kind: str) -> EvaluationScores:
        row = rows.get(kind, {})
        return EvaluationScores(
            kind=kind,
            responses=row.get("responses", 0),
            scores=[
                ScoreMean(
                    field=name,
                    label=str(labels[name]),
                    mean=_number(row.get(name)),
                )
                for name in Evaluation.SCORES
            ],
        )

    return Reaction(final=scores(EvaluationKind.FINAL), daily=scores(EvaluationKind.DAILY))


# --- Behaviour: follow-up answers and action plans -----------------------------------


@dataclass(frozen=True)
class Behaviour:
    follow_ups: int
    used_at_work: Decimal | None
    kept_plan: int | None
    kept_plan_partly: int | None
    did_not_keep_plan: int | None
    colleagues_briefed: int | None
    colleagues_briefed_mean: Decimal | None
    action_plans: int
    colleagues_to_brief: int | None
    colleagues_to_brief_mean: Decimal | None
    follow_ups_suppressed: bool = False
    action_plans_suppressed: bool = False

    @property
    def kept_plan_share(self) -> Decimal | None:
        return share(self.kept_plan, self.follow_ups)

    @property
    def kept_plan_partly_share(self) -> Decimal | None:
        return share(self.kept_plan_partly, self.follow_ups)

    @property
    def did_not_keep_plan_share(self) -> Decimal | None:
        return share(self.did_not_keep_plan, self.follow_ups)


def behaviour(sessions: QuerySet[TrainingSession], *, as_of: date | None = None) -> Behaviour:
    """Follow-up answers (use at work, plan kept, colleagues briefed) and the action
    plans made at the end of the course: two queries. Action plans carry no date of
    their own: they count with their session."""
    follow_ups = FollowUpResponse.objects.filter(session__in=sessions)
    before = _before(as_of)
    if before is not None:
        follow_ups = follow_ups.filter(submitted_at__lt=before)
    answers = follow_ups.order_by().aggregate(
        responses=Count("pk"),
        used_at_work=Avg("used_at_work"),
        yes=Count("pk", filter=Q(plan_kept=PlanKept.YES)),
        partly=Count("pk", filter=Q(plan_kept=PlanKept.PARTLY)),
        no=Count("pk", filter=Q(plan_kept=PlanKept.NO)),
        briefed=Sum("colleagues_briefed"),
        briefed_mean=Avg("colleagues_briefed"),
    )
    plans = (
        ActionPlan.objects.filter(
            enrolment__session__in=sessions, enrolment__status=EnrolmentStatus.APPROVED
        )
        .order_by()
        .aggregate(
            plans=Count("pk"),
            to_brief=Sum("colleagues_to_brief"),
            to_brief_mean=Avg("colleagues_to_brief"),
        )
    )
    return Behaviour(
        follow_ups=answers["responses"],
        used_at_work=_number(answers["used_at_work"]),
        kept_plan=answers["yes"],
        kept_plan_partly=answers["partly"],
        did_not_keep_plan=answers["no"],
        colleagues_briefed=answers["briefed"] or 0,
        colleagues_briefed_mean=_number(answers["briefed_mean"]),
        action_plans=plans["plans"],
        colleagues_to_brief=plans["to_brief"] or 0,
        colleagues_to_brief_mean=_number(plans["to_brief_mean"]),
    )


# --- Cascade reach --------------------------------------------------------------------


@dataclass(frozen=True)
class CascadeGeneration:
    generation: int
    cascades: int
    women: int
    men: int

    @property
    def reached(self) -> int:
        return self.women + self.men


@dataclass(frozen=True)
class CascadeReach:
    direct_women: int
    direct_men: int
    generations: list[CascadeGeneration] = field(default_factory=list)

    @property
    def direct(self) -> int:
        return self.direct_women + self.direct_men

    @property
    def cascaded_women(self) -> int:
        return sum(generation.women for generation in self.generations)

    @property
    def cascaded_men(self) -> int:
        return sum(generation.men for generation in self.generations)

    @property
    def cascaded(self) -> int:
        return self.cascaded_women + self.cascaded_men

    @property
    def cascades(self) -> int:
        return sum(generation.cascades for generation in self.generations)

    @property
    def women(self) -> int:
        return self.direct_women + self.cascaded_women

    @property
    def men(self) -> int:
        return self.direct_men + self.cascaded_men

    @property
    def total(self) -> int:
        return self.direct + self.cascaded


def cascade_reach(
    sessions: QuerySet[TrainingSession],
    *,
    as_of: date | None = None,
    trained: Participation | None = None,
) -> CascadeReach:
    """Officers trained directly (from ``trained``, counted by sex if not given) and the
    audiences of the cascade sessions descending from ``sessions``, all generations,
    held on or before ``as_of``: one query, plus one to count by sex if needed."""
    if trained is not None:
        women, men = trained.women, trained.men
    else:
        by_sex = officers_trained_by_sex(sessions, as_of=as_of)
        women, men = by_sex.get(Sex.FEMALE, 0), by_sex.get(Sex.MALE, 0)
    cascades = CascadeSession.objects.filter(source_session__in=sessions)
    if as_of is not None:
        cascades = cascades.filter(held_on__lte=as_of)
    rows = (
        cascades.order_by("generation")
        .values("generation")
        .annotate(
            cascades=Count("pk", distinct=True),
            women=Coalesce(Sum("audience__women"), 0),
            men=Coalesce(Sum("audience__men"), 0),
        )
    )
    return CascadeReach(
        direct_women=women,
        direct_men=men,
        generations=[
            CascadeGeneration(
                generation=row["generation"],
                cascades=row["cascades"],
                women=row["women"],
                men=row["men"],
            )
            for row in rows
        ],
    )


# --- Item analysis ------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStatistics:
    question_id: int
    version: str
    objective_code: str
    prompt: str
    kind: str
    answers: int
    difficulty: Decimal | None
    discrimination: Decimal | None
    flags: tuple[str, ...] = ()
    suppressed: bool = False

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[flag]) for flag in self.flags]


def point_biserial(n: int, sx: int, st: float, sxt: float, stt: float) -> float | None:
    """Correlation of an item's score x (0 or 1) with the rest score r = t - x, where t
    is the attempt's number of correct answers, from the sums over the item's answers:
    n, Σx, Σt, Σxt and Σt². ``None`` when either does not vary."""
    sum_r = st - sx
    sum_rr = stt - 2 * sxt + sx
    sum_xr = sxt - sx
    spread_x = n * sx - sx * sx
    spread_r = n * sum_rr - sum_r * sum_r
    if n < 2 or spread_x <= 0 or spread_r <= 0:
        return None
    return (n * sum_xr - sx * sum_r) / math.sqrt(spread_x * spread_r)


def item_analysis(
    sessions: QuerySet[TrainingSession], *, as_of: date | None = None
) -> list[ItemStatistics]:
    """Difficulty and discrimination of every question answered in submitted attempts
    of ``sessions`` (questions of their versions), in course order: two queries.

    Difficulty is the share of correct answers; discrimination is the point-biserial
    correlation of the item's score with the rest score of the attempt (its correct
    answers on the other marked items), so the item does not correlate with itself.
    Unmarked short answers are left out."""
    before = _before(as_of)
    answers = TestAnswer.objects.filter(
        attempt__enrolment__session__in=sessions,
        attempt__enrolment__status=EnrolmentStatus.APPROVED,
        attempt__submitted_at__isnull=False,
        is_correct__isnull=False,
    )
    if before is not None:
        answers = answers.filter(attempt__submitted_at__lt=before)
    totals = (
        answers.order_by()
        .annotate(sheet=F("attempt_id"))
        .values("sheet")
        .annotate(total=Count("pk", filter=Q(is_correct=True)))
    )
    table = _quote(TestAnswer._meta.db_table, totals)
    outer = (
        "SELECT a.question_id, COUNT(*), "  # noqa: S608 (a quoted table name only)
        "SUM(CASE WHEN a.is_correct THEN 1 ELSE 0 END), SUM(i.total), "
        "SUM(CASE WHEN a.is_correct THEN i.total ELSE 0 END), SUM(i.total * i.total) "
        f"FROM inner_rows i JOIN {table} a ON a.attempt_id = i.sheet "
        "WHERE a.is_correct IS NOT NULL GROUP BY a.question_id"
    )
    rows = _rows([("inner_rows", totals, True)], outer)
    sums = {row[0]: row[1:] for row in rows}
    questions = (
        Question.objects.filter(pk__in=list(sums))
        .select_related("objective__module__version__curriculum")
        .order_by(
            "objective__module__version_id",
            "objective__module__order",
            "objective__module_id",
            "objective__order",
            "objective_id",
            "id",
        )
    )
    kinds = dict(Question._meta.get_field("kind").choices or [])
    items = []
    for question in questions:
        n, sx, st, sxt, stt = (int(value or 0) for value in sums[question.pk])
        difficulty = sx / n if n else None
        discrimination = point_biserial(n, sx, st, sxt, stt)
        flags = []
        if difficulty is not None and difficulty > TOO_EASY:
            flags.append("too_easy")
        if difficulty is not None and difficulty < TOO_HARD:
            flags.append("too_hard")
        if discrimination is not None and discrimination < POOR_DISCRIMINATION:
            flags.append("poor_discrimination")
        items.append(
            ItemStatistics(
                question_id=question.pk,
                version=str(question.objective.module.version),
                objective_code=question.objective.code,
                prompt=question.prompt,
                kind=str(kinds.get(question.kind, question.kind)),
                answers=n,
                difficulty=_number(difficulty),
                discrimination=_number(discrimination),
                flags=tuple(flags),
            )
        )
    return items


def version_item_analysis(version: Any, *, as_of: date | None = None) -> list[ItemStatistics]:
    """Item analysis of a curriculum version over all its sessions."""
    return item_analysis(
        TrainingSession.objects.filter(version=version).exclude(status=SessionStatus.CANCELLED),
        as_of=as_of,
    )


# --- All four levels -----------------------------------------------------------------


@dataclass(frozen=True)
class TrainingResults:
    sessions: int
    participation: Participation
    reaction: Reaction
    learning: Learning
    behaviour: Behaviour
    cascades: CascadeReach
    items: list[ItemStatistics] | None = None


def training_results(
    sessions: QuerySet[TrainingSession],
    *,
    as_of: date | None = None,
    with_items: bool = False,
) -> TrainingResults:
    """Everything the results pages show for ``sessions``, in at most twelve queries."""
    trained = participation(sessions, as_of=as_of)
    return TrainingResults(
        sessions=sessions.count(),
        participation=trained,
        reaction=reaction(sessions, as_of=as_of),
        learning=learning(sessions, as_of=as_of),
        behaviour=behaviour(sessions, as_of=as_of),
        cascades=cascade_reach(sessions, as_of=as_of, trained=trained),
        items=item_analysis(sessions, as_of=as_of) if with_items else None,
    )


def hide_small_cells(results: TrainingResults, threshold: int = SMALL_CELL) -> TrainingResults:
    """``results`` for a reader who may not see the people themselves: every figure
    computed from fewer than ``threshold`` people is hidden (``None``, marked
    ``suppressed``), so that no one's answers or scores can be read off a small group."""

    def scores(evaluations: EvaluationScores) -> EvaluationScores:
        if evaluations.responses >= threshold:
            return evaluations
        return replace(
            evaluations,
            scores=[replace(score, mean=None) for score in evaluations.scores],
            suppressed=True,
        )

    learned = results.learning
    if learned.pairs < threshold:
        learned = Learning(
            pairs=learned.pairs,
            mean_pre=None,
            mean_post=None,
            mean_gain=None,
            mean_normalised_gain=None,
            suppressed=True,
        )
    else:
        learned = replace(
            learned,
            objectives=[
                objective
                if min(objective.pre_answers, objective.post_answers) >= threshold
                else replace(objective, suppressed=True)
                for objective in learned.objectives
            ],
        )
    acted = results.behaviour
    if acted.follow_ups < threshold:
        acted = replace(
            acted,
            used_at_work=None,
            kept_plan=None,
            kept_plan_partly=None,
            did_not_keep_plan=None,
            colleagues_briefed=None,
            colleagues_briefed_mean=None,
            follow_ups_suppressed=True,
        )
    if acted.action_plans < threshold:
        acted = replace(
            acted,
            colleagues_to_brief=None,
            colleagues_to_brief_mean=None,
            action_plans_suppressed=True,
        )
    items = results.items
    if items is not None:
        items = [
            item
            if item.answers >= threshold
            else replace(item, difficulty=None, discrimination=None, flags=(), suppressed=True)
            for item in items
        ]
    return replace(
        results,
        participation=results.participation.with_small_cells_hidden(threshold),
        reaction=Reaction(
            final=scores(results.reaction.final), daily=scores(results.reaction.daily)
        ),
        learning=learned,
        behaviour=acted,
        items=items,
    )


def breakdown_table(results: Participation) -> Iterable[list[str]]:
    """The breakdowns as rows of text (breakdown, group, trained, completed, completion
    rate %, share of trained %), for a CSV export; hidden cells stay empty."""

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    for code, _title, rows in results.breakdowns():
        for row in rows:
            yield [
                code,
                row.label,
                text(row.trained),
                text(row.completed),
                text(row.completion_rate),
                text(row.share_of_trained),
            ]
