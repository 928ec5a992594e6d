"""Figures on the recommendation registry's progress, for the recommendations dashboard:
counts by status (both voices), by mechanism, document, theme, SDG goal, GCM objective
and responsible institution, implementation over time, and overdue work.

Every figure starts from what the reader may see (``recommendations_visible_to``,
``actions_visible_to``, ``follow_up_tasks_visible_to``) narrowed by the dashboard's
filters, and is counted in the database (GROUP BY), so the page costs the same number of
queries whatever the size of the registry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, CharField, Count, F, QuerySet, Value, When
from django.db.models.functions import Coalesce, Left, StrIndex
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mizan.actions.models import Action
from mizan.actions.queries import actions_visible_to, overdue_condition
from mizan.core.languages import pick_translation
from mizan.partnerships.models import FollowUpTask
from mizan.partnerships.queries import follow_up_tasks_visible_to
from mizan.recommendations.enums import AssessmentVoice, AssignmentRole, ImplementationStatus
from mizan.recommendations.models import (
    Assessment,
    Assignment,
    Recommendation,
    Tagging,
    Term,
)
from mizan.recommendations.queries import NOT_ASSESSED, recommendations_visible_to
from mizan.reports.charts import Bar, Chart

#: The vocabularies the dashboard counts by (codes of ``recommendations.vocabularies``).
THEMES = "uhri-themes"
SDG = "sdg"
GCM = "gcm"

#: How many documents the "by document" figure names; the rest are summed as "others".
TOP_DOCUMENTS = 15
#: How many overdue items each overdue list shows on the page.
OVERDUE_SHOWN = 10
#: Beyond this many quarters, implementation over time is counted by year.
MAX_QUARTERS = 16

#: A recommendation whose state's assessment says this needs no more work: an
#: assignment past its due date is overdue only while the recommendation is open.
CLOSED_STATUSES = (ImplementationStatus.IMPLEMENTED, ImplementationStatus.NOT_IMPLEMENTED)


# --- filters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureFilters:
    """What the dashboard counts: one mechanism (code), one document (symbol), one
    responsible institution (code), and documents dated within a period."""

    mechanism: str = ""
    document: str = ""
    institution: str = ""
    date_from: date | None = None
    date_until: date | None = None

    @property
    def has_period(self) -> bool:
        return self.date_from is not None or self.date_until is not None

    def is_empty(self) -> bool:
        return not (self.mechanism or self.document or self.institution or self.has_period)

    def apply(self, recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
        """``recommendations`` narrowed; never repeats a row (the institution is matched
        through a subquery, not a join)."""
        if self.mechanism:
            recommendations = recommendations.filter(document__mechanism__code=self.mechanism)
        if self.document:
            recommendations = recommendations.filter(document__symbol=self.document)
        if self.institution:
            recommendations = recommendations.filter(
                id__in=Assignment.objects.filter(institution__code=self.institution).values(
                    "recommendation_id"
                )
            )
        if self.date_from:
            recommendations = recommendations.filter(document__date__gte=self.date_from)
        if self.date_until:
            recommendations = recommendations.filter(document__date__lte=self.date_until)
        return recommendations

    def list_query(self) -> dict[str, list[str]]:
        """The recommendation list's query parameters for the same recommendations. The
        list has no period filter: :attr:`has_period` tells whether this is exact."""
        query: dict[str, list[str]] = {}
        for name in ("mechanism", "document", "institution"):
            value = getattr(self, name)
            if value:
                query[name] = [value]
        return query


# --- what the figures are ---------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: a value, its label, a count, and the recommendation list's
    query parameters that select the same recommendations (empty: no such filter)."""

    key: str
    label: str
    count: int
    query: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class StatusRow:
    status: str
    label: str
    state: int
    nhri: int


@dataclass(frozen=True)
class StatusFigures:
    total: int
    rows: list[StatusRow]
    #: recommendations the NHRI has not assessed yet
    nhri_not_assessed: int
    #: recommendations whose two assessments differ
    disagree: int


@dataclass(frozen=True)
class InstitutionRow:
    code: str
    name: str
    lead: int
    contributing: int


@dataclass(frozen=True)
class Period:
    label: str
    ends_on: date
    #: status → recommendations at that status by the end of the period
    counts: Mapping[str, int]


@dataclass(frozen=True)
class Timeline:
    voice: str
    #: "quarter" or "year"
    step: str
    periods: list[Period]


@dataclass(frozen=True)
class OverdueItem:
    pk: int
    title: str
    due_on: date
    days_late: int
    #: the institution responsible (the action's lead, the assignee, the task's)
    institution: str
    #: the page to open it: an action's, a recommendation's, or a task's meeting
    target_pk: int


@dataclass(frozen=True)
class OverdueList:
    count: int
    items: list[OverdueItem]


@dataclass(frozen=True)
class OverdueWork:
    actions: OverdueList
    assignments: OverdueList
    tasks: OverdueList


@dataclass(frozen=True)
class RecommendationFigures:
    filters: FigureFilters
    statuses: StatusFigures
    mechanisms: list[Row]
    documents: list[Row]
    #: recommendations in documents beyond the first :data:`TOP_DOCUMENTS`
    other_documents: int
    themes: list[Row]
    sdg_goals: list[Row]
    gcm_objectives: list[Row]
    institutions: list[InstitutionRow]
    unassigned: int
    timeline: Timeline
    overdue: OverdueWork


# --- computing them ----------------------------------------------------------------------


def recommendations_in_scope(user: Any, filters: FigureFilters) -> QuerySet[Recommendation]:
    """The recommendations every figure counts: those ``user`` may see, filtered."""
    return filters.apply(recommendations_visible_to(user)).order_by()


def status_figures(scope: QuerySet[Recommendation]) -> StatusFigures:
    """Both voices' counts from one GROUP BY on the pair (state's, NHRI's)."""
    pairs = scope.values_list("status", "nhri_status").annotate(n=Count("id")).order_by()
    state: dict[str, int] = defaultdict(int)
    nhri: dict[str, int] = defaultdict(int)
    total = disagree = 0
    for state_status, nhri_status, count in pairs:
        state[state_status] += count
        nhri[nhri_status] += count
        total += count
        if nhri_status and nhri_status != state_status:
            disagree += count
    rows = [
        StatusRow(str(value), str(label), state[value], nhri[value])
        for value, label in ImplementationStatus.choices
    ]
    return StatusFigures(total, rows, nhri.get("", 0), disagree)


def by_mechanism(scope: QuerySet[Recommendation]) -> list[Row]:
    rows = (
        scope.values_list("document__mechanism__code", "document__mechanism__names")
        .annotate(n=Count("id"))
        .order_by("-n", "document__mechanism__code")
    )
    return [
        Row(code, f"{code} · {pick_translation(names) or code}", n, {"mechanism": [code]})
        for code, names, n in rows
    ]


def by_document(scope: QuerySet[Recommendation], total: int) -> tuple[list[Row], int]:
    """The :data:`TOP_DOCUMENTS` documents with the most recommendations, and how many
    recommendations the other documents hold together (``total`` minus the shown)."""
    rows = (
        scope.values_list("document__symbol")
        .annotate(n=Count("id"))
        .order_by("-n", "document__symbol")[:TOP_DOCUMENTS]
    )
    shown = [Row(symbol, symbol, n, {"document": [symbol]}) for symbol, n in rows]
    return shown, total - sum(row.count for row in shown)


def _confirmed_taggings(scope: QuerySet[Recommendation], vocabulary: str) -> QuerySet[Tagging]:
    # Confirmed tags only, as the recommendation list's tag filters count them.
    return Tagging.objects.filter(
        term__vocabulary__code=vocabulary,
        confirmed_at__isnull=False,
        recommendation_id__in=scope.values("id"),
    ).order_by()


def by_term(scope: QuerySet[Recommendation], vocabulary: str) -> list[Row]:
    """Recommendations per term of ``vocabulary`` they are tagged with (a recommendation
    with two terms counts under both)."""
    rows = (
        _confirmed_taggings(scope, vocabulary)
        .values_list("term__code", "term__labels", "term__position")
        .annotate(n=Count("recommendation_id", distinct=True))
        .order_by("-n", "term__position", "term__code")
    )
    return [
        Row(code, _term_display(code, labels), n, {f"tag:{vocabulary}": [code]})
        for code, labels, _position, n in rows
    ]


def _term_display(code: str, labels: Mapping[str, str]) -> str:
    # As Term.display: the code first when it is short and means something to readers.
    label = pick_translation(labels) or code
    if len(code) <= 6 and not label.startswith(f"{code} "):
        return f"{code} {label}"
    return label


def sdg_goal_of(code: str) -> str:
    """The goal of an SDG target code (``5.2`` → ``5``; a goal is its own goal)."""
    return code.split(".", 1)[0]


def by_sdg_goal(scope: QuerySet[Recommendation]) -> list[Row]:
    """Recommendations per SDG goal, a tag on a target counting for its goal: the goal is
    the target's broader term or, when it has none, the part of its code before the dot.
    A recommendation tagged with two targets of one goal counts once for that goal."""
    goal = Coalesce(
        F("term__parent__code"),
        Case(
            When(
                term__code__contains=".",
                then=Left("term__code", StrIndex("term__code", Value(".")) - 1),
            ),
            default=F("term__code"),
            output_field=CharField(),
        ),
        output_field=CharField(),
    )
    counts = dict(
        _confirmed_taggings(scope, SDG)
        .annotate(goal=goal)
        .values_list("goal")
        .annotate(n=Count("recommendation_id", distinct=True))
        .order_by()
    )
    if not counts:
        return []
    # The goals' labels and every target under them, so that a row's link finds the
    # recommendations tagged with the goal or with any of its targets.
    terms = Term.objects.filter(vocabulary__code=SDG).values_list("code", "parent__code", "labels")
    labels: dict[str, Mapping[str, str]] = {}
    codes: dict[str, list[str]] = defaultdict(list)
    for code, parent, term_labels in terms:
        goal_code = parent or sdg_goal_of(code)
        if goal_code in counts:
            codes[goal_code].append(code)
            if code == goal_code:
                labels[code] = term_labels
    rows = [
        Row(
            code,
            _term_display(code, labels.get(code, {})),
            n,
            {f"tag:{SDG}": sorted(codes[code], key=_code_order)} if codes[code] else {},
        )
        for code, n in counts.items()
    ]
    return sorted(rows, key=lambda row: _code_order(row.key))


def _code_order(code: str) -> tuple[Any, ...]:
    """``2`` before ``10``, ``5.2`` before ``5.10``, ``5.a`` after them."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))


def by_institution(scope: QuerySet[Recommendation]) -> tuple[list[InstitutionRow], int]:
    """Recommendations per responsible institution, as lead and as contributor, and how
    many recommendations are assigned to no institution."""
    rows = (
        Assignment.objects.filter(recommendation_id__in=scope.values("id"))
        .values_list("institution__code", "institution__names", "role")
        .annotate(n=Count("recommendation_id", distinct=True))
        .order_by()
    )
    found: dict[str, dict[str, Any]] = {}
    for code, names, role, n in rows:
        entry = found.setdefault(code, {"name": pick_translation(names) or code})
        entry[role] = entry.get(role, 0) + n
    institutions = [
        InstitutionRow(
            code,
            entry["name"],
            entry.get(AssignmentRole.LEAD, 0),
            entry.get(AssignmentRole.CONTRIBUTING, 0),
        )
        for code, entry in found.items()
    ]
    institutions.sort(key=lambda row: (-(row.lead + row.contributing), row.name))
    unassigned = scope.exclude(id__in=Assignment.objects.values("recommendation_id")).count()
    return institutions, unassigned


# --- implementation over time ----------------------------------------------------------


def quarter_ends(first: date, last: date) -> list[date]:
    """The last day of every quarter from ``first``'s to ``last``'s."""
    ends = []
    year, quarter = first.year, (first.month - 1) // 3 + 1
    while True:
        end = _quarter_end(year, quarter)
        ends.append(end)
        if end >= last:
            return ends
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def _quarter_end(year: int, quarter: int) -> date:
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, quarter * 3 + 1, 1) - timedelta(days=1)


def year_ends(first: date, last: date) -> list[date]:
    return [date(year, 12, 31) for year in range(first.year, last.year + 1)]


def period_label(end: date, step: str) -> str:
    if step == "year":
        return str(end.year)
    return pgettext("quarter of a year", "Q%(quarter)s %(year)s") % {
        "quarter": (end.month - 1) // 3 + 1,
        "year": end.year,
    }


def implementation_over_time(
    scope: QuerySet[Recommendation], voice: str, today: date | None = None
) -> Timeline:
    """For each quarter (each year when there would be more than :data:`MAX_QUARTERS`),
    how many recommendations stood at each status at its end, by ``voice``'s latest
    assessment dated on or before that day (the latest recorded on one day wins).

    One query reads the assessments in date order and one pass walks them: "the latest
    before each day" is a window over ordered rows, which a GROUP BY cannot express
    portably, and one query per period would grow with the span.
    """
    today = today or timezone.localdate()
    rows = (
        Assessment.objects.filter(
            voice=voice, assessed_on__lte=today, recommendation_id__in=scope.values("id")
        )
        .order_by("recommendation_id", "assessed_on", "id")
        .values_list("recommendation_id", "assessed_on", "status")
    )
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    first: date | None = None
    for recommendation_id, assessed_on, status in rows.iterator():
        history[recommendation_id].append((assessed_on, status))
        first = assessed_on if first is None else min(first, assessed_on)
    if first is None:
        return Timeline(voice, "quarter", [])
    ends = quarter_ends(first, today)
    step = "quarter"
    if len(ends) > MAX_QUARTERS:
        ends, step = year_ends(first, today), "year"
    counts: list[dict[str, int]] = [defaultdict(int) for _end in ends]
    for assessments in history.values():
        position, current = 0, None
        for index, end in enumerate(ends):
            while position < len(assessments) and assessments[position][0] <= end:
                current = assessments[position][1]
                position += 1
            if current is not None:
                counts[index][current] += 1
    periods = [
        Period(period_label(end, step), end, dict(period_counts))
        for end, period_counts in zip(ends, counts, strict=True)
    ]
    return Timeline(voice, step, periods)


# --- overdue work --------------------------------------------------------------------------


def overdue_work(
    user: Any,
    filters: FigureFilters,
    scope: QuerySet[Recommendation],
    *,
    today: date | None = None,
    limit: int | None = OVERDUE_SHOWN,
) -> OverdueWork:
    """Actions past their due date and still open, assignments past their due date whose
    recommendation is still open, partnership follow-up tasks past due and not done: how
    many, and the ``limit`` most overdue (all when ``None``).

    With a filter set, only the actions answering a recommendation in scope count; the
    follow-up tasks, which answer no recommendation, follow the institution filter only.
    """
    today = today or timezone.localdate()

    actions = actions_visible_to(user).filter(overdue_condition(today))
    if not filters.is_empty():
        actions = actions.filter(
            id__in=Action.recommendations.through.objects.filter(
                recommendation_id__in=scope.values("id")
            ).values("action_id")
        )
    actions = actions.order_by("due_on", "id")
    action_list = _overdue_list(
        actions.select_related("lead_institution"),
        today,
        limit,
        lambda action: (action.title, action.lead_institution.name, action.pk),
        due=lambda action: action.due_on,
    )

    assignments = (
        Assignment.objects.filter(due_date__lt=today, recommendation_id__in=scope.values("id"))
        .exclude(recommendation__status__in=CLOSED_STATUSES)
        .order_by("due_date", "id")
    )
    if filters.institution:
        assignments = assignments.filter(institution__code=filters.institution)
    assignment_list = _overdue_list(
        assignments.select_related("recommendation__document", "institution"),
        today,
        limit,
        lambda assignment: (
            str(assignment.recommendation),
            assignment.institution.name,
            assignment.recommendation_id,
        ),
        due=lambda assignment: assignment.due_date,
    )

    tasks = follow_up_tasks_visible_to(user).filter(due_on__lt=today, done_on__isnull=True)
    if filters.institution:
        tasks = tasks.filter(institution__code=filters.institution)
    tasks = tasks.order_by("due_on", "id")
    task_list = _overdue_list(
        tasks.select_related("institution", "decision__meeting"),
        today,
        limit,
        lambda task: (
            str(task),
            task.institution.name if task.institution else "",
            task.decision.meeting_id,
        ),
        due=lambda task: task.due_on,
    )
    return OverdueWork(action_list, assignment_list, task_list)


def _overdue_list[T: Action | Assignment | FollowUpTask](
    queryset: QuerySet[T],
    today: date,
    limit: int | None,
    describe: Callable[[T], tuple[str, str, int]],
    *,
    due: Callable[[T], date | None],
) -> OverdueList:
    count = queryset.count()
    shown: Iterable[T] = queryset if limit is None else queryset[:limit]
    items = []
    for item in shown:
        title, institution, target = describe(item)
        due_on = due(item)
        assert due_on is not None  # the queries keep only items with a due date
        items.append(
            OverdueItem(item.pk, title, due_on, (today - due_on).days, institution, target)
        )
    return OverdueList(count, items)


# --- all of it ---------------------------------------------------------------------------


def recommendation_figures(
    user: Any,
    filters: FigureFilters,
    *,
    voice: str = AssessmentVoice.STATE,
    today: date | None = None,
) -> RecommendationFigures:
    """Every figure of the dashboard, in about twenty queries whatever the size."""
    scope = recommendations_in_scope(user, filters)
    statuses = status_figures(scope)
    documents, other_documents = by_document(scope, statuses.total)
    institutions, unassigned = by_institution(scope)
    return RecommendationFigures(
        filters=filters,
        statuses=statuses,
        mechanisms=by_mechanism(scope),
        documents=documents,
        other_documents=other_documents,
        themes=by_term(scope, THEMES),
        sdg_goals=by_sdg_goal(scope),
        gcm_objectives=by_term(scope, GCM),
        institutions=institutions,
        unassigned=unassigned,
        timeline=implementation_over_time(scope, voice, today),
        overdue=overdue_work(user, filters, scope, today=today),
    )


# --- as charts ---------------------------------------------------------------------------


def figure_charts(figures: RecommendationFigures, *, list_url: str) -> dict[str, Chart]:
    """The figures as charts, keyed by the name their CSV download uses. Each row links
    to the recommendation list showing the same recommendations, when the list can: not
    when a period is chosen (the list has no period filter)."""
    filters = figures.filters

    def href(query: Mapping[str, Sequence[str]]) -> str:
        if not query or filters.has_period:
            return ""
        merged = {**filters.list_query(), **query}
        return f"{list_url}?{urlencode(merged, doseq=True)}"

    def bars(rows: Iterable[Row]) -> list[Bar]:
        return [Bar(row.label, [row.count], href(row.query)) for row in rows]

    recommendations = _("Recommendations")
    statuses = figures.statuses
    not_assessed = _("Not assessed yet")
    document_bars = bars(figures.documents)
    if figures.other_documents:
        document_bars.append(Bar(_("Other documents"), [figures.other_documents]))
    timeline = figures.timeline
    status_choices = ImplementationStatus.choices
    institution_bars = [
        Bar(row.name, [row.lead, row.contributing], href({"institution": [row.code]}))
        for row in figures.institutions
    ]
    if figures.unassigned:
        institution_bars.append(Bar(_("Not yet assigned to an institution"), [figures.unassigned]))
    tagged_only = _(
        "Confirmed tags only; a recommendation with several tags counts under each of them."
    )
    return {
        "state_status": Chart(
            title=_("By the state's assessment"),
            dimension=_("Status"),
            series=[recommendations],
            bars=[
                Bar(row.label, [row.state], href({"status": [row.status]})) for row in statuses.rows
            ],
            maximum=statuses.total or None,
            identifier="chart-state-status",
        ),
        "nhri_status": Chart(
            title=_("By the NHRI's assessment"),
            dimension=_("Status"),
            series=[recommendations],
            bars=[
                *(
                    Bar(row.label, [row.nhri], href({"nhri_status": [row.status]}))
                    for row in statuses.rows
                ),
                Bar(
                    not_assessed,
                    [statuses.nhri_not_assessed],
                    href({"nhri_status": [NOT_ASSESSED]}),
                ),
            ],
            maximum=statuses.total or None,
            identifier="chart-nhri-status",
        ),
        "mechanism": Chart(
            title=_("By mechanism"),
            dimension=_("Mechanism"),
            series=[recommendations],
            bars=bars(figures.mechanisms),
            identifier="chart-mechanism",
        ),
        "document": Chart(
            title=_("By document"),
            dimension=_("Document"),
            series=[recommendations],
            bars=document_bars,
            caption=(
                _("The %(count)s documents with the most recommendations, then the others.")
                % {"count": TOP_DOCUMENTS}
                if figures.other_documents
                else ""
            ),
            identifier="chart-document",
        ),
        "theme": Chart(
            title=_("By theme"),
            dimension=_("Theme"),
            series=[recommendations],
            bars=bars(figures.themes),
            caption=tagged_only,
            identifier="chart-theme",
        ),
        "sdg": Chart(
            title=_("By Sustainable Development Goal"),
            dimension=_("Goal"),
            series=[recommendations],
            bars=bars(figures.sdg_goals),
            caption=_(
                "A recommendation tagged with a target counts for its goal, once however "
                "many of the goal's targets it has. Confirmed tags only."
            ),
            identifier="chart-sdg",
        ),
        "gcm": Chart(
            title=_("By objective of the Global Compact for Migration"),
            dimension=_("Objective"),
            series=[recommendations],
            bars=bars(figures.gcm_objectives),
            caption=tagged_only,
            identifier="chart-gcm",
        ),
        "institution": Chart(
            title=_("By responsible institution"),
            dimension=_("Institution"),
            series=[_("As lead"), _("As contributor")],
            bars=institution_bars,
            identifier="chart-institution",
        ),
        "over_time": Chart(
            title=(
                _("Implementation over time, by the state's assessment")
                if timeline.voice == AssessmentVoice.STATE
                else _("Implementation over time, by the NHRI's assessment")
            ),
            dimension=_("Year") if timeline.step == "year" else _("Quarter"),
            series=[str(label) for _value, label in status_choices],
            bars=[
                Bar(period.label, [period.counts.get(value, 0) for value, _label in status_choices])
                for period in timeline.periods
            ],
            caption=_(
                "Recommendations at each status at the end of each period, by their latest "
                "assessment dated on or before that day. Recommendations not assessed by "
                "then are not counted."
            ),
            identifier="chart-over-time",
        ),
    }


def overdue_tables(overdue: OverdueWork) -> dict[str, OverdueList]:
    """The overdue lists, keyed by the name their CSV download uses."""
    return {
        "overdue_actions": overdue.actions,
        "overdue_assignments": overdue.assignments,
        "overdue_tasks": overdue.tasks,
    }
