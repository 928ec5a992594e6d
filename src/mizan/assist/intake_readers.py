"""Reading the text out of a UN document (PDF, DOCX or plain text), page by page and line
by line, for :mod:`mizan.assist.intake` to find the recommendations in.

A file is recognised by what its bytes are (libmagic), never by its name. A PDF gives
its pages' lines as pypdf lays them out; a DOCX gives one line per paragraph and table
cell, with Word's automatic paragraph numbers ("37.", "(a)") written out, since UN
documents number their paragraphs that way; plain text is decoded whatever its encoding,
and a form feed starts a new page.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import magic
from django.utils.translation import gettext as _

from mizan.core.errors import MizanError

logger = logging.getLogger(__name__)

PDF = "pdf"
DOCX = "docx"
TEXT = "text"
KINDS = (PDF, DOCX, TEXT)
#: What libmagic calls the files read as each kind (a DOCX some tools write is seen as a
#: plain zip archive; the archive's parts then tell whether it is one).
PDF_TYPES = frozenset({"application/pdf"})
DOCX_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip",
        "application/octet-stream",
    }
)
TEXT_TYPES = frozenset({"text/plain", "text/csv", "text/x-c", "text/html", "text/xml"})

#: A document's pages, each a list of lines.
Pages = list[list[str]]


class UnreadableDocument(MizanError):
    """The file is not a PDF, DOCX or plain-text document, or it is damaged."""

    code = "unreadable_document"


def kind_of(data: bytes) -> str:
    """``pdf``, ``docx`` or ``text``, from the file's content; raises
    :class:`UnreadableDocument` for anything else."""
    if not data.strip():
        raise UnreadableDocument(_("The file is empty."), field="file")
    found = str(magic.from_buffer(data[:65536], mime=True))
    if found in PDF_TYPES or data.startswith(b"%PDF-"):
        return PDF
    if found in DOCX_TYPES and _is_docx(data):
        return DOCX
    if found.startswith("text/") or found in TEXT_TYPES:
        return TEXT
    raise UnreadableDocument(
        _(
            "This file's content is not a document Mizan can read (%(found)s). "
            "Give a PDF, a Word document (DOCX) or plain text."
        )
        % {"found": found},
        field="file",
    )


def read_pages(data: bytes, kind: str | None = None) -> tuple[str, Pages]:
    """The document's kind and its pages' lines."""
    kind = kind or kind_of(data)
    if kind == PDF:
        return kind, read_pdf(data)
    if kind == DOCX:
        return kind, [read_docx(data)]
    return kind, read_text(data)


# --- PDF -----------------------------------------------------------------------------------


def read_pdf(data: bytes) -> Pages:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    unreadable = UnreadableDocument(
        _("This PDF file cannot be read: it is damaged or protected by a password."),
        field="file",
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise unreadable
        pages = []
        for page in reader.pages:
            text = page.extract_text() or ""
            pages.append(_lines(text))
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        logger.info("intake: unreadable PDF", exc_info=True)
        raise unreadable from None
    if not any(line for page in pages for line in page):
        raise UnreadableDocument(
            _(
                "This PDF holds no text, only images (a scan?). Mizan cannot read scans; "
                "use the text version of the document."
            ),
            field="file",
        )
    return pages


# --- DOCX ----------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_docx(data: bytes) -> list[str]:
    """One line per paragraph of the body, in order, table cells included; the numbers
    Word writes by itself are put back in front of their paragraphs."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds of error for a damaged file
        logger.info("intake: unreadable DOCX", exc_info=True)
        raise UnreadableDocument(
            _("This Word document cannot be read: it is damaged."), field="file"
        ) from None
    numbering = _Numbering(document)
    lines: list[str] = []
    for element in _body_paragraphs(document.element.body):
        text = "".join(_paragraph_text(element))
        label = numbering.label(element)
        if label:
            text = f"{label} {text.lstrip()}"
        lines.append(text)
    return lines


def _body_paragraphs(parent: Any) -> Iterator[Any]:
    """The ``w:p`` elements of the body in reading order, descending into tables."""
    for child in parent.iterchildren():
        if child.tag == f"{_W}p":
            yield child
        elif child.tag in (f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}sdt", f"{_W}sdtContent"):
            yield from _body_paragraphs(child)


def _paragraph_text(paragraph: Any) -> Iterator[str]:
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}footnoteReference"):
        if node.tag == f"{_W}t":
            yield node.text or ""
        elif node.tag in (f"{_W}tab", f"{_W}br"):
            yield " "
        # A footnote reference is a number in the text only when rendered; skip it.


_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _letters(number: int) -> str:
    # Word's "a … z, aa … zz" numbering
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


class _Numbering:
    """Word's automatic list numbers: counters per list and level, formatted as each
    level's pattern says (``%1.``, ``(%2)``)."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_numbers: dict[str, tuple[str, int]] = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return
        root = part.element
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iter(f"{_W}abstractNum"):
            levels = {}
            for level in node.iter(f"{_W}lvl"):
                ilvl = int(level.get(f"{_W}ilvl", "0"))
                fmt = level.find(f"{_W}numFmt")
                text = level.find(f"{_W}lvlText")
                start = level.find(f"{_W}start")
                levels[ilvl] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for node in root.iter(f"{_W}num"):
            ref = node.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[node.get(f"{_W}numId")] = abstract.get(ref.get(f"{_W}val"), {})
        for style in document.styles.element.iter(f"{_W}style"):
            props = style.find(f"{_W}pPr")
            pr = props.find(f"{_W}numPr") if props is not None else None
            if pr is not None:
                self.style_numbers[style.get(f"{_W}styleId")] = self._num_pr(pr)

    def _num_pr(self, pr: Any) -> tuple[str, int]:
        num = pr.find(f"{_W}numId")
        ilvl = pr.find(f"{_W}ilvl")
        return (
            num.get(f"{_W}val") if num is not None else "",
            int(ilvl.get(f"{_W}val")) if ilvl is not None else 0,
        )

    def label(self, paragraph: Any) -> str:
        if not self.levels:
            return ""
        props = paragraph.find(f"{_W}pPr")
        if props is None:
            return ""
        pr = props.find(f"{_W}numPr")
        if pr is not None:
            num_id, ilvl = self._num_pr(pr)
        else:
            style = props.find(f"{_W}pStyle")
            found = self.style_numbers.get(style.get(f"{_W}val")) if style is not None else None
            if found is None:
                return ""
            num_id, ilvl = found
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 10)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else levels[ilvl][2]
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = 0
        fmt, pattern, _start = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""

        def number(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            value = counters[level] or (levels.get(level, ("", "", 1))[2])
            level_fmt = levels.get(level, (fmt, "", 1))[0]
            if level_fmt == "lowerLetter":
                return _letters(value)
            if level_fmt == "upperLetter":
                return _letters(value).upper()
            if level_fmt == "lowerRoman":
                return _roman(value)
            if level_fmt == "upperRoman":
                return _roman(value).upper()
            return str(value)

        return re.sub(r"%(\d)", number, pattern)


# --- Plain text ----------------------------------------------------------------------------


#: The encodings other than UTF-8 that UN documents saved as text come in (Windows and
#: ISO code pages for Latin, Arabic and Cyrillic script, UTF-16, Chinese); a short list
#: keeps a short French text from being taken for Central European.
_LEGACY_ENCODINGS = (
    "utf_16",
    "cp1252",
    "cp1256",
    "iso8859_6",
    "cp1251",
    "gb18030",
    "mac_roman",
)


def read_text(data: bytes) -> Pages:
    from charset_normalizer import from_bytes

    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", "replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            best = from_bytes(data, cp_isolation=list(_LEGACY_ENCODINGS)).best()
            if best is None:
                raise UnreadableDocument(
                    _("This text file's encoding cannot be recognised; save it as UTF-8."),
                    field="file",
                ) from None
            text = str(best)
    return [_lines(page) for page in text.split("\f")]


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
