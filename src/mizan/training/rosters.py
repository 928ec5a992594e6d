"""Reading a session's roster from a CSV or XLSX file, and writing the empty template.

A roster file holds one officer a row. Its columns are defined once, in :data:`COLUMNS`,
with their header labels in English, French and Arabic: a file may use the English
field names (``name_latin``, ``sex``, …) or any of those labels, in any case. A file is
recognised by what its bytes are (libmagic), never by its name; CSV may be UTF-8 (with
or without a byte-order mark), UTF-16 with a byte-order mark, or Windows-1256 (Arabic
Excel's “CSV”); the reading of lines and cells is the recommendation importer's.

Every row is checked and every problem reported with its line, column and reason, in
the user's language; the session's capacity is checked for the whole file. Each row is
also compared with the participants already recorded (``training.duplicates``): a row
that is probably someone already known waits for the organiser's choice, same person or
new person (:class:`RowDecision`). Nothing here writes: ``training.services.rosters``
imports a file all or nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import CharField, Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.evidence.services import content_type_of
from mizan.institutions.models import Institution
from mizan.recommendations.exporters import FORMULA_TRIGGERS
from mizan.recommendations.importers import ImportProblem, ImportRejected, read_table
from mizan.training.duplicates import (
    Candidate,
    MatchReason,
    Person,
    candidates_for,
    find_duplicates,
    fold,
    people_of,
)
from mizan.training.enums import EnrolmentStatus, SessionStatus, Sex
from mizan.training.models import Enrolment, Participant, TrainingSession

#: A roster is a few hundred rows; anything much larger is not a roster.
MAX_ROSTER_BYTES = 5 * 1024 * 1024
FORMATS = ("csv", "xlsx")
#: What libmagic calls the files read as CSV, and as XLSX (a workbook some tools write
#: is seen as a plain zip archive; openpyxl then tells whether it is one).
TEXT_TYPES = frozenset({"text/plain", "text/csv", "application/csv", "text/x-csv"})
XLSX_TYPES = frozenset(
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}
)
TEMPLATE_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class RosterColumn:
    """A column of a roster file. ``labels`` holds, by language, the headers accepted
    for it besides ``key``; the first of each is the one templates write."""

    key: str
    labels: Mapping[str, tuple[str, ...]]
    required: bool = False

    def header(self, language: str) -> str:
        """The header a template in ``language`` writes (English: the field name)."""
        if language == "en" or language not in self.labels:
            return self.key
        return self.labels[language][0]

    def spellings(self) -> set[str]:
        return {fold(self.key)} | {
            fold(label) for labels in self.labels.values() for label in labels
        }


COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn(
        "name_latin",
        {
            "en": ("Name (Latin script)", "Name", "Full name"),
            "fr": ("Nom (caractères latins)", "Nom", "Nom et prénom", "Nom complet"),
            "ar": ("الاسم بالحروف اللاتينية", "الاسم بالفرنسية"),
        },
    ),
    RosterColumn(
        "name_arabic",
        {
            "en": ("Name (Arabic script)", "Arabic name"),
            "fr": ("Nom (caractères arabes)", "Nom en arabe"),
            "ar": ("الاسم بالحروف العربية", "الاسم", "الاسم الكامل"),
        },
    ),
    RosterColumn(
        "sex",
        {"en": ("Sex", "Gender"), "fr": ("Sexe", "Genre"), "ar": ("الجنس",)},
        required=True,
    ),
    RosterColumn("rank", {"en": ("Rank",), "fr": ("Grade",), "ar": ("الرتبة",)}),
    RosterColumn(
        "institution",
        {"en": ("Institution",), "fr": ("Institution",), "ar": ("المؤسسة",)},
    ),
    RosterColumn("unit", {"en": ("Unit",), "fr": ("Unité", "Service"), "ar": ("الوحدة",)}),
    RosterColumn("region", {"en": ("Region",), "fr": ("Région",), "ar": ("الجهة", "المنطقة")}),
    RosterColumn(
        "service_number",
        {
            "en": ("Service number", "Staff number"),
            "fr": ("Matricule", "Numéro de matricule"),
            "ar": ("الرقم المهني", "رقم التأجير", "رقم التسجيل"),
        },
    ),
    RosterColumn(
        "email",
        {
            "en": ("E-mail", "E-mail address"),
            "fr": ("Courriel", "Adresse électronique", "Mail"),
            "ar": ("البريد الإلكتروني",),
        },
    ),
    RosterColumn(
        "phone",
        {
            "en": ("Phone", "Telephone", "Phone number"),
            "fr": ("Téléphone", "Numéro de téléphone"),
            "ar": ("الهاتف", "رقم الهاتف"),
        },
    ),
    RosterColumn("consent", {"en": ("Consent",), "fr": ("Consentement",), "ar": ("الموافقة",)}),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
NAME_KEYS = ("name_latin", "name_arabic")
#: Fields of a participant a row gives (``consent`` becomes ``consent_given_at``).
PARTICIPANT_KEYS = tuple(key for key in COLUMN_KEYS if key != "consent")
TEXT_KEYS = ("name_latin", "name_arabic", "rank", "unit", "region", "service_number", "phone")

SEX_SPELLINGS: dict[str, tuple[str, ...]] = {
    Sex.FEMALE: ("female", "f", "woman", "femme", "féminin", "أنثى", "امرأة", "انثى"),
    Sex.MALE: ("male", "m", "man", "homme", "h", "masculin", "ذكر", "رجل"),
}
CONSENT_SPELLINGS: dict[bool, tuple[str, ...]] = {
    True: ("yes", "y", "true", "1", "oui", "o", "نعم"),
    False: ("no", "n", "false", "0", "non", "لا"),
}
#: What a template suggests in its sex and consent columns, by language.
TEMPLATE_CHOICES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "en": (("female", "male"), ("yes", "no")),
    "fr": (("femme", "homme"), ("oui", "non")),
    "ar": (("أنثى", "ذكر"), ("نعم", "لا")),
}
_PHONE = re.compile(r"^\+?[0-9 ()./-]{4,}$")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
#: A word where Arabic and Latin letters touch: the sign of a wrong legacy code page.
_MIXED_WORD = re.compile(
    r"[A-Za-z\u00c0-\u00ff][\u0621-\u064a]|[\u0621-\u064a][A-Za-z\u00c0-\u00ff]"
)


@dataclass(frozen=True)
class RowDecision:
    """The organiser's choice for a row that may be someone already recorded: the same
    person as participant ``participant_id`` (``fill_blanks``: complete their empty
    details from the row), or, with no id, a new person."""

    participant_id: int | None = None
    fill_blanks: bool = False

    @classmethod
    def new_person(cls) -> RowDecision:
        return cls()

    @classmethod
    def same_person(cls, participant_id: int, *, fill_blanks: bool = False) -> RowDecision:
        return cls(participant_id=participant_id, fill_blanks=fill_blanks)

    @property
    def is_new(self) -> bool:
        return self.participant_id is None


@dataclass
class RosterRow:
    """One officer of the file, checked: ``values`` are the participant's fields
    (``institution`` an :class:`Institution` or None), ``consent`` True, False or None
    (not said)."""

    line: int
    values: dict[str, Any]
    consent: bool | None = None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def person(self) -> Person:
        return Person(
            id=self.line,
            name_latin=self.values.get("name_latin", ""),
            name_arabic=self.values.get("name_arabic", ""),
            sex=self.values.get("sex", ""),
            service_number=self.values.get("service_number", ""),
        )

    @property
    def name(self) -> str:
        latin, arabic = self.values.get("name_latin", ""), self.values.get("name_arabic", "")
        return f"{latin} ({arabic})" if latin and arabic else latin or arabic

    def get_sex_display(self) -> str:
        return str(Sex(self.values["sex"]).label) if self.values.get("sex") else ""


@dataclass
class RosterReading:
    """What a roster file holds for a session, and what stands in the way of importing
    it. ``problems`` empty: the file can be imported once each row in
    :attr:`undecided_rows` has a decision."""

    session: TrainingSession
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    file_format: str = ""
    encoding: str = ""
    #: Header (as written) → column key, and the headers that are no column of a roster.
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    #: Participants already approved in the session.
    approved: set[int] = field(default_factory=set)

    @property
    def places_left(self) -> int:
        return max(self.session.capacity - len(self.approved), 0)

    @property
    def rows_with_candidates(self) -> list[RosterRow]:
        return [row for row in self.rows if row.candidates]

    def places_needed(self, decisions: Mapping[int, RowDecision] | None = None) -> int:
        """Places the rows take: a row decided to be someone already approved in the
        session takes none. Undecided rows count as new people."""
        decisions = decisions or {}
        needed = 0
        for row in self.rows:
            decision = decisions.get(row.line)
            if decision is None or decision.participant_id not in self.approved:
                needed += 1
        return needed

    def places_needed_at_least(self) -> int:
        """Places the rows take whatever the decisions: rows that may be someone
        already approved in the session may take none."""
        return sum(
            1
            for row in self.rows
            if not any(c.participant_id in self.approved for c in row.candidates)
        )

    def capacity_problem(self, needed: int) -> ImportProblem | None:
        if needed <= self.places_left:
            return None
        return ImportProblem(
            None,
            "",
            ngettext(
                "The session has %(left)s place left and the file needs %(needed)s "
                "(capacity %(capacity)s).",
                "The session has %(left)s places left and the file needs %(needed)s "
                "(capacity %(capacity)s).",
                self.places_left,
            )
            % {"left": self.places_left, "needed": needed, "capacity": self.session.capacity},
        )

    def candidate_participants(
        self, enrolments: QuerySet[Enrolment] | None = None
    ) -> dict[int, Participant]:
        """The participants the rows may be, with their institution and, as
        ``shown_enrolments``, those of their enrolments in ``enrolments`` (give the ones
        the user may see)."""
        ids = {c.participant_id for row in self.rows for c in row.candidates}
        if not ids:
            return {}
        enrolments = Enrolment.objects.all() if enrolments is None else enrolments
        people = (
            Participant.objects.select_related("institution")
            .prefetch_related(
                Prefetch(
                    "enrolments",
                    queryset=enrolments.select_related("session").order_by("-session__starts_on"),
                    to_attr="shown_enrolments",
                )
            )
            .in_bulk(list(ids))
        )
        found: dict[int, Participant] = dict(people.items())
        return found


# --- Reading ----------------------------------------------------------------------------


def read_roster(
    *,
    session: TrainingSession,
    data: bytes,
    among: QuerySet[Participant] | None = None,
) -> RosterReading:
    """Check a roster file for ``session``, and find which rows are probably people
    among ``among`` (default: every participant; give the ones the user may see)."""
    reading = RosterReading(session=session)
    if session.status in (SessionStatus.COMPLETED, SessionStatus.CANCELLED):
        reading.problems.append(
            ImportProblem(None, "", _("A completed or cancelled session takes no one."))
        )
        return reading
    try:
        reading.file_format, table_bytes, reading.encoding = _recognise(data)
        headers, rows = read_table(table_bytes, format=reading.file_format)
        _bind(reading, headers)
        if not reading.problems:
            _check_rows(reading, rows)
    except ImportRejected as rejected:
        reading.problems += rejected.problems
    if reading.problems:
        return reading
    if not reading.rows:
        reading.problems.append(ImportProblem(None, "", _("The file has no participants.")))
        return reading
    _check_repeats(reading)
    if reading.problems:
        return reading
    among = Participant.objects.all() if among is None else among
    found = candidates_for([row.person for row in reading.rows], people_of(among))
    for row in reading.rows:
        row.candidates = found.get(row.line, [])
    reading.approved = set(
        session.enrolments.filter(status=EnrolmentStatus.APPROVED).values_list(
            "participant_id", flat=True
        )
    )
    if problem := reading.capacity_problem(reading.places_needed_at_least()):
        reading.problems.append(problem)
    return reading


def _recognise(data: bytes) -> tuple[str, bytes, str]:
    """The file's format by its content, and its bytes as the table reader takes them
    (CSV in UTF-8), with the encoding it was written in."""
    if not data:
        raise ImportRejected([ImportProblem(None, "", _("The file is empty."))])
    if len(data) > MAX_ROSTER_BYTES:
        raise ImportRejected(
            [
                ImportProblem(
                    None,
                    "",
                    _("The file is larger than %(size)s MB; a roster is much smaller.")
                    % {"size": MAX_ROSTER_BYTES // (1024 * 1024)},
                )
            ]
        )
    content_type = content_type_of(data[:65536])
    if content_type in XLSX_TYPES:
        return "xlsx", data, ""
    if content_type not in TEXT_TYPES:
        raise ImportRejected(
            [
                ImportProblem(
                    None,
                    "",
                    _(
                        "This file is not a CSV or XLSX roster: its content is %(found)s, "
                        "whatever its name says."
                    )
                    % {"found": content_type},
                )
            ]
        )
    text, encoding = decode_text(data)
    if encoding in ("utf-8", "utf-8-sig"):
        # As it is: the table reader reports each line that is not UTF-8.
        return "csv", data, encoding
    return "csv", text.encode("utf-8"), encoding


def decode_text(data: bytes) -> tuple[str, str]:
    """A CSV file's text and the encoding it was in: UTF-8 (with or without a byte-order
    mark), UTF-16 with one, else Windows-1256 — or Windows-1252 when reading it as 1256
    puts Arabic letters inside Latin words (``Garcيa``). A UTF-8 file with a few bad
    lines stays UTF-8, so that those lines are reported rather than read as garbage."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16"
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    if sum(1 for char in text if ord(char) > 127) - bad > bad:
        return text, "utf-8"
    arabic = data.decode("cp1256", "replace")
    if _MIXED_WORD.search(arabic):
        try:
            latin = data.decode("cp1252")
        except UnicodeDecodeError:
            return arabic, "windows-1256"
        if not _MIXED_WORD.search(latin):
            return latin, "windows-1252"
    return arabic, "windows-1256"


def _header_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for column in COLUMNS:
        for spelling in column.spellings():
            keys[spelling] = column.key
    return keys


def _bind(reading: RosterReading, headers: list[str]) -> None:
    known = _header_keys()
    found: dict[str, str] = {}
    for header in headers:
        if not header:
            continue
        key = known.get(fold(header))
        if key is None:
            reading.ignored_columns.append(header)
        elif key in found:
            reading.problems.append(
                ImportProblem(
                    1,
                    header,
                    _("This column and the column %(other)s are both %(field)s.")
                    % {"other": found[key], "field": key},
                )
            )
        else:
            found[key] = header
    reading.columns = {header: key for key, header in found.items()}
    if not any(key in found for key in NAME_KEYS):
        reading.problems.append(
            ImportProblem(
                1, "name_latin", _("The file needs a name_latin or a name_arabic column.")
            )
        )
    for column in COLUMNS:
        if column.required and column.key not in found:
            reading.problems.append(
                ImportProblem(
                    1,
                    column.key,
                    _("The required column %(column)s is missing.") % {"column": column.key},
                )
            )


def _spelling_map(spellings: Mapping[Any, tuple[str, ...]], choices: Any = None) -> dict[str, Any]:
    found = {fold(word): value for value, words in spellings.items() for word in words}
    if choices is not None:
        for language in INTERFACE_LANGUAGES:
            with translation.override(language):
                for value, label in choices.choices:
                    found.setdefault(fold(str(label)), value)
        for value in choices.values:
            found.setdefault(fold(value), value)
    return found


def _institutions() -> dict[str, list[Institution]]:
    """Institutions by code, acronym and name in any language, folded."""
    found: dict[str, list[Institution]] = {}
    for institution in Institution.objects.all():
        spellings = {institution.code, institution.acronym, *institution.names.values()}
        for spelling in {fold(str(s)) for s in spellings if s}:
            found.setdefault(spelling, []).append(institution)
    return found


def _cell(value: str) -> str:
    """A cell as stored: single spaces, without the ``'`` a spreadsheet export puts
    before a value that looks like a formula (``'+212…``)."""
    value = " ".join((value or "").split())
    if value.startswith("'") and value[1:2] and value[1:2] in FORMULA_TRIGGERS:
        value = value[1:]
    return value


def _max_length(name: str) -> int:
    field = Participant._meta.get_field(name)
    assert isinstance(field, CharField)
    return int(field.max_length or 0)


class _RowChecker:
    """Checks rows against lookups loaded once: sexes, answers, institutions."""

    def __init__(self, columns: Mapping[str, str]):
        self.columns = columns
        self.header_of = {key: header for header, key in columns.items()}
        self.sexes = _spelling_map(SEX_SPELLINGS, Sex)
        self.consents = _spelling_map(CONSENT_SPELLINGS)
        self.institutions = _institutions()

    def check(self, line: int, cells: Mapping[str, str]) -> tuple[RosterRow, list[ImportProblem]]:
        values: dict[str, Any] = dict.fromkeys(PARTICIPANT_KEYS, "")
        values["institution"] = None
        problems: list[ImportProblem] = []

        def problem(key: str, reason: str) -> None:
            problems.append(ImportProblem(line, self.header_of.get(key, key), reason))

        given = {key: _cell(cells.get(header, "")) for header, key in self.columns.items()}
        for key in TEXT_KEYS:
            value = given.get(key, "")
            if key in ("service_number", "phone"):
                value = value.translate(_DIGITS)
            if len(value) > _max_length(key):
                problem(
                    key,
                    _("This value is too long (at most %(limit)s characters).")
                    % {"limit": _max_length(key)},
                )
            values[key] = value
        self._names(values, problem)
        sex = given.get("sex", "")
        if not sex:
            problem("sex", _("Say female or male."))
        elif fold(sex) not in self.sexes:
            problem("sex", _("“%(value)s” is not a sex; write female or male.") % {"value": sex})
        else:
            values["sex"] = self.sexes[fold(sex)]
        if name := given.get("institution", ""):
            matches = self.institutions.get(fold(name), [])
            if not matches:
                problem(
                    "institution",
                    _("No institution has the code or name “%(value)s”.") % {"value": name},
                )
            elif len(matches) > 1:
                problem(
                    "institution",
                    _("Several institutions are called “%(value)s”; give the code.")
                    % {"value": name},
                )
            else:
                values["institution"] = matches[0]
        if email := given.get("email", "").lower():
            try:
                validate_email(email)
            except ValidationError:
                problem("email", _("This is not an e-mail address."))
            values["email"] = email
        if values["phone"] and not _PHONE.match(values["phone"]):
            problem("phone", _("A phone number holds digits, spaces and + - ( ) only."))
        consent: bool | None = None
        if answer := given.get("consent", ""):
            if fold(answer) in self.consents:
                consent = self.consents[fold(answer)]
            else:
                problem(
                    "consent",
                    _("“%(value)s” is not an answer; write yes or no.") % {"value": answer},
                )
        return RosterRow(line=line, values=values, consent=consent), problems

    @staticmethod
    def _names(values: dict[str, Any], problem: Any) -> None:
        if not values["name_latin"] and not values["name_arabic"]:
            problem("name_latin", _("Give the name in Latin or Arabic script."))
        # A name in the wrong column escapes the search for duplicates, which compares
        # names script by script.
        if _ARABIC_LETTER.search(values["name_latin"]):
            problem(
                "name_latin",
                _("This name is in Arabic letters; put it in the name_arabic column."),
            )
        if values["name_arabic"] and not _ARABIC_LETTER.search(values["name_arabic"]):
            problem(
                "name_arabic",
                _("This name has no Arabic letters; put it in the name_latin column."),
            )


def _check_rows(reading: RosterReading, rows: Iterable[tuple[int, dict[str, str]]]) -> None:
    checker = _RowChecker(reading.columns)
    for line, cells in rows:
        row, problems = checker.check(line, cells)
        if problems:
            reading.problems += problems
        else:
            reading.rows.append(row)


def _check_repeats(reading: RosterReading) -> None:
    """The same person twice in the file: the same service number, or the same name and
    sex with no service number to tell them apart."""
    rows = {row.line: row for row in reading.rows}
    search = find_duplicates(row.person for row in reading.rows)
    for pair in search.pairs:
        first, second = rows[pair.first_id], rows[pair.second_id]
        if MatchReason.SERVICE_NUMBER in pair.reasons:
            reading.problems.append(
                ImportProblem(
                    second.line,
                    "service_number",
                    _("Line %(line)s has the same service number.") % {"line": first.line},
                )
            )
        elif (
            pair.score == 100
            and not first.values["service_number"]
            and not second.values["service_number"]
            and fold(first.name) == fold(second.name)
        ):
            reading.problems.append(
                ImportProblem(
                    second.line,
                    "",
                    _(
                        "This row repeats line %(line)s (same name and sex); if they are "
                        "two people, give their service numbers."
                    )
                    % {"line": first.line},
                )
            )


# --- The template ---------------------------------------------------------------------------


def roster_template(*, file_format: str, language: str = "en") -> bytes:
    """An empty roster with its headers in ``language`` (English: the field names)."""
    language = language if language in INTERFACE_LANGUAGES else "en"
    headers = [column.header(language) for column in COLUMNS]
    if file_format == "csv":
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerow(headers)
        # The byte-order mark makes Excel open the file as UTF-8.
        return codecs.BOM_UTF8 + text.getvalue().encode("utf-8")
    if file_format != "xlsx":
        raise ValueError(file_format)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "roster"
    sheet.append(headers)
    sheet.freeze_panes = "A2"
    sheet.sheet_view.rightToLeft = language == "ar"
    for position, header in enumerate(headers, 1):
        sheet.cell(row=1, column=position).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(position)].width = max(14, len(header) + 4)
    sexes, consents = TEMPLATE_CHOICES[language]
    for key, choices in (("sex", sexes), ("consent", consents)):
        letter = get_column_letter(COLUMN_KEYS.index(key) + 1)
        validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"')
        validation.add(f"{letter}2:{letter}2000")
        sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
