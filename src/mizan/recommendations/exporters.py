"""Writing recommendations to CSV, XLSX and JSON, in the columns the importer reads.

One row per recommendation text, so that importing an export into an empty registry gives
the same recommendations back. Rows are read in chunks and written as they come, so a
registry of several hundred thousand texts is exported in little memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import batched
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from mizan.core.errors import MizanError
from mizan.recommendations.enums import TaggingSource
from mizan.recommendations.models import (
    Recommendation,
    RecommendationText,
    Tagging,
    Vocabulary,
)

#: The columns before the tag columns: the fields the importer reads.
BASE_COLUMNS = (
    "external_id",
    "document",
    "mechanism",
    "paragraph",
    "language",
    "text",
    "recommending_state",
    "position",
    "status",
    "nhri_status",
    "state_under_review",
    # The importer also reads these two when it creates a document, so they travel too.
    "document_date",
    "cycle",
)
#: Prefix of the column holding one vocabulary's confirmed term codes.
TAG_COLUMN_PREFIX = "tags:"
#: Separator of term codes inside a tag column.
TAG_SEPARATOR = ";"
#: Prefix of the column holding one vocabulary's suggested term codes (waiting for a
#: decision), highest confidence first. The importer ignores these columns.
SUGGESTED_COLUMN_PREFIX = "suggested:"

#: format → (content type, file extension)
EXPORT_CONTENT_TYPES: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
}
EXPORT_FORMATS = tuple(EXPORT_CONTENT_TYPES)

#: Spreadsheets read a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Recommendations read per chunk; the texts and tags of a chunk take one query each.
CHUNK_SIZE = 2000


def export_recommendations(
    queryset: QuerySet[Recommendation],
    *,
    format: str,
    output: BinaryIO,
    vocabularies: Sequence[Vocabulary] | None = None,
) -> None:
    """Write every recommendation of ``queryset`` to ``output`` as ``format``, in its order.

    ``vocabularies`` are the tag columns (default: every vocabulary, in display order).
    After them comes one ``suggested:<code>`` column per vocabulary with suggestions
    waiting on the exported recommendations.
    The caller decides who sees what: pass a queryset that starts from
    :func:`~mizan.recommendations.queries.recommendations_visible_to`.
    """
    if format not in EXPORT_CONTENT_TYPES:
        raise MizanError(
            _("Unknown export format: %(format)s. Choose one of: %(formats)s.")
            % {"format": format, "formats": ", ".join(EXPORT_FORMATS)},
            field="format",
        )
    if vocabularies is None:
        vocabularies = list(Vocabulary.objects.order_by("position", "code"))
    suggested = suggested_vocabularies(queryset)
    columns = [
        *BASE_COLUMNS,
        *(TAG_COLUMN_PREFIX + v.code for v in vocabularies),
        *(SUGGESTED_COLUMN_PREFIX + code for code in suggested),
    ]
    rows = export_rows(queryset, vocabularies, suggested=suggested)
    writers = {"csv": _write_csv, "xlsx": _write_xlsx, "json": _write_json}
    writers[format](columns, rows, output)


#: What a row needs of a recommendation and its document, read as plain values: building
#: model instances (and decoding their JSON fields) would make the export several times
#: slower.
_RECOMMENDATION_VALUES = (
    "id",
    "external_id",
    "document__symbol",
    "document__mechanism__code",
    "paragraph",
    "recommending_state",
    "position",
    "status",
    "nhri_status",
    "document__state_under_review",
    "document__date",
    "document__cycle",
)


def suggested_vocabularies(queryset: QuerySet[Recommendation]) -> list[str]:
    """Codes of the vocabularies with suggestions waiting on ``queryset``, in display order."""
    pending = _pending_suggestions().filter(recommendation_id__in=queryset.order_by().values("id"))
    return list(
        Vocabulary.objects.filter(terms__taggings__in=pending)
        .order_by("position", "code")
        .values_list("code", flat=True)
        .distinct()
    )


def _pending_suggestions() -> QuerySet[Tagging]:
    return Tagging.objects.filter(source=TaggingSource.MODEL, confirmed_at__isnull=True)


def export_rows(
    queryset: QuerySet[Recommendation],
    vocabularies: Sequence[Vocabulary],
    *,
    suggested: Sequence[str] = (),
) -> Iterator[list[str]]:
    """The rows of an export (without the header), one per recommendation text.

    The original text comes first, so an importer that takes a key's first row as the
    original reads it back as such. Recommendations are read ``CHUNK_SIZE`` at a time, and
    the texts and confirmed tags of each chunk in one query each, and its suggestions in
    one more when ``suggested`` names vocabularies.
    """
    codes = [v.code for v in vocabularies]
    values = queryset.prefetch_related(None).values_list(*_RECOMMENDATION_VALUES)
    for chunk in batched(values.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        ids = [row[0] for row in chunk]
        texts = _texts_of(ids)
        tags = _tags_of(ids)
        proposals = _suggestions_of(ids) if suggested else {}
        for (
            id_,
            external_id,
            symbol,
            mechanism,
            paragraph,
            recommending_state,
            position,
            status,
            nhri_status,
            state_under_review,
            document_date,
            cycle,
        ) in chunk:
            found = tags.get(id_, {})
            tag_cells = [
                TAG_SEPARATOR.join(code for _position, code in sorted(found.get(vocabulary, ())))
                for vocabulary in codes
            ]
            proposed = proposals.get(id_, {})
            tag_cells += [
                TAG_SEPARATOR.join(code for _rank, code in sorted(proposed.get(vocabulary, ())))
                for vocabulary in suggested
            ]
            # A recommendation without any text still gets its row rather than vanishing.
            for _not_original, language, text in sorted(texts.get(id_, ())) or [(True, "", "")]:
                yield [
                    external_id or "",
                    symbol,
                    mechanism,
                    paragraph,
                    language,
                    text,
                    recommending_state,
                    position,
                    status,
                    nhri_status,
                    state_under_review,
                    document_date.isoformat() if document_date else "",
                    cycle,
                    *tag_cells,
                ]


def _texts_of(ids: list[int]) -> dict[int, list[tuple[bool, str, str]]]:
    """recommendation id → [(not original, language, text)], which sorts the original first."""
    texts: dict[int, list[tuple[bool, str, str]]] = defaultdict(list)
    rows = RecommendationText.objects.filter(recommendation_id__in=ids).values_list(
        "recommendation_id", "language", "text", "is_original"
    )
    for recommendation_id, language, text, is_original in rows:
        texts[recommendation_id].append((not is_original, language, text))
    return texts


def _tags_of(ids: list[int]) -> dict[int, dict[str, list[tuple[int, str]]]]:
    """recommendation id → vocabulary code → [(term position, term code)], confirmed only."""
    tags: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    rows = Tagging.objects.filter(
        recommendation_id__in=ids, confirmed_at__isnull=False
    ).values_list("recommendation_id", "term__vocabulary__code", "term__position", "term__code")
    for recommendation_id, vocabulary, position, code in rows:
        tags[recommendation_id][vocabulary].append((position, code))
    return tags


def _suggestions_of(ids: list[int]) -> dict[int, dict[str, list[tuple[tuple[float, int], str]]]]:
    """recommendation id → vocabulary code → [((−confidence, term position), term code)] of
    the suggestions waiting for a decision, which sorts the most confident first."""
    found: dict[int, dict[str, list[tuple[tuple[float, int], str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    rows = (
        _pending_suggestions()
        .filter(recommendation_id__in=ids)
        .values_list(
            "recommendation_id",
            "term__vocabulary__code",
            "confidence",
            "term__position",
            "term__code",
        )
    )
    for recommendation_id, vocabulary, confidence, position, code in rows:
        found[recommendation_id][vocabulary].append(((-(confidence or 0.0), position), code))
    return found


def neutralise_formula(value: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would otherwise run as a formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _write_csv(columns: Sequence[str], rows: Iterable[list[str]], output: BinaryIO) -> None:
    # The byte-order mark makes Excel read the file as UTF-8 (Arabic would be garbled
    # otherwise). Quoting every cell is also part of OWASP's advice against injection.
    output.write(codecs.BOM_UTF8)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralise_formula(cell) for cell in row])
        if count % CHUNK_SIZE == 0:
            output.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    output.write(buffer.getvalue().encode("utf-8"))


def _write_xlsx(columns: Sequence[str], rows: Iterable[list[str]], output: BinaryIO) -> None:
    # Write-only mode streams rows to a temporary file and writes inline strings, so memory
    # does not grow with the number of rows.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Recommendations"))

    def cells(values: Iterable[str]) -> list[Cell | None]:
        row: list[Cell | None] = []
        for value in values:
            if not value:
                # An empty cell is left out of the file; writing it costs as much as text.
                row.append(None)
                continue
            # openpyxl refuses control characters XML cannot hold; such text comes from
            # PDF extraction and carries no meaning, so it is dropped.
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


def _write_json(columns: Sequence[str], rows: Iterable[list[str]], output: BinaryIO) -> None:
    # JSON is not opened by spreadsheets, so values are written exactly as they are.
    output.write(b"[")
    separator = b"\n"
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        output.write(separator + json.dumps(record, ensure_ascii=False).encode("utf-8"))
        separator = b",\n"
    output.write(b"\n]\n")
