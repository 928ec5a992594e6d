"""Read-side selectors of actions: what a user may see, the list's filters, and what the
list and detail pages show, fetched in a fixed number of queries.

List pages, detail pages and the API all start from :func:`actions_visible_to`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from mizan.accounts.enums import Role
from mizan.accounts.rules import is_coordinator, is_member
from mizan.actions.enums import ActionStatus, ProgressReportStatus
from mizan.actions.models import Action, Indicator, IndicatorValue, ProgressReport
from mizan.institutions.models import Institution
from mizan.institutions.queries import institutions_acted_for

#: Statuses of an action still to be done: past its due date, such an action is overdue.
OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


def actions_visible_to(user: Any) -> QuerySet[Action]:
    """Every member sees every action: they are the state's accountable work."""
    if not is_member(user):
        return Action.objects.none()
    return Action.objects.all()


def progress_reports_visible_to(user: Any) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(action__in=actions_visible_to(user))


def indicators_visible_to(user: Any) -> QuerySet[Indicator]:
    return Indicator.objects.filter(action__in=actions_visible_to(user))


def lead_institution_choices(user: Any) -> QuerySet[Institution]:
    """The institutions ``user`` may make lead an action: any for a coordinator, else the
    institutions (and their units) where they are a focal point."""
    if is_coordinator(user):
        return Institution.objects.all()
    return Institution.objects.filter(id__in=institutions_acted_for(user, Role.FOCAL_POINT))


def overdue_condition(today: date | None = None) -> Q:
    return Q(due_on__lt=today or timezone.localdate(), status__in=OPEN_STATUSES)


def with_overdue(queryset: QuerySet[Action], today: date | None = None) -> QuerySet[Action]:
    """Annotate ``is_overdue``: past its due date and neither completed nor cancelled."""
    return queryset.annotate(
        is_overdue=ExpressionWrapper(overdue_condition(today), output_field=BooleanField())
    )


def with_list_details(queryset: QuerySet[Action]) -> QuerySet[Action]:
    """Everything a list row shows (lead, partners, number of recommendations, overdue)."""
    return with_overdue(
        queryset.select_related("lead_institution")
        .prefetch_related("partner_institutions")
        .annotate(recommendation_count=Count("recommendations", distinct=True))
    )


def with_detail(queryset: QuerySet[Action]) -> QuerySet[Action]:
    """Everything the detail page and the API show of an action."""
    return with_overdue(
        queryset.select_related("lead_institution", "created_by").prefetch_related(
            "partner_institutions",
            "recommendations__document",
            "evidence",
        )
    )


def indicators_with_values(action: Action) -> list[Indicator]:
    """The action's indicators, each with its values (newest first) prefetched."""
    return list(
        action.indicators.prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.select_related("recorded_by").order_by(
                    "-measured_on", "-id"
                ),
            )
        ).order_by("id")
    )


def latest_value(indicator: Indicator) -> IndicatorValue | None:
    """The most recent value, from the prefetched values when there are."""
    values = list(indicator.values.all())
    return max(values, key=lambda v: (v.measured_on, v.id)) if values else None


@dataclass
class ActionFilters:
    """The filters of the action list page and the API, read from query parameters."""

    q: str = ""
    status: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    #: codes of lead institutions
    lead: list[str] = field(default_factory=list)
    overdue: bool = False

    SIMPLE = ("status", "kind", "lead")
    TRUE = frozenset({"1", "true", "yes", "on"})

    @classmethod
    def from_query(cls, params: Any) -> ActionFilters:
        def text(value: Any) -> str:
            # PostgreSQL cannot hold a NUL character in a query parameter.
            return str(value).replace("\x00", "")

        def getlist(key: str) -> list[str]:
            if hasattr(params, "getlist"):
                return [text(v) for v in params.getlist(key)]
            value = params.get(key)
            if value is None:
                return []
            return [text(v) for v in value] if isinstance(value, list | tuple) else [text(value)]

        filters = cls(
            q=text(params.get("q") or "").strip(),
            overdue=str(params.get("overdue") or "").lower() in cls.TRUE,
        )
        for name in cls.SIMPLE:
            setattr(filters, name, [v for v in getlist(name) if v])
        return filters

    def is_empty(self) -> bool:
        return not (self.q or self.overdue or any(getattr(self, n) for n in self.SIMPLE))

    def apply(self, queryset: QuerySet[Action], today: date | None = None) -> QuerySet[Action]:
        if self.q:
            queryset = queryset.filter(
                Q(title__icontains=self.q) | Q(description__icontains=self.q)
            )
        if self.status:
            queryset = queryset.filter(status__in=self.status)
        if self.kind:
            queryset = queryset.filter(kind__in=self.kind)
        if self.lead:
            queryset = queryset.filter(lead_institution__code__in=self.lead)
        if self.overdue:
            queryset = queryset.filter(overdue_condition(today))
        return queryset


@dataclass
class ReviewStep:
    """One move of a progress report between statuses, as its history recorded it."""

    when: datetime
    who: Any
    status: str
    status_label: str
    comment: str


def review_trail(report: ProgressReport) -> list[ReviewStep]:
    """The report's moves (drafted, submitted, returned, approved), oldest first, with the
    reviewer's comment where there was one."""
    rows = report.history.select_related("history_user").order_by("history_date", "history_id")
    steps: list[ReviewStep] = []
    previous: str | None = None
    for row in rows:
        if row.status != previous:
            reviewed = row.status in (ProgressReportStatus.RETURNED, ProgressReportStatus.APPROVED)
            steps.append(
                ReviewStep(
                    when=row.history_date,
                    who=row.history_user,
                    status=row.status,
                    status_label=str(ProgressReportStatus(row.status).label),
                    comment=row.review_comment if reviewed else "",
                )
            )
        previous = row.status
    return steps
