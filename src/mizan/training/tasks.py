"""Background jobs of the training domain: the follow-up survey's invitations."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.tasks import task

from mizan.training.services.answers import send_follow_up_invitations


@task()
def send_daily_follow_up_invitations(
    day: str | None = None, dry_run: bool = False
) -> dict[str, Any]:
    """Send the follow-up invitations and reminders due on ``day`` (ISO date; default
    today). Returns the counts."""
    summary = send_follow_up_invitations(
        today=date.fromisoformat(day) if day else None, dry_run=dry_run
    )
    return summary.as_dict()
