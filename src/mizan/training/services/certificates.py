"""Certificates of completion: issuing one or all of a session's, revoking with a reason,
reissuing under a new code, and the public check of a verification code.

A certificate is issued only once the session is completed and only to an enrolment that
met the session's completion rules (``training.completion``). It keeps the holder's names
as they were on the day it was issued. An enrolment has one certificate record: revoking
keeps it (and its code, which the public check then reports as revoked); reissuing gives
the same record a new code, and the old code stays revoked in the audit trail, where the
public check still finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mizan.audit.history import acting_user, attribute_change
from mizan.core.errors import MizanError
from mizan.core.languages import pick_translation
from mizan.institutions.models import Institution
from mizan.training.codes import new_certificate_code, normalise_certificate_code
from mizan.training.completion import (
    Completion,
    certificate_of,
    completion_of,
    completions_for,
)
from mizan.training.enums import SessionStatus
from mizan.training.models import Certificate, Enrolment, TrainingSession


class IssueResult(NamedTuple):
    """What issuing a session's certificates did: the certificates newly issued, and the
    participants who did not complete (with the reasons). Participants who already hold
    a valid certificate, or whose certificate was revoked, are in neither."""

    issued: list[Certificate]
    not_eligible: list[Completion]


def _check_session(session: TrainingSession) -> None:
    if session.status != SessionStatus.COMPLETED:
        raise MizanError(
            _("Certificates are issued once the session is completed."), code="not_completed"
        )


def _check_complete(completion: Completion) -> None:
    if not completion.is_complete:
        raise MizanError(
            _("This participant did not complete the course: %(reasons)s")
            % {"reasons": " ".join(completion.reasons)},
            code="not_eligible",
        )


def _snapshot_holder(certificate: Certificate, enrolment: Enrolment) -> None:
    participant = enrolment.participant
    certificate.holder_name_latin = participant.name_latin
    certificate.holder_name_arabic = participant.name_arabic


def _new_certificate(enrolment: Enrolment, by: Any) -> Certificate | None:
    """The enrolment's new certificate; None when another request issued it meanwhile
    (issuing one and issuing a whole session's lock different rows)."""
    certificate = Certificate(enrolment=enrolment, issued_by=acting_user(by))
    _snapshot_holder(certificate, enrolment)
    attribute_change(certificate, user=by)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        return None
    return certificate


@transaction.atomic
def issue_certificate(*, enrolment: Enrolment, by: Any = None) -> Certificate:
    """Issue ``enrolment``'s certificate, or return the valid one it already has. Refused
    before the session is completed, for an enrolment that did not complete the course,
    and when its certificate was revoked (reissue it instead)."""
    # Lock the enrolment, so that two clicks at once cannot both create a certificate.
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("session", "participant")
        .get(pk=enrolment.pk)
    )
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        if existing.is_revoked:
            raise MizanError(
                _("This participant's certificate was revoked; reissue it to give a new one."),
                code="revoked",
            )
        return existing
    _check_session(enrolment.session)
    _check_complete(completion_of(enrolment))
    return _new_certificate(enrolment, by) or Certificate.objects.get(enrolment=enrolment)


@transaction.atomic
def issue_certificates(*, session: TrainingSession, by: Any = None) -> IssueResult:
    """Issue a certificate to every approved participant of a completed session who
    completed the course and has none yet."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _check_session(session)
    issued: list[Certificate] = []
    not_eligible: list[Completion] = []
    for completion in completions_for(session):
        if not completion.is_complete:
            not_eligible.append(completion)
            continue
        enrolment = completion.enrolment
        if certificate_of(enrolment) is not None:
            continue
        certificate = _new_certificate(enrolment, by)
        if certificate is not None:
            issued.append(certificate)
    return IssueResult(issued, not_eligible)


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, reason: str, by: Any = None) -> Certificate:
    """Revoke a certificate (issued by mistake, or obtained by fraud). The reason stays in
    the back office; the public check says only that it was revoked, and when."""
    reason = (reason or "").strip()
    if not reason:
        raise MizanError(_("Say why the certificate is revoked."), field="reason")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise MizanError(_("This certificate is already revoked."), code="revoked")
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = acting_user(by)
    certificate.revocation_reason = reason
    attribute_change(certificate, user=by, reason=reason)
    certificate.save()
    return certificate


@transaction.atomic
def reissue_certificate(
    *, certificate: Certificate, by: Any = None, reason: str = ""
) -> Certificate:
    """Give a revoked certificate a new life under a new code, with the holder's names as
    they are now (a corrected spelling, say). The enrolment must still meet the rules."""
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("enrolment__session", "enrolment__participant")
        .get(pk=certificate.pk)
    )
    if not certificate.is_revoked:
        raise MizanError(
            _("Only a revoked certificate is reissued; this one is valid."), code="valid"
        )
    enrolment = certificate.enrolment
    _check_session(enrolment.session)
    _check_complete(completion_of(enrolment))
    code = new_certificate_code()
    while Certificate.objects.filter(code=code).exists() or _ever_used(code):
        code = new_certificate_code()  # pragma: no cover - 59 bits make this rare
    certificate.code = code
    certificate.issued_at = timezone.now()
    certificate.issued_by = acting_user(by)
    certificate.revoked_at = None
    certificate.revoked_by = None
    certificate.revocation_reason = ""
    _snapshot_holder(certificate, enrolment)
    attribute_change(
        certificate, user=by, reason=(reason or "").strip() or _("Reissued under a new code.")
    )
    certificate.save()
    return certificate


def _ever_used(code: str) -> bool:
    return Certificate.history.filter(code=code).exists()


# --- The public check -------------------------------------------------------------------

VALID = "valid"
REVOKED = "revoked"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verification:
    """What anyone may learn from a verification code, and nothing more: for a valid
    certificate, the holder's names, the course, the session's dates and city and the
    issuing institutions; for a revoked one, only that it was revoked, and when."""

    status: str
    code: str
    holder_name_latin: str = ""
    holder_name_arabic: str = ""
    course_titles: dict[str, str] = field(default_factory=dict)
    starts_on: date | None = None
    ends_on: date | None = None
    city: str = ""
    institutions: tuple[Institution, ...] = ()
    issued_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == VALID

    @property
    def is_revoked(self) -> bool:
        return self.status == REVOKED

    @property
    def course_title(self) -> str:
        """The course's title in the active language."""
        return pick_translation(self.course_titles)


def verify_certificate(code: str) -> Verification:
    """Check a code as typed. Every answer costs the same three queries, so the time it
    takes does not tell a known code from an unknown one."""
    normalised = normalise_certificate_code(code or "")[:40]
    certificate = (
        Certificate.objects.select_related("enrolment__session__version__curriculum")
        .filter(code=normalised)
        .first()
    )
    # Asked even for an unknown code (of no session), so every answer costs the same.
    session_id = certificate.enrolment.session_id if certificate is not None else 0
    institutions = tuple(
        Institution.objects.filter(organised_sessions__id=session_id).order_by("code")
    )
    # A code replaced on reissue is found in the audit trail, as it was when revoked.
    earlier = (
        Certificate.history.filter(code=normalised, revoked_at__isnull=False)
        .order_by("-history_date")
        .values_list("revoked_at", flat=True)
        .first()
    )
    if certificate is None:
        if earlier is not None:
            return Verification(status=REVOKED, code=normalised, revoked_at=earlier)
        return Verification(status=UNKNOWN, code=normalised)
    if certificate.is_revoked:
        return Verification(status=REVOKED, code=normalised, revoked_at=certificate.revoked_at)
    session = certificate.enrolment.session
    return Verification(
        status=VALID,
        code=normalised,
        holder_name_latin=certificate.holder_name_latin,
        holder_name_arabic=certificate.holder_name_arabic,
        course_titles=dict(session.version.curriculum.titles or {}),
        starts_on=session.starts_on,
        ends_on=session.ends_on,
        city=session.city,
        institutions=institutions,
        issued_at=certificate.issued_at,
    )
