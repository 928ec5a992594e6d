"""Background jobs of the reminders: the daily digests and escalations."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.tasks import task

from mizan.reminders.services import send_reminders


@task()
def send_daily_reminders(day: str | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Send the reminders of ``day`` (ISO date; default today). Returns the summary."""
    summary = send_reminders(today=date.fromisoformat(day) if day else None, dry_run=dry_run)
    return summary.as_dict()
