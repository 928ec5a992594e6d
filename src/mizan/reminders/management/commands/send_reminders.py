"""``mizan send-reminders [--date YYYY-MM-DD] [--dry-run] [--enqueue]``: e-mail each person
the digest of their work overdue or due in the next ``MIZAN_REMINDER_HORIZON_DAYS`` days,
and tell focal points about work overdue for more than ``MIZAN_ESCALATE_AFTER_DAYS`` days.

Run it once a day, from cron for example (as the user Mizan runs as, with its
environment)::

    # m h dom mon dow  command
    30 6 * * *  /srv/mizan/.venv/bin/mizan send-reminders

or hand the work to the task worker (``mizan db_worker`` must be running)::

    30 6 * * *  /srv/mizan/.venv/bin/mizan send-reminders --enqueue

Running it again on the same day sends nothing twice: what was sent is recorded. Use
``--dry-run`` to see how many messages would go out, and ``--date`` to run for another
day (for example to catch up on a missed day).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mizan.reminders.services import send_reminders
from mizan.reminders.tasks import send_daily_reminders


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(value)s is not a date of the form YYYY-MM-DD.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = gettext_noop(
        "E-mail each person a digest of the work due soon or overdue, and escalate work "
        "overdue for too long to the institution's focal points."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help=_("the day to send the reminders of (default: today)"),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("count the messages that would be sent, and send none"),
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=_("hand the work to the task worker instead of doing it now"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = _day(options["date"]) if options["date"] else None
        if options["enqueue"]:
            result = send_daily_reminders.enqueue(
                day=day.isoformat() if day else None, dry_run=options["dry_run"]
            )
            self.stdout.write(_("Reminders queued as task %(id)s.") % {"id": result.id})
            return
        summary = send_reminders(today=day, dry_run=options["dry_run"])
        # One figure per line: a sentence with several counts cannot agree in number
        # with all of them in every language.
        if summary.dry_run:
            self.stdout.write(_("Dry run for %(day)s: nothing was sent.") % {"day": summary.day})
            lines = [
                (_("Digests to send"), summary.digests),
                (_("Escalations to send"), summary.escalations),
            ]
        else:
            self.stdout.write(_("Reminders for %(day)s.") % {"day": summary.day})
            lines = [
                (_("Digests sent"), summary.digests),
                (_("Escalations sent"), summary.escalations),
                (_("Failed"), summary.failed),
            ]
        lines.append((_("Already sent today"), summary.skipped))
        for label, value in lines:
            self.stdout.write(f"{label}: {value}")
        if summary.failed:
            raise CommandError(_("Some messages could not be sent; see the log."))
