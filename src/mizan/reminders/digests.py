"""The reminder e-mails: a person's digest of work due soon or overdue, and the escalation
of long-overdue work to the responsible institution's focal points.

Each message is written in its recipient's language (call these inside
``translation.override``), as plain text with an HTML alternative, with absolute links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from mizan.accounts.enums import Role
from mizan.accounts.models import Membership
from mizan.actions.models import Action
from mizan.core.languages import INTERFACE_LANGUAGES, text_direction
from mizan.institutions.models import Institution
from mizan.partnerships.models import FollowUpTask
from mizan.recommendations.models import Assignment
from mizan.reminders.work import (
    Work,
    WorkItem,
    action_items,
    open_actions,
    open_assignments,
    open_tasks,
    recommendation_items,
    task_items,
)

#: What can be escalated: open work with a deadline and a responsible institution.
OverdueRecord = Assignment | Action | FollowUpTask


def language_of(user: Any) -> str:
    """The language to write to ``user`` in: theirs if Mizan speaks it, else the default."""
    language = getattr(user, "preferred_language", "") or ""
    return language if language in INTERFACE_LANGUAGES else settings.LANGUAGE_CODE


def absolute(path: str) -> str:
    return f"{settings.MIZAN_SITE_URL}{path}"


def _context(**extra: Any) -> dict[str, Any]:
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "language": language,
        "text_dir": text_direction(language),
        "site_url": settings.MIZAN_SITE_URL,
        **extra,
    }


def _message(
    template: str, context: Mapping[str, Any], subject: str, to: str
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"reminders/{template}.txt", context),
        to=[to],
        # Automatic mail (RFC 3834): no out-of-office replies; and a header to filter on.
        headers={"Auto-Submitted": "auto-generated", "X-Mizan-Reminder": template},
    )
    message.attach_alternative(render_to_string(f"reminders/{template}.html", context), "text/html")
    return message


@dataclass
class Row:
    """A work item as an e-mail shows it: with its absolute link."""

    item: WorkItem
    link: str


def _rows(items: Iterable[WorkItem]) -> list[Row]:
    return [Row(item, absolute(item.url)) for item in items]


# --- The digest ---------------------------------------------------------------------------


def digest_message(user: Any, work: Work, horizon_days: int) -> EmailMultiAlternatives | None:
    """The digest of ``work`` for ``user``, or None when nothing is overdue or falls due
    within ``horizon_days`` (meetings in that time are listed, but alone send nothing)."""
    overdue = work.overdue
    due_soon = work.due_within(horizon_days)
    if not overdue and not due_soon:
        return None
    today = formats.date_format(work.today, "DATE_FORMAT")
    context = _context(
        user=user,
        today=work.today,
        horizon_days=horizon_days,
        until=work.today + timedelta(days=horizon_days),
        overdue=_rows(overdue),
        due_soon=_rows(due_soon),
        meetings=_rows(work.meetings_within(horizon_days)),
        my_work_url=absolute(reverse("staff:my_work")),
    )
    subject = _("Mizan: your work on %(date)s") % {"date": today}
    return _message("digest", context, subject, user.email)


# --- Escalation ---------------------------------------------------------------------------


def overdue_records(today: date, after_days: int) -> list[OverdueRecord]:
    """Open work whose deadline passed more than ``after_days`` days before ``today``:
    due exactly ``after_days`` days ago is not escalated yet, one day earlier is."""
    before = today - timedelta(days=after_days)
    records: list[OverdueRecord] = []
    records += open_assignments().filter(due_date__lt=before)
    records += open_actions().filter(due_on__lt=before)
    # A task without an institution has no focal point to tell; its owner's digest has it.
    records += open_tasks().filter(due_on__lt=before, institution__isnull=False)
    return records


def responsible_institution(record: OverdueRecord) -> Institution:
    if isinstance(record, Action):
        return record.lead_institution
    assert record.institution is not None  # overdue_records() leaves out tasks without one
    return record.institution


def items_of(records: Iterable[OverdueRecord], today: date) -> list[WorkItem]:
    """The records as work items, in the active language, most overdue first."""
    records = list(records)
    items = [
        *recommendation_items([r for r in records if isinstance(r, Assignment)], today),
        *action_items([r for r in records if isinstance(r, Action)], today),
        *task_items([r for r in records if isinstance(r, FollowUpTask)], today),
    ]
    return sorted(items, key=lambda item: (-item.days_overdue, item.kind, item.pk))


def escalation_recipients(institution_ids: Iterable[int]) -> dict[Any, list[int]]:
    """Focal point → the institutions whose overdue work they hear about: each
    institution's own focal points, or if it has none that can be reached by e-mail,
    those of the nearest institution above it that has some."""
    focal_points: dict[int, list[Any]] = defaultdict(list)
    memberships = (
        Membership.objects.filter(role=Role.FOCAL_POINT, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    for membership in memberships:
        focal_points[membership.institution_id].append(membership.user)
    parents = dict(Institution.objects.values_list("id", "parent_id"))
    recipients: dict[Any, list[int]] = defaultdict(list)
    for institution_id in institution_ids:
        current: int | None = institution_id
        seen: set[int] = set()
        while current is not None and current not in focal_points and current not in seen:
            seen.add(current)
            current = parents.get(current)
        for user in focal_points.get(current, []) if current is not None else []:
            recipients[user].append(institution_id)
    return recipients


@dataclass
class InstitutionGroup:
    institution: Institution
    rows: list[Row]


def escalation_message(
    user: Any,
    groups: Mapping[Institution, list[OverdueRecord]],
    today: date,
    after_days: int,
) -> tuple[EmailMultiAlternatives, int]:
    """The escalation e-mail to one focal point, and how many items it lists."""
    sections = [
        InstitutionGroup(institution, _rows(items_of(records, today)))
        for institution, records in sorted(groups.items(), key=lambda g: g[0].name.casefold())
    ]
    count = sum(len(section.rows) for section in sections)
    context = _context(
        user=user,
        today=today,
        after_days=after_days,
        sections=sections,
        count=count,
    )
    subject = ngettext(
        "Mizan: %(count)s overdue item to follow up",
        "Mizan: %(count)s overdue items to follow up",
        count,
    ) % {"count": count}
    return _message("escalation", context, subject, user.email), count
