"""``mizan import recommendations FILE`` and ``mizan import vocabulary FILE --code CODE``.

Both write every row of the file or none: a file with problems is reported line by line on
standard error and the command exits with status 1.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from mizan.accounts.models import User
from mizan.recommendations.importers import (
    FORMATS,
    ImportProblem,
    ImportRejected,
    ImportSummary,
    import_recommendations,
    import_vocabulary,
)

#: Below this many lines (CSV) or bytes (XLSX, JSON) a progress bar would only flicker.
PROGRESS_MIN_LINES = 5000
PROGRESS_MIN_BYTES = 1_000_000


class Command(BaseCommand):
    help = "Import recommendations or a vocabulary from a file: every row, or none."

    def add_arguments(self, parser: ArgumentParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        recommendations = kinds.add_parser(
            "recommendations",
            help="Recommendations from a CSV, XLSX or JSON file.",
            description=(
                "Fields: document, mechanism, paragraph, text, language, recommending_state, "
                "position, external_id, state_under_review, document_date, cycle, status, "
                "nhri_status, and tags:<vocabulary code> (term codes or labels separated by "
                "';'). status (the state's assessment) and nhri_status (the NHRI's) set the "
                "latest assessment of each voice as given: the import records no dated "
                "assessment, with rationale and evidence, in their timelines."
            ),
        )
        recommendations.add_argument("file", help="The file to import.")
        recommendations.add_argument(
            "--format", choices=FORMATS, help="The file's format (default: from its extension)."
        )
        recommendations.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and count what would change, without writing anything.",
        )
        recommendations.add_argument(
            "--map",
            action="append",
            default=[],
            dest="mapping",
            metavar="SOURCE=FIELD",
            help="Read the file's column SOURCE as FIELD (repeatable).",
        )
        recommendations.add_argument(
            "--create-terms",
            action="store_true",
            help="Add unknown tags to their vocabulary instead of refusing the file.",
        )
        recommendations.add_argument("--user", help="Username the history records name.")
        vocabulary = kinds.add_parser(
            "vocabulary",
            help="A vocabulary's terms from a CSV file.",
            description="Columns: code, label (English), and optionally parent, label_fr, "
            "label_ar.",
        )
        vocabulary.add_argument("file", help="The CSV file to import.")
        vocabulary.add_argument("--code", required=True, help="The vocabulary's code.")
        vocabulary.add_argument("--name", help="The vocabulary's name (English).")
        vocabulary.add_argument("--user", help="Username the history records name.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        by = self._user(options.get("user"))
        try:
            if options["kind"] == "vocabulary":
                summary = import_vocabulary(
                    data, code=options["code"], name=options.get("name"), by=by
                )
            else:
                summary = self._import_recommendations(path, data, options, by)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(describe_problem(problem))
            raise CommandError(rejected.message) from None
        self.stdout.write(describe_summary(summary, kind=options["kind"]))

    def _import_recommendations(
        self, path: Path, data: bytes, options: dict[str, Any], by: User | None
    ) -> ImportSummary:
        file_format = options.get("format") or path.suffix.lower().lstrip(".")
        if file_format not in FORMATS:
            raise CommandError(
                _("Cannot tell the format of %(path)s; give --format (%(formats)s).")
                % {"path": path, "formats": ", ".join(FORMATS)}
            )
        mapping: dict[str, str] = {}
        for item in options["mapping"]:
            source, equals, target = item.rpartition("=")
            if not equals or not source.strip() or not target.strip():
                raise CommandError(_("--map takes SOURCE=FIELD, not %(value)s.") % {"value": item})
            mapping[source.strip()] = target.strip()
        # Only a CSV file's lines can be counted without parsing it (less its header).
        rows = max(data.count(b"\n") - 1, 0) if file_format == "csv" else None
        small = rows < PROGRESS_MIN_LINES if rows is not None else len(data) < PROGRESS_MIN_BYTES
        # Each row is checked, then written (unless this is a dry run): the bar counts
        # those steps and shows them as rows.
        steps = 1 if options["dry_run"] else 2
        with tqdm(
            total=steps * rows if rows else None,
            unit_scale=1 / steps,
            bar_format=(
                "{l_bar}{bar}| {n:.0f}/{total:.0f} rows [{elapsed}<{remaining}]"
                if rows
                else "{n:.0f} rows [{elapsed}]"
            ),
            file=sys.stderr,
            disable=small or not sys.stderr.isatty(),
            leave=False,
        ) as bar:

            def progress(done: int) -> None:
                bar.update(done)

            return import_recommendations(
                data,
                format=file_format,
                mapping=mapping,
                create_terms=options["create_terms"],
                dry_run=options["dry_run"],
                by=by,
                progress=progress,
            )

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user %(username)s.") % {"username": username})
        return user


def describe_problem(problem: ImportProblem) -> str:
    values = {"line": problem.line, "column": problem.column, "reason": problem.reason}
    if problem.line is not None and problem.column:
        return _("Line %(line)s, column %(column)s: %(reason)s") % values
    if problem.line is not None:
        return _("Line %(line)s: %(reason)s") % values
    if problem.column:
        return _("Column %(column)s: %(reason)s") % values
    return problem.reason


def describe_summary(summary: ImportSummary, *, kind: str) -> str:
    values = {
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "documents": summary.documents_created,
        "terms": summary.terms_created,
    }
    if kind == "vocabulary":
        return (
            _("Terms: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % values
        )
    if summary.dry_run:
        return (
            _(
                "Dry run, nothing was written. Recommendations: %(created)s would be "
                "created, %(updated)s updated, %(unchanged)s unchanged; new documents: "
                "%(documents)s; new terms: %(terms)s."
            )
            % values
        )
    return (
        _(
            "Recommendations: %(created)s created, %(updated)s updated, %(unchanged)s "
            "unchanged; new documents: %(documents)s; new terms: %(terms)s."
        )
        % values
    )
