"""What a person has to do: assigned recommendations, actions, progress reports, follow-up
tasks and meetings, each with its due date. The "my work" page, its API endpoint, the
reminder digests and the calendar feed all read it from here, so they always agree.

Reading one person's work takes a fixed number of queries, whatever the number of items.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mizan.accounts.enums import Role
from mizan.accounts.rules import is_coordinator
from mizan.actions.enums import ActionStatus, ProgressReportStatus
from mizan.actions.models import Action, ProgressReport
from mizan.institutions.models import Institution
from mizan.institutions.queries import institutions_acted_for
from mizan.partnerships.enums import MeetingStatus
from mizan.partnerships.models import FollowUpTask, Meeting
from mizan.partnerships.queries import agreements_visible_to
from mizan.recommendations.enums import ImplementationStatus
from mizan.recommendations.models import Assignment, RecommendationText

#: Recommendations whose (state's) assessment says there is nothing more to do.
FINISHED_RECOMMENDATION_STATUSES = (
    ImplementationStatus.IMPLEMENTED,
    ImplementationStatus.NOT_IMPLEMENTED,
)
OPEN_ACTION_EXCLUDED = (ActionStatus.COMPLETED, ActionStatus.CANCELLED)
DETAIL_LENGTH = 140


class WorkKind(models.TextChoices):
    RECOMMENDATION = "recommendation", gettext_lazy("Assigned recommendation")
    ACTION = "action", gettext_lazy("Action")
    REPORT_TO_REVIEW = "report_to_review", gettext_lazy("Progress report awaiting approval")
    REPORT_RETURNED = "report_returned", gettext_lazy("Progress report returned for changes")
    FOLLOW_UP_TASK = "follow_up_task", gettext_lazy("Follow-up task")
    MEETING = "meeting", gettext_lazy("Committee meeting")


@dataclass(frozen=True)
class WorkItem:
    """One thing to do. ``due_on`` is the deadline (a meeting's day for a meeting);
    ``days_overdue`` is 0 unless the deadline has passed."""

    kind: str
    pk: int
    title: str
    url: str
    due_on: date | None = None
    days_overdue: int = 0
    institution: Institution | None = None
    detail: str = ""
    starts_at: datetime | None = None
    place: str = ""

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def is_meeting(self) -> bool:
        return self.kind == WorkKind.MEETING

    @property
    def kind_label(self) -> str:
        return str(WorkKind(self.kind).label)

    @property
    def key(self) -> str:
        """Stable across runs: the kind and the record (e.g. for calendar UIDs)."""
        return f"{self.kind}-{self.pk}"


@dataclass
class Work:
    """A person's work on ``today``, sorted by due date (undated items last)."""

    today: date
    items: list[WorkItem] = field(default_factory=list)

    @property
    def tasks(self) -> list[WorkItem]:
        return [item for item in self.items if not item.is_meeting]

    @property
    def meetings(self) -> list[WorkItem]:
        return [item for item in self.items if item.is_meeting]

    @property
    def overdue(self) -> list[WorkItem]:
        return [item for item in self.tasks if item.is_overdue]

    def due_within(self, days: int) -> list[WorkItem]:
        """Tasks due from today to ``days`` days ahead (not overdue)."""
        until = self.today + timedelta(days=days)
        return [
            item
            for item in self.tasks
            if item.due_on is not None and self.today <= item.due_on <= until
        ]

    def later(self, days: int) -> list[WorkItem]:
        """Tasks due after ``days`` days, or with no due date."""
        until = self.today + timedelta(days=days)
        return [item for item in self.tasks if item.due_on is None or item.due_on > until]

    def meetings_within(self, days: int) -> list[WorkItem]:
        until = self.today + timedelta(days=days)
        return [m for m in self.meetings if m.due_on is not None and m.due_on <= until]

    def __len__(self) -> int:
        return len(self.items)


def work_for(user: Any, today: date | None = None) -> Work:
    """Everything ``user`` has to do as of ``today`` (default: today, in Mizan's time zone)."""
    today = today or timezone.localdate()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Work(today=today)
    acted_for = institutions_acted_for(user, Role.FOCAL_POINT, Role.COORDINATOR)
    items: list[WorkItem] = []
    items += recommendation_items(
        one_per_recommendation(open_assignments().filter(institution_id__in=acted_for)), today
    )
    items += action_items(
        open_actions().filter(Q(lead_institution_id__in=acted_for) | Q(created_by=user)), today
    )
    if is_coordinator.test(user):
        items += report_items(
            reports()
            .filter(status=ProgressReportStatus.SUBMITTED)
            .exclude(author=user)
            .order_by("submitted_at", "id"),
            WorkKind.REPORT_TO_REVIEW,
        )
    items += report_items(
        reports().filter(status=ProgressReportStatus.RETURNED, author=user).order_by("id"),
        WorkKind.REPORT_RETURNED,
    )
    tasks = list(open_tasks().filter(owner=user))
    if tasks:
        readable = set(agreements_visible_to(user).values_list("pk", flat=True))
        items += task_items(tasks, today, readable_agreements=readable)
    items += meeting_items(
        # One filter() call, so both conditions are about the same seat.
        Meeting.objects.filter(
            Q(committee__members__until__isnull=True) | Q(committee__members__until__gte=today),
            committee__members__user=user,
            status=MeetingStatus.PLANNED,
            starts_at__gte=_start_of(today),
        )
        .select_related("committee")
        .order_by("starts_at", "id")
    )
    return Work(today=today, items=sorted(items, key=_sort_key))


# --- What is open, whoever it belongs to (also used to find escalations) ------------------


def open_assignments() -> QuerySet[Assignment]:
    return (
        Assignment.objects.exclude(recommendation__status__in=FINISHED_RECOMMENDATION_STATUSES)
        .select_related("institution", "recommendation__document")
        .prefetch_related(
            Prefetch(
                "recommendation__texts",
                queryset=RecommendationText.objects.only(
                    "id", "recommendation_id", "language", "text", "is_original"
                ),
            )
        )
        .order_by("due_date", "id")
    )


def open_actions() -> QuerySet[Action]:
    return (
        Action.objects.exclude(status__in=OPEN_ACTION_EXCLUDED)
        .select_related("lead_institution")
        .order_by("due_on", "id")
    )


def open_tasks() -> QuerySet[FollowUpTask]:
    return (
        FollowUpTask.objects.filter(done_on__isnull=True)
        .select_related("institution", "decision__meeting__committee")
        .order_by("due_on", "id")
    )


def reports() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.select_related("action__lead_institution", "author")


# --- Turning records into work items -----------------------------------------------------


def days_overdue(due_on: date | None, today: date) -> int:
    """Days since the deadline passed; 0 if it has not (an item due today is not late)."""
    if due_on is None or due_on >= today:
        return 0
    return (today - due_on).days


def one_per_recommendation(assignments: Iterable[Assignment]) -> list[Assignment]:
    """A person acting for a directorate and its unit sees a recommendation assigned to
    both once: the assignment that falls due first (the list comes sorted by due date)."""
    seen: set[int] = set()
    kept = []
    for assignment in assignments:
        if assignment.recommendation_id not in seen:
            seen.add(assignment.recommendation_id)
            kept.append(assignment)
    return kept


def recommendation_items(assignments: Iterable[Assignment], today: date) -> list[WorkItem]:
    items = []
    for assignment in assignments:
        recommendation = assignment.recommendation
        text = recommendation.display_text
        items.append(
            WorkItem(
                kind=WorkKind.RECOMMENDATION,
                pk=assignment.pk,
                title=str(recommendation),
                url=reverse("staff:recommendation_detail", args=[recommendation.pk]),
                due_on=assignment.due_date,
                days_overdue=days_overdue(assignment.due_date, today),
                institution=assignment.institution,
                detail=Truncator(text.text).chars(DETAIL_LENGTH) if text else "",
            )
        )
    return items


def action_items(actions: Iterable[Action], today: date) -> list[WorkItem]:
    return [
        WorkItem(
            kind=WorkKind.ACTION,
            pk=action.pk,
            title=action.title,
            url=reverse("staff:action_detail", args=[action.pk]),
            due_on=action.due_on,
            days_overdue=days_overdue(action.due_on, today),
            institution=action.lead_institution,
            detail=action.get_status_display(),
        )
        for action in actions
    ]


def report_items(progress_reports: Iterable[ProgressReport], kind: str) -> list[WorkItem]:
    items = []
    for report in progress_reports:
        period = _("%(start)s to %(end)s") % {
            "start": formats.date_format(report.period_start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(report.period_end, "SHORT_DATE_FORMAT"),
        }
        detail = period
        if kind == WorkKind.REPORT_TO_REVIEW and report.author is not None:
            detail = _("%(period)s, by %(author)s") % {"period": period, "author": report.author}
        items.append(
            WorkItem(
                kind=kind,
                pk=report.pk,
                title=report.action.title,
                url=reverse("staff:progress_report_detail", args=[report.pk]),
                institution=report.action.lead_institution,
                detail=detail,
            )
        )
    return items


def task_items(
    tasks: Iterable[FollowUpTask], today: date, readable_agreements: set[int] | None = None
) -> list[WorkItem]:
    """A task links to its meeting, or, for an owner who may not read the agreement (given
    ``readable_agreements``), to the page where they mark it done."""
    return [
        WorkItem(
            kind=WorkKind.FOLLOW_UP_TASK,
            pk=task.pk,
            title=Truncator(task.description).chars(DETAIL_LENGTH),
            url=_task_url(task, readable_agreements),
            due_on=task.due_on,
            days_overdue=days_overdue(task.due_on, today),
            institution=task.institution,
            detail=str(task.decision.meeting.committee),
        )
        for task in tasks
    ]


def _task_url(task: FollowUpTask, readable_agreements: set[int] | None) -> str:
    committee = task.decision.meeting.committee
    if readable_agreements is not None and committee.agreement_id not in readable_agreements:
        return reverse("staff:task_complete", args=[task.pk])
    return reverse("staff:meeting_detail", args=[task.decision.meeting_id])


def meeting_items(meetings: Iterable[Meeting]) -> list[WorkItem]:
    return [
        WorkItem(
            kind=WorkKind.MEETING,
            pk=meeting.pk,
            title=str(meeting.committee),
            url=reverse("staff:meeting_detail", args=[meeting.pk]),
            due_on=timezone.localdate(meeting.starts_at),
            starts_at=meeting.starts_at,
            place=meeting.place,
            detail=meeting.agenda,
        )
        for meeting in meetings
    ]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _sort_key(item: WorkItem) -> tuple[bool, date, str, int]:
    return (item.due_on is None, item.due_on or date.max, item.kind, item.pk)
