"""``mizan meeting-minutes MEETING_ID --language ar --output FILE``: write the minutes of a
joint committee's meeting, with its decisions, as a PDF in Arabic, French or English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.partnerships.models import Meeting
from mizan.suggestions.minutes_pdf import minutes_pdf


class Command(BaseCommand):
    help = gettext_noop("Write the minutes of a committee meeting, with its decisions, as a PDF.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("meeting", type=int, metavar="MEETING_ID", help=_("id of the meeting"))
        parser.add_argument(
            "--language",
            choices=INTERFACE_LANGUAGES,
            default="ar",
            help=_("language of the minutes (default: ar)"),
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help=_("where to write the PDF (default: minutes-MEETING_ID-LANGUAGE.pdf)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The command line is the server's operator, who may read every meeting.
        meeting = Meeting.objects.filter(pk=options["meeting"]).first()
        if meeting is None:
            raise CommandError(_("There is no meeting %(id)s.") % {"id": options["meeting"]})
        language = options["language"]
        try:
            pdf = minutes_pdf(meeting, language)
        except MizanError as error:
            raise CommandError(str(error.message)) from error
        output = Path(options["output"] or f"minutes-{meeting.pk}-{language}.pdf")
        try:
            output.write_bytes(pdf)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": error}
            ) from error
        self.stdout.write(
            _("Minutes of meeting %(id)s written to %(file)s.") % {"id": meeting.pk, "file": output}
        )
