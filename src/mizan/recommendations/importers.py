"""Reading recommendation and vocabulary files (CSV, XLSX, JSON) into the registry.

An import is all or nothing. Every row is checked first, in one streaming pass against
lookups loaded once (mechanisms, documents, terms and the recommendations already
registered); only a file without a single problem is written, in batches inside one
transaction, each created or changed record with its history row. The CLI
(``mizan import``) and the staff upload page both call these functions.

The rules a recommendation file follows:

* Required columns: ``document``, ``paragraph``, ``text``, ``language``; optional:
  ``mechanism``, ``recommending_state``, ``position``, ``external_id``, ``status``,
  ``nhri_status``,
  ``state_under_review``, ``document_date``, ``cycle`` and ``tags:<vocabulary code>``.
  Other columns are ignored (a mapping can name them).
* A row is one recommendation's text in one language. It is the same recommendation as
  a registered one (or an earlier row) with the same ``external_id``, else the same
  document, paragraph and recommending state; another language adds a text, the same
  language twice in one file is an error. Counts are of recommendations, not rows.
* An empty cell never clears a value, and an import never removes texts or tags.
* A new document needs ``mechanism`` on its first row. Its state under review is the
  row's ``state_under_review``, else the state of every registered document when they all
  name the same one (an NHRI's registry is about its own state), else the country code of
  a treaty-body symbol (``CMW/C/MAR/CO/2`` → MAR); otherwise the row is refused. Details
  of registered documents are never changed by an import.
* ``status`` and ``nhri_status`` (the state's and the NHRI's latest assessment of
  implementation) are set as given; an import records no dated assessment.
* An unknown mechanism is refused, except the UN mechanisms of ``KNOWN_MECHANISMS``
  (UPR and the treaty bodies), which are created with their names in three languages.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache, lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any, BinaryIO

import openpyxl
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mizan.accounts.models import User
from mizan.core.errors import MizanError
from mizan.core.languages import CONTENT_LANGUAGES, INTERFACE_LANGUAGES
from mizan.recommendations.enums import (
    ImplementationStatus,
    MechanismKind,
    Position,
    TaggingSource,
)
from mizan.recommendations.exporters import FORMULA_TRIGGERS
from mizan.recommendations.models import (
    Mechanism,
    Recommendation,
    RecommendationText,
    SourceDocument,
    Tagging,
    Term,
    Vocabulary,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

FORMATS = ("csv", "xlsx", "json")
#: Fields a recommendation file may hold, besides ``tags:<vocabulary code>`` columns.
RECOMMENDATION_FIELDS = (
    "document",
    "mechanism",
    "paragraph",
    "text",
    "language",
    "recommending_state",
    "position",
    "external_id",
    "state_under_review",
    "document_date",
    "cycle",
    "status",
    "nhri_status",
)
REQUIRED_FIELDS = ("document", "paragraph", "text", "language")
TAGS_PREFIX = "tags:"
VOCABULARY_FIELDS = ("code", "label", "parent")
PREVIEW_ROWS = 20
#: Recommendations written per round of bulk inserts: large enough that the per-query cost
#: vanishes, small enough that the model instances of one round stay a few MB.
BATCH_SIZE = 2000
#: Rows checked between two calls of the ``progress`` callback.
PROGRESS_EVERY = 1000
CHANGE_REASON = "import"

#: Mechanisms an import may create when a file names them; any other code must be
#: registered first, so a typo never becomes a new mechanism.
KNOWN_MECHANISMS: dict[str, tuple[str, dict[str, str]]] = {
    "UPR": (
        MechanismKind.UPR,
        {
            "en": "Universal Periodic Review",
            "fr": "Examen périodique universel",
            "ar": "الاستعراض الدوري الشامل",
        },
    ),
    "CMW": (
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee on Migrant Workers",
            "fr": "Comité des travailleurs migrants",
            "ar": "اللجنة المعنية بالعمال المهاجرين",
        },
    ),
    "CAT": (
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee against Torture",
            "fr": "Comité contre la torture",
            "ar": "لجنة مناهضة التعذيب",
        },
    ),
    "CCPR": (
        MechanismKind.TREATY_BODY,
        {
            "en": "Human Rights Committee",
            "fr": "Comité des droits de l'homme",
            "ar": "اللجنة المعنية بحقوق الإنسان",
        },
    ),
    "CESCR": (
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee on Economic, Social and Cultural Rights",
            "fr": "Comité des droits économiques, sociaux et culturels",
            "ar": "اللجنة المعنية بالحقوق الاقتصادية والاجتماعية والثقافية",
        },
    ),
    "CEDAW": (
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee on the Elimination of Discrimination against Women",
            "fr": "Comité pour l'élimination de la discrimination à l'égard des femmes",
            "ar": "اللجنة المعنية بالقضاء على التمييز ضد المرأة",
        },
    ),
    "CRC": (
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee on the Rights of the Child",
            "fr": "Comité des droits de l'enfant",
            "ar": "لجنة حقوق الطفل",
        },
    ),
    "CERD": (
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee on the Elimination of Racial Discrimination",
            "fr": "Comité pour l'élimination de la discrimination raciale",
            "ar": "لجنة القضاء على التمييز العنصري",
        },
    ),
    "CRPD": (
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee on the Rights of Persons with Disabilities",
            "fr": "Comité des droits des personnes handicapées",
            "ar": "اللجنة المعنية بحقوق الأشخاص ذوي الإعاقة",
        },
    ),
    "CED": (
        MechanismKind.TREATY_BODY,
        {
            "en": "Committee on Enforced Disappearances",
            "fr": "Comité des disparitions forcées",
            "ar": "اللجنة المعنية بحالات الاختفاء القسري",
        },
    ),
    "SPT": (
        MechanismKind.TREATY_BODY,
        {
            "en": "Subcommittee on Prevention of Torture",
            "fr": "Sous-comité pour la prévention de la torture",
            "ar": "اللجنة الفرعية لمنع التعذيب",
        },
    ),
}

#: How states' responses are written in UPR matrices and addenda, besides the enum's own
#: values and labels (compared without case, accents or punctuation).
POSITION_SPELLINGS: dict[str, tuple[str, ...]] = {
    Position.SUPPORTED: (
        "supported",
        "support",
        "accepted",
        "accept",
        "agreed",
        "soutenue",
        "soutenu",
        "soutenues",
        "soutenus",
        "acceptee",
        "accepte",
        "acceptees",
        "acceptes",
        "appuyee",
        "appuye",
        "appuyees",
        "appuyes",
        "مؤيدة",
        "مقبولة",
    ),
    Position.PARTIALLY_SUPPORTED: (
        "partially supported",
        "partially accepted",
        "partly supported",
        "partly accepted",
        "supported in part",
        "partiellement soutenue",
        "partiellement soutenu",
        "partiellement acceptee",
        "partiellement accepte",
        "partiellement appuyee",
        "partiellement appuye",
        "مؤيدة جزئيا",
        "مقبولة جزئيا",
    ),
    Position.NOTED: (
        "noted",
        "not supported",
        "not accepted",
        "rejected",
        "notee",
        "note",
        "notees",
        "prise en note",
        "pris note",
        "prend note",
        "non soutenue",
        "non acceptee",
        "rejetee",
        "أحيط بها علما",
        "أحيط علما",
        "مرفوضة",
    ),
    Position.PENDING: ("pending", "en attente", "en suspens", "قيد النظر"),
}
STATUS_SPELLINGS: dict[str, tuple[str, ...]] = {
    ImplementationStatus.NOT_STARTED: ("non commencee", "pas commencee", "لم يبدأ"),
    ImplementationStatus.IN_PROGRESS: ("en cours", "ongoing", "قيد التنفيذ"),
    ImplementationStatus.PARTIALLY_IMPLEMENTED: (
        "partiellement mise en oeuvre",
        "partially",
        "منفذة جزئيا",
    ),
    ImplementationStatus.IMPLEMENTED: ("mise en oeuvre", "done", "completed", "منفذة"),
    ImplementationStatus.NOT_IMPLEMENTED: ("non mise en oeuvre", "not implemented", "غير منفذة"),
}

_XLSX_MAGIC = b"PK\x03\x04"
_VOCABULARY_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")
_TREATY_BODY_SYMBOL = re.compile(r"^[A-Z]+/C/([A-Z]{3})/", re.IGNORECASE)


# --- The public API ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """Why one line (or the whole file, ``line`` None) cannot be imported."""

    line: int | None
    column: str
    reason: str


class ImportRejected(MizanError):
    """The file has problems; nothing was written. ``problems`` lists each one."""

    code = "import_rejected"

    def __init__(self, problems: Iterable[ImportProblem]):
        self.problems: list[ImportProblem] = sorted(
            problems, key=lambda p: (p.line is not None, p.line or 0)
        )
        count = len(self.problems)
        super().__init__(
            ngettext(
                "The file was not imported: %(count)s problem was found.",
                "The file was not imported: %(count)s problems were found.",
                count,
            )
            % {"count": count}
        )


@dataclass
class ImportSummary:
    """What an import created, updated and left unchanged (counted in recommendations for
    a recommendation file, in terms for a vocabulary file)."""

    created: int
    updated: int
    unchanged: int
    problems: list[ImportProblem]
    dry_run: bool
    preview: list[dict[str, str]]
    documents_created: int = 0
    terms_created: int = 0


def read_table(
    data: bytes, *, format: str
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The column names and the rows (line number, {column: value}) of a CSV, XLSX or JSON
    file, read lazily. Raises :class:`ImportRejected` for a file that cannot be read at all;
    rows that cannot be read (bad encoding) make the iterator raise it once exhausted."""
    table = _open_table(data, format)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for line, values in table.rows:
            yield (
                line,
                {name: value for name, value in zip(table.headers, values, strict=True) if name},
            )
        if table.problems:
            raise ImportRejected(table.problems)

    return table.headers, rows()


def import_recommendations(
    data: bytes | BinaryIO,
    *,
    format: str,
    mapping: dict[str, str] | None = None,
    create_terms: bool = False,
    dry_run: bool = False,
    by: User | AnonymousUser | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Create or update the recommendations of a file, with their texts and tags.

    ``mapping`` renames source columns to fields (``{"Recommendation": "text"}``). A row is
    the text of one recommendation in one language; it is matched to a registered
    recommendation by ``external_id``, else by document, paragraph and recommending state.
    Raises :class:`ImportRejected` (nothing written) if any row is bad; ``dry_run`` checks
    and counts but never writes. ``progress(n)`` is told, now and then, that ``n`` more rows
    were checked or written: an import makes two steps per row, a dry run one.
    """
    table = _open_table(data, format)
    plan = _RecommendationPlan(create_terms=create_terms)
    plan.bind(table.headers, mapping or {})
    plan.check(table.rows, progress)
    problems = plan.problems + table.problems
    if problems:
        raise ImportRejected(problems)
    summary = plan.summary(dry_run=dry_run)
    if not dry_run:
        plan.write(by=_acting_user(by), progress=progress)
        from mizan.recommendations.signals import recommendations_imported

        recommendations_imported.send(sender=ImportSummary, summary=summary)
    return summary


def import_vocabulary(
    data: bytes, *, code: str, name: str | None = None, by: User | AnonymousUser | None = None
) -> ImportSummary:
    """Create or update a vocabulary and its terms from a CSV file
    (``code,label[,parent][,label_fr][,label_ar]``; ``label`` is English).

    A term's parent is given by code and may come later in the file; a term's position is
    its line order. Terms of the vocabulary that the file does not name are kept.
    Raises :class:`ImportRejected` (nothing written) if any line is bad.
    """
    plan = _VocabularyPlan(code=code.strip(), name=(name or "").strip())
    table = _open_table(data, "csv")
    plan.bind(table.headers)
    plan.check(table.rows)
    problems = plan.problems + table.problems
    if problems:
        raise ImportRejected(problems)
    summary = plan.summary()
    plan.write(by=_acting_user(by))
    return summary


def _acting_user(by: User | AnonymousUser | None) -> User | None:
    """The user the history rows and taggings name; nobody for a signed-out request."""
    return by if isinstance(by, User) and by.pk else None


def _pk(value: int | None) -> int:
    """The id of a record the write has created by now (documents, terms, …)."""
    assert value is not None
    return value


# --- Reading files -------------------------------------------------------------------------


@dataclass
class _Table:
    """A file's column names and its rows (line, values in column order), read lazily;
    ``problems`` fills up while the rows are read (lines that are not UTF-8, …)."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    problems: list[ImportProblem] = field(default_factory=list)


def _open_table(data: bytes | BinaryIO, format: str) -> _Table:
    format = (format or "").strip().lower().lstrip(".")
    if format == "csv":
        return _csv_table(data)
    if format == "xlsx":
        return _xlsx_table(data if isinstance(data, bytes) else data.read())
    if format == "json":
        return _json_table(data if isinstance(data, bytes) else data.read())
    raise ImportRejected(
        [
            ImportProblem(
                None,
                "",
                _("Unknown file format %(format)s; use one of %(formats)s.")
                % {"format": format, "formats": ", ".join(FORMATS)},
            )
        ]
    )


def _not_utf8(line: int) -> ImportProblem:
    return ImportProblem(
        line,
        "",
        _(
            "This line is not UTF-8 text. Save the file as UTF-8 (“CSV UTF-8” in Excel) "
            "and import it again."
        ),
    )


def _check_headers(headers: list[str], line: int | None) -> None:
    seen: set[str] = set()
    problems = []
    for name in headers:
        key = name.casefold()
        if key and key in seen:
            problems.append(ImportProblem(line, name, _("This column appears more than once.")))
        seen.add(key)
    if not any(headers):
        problems.append(ImportProblem(line, "", _("The file has no column names.")))
    if problems:
        raise ImportRejected(problems)


def _csv_table(data: bytes | BinaryIO) -> _Table:
    # Lines are decoded one by one (UTF-8 never holds a newline byte inside a character),
    # so a byte that is not UTF-8 is reported on its own line rather than somewhere in a
    # buffer of 8 KB.
    raw_lines: Iterator[bytes] = (
        iter(io.BytesIO(data).readline, b"")
        if isinstance(data, bytes)
        else iter(data.readline, b"")
    )
    first = next(raw_lines, b"")
    if first.startswith(_XLSX_MAGIC):
        raise ImportRejected(
            [
                ImportProblem(
                    None,
                    "",
                    _("This is a spreadsheet (XLSX) file, not CSV; import it as XLSX."),
                )
            ]
        )
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
    try:
        header_line = first.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportRejected([_not_utf8(1)]) from None
    if not header_line.strip():
        raise ImportRejected([ImportProblem(None, "", _("The file is empty."))])
    # Excel writes CSV with ";" where the decimal separator is a comma (French, Arabic
    # settings): take whichever separator the header line uses most.
    delimiter = max((",", ";", "\t"), key=header_line.count)
    table = _Table(headers=[], rows=iter(()))
    bad_lines: set[int] = set()

    def decoded() -> Iterator[str]:
        yield header_line
        for number, raw in enumerate(raw_lines, 2):
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                bad_lines.add(number)
                yield raw.decode("utf-8", "replace")

    reader = csv.reader(decoded(), delimiter=delimiter)
    table.headers = [name.strip() for name in next(reader)]
    _check_headers(table.headers, 1)
    width = len(table.headers)

    def rows() -> Iterator[tuple[int, list[str]]]:
        previous = reader.line_num
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error:
                table.problems.append(
                    ImportProblem(
                        previous + 1, "", _("This line cannot be read as CSV (a stray quote?).")
                    )
                )
                previous = reader.line_num
                continue
            start, previous = previous + 1, reader.line_num
            if bad_lines and any(n in bad_lines for n in range(start, previous + 1)):
                table.problems.append(_not_utf8(start))
                continue
            if not any(record):
                continue
            if len(record) != width:
                if len(record) > width and any(v.strip() for v in record[width:]):
                    table.problems.append(
                        ImportProblem(
                            start,
                            "",
                            _("This line has more values than the file has columns."),
                        )
                    )
                    continue
                record = (record + [""] * width)[:width]
            yield start, record

    table.rows = rows()
    return table


def _without_formula_guard(value: str) -> str:
    """Drop the ``'`` an export put before a formula-like cell, so a round trip keeps text."""
    if value.startswith("'") and value[1:2] and value[1:2] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # A paragraph typed as 12 comes back from Excel as 12.0.
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _xlsx_table(data: bytes) -> _Table:
    not_xlsx = ImportProblem(
        None,
        "",
        _("This file is not an Excel workbook (XLSX). Choose an .xlsx file, or import it as CSV."),
    )
    if not data.startswith(_XLSX_MAGIC):
        raise ImportRejected([not_xlsx])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        raise ImportRejected([not_xlsx]) from None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    values = sheet.iter_rows(min_row=1, values_only=True) if sheet is not None else iter(())
    header = next(values, None)
    if header is None:
        workbook.close()
        raise ImportRejected([ImportProblem(None, "", _("The file is empty."))])
    table = _Table(headers=[_cell_text(v).strip() for v in header], rows=iter(()))
    # Trailing columns without a name and without data are common in spreadsheets.
    while table.headers and not table.headers[-1]:
        table.headers.pop()
    try:
        _check_headers(table.headers, 1)
    except ImportRejected:
        workbook.close()
        raise
    width = len(table.headers)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, cells in enumerate(values, 2):
                record = [_cell_text(v) for v in cells[:width]]
                if not any(record):
                    continue
                if len(record) < width:
                    record += [""] * (width - len(record))
                yield number, record
        except Exception:  # a damaged sheet part: report it rather than crash the import
            table.problems.append(not_xlsx)
        finally:
            workbook.close()

    table.rows = rows()
    return table


def _json_table(data: bytes) -> _Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected([_not_utf8(data.count(b"\n", 0, error.start) + 1)]) from None
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRejected(
            [
                ImportProblem(
                    None,
                    "",
                    _("The file is not valid JSON (line %(line)s, column %(column)s).")
                    % {"line": error.lineno, "column": error.colno},
                )
            ]
        ) from None
    if not isinstance(items, list):
        raise ImportRejected(
            [ImportProblem(None, "", _("A JSON file must hold a list of objects."))]
        )
    problems = [
        ImportProblem(number, "", _("This item is not an object with field names."))
        for number, item in enumerate(items, 1)
        if not isinstance(item, dict)
    ]
    if problems:
        raise ImportRejected(problems)
    headers: dict[str, None] = {}
    for item in items:
        headers.update(dict.fromkeys(str(key).strip() for key in item))
    table = _Table(headers=list(headers), rows=iter(()))
    _check_headers(table.headers, None)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, item in enumerate(items, 1):
            record = dict.fromkeys(table.headers, "")
            for key, value in item.items():
                text = _json_text(value)
                if text is None:
                    table.problems.append(
                        ImportProblem(
                            number,
                            str(key),
                            _("A value must be text, a number or a list of texts."),
                        )
                    )
                else:
                    record[str(key).strip()] = text
            yield number, list(record.values())

    table.rows = rows()
    return table


def _json_text(value: Any) -> str | None:
    if isinstance(value, list):
        parts = [_json_text(v) for v in value]
        if any(p is None or ";" in p for p in parts):
            return None
        return ";".join(p for p in parts if p)
    if isinstance(value, dict):
        return None
    return _cell_text(value)


# --- Normalising values --------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _folded(value: str) -> str:
    """``value`` compared loosely: no case, no accents, no punctuation between words."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


def _spellings(choices: Any, extra: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every way of writing each choice: its value, its label in each interface language
    and the ``extra`` spellings, folded."""
    spellings: dict[str, str] = {}
    for value, words in extra.items():
        for word in words:
            spellings[_folded(word)] = str(value)
    for language in INTERFACE_LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                spellings[_folded(str(label))] = value
    for value in choices.values:
        spellings[_folded(value)] = value
    return spellings


@cache
def _position_spellings() -> dict[str, str]:
    return _spellings(Position, POSITION_SPELLINGS)


@cache
def _status_spellings() -> dict[str, str]:
    return _spellings(ImplementationStatus, STATUS_SPELLINGS)


def _max_length(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


# --- Recommendations -----------------------------------------------------------------------


class _Mechanism:
    __slots__ = ("code", "id", "kind", "names")

    def __init__(self, code: str, id: int | None, kind: str = "", names: Any = None):
        self.code = code
        self.id = id
        self.kind = kind
        self.names = names or {}


class _Document:
    __slots__ = ("cycle", "date", "id", "line", "loaded", "mechanism", "state", "symbol")

    def __init__(
        self,
        symbol: str,
        id: int | None,
        mechanism: _Mechanism,
        state: str = "",
        line: int | None = None,
    ):
        self.symbol = symbol
        self.id = id
        self.mechanism = mechanism
        self.state = state
        self.date: date | None = None
        self.cycle = ""
        self.line = line
        self.loaded = id is None


class _Term:
    __slots__ = ("code", "id", "labels", "position", "vocabulary_id")

    def __init__(
        self, vocabulary_id: int, code: str, labels: dict[str, str], id: int | None, position: int
    ):
        self.vocabulary_id = vocabulary_id
        self.code = code
        self.labels = labels
        self.id = id
        self.position = position


class _Vocabulary:
    """A vocabulary's terms, found by code first, then by a label in any language."""

    def __init__(self, id: int, code: str, terms: Iterable[_Term]):
        self.id = id
        self.code = code
        self.by_code: dict[str, _Term] = {}
        self.by_label: dict[str, list[_Term]] = {}
        self.next_position = 0
        for term in terms:
            self.add(term)

    def add(self, term: _Term) -> None:
        self.by_code.setdefault(term.code.casefold(), term)
        for label in {
            unicodedata.normalize("NFC", str(label)).strip().casefold()
            for label in term.labels.values()
            if label
        }:
            self.by_label.setdefault(label, []).append(term)
        self.next_position = max(self.next_position, term.position + 1)

    def find(self, value: str) -> list[_Term]:
        key = unicodedata.normalize("NFC", value).casefold()
        term = self.by_code.get(key)
        if term is not None:
            return [term]
        found = self.by_label.get(key)
        if found:
            return found
        # UHRI and OHCHR matrices write "A12 Acceptance of international norms".
        code, _space, label = key.partition(" ")
        term = self.by_code.get(code)
        if term is not None and label.strip() in self.by_label:
            return [term]
        return []


class _Target:
    """One recommendation the import touches: registered (``id``) or to create, with what
    the file changes in it."""

    __slots__ = (
        "changed",
        "confirm_tags",
        "document",
        "external_id",
        "given",
        "id",
        "line",
        "new_tags",
        "nhri_status",
        "original",
        "paragraph",
        "position",
        "recommending_state",
        "rows",
        "status",
        "taggings",
        "texts",
    )

    def __init__(
        self,
        id: int | None,
        document: _Document,
        paragraph: str,
        recommending_state: str,
        external_id: str | None,
        position: str,
        status: str,
        nhri_status: str = "",
    ):
        self.id = id
        self.document = document
        self.paragraph = paragraph
        self.recommending_state = recommending_state
        self.external_id = external_id
        self.position = position
        self.status = status
        self.nhri_status = nhri_status
        #: language → [text id or None, text, changed by the file, given by the file]
        self.texts: dict[str, list[Any]] = {}
        # The containers below stay None while empty: an import holds hundreds of
        # thousands of targets, and most have no tags yet or nothing to confirm.
        #: term id → (tagging id, confirmed) for a registered recommendation
        self.taggings: dict[int, tuple[int, bool]] | None = None
        self.new_tags: list[_Term] | None = None
        self.confirm_tags: list[int] | None = None
        #: fields of the recommendation row the file changes; None while unchanged
        self.changed: set[str] | None = None
        #: first line of the file naming it, None while the file has not named it
        self.line: int | None = None
        self.original = ""
        self.rows = 0
        #: bit set of the fields (position, status, nhri_status) that a line of the file gave
        self.given = 0

    def change(self, name: str, value: Any) -> None:
        setattr(self, name, value)
        if self.id is not None:
            if self.changed is None:
                self.changed = set()
            self.changed.add(name)

    @property
    def is_updated(self) -> bool:
        return bool(
            self.changed
            or self.new_tags
            or self.confirm_tags
            or any(text[0] is None or text[2] for text in self.texts.values())
        )


_POSITION_GIVEN = 1
_STATUS_GIVEN = 2
_NHRI_STATUS_GIVEN = 4


class _RecommendationPlan:
    """Checks every row of a recommendation file against the registry, then writes."""

    def __init__(self, *, create_terms: bool):
        self.create_terms = create_terms
        self.problems: list[ImportProblem] = []
        self.preview: list[dict[str, str]] = []
        #: field → position in a row, and field → the source column it came from
        self.index: dict[str, int] = {}
        self.source: dict[str, str] = {}
        self.tag_columns: list[tuple[int, str, _Vocabulary]] = []
        self.positions = _position_spellings()
        self.statuses = _status_spellings()
        self.lengths = {
            "document": _max_length(SourceDocument, "symbol"),
            "paragraph": _max_length(Recommendation, "paragraph"),
            "recommending_state": _max_length(Recommendation, "recommending_state"),
            "external_id": _max_length(Recommendation, "external_id"),
            "state_under_review": _max_length(SourceDocument, "state_under_review"),
            "cycle": _max_length(SourceDocument, "cycle"),
        }
        self.term_code_length = _max_length(Term, "code")
        self.mechanisms: dict[str, _Mechanism] = {}
        self.documents: dict[str, _Document] = {}
        self.documents_by_id: dict[int, _Document] = {}
        self.new_mechanisms: list[_Mechanism] = []
        self.new_documents: list[_Document] = []
        self.new_terms: list[_Term] = []
        #: external id → document id, for recommendations of documents not loaded yet
        self.external_documents: dict[str, int] = {}
        self.by_external_id: dict[str, _Target] = {}
        self.by_key: dict[tuple[_Document, str, str], _Target] = {}
        self.touched: list[_Target] = []
        self.rows = 0
        self.default_state = ""

    # -- columns

    def bind(self, headers: list[str], mapping: dict[str, str]) -> None:
        """Match the file's columns to fields, through ``mapping``; raise if one is missing."""
        problems: list[ImportProblem] = []
        folded_mapping = {source.strip().casefold(): target for source, target in mapping.items()}
        present = {name.casefold() for name in headers}
        for source in mapping:
            if source.strip().casefold() not in present:
                problems.append(
                    ImportProblem(
                        1, source, _("This column, named in the mapping, is not in the file.")
                    )
                )
        vocabulary_codes: dict[str, tuple[int, str]] = {}
        for position, name in enumerate(headers):
            target = folded_mapping.get(name.casefold(), name).strip()
            key = target.casefold()
            if key.startswith(TAGS_PREFIX):
                code = target[len(TAGS_PREFIX) :].strip()
                vocabulary_codes[code.casefold()] = (position, name)
                continue
            if key not in RECOMMENDATION_FIELDS:
                if name.casefold() in folded_mapping:
                    problems.append(
                        ImportProblem(
                            1,
                            name,
                            _("Unknown field %(field)s in the mapping; use one of %(fields)s.")
                            % {
                                "field": target,
                                "fields": ", ".join((*RECOMMENDATION_FIELDS, "tags:…")),
                            },
                        )
                    )
                # Other columns (notes, a matrix's own fields) are left out of the import.
                continue
            if key in self.index:
                problems.append(
                    ImportProblem(
                        1,
                        name,
                        _("Two columns give the field %(field)s.") % {"field": key},
                    )
                )
                continue
            self.index[key] = position
            self.source[key] = name
        for required in REQUIRED_FIELDS:
            if required not in self.index:
                problems.append(
                    ImportProblem(
                        1,
                        required,
                        _("The required column %(column)s is missing.") % {"column": required},
                    )
                )
        vocabularies = {
            v.code.casefold(): v for v in Vocabulary.objects.filter(code__in=list(vocabulary_codes))
        }
        if len(vocabularies) < len(vocabulary_codes):
            # Vocabulary codes are slugs, usually lower case; look again without case.
            for vocabulary in Vocabulary.objects.all():
                vocabularies.setdefault(vocabulary.code.casefold(), vocabulary)
        for code, (position, name) in vocabulary_codes.items():
            found = vocabularies.get(code)
            if found is None:
                problems.append(
                    ImportProblem(
                        1,
                        name,
                        _("There is no vocabulary with code %(code)s.")
                        % {"code": name.split(":", 1)[-1].strip()},
                    )
                )
                continue
            terms = [
                _Term(found.pk, term_code, labels or {}, id, term_position)
                for id, term_code, labels, term_position in found.terms.values_list(
                    "id", "code", "labels", "position"
                )
            ]
            self.tag_columns.append((position, name, _Vocabulary(found.pk, found.code, terms)))
            self.source[f"{TAGS_PREFIX}{found.code}"] = name
        if problems:
            raise ImportRejected(problems)
        self._load_registry()

    def _load_registry(self) -> None:
        for id, code, kind, names in Mechanism.objects.values_list("id", "code", "kind", "names"):
            self.mechanisms[code.upper()] = _Mechanism(code, id, kind, names)
        mechanisms_by_id = {m.id: m for m in self.mechanisms.values()}
        states: set[str] = set()
        for id, symbol, mechanism_id, state in SourceDocument.objects.values_list(
            "id", "symbol", "mechanism_id", "state_under_review"
        ):
            document = _Document(symbol, id, mechanisms_by_id[mechanism_id], state)
            self.documents[symbol.casefold()] = document
            self.documents_by_id[id] = document
            states.add(state)
        # An NHRI's registry is about its own state: when every registered document names
        # the same one, a new document without a state under review is about it too.
        if len(states) == 1:
            self.default_state = states.pop()
        self.external_documents = {
            external_id: document_id
            for external_id, document_id in Recommendation.objects.exclude(
                external_id=None
            ).values_list("external_id", "document_id")
            if external_id
        }

    def _load_document(self, document: _Document) -> None:
        """Register the recommendations of a document, with their texts and tags: three
        queries per registered document that the file names, none per row."""
        document.loaded = True
        targets: dict[int, _Target] = {}
        for id, paragraph, state, external_id, position, status, nhri_status in (
            Recommendation.objects.filter(document_id=document.id)
            .order_by()
            .values_list(
                "id",
                "paragraph",
                "recommending_state",
                "external_id",
                "position",
                "status",
                "nhri_status",
            )
        ):
            target = _Target(
                id, document, paragraph, state, external_id, position, status, nhri_status
            )
            targets[id] = target
            self.by_key[(document, paragraph, state)] = target
            if external_id:
                self.by_external_id[external_id] = target
        for id, recommendation_id, language, text in (
            RecommendationText.objects.filter(recommendation__document_id=document.id)
            .order_by()
            .values_list("id", "recommendation_id", "language", "text")
        ):
            targets[recommendation_id].texts[language] = [id, text, False, False]
        for id, recommendation_id, term_id, confirmed in (
            Tagging.objects.filter(recommendation__document_id=document.id)
            .order_by()
            # Whether it is confirmed, not when: no datetime to build per tag.
            .annotate(confirmed=ExpressionWrapper(~Q(confirmed_at=None), BooleanField()))
            .values_list("id", "recommendation_id", "term_id", "confirmed")
        ):
            target = targets[recommendation_id]
            if target.taggings is None:
                target.taggings = {}
            target.taggings[term_id] = (id, bool(confirmed))

    # -- rows

    def check(
        self,
        rows: Iterator[tuple[int, list[str]]],
        progress: Callable[[int], None] | None,
    ) -> None:
        unreported = 0
        for line, values in rows:
            self._check_row(line, values)
            self.rows += 1
            unreported += 1
            if progress is not None and unreported >= PROGRESS_EVERY:
                progress(unreported)
                unreported = 0
        self._check_new_documents()
        if progress is not None and unreported:
            progress(unreported)

    def _problem(self, line: int, name: str, reason: str) -> None:
        self.problems.append(ImportProblem(line, self.source.get(name, name), reason))

    def _too_long(self, line: int, name: str, value: str) -> bool:
        limit = self.lengths[name]
        if len(value) > limit:
            self._problem(
                line,
                name,
                _("This value is too long (at most %(limit)s characters).") % {"limit": limit},
            )
            return True
        return False

    def _check_row(self, line: int, values: list[str]) -> None:
        index = self.index
        cell: dict[str, str] = {
            name: _without_formula_guard(values[i].strip()) for name, i in index.items()
        }
        problems_before = len(self.problems)
        symbol = cell["document"]
        paragraph = cell["paragraph"]
        # Composed characters (NFC), as typed on most systems: the same words then match in
        # search and compare equal on the next import (macOS writes decomposed accents).
        text = unicodedata.normalize("NFC", cell["text"])
        language = cell["language"].lower()
        state = cell.get("recommending_state", "")
        external_id = cell.get("external_id", "")
        if not symbol:
            self._problem(line, "document", _("The document symbol is empty."))
        else:
            self._too_long(line, "document", symbol)
        if not paragraph:
            self._problem(line, "paragraph", _("The paragraph is empty."))
        else:
            self._too_long(line, "paragraph", paragraph)
        if not text:
            self._problem(line, "text", _("The text is empty."))
        if not language:
            self._problem(line, "language", _("The language is empty."))
        elif language not in CONTENT_LANGUAGES:
            self._problem(
                line,
                "language",
                _("Unknown language code %(code)s; use one of %(codes)s.")
                % {"code": cell["language"], "codes": ", ".join(CONTENT_LANGUAGES)},
            )
        if state:
            self._too_long(line, "recommending_state", state)
        if external_id:
            self._too_long(line, "external_id", external_id)
        position = cell.get("position", "")
        if position:
            parsed = self.positions.get(_folded(position))
            if parsed is None:
                self._problem(
                    line,
                    "position",
                    _(
                        "Unknown position %(value)s; use supported, partially supported, "
                        "noted or pending."
                    )
                    % {"value": position},
                )
            position = parsed or ""
        status = self._status(line, cell, "status")
        nhri_status = self._status(line, cell, "nhri_status")
        if len(self.preview) < PREVIEW_ROWS:
            self._add_preview(cell, values, language, position, status, nhri_status)
        terms = self._terms(line, values, language) if self.tag_columns else []
        document = (
            self._document(line, cell)
            if symbol and len(symbol) <= self.lengths["document"]
            else None
        )
        if document is None or len(self.problems) > problems_before:
            return
        found, target = self._find(line, document, paragraph, state, external_id)
        if not found:
            return
        if target is None:
            target = _Target(
                None,
                document,
                paragraph,
                state,
                external_id or None,
                position,
                status,
                nhri_status,
            )
            self.by_key[(document, paragraph, state)] = target
            if external_id:
                self.by_external_id[external_id] = target
            target.original = language
        elif target.line is not None:
            given = target.texts.get(language)
            if given is not None and given[3]:
                self._problem(
                    line,
                    "language",
                    _(
                        "Line %(line)s already gives this recommendation's text in this "
                        "language (same document, paragraph, recommending state or "
                        "external identifier)."
                    )
                    % {"line": target.line},
                )
                return
            if not self._agrees(line, target, position, status, nhri_status):
                return
        if target.line is None:
            target.line = line
            self.touched.append(target)
        if external_id and target.external_id != external_id:
            target.change("external_id", external_id)
            self.by_external_id[external_id] = target
        if position:
            target.given |= _POSITION_GIVEN
            if position != target.position:
                target.change("position", position)
        if status:
            target.given |= _STATUS_GIVEN
            if status != target.status:
                target.change("status", status)
        if nhri_status:
            target.given |= _NHRI_STATUS_GIVEN
            if nhri_status != target.nhri_status:
                target.change("nhri_status", nhri_status)
        target.rows += 1
        current = target.texts.get(language)
        if current is None:
            target.texts[language] = [None, text, True, True]
        else:
            current[3] = True
            if current[1] != text:
                current[1] = text
                current[2] = True
        for term in terms:
            if term.id is not None and target.taggings and term.id in target.taggings:
                tagging_id, confirmed = target.taggings[term.id]
                if not confirmed:
                    # A model proposed this tag; the file confirms it.
                    if target.confirm_tags is None:
                        target.confirm_tags = []
                    if tagging_id not in target.confirm_tags:
                        target.confirm_tags.append(tagging_id)
            elif target.new_tags is None:
                target.new_tags = [term]
            elif term not in target.new_tags:
                target.new_tags.append(term)

    def _status(self, line: int, cell: dict[str, str], name: str) -> str:
        """The status code a ``status`` or ``nhri_status`` cell spells ("" if empty or
        unknown, which is reported)."""
        value = cell.get(name, "")
        if not value:
            return ""
        parsed = self.statuses.get(_folded(value))
        if parsed is None:
            self._problem(
                line,
                name,
                _("Unknown status %(value)s; use one of %(values)s.")
                % {"value": value, "values": ", ".join(ImplementationStatus.values)},
            )
        return parsed or ""

    def _add_preview(
        self,
        cell: dict[str, str],
        values: list[str],
        language: str,
        position: str,
        status: str,
        nhri_status: str,
    ) -> None:
        """The row as the import reads it: codes where the file spelt out a choice."""
        row = dict(cell)
        row["language"] = language
        if "position" in row:
            row["position"] = position or row["position"]
        if "status" in row:
            row["status"] = status or row["status"]
        if "nhri_status" in row:
            row["nhri_status"] = nhri_status or row["nhri_status"]
        for i, _name, vocabulary in self.tag_columns:
            row[f"{TAGS_PREFIX}{vocabulary.code}"] = values[i].strip()
        self.preview.append(row)

    def _agrees(
        self, line: int, target: _Target, position: str, status: str, nhri_status: str
    ) -> bool:
        """Another line for a recommendation the file already named must not contradict it."""
        agrees = True
        for name, value, bit in (
            ("position", position, _POSITION_GIVEN),
            ("status", status, _STATUS_GIVEN),
            ("nhri_status", nhri_status, _NHRI_STATUS_GIVEN),
        ):
            if value and target.given & bit and value != getattr(target, name):
                self._problem(
                    line,
                    name,
                    _("Line %(line)s gives this recommendation another %(field)s.")
                    % {"line": target.line, "field": name},
                )
                agrees = False
        return agrees

    def _find(
        self, line: int, document: _Document, paragraph: str, state: str, external_id: str
    ) -> tuple[bool, _Target | None]:
        """The recommendation a row names (None for a new one), after False if the row
        contradicts the registry or an earlier line (reported)."""
        by_key = self.by_key.get((document, paragraph, state))
        if not external_id:
            return True, by_key
        target = self.by_external_id.get(external_id)
        if target is None and external_id in self.external_documents:
            owner = self.documents_by_id[self.external_documents[external_id]]
            if not owner.loaded:
                self._load_document(owner)
            target = self.by_external_id.get(external_id)
        if target is None:
            if by_key is not None and by_key.external_id and by_key.external_id != external_id:
                self._problem(
                    line,
                    "external_id",
                    _(
                        "Paragraph %(paragraph)s of %(symbol)s already has the external "
                        "identifier %(other)s."
                    )
                    % {
                        "paragraph": paragraph,
                        "symbol": document.symbol,
                        "other": by_key.external_id,
                    },
                )
                return False, None
            return True, by_key
        if target is by_key:
            return True, target
        # The external identifier names a recommendation with another document, paragraph
        # or recommending state: the file corrects them, unless they are taken.
        if by_key is not None or target.line is not None:
            self._problem(
                line,
                "external_id",
                _(
                    "External identifier %(id)s belongs to paragraph %(paragraph)s of "
                    "%(symbol)s, which this line contradicts."
                )
                % {
                    "id": external_id,
                    "paragraph": target.paragraph,
                    "symbol": target.document.symbol,
                },
            )
            return False, None
        del self.by_key[(target.document, target.paragraph, target.recommending_state)]
        for name, value in (
            ("document", document),
            ("paragraph", paragraph),
            ("recommending_state", state),
        ):
            if getattr(target, name) is not value and getattr(target, name) != value:
                target.change(name, value)
        self.by_key[(document, paragraph, state)] = target
        return True, target

    def _mechanism(self, line: int, code: str) -> _Mechanism | None:
        mechanism = self.mechanisms.get(code.upper())
        if mechanism is not None:
            return mechanism
        known = KNOWN_MECHANISMS.get(code.upper())
        if known is None:
            self._problem(
                line,
                "mechanism",
                _(
                    "Unknown mechanism %(code)s. Register it first; these are created "
                    "when a file names them: %(codes)s."
                )
                % {"code": code, "codes": ", ".join(KNOWN_MECHANISMS)},
            )
            return None
        kind, names = known
        mechanism = _Mechanism(code.upper(), None, kind, names)
        self.mechanisms[code.upper()] = mechanism
        self.new_mechanisms.append(mechanism)
        return mechanism

    def _document(self, line: int, cell: dict[str, str]) -> _Document | None:
        symbol = cell["document"]
        document = self.documents.get(symbol.casefold())
        code = cell.get("mechanism", "")
        mechanism = self._mechanism(line, code) if code else None
        if code and mechanism is None:
            return None
        if document is None:
            if mechanism is None:
                self._problem(
                    line,
                    "mechanism",
                    _("Document %(symbol)s is not registered yet: give its mechanism to create it.")
                    % {"symbol": symbol},
                )
                return None
            document = _Document(symbol, None, mechanism, line=line)
            self.documents[symbol.casefold()] = document
            self.new_documents.append(document)
        elif mechanism is not None and mechanism is not document.mechanism:
            self._problem(
                line,
                "mechanism",
                _("Document %(symbol)s belongs to mechanism %(code)s.")
                % {"symbol": document.symbol, "code": document.mechanism.code},
            )
            return None
        if document.id is None:
            self._fill_new_document(line, document, cell)
        elif not document.loaded:
            self._load_document(document)
        return document

    def _fill_new_document(self, line: int, document: _Document, cell: dict[str, str]) -> None:
        """A document the import creates takes its details from the first line giving them."""
        state = cell.get("state_under_review", "")
        if state and not self._too_long(line, "state_under_review", state):
            if not document.state:
                document.state = state
            elif document.state != state:
                self._problem(
                    line,
                    "state_under_review",
                    _("Line %(line)s gives document %(symbol)s another state under review.")
                    % {"line": document.line, "symbol": document.symbol},
                )
        cycle = cell.get("cycle", "")
        if cycle and not self._too_long(line, "cycle", cycle) and not document.cycle:
            document.cycle = cycle
        raw_date = cell.get("document_date", "")
        if raw_date and document.date is None:
            try:
                document.date = date.fromisoformat(raw_date[:10])
            except ValueError:
                self._problem(
                    line,
                    "document_date",
                    _("%(value)s is not a date; write dates as YYYY-MM-DD.") % {"value": raw_date},
                )

    def _check_new_documents(self) -> None:
        for document in self.new_documents:
            if document.state:
                continue
            match = _TREATY_BODY_SYMBOL.match(document.symbol)
            # CMW/C/MAR/CO/2 is about MAR; otherwise the state every document is about.
            document.state = self.default_state or (match.group(1).upper() if match else "")
            if not document.state and document.line is not None:
                self._problem(
                    document.line,
                    "state_under_review",
                    _(
                        "Document %(symbol)s is not registered yet: give its state under "
                        "review to create it."
                    )
                    % {"symbol": document.symbol},
                )

    def _terms(self, line: int, values: list[str], language: str) -> list[_Term]:
        terms: list[_Term] = []
        for position, name, vocabulary in self.tag_columns:
            for value in values[position].split(";"):
                value = value.strip()
                if not value:
                    continue
                found = vocabulary.find(value)
                if len(found) > 1:
                    self.problems.append(
                        ImportProblem(
                            line,
                            name,
                            _(
                                "%(value)s is the label of several terms in vocabulary "
                                "%(vocabulary)s (%(codes)s); use the term's code."
                            )
                            % {
                                "value": value,
                                "vocabulary": vocabulary.code,
                                "codes": ", ".join(t.code for t in found),
                            },
                        )
                    )
                elif found:
                    terms.append(found[0])
                elif self.create_terms:
                    terms.append(self._new_term(vocabulary, value, language))
                else:
                    self.problems.append(
                        ImportProblem(
                            line,
                            name,
                            _(
                                "Unknown term %(value)s in vocabulary %(vocabulary)s "
                                "(neither a code nor a label)."
                            )
                            % {"value": value, "vocabulary": vocabulary.code},
                        )
                    )
        return terms

    def _new_term(self, vocabulary: _Vocabulary, value: str, language: str) -> _Term:
        code = value
        if len(code) > self.term_code_length:
            base = slugify(value, allow_unicode=True)[: self.term_code_length - 4] or "term"
            code, number = base, 1
            while code.casefold() in vocabulary.by_code:
                number += 1
                code = f"{base}-{number}"
        label_language = language if language in INTERFACE_LANGUAGES else "en"
        term = _Term(vocabulary.id, code, {label_language: value}, None, vocabulary.next_position)
        vocabulary.add(term)
        self.new_terms.append(term)
        return term

    # -- results

    def summary(self, *, dry_run: bool) -> ImportSummary:
        created = updated = 0
        for target in self.touched:
            if target.id is None:
                created += 1
            elif target.is_updated:
                updated += 1
        return ImportSummary(
            created=created,
            updated=updated,
            unchanged=len(self.touched) - created - updated,
            problems=[],
            dry_run=dry_run,
            preview=self.preview,
            documents_created=len(self.new_documents),
            terms_created=len(self.new_terms),
        )

    def write(self, *, by: User | None, progress: Callable[[int], None] | None) -> None:
        # Every history row of one import carries the same moment, user and reason.
        stamp = _Stamp.now(by)
        history = {
            "default_user": by,
            "default_change_reason": CHANGE_REASON,
            "default_date": stamp.moment,
        }
        try:
            # Split before writing: the new recommendations get their ids on the way.
            new = [t for t in self.touched if t.id is None]
            registered = [t for t in self.touched if t.id is not None]
            with transaction.atomic():
                self._write_registry(history)
                self._write_new(new, stamp, progress)
                self._write_changes(registered, by, stamp, history, progress)
        except IntegrityError:
            # Only a concurrent change can break a constraint the checks have verified.
            raise ImportRejected(
                [
                    ImportProblem(
                        None,
                        "",
                        _("The registry changed during the import; import the file again."),
                    )
                ]
            ) from None

    def _write_registry(self, history: dict[str, Any]) -> None:
        """Mechanisms, documents and terms the recommendations will point to."""
        if self.new_mechanisms:
            created = bulk_create_with_history(
                [Mechanism(code=m.code, kind=m.kind, names=m.names) for m in self.new_mechanisms],
                Mechanism,
                **history,
            )
            for mechanism, record in zip(self.new_mechanisms, created, strict=True):
                mechanism.id = record.pk
        for documents in _batches(self.new_documents, BATCH_SIZE):
            created = bulk_create_with_history(
                [
                    SourceDocument(
                        symbol=d.symbol,
                        mechanism_id=_pk(d.mechanism.id),
                        state_under_review=d.state,
                        date=d.date,
                        cycle=d.cycle,
                    )
                    for d in documents
                ],
                SourceDocument,
                **history,
            )
            for document, record in zip(documents, created, strict=True):
                document.id = record.pk
        for terms in _batches(self.new_terms, BATCH_SIZE):
            created = bulk_create_with_history(
                [
                    Term(
                        vocabulary_id=t.vocabulary_id,
                        code=t.code,
                        labels=t.labels,
                        position=t.position,
                    )
                    for t in terms
                ],
                Term,
                **history,
            )
            for term, record in zip(terms, created, strict=True):
                term.id = record.pk

    def _write_new(
        self,
        new: list[_Target],
        stamp: _Stamp,
        progress: Callable[[int], None] | None,
    ) -> None:
        for batch in _batches(new, BATCH_SIZE):
            ids = _insert_with_history(
                Recommendation,
                _RECOMMENDATION_COLUMNS,
                [
                    (
                        _pk(t.document.id),
                        t.paragraph,
                        t.external_id or None,
                        t.recommending_state,
                        t.position,
                        t.status or ImplementationStatus.NOT_STARTED,
                        t.nhri_status,
                        stamp.date,
                        stamp.date,
                        None,  # an imported recommendation is not published
                    )
                    for t in batch
                ],
                stamp,
            )
            for target in batch:
                target.id = ids[(target.document.id, target.paragraph, target.recommending_state)]
            _insert_with_history(
                RecommendationText,
                _TEXT_COLUMNS,
                [
                    (_pk(t.id), language, text[1], language == t.original)
                    for t in batch
                    for language, text in t.texts.items()
                ],
                stamp,
            )
            self._create_taggings(batch, stamp)
            if progress is not None:
                progress(sum(t.rows for t in batch))

    def _create_taggings(self, targets: Sequence[_Target], stamp: _Stamp) -> None:
        _insert_with_history(
            Tagging,
            _TAGGING_COLUMNS,
            [
                (
                    _pk(t.id),
                    _pk(term.id),
                    TaggingSource.IMPORT.value,
                    "",
                    None,
                    stamp.user_id,
                    stamp.date,
                    stamp.user_id,
                    stamp.date,
                )
                for t in targets
                for term in t.new_tags or ()
            ],
            stamp,
        )

    def _write_changes(
        self,
        registered: list[_Target],
        by: User | None,
        stamp: _Stamp,
        history: dict[str, Any],
        progress: Callable[[int], None] | None,
    ) -> None:
        now = stamp.moment
        for batch in _batches(registered, BATCH_SIZE):
            changed = [t for t in batch if t.changed]
            if changed:
                records = Recommendation.objects.in_bulk([_pk(t.id) for t in changed])
                names: set[str] = {"updated_at"}
                for target in changed:
                    record = records[_pk(target.id)]
                    record.document_id = _pk(target.document.id)
                    record.paragraph = target.paragraph
                    record.recommending_state = target.recommending_state
                    record.external_id = target.external_id or None
                    record.position = target.position
                    record.status = target.status
                    record.nhri_status = target.nhri_status
                    record.updated_at = now
                    names |= target.changed or set()
                bulk_update_with_history(
                    list(records.values()), Recommendation, sorted(names), **history
                )
            _insert_with_history(
                RecommendationText,
                _TEXT_COLUMNS,
                [
                    (_pk(t.id), language, text[1], False)
                    for t in batch
                    for language, text in t.texts.items()
                    if text[0] is None
                ],
                stamp,
            )
            edited = {
                text[0]: text[1]
                for t in batch
                for text in t.texts.values()
                if text[0] is not None and text[2]
            }
            if edited:
                texts = RecommendationText.objects.in_bulk(list(edited))
                for id, text_record in texts.items():
                    text_record.text = edited[id]
                bulk_update_with_history(
                    list(texts.values()), RecommendationText, ["text"], **history
                )
            self._create_taggings(batch, stamp)
            confirm = [id for t in batch for id in t.confirm_tags or ()]
            if confirm:
                taggings = Tagging.objects.in_bulk(confirm)
                for tagging in taggings.values():
                    tagging.confirmed_by = by
                    tagging.confirmed_at = now
                bulk_update_with_history(
                    list(taggings.values()),
                    Tagging,
                    ["confirmed_by", "confirmed_at"],
                    **history,
                )
            if progress is not None:
                progress(sum(t.rows for t in batch))


def _batches[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Writing many rows with their history ----------------------------------------------------
#
# ``bulk_create_with_history`` goes through Django's insert compiler, which costs about
# 150-200 µs per object here (measured on the 2-core bench machine); a recommendation with
# its text, two tags and their four history rows is eight objects, about 600 rows/s. The
# high-volume inserts (recommendations, texts, taggings) therefore write the very rows that
# ``bulk_create_with_history`` would write, as plain multi-row INSERTs: the record, then
# its history row ("+", the same field values, ``history_user`` = the importing user,
# ``history_change_reason`` = "import"). Everything else (mechanisms, documents, terms and
# every update) still goes through django-simple-history's own functions.

_RECOMMENDATION_COLUMNS = (
    "document_id",
    "paragraph",
    "external_id",
    "recommending_state",
    "position",
    "status",
    "nhri_status",
    "created_at",
    "updated_at",
    "published_at",
)
_TEXT_COLUMNS = ("recommendation_id", "language", "text", "is_original")
_TAGGING_COLUMNS = (
    "recommendation_id",
    "term_id",
    "source",
    "model_name",
    "confidence",
    "tagged_by_id",
    "tagged_at",
    "confirmed_by_id",
    "confirmed_at",
)
#: The natural key each table returns its new ids by (no reliance on RETURNING's order).
_KEYS: dict[Any, tuple[str, ...]] = {
    Recommendation: ("document_id", "paragraph", "recommending_state"),
    RecommendationText: ("recommendation_id", "language"),
    Tagging: ("recommendation_id", "term_id"),
}
#: Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
_MAX_PARAMETERS = 30_000


@dataclass(frozen=True)
class _Stamp:
    """When, by whom and why, as the history rows of one import record it."""

    moment: datetime
    date: Any  # ``moment`` as the database driver takes it
    user_id: int | None
    reason: str = CHANGE_REASON

    @classmethod
    def now(cls, by: User | None) -> _Stamp:
        moment = timezone.now()
        return cls(moment, connection.ops.adapt_datetimefield_value(moment), by.pk if by else None)


def _insert_with_history(
    model: Any, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]], stamp: _Stamp
) -> dict[tuple[Any, ...], int]:
    """Insert ``rows`` (values of ``columns``, every field but the id) and one history row
    for each; return the new ids by natural key."""
    if not rows:
        return {}
    meta = model._meta
    assert set(columns) == {f.attname for f in meta.concrete_fields if not f.primary_key}
    history_meta = model.history.model._meta
    key = _KEYS[model]
    key_positions = [columns.index(name) for name in key]
    history_fields = [f.attname for f in history_meta.concrete_fields if f.attname != "history_id"]
    constants = {
        "history_date": stamp.date,
        "history_change_reason": stamp.reason,
        "history_type": "+",
        "history_user_id": stamp.user_id,
    }
    # A history row is the record's values, its id and the constants, in the history
    # table's column order: picked from (*row, id, *constants) by one itemgetter.
    source = {
        **{name: index for index, name in enumerate(columns)},
        "id": len(columns),
        **{name: len(columns) + 1 + i for i, name in enumerate(constants)},
    }
    pick = itemgetter(*(source[name] for name in history_fields))
    constant_values = tuple(constants.values())
    insert = _row_inserter()
    ids: dict[tuple[Any, ...], int] = {}
    for chunk in _batches(rows, BATCH_SIZE):
        found = insert(meta, list(columns), chunk, [meta.pk.attname, *key])
        chunk_ids = {tuple(values[1:]): values[0] for values in found}
        ids.update(chunk_ids)
        history_rows = [
            pick((*row, chunk_ids[tuple(row[i] for i in key_positions)], *constant_values))
            for row in chunk
        ]
        insert(history_meta, history_fields, history_rows, [])
    return ids


_Inserter = Callable[[Any, list[str], Sequence[tuple[Any, ...]], list[str]], list[tuple[Any, ...]]]


def _row_inserter() -> _Inserter:
    """A function inserting rows into a table (by model metadata and field attnames) and
    returning the ``returning`` fields of the new rows, in the fastest form the database
    takes. Table and column names come from model metadata; every value is a parameter."""
    connection.ensure_connection()
    quote = connection.ops.quote_name

    def names(meta: Any, fields: list[str]) -> str:
        return ", ".join(quote(meta.get_field(f).column) for f in fields)

    def returning_clause(meta: Any, fields: list[str]) -> str:
        return f" RETURNING {names(meta, fields)}" if fields else ""

    if connection.vendor == "postgresql":
        import psycopg

        # COPY, the fastest way into PostgreSQL; the new ids are drawn from the table's
        # sequence first, since COPY returns nothing. Django's wrapper turns the driver's
        # errors into Django's (IntegrityError…), as its own cursors do.
        raw = connection.connection

        def insert_postgresql(
            meta: Any, fields: list[str], rows: Sequence[tuple[Any, ...]], returning: list[str]
        ) -> list[tuple[Any, ...]]:
            with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
                if returning:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                        "FROM generate_series(1, %s)",
                        [meta.db_table, meta.pk.column, len(rows)],
                    )
                    ids = [found[0] for found in cursor.fetchall()]
                    fields = [meta.pk.attname, *fields]
                    rows = [(id, *row) for id, row in zip(ids, rows, strict=True)]
                with cursor.copy(
                    f"COPY {quote(meta.db_table)} ({names(meta, fields)}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            if not returning:
                return []
            positions = [fields.index(name) for name in returning]
            return [tuple(row[i] for i in positions) for row in rows]

        return insert_postgresql

    # SQLite (and any other database): multi-row VALUES. On SQLite straight on the
    # driver's connection, because Django's cursor rewrites every %s to ? with a regular
    # expression, which costs seconds over statements of 30,000 parameters.
    if connection.vendor == "sqlite":
        raw = connection.connection
        mark = "?"

        def run(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
            with connection.wrap_database_errors:
                return raw.execute(sql, params).fetchall()

    else:
        mark = "%s"

        def run(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []

    def insert_values(
        meta: Any, fields: list[str], rows: Sequence[tuple[Any, ...]], returning: list[str]
    ) -> list[tuple[Any, ...]]:
        placeholder = "({})".format(", ".join([mark] * len(fields)))
        statement = f"INSERT INTO {quote(meta.db_table)} ({names(meta, fields)}) VALUES "  # noqa: S608
        found: list[tuple[Any, ...]] = []
        for chunk in _statement_chunks(rows, _MAX_PARAMETERS // len(fields)):
            found += run(
                statement
                + ", ".join([placeholder] * len(chunk))
                + returning_clause(meta, returning),
                [value for row in chunk for value in row],
            )
        return found

    return insert_values


def _statement_chunks[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Slices of ``size`` items, then the rest in powers of two: few distinct statement
    texts, because SQLite's driver keeps the last 128 statements (with their bound values)
    prepared, and a statement of 30,000 parameters holds megabytes."""
    start = 0
    while len(items) - start >= size:
        yield items[start : start + size]
        start += size
    while start < len(items):
        piece = 1 << ((len(items) - start).bit_length() - 1)
        yield items[start : start + piece]
        start += piece


# --- Vocabularies --------------------------------------------------------------------------


def _label(value: str) -> str:
    """A label as stored: composed characters (NFC), single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).split())


@dataclass
class _TermRow:
    line: int
    code: str
    labels: dict[str, str]
    parent: str
    position: int
    id: int | None = None


class _VocabularyPlan:
    """Checks a vocabulary file against the vocabulary's terms, then writes."""

    def __init__(self, *, code: str, name: str):
        self.code = code
        self.name = name
        self.problems: list[ImportProblem] = []
        self.preview: list[dict[str, str]] = []
        self.index: dict[str, int] = {}
        self.label_columns: dict[str, int] = {}
        self.rows: dict[str, _TermRow] = {}
        self.vocabulary: Vocabulary | None = None
        #: code → (id, labels, parent code, position) of the vocabulary's registered terms
        self.existing: dict[str, tuple[int, dict[str, str], str, int]] = {}
        self.code_length = _max_length(Term, "code")
        if not code or len(code) > _max_length(Vocabulary, "code"):
            self.problems.append(
                ImportProblem(None, "", _("A vocabulary code needs 1 to 40 characters."))
            )
        elif not _VOCABULARY_CODE.match(code):
            self.problems.append(
                ImportProblem(
                    None,
                    "",
                    _(
                        "The vocabulary code %(code)s may hold only letters, digits, "
                        "hyphens and underscores."
                    )
                    % {"code": code},
                )
            )
        if self.problems:
            raise ImportRejected(self.problems)

    def bind(self, headers: list[str]) -> None:
        problems = []
        for position, name in enumerate(headers):
            key = name.casefold()
            if key in VOCABULARY_FIELDS:
                self.index[key] = position
            elif key.startswith("label_") and key[6:] in CONTENT_LANGUAGES:
                self.label_columns[key[6:]] = position
        if "en" in self.label_columns and "label" not in self.index:
            self.index["label"] = self.label_columns.pop("en")
        for required in ("code", "label"):
            if required not in self.index:
                problems.append(
                    ImportProblem(
                        1,
                        required,
                        _("The required column %(column)s is missing.") % {"column": required},
                    )
                )
        if problems:
            raise ImportRejected(problems)
        self.vocabulary = Vocabulary.objects.filter(code=self.code).first()
        if self.vocabulary is not None:
            codes = dict(self.vocabulary.terms.values_list("id", "code"))
            for id, code, labels, parent_id, position in self.vocabulary.terms.values_list(
                "id", "code", "labels", "parent_id", "position"
            ):
                parent = codes.get(parent_id, "") if parent_id else ""
                self.existing[code] = (id, labels or {}, parent, position)

    def check(self, rows: Iterator[tuple[int, list[str]]]) -> None:
        for position, (line, values) in enumerate(rows, 1):
            code = values[self.index["code"]].strip()
            label = _label(values[self.index["label"]])
            parent = values[self.index["parent"]].strip() if "parent" in self.index else ""
            labels = {"en": label}
            for language, column in self.label_columns.items():
                if translation := _label(values[column]):
                    labels[language] = translation
            if len(self.preview) < PREVIEW_ROWS:
                self.preview.append(
                    {
                        "code": code,
                        "label": label,
                        "parent": parent,
                        **{f"label_{k}": v for k, v in labels.items() if k != "en"},
                    }
                )
            if not code:
                self._problem(line, "code", _("The code is empty."))
            elif len(code) > self.code_length:
                self._problem(
                    line,
                    "code",
                    _("This value is too long (at most %(limit)s characters).")
                    % {"limit": self.code_length},
                )
            elif code in self.rows:
                self._problem(
                    line,
                    "code",
                    _("Code %(code)s is already on line %(line)s.")
                    % {"code": code, "line": self.rows[code].line},
                )
                continue
            if not label:
                self._problem(line, "label", _("The label is empty."))
            if code:
                self.rows[code] = _TermRow(line, code, labels, parent, position)
        self._check_parents()

    def _problem(self, line: int, column: str, reason: str) -> None:
        self.problems.append(ImportProblem(line, column, reason))

    def _parent_of(self, code: str) -> str:
        row = self.rows.get(code)
        if row is not None and self.has_parents:
            return row.parent
        existing = self.existing.get(code)
        return existing[2] if existing else ""

    def _check_parents(self) -> None:
        for row in self.rows.values():
            if not row.parent:
                continue
            if row.parent not in self.rows and row.parent not in self.existing:
                self._problem(
                    row.line,
                    "parent",
                    _("Unknown parent %(code)s: it is neither in the file nor in the vocabulary.")
                    % {"code": row.parent},
                )
                continue
            # Walk up from the term: coming back to it means the hierarchy loops.
            seen = {row.code}
            path = [row.code]
            ancestor = row.parent
            while ancestor and ancestor not in seen:
                seen.add(ancestor)
                path.append(ancestor)
                ancestor = self._parent_of(ancestor)
            if ancestor == row.code:
                self._problem(
                    row.line,
                    "parent",
                    _("The broader terms loop back to this term: %(path)s.")
                    % {"path": " → ".join([*path, row.code])},
                )

    def summary(self) -> ImportSummary:
        created = updated = 0
        for row in self.rows.values():
            existing = self.existing.get(row.code)
            if existing is None:
                created += 1
            elif self._changes(row, existing):
                updated += 1
        return ImportSummary(
            created=created,
            updated=updated,
            unchanged=len(self.rows) - created - updated,
            problems=[],
            dry_run=False,
            preview=self.preview,
            terms_created=created,
        )

    @property
    def has_parents(self) -> bool:
        """Whether the file gives parents; a file without the column keeps the hierarchy."""
        return "parent" in self.index

    def _changes(self, row: _TermRow, existing: tuple[int, dict[str, str], str, int]) -> bool:
        _id, labels, parent, position = existing
        return (
            {**labels, **row.labels} != labels
            or (self.has_parents and row.parent != parent)
            or row.position != position
        )

    def write(self, *, by: User | None) -> None:
        history: dict[str, Any] = {
            "default_user": by,
            "default_change_reason": CHANGE_REASON,
        }
        try:
            with transaction.atomic():
                self._write(history)
        except IntegrityError:
            raise ImportRejected(
                [
                    ImportProblem(
                        None,
                        "",
                        _("The vocabulary changed during the import; import the file again."),
                    )
                ]
            ) from None

    def _write(self, history: dict[str, Any]) -> None:
        vocabulary = self.vocabulary
        if vocabulary is None:
            vocabulary = bulk_create_with_history(
                [Vocabulary(code=self.code, names={"en": self.name or self.code})],
                Vocabulary,
                **history,
            )[0]
        elif self.name and vocabulary.names.get("en") != self.name:
            vocabulary.names = {**vocabulary.names, "en": self.name}
            bulk_update_with_history([vocabulary], Vocabulary, ["names"], **history)
        ids = {code: existing[0] for code, existing in self.existing.items()}
        # Create new terms level by level, so that each one's parent already has an id
        # and no term needs a second history row for its parent.
        pending = [row for row in self.rows.values() if row.code not in self.existing]
        while pending:
            ready = [row for row in pending if not row.parent or row.parent in ids]
            if not ready:  # a loop, which the checks exclude; never spin on it
                raise ImportRejected(
                    [
                        ImportProblem(
                            pending[0].line,
                            "parent",
                            _("The broader terms loop back to this term: %(path)s.")
                            % {"path": pending[0].code},
                        )
                    ]
                )
            created = bulk_create_with_history(
                [
                    Term(
                        vocabulary=vocabulary,
                        code=row.code,
                        labels=row.labels,
                        parent_id=ids.get(row.parent) if row.parent else None,
                        position=row.position,
                    )
                    for row in ready
                ],
                Term,
                **history,
            )
            for row, term in zip(ready, created, strict=True):
                ids[row.code] = term.pk
            pending = [row for row in pending if row.code not in ids]
        changed = {
            existing[0]: row
            for row in self.rows.values()
            if (existing := self.existing.get(row.code)) and self._changes(row, existing)
        }
        if changed:
            terms = Term.objects.in_bulk(list(changed))
            for id, term in terms.items():
                row = changed[id]
                term.labels = {**term.labels, **row.labels}
                if self.has_parents:
                    term.parent_id = ids.get(row.parent) if row.parent else None
                term.position = row.position
            bulk_update_with_history(
                list(terms.values()), Term, ["labels", "parent", "position"], **history
            )
