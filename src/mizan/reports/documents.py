"""What every report document shares, whatever it reports on: the file it becomes, and
the three ways of writing one (PDF from an HTML template, DOCX, XLSX), each right to
left in Arabic.

- **PDF**: :func:`pdf_from_template` renders a Django template in the report's language
  and hands it to WeasyPrint with no base address (nothing is fetched; fonts are the
  system's Noto fonts). Charts are :mod:`mizan.reports.charts` (labels in HTML). Typed
  text takes its own direction with :func:`mizan.core.languages.written`.
- **DOCX** (python-docx): :func:`new_docx` gives a document whose default paragraphs and
  runs are right to left in Arabic; :func:`docx_paragraph` writes one paragraph in the
  direction of its own text; :func:`docx_table` a table of text cells.
- **XLSX** (openpyxl): :func:`xlsx_sheet` adds a sheet (right to left in Arabic) from
  rows, every text cell passed through :func:`spreadsheet_text` so a cell can never
  run as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import translation

from mizan.core.languages import text_direction, written
from mizan.recommendations.exporters import neutralise_formula
from mizan.reports.enums import ReportFormat

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from openpyxl import Workbook

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ReportFile:
    """A written report: what to call it, what it is, and its bytes."""

    filename: str
    format: str
    content: bytes

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[ReportFormat(self.format)]


# --- PDF ------------------------------------------------------------------------------


def pdf_from_template(template_name: str, context: dict[str, Any], language: str) -> bytes:
    """``template_name`` rendered in ``language`` (with ``language`` and ``direction``
    in its context), as a PDF."""
    from weasyprint import HTML  # imported here: it loads fonts and Pango, which is slow

    with translation.override(language):
        html = render_to_string(
            template_name,
            {**context, "language": language, "direction": text_direction(language)},
        )
    # No base address: the document loads nothing from anywhere.
    return bytes(HTML(string=html).write_pdf())


# --- DOCX -----------------------------------------------------------------------------


def _right_to_left(element: Any, on: bool) -> None:
    """Set (or clear) ``w:bidi`` on paragraph properties, ``w:rtl`` on run properties."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    name = "w:bidi" if element.tag == qn("w:pPr") else "w:rtl"
    for old in element.findall(qn(name)):
        element.remove(old)
    if on:
        element.append(OxmlElement(name))


def new_docx(language: str) -> DocxDocument:
    """An empty DOCX whose normal style reads right to left in Arabic, in Noto fonts."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Noto Sans"
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:cs"), "Noto Naskh Arabic")
    if text_direction(language) == "rtl":
        _right_to_left(normal.element.get_or_add_pPr(), True)
        _right_to_left(normal.element.get_or_add_rPr(), True)
    return document


def docx_paragraph(
    document: Any, text: Any, *, style: str | None = None, bold: bool = False
) -> Any:
    """A paragraph (in ``document`` or a table cell) in the direction of its own text."""
    shown = written(text, default="rtl" if translation.get_language_bidi() else "ltr")
    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(shown.text)
    run.bold = bold or None
    right_to_left = shown.dir == "rtl"
    _right_to_left(paragraph._p.get_or_add_pPr(), right_to_left)
    _right_to_left(run._r.get_or_add_rPr(), right_to_left)
    return paragraph


def docx_heading(document: Any, text: Any, level: int = 1) -> Any:
    heading = document.add_heading(level=level)
    run = heading.add_run(str(text))
    right_to_left = (
        written(text, default="rtl" if translation.get_language_bidi() else "ltr").dir == "rtl"
    )
    _right_to_left(heading._p.get_or_add_pPr(), right_to_left)
    _right_to_left(run._r.get_or_add_rPr(), right_to_left)
    return heading


def docx_table(document: Any, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Any:
    """A table with a bold header row; its columns run right to left in Arabic."""
    from docx.oxml import OxmlElement

    rows = [list(row) for row in rows]
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    if translation.get_language_bidi():
        table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].text = ""
        _fill(cell, value, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            _fill(cell, value)
    return table


def _fill(cell: Any, value: Any, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    shown = written(
        "" if value is None else value, default="rtl" if translation.get_language_bidi() else "ltr"
    )
    run = paragraph.add_run(shown.text)
    run.bold = bold or None
    _right_to_left(paragraph._p.get_or_add_pPr(), shown.dir == "rtl")
    _right_to_left(run._r.get_or_add_rPr(), shown.dir == "rtl")


def docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- XLSX -----------------------------------------------------------------------------


def spreadsheet_text(value: Any) -> Any:
    """A cell's value: numbers and dates as they are, text neutralised against formulas."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    from datetime import date
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value
    return neutralise_formula(str(value))


def new_workbook() -> Workbook:
    from openpyxl import Workbook

    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    return workbook


def xlsx_sheet(
    workbook: Workbook, title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> Any:
    """A sheet named ``title`` (cut to Excel's 31 characters) with a bold header row,
    right to left in Arabic."""
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.sheet_view.rightToLeft = bool(translation.get_language_bidi())
    sheet.append([spreadsheet_text(str(value)) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([spreadsheet_text(value) for value in row])
    return sheet


def _sheet_title(title: str) -> str:
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title[:31] or "-"


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
