"""``mizan compute-indicators``: compute every computed indicator for a date, here and
now or (``--enqueue``) by the task worker."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from mizan.actions.tasks import compute_indicators


class Command(BaseCommand):
    help = gettext_noop(
        "Compute the value of every computed indicator for a date (default: today)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help=_("the date the values are for (default: today)"),
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=_("hand the work to the task worker instead of doing it now"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["date"]
        if as_of:
            try:
                date.fromisoformat(as_of)
            except ValueError as error:
                raise CommandError(
                    _("Not a date: %(value)s (write it as YYYY-MM-DD).") % {"value": as_of}
                ) from error
        if options["enqueue"]:
            result = compute_indicators.enqueue(as_of)
            self.stdout.write(_("Queued as task %(id)s.") % {"id": result.id})
            return
        summary = compute_indicators.call(as_of)
        self.stdout.write(
            ngettext(
                "%(computed)d indicator computed, %(failed)d failed.",
                "%(computed)d indicators computed, %(failed)d failed.",
                summary["computed"],
            )
            % summary
        )
        if summary["skipped"]:
            self.stdout.write(
                ngettext(
                    "%(skipped)d indicator has nothing to compute from yet.",
                    "%(skipped)d indicators have nothing to compute from yet.",
                    summary["skipped"],
                )
                % summary
            )
        if summary["failed"]:
            raise CommandError(_("Some indicators could not be computed; see the log."))
