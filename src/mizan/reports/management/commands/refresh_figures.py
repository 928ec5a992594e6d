"""``mizan refresh-figures [--all]``: compute again the training dashboard's figures of
the stale sessions (and of those never computed), or of every session."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mizan.reports.rollup import refresh_stale


class Command(BaseCommand):
    help = gettext_noop(
        "Compute again the training figures of the sessions that changed, for the "
        "dashboard. Run it after loading data in bulk."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help=_("compute every session again, not only those that changed"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        step = 1000

        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1 and (done % step == 0 or done == total):
                self.stderr.write(f"{done}/{total}")

        count = refresh_stale(everything=options["everything"], progress=progress)
        self.stdout.write(
            _("Figures of %(count)s sessions computed in %(seconds).1f s.")
            % {"count": count, "seconds": time.perf_counter() - started}
        )
