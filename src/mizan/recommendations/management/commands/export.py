"""``mizan export recommendations``: write the registry, or part of it, as CSV, XLSX or JSON.

Takes the same filters as the recommendation list page, so an operator can export exactly
what a page shows.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, BinaryIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mizan.core.errors import MizanError
from mizan.recommendations.exporters import EXPORT_CONTENT_TYPES, export_recommendations
from mizan.recommendations.models import Recommendation
from mizan.recommendations.queries import RecommendationFilters

#: Options that map one-to-one to a list filter, each repeatable.
LIST_FILTERS = {
    "mechanism": gettext_noop("mechanism code, e.g. CMW"),
    "document": gettext_noop("document symbol, e.g. CMW/C/MAR/CO/2"),
    "state": gettext_noop("state under review"),
    "status": gettext_noop("the state's assessment of implementation, e.g. in_progress"),
    "nhri_status": gettext_noop(
        "the NHRI's assessment of implementation, e.g. implemented, or not_assessed"
    ),
    "position": gettext_noop("position of the state, e.g. supported"),
    "institution": gettext_noop("code of a responsible institution"),
}


class Command(BaseCommand):
    help = gettext_noop(
        "Export recommendations, one row per text, in the columns the importer reads."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["recommendations"], help=_("what to export"))
        parser.add_argument(
            "--format",
            choices=list(EXPORT_CONTENT_TYPES),
            help=_("file format (default: from the output file's extension, else csv)"),
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help=_("file to write (default: standard output, for csv and json)"),
        )
        parser.add_argument("--q", default="", help=_("words to search for"))
        for name, help_text in LIST_FILTERS.items():
            parser.add_argument(f"--{name}", action="append", default=[], help=_(help_text))
        parser.add_argument(
            "--disagree",
            action="store_true",
            help=_("only recommendations where the state's and the NHRI's assessments differ"),
        )
        parser.add_argument(
            "--tag",
            action="append",
            default=[],
            metavar="VOCAB=TERM",
            help=_("a confirmed term, e.g. sdg_goals=5; repeat for more"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output_path = Path(options["output"]) if options["output"] else None
        format_ = self._format(options["format"], output_path)
        # The command line is the server's operator, who may see the whole registry; the
        # filters narrow it exactly as the list page's do.
        queryset = self._filters(options).apply(Recommendation.objects.all())
        if output_path is None:
            self._to_stdout(queryset, format_)
            return
        try:
            with output_path.open("wb") as output:
                export_recommendations(queryset, format=format_, output=output)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output_path, "error": error}
            ) from error
        except MizanError as error:
            output_path.unlink(missing_ok=True)
            raise CommandError(str(error.message)) from error
        self.stderr.write(_("Exported to %(file)s.") % {"file": output_path})

    def _format(self, requested: str | None, output_path: Path | None) -> str:
        if requested:
            format_ = requested
        elif output_path is not None and output_path.suffix.lower().lstrip(".") in (
            EXPORT_CONTENT_TYPES
        ):
            format_ = output_path.suffix.lower().lstrip(".")
        else:
            format_ = "csv"
        if format_ == "xlsx" and output_path is None:
            raise CommandError(_("An XLSX export needs a file: add --output FILE.xlsx."))
        return format_

    def _filters(self, options: dict[str, Any]) -> RecommendationFilters:
        params: dict[str, Any] = {"q": options["q"], "disagree": options["disagree"]}
        for name in LIST_FILTERS:
            params[name] = options[name]
        for tag in options["tag"]:
            vocabulary, separator, term = tag.partition("=")
            if not (separator and vocabulary.strip() and term.strip()):
                raise CommandError(
                    _("Write a tag filter as VOCABULARY=TERM, not %(tag)s.") % {"tag": tag}
                )
            params.setdefault(f"tag:{vocabulary.strip()}", []).append(term.strip())
        return RecommendationFilters.from_query(params)

    def _to_stdout(self, queryset: Any, format_: str) -> None:
        binary: BinaryIO | None = getattr(self.stdout._out, "buffer", None)
        if binary is not None:
            self.stdout.flush()
            export_recommendations(queryset, format=format_, output=binary)
            binary.flush()
            return
        # A text stream without a byte buffer (call_command with a StringIO): export to
        # memory and hand it the decoded text.
        buffer = io.BytesIO()
        export_recommendations(queryset, format=format_, output=buffer)
        self.stdout.write(buffer.getvalue().decode("utf-8"), ending="")
