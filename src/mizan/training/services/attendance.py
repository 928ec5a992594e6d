"""Attendance per half-day slot: a trainer records it for one participant or for a whole
slot, and a participant checks in by scanning the slot's QR code on their phone.

Every function validates, writes in one transaction with its audit entry and returns what
it changed. Who may record attendance is checked by the caller with
``training.record_attendance``; a check-in is the participant's own, proven by their
personal link.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mizan.audit.history import acting_user, attribute_change
from mizan.core.errors import MizanError
from mizan.training.enums import (
    ATTENDED,
    AttendanceMethod,
    AttendanceStatus,
    EnrolmentStatus,
    SessionStatus,
)
from mizan.training.models import (
    Attendance,
    Enrolment,
    PersonalLink,
    SessionSlot,
    TrainingSession,
)

#: A participant may check in from this many minutes before the slot starts...
CHECK_IN_OPENS_MINUTES_BEFORE = 60
#: ...and is recorded late when they check in more than this many minutes after it starts.
LATE_AFTER_MINUTES = 15


def _check_slot_open(slot: SessionSlot) -> None:
    # Read afresh: the caller's copy of the session may predate its cancellation.
    status = TrainingSession.objects.filter(pk=slot.session_id).values_list("status", flat=True)
    if status.first() == SessionStatus.CANCELLED:
        raise MizanError(
            _("The session was cancelled; no attendance is recorded for it."), code="cancelled"
        )


def _check_status(status: str) -> None:
    if status not in AttendanceStatus.values:
        raise MizanError(
            _("Choose present, late, excused or absent."), field="status", code="status"
        )


def _check_enrolment(enrolment: Enrolment, slot: SessionSlot) -> None:
    if enrolment.session_id != slot.session_id:
        # Not named: the enrolment may be one of a session the caller cannot see.
        raise MizanError(
            _("This participant is not enrolled in the session of this half-day."),
            field="enrolment",
            code="other_session",
        )
    if enrolment.status != EnrolmentStatus.APPROVED:
        raise MizanError(
            _("Attendance is recorded only for approved participants (%(participant)s is not).")
            % {"participant": enrolment.participant},
            field="enrolment",
            code="not_approved",
        )


def _save_by_trainer(
    record: Attendance | None, *, enrolment: Enrolment, slot: SessionSlot, status: str, by: Any
) -> Attendance:
    """Create or change one record as a trainer's; an unchanged status writes nothing."""
    if record is not None and record.status == status:
        return record
    if record is None:
        record = Attendance(enrolment=enrolment, slot=slot)
    record.status = status
    record.method = AttendanceMethod.TRAINER
    record.recorded_by = acting_user(by)
    attribute_change(record, user=by)
    record.save()
    return record


@transaction.atomic
def record_attendance(
    *, enrolment: Enrolment, slot: SessionSlot, status: str, by: Any = None
) -> Attendance:
    """Record (or correct) one approved participant's attendance of one half-day."""
    _check_status(status)
    _check_slot_open(slot)
    # Locking the enrolment serialises a trainer's record and the participant's scan.
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("participant")
        .get(pk=enrolment.pk)
    )
    _check_enrolment(enrolment, slot)
    record = Attendance.objects.filter(enrolment=enrolment, slot=slot).first()
    return _save_by_trainer(record, enrolment=enrolment, slot=slot, status=status, by=by)


@transaction.atomic
def record_slot(
    *, slot: SessionSlot, statuses: Mapping[int, str], by: Any = None
) -> list[Attendance]:
    """Record the attendance of several participants of one half-day at once: enrolment
    id → status. Nothing is recorded if one of them is refused."""
    _check_slot_open(slot)
    for status in statuses.values():
        _check_status(status)
    ids = [int(key) for key in statuses]
    enrolments = {
        enrolment.pk: enrolment
        for enrolment in Enrolment.objects.select_for_update(of=("self",))
        .select_related("participant")
        .filter(pk__in=ids, session_id=slot.session_id)
    }
    missing = [pk for pk in ids if pk not in enrolments]
    if missing:
        raise MizanError(
            _("No enrolment %(id)s in this session.") % {"id": missing[0]},
            field="enrolment",
            code="other_session",
        )
    for enrolment in enrolments.values():
        _check_enrolment(enrolment, slot)
    existing = {
        record.enrolment_id: record
        for record in Attendance.objects.filter(slot=slot, enrolment_id__in=ids)
    }
    return [
        _save_by_trainer(
            existing.get(pk), enrolment=enrolments[pk], slot=slot, status=statuses[key], by=by
        )
        for key, pk in zip(statuses, ids, strict=True)
    ]


@transaction.atomic
def mark_unrecorded_absent(*, slot: SessionSlot, by: Any = None) -> list[Attendance]:
    """Record as absent every approved participant of the slot's session who has no
    attendance for it yet."""
    unrecorded = (
        Enrolment.objects.filter(session_id=slot.session_id, status=EnrolmentStatus.APPROVED)
        .exclude(attendance__slot=slot)
        .values_list("pk", flat=True)
    )
    return record_slot(
        slot=slot, statuses=dict.fromkeys(unrecorded, AttendanceStatus.ABSENT), by=by
    )


# --- Checking in with the QR code ---------------------------------------------------------


def slot_start(slot: SessionSlot) -> datetime:
    """When the half-day starts, in the platform's time zone."""
    return timezone.make_aware(datetime.combine(slot.date, slot.starts_at))


def slot_end(slot: SessionSlot) -> datetime:
    return timezone.make_aware(datetime.combine(slot.date, slot.ends_at))


def check_in_opens(slot: SessionSlot) -> datetime:
    """The earliest check-in: an hour before the start, but never the day before."""
    earliest = slot_start(slot) - timedelta(minutes=CHECK_IN_OPENS_MINUTES_BEFORE)
    midnight = timezone.make_aware(datetime.combine(slot.date, datetime.min.time()))
    return max(earliest, midnight)


def _local(moment: datetime) -> str:
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


@transaction.atomic
def check_in(*, link: PersonalLink, code: str, now: datetime | None = None) -> Attendance:
    """The participant holding ``link`` scanned the QR code ``code`` of a half-day: they
    are recorded present, or late after the first quarter of an hour.

    Check-in is open on the slot's date, from an hour before it starts until it ends. A
    scan never lowers what is recorded: a participant already present or late (by a
    trainer or an earlier scan) stays as they are; one recorded absent or excused who
    then scans is here after all, and is recorded as arriving.
    """
    now = now or timezone.now()
    slot = (
        SessionSlot.objects.select_related("session").filter(check_in_code=code).first()
        if code and len(code) <= 64
        else None
    )
    if slot is None:
        raise MizanError(_("This QR code is not one of Mizan's."), code="unknown_code")
    if not link.is_usable:
        raise MizanError(
            _("Your personal link no longer works; ask the trainer for a new one."),
            code="link_unusable",
        )
    enrolment_id = link.enrolment_id
    if enrolment_id is None or link.enrolment is None:
        raise MizanError(
            _("Your personal link is not for a session; this QR code is not for you."),
            code="other_session",
        )
    if link.enrolment.session_id != slot.session_id:
        raise MizanError(_("This QR code is for another session than yours."), code="other_session")
    _check_slot_open(slot)
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("participant")
        .get(pk=enrolment_id)
    )
    if enrolment.status != EnrolmentStatus.APPROVED:
        raise MizanError(
            _("Your place in this session is not approved, so you cannot check in."),
            code="not_approved",
        )
    opens, starts, ends = check_in_opens(slot), slot_start(slot), slot_end(slot)
    if now < opens:
        raise MizanError(
            _("Check-in for this half-day opens at %(time)s.") % {"time": _local(opens)},
            code="too_early",
        )
    if now > ends:
        raise MizanError(
            _("Check-in for this half-day closed at %(time)s.") % {"time": _local(ends)},
            code="too_late",
        )
    status = (
        AttendanceStatus.LATE
        if now > starts + timedelta(minutes=LATE_AFTER_MINUTES)
        else AttendanceStatus.PRESENT
    )
    record = Attendance.objects.filter(enrolment=enrolment, slot=slot).first()
    if record is not None and record.status in ATTENDED:
        return record
    if record is None:
        record = Attendance(enrolment=enrolment, slot=slot)
    record.status = status
    record.method = AttendanceMethod.QR_CODE
    record.recorded_by = None
    attribute_change(record, user=None, reason=_("Checked in with the QR code."))
    record.save()
    return record
