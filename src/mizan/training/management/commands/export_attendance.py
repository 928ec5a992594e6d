"""``mizan export-attendance --session ID --format csv|xlsx --output FILE``: a session's
attendance, one row per participant and half-day, with a summary per participant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mizan.core.errors import MizanError
from mizan.training.attendance import EXPORT_FORMATS, export_attendance
from mizan.training.models import TrainingSession


class Command(BaseCommand):
    help = gettext_noop(
        "Export a session's attendance: a row per participant and half-day, then a summary "
        "per participant (minutes, share of half-days, whether it meets the threshold)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--session", type=int, required=True, metavar="ID", help=_("id of the session")
        )
        parser.add_argument(
            "--format",
            choices=list(EXPORT_FORMATS),
            help=_("file format (default: from the output file's extension, else csv)"),
        )
        parser.add_argument("--output", required=True, metavar="FILE", help=_("file to write"))

    def handle(self, *args: Any, **options: Any) -> None:
        # The command line is the server's operator, who may see every session's people.
        session = TrainingSession.objects.filter(pk=options["session"]).first()
        if session is None:
            raise CommandError(_("No session %(id)s.") % {"id": options["session"]})
        output_path = Path(options["output"])
        format_ = options["format"] or output_path.suffix.lower().lstrip(".")
        if format_ not in EXPORT_FORMATS:
            format_ = "csv"
        try:
            with output_path.open("wb") as output:
                export_attendance(session, format=format_, output=output)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output_path, "error": error}
            ) from error
        except MizanError as error:
            output_path.unlink(missing_ok=True)
            raise CommandError(str(error.message)) from error
        self.stderr.write(_("Exported to %(file)s.") % {"file": output_path})
