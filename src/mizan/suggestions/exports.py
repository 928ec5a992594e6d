"""The list of suggestions as a reader may see it, and its export (CSV or XLSX): the
filters the list page, the export and the CLI share, the authors a reader may see, the
committee's outcome they may read, and the rows of the export.

Who wrote a suggestion is shown only under ``suggestions.view_author``: during blind
review a reviewer learns it from no row, cell or filter (there is no filter by author,
and the free-text search reads the suggestion's text only). Outcomes are those of
``decisions_visible_to``: released ones, and unreleased ones for the round's readers.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any, BinaryIO

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from mizan.core.errors import MizanError
from mizan.recommendations.exporters import neutralise_formula
from mizan.suggestions.enums import Category, Subject, SuggestionStatus
from mizan.suggestions.models import Suggestion, SuggestionDecision
from mizan.suggestions.queries import authors_visible_to, decisions_visible_to, rounds_visible_to
from mizan.suggestions.services.intake import author_name

#: format → (content type, file extension)
EXPORT_CONTENT_TYPES: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
EXPORT_FORMATS = tuple(EXPORT_CONTENT_TYPES)
#: Suggestions read per chunk of the export; their decisions and versions take a query each.
CHUNK_SIZE = 500

_REFERENCE = re.compile(r"^s-?0*(\d{1,12})$", re.IGNORECASE)


def _id(value: Any) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 18 else None


# --- Filters -----------------------------------------------------------------------------


@dataclass
class SuggestionFilters:
    """The filters of the list page, its export and the CLI. None filters by author."""

    q: str = ""
    status: str = ""
    subject: str = ""
    category: str = ""
    language: str = ""
    session: int | None = None
    curriculum: int | None = None
    round: int | None = None

    @classmethod
    def from_query(cls, query: Any) -> SuggestionFilters:
        """Read the filters from query parameters; unknown values are dropped."""

        def choice(name: str, allowed: Iterable[str]) -> str:
            value = str(query.get(name) or "")
            return value if value in allowed else ""

        return cls(
            q=str(query.get("q") or "").strip()[:200],
            status=choice("status", SuggestionStatus.values),
            subject=choice("subject", Subject.values),
            category=choice("category", Category.values),
            language=choice("language", dict(settings.LANGUAGES)),
            session=_id(query.get("session")),
            curriculum=_id(query.get("curriculum")),
            round=_id(query.get("round")),
        )

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.q,
                self.status,
                self.subject,
                self.category,
                self.language,
                self.session,
                self.curriculum,
                self.round,
            )
        )

    def apply(self, suggestions: QuerySet[Suggestion], user: Any) -> QuerySet[Suggestion]:
        """Filter ``suggestions`` (which start from ``suggestions_visible_to(user)``). A
        review round ``user`` may not read matches nothing: which suggestions it holds
        is for its readers."""
        if self.q:
            reference = _REFERENCE.match(self.q)
            match = Q(text__icontains=self.q)
            if reference:
                match |= Q(pk=int(reference.group(1)))
            suggestions = suggestions.filter(match)
        for name in ("status", "subject", "category", "language"):
            if getattr(self, name):
                suggestions = suggestions.filter(**{name: getattr(self, name)})
        if self.session is not None:
            suggestions = suggestions.filter(session_id=self.session)
        if self.curriculum is not None:
            suggestions = suggestions.filter(curriculum_id=self.curriculum)
        if self.round is not None:
            if not rounds_visible_to(user).filter(pk=self.round).exists():
                return suggestions.none()
            suggestions = suggestions.filter(review_rounds__pk=self.round)
        return suggestions


# --- What a reader sees of a suggestion --------------------------------------------------


def for_reading(suggestions: QuerySet[Suggestion], user: Any) -> QuerySet[Suggestion]:
    """``suggestions`` with what a list shows, in a fixed number of queries: subject,
    session, the author's records (shown only through ``authors_shown_to``) and, as
    ``visible_decisions``, the decisions ``user`` may read, latest first."""
    decisions = (
        decisions_visible_to(user)
        .select_related("round", "merged_into")
        .order_by("-decided_at", "-pk")
    )
    return suggestions.select_related(
        "curriculum",
        "module__version__curriculum",
        "objective__module",
        "session",
        "author_user",
        "author_enrolment__participant",
    ).prefetch_related(Prefetch("decisions", queryset=decisions, to_attr="visible_decisions"))


def latest_decision(suggestion: Suggestion) -> SuggestionDecision | None:
    """The latest decision on ``suggestion`` its reader may see (after ``for_reading``)."""
    decisions = getattr(suggestion, "visible_decisions", None)
    return decisions[0] if decisions else None


def authors_shown_to(user: Any, suggestions: Sequence[Suggestion]) -> dict[int, str]:
    """Suggestion id → its author's name, for those of ``suggestions`` whose author
    ``user`` may see (``queries.authors_visible_to``). Anonymous suggestions have no
    author and are left out."""
    visible = authors_visible_to(user, suggestions)
    shown = {}
    for suggestion in suggestions:
        if suggestion.pk in visible:
            name = author_name(suggestion)
            if name:
                shown[suggestion.pk] = name
    return shown


def subject_label(suggestion: Suggestion) -> str:
    """What the suggestion is about, in words: the objective, the module, or the kind."""
    if suggestion.objective_id is not None and suggestion.objective is not None:
        return str(suggestion.objective)
    if suggestion.module_id is not None and suggestion.module is not None:
        return suggestion.module.title
    return str(suggestion.get_subject_display())


# --- The export --------------------------------------------------------------------------


def export_columns() -> list[str]:
    return [
        _("Reference"),
        _("Submitted"),
        _("About"),
        _("Curriculum"),
        _("Module"),
        _("Learning objective"),
        _("Category"),
        _("Language"),
        _("Suggestion"),
        _("Session"),
        _("Status"),
        _("Outcome"),
        _("Rationale"),
        _("Integrated in"),
        _("Author"),
    ]


def export_rows(suggestions: QuerySet[Suggestion], user: Any) -> Iterator[list[str]]:
    """One row per suggestion of ``suggestions`` (which start from
    ``suggestions_visible_to(user)``), in their order, read ``CHUNK_SIZE`` at a time. The
    author's cell holds their name only where ``user`` may see it, "anonymous" for an
    anonymous suggestion, and nothing otherwise."""
    queryset = for_reading(suggestions, user).prefetch_related("changelog_entries__version")
    anonymous = _("anonymous")
    for chunk in batched(queryset.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        authors = authors_shown_to(user, chunk)
        for suggestion in chunk:
            decision = latest_decision(suggestion)
            versions = sorted(
                {entry.version for entry in suggestion.changelog_entries.all()},
                key=lambda version: (version.curriculum_id, version.number),
            )
            yield [
                suggestion.reference,
                timezone.localtime(suggestion.submitted_at).date().isoformat(),
                str(suggestion.get_subject_display()),
                suggestion.curriculum.title if suggestion.curriculum else "",
                suggestion.module.title if suggestion.module else "",
                str(suggestion.objective) if suggestion.objective else "",
                str(suggestion.get_category_display()),
                str(suggestion.get_language_display()),
                suggestion.text,
                suggestion.session.title if suggestion.session else "",
                str(suggestion.get_status_display()),
                _outcome(decision),
                decision.rationale if decision else "",
                "; ".join(str(version) for version in versions),
                anonymous if suggestion.anonymous else authors.get(suggestion.pk, ""),
            ]


def _outcome(decision: SuggestionDecision | None) -> str:
    if decision is None:
        return ""
    if decision.merged_into_id is not None and decision.merged_into is not None:
        return _("%(outcome)s: %(reference)s") % {
            "outcome": decision.get_outcome_display(),
            "reference": decision.merged_into.reference,
        }
    return str(decision.get_outcome_display())


def export_suggestions(
    suggestions: QuerySet[Suggestion], *, user: Any, format: str, output: BinaryIO
) -> None:
    """Write ``suggestions`` as ``user`` may read them to ``output`` as ``format``. Cells a
    spreadsheet would run as formulas are neutralised."""
    if format not in EXPORT_CONTENT_TYPES:
        raise MizanError(
            _("Unknown export format: %(format)s. Choose one of: %(formats)s.")
            % {"format": format, "formats": ", ".join(EXPORT_FORMATS)},
            field="format",
        )
    writer = _write_csv if format == "csv" else _write_xlsx
    writer(export_columns(), export_rows(suggestions, user), output)


def _write_csv(columns: list[str], rows: Iterable[list[str]], output: BinaryIO) -> None:
    # The byte-order mark makes Excel read the file as UTF-8 (Arabic would garble);
    # quoting every cell is part of OWASP's advice against formula injection.
    output.write(codecs.BOM_UTF8)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([neutralise_formula(column) for column in columns])
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralise_formula(cell) for cell in row])
        if count % CHUNK_SIZE == 0:
            output.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    output.write(buffer.getvalue().encode("utf-8"))


def _write_xlsx(columns: list[str], rows: Iterable[list[str]], output: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Suggestions")[:31])

    def cells(values: Iterable[str]) -> list[Any]:
        row: list[Any] = []
        for value in values:
            if not value:
                row.append(None)
                continue
            cell = WriteOnlyCell(
                sheet, value=neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
            )
            # Always a string, never a formula, whatever the value looks like.
            cell.data_type = "s"
            row.append(cell)
        return row

    sheet.append(cells(columns))
    for row in rows:
        sheet.append(cells(row))
    workbook.save(output)
