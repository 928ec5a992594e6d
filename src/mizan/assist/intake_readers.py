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
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
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


def read_pages(data: bytes, kind: str | None = None) -> Reading:
    """The document's kind and its pages' lines."""
    kind = kind or kind_of(data)
    if kind == PDF:
        return read_pdf(data)
    if kind == DOCX:
        return Reading(kind, [read_docx(data)])
    return Reading(kind, read_text(data))


# --- PDF -----------------------------------------------------------------------------------
#
# Poppler's ``pdftotext -bbox-layout`` gives each word of a page with its box, in the order
# the glyphs are drawn: left to right, so a right-to-left word comes with its letters last
# first. The words are put into lines by their height on the page, and each line into
# reading order by the Unicode bidirectional algorithm (UAX #9), which turns the visual
# order back into the logical one. pypdf is the fallback where poppler is not installed.

#: poppler's program; the bench sets it empty to measure pypdf alone
PDFTOTEXT = "pdftotext"
#: seconds one ``pdftotext`` run may take (a 200-page report takes about two)
PDFTOTEXT_TIMEOUT = 60
_XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass
class Reading:
    """What was read from a file: its kind, its pages' lines, and the pages (numbered from
    1) that draw an image, which a page that is a scan does."""

    kind: str
    pages: Pages
    pages_with_images: set[int] = field(default_factory=set)
    #: ``pdftotext`` or ``pypdf`` for a PDF
    reader: str = ""


def read_pdf(data: bytes) -> Reading:
    """The PDF's pages, by poppler when it is installed, else by pypdf; raises
    :class:`UnreadableDocument` when it is damaged or holds no text at all."""
    reader = _pypdf_reader(data)
    pages = _pdftotext_pages(data, len(reader.pages))
    name = "pdftotext"
    if pages is None:
        pages = _pypdf_pages(reader)
        name = "pypdf"
    if not any(line for page in pages for line in page):
        raise UnreadableDocument(
            _(
                "This PDF holds no text, only images (a scan?). Mizan cannot read scans; "
                "use the text version of the document."
            ),
            field="file",
        )
    with_images = {number for number, page in enumerate(reader.pages, 1) if _has_image(page)}
    return Reading(PDF, pages, with_images, name)


def _unreadable_pdf() -> UnreadableDocument:
    return UnreadableDocument(
        _("This PDF file cannot be read: it is damaged or protected by a password."),
        field="file",
    )


def _pypdf_reader(data: bytes) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _unreadable_pdf()
        reader.pages[0]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, IndexError):
        logger.info("intake: unreadable PDF", exc_info=True)
        raise _unreadable_pdf() from None
    return reader


def _pypdf_pages(reader: Any) -> Pages:
    """The pages as pypdf reads them; a right-to-left page in layout mode, which keeps the
    visual order the bidirectional algorithm then undoes (the plain mode mixes it up)."""
    from pypdf.errors import PdfReadError

    pages = []
    try:
        for page in reader.pages:
            lines = _lines(page.extract_text() or "")
            if _right_to_left(lines):
                laid_out = _lines(page.extract_text(extraction_mode="layout") or "")
                lines = [logical_order(" ".join(line.split()), rtl=True) for line in laid_out]
            pages.append(lines)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        logger.info("intake: unreadable PDF", exc_info=True)
        raise _unreadable_pdf() from None
    return pages


def _has_image(page: Any) -> bool:
    """Whether a page draws an image (an image XObject, directly or in a form, or an
    inline image)."""
    try:
        if page.images:
            return True
        content = page.get_contents()
        return content is not None and b" BI" in content.get_data()
    except Exception:  # pypdf raises many kinds of error for a damaged page
        logger.info("intake: page images unreadable", exc_info=True)
        return True


def _pdftotext_pages(data: bytes, count: int) -> Pages | None:
    """The pages' lines in reading order, or None when poppler is not installed or fails
    on the file (pypdf then reads it)."""
    binary = shutil.which(PDFTOTEXT) if PDFTOTEXT else None
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="mizan-intake-") as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(data)
        try:
            done = subprocess.run(
                [binary, "-bbox-layout", "-enc", "UTF-8", "-q", str(path), "-"],
                capture_output=True,
                timeout=PDFTOTEXT_TIMEOUT,
                check=False,
            )
        except (subprocess.TimeoutExpired, OSError):
            logger.warning("intake: pdftotext failed", exc_info=True)
            return None
    if done.returncode != 0 or not done.stdout:
        logger.info("intake: pdftotext exited with %s", done.returncode)
        return None
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=True
    )
    root = etree.fromstring(done.stdout, parser=parser)
    if root is None:
        return None
    pages = [_page_lines(page) for page in root.iter(f"{_XHTML}page")]
    return pages if len(pages) == count else None


@dataclass
class _Word:
    left: float
    top: float
    right: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _page_lines(page: Any) -> list[str]:
    words = []
    for node in page.iter(f"{_XHTML}word"):
        text = _without_controls(node.text or "")
        if text:
            left, top, right, bottom = (
                float(node.get(key, 0)) for key in ("xMin", "yMin", "xMax", "yMax")
            )
            words.append(_Word(left, top, right, bottom, text))
    marks = [w for w in words if all(unicodedata.combining(c) for c in w.text)]
    lines = _rows([w for w in words if w not in marks])
    for mark in marks:
        _place_mark(mark, lines)
    rtl = _right_to_left([w.text for w in words])
    return [_line_text(row, rtl=rtl) for row in lines]


def _overlap(word: _Word, top: float, bottom: float) -> float:
    return min(word.bottom, bottom) - max(word.top, top)


def _rows(words: list[_Word]) -> list[list[_Word]]:
    """The words in lines, top to bottom: a word is on a line when most of its height is
    (a superscript footnote marker is; a justified line poppler cut in two comes whole)."""
    rows: list[tuple[float, float, list[_Word]]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        for position, (top, bottom, row) in enumerate(reversed(rows[-3:])):
            if _overlap(word, top, bottom) >= 0.5 * min(word.height, bottom - top):
                row.append(word)
                index = len(rows) - 1 - position
                rows[index] = (min(top, word.top), max(bottom, word.bottom), row)
                break
        else:
            rows.append((word.top, word.bottom, [word]))
    return [sorted(row, key=lambda w: (w.left, w.right)) for _top, _bottom, row in rows]


def _place_mark(mark: _Word, rows: list[list[_Word]]) -> None:
    """Put a lone accent (an Arabic tanwin poppler finds above its line) back into its
    word, before the letter it stands on, as the word's letters are in visual order."""
    best = max(rows, key=lambda row: _overlap(mark, row[0].top, row[0].bottom), default=None)
    if best is None or _overlap(mark, best[0].top, best[0].bottom) <= 0:
        return
    words = [w for w in best if any(unicodedata.category(c) == "Lo" for c in w.text)]
    if not words:
        return
    word = min(words, key=lambda w: max(w.left - mark.left, mark.left - w.right, 0))
    if max(word.left - mark.left, mark.left - word.right) > word.height:
        return
    width = (word.right - word.left) / len(word.text)
    at = int((mark.left - word.left) / width) if width else 0
    # on a letter, not on the punctuation drawn next to it
    letters = [i for i, c in enumerate(word.text) if unicodedata.category(c) == "Lo"]
    at = min(letters, key=lambda i: abs(i - at))
    word.text = word.text[:at] + mark.text + word.text[at:]


def _line_text(row: list[_Word], *, rtl: bool) -> str:
    parts: list[str] = []
    previous: _Word | None = None
    height = max(w.height for w in row)
    for word in row:
        # words poppler cut at a change of font (a footnote marker, a bold word) touch
        if previous is not None and word.left - previous.right > 0.1 * height:
            parts.append(" ")
        parts.append(word.text)
        previous = word
    return logical_order("".join(parts), rtl=rtl)


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _without_controls(text: str) -> str:
    return _CONTROLS.sub("", text)


def _right_to_left(texts: list[str]) -> bool:
    """Whether a page is written right to left: more of its letters are Arabic (or
    Hebrew) than Latin."""
    counts = Counter(unicodedata.bidirectional(c) for text in texts for c in text)
    return counts["R"] + counts["AL"] > counts["L"]


# --- The bidirectional algorithm, for one line ---------------------------------------------

_STRONG = frozenset({"L", "R", "AL"})
_NEUTRAL = frozenset({"B", "S", "WS", "ON", "BN"})


def _bidi_class(char: str) -> str:
    found = unicodedata.bidirectional(char)
    if found in ("LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"):
        return "BN"
    return found or "L"


def logical_order(visual: str, *, rtl: bool) -> str:
    """A line from the order its characters are drawn in (left to right) to the order
    they are read in: the rules W1–W7, N1–N2, I1–I2 and L2 of UAX #9 for one paragraph
    of base direction ``rtl`` without explicit embeddings. The algorithm is its own
    inverse for the lines documents hold (runs of Arabic with numbers, symbols and Latin
    words in them); brackets are not mirrored, as PDF writers record the character, not
    the glyph it is drawn with."""
    if not rtl and not any(_bidi_class(c) in ("R", "AL") for c in visual):
        return visual
    embedding = "R" if rtl else "L"
    types = [_bidi_class(c) for c in visual]
    # W1: a combining mark takes the type of the character it is on
    for i, kind in enumerate(types):
        if kind == "NSM":
            types[i] = types[i - 1] if i else embedding
    # W2, W3: European digits after Arabic letters are Arabic digits; Arabic letters are R
    strong = embedding
    for i, kind in enumerate(types):
        if kind in _STRONG:
            strong = kind
        elif kind == "EN" and strong == "AL":
            types[i] = "AN"
    types = ["R" if kind == "AL" else kind for kind in types]
    # W4: one separator between two numbers of a kind belongs to them ("26-04512", "2.5")
    for i in range(1, len(types) - 1):
        before, after = types[i - 1], types[i + 1]
        if types[i] == "ES" and before == after == "EN":
            types[i] = "EN"
        elif types[i] == "CS" and before == after and before in ("EN", "AN"):
            types[i] = before
    # W5: currency and percent signs next to European digits
    for i, kind in enumerate(types):
        if kind != "ET":
            continue
        j = i
        while j < len(types) and types[j] == "ET":
            j += 1
        if (i and types[i - 1] == "EN") or (j < len(types) and types[j] == "EN"):
            for k in range(i, j):
                types[k] = "EN"
    # W6, W7
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]
    strong = embedding
    for i, kind in enumerate(types):
        if kind in ("L", "R"):
            strong = kind
        elif kind == "EN" and strong == "L":
            types[i] = "L"
    # N1, N2: neutrals between two of a direction (numbers count as R) take it
    i = 0
    while i < len(types):
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < len(types) and types[j] in _NEUTRAL:
            j += 1
        before = _direction(types[i - 1]) if i else embedding
        after = _direction(types[j]) if j < len(types) else embedding
        for k in range(i, j):
            types[k] = before if before == after else embedding
        i = j
    # I1, I2
    base = 1 if rtl else 0
    levels = [
        (base + 1 if kind in ("L", "EN", "AN") else base)
        if rtl
        else (base + 1 if kind == "R" else base + 2 if kind in ("EN", "AN") else base)
        for kind in types
    ]
    # L2: reverse each run at or above every level, from the highest to the lowest odd one
    chars = list(visual)
    for level in range(max(levels, default=0), 0, -1):
        i = 0
        while i < len(chars):
            if levels[i] < level:
                i += 1
                continue
            j = i
            while j < len(chars) and levels[j] >= level:
                j += 1
            chars[i:j] = chars[i:j][::-1]
            levels[i:j] = levels[i:j][::-1]
            i = j
    return "".join(chars)


def _direction(kind: str) -> str:
    return "L" if kind == "L" else "R"


# --- DOCX ----------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


#: A Word document whose parts would unpack to more than this is refused (a zip bomb):
#: the longest UN reports unpack to a few megabytes.
DOCX_UNPACKED_LIMIT = 200 * 1024 * 1024


def read_docx(data: bytes) -> list[str]:
    """One line per paragraph of the body, in order, table cells included; the numbers
    Word writes by itself are put back in front of their paragraphs."""
    import docx

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > DOCX_UNPACKED_LIMIT:
        raise UnreadableDocument(
            _("This Word document unpacks to more than %(size)d MB; it is refused.")
            % {"size": DOCX_UNPACKED_LIMIT // (1024 * 1024)},
            field="file",
        )
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
