"""Whether a participant completed a course: the share of half-day slots they attended
(present or late) and their post-test score, against the session's thresholds.

A certificate is issued only to a complete enrolment (see
``training.services.certificates``); the staff pages, the API and the figures show the
same :class:`Completion`, with the reasons an enrolment is not complete, in the active
language.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext as _

from mizan.training.enums import ATTENDED, EnrolmentStatus, TestStage
from mizan.training.models import (
    Attendance,
    Certificate,
    Enrolment,
    TestAttempt,
    TrainingSession,
)


@dataclass(frozen=True)
class Completion:
    """One enrolment's standing against its session's completion rules."""

    enrolment: Enrolment
    slots_total: int
    slots_attended: int
    #: Minutes of the half-days attended (for the hours on the certificate).
    minutes_attended: int
    post_test_submitted: bool
    #: None while the post-test is not taken, or has short answers not yet marked.
    post_test_percent: Decimal | None
    min_attendance_percent: int
    min_post_test_percent: int
    reasons: tuple[str, ...] = field(default=())

    @property
    def is_complete(self) -> bool:
        return not self.reasons

    @property
    def attendance_percent(self) -> Decimal | None:
        """The share of half-days attended, in per cent, to one decimal (None for a
        session without slots)."""
        if not self.slots_total:
            return None
        share = Decimal(self.slots_attended * 100) / Decimal(self.slots_total)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def hours_attended(self) -> Decimal:
        """Hours attended, to the half hour below."""
        half_hours = self.minutes_attended // 30
        return Decimal(half_hours) / Decimal(2)


def _minutes(starts_at: time, ends_at: time) -> int:
    day = datetime(2000, 1, 1)
    start, end = datetime.combine(day, starts_at), datetime.combine(day, ends_at)
    return max(0, int((end - start).total_seconds() // 60))


def _number(value: Decimal) -> str:
    """``50.00`` as 50 and ``59.50`` as 59.5, written the active language's way."""
    plain = Decimal(format(value.normalize(), "f"))
    return formats.number_format(plain)


def _reasons(
    enrolment: Enrolment,
    session: TrainingSession,
    slots_total: int,
    slots_attended: int,
    attempt: TestAttempt | None,
) -> tuple[str, ...]:
    reasons: list[str] = []
    if enrolment.status != EnrolmentStatus.APPROVED:
        reasons.append(
            _("The enrolment is not approved (%(status)s).")
            % {"status": enrolment.get_status_display()}
        )
    needed_attendance = session.min_attendance_percent
    if needed_attendance:
        if not slots_total:
            reasons.append(_("The session has no half-days on which to record attendance."))
        # Compared in whole numbers, so that 4 of 5 half-days meets 80 % exactly.
        elif slots_attended * 100 < needed_attendance * slots_total:
            reasons.append(
                _(
                    "Attended %(attended)s of %(total)s half-days; at least %(needed)s %% "
                    "are needed."
                )
                % {"attended": slots_attended, "total": slots_total, "needed": needed_attendance}
            )
    needed_score = session.min_post_test_percent
    if needed_score:
        if attempt is None or attempt.submitted_at is None:
            reasons.append(_("The post-test was not taken."))
        elif attempt.score_percent is None:
            reasons.append(_("The post-test is not fully marked yet."))
        elif attempt.score_percent < needed_score:
            reasons.append(
                _("Post-test score %(score)s %%; at least %(needed)s %% is needed.")
                % {"score": _number(attempt.score_percent), "needed": needed_score}
            )
    return tuple(reasons)


def _completion(
    enrolment: Enrolment,
    session: TrainingSession,
    slots_total: int,
    slots_attended: int,
    minutes_attended: int,
    attempt: TestAttempt | None,
) -> Completion:
    return Completion(
        enrolment=enrolment,
        slots_total=slots_total,
        slots_attended=slots_attended,
        minutes_attended=minutes_attended,
        post_test_submitted=attempt is not None and attempt.submitted_at is not None,
        post_test_percent=(
            attempt.score_percent
            if attempt is not None and attempt.submitted_at is not None
            else None
        ),
        min_attendance_percent=session.min_attendance_percent,
        min_post_test_percent=session.min_post_test_percent,
        reasons=_reasons(enrolment, session, slots_total, slots_attended, attempt),
    )


def _attended(enrolment_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Enrolment id → (half-days attended, minutes attended), in one aggregate query:
    attended rows grouped by enrolment and by the hours of their slot."""
    rows = (
        Attendance.objects.filter(enrolment_id__in=enrolment_ids, status__in=ATTENDED)
        .values("enrolment_id", "slot__starts_at", "slot__ends_at")
        .annotate(count=Count("id"))
        .order_by()
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        total = totals[row["enrolment_id"]]
        total[0] += row["count"]
        total[1] += row["count"] * _minutes(row["slot__starts_at"], row["slot__ends_at"])
    return {key: (value[0], value[1]) for key, value in totals.items()}


def completion_of(enrolment: Enrolment) -> Completion:
    """Where one enrolment stands."""
    session = enrolment.session
    slots_total = session.slots.count()
    attended, minutes = _attended([enrolment.pk]).get(enrolment.pk, (0, 0))
    attempt = TestAttempt.objects.filter(enrolment=enrolment, stage=TestStage.POST).first()
    return _completion(enrolment, session, slots_total, attended, minutes, attempt)


def completions_for(session: TrainingSession) -> list[Completion]:
    """Where each approved enrolment of ``session`` stands, in name order, in four
    queries whatever the number of participants. Each enrolment comes with its
    participant and its certificate, if it has one (see :func:`certificate_of`)."""
    enrolments = list(
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.APPROVED)
        .select_related("participant", "certificate")
        .order_by("participant__name_latin", "participant__name_arabic", "id")
    )
    slots_total = session.slots.count()
    ids = [enrolment.pk for enrolment in enrolments]
    attended = _attended(ids) if ids else {}
    attempts = (
        {
            attempt.enrolment_id: attempt
            for attempt in TestAttempt.objects.filter(enrolment_id__in=ids, stage=TestStage.POST)
        }
        if ids
        else {}
    )
    completions = []
    for enrolment in enrolments:
        enrolment.session = session
        count, minutes = attended.get(enrolment.pk, (0, 0))
        completions.append(
            _completion(enrolment, session, slots_total, count, minutes, attempts.get(enrolment.pk))
        )
    return completions


def certificate_of(enrolment: Enrolment) -> Certificate | None:
    """The enrolment's certificate (valid or revoked), or None."""
    try:
        return enrolment.certificate
    except Certificate.DoesNotExist:
        return None
