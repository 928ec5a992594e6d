"""The reminder job, and each person's calendar feed address.

``send_reminders`` is what the daily task and ``mizan send-reminders`` run: a digest to
each person with work overdue or due soon, then the escalations of long-overdue work to
focal points. Whatever was sent is recorded (``SentReminder``), so a second run on the
same day sends nothing twice.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from mizan.institutions.models import Institution
from mizan.reminders.digests import (
    OverdueRecord,
    digest_message,
    escalation_message,
    escalation_recipients,
    language_of,
    overdue_records,
    responsible_institution,
)
from mizan.reminders.models import CalendarFeed, ReminderKind, SentReminder
from mizan.reminders.work import work_for

logger = logging.getLogger(__name__)


@dataclass
class ReminderSummary:
    """What a run did (or, in a dry run, would do)."""

    day: date
    dry_run: bool = False
    digests: int = 0
    escalations: int = 0
    #: Messages not sent because the same message went out earlier that day.
    skipped: int = 0
    #: Messages the mail server refused (logged; the next run tries again).
    failed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "day": self.day.isoformat()}


def send_reminders(*, today: date | None = None, dry_run: bool = False) -> ReminderSummary:
    """Send today's digests and escalations; ``dry_run`` counts them and sends nothing.

    Each message is its own transaction with its ``SentReminder`` row: the row's unique
    constraint stops a second, concurrent run from sending it again, and a message the
    mail server refuses leaves no row, so a later run retries it.
    """
    today = today or timezone.localdate()
    summary = ReminderSummary(day=today, dry_run=dry_run)
    already_sent = set(
        SentReminder.objects.filter(sent_on=today).values_list("recipient_id", "kind")
    )
    _send_digests(today, summary, already_sent)
    _send_escalations(today, summary, already_sent)
    logger.info("Reminders for %s: %s", today, summary.as_dict())
    return summary


def _send_digests(
    today: date, summary: ReminderSummary, already_sent: set[tuple[int, str]]
) -> None:
    horizon = settings.MIZAN_REMINDER_HORIZON_DAYS
    people = get_user_model().objects.filter(is_active=True).exclude(email="").order_by("id")
    for person in people:
        if (person.pk, ReminderKind.DIGEST) in already_sent:
            summary.skipped += 1
            continue
        with translation.override(language_of(person)):
            work = work_for(person, today)
            message = digest_message(person, work, horizon)
        if message is None:
            continue
        items = len(work.overdue) + len(work.due_within(horizon))
        outcome = _deliver(message, person, ReminderKind.DIGEST, today, items, summary.dry_run)
        _count(summary, "digests", outcome)


def _send_escalations(
    today: date, summary: ReminderSummary, already_sent: set[tuple[int, str]]
) -> None:
    after_days = settings.MIZAN_ESCALATE_AFTER_DAYS
    by_institution: dict[int, list[OverdueRecord]] = defaultdict(list)
    institutions: dict[int, Institution] = {}
    for record in overdue_records(today, after_days):
        institution = responsible_institution(record)
        institutions[institution.pk] = institution
        by_institution[institution.pk].append(record)
    for person, institution_ids in escalation_recipients(by_institution).items():
        if (person.pk, ReminderKind.ESCALATION) in already_sent:
            summary.skipped += 1
            continue
        groups = {institutions[pk]: by_institution[pk] for pk in institution_ids}
        with translation.override(language_of(person)):
            message, items = escalation_message(person, groups, today, after_days)
        outcome = _deliver(message, person, ReminderKind.ESCALATION, today, items, summary.dry_run)
        _count(summary, "escalations", outcome)


def _deliver(
    message: EmailMultiAlternatives,
    recipient: Any,
    kind: str,
    today: date,
    items: int,
    dry_run: bool,
) -> str:
    """ "sent", "skipped" (another run sent it meanwhile) or "failed"."""
    if dry_run:
        return "sent"
    try:
        with transaction.atomic():
            SentReminder.objects.create(recipient=recipient, kind=kind, sent_on=today, items=items)
            message.send()
    except IntegrityError:
        return "skipped"
    except OSError:  # smtplib's errors are OSErrors too
        logger.exception("Could not send the %s reminder to user %s", kind, recipient.pk)
        return "failed"
    return "sent"


def _count(summary: ReminderSummary, sent_field: str, outcome: str) -> None:
    if outcome == "sent":
        setattr(summary, sent_field, getattr(summary, sent_field) + 1)
    else:
        setattr(summary, outcome, getattr(summary, outcome) + 1)


# --- Calendar feed ------------------------------------------------------------------------


@transaction.atomic
def reset_calendar_feed(*, user: Any) -> CalendarFeed:
    """Give ``user`` a new secret calendar address; the previous one stops working."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
