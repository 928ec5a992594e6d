"""Reading attendance: minutes attended and the share of half-days attended per
participant, a session's grid of participants × half-days and a half-day's sheet, each
fetched in a fixed number of queries, and the attendance export (CSV or XLSX).

A participant attends a half-day when recorded present or late; both count the slot's
full duration, as the time of arrival is not kept (late is flagged instead). The share is
taken over every half-day of the session, recorded or not.

Callers decide who sees whom: pass enrolments that start from
``training.queries.enrolments_visible_to``.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from mizan.core.errors import MizanError
from mizan.recommendations.exporters import neutralise_formula
from mizan.training.enums import ATTENDED, AttendanceMethod, AttendanceStatus, EnrolmentStatus
from mizan.training.models import Attendance, Enrolment, SessionSlot, TrainingSession

#: format → (content type, file extension)
EXPORT_CONTENT_TYPES: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
EXPORT_FORMATS = tuple(EXPORT_CONTENT_TYPES)


@dataclass(frozen=True)
class AttendanceSummary:
    """One participant's attendance over a session's half-days."""

    slots: int
    attended: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0
    minutes: int = 0

    @property
    def unrecorded(self) -> int:
        return self.slots - self.attended - self.excused - self.absent

    @property
    def share(self) -> float:
        """Half-days attended (present or late) over all the session's half-days, 0 to 1."""
        return self.attended / self.slots if self.slots else 0.0

    @property
    def percent(self) -> int:
        """The share as a whole percentage, for display (rounded down, so that 79.9 % is
        not shown as meeting an 80 % threshold)."""
        return self.attended * 100 // self.slots if self.slots else 0

    def meets(self, min_percent: int) -> bool:
        """Whether the share reaches ``min_percent`` (exactly, without rounding)."""
        return bool(self.slots) and self.attended * 100 >= min_percent * self.slots


def summarise(slots: Sequence[SessionSlot], records: Iterable[Attendance]) -> AttendanceSummary:
    """The summary of one participant's ``records`` over a session's ``slots``."""
    durations = {slot.pk: slot.duration_minutes for slot in slots}
    counts: Counter[str] = Counter()
    minutes = 0
    for record in records:
        if record.slot_id not in durations:
            continue
        counts[record.status] += 1
        if record.status in ATTENDED:
            minutes += durations[record.slot_id]
    return AttendanceSummary(
        slots=len(durations),
        attended=counts[AttendanceStatus.PRESENT] + counts[AttendanceStatus.LATE],
        late=counts[AttendanceStatus.LATE],
        excused=counts[AttendanceStatus.EXCUSED],
        absent=counts[AttendanceStatus.ABSENT],
        minutes=minutes,
    )


def session_slots(session: TrainingSession) -> list[SessionSlot]:
    return list(SessionSlot.objects.filter(session=session).order_by("date", "part"))


def summary_for(enrolment: Enrolment) -> AttendanceSummary:
    """One enrolment's attendance over its session (two queries)."""
    slots = session_slots(enrolment.session)
    return summarise(slots, Attendance.objects.filter(enrolment=enrolment))


def attended_minutes(enrolment: Enrolment) -> int:
    return summary_for(enrolment).minutes


def attendance_share(enrolment: Enrolment) -> float:
    """Half-days attended (present or late) over all the session's half-days, 0 to 1."""
    return summary_for(enrolment).share


# --- A session's grid -----------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    slot: SessionSlot
    record: Attendance | None

    @property
    def status(self) -> str:
        return self.record.status if self.record is not None else ""

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED

    @property
    def minutes(self) -> int:
        return self.slot.duration_minutes if self.attended else 0


@dataclass(frozen=True)
class GridRow:
    enrolment: Enrolment
    cells: list[GridCell]
    summary: AttendanceSummary
    meets: bool


@dataclass(frozen=True)
class SlotTotal:
    slot: SessionSlot
    counts: dict[str, int]

    @property
    def attended(self) -> int:
        return sum(self.counts.get(status, 0) for status in ATTENDED)


@dataclass(frozen=True)
class AttendanceGrid:
    session: TrainingSession
    slots: list[SessionSlot]
    rows: list[GridRow]
    totals: list[SlotTotal] = field(default_factory=list)

    @property
    def meeting_threshold(self) -> int:
        return sum(1 for row in self.rows if row.meets)


def approved_enrolments(
    session: TrainingSession, enrolments: QuerySet[Enrolment] | None = None
) -> QuerySet[Enrolment]:
    """The session's approved enrolments with their participant and institution, by name;
    ``enrolments`` narrows them to those a user may see."""
    queryset = enrolments if enrolments is not None else Enrolment.objects.all()
    return (
        queryset.filter(session=session, status=EnrolmentStatus.APPROVED)
        .select_related("participant__institution")
        .order_by("participant__name_latin", "participant__name_arabic", "pk")
    )


def attendance_grid(
    session: TrainingSession, *, enrolments: QuerySet[Enrolment] | None = None
) -> AttendanceGrid:
    """Approved participants × half-days, with each participant's summary and each
    half-day's counts, in three queries whatever the number of participants."""
    slots = session_slots(session)
    approved = approved_enrolments(session, enrolments)
    rows_of = list(approved)
    records: dict[tuple[int, int], Attendance] = {
        (record.enrolment_id, record.slot_id): record
        for record in Attendance.objects.filter(
            slot__session=session, enrolment__in=approved.order_by().values("pk")
        )
    }
    rows = []
    slot_counts: dict[int, Counter[str]] = {slot.pk: Counter() for slot in slots}
    for enrolment in rows_of:
        cells = [GridCell(slot, records.get((enrolment.pk, slot.pk))) for slot in slots]
        for cell in cells:
            if cell.record is not None:
                slot_counts[cell.slot.pk][cell.status] += 1
        summary = summarise(slots, [cell.record for cell in cells if cell.record is not None])
        rows.append(
            GridRow(enrolment, cells, summary, summary.meets(session.min_attendance_percent))
        )
    totals = [SlotTotal(slot, dict(slot_counts[slot.pk])) for slot in slots]
    return AttendanceGrid(session=session, slots=slots, rows=rows, totals=totals)


# --- A half-day's sheet ---------------------------------------------------------------------


@dataclass(frozen=True)
class SlotCounts:
    """How many approved participants are recorded in each status for one half-day."""

    participants: int
    by_status: dict[str, int]
    checked_in: int

    @property
    def recorded(self) -> int:
        return sum(self.by_status.values())

    @property
    def unrecorded(self) -> int:
        return self.participants - self.recorded

    @property
    def attended(self) -> int:
        return sum(self.by_status.get(status, 0) for status in ATTENDED)

    def count(self, status: str) -> int:
        return self.by_status.get(status, 0)

    def as_list(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the order of the statuses."""
        return [(value, str(label), self.count(value)) for value, label in AttendanceStatus.choices]


def _counts_of(participants: int, records: Iterable[Attendance]) -> SlotCounts:
    by_status: Counter[str] = Counter()
    checked_in = 0
    for record in records:
        by_status[record.status] += 1
        if record.method == AttendanceMethod.QR_CODE:
            checked_in += 1
    return SlotCounts(participants=participants, by_status=dict(by_status), checked_in=checked_in)


def slot_counts(slot: SessionSlot) -> SlotCounts:
    """The slot's counts (two queries): for the tablet page's heading and the QR page."""
    participants = Enrolment.objects.filter(
        session_id=slot.session_id, status=EnrolmentStatus.APPROVED
    ).count()
    records = Attendance.objects.filter(slot=slot, enrolment__status=EnrolmentStatus.APPROVED).only(
        "status", "method"
    )
    return _counts_of(participants, records)


@dataclass(frozen=True)
class SheetRow:
    enrolment: Enrolment
    record: Attendance | None

    @property
    def status(self) -> str:
        return self.record.status if self.record is not None else ""


@dataclass(frozen=True)
class SlotSheet:
    slot: SessionSlot
    rows: list[SheetRow]
    counts: SlotCounts


def slot_sheet(slot: SessionSlot, *, enrolments: QuerySet[Enrolment] | None = None) -> SlotSheet:
    """One half-day's approved participants, each with what is recorded (two queries)."""
    approved = approved_enrolments(slot.session, enrolments)
    people = list(approved)
    records = {
        record.enrolment_id: record
        for record in Attendance.objects.filter(
            slot=slot, enrolment__in=approved.order_by().values("pk")
        )
    }
    rows = [SheetRow(enrolment, records.get(enrolment.pk)) for enrolment in people]
    return SlotSheet(slot, rows, _counts_of(len(people), records.values()))


def sheet_row(slot: SessionSlot, enrolment: Enrolment) -> SheetRow:
    return SheetRow(enrolment, Attendance.objects.filter(slot=slot, enrolment=enrolment).first())


# --- Export -----------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _person_cells(enrolment: Enrolment) -> list[Any]:
    participant = enrolment.participant
    institution = participant.institution
    return [
        participant.name_latin,
        participant.name_arabic,
        participant.get_sex_display(),
        participant.rank,
        institution.name if institution is not None else "",
    ]


def _person_columns() -> list[str]:
    return [
        _("Name (Latin script)"),
        _("Name (Arabic script)"),
        _("Sex"),
        _("Rank"),
        _("Institution"),
    ]


def detail_columns() -> list[str]:
    return [
        *_person_columns(),
        _("Date"),
        _("Half-day"),
        _("Starts"),
        _("Ends"),
        _("Attendance"),
        _("Minutes attended"),
        _("Late"),
        _("Recorded how"),
    ]


def detail_rows(grid: AttendanceGrid) -> Iterable[list[Any]]:
    """One row per participant and half-day, recorded or not."""
    statuses = dict(AttendanceStatus.choices)
    methods = dict(AttendanceMethod.choices)
    for row in grid.rows:
        person = _person_cells(row.enrolment)
        for cell in row.cells:
            slot = cell.slot
            yield [
                *person,
                slot.date.isoformat(),
                slot.get_part_display(),
                slot.starts_at.strftime("%H:%M"),
                slot.ends_at.strftime("%H:%M"),
                str(statuses.get(cell.status, _("not recorded"))),
                cell.minutes,
                _yes_no(cell.status == AttendanceStatus.LATE),
                str(methods.get(cell.record.method, "")) if cell.record is not None else "",
            ]


def summary_columns(min_percent: int) -> list[str]:
    return [
        *_person_columns(),
        _("Half-days"),
        _("Half-days attended"),
        _("Of which late"),
        _("Minutes attended"),
        _("Attendance (%)"),
        _("Meets the %(percent)s%% needed") % {"percent": min_percent},
    ]


def summary_rows(grid: AttendanceGrid) -> Iterable[list[Any]]:
    """One row per participant: totals, share and whether it meets the session's threshold."""
    for row in grid.rows:
        summary = row.summary
        yield [
            *_person_cells(row.enrolment),
            summary.slots,
            summary.attended,
            summary.late,
            summary.minutes,
            round(summary.share * 100, 1),
            _yes_no(row.meets),
        ]


#: A part of an export: its title, its column headings and its rows.
Section = tuple[str, list[str], Iterable[list[Any]]]


def export_attendance(
    session: TrainingSession,
    *,
    format: str,
    output: BinaryIO,
    enrolments: QuerySet[Enrolment] | None = None,
) -> None:
    """Write the session's attendance to ``output``: one row per participant and half-day,
    then one summary row per participant (a second section in CSV, a second sheet in
    XLSX). Text cells a spreadsheet would run as formulas are neutralised."""
    if format not in EXPORT_CONTENT_TYPES:
        raise MizanError(
            _("Unknown export format: %(format)s. Choose one of: %(formats)s.")
            % {"format": format, "formats": ", ".join(EXPORT_FORMATS)},
            field="format",
        )
    grid = attendance_grid(session, enrolments=enrolments)
    sections: list[Section] = [
        (_("Attendance"), detail_columns(), detail_rows(grid)),
        (_("Summary"), summary_columns(session.min_attendance_percent), summary_rows(grid)),
    ]
    if format == "csv":
        _write_csv(sections, output)
    else:
        _write_xlsx(sections, output)


def _text(value: Any) -> Any:
    """Numbers stay numbers; text is neutralised against formula injection."""
    if isinstance(value, int | float):
        return value
    return neutralise_formula(str(value))


def _write_csv(sections: list[Section], output: BinaryIO) -> None:
    # The byte-order mark makes Excel read the file as UTF-8 (Arabic names otherwise
    # garble); quoting every cell is part of OWASP's advice against formula injection.
    output.write(codecs.BOM_UTF8)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for index, (title, columns, rows) in enumerate(sections):
        if index:
            writer.writerow([])
            writer.writerow([_text(title)])
        writer.writerow([_text(column) for column in columns])
        for row in rows:
            writer.writerow([_text(cell) for cell in row])
    output.write(buffer.getvalue().encode("utf-8"))


def _write_xlsx(sections: list[Section], output: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    for title, columns, rows in sections:
        sheet = workbook.create_sheet(title[:31])

        def cells(values: Iterable[Any], sheet: Any = sheet) -> list[Any]:
            row: list[Any] = []
            for value in values:
                if isinstance(value, int | float):
                    row.append(value)
                    continue
                cell = WriteOnlyCell(
                    sheet, value=neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
                )
                # Always a string, never a formula, whatever the value looks like.
                cell.data_type = "s"
                row.append(cell)
            return row

        sheet.append(cells(columns))
        for values in rows:
            sheet.append(cells(values))
    workbook.save(output)
