"""``mizan send-follow-up-invitations [--date YYYY-MM-DD] [--dry-run] [--enqueue]``: e-mail
the participants whose follow-up survey (90 to 180 days after their session) is open and
unanswered: an invitation with their personal link, and one reminder 30 days later.

Run it once a day, from cron for example::

    45 6 * * *  /srv/mizan/.venv/bin/mizan send-follow-up-invitations

Running it again on the same day sends nothing twice: each enrolment records when it was
invited and reminded. ``--dry-run`` counts the messages and sends none; ``--date`` runs
for another day; ``--enqueue`` hands the work to the task worker (``mizan db_worker``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mizan.training.services.answers import send_follow_up_invitations
from mizan.training.tasks import send_daily_follow_up_invitations


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(value)s is not a date of the form YYYY-MM-DD.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = gettext_noop(
        "E-mail participants the invitation to the follow-up survey of their training, "
        "and one reminder 30 days later."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help=_("the day to run for (default: today)")
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
            result = send_daily_follow_up_invitations.enqueue(
                day=day.isoformat() if day else None, dry_run=options["dry_run"]
            )
            self.stdout.write(_("Follow-up invitations queued as task %(id)s.") % {"id": result.id})
            return
        summary = send_follow_up_invitations(today=day, dry_run=options["dry_run"])
        # One figure per line: a sentence with several counts cannot agree in number with
        # all of them in every language.
        if summary.dry_run:
            self.stdout.write(_("Dry run for %(day)s: nothing was sent.") % {"day": summary.day})
            lines = [
                (_("Invitations to send"), summary.invitations),
                (_("Reminders to send"), summary.reminders),
            ]
        else:
            self.stdout.write(_("Follow-up invitations for %(day)s.") % {"day": summary.day})
            lines = [
                (_("Invitations sent"), summary.invitations),
                (_("Reminders sent"), summary.reminders),
                (_("Failed"), summary.failed),
            ]
        for label, value in lines:
            self.stdout.write(f"{label}: {value}")
        if summary.failed:
            raise CommandError(_("Some messages could not be sent; see the log."))
