"""Keeping the training dashboard's precomputed figures (``SessionFigures``,
``ParticipationCell``, ``CascadeFigures``, and ``MonthlyParticipationCell``, the cells
of a month's sessions added up) equal to what ``training.analytics`` says of each
session.

A change to what a session's figures count only marks the session stale (the signal
receivers in ``mizan.reports.signals``: one cheap UPDATE); the figures are computed
again by :func:`refresh_stale`, which the dashboard calls before it reads, and which the
``refresh-figures`` command and the :func:`mizan.reports.tasks.refresh_figures` task run
after bulk loads (raw inserts send no signal: run ``mizan refresh-figures --all``).

Each session is computed with the functions of ``training.analytics`` on that session
alone, so the completion rule and the pairing of tests are those of the results pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Sum, When
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone

from mizan.reports.models import (
    CascadeFigures,
    MonthlyParticipationCell,
    ParticipationCell,
    SessionFigures,
)
from mizan.training import analytics
from mizan.training.enums import ATTENDED, EnrolmentStatus, EvaluationKind, PlanKept, SessionStatus
from mizan.training.models import (
    ActionPlan,
    Attendance,
    CascadeSession,
    Enrolment,
    Evaluation,
    FollowUpResponse,
    TrainingSession,
)

#: The participant columns of a cell, as read through an enrolment.
PERSON = (
    "participant__sex",
    "participant__region",
    "participant__institution_id",
    "participant__rank",
)

Group = tuple[str, str, int | None, str]

#: The sums of the paired tests in a cell, in the order they are read.
LEARNING_SUMS = (
    "pairs",
    "pre_sum",
    "post_sum",
    "gain_sum",
    "gain_square_sum",
    "normalised_gain_sum",
    "normalised_n",
)

#: Every sum of a participation cell.
CELL_SUMS = ("enrolled", "trained", "completed", *LEARNING_SUMS)

#: The sums of ``SessionFigures``: zero for a cancelled session.
SESSION_SUMS = (
    "evaluations",
    *(f"{name}_sum" for name in Evaluation.SCORES),
    "follow_ups",
    "used_at_work_sum",
    "plans_kept",
    "plans_partly_kept",
    "plans_not_kept",
    "colleagues_briefed",
    "action_plans",
    "colleagues_to_brief",
)


def mark_stale(session_ids: Iterable[int]) -> int:
    """Mark the figures of these sessions to be computed again; returns how many rows
    changed. Sessions without figures yet are computed anyway."""
    return SessionFigures.objects.filter(session_id__in=list(session_ids)).update(stale=True)


def _group(sex: Any, region: Any, institution_id: Any, rank: Any) -> Group:
    return (sex or "", region or "", institution_id, rank or "")


def _cells(sessions: dict[int, TrainingSession]) -> list[ParticipationCell]:
    """The participation cells of ``sessions`` (none cancelled): two queries for them
    all (approved enrolments; paired tests, as ``training.analytics.paired_tests``
    pairs them), one to know which had attendance and, for each that had, one for the
    officers trained and who completed, counted by ``training.analytics`` itself."""
    batch = TrainingSession.objects.filter(pk__in=list(sessions))
    counts: dict[tuple[int, Group], dict[str, Any]] = {}

    def cell(session_id: int, columns: Sequence[Any]) -> dict[str, Any]:
        return counts.setdefault((session_id, _group(*columns)), {})

    attended = set(
        Attendance.objects.filter(enrolment__session__in=batch, status__in=list(ATTENDED))
        .order_by()
        .values_list("enrolment__session_id", flat=True)
        .distinct()
    )
    for session_id in sorted(attended):
        rows = analytics._participation_rows(
            analytics.one_session(sessions[session_id]),
            as_of=None,
            by=analytics.BREAKDOWN_COLUMNS,
            with_completion=True,
        )
        for *columns, trained, completed in rows:
            cell(session_id, columns).update(trained=trained or 0, completed=completed or 0)
    enrolled = (
        Enrolment.objects.filter(session__in=batch, status=EnrolmentStatus.APPROVED)
        .order_by()
        .values_list("session_id", *PERSON)
        .annotate(n=Count("pk"))
    )
    for session_id, *columns, n in enrolled:
        cell(session_id, columns)["enrolled"] = n
    pre = Cast(F("pre__score_percent"), FloatField())
    post = Cast(F("post__score_percent"), FloatField())
    below_full = Q(pre__score_percent__lt=100)
    paired = (
        analytics.paired_tests(batch)
        .values_list("session_id", *PERSON)
        .annotate(
            pairs=Count("pk"),
            pre_sum=Sum(pre),
            post_sum=Sum(post),
            gain_sum=Sum(post - pre),
            gain_square_sum=Sum((post - pre) * (post - pre)),
            normalised_gain_sum=Sum(
                Case(
                    When(below_full, then=(post - pre) / (100.0 - pre)),
                    default=None,
                    output_field=FloatField(),
                )
            ),
            normalised_n=Count("pk", filter=below_full),
        )
    )
    width = 1 + len(PERSON)
    for row in paired:
        values = dict(zip(LEARNING_SUMS, row[width:], strict=True))
        cell(row[0], row[1:width]).update({name: value or 0 for name, value in values.items()})
    return [
        ParticipationCell(
            session_id=session_id,
            starts_on=sessions[session_id].starts_on,
            version_id=sessions[session_id].version_id,
            curriculum_id=sessions[session_id].version.curriculum_id,
            sex=sex,
            region=region,
            institution_id=institution_id,
            rank=rank,
            **values,
        )
        for (session_id, (sex, region, institution_id, rank)), values in counts.items()
    ]


def _session_sums(batch: QuerySet[TrainingSession]) -> dict[int, dict[str, Any]]:
    """Reaction and behaviour of each session, summed: three queries. What is counted
    is what ``training.analytics.reaction`` (end-of-course evaluations) and
    ``behaviour`` count."""
    sums: dict[int, dict[str, Any]] = defaultdict(dict)
    evaluations = (
        Evaluation.objects.filter(session__in=batch, kind=EvaluationKind.FINAL)
        .order_by()
        .values("session_id")
        .annotate(
            evaluations=Count("pk"),
            **{f"{name}_sum": Coalesce(Sum(name), 0) for name in Evaluation.SCORES},
        )
    )
    follow_ups = (
        FollowUpResponse.objects.filter(session__in=batch)
        .order_by()
        .values("session_id")
        .annotate(
            follow_ups=Count("pk"),
            used_at_work_sum=Coalesce(Sum("used_at_work"), 0),
            plans_kept=Count("pk", filter=Q(plan_kept=PlanKept.YES)),
            plans_partly_kept=Count("pk", filter=Q(plan_kept=PlanKept.PARTLY)),
            plans_not_kept=Count("pk", filter=Q(plan_kept=PlanKept.NO)),
            colleagues_briefed=Coalesce(Sum("colleagues_briefed"), 0),
        )
    )
    plans = (
        ActionPlan.objects.filter(
            enrolment__session__in=batch, enrolment__status=EnrolmentStatus.APPROVED
        )
        .order_by()
        .values(session_id=F("enrolment__session_id"))
        .annotate(
            action_plans=Count("pk"),
            colleagues_to_brief=Coalesce(Sum("colleagues_to_brief"), 0),
        )
    )
    queries: tuple[Iterable[Any], ...] = (evaluations, follow_ups, plans)
    for rows in queries:
        for row in rows:
            sums[row["session_id"]].update(
                {name: value for name, value in row.items() if name != "session_id"}
            )
    return sums


def _cascades(batch: QuerySet[TrainingSession]) -> list[CascadeFigures]:
    """The cascade sessions descending from each session, per generation: one query."""
    rows = (
        CascadeSession.objects.filter(source_session__in=batch)
        .order_by()
        .values("source_session_id", "generation")
        .annotate(
            cascades=Count("pk", distinct=True),
            women=Coalesce(Sum("audience__women"), 0),
            men=Coalesce(Sum("audience__men"), 0),
        )
    )
    return [
        CascadeFigures(
            session_id=row["source_session_id"],
            generation=row["generation"],
            cascades=row["cascades"],
            women=row["women"],
            men=row["men"],
        )
        for row in rows
    ]


#: What ``refresh_sessions`` writes on ``SessionFigures``.
WRITTEN = (*SESSION_SUMS, "stale", "computed_at", "starts_on", "version", "curriculum", "cancelled")


def _month(day: date) -> date:
    return day.replace(day=1)


def _in_months(months: Iterable[date], field: str = "starts_on") -> Q:
    """Days in any of ``months`` (each given by its first day)."""
    condition = Q(pk__in=[])
    for month in months:
        following = (month + timedelta(days=32)).replace(day=1)
        condition |= Q(**{f"{field}__gte": month, f"{field}__lt": following})
    return condition


def _add_up_months(months: set[date]) -> None:
    """Add up again the monthly cells of ``months`` from the sessions' cells: three
    queries."""
    if not months:
        return
    MonthlyParticipationCell.objects.filter(month__in=months).delete()
    rows = (
        ParticipationCell.objects.filter(_in_months(months))
        .annotate(month=TruncMonth("starts_on"))
        .order_by()
        .values("month", "version_id", "curriculum_id", "sex", "region", "institution_id", "rank")
        .annotate(**{name: Sum(name) for name in CELL_SUMS})
    )
    MonthlyParticipationCell.objects.bulk_create(
        [MonthlyParticipationCell(**row) for row in rows], batch_size=2000
    )


def _write_figures(rows: list[list[Any]]) -> None:
    """One UPDATE per row, prepared once: ``bulk_update`` builds a ``CASE`` per column
    and row, which costs more than the computing."""
    if not rows:
        return
    meta: Any = SessionFigures._meta
    fields: list[Any] = [meta.get_field(name) for name in WRITTEN]
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {columns} "  # noqa: S608 (quoted names only)
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    prepared = [
        [
            field.get_db_prep_save(value, connection)
            for field, value in zip(fields, row[:-1], strict=True)
        ]
        + [row[-1]]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def refresh_sessions(session_ids: Sequence[int]) -> int:
    """Compute the figures of these sessions again, in one transaction; returns how
    many sessions there were. About ten queries for a batch of any size, plus one per
    session with attendance (the officers trained and who completed).

    The figures rows are locked first: a change committed while the sessions are
    computed marks them stale only once this transaction ends, so they are computed
    again next time rather than the change being lost."""
    with transaction.atomic():
        sessions = {
            session.pk: session
            for session in TrainingSession.objects.filter(pk__in=list(session_ids))
            .select_related("version")
            .order_by()
        }
        # The months whose totals change: where the sessions start, and where they
        # started when last computed.
        before = SessionFigures.objects.filter(session_id__in=list(sessions)).values_list(
            "starts_on", flat=True
        )
        months = {
            _month(day) for day in [*before, *(s.starts_on for s in sessions.values())] if day
        }
        SessionFigures.objects.bulk_create(
            [SessionFigures(session_id=pk) for pk in sessions], ignore_conflicts=True
        )
        # Locked in one order, so that two refreshes of the same month wait for each
        # other rather than each adding up the month without the other's sessions.
        locked = (
            SessionFigures.objects.select_for_update()
            .filter(Q(session_id__in=list(sessions)) | _in_months(months))
            .order_by("pk")
            .values_list("session_id", flat=True)
        )
        figures = [pk for pk in locked if pk in sessions]
        ParticipationCell.objects.filter(session_id__in=list(sessions)).delete()
        CascadeFigures.objects.filter(session_id__in=list(sessions)).delete()
        counted = {
            pk: session
            for pk, session in sessions.items()
            if session.status != SessionStatus.CANCELLED
        }
        sums: dict[int, dict[str, Any]] = {}
        if counted:
            batch = TrainingSession.objects.filter(pk__in=list(counted))
            ParticipationCell.objects.bulk_create(_cells(counted), batch_size=2000)
            CascadeFigures.objects.bulk_create(_cascades(batch), batch_size=2000)
            sums = _session_sums(batch)
        _add_up_months(months)
        now = timezone.now()
        rows = []
        for pk in figures:
            session = sessions[pk]
            values = dict.fromkeys(SESSION_SUMS, 0) | sums.get(pk, {})
            values |= {
                "stale": False,
                "computed_at": now,
                "starts_on": session.starts_on,
                "version": session.version_id,
                "curriculum": session.version.curriculum_id,
                "cancelled": pk not in counted,
            }
            rows.append([values[name] for name in WRITTEN] + [pk])
        _write_figures(rows)
    return len(sessions)


def refresh_session(session: TrainingSession) -> SessionFigures:
    """Compute one session's figures again, in one transaction."""
    refresh_sessions([session.pk])
    return SessionFigures.objects.get(session_id=session.pk)


def sessions_to_refresh() -> QuerySet[TrainingSession]:
    """Sessions whose figures are stale or were never computed: one query to list."""
    return TrainingSession.objects.filter(
        Q(figures__isnull=True) | Q(figures__stale=True)
    ).order_by("pk")


#: Sessions computed in one transaction by ``refresh_stale``.
BATCH = 250


def refresh_stale(
    *, everything: bool = False, progress: Callable[[int, int], None] | None = None
) -> int:
    """Compute again every stale session (and those never computed), or every session
    with ``everything``, in batches of :data:`BATCH`; returns how many.
    ``progress(done, total)`` is called after each batch. One query when nothing is
    stale."""
    sessions = TrainingSession.objects.order_by("pk") if everything else sessions_to_refresh()
    ids = list(sessions.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        refresh_sessions(ids[start : start + BATCH])
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids)
