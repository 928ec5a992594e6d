"""``mizan intake FILE --document SYMBOL``: the recommendations of a UN document (PDF,
DOCX or plain text) as a CSV file that ``mizan import recommendations`` reads unchanged.

Nothing is written to the registry: check the file, then import it. A summary and the
warnings (paragraphs skipped, states not found) go to standard error, so that the CSV can
go to standard output.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mizan.assist.intake import guess_mechanism, read_document, write_csv
from mizan.assist.intake_readers import UnreadableDocument
from mizan.core.languages import CONTENT_LANGUAGES


class Command(BaseCommand):
    help = (
        "Read the recommendations of a UN document (PDF, DOCX or plain text) into a CSV "
        "file for `mizan import recommendations`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The document: PDF, DOCX or plain text.")
        parser.add_argument(
            "--document", required=True, help="The document's symbol, e.g. CMW/C/MAR/CO/2."
        )
        parser.add_argument(
            "--mechanism", default="", help="Mechanism code (default: from the symbol)."
        )
        parser.add_argument(
            "--language",
            choices=CONTENT_LANGUAGES,
            help="The document's language (default: recognised from its text).",
        )
        parser.add_argument(
            "--state-under-review",
            default="",
            help="The state under review, for a document the registry does not hold yet "
            "(a treaty body's symbol names it already).",
        )
        parser.add_argument("--output", help="Write the CSV here instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        try:
            result = read_document(data, language=options.get("language"))
        except UnreadableDocument as error:
            raise CommandError(f"{path}: {error.message}") from None
        symbol = options["document"].strip()
        mechanism = options["mechanism"].strip().upper() or guess_mechanism(symbol)
        content = write_csv(
            result.rows,
            document=symbol,
            mechanism=mechanism,
            state_under_review=options["state_under_review"].strip(),
        )
        for warning in result.warnings:
            self.stderr.write(warning)
        if result.symbol and result.symbol.casefold() != symbol.casefold():
            self.stderr.write(
                _("Warning: the document's pages name %(found)s, not %(given)s.")
                % {"found": result.symbol, "given": symbol}
            )
        if not mechanism:
            self.stderr.write(
                _(
                    "Warning: no mechanism given and none recognised in %(symbol)s; give "
                    "--mechanism unless the registry holds the document already."
                )
                % {"symbol": symbol}
            )
        if options.get("output"):
            Path(options["output"]).write_text(content, encoding="utf-8")
        else:
            self.stdout.write(content, ending="")
        self.stderr.write(
            _(
                "%(count)s recommendations found in %(path)s (%(layout)s, %(language)s); "
                "%(warnings)s warnings."
            )
            % {
                "count": len(result.rows),
                "path": path.name,
                "layout": result.layout,
                "language": result.language,
                "warnings": len(result.warnings),
            }
        )
