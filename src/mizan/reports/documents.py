"""What every report document shares, whatever it reports on: the file it becomes, and
the three ways of writing one (PDF from an HTML template, DOCX, XLSX), each right to
left in Arabic.

- **PDF**: :func:`pdf_from_template` renders a Django template in the report's language
  and hands it to WeasyPrint with no base address (nothing is fetched; fonts are the
  system's Noto fonts). Charts are :mod:`mizan.reports.charts` (labels in HTML). Typed
  text takes its own direction with :func:`mizan.core.languages.written`. A long report
  goes through :func:`pdf_from_parts`: WeasyPrint's layout is single-threaded and is
  most of the cost (about 0.1 s a page), so the report is cut into parts laid out at the
  same time in separate processes, then joined, bookmarked and numbered.
- **DOCX** (python-docx): :func:`new_docx` gives a document whose default paragraphs and
  runs are right to left in Arabic; :func:`docx_paragraph` writes one paragraph in the
  direction of its own text; :func:`docx_table` a table of text cells.
- **XLSX** (openpyxl): :func:`xlsx_sheet` adds a sheet (right to left in Arabic) from
  rows, every text cell passed through :func:`spreadsheet_text` so a cell can never
  run as a formula.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.template.loader import render_to_string
from django.utils import translation

from mizan.core.languages import text_direction, written
from mizan.reports.enums import ReportFormat

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from openpyxl import Workbook
    from pypdf import PdfReader, PdfWriter

logger = logging.getLogger(__name__)

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


#: At most this many processes lay out one report's parts.
MAX_PDF_PROCESSES = 4


def pdf_processes() -> int:
    """How many processes can lay out a report at once: the cores this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_PDF_PROCESSES))


def pdf_from_parts(
    template_name: str,
    context: dict[str, Any],
    parts: Sequence[dict[str, Any]],
    language: str,
    *,
    unnumbered_pages: int = 1,
) -> bytes:
    """``template_name`` rendered once per part (with ``part`` in its context), each part
    laid out by WeasyPrint in its own process, the PDFs joined in order.

    The template must not number its pages: a part cannot know how many pages come
    before it until the others are laid out, so the joined PDF is numbered here
    ("3 / 108", after the first ``unnumbered_pages``). Each part starts on a new page.
    A part that continues a section repeats the section's headings, hidden (see
    :func:`join_pdfs`), so the bookmarks nest as in one document.
    """
    with translation.override(language):
        extra = {"language": language, "direction": text_direction(language)}
        documents = [
            render_to_string(template_name, {**context, **extra, "part": part}) for part in parts
        ]
    pdfs = pdfs_from_html(documents)
    writer = join_pdfs(pdfs)
    number_pages(writer, right_to_left=extra["direction"] == "rtl", skip=unnumbered_pages)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_from_html(html: str) -> bytes:
    """One HTML document as a PDF. Runs in the pool's processes too: it needs no Django."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def _pdf_pool(workers: int) -> ProcessPoolExecutor:
    """Processes forked from a fork server that has imported WeasyPrint (seconds the
    first time, milliseconds after): not forked from this process, which may run
    threads (a web server, a task worker) and hold locks a fork would copy."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["weasyprint", __name__])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def pdfs_from_html(documents: Sequence[str]) -> list[bytes]:
    """Each HTML document as a PDF: the first laid out here, the others at the same time
    in child processes. If the processes cannot start or a child dies, its part is laid
    out here instead (slower, same result); a document WeasyPrint cannot lay out then
    raises here as it would have without processes."""
    if len(documents) < 2:
        return [pdf_from_html(html) for html in documents]
    pending: list[Future[bytes] | None] = []
    pool: ProcessPoolExecutor | None = None
    try:
        pool = _pdf_pool(len(documents) - 1)
        pending = [pool.submit(pdf_from_html, html) for html in documents[1:]]
    except Exception:  # no processes here (sandbox, limits): lay every part out here
        logger.warning("PDF parts laid out in one process", exc_info=True)
    try:
        pdfs = [pdf_from_html(documents[0])]
        for index, html in enumerate(documents[1:]):
            future = pending[index] if index < len(pending) else None
            pdfs.append(_result_or_here(future, html))
        return pdfs
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _result_or_here(future: Future[bytes] | None, html: str) -> bytes:
    if future is not None:
        try:
            return future.result()
        except Exception:  # a dead child; a real layout error raises again below
            logger.warning("PDF part laid out again in this process", exc_info=True)
    return pdf_from_html(html)


@dataclass
class _Bookmark:
    title: str
    page: int
    children: list[_Bookmark] = field(default_factory=list)


def join_pdfs(pdfs: Sequence[bytes]) -> PdfWriter:
    """The PDFs one after the other, with the first one's metadata and one outline.

    A part whose first bookmark has the title of the previous part's last bookmark
    continues it: its children go under that bookmark (a part that starts in the middle
    of "Recommendations" carries hidden "report title > Recommendations" headings for
    this), so the outline reads as if the report had been laid out in one go."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    outline: list[_Bookmark] = []
    for index, pdf in enumerate(pdfs):
        reader = PdfReader(io.BytesIO(pdf))
        offset = len(writer.pages)
        writer.append(reader, import_outline=False)
        if index == 0 and reader.metadata:
            writer.add_metadata(
                {key: value for key, value in reader.metadata.items() if isinstance(key, str)}
            )
        _continue_outline(outline, _bookmarks(reader, reader.outline, offset))
    _write_outline(writer, outline, None)
    return writer


def _bookmarks(reader: PdfReader, items: Sequence[Any], offset: int) -> list[_Bookmark]:
    # pypdf lists an item, then the list of its children (if any), then the next item.
    bookmarks: list[_Bookmark] = []
    for item in items:
        if isinstance(item, list):
            if bookmarks:
                bookmarks[-1].children += _bookmarks(reader, item, offset)
            continue
        page = reader.get_destination_page_number(item) or 0
        bookmarks.append(_Bookmark(str(item.title), max(page, 0) + offset))
    return bookmarks


def _continue_outline(outline: list[_Bookmark], more: list[_Bookmark]) -> None:
    if outline and more and outline[-1].title == more[0].title:
        _continue_outline(outline[-1].children, more[0].children)
        more = more[1:]
    outline += more


def _write_outline(writer: PdfWriter, bookmarks: list[_Bookmark], parent: Any) -> None:
    for bookmark in bookmarks:
        added = writer.add_outline_item(
            title=bookmark.title, page_number=bookmark.page, parent=parent, is_open=False
        )
        _write_outline(writer, bookmark.children, added)


#: Widths of the characters of a page number in Helvetica, in thousandths of an em.
_HELVETICA_WIDTHS = {**dict.fromkeys("0123456789", 556), " ": 278, "/": 278}
_PAGE_NUMBER_SIZE = 8
_PAGE_NUMBER_BASELINE = 21.5  # points above the bottom edge: in the middle of a 17 mm margin
_PAGE_NUMBER_COLOUR = "0.29 0.353 0.416"  # #4a5a6a


def number_pages(writer: PdfWriter, *, right_to_left: bool, skip: int = 1) -> None:
    """Write "page / pages" at the foot of every page after the first ``skip``.

    In Helvetica, one of the fonts every PDF reader has, so that nothing is embedded
    and no page's content is parsed again: a small content stream is added to each
    page (the page's own content wrapped in q/Q so its transformations do not apply).
    Right to left the numbers read from the right ("108 / 3" is page 3 of 108), as a
    right-to-left paragraph lays them out."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    total = len(writer.pages)
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )

    def stream(data: bytes) -> Any:
        content = DecodedStreamObject()
        content.set_data(data)
        return writer._add_object(content)

    save, restore = stream(b"q\n"), stream(b"\nQ\n")
    for number, page in enumerate(writer.pages, start=1):
        if number <= skip:
            continue
        text = f"{total} / {number}" if right_to_left else f"{number} / {total}"
        width = sum(_HELVETICA_WIDTHS[character] for character in text) * _PAGE_NUMBER_SIZE
        box = page.mediabox
        x = float(box.left) + (float(box.width) - width / 1000) / 2
        y = float(box.bottom) + _PAGE_NUMBER_BASELINE
        label = stream(
            f"q {_PAGE_NUMBER_COLOUR} rg BT /MizanPageNumber {_PAGE_NUMBER_SIZE} Tf "
            f"{x:.2f} {y:.2f} Td ({text}) Tj ET Q\n".encode("ascii")
        )
        contents = page.get("/Contents")
        if contents is None:
            existing: list[Any] = []
        elif isinstance(contents.get_object(), ArrayObject):
            existing = list(contents.get_object())
        else:
            existing = [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *existing, restore, label])
        if "/Resources" not in page:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        fonts = cast(DictionaryObject, resources["/Font"].get_object())
        fonts[NameObject("/MizanPageNumber")] = font


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

    # Imported here: this module must import without Django set up (the PDF processes).
    from mizan.recommendations.exporters import neutralise_formula

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
