"""Finding the recommendations in a UN document: treaty bodies' concluding observations
and UPR working-group reports, in English, French, Arabic (and Spanish), read from PDF,
DOCX or plain text into rows of the import format.

What the parser decides, so that users and tests can rely on it:

* Running heads and feet (the symbol, ``GE.26-12345``, page numbers, lines repeated at
  the top or bottom of most pages) and footnotes (bodies at a page's foot and their
  markers in the text) are dropped; a word hyphenated at a line's end is joined again
  unless the document writes it with its hyphen elsewhere (or it is a compound).
* Text is read as written, whatever the writer recorded: Arabic presentation forms and
  ligatures become letters, tatweel (kashida) is dropped, Arabic-Indic digits number
  paragraphs as European ones do. A PDF page that holds only an image (a scan) is named in
  a warning, since its recommendations cannot be read.
* Concluding observations: a numbered paragraph (``37.``, or ``37-`` / ``٣٧-`` in Arabic)
  is a recommendation when it holds a recommendation verb (recommends, urges, calls
  upon, encourages, requests, invites; *recommande, prie instamment, engage, exhorte*;
  *توصي، تحث، تشجع، تطلب، تدعو*; "the State party should"). A paragraph with sub-paragraphs
  gives one row per sub-paragraph, ``37(a)``, ``37(b)``…; Arabic letters ``(أ)``, ``(ب)``…
  are mapped to Latin ones in the documents' own (abjad) order, so the Arabic version of
  a document gives the same references as the English and French ones and its texts join
  the same recommendations on import. A lead-in that only says who recommends to whom
  ("The Committee recommends that the State party:") is dropped; any other lead-in is
  kept in front of each sub-paragraph's text. Without sub-paragraphs the text runs from
  the first sentence that recommends. Other paragraphs are skipped with a warning.
* UPR reports: each ``186.28`` entry is one row. The recommending state is the
  parenthesis at the end (nested parentheses kept: "Venezuela (Bolivarian Republic
  of)"). When OHCHR grouped several states' recommendations under one number, the row
  names them all, ``Albania; Chile`` (the import's recommending-state column is free text,
  and a recommendation is one number of the report), and its text keeps each part's
  state, since the parts differ; with one state, the text leaves the state out.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mizan.assist.intake_readers import DOCX, TEXT, Pages, read_pages
from mizan.recommendations.exporters import neutralise_formula

TREATY_BODY = "treaty_body"
UPR = "upr"
#: The columns of the file :func:`write_csv` writes (the import's field names).
CSV_COLUMNS = (
    "document",
    "mechanism",
    "paragraph",
    "text",
    "language",
    "recommending_state",
    "state_under_review",
)

#: Treaty bodies' symbols and their mechanism codes (``E/C.12/…`` is CESCR's).
_SYMBOL_MECHANISMS = (
    (re.compile(r"^A/HRC/", re.I), "UPR"),
    (re.compile(r"^E/C\.12/", re.I), "CESCR"),
    (re.compile(r"^(CMW|CAT|CCPR|CEDAW|CRC|CERD|CRPD|CED)/", re.I), ""),
)


@dataclass
class IntakeRow:
    """One recommendation found in the document."""

    paragraph: str
    text: str
    recommending_state: str = ""
    language: str = ""


@dataclass
class IntakeResult:
    rows: list[IntakeRow]
    warnings: list[str]
    layout: str
    language: str
    source: str = TEXT
    #: the symbol the running heads repeat, when the document has any
    symbol: str = ""
    skipped: list[str] = field(default_factory=list)
    #: the pages (from 1) with no text but their running heads and feet
    empty_pages: list[int] = field(default_factory=list)


# --- Entry points --------------------------------------------------------------------------


def read_document(data: bytes, *, language: str | None = None) -> IntakeResult:
    """The recommendations of a PDF, DOCX or plain-text file. Raises
    :class:`~mizan.assist.intake_readers.UnreadableDocument` for any other file."""
    reading = read_pages(data)
    result = parse_pages(reading.pages, language=language, wrapped=reading.kind != DOCX)
    result.source = reading.kind
    warnings = []
    scans = [number for number in result.empty_pages if number in reading.pages_with_images]
    if scans:
        count = len(scans)
        warnings.append(
            ngettext(
                "Page %(pages)s of this PDF has no text, only an image (a scan?): Mizan "
                "cannot read it, so recommendations on it are missing. Use the text version "
                "of the document, or type them in.",
                "Pages %(pages)s of this PDF have no text, only images (scans?): Mizan "
                "cannot read them, so recommendations on them are missing. Use the text "
                "version of the document, or type them in.",
                count,
            )
            % {"pages": ", ".join(str(number) for number in scans)}
        )
    result.warnings[:0] = warnings
    return result


def parse_text(text: str, *, language: str | None = None) -> IntakeResult:
    """The recommendations of pasted text (form feeds separate pages)."""
    return parse_pages([page.split("\n") for page in text.split("\f")], language=language)


def parse_pages(pages: Pages, *, language: str | None = None, wrapped: bool = True) -> IntakeResult:
    """The recommendations of a document's pages. ``wrapped``: a line is a line of print
    (PDF, text), not a whole paragraph (DOCX)."""
    pages = [[_normal_line(line) for line in page] for page in pages]
    symbol = _running_symbol(pages)
    kept = _without_page_furniture(pages)
    empty = [number for number, page in enumerate(kept, 1) if not page]
    footnotes = _footnote_numbers(kept) if wrapped else set()
    lines = [line for page in kept for line in page]
    flat = " ".join(lines)
    language = language or detect_language(flat)
    parser = _BlockParser(lines, wrapped=wrapped, footnotes=footnotes)
    blocks = parser.blocks()
    if sum(1 for b in blocks if b.kind == "upr") >= 3:
        rows, warnings = _upr_rows(blocks, language)
        layout = UPR
    else:
        rows, warnings = _treaty_rows(blocks, language)
        layout = TREATY_BODY
    if not rows:
        warnings.append(_("No recommendation was found in this document."))
    return IntakeResult(rows, warnings, layout, language, symbol=symbol, empty_pages=empty)


def guess_mechanism(symbol: str) -> str:
    """The mechanism a document symbol belongs to (``CMW/C/MAR/CO/2`` → CMW), or ""."""
    symbol = symbol.strip()
    for pattern, code in _SYMBOL_MECHANISMS:
        match = pattern.match(symbol)
        if match:
            return code or match.group(1).upper()
    return ""


def write_csv(
    rows: Iterable[IntakeRow],
    *,
    document: str,
    mechanism: str = "",
    state_under_review: str = "",
) -> str:
    """The rows as a CSV file that ``mizan import recommendations`` reads unchanged."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                neutralise_formula(value)
                for value in (
                    document,
                    mechanism,
                    row.paragraph,
                    row.text,
                    row.language,
                    row.recommending_state,
                    state_under_review,
                )
            ]
        )
    return buffer.getvalue()


# --- Languages -----------------------------------------------------------------------------

_STOPWORDS = {
    "en": {"the", "of", "and", "to", "in", "that", "its", "with", "for", "on"},
    "fr": {"le", "la", "les", "des", "et", "du", "de", "à", "en", "que", "pour", "dans"},
    "es": {"el", "la", "los", "las", "y", "del", "de", "que", "para", "en", "con", "por"},
}


def detect_language(text: str) -> str:
    """``ar``, ``ru``, ``zh``, ``fr``, ``es`` or ``en``, from the text's script and words."""
    letters = [c for c in text[:20000] if c.isalpha()]
    if not letters:
        return "en"
    scripts = Counter(
        "ar"
        if "\u0600" <= c <= "\u06ff"
        else "ru"
        if "\u0400" <= c <= "\u04ff"
        else "zh"
        if "\u4e00" <= c <= "\u9fff"
        else "latin"
        for c in letters
    )
    script, count = scripts.most_common(1)[0]
    if script != "latin" and count > len(letters) * 0.3:
        return script
    words = Counter(re.findall(r"[^\W\d_]+", text[:20000].casefold()))
    scores = {
        language: sum(words[w] for w in stopwords) for language, stopwords in _STOPWORDS.items()
    }
    return max(scores, key=lambda language: scores[language])


# --- Lines ---------------------------------------------------------------------------------

SOFT_BREAK = "\u2010"
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_SUPERSCRIPTS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?$"
    r"|^(?:page|p\.|الصفحة)\s*\d+(?:\s*(?:/|of|sur|de|من)\s*\d+)?$"
    r"|^\d+\s*/\s*\d+$",
    re.IGNORECASE,
)
_JOB_NUMBER = re.compile(r"^(?:\d+\s+)?GE\.\d{2}-\d{3,6}(?:\s*\(\w\))?(?:\s+\d+)?$|^\*\d{5,}\*$")
_SYMBOL = re.compile(r"^[A-Z]{1,6}(?:/[A-Z0-9.]+(?:/[A-Z0-9.()-]+)*){2,}$")
_RULE = re.compile(r"^[_\-–—*=.\s]{3,}$")
_PLEASE_RECYCLE = re.compile(r"^please recycle$", re.IGNORECASE)


#: Arabic presentation forms (the shapes of letters, which some PDF writers record instead
#: of the letters) and Latin ligatures ("ﬁ"): NFKC gives the letters back. The rest of the
#: text keeps what NFKC would change ("²", "½").
_PRESENTATION_FORMS = re.compile(r"[\ufb00-\ufb06\ufb1d-\ufdff\ufe70-\ufeff]+")
#: the tatweel stretches a justified Arabic word; it is not a letter
_TATWEEL = "\u0640"


def _normal_line(line: str) -> str:
    line = _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), line)
    line = unicodedata.normalize("NFC", line.replace(_TATWEEL, "")).rstrip()
    # A soft hyphen (U+00AD) or a typesetter's hyphen (U+2010) at a line's end cuts a word:
    # keep one mark there, for the join to drop; elsewhere a soft hyphen is invisible.
    soft_break = line.endswith(("\u00ad", "\u2010"))
    line = line.replace("\u00ad", "")
    if soft_break:
        line = line.rstrip("\u2010") + SOFT_BREAK
    line = _SUPERSCRIPTS.sub("", line)
    return _SPACES.sub(" ", line).strip()


def _furniture_key(line: str) -> str:
    """A line as running heads repeat it: the page number at either end may change."""
    folded = line.translate(_ARABIC_DIGITS).casefold()
    if len(folded.split(" ")) <= 8 and not folded.endswith("."):
        folded = re.sub(r"^\d+\s+|\s+\d+$", "#", folded)
    return folded


def _is_furniture(line: str) -> bool:
    """A line that is a page number, a job number or a document symbol, alone or in pair."""
    folded = line.translate(_ARABIC_DIGITS)
    if _PAGE_NUMBER.match(folded) or _JOB_NUMBER.match(folded) or _RULE.match(folded):
        return True
    if _PLEASE_RECYCLE.match(folded):
        return True
    parts = folded.split(" ")
    # "A/HRC/25/5 3", "3 A/HRC/25/5", "CMW/C/XXX/CO/2"
    return 1 <= len(parts) <= 2 and all(
        _SYMBOL.match(part) or _PAGE_NUMBER.match(part) for part in parts
    )


def _running_symbol(pages: Pages) -> str:
    found: Counter[str] = Counter()
    for page in pages:
        for line in {*page[:4], *page[-4:]}:
            for part in line.split(" "):
                if _SYMBOL.match(part) and part.count("/") >= 2:
                    found[part] += 1
    return found.most_common(1)[0][0] if found else ""


_EDGE = 4
#: Running heads are short: a longer line at a page's edge is text, even if it repeats.
_HEAD_LENGTH = 70


def _without_page_furniture(pages: Pages) -> Pages:
    """The pages without running heads and feet and without empty lines."""
    pages = [[line for line in page if line] for page in pages]

    def candidates(page: list[str]) -> set[str]:
        return {
            _furniture_key(line)
            for line in (*page[:_EDGE], *page[-_EDGE:])
            if len(line) <= _HEAD_LENGTH and not line.endswith(_END_PUNCTUATION)
        }

    counts: Counter[str] = Counter()
    for page in pages:
        counts.update(candidates(page))
    repeated = (
        {key for key, n in counts.items() if n >= max(2, 0.5 * len(pages))}
        if len(pages) >= 2
        else set()
    )
    cleaned = []
    for page in pages:
        kept = []
        for position, line in enumerate(page):
            at_edge = position < _EDGE or position >= len(page) - _EDGE
            if _is_furniture(line) or (
                at_edge and len(line) <= _HEAD_LENGTH and _furniture_key(line) in repeated
            ):
                continue
            kept.append(line)
        cleaned.append(kept)
    return cleaned


_GLUED_MARKER = re.compile(r"(?<!\d[.,])(?<=[^\W\d_]|[.,;:)”’\"])(\d{1,3})(?=[\s.,;:)]|$)")
_FOOTNOTE_BODY = re.compile(r"^(\d{1,3})\.? ?(?=[^\W\d_])")
#: How far up from a page's foot its footnotes may start.
_FOOTNOTE_LINES = 20


def _footnote_numbers(pages: Pages) -> set[str]:
    """Cut the footnotes off the foot of each page (in place) and return their numbers,
    whose markers are then taken out of the text. Footnotes are the last lines of a page,
    numbered in order, each number a marker glued to a word higher up the page."""
    numbers: set[str] = set()
    for page in pages:
        markers = {m.group(1) for line in page for m in _GLUED_MARKER.finditer(line)}
        if not markers:
            continue
        starts = []
        for position in range(max(0, len(page) - _FOOTNOTE_LINES), len(page)):
            match = _FOOTNOTE_BODY.match(page[position])
            if match and match.group(1) in markers:
                starts.append((position, int(match.group(1))))
        # the highest start from which the numbers run on one by one to the foot
        cut = None
        for index in range(len(starts) - 1, -1, -1):
            following = [number for _position, number in starts[index:]]
            if following == list(range(following[0], following[0] + len(following))):
                cut = starts[index][0]
            else:
                break
        if cut is not None:
            numbers.update(str(number) for position, number in starts if position >= cut)
            del page[cut:]
    return numbers


# --- Blocks: numbered paragraphs, sub-paragraphs, headings ---------------------------------

_UPR_MARK = re.compile(r"^(\d{1,3})[.\-–](\d{1,3})\.?(?:\s+|$)")
_PARA_MARK = re.compile(r"^(\d{1,3})\s?[.\-–](?:\s+|$)")
_ARABIC_LETTERS = "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"
#: "(a)", or "a)" as French documents write it; "(أ)", "(هـ)" in Arabic.
_SUB_MARK = re.compile(r"^(?:\(([a-z]{1,2}|[ivx]{1,5}|[\u0621-\u064a]ـ?)|([a-z]|[ivx]{1,5}))\)\s*")
_HEADING_MARK = re.compile(r"^(?:[IVX]{1,5}|[A-H]|ألف|باء|جيم|دال|هاء|واو|زاي|حاء)\s?[.\-–]\s+\S")
_END_PUNCTUATION = (".", ";", ":", "؛", "!", "?", "،", ",")


def _letter_index(letter: str) -> int | None:
    """a → 0, b → 1 …; Arabic letters in abjad order (أ → 0, ب → 1, ج → 2, د → 3, هـ → 4…)."""
    letter = letter.rstrip("ـ")
    if len(letter) == 1 and "a" <= letter <= "z":
        return ord(letter) - ord("a")
    if len(letter) == 2 and letter[0] == letter[1] and "a" <= letter[0] <= "z":
        return 26 + ord(letter[0]) - ord("a")
    if letter == "ا":  # an alif without hamza
        return 0
    position = _ARABIC_LETTERS.find(letter)
    return position if position >= 0 else None


def _latin_letter(index: int) -> str:
    return chr(ord("a") + index % 26) * (index // 26 + 1)


def _is_roman(letter: str) -> bool:
    return bool(re.fullmatch(r"[ivx]+", letter))


@dataclass
class _Block:
    kind: str  # "para", "upr", "sub", "heading", "other"
    number: str = ""
    letter: int = -1
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


class _BlockParser:
    def __init__(self, lines: list[str], *, wrapped: bool, footnotes: set[str]) -> None:
        self.lines = lines
        self.wrapped = wrapped
        self.footnotes = footnotes
        words: Counter[str] = Counter()
        for line in lines:
            for word in line.split(" "):
                word = word.strip(".,;:()“”\"'«»")
                if word and not word.endswith("-"):
                    words[word.casefold()] += 1
        self.words = words

    def blocks(self) -> list[_Block]:
        blocks: list[_Block] = []
        last_para = 0
        last_upr: tuple[int, int] | None = None
        current: _Block | None = None
        for position, raw in enumerate(self.lines):
            line = self._without_markers(raw)
            if not line:
                continue
            digits = line.translate(_ARABIC_DIGITS)
            upr = _UPR_MARK.match(digits)
            if upr:
                major, minor = int(upr.group(1)), int(upr.group(2))
                if self._upr_follows(last_upr, major, minor):
                    last_upr = (major, minor)
                    current = _Block("upr", f"{major}.{minor}", parts=[line[upr.end() :]])
                    blocks.append(current)
                    continue
            para = _PARA_MARK.match(digits)
            if para and not self._looks_like_heading(line[para.end() :], position):
                number = int(para.group(1))
                complete = (
                    current is None
                    or current.kind in ("heading", "other")
                    or current.text.endswith(_END_PUNCTUATION)
                )
                if (
                    last_para == 0
                    or last_para < number <= last_para + 3
                    or (number > last_para and complete and line[para.end() :][:1].isupper())
                ):
                    last_para = number
                    current = _Block("para", str(number), parts=[line[para.end() :]])
                    blocks.append(current)
                    continue
            sub = _SUB_MARK.match(line)
            if sub and current is not None and current.kind in ("para", "sub"):
                letter = sub.group(1) or sub.group(2)
                index = _letter_index(letter)
                expected = current.letter + 1 if current.kind == "sub" else 0
                roman_inside = _is_roman(letter) and current.kind == "sub"
                if (
                    index is not None
                    and expected <= index <= expected + 1
                    and not (roman_inside and index != expected)
                ):
                    current = _Block("sub", current.number, index, [line[sub.end() :]])
                    blocks.append(current)
                    continue
            if _HEADING_MARK.match(line) and len(line) < 150 and not line.endswith(";"):
                current = _Block("heading", parts=[line])
                blocks.append(current)
                continue
            if para and self._looks_like_heading(line[para.end() :], position):
                current = _Block("heading", parts=[line])
                blocks.append(current)
                continue
            if current is not None and current.kind in ("para", "upr", "sub", "heading"):
                if self._starts_heading(line, current, position):
                    current = _Block("heading", parts=[line])
                    blocks.append(current)
                    continue
                self._append(current, line)
                continue
            if current is not None and current.kind == "other" and self.wrapped:
                self._append(current, line)
                continue
            current = _Block("other", parts=[line])
            blocks.append(current)
        return blocks

    @staticmethod
    def _upr_follows(last: tuple[int, int] | None, major: int, minor: int) -> bool:
        if last is None:
            return minor <= 3
        if major == last[0]:
            return last[1] < minor <= last[1] + 5
        return major > last[0] and minor <= 3

    def _followed_by_paragraph(self, position: int) -> bool:
        """Whether the next line (after at most two more short, unpunctuated heading
        lines) starts a numbered paragraph or a heading."""
        for line in [line for line in self.lines[position + 1 : position + 8] if line][:3]:
            digits = line.translate(_ARABIC_DIGITS)
            if _PARA_MARK.match(digits) or _UPR_MARK.match(digits) or _HEADING_MARK.match(line):
                return True
            if len(line) > 100 or line.endswith(_END_PUNCTUATION):
                return False
        return False

    def _looks_like_heading(self, text: str, position: int) -> bool:
        """A numbered line that is a heading ("1. General measures of implementation"):
        short, without closing punctuation, and followed by a new paragraph."""
        text = text.strip()
        if not text or len(text) > 120 or text.endswith(_END_PUNCTUATION):
            return False
        return not self.wrapped or self._followed_by_paragraph(position)

    def _starts_heading(self, line: str, current: _Block, position: int) -> bool:
        """An unnumbered line between paragraphs: the paragraph before it is complete, it
        is short and has no closing punctuation, and (in print) a paragraph follows."""
        if current.kind != "heading" and (
            not current.parts or not current.parts[-1].rstrip().endswith(_END_PUNCTUATION)
        ):
            return False
        if len(line) > 100 or line.endswith(_END_PUNCTUATION) or line[0].islower():
            return False
        return not self.wrapped or self._followed_by_paragraph(position)

    def _without_markers(self, line: str) -> str:
        if not self.footnotes:
            return line
        return _GLUED_MARKER.sub(
            lambda m: "" if m.group(1) in self.footnotes else m.group(0), line
        ).strip()

    def _append(self, block: _Block, line: str) -> None:
        if not block.parts:
            block.parts.append(line)
            return
        previous = block.parts[-1]
        if not self.wrapped:
            block.parts.append(line)
            return
        if previous.endswith(SOFT_BREAK):
            block.parts[-1] = previous[:-1] + line
            return
        hyphen = re.search(r"([^\W\d_]+)-$", previous)
        if hyphen and line[:1].isalpha():
            first = re.match(r"[^\W\d_]+", line)
            second = first.group(0) if first else ""
            if self._drop_hyphen(hyphen.group(1), second):
                block.parts[-1] = previous[:-1] + line
            else:
                block.parts[-1] = previous + line
            return
        block.parts.append(line)

    _COMPOUND_PREFIXES = frozenset(
        {
            "non",
            "self",
            "anti",
            "co",
            "ex",
            "post",
            "pre",
            "inter",
            "multi",
            "cross",
            "well",
            "long",
            "short",
            "so",
            "follow",
            "semi",
            "socio",
            "sous",
            "auto",
            "demi",
            "mi",
        }
    )

    def _drop_hyphen(self, first: str, second: str) -> bool:
        """Whether ``first-`` at a line's end and ``second`` on the next line are one word
        the typesetter cut (drop the hyphen) rather than a compound (keep it)."""
        if not second or first[-1:].isupper() or not second[0].islower():
            return False
        compound = f"{first}-{second}".casefold()
        joined = f"{first}{second}".casefold()
        if self.words[compound]:
            return False
        if self.words[joined]:
            return True
        if first.casefold() in self._COMPOUND_PREFIXES:
            return False
        return not (self.words[first.casefold()] and self.words[second.casefold()])


# --- Concluding observations ---------------------------------------------------------------

#: A recommendation verb with its subject ("the Committee recommends", "il lui
#: recommande", "توصي اللجنة"), so that "requests for asylum" is not one.
_RECOMMENDING = re.compile(
    r"\b(?:committee|it|and)\s+(?:(?:also|further|strongly|therefore|again|once\s+again)\s+)*"
    r"(?:recommends|urges|calls\s+(?:up)?on|encourages|requests|invites"
    r"|reiterates\s+its(?:\s+previous)?\s+recommendations?)\b"
    r"|\bstate\s+party\s+should\b"
    r"|\b(?:comité|il|et)\s+(?:(?:lui|leur|également|aussi|en\s+outre|vivement|donc)\s+)*"
    r"(?:recommande|prie\s+instamment|engage|encourage|exhorte|demande|invite"
    r"|réitère\s+(?:sa|ses)\s+recommandations?)\b"
    r"|\bl['’]état\s+partie\s+devrait\b"
    r"|\b(?:comité|y)\s+(?:(?:también|además|encarecidamente)\s+)*"
    r"(?:recomienda|insta|alienta|exhorta|pide|invita)\b"
    r"|(?:^|[\s،.؛:(])[وف]?(?:توصي|يوصي|تحث|يحث|تشجع|يشجع|تطلب|يطلب|تدعو|يدعو|تهيب|يهيب)"
    r"\s+(?:(?:كذلك|أيضاً|أيضا)\s+)?(?:اللجنة|المجلس|الفريق)"
    r"|(?:^|[\s،.؛:(])[وف]?(?:توصي|تحث|تشجع|تطلب|تدعو|تهيب)(?:ها)?\s+(?:كذلك\s+|أيضاً\s+)?"
    r"(?:ب?الدولة|إلى\s+الدولة)\s+الطرف"
    r"|ينبغي\s+(?:لل|على\s+ال)دولة\s+الطرف",
    re.IGNORECASE,
)
_BOILERPLATE_WORDS = frozenset(
    [
        "the",
        "committee",
        "also",
        "further",
        "strongly",
        "therefore",
        "recommends",
        "recommend",
        "urges",
        "calls",
        "call",
        "upon",
        "on",
        "encourages",
        "requests",
        "invites",
        "that",
        "state",
        "party",
        "to",
        "should",
        "it",
        "le",
        "comité",
        "recommande",
        "prie",
        "instamment",
        "engage",
        "encourage",
        "demande",
        "invite",
        "exhorte",
        "également",
        "aussi",
        "en",
        "outre",
        "à",
        "l",
        "état",
        "partie",
        "de",
        "d",
        "que",
        "ce",
        "qui",
        "suit",
        "vivement",
        "donc",
        "el",
        "comité",
        "recomienda",
        "insta",
        "alienta",
        "exhorta",
        "pide",
        "al",
        "estado",
        "parte",
        "a",
        "que",
        "توصي",
        "وتوصي",
        "كما",
        "يوصي",
        "ويوصي",
        "تحث",
        "وتحث",
        "تشجع",
        "وتشجع",
        "تطلب",
        "وتطلب",
        "تدعو",
        "وتدعو",
        "تهيب",
        "وتهيب",
        "اللجنة",
        "الدولة",
        "الطرف",
        "بما",
        "يلي",
        "على",
        "ما",
        "بأن",
        "أن",
        "كذلك",
        "أيضا",
        "أيضاً",
        "إلى",
        "الى",
        "ب",
        "ب",
        "بالدولة",
    ]
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý\u0600-\u06ff«\"“])")


@dataclass
class _Paragraph:
    number: str
    lead: str
    subs: list[tuple[int, str]]


def _paragraphs(blocks: Sequence[_Block]) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    for block in blocks:
        if block.kind == "para":
            paragraphs.append(_Paragraph(block.number, block.text, []))
        elif block.kind == "sub" and paragraphs and paragraphs[-1].number == block.number:
            paragraphs[-1].subs.append((block.letter, block.text))
    for paragraph in paragraphs:
        if not paragraph.subs:
            paragraph.lead, paragraph.subs = _inline_subs(paragraph.lead)
    return paragraphs


_INLINE_SUB = re.compile(r"(?<![\w(])\(?([a-z])\)\s")
_PART_END = re.compile(r"(?:[:;.؛]|\b(?:and|et|y|و))$")


def _inline_subs(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Sub-paragraphs written on one line: "…State party: (a) Adopt …; (b) Ensure …"."""
    starts = []
    expected = 0
    for match in _INLINE_SUB.finditer(text):
        if ord(match.group(1)) - ord("a") == expected and _PART_END.search(
            text[: match.start()].rstrip()
        ):
            starts.append(match)
            expected += 1
    if len(starts) < 2 or not text[: starts[0].start()].rstrip().endswith(":"):
        return text, []
    lead = text[: starts[0].start()].strip()
    subs = []
    for position, match in enumerate(starts):
        end = starts[position + 1].start() if position + 1 < len(starts) else len(text)
        sub = re.sub(r"\s+(?:and|et|y|و)$", "", text[match.end() : end].strip())
        subs.append((position, sub))
    return lead, subs


#: how a sub-paragraph ends when another follows: "…;", "…; and", "…؛ و"
_SUB_END = re.compile(r"\s*[;,؛،]\s*(?:and|et|y|or|ou|و|أو)?\s*$")


def _is_boilerplate(lead: str) -> bool:
    words = re.findall(r"[^\W\d_]+", lead.casefold())
    return bool(words) and all(word in _BOILERPLATE_WORDS for word in words)


def _from_recommending_sentence(text: str) -> str:
    sentences = _SENTENCE_END.split(text)
    for position, sentence in enumerate(sentences):
        if _RECOMMENDING.search(sentence):
            return " ".join(sentences[position:])
    return text


def _treaty_rows(blocks: Sequence[_Block], language: str) -> tuple[list[IntakeRow], list[str]]:
    rows: list[IntakeRow] = []
    warnings: list[str] = []
    for paragraph in _paragraphs(blocks):
        lead = paragraph.lead.strip()
        if not _RECOMMENDING.search(lead if paragraph.subs else paragraph.lead):
            warnings.append(
                _("Paragraph %(paragraph)s skipped: no recommendation verb.")
                % {"paragraph": paragraph.number}
            )
            continue
        if not paragraph.subs:
            text = _from_recommending_sentence(lead)
            rows.append(IntakeRow(paragraph.number, text, "", language))
            continue
        prefix = "" if _is_boilerplate(lead) else lead
        for index, sub in paragraph.subs:
            sub = _SUB_END.sub("", sub)
            text = f"{prefix} {sub}".strip() if prefix else sub
            if not sub:
                warnings.append(
                    _("Paragraph %(paragraph)s: sub-paragraph (%(letter)s) is empty.")
                    % {"paragraph": paragraph.number, "letter": _latin_letter(index)}
                )
                continue
            rows.append(
                IntakeRow(f"{paragraph.number}({_latin_letter(index)})", text, "", language)
            )
    return rows, warnings


# --- UPR reports ---------------------------------------------------------------------------


def _top_level_groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of each parenthesis not inside another one."""
    groups = []
    depth = 0
    start = 0
    for position, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = position
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, position + 1))
    return groups


def _is_state_name(value: str) -> bool:
    value = value.strip()
    return bool(value) and len(value) <= 120 and (value[0].isupper() or not value[0].isascii())


def split_states(text: str) -> tuple[str, list[str]]:
    """A UPR recommendation's text and the states named in parentheses at the end of
    each part: ``"Ratify ICCPR (Albania); Ratify CED (Chile);"`` → both states."""
    text = " ".join(text.split())
    body = re.sub(r"[\s;؛.,]+$", "", text)
    groups = _top_level_groups(body)
    if not groups or groups[-1][1] != len(body):
        return body, []
    states: list[str] = []
    ends: list[tuple[int, int]] = []
    for start, end in groups:
        after = body[end:]
        at_end = end == len(body)
        # a part ends with its state: followed by ";" and a new sentence, or the text's end
        closes_part = at_end or re.match(r"\s*[;؛]\s*(?=\S)", after) is not None
        # "(Albania) (Chile)": several states for one part
        before_next = re.match(r"\s*\(", after) is not None
        name = body[start + 1 : end - 1].strip()
        if (closes_part or before_next) and _is_state_name(name):
            ends.append((start, end))
            if name not in states:
                states.append(" ".join(name.split()))
    if not states:
        return body, []
    if len(states) == 1:
        # the last group(s) hold the one state: cut them off
        cut = len(body)
        for start, end in reversed(ends):
            if body[end:cut].strip(" ;؛"):
                break
            cut = start
        return body[:cut].rstrip(" ;؛,"), states
    return body, states


def _upr_rows(blocks: Sequence[_Block], language: str) -> tuple[list[IntakeRow], list[str]]:
    rows: list[IntakeRow] = []
    warnings: list[str] = []
    for block in blocks:
        if block.kind == "para":
            continue
        if block.kind != "upr":
            continue
        text, states = split_states(block.text)
        if not states:
            warnings.append(
                _("Recommendation %(paragraph)s: no recommending state in parentheses at its end.")
                % {"paragraph": block.number}
            )
        if not text:
            warnings.append(
                _("Recommendation %(paragraph)s skipped: it has no text.")
                % {"paragraph": block.number}
            )
            continue
        rows.append(IntakeRow(block.number, text, "; ".join(states), language))
    return rows, warnings
