"""``mizan report followup|session|version …``: write a report to a file.

- ``mizan report followup --document CMW/C/MAR/CO/2 --language ar --format pdf --output
  report.pdf``: the follow-up report to the UN on one document, with a progress bar on
  standard error;
- ``mizan report session --session ID …``: the report on one training session;
- ``mizan report version --version ID …``: the report on one curriculum version.

On an error (an unknown document, a language or a format not offered) nothing is
written and the command exits non-zero with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.reports.documents import ReportFile
from mizan.reports.enums import ReportFormat


class Command(BaseCommand):
    help = gettext_noop("Write a report (follow-up to the UN, session, curriculum version).")

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="REPORT")
        followup = kinds.add_parser("followup", help=_("the follow-up report on a UN document"))
        followup.add_argument(
            "--document", required=True, metavar="SYMBOL", help=_("e.g. CMW/C/MAR/CO/2")
        )
        session = kinds.add_parser("session", help=_("the report on a training session"))
        session.add_argument("--session", required=True, type=int, metavar="ID")
        version = kinds.add_parser("version", help=_("the report on a curriculum version"))
        version.add_argument("--version", required=True, type=int, metavar="ID")
        for sub in (followup, session, version):
            # Checked in handle() so that a wrong value gives the same clear message
            # whether the command runs from a shell or from call_command().
            sub.add_argument("--language", required=True, help="ar, fr, en")
            sub.add_argument("--format", required=True, help="pdf, docx, xlsx")
            sub.add_argument("--output", required=True, metavar="FILE", help=_("file to write"))

    def handle(self, *args: Any, **options: Any) -> None:
        language, format_ = options["language"], options["format"]
        if language not in INTERFACE_LANGUAGES:
            raise CommandError(
                _("Unknown language %(language)s: choose one of %(languages)s.")
                % {"language": language, "languages": ", ".join(INTERFACE_LANGUAGES)}
            )
        if format_ not in ReportFormat.values:
            raise CommandError(
                _("Unknown format %(format)s: choose one of %(formats)s.")
                % {"format": format_, "formats": ", ".join(ReportFormat.values)}
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist.") % {"folder": output.parent}
            )
        try:
            report_file = getattr(self, f"_{options['kind']}")(options, language, format_)
        except MizanError as error:
            raise CommandError(str(error.message)) from error
        try:
            output.write_bytes(report_file.content)
        except OSError as error:
            output.unlink(missing_ok=True)
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": error}
            ) from error
        self.stderr.write(_("Report written to %(file)s.") % {"file": output})

    def _followup(self, options: dict[str, Any], language: str, format_: str) -> ReportFile:
        from tqdm import tqdm

        from mizan.recommendations.models import SourceDocument
        from mizan.reports.followup import follow_up_report
        from mizan.reports.followup_writers import write_follow_up

        symbol = options["document"]
        document = SourceDocument.objects.filter(symbol=symbol).first()
        if document is None:
            raise CommandError(_("No document has the symbol %(symbol)s.") % {"symbol": symbol})
        with tqdm(
            total=1,
            file=cast(TextIO, self.stderr._out),
            unit=str(_("step")),
            disable=bool(options["verbosity"] < 1),
        ) as bar:
            steps = 1

            def progress(done: int, total: int, step: str) -> None:
                nonlocal steps
                # One step more than the report's own: writing the file.
                steps = total + 1
                bar.total = steps
                bar.n = done
                bar.set_description(step)

            report = follow_up_report(document, language=language, progress=progress)
            bar.set_description(_("Writing the file"))
            bar.refresh()
            report_file = write_follow_up(report, format_)
            bar.n = steps
            bar.refresh()
        return report_file

    def _session(self, options: dict[str, Any], language: str, format_: str) -> ReportFile:
        from mizan.reports import training_reports
        from mizan.training.models import TrainingSession

        session = TrainingSession.objects.filter(pk=options["session"]).first()
        if session is None:
            raise CommandError(_("No session has the id %(id)s.") % {"id": options["session"]})
        return training_reports.session_report_file(session, language=language, format=format_)

    def _version(self, options: dict[str, Any], language: str, format_: str) -> ReportFile:
        from mizan.reports import training_reports
        from mizan.training.models import CurriculumVersion

        version = CurriculumVersion.objects.filter(pk=options["version"]).first()
        if version is None:
            raise CommandError(
                _("No curriculum version has the id %(id)s.") % {"id": options["version"]}
            )
        return training_reports.version_report_file(version, language=language, format=format_)
