"""Training sessions and the people in them: creating and running a session, its half-day
slots, participants, nominations decided within capacity, and personal links.

Every function validates, writes in one transaction with its audit entry and returns what
it changed. Who may call which is checked by the caller (views, API, CLI) with the rules
in ``training.rules``; where a rule depends on the data (a nominating institution the
user must act for), the function checks it too and raises :class:`Refused`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from mizan.actions.enums import ActionKind
from mizan.actions.models import Action
from mizan.audit.history import acting_user, attribute_change
from mizan.core.errors import MizanError, Refused
from mizan.institutions.models import Institution
from mizan.institutions.queries import institutions_acted_for
from mizan.training.enums import (
    SESSION_TRANSITIONS,
    EnrolmentStatus,
    FormCode,
    HalfDay,
    SessionStatus,
    Sex,
    VersionStatus,
)
from mizan.training.models import (
    CurriculumVersion,
    Enrolment,
    Participant,
    PersonalLink,
    SessionSlot,
    TrainingSession,
)
from mizan.training.rules import MANAGING_ROLES
from mizan.training.services.curricula import freeze_version

#: Default hours of the two half-days, used when slots are generated from the dates.
DEFAULT_HOURS = {
    HalfDay.MORNING: (time(9, 0), time(12, 30)),
    HalfDay.AFTERNOON: (time(14, 0), time(17, 0)),
}
#: A personal link lasts until the follow-up survey has closed: six months after the
#: session ends, and a few weeks more.
LINK_DAYS_AFTER_SESSION = 210
MAX_SESSION_DAYS = 30

SESSION_FIELDS = (
    "action",
    "version",
    "title",
    "starts_on",
    "ends_on",
    "venue",
    "city",
    "region",
    "organisers",
    "trainers",
    "audience",
    "capacity",
    "language",
    "min_attendance_percent",
    "min_post_test_percent",
    "pre_test_form",
    "post_test_form",
)
PARTICIPANT_FIELDS = (
    "name_latin",
    "name_arabic",
    "sex",
    "rank",
    "institution",
    "unit",
    "region",
    "service_number",
    "email",
    "phone",
    "consent_given_at",
)


def _unknown(changes: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise MizanError(
            _("These fields cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )


# --- Sessions ----------------------------------------------------------------------------


def _check_session(session: TrainingSession, organisers: list[Institution]) -> None:
    session.title = (session.title or "").strip()
    session.city = (session.city or "").strip()
    session.venue = (session.venue or "").strip()
    session.region = (session.region or "").strip()
    if not session.title:
        raise MizanError(_("Give the session a title."), field="title")
    if not session.city:
        raise MizanError(_("Say in which city the session is held."), field="city")
    if session.starts_on is None or session.ends_on is None:
        raise MizanError(_("Give the first and last day."), field="starts_on")
    if session.ends_on < session.starts_on:
        raise MizanError(_("The last day cannot come before the first."), field="ends_on")
    if (session.ends_on - session.starts_on).days + 1 > MAX_SESSION_DAYS:
        raise MizanError(
            _("A session lasts at most %(days)s days.") % {"days": MAX_SESSION_DAYS},
            field="ends_on",
        )
    if not session.capacity or session.capacity < 1:
        raise MizanError(_("The capacity must be at least 1."), field="capacity")
    for field in ("min_attendance_percent", "min_post_test_percent"):
        value = getattr(session, field)
        if value is None or not 0 <= value <= 100:
            raise MizanError(_("A percentage is between 0 and 100."), field=field)
    if session.language not in dict(settings.LANGUAGES):
        raise MizanError(_("Choose one of the interface languages."), field="language")
    for field in ("pre_test_form", "post_test_form"):
        if getattr(session, field) not in FormCode.values:
            raise MizanError(_("Choose form A or form B."), field=field)
    if not organisers:
        raise MizanError(_("Choose at least one organising institution."), field="organisers")
    action = session.action
    if action.kind != ActionKind.TRAINING:
        raise MizanError(
            _("A session carries out an action of kind “training programme”."), field="action"
        )
    if session.version.status != VersionStatus.PUBLISHED:
        raise MizanError(
            _("Only a published version can be used by sessions; publish it first."),
            field="version",
            code="not_published",
        )


def _check_organiser_allowed(organisers: list[Institution], by: Any) -> None:
    """Someone who is not a superuser creates sessions only for an institution they act
    for: the organisers are those who will see the participants' data."""
    if by is None or getattr(by, "is_superuser", False):
        return
    if not {i.pk for i in organisers} & institutions_acted_for(by, *MANAGING_ROLES):
        raise Refused(
            _("You can organise sessions only for an institution you coordinate."),
            field="organisers",
        )


@transaction.atomic
def create_session(
    *,
    action: Action,
    version: CurriculumVersion,
    title: str,
    starts_on: date,
    ends_on: date,
    city: str,
    organisers: Iterable[Institution],
    capacity: int,
    venue: str = "",
    region: str = "",
    trainers: Iterable[Any] = (),
    audience: str = "",
    language: str = "ar",
    min_attendance_percent: int = 80,
    min_post_test_percent: int = 60,
    pre_test_form: str = "A",
    post_test_form: str = "B",
    with_slots: bool = True,
    by: Any = None,
) -> TrainingSession:
    """Plan a session of ``action`` that teaches ``version``, which is frozen from now
    on. With ``with_slots``, a morning and an afternoon slot are made for each day."""
    organisers = list(organisers)
    session = TrainingSession(
        action=action,
        version=version,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        venue=venue,
        city=city,
        region=region,
        audience=(audience or "").strip(),
        capacity=capacity,
        language=language,
        min_attendance_percent=min_attendance_percent,
        min_post_test_percent=min_post_test_percent,
        pre_test_form=pre_test_form,
        post_test_form=post_test_form,
        created_by=acting_user(by),
    )
    _check_session(session, organisers)
    _check_organiser_allowed(organisers, by)
    freeze_version(
        version=version,
        by=by,
        reason=_("Used by the session “%(title)s”.") % {"title": session.title},
    )
    attribute_change(session, user=by)
    session.save()
    session.organisers.set(organisers)
    session.trainers.set(list(trainers))
    if with_slots:
        generate_slots(session=session, by=by)
    return session


@transaction.atomic
def update_session(*, session: TrainingSession, by: Any = None, **changes: Any) -> TrainingSession:
    """Change a session's details. Dates that move drop the slots outside them (refused
    if attendance was recorded there) and add slots for new days. The curriculum version
    changes only while the session is planned, and the new one is frozen in turn."""
    _unknown(changes, SESSION_FIELDS)
    # Locked as approvals lock it, so that the capacity is not lowered below the approved
    # participants while one is being approved.
    _lock(session)
    if session.status in (SessionStatus.COMPLETED, SessionStatus.CANCELLED):
        raise MizanError(_("A completed or cancelled session no longer changes."), code="closed")
    organisers = changes.pop("organisers", None)
    trainers = changes.pop("trainers", None)
    new_version = changes.get("version")
    version_changes = new_version is not None and new_version.pk != session.version_id
    if version_changes and session.status != SessionStatus.PLANNED:
        raise MizanError(
            _("The curriculum version changes only while the session is planned."),
            field="version",
        )
    for field, value in changes.items():
        setattr(session, field, value)
    organiser_list = list(organisers) if organisers is not None else list(session.organisers.all())
    _check_session(session, organiser_list)
    if organisers is not None:
        _check_organiser_allowed(organiser_list, by)
    approved = session.enrolments.filter(status=EnrolmentStatus.APPROVED).count()
    if session.capacity < approved:
        raise MizanError(
            _("%(count)s participants are already approved; the capacity cannot be lower.")
            % {"count": approved},
            field="capacity",
        )
    if version_changes:
        freeze_version(
            version=session.version,
            by=by,
            reason=_("Used by the session “%(title)s”.") % {"title": session.title},
        )
    attribute_change(session, user=by)
    session.save()
    if organisers is not None:
        session.organisers.set(organiser_list)
        session.__dict__.pop("_mizan_organiser_ids", None)
    if trainers is not None:
        session.trainers.set(list(trainers))
    if {"starts_on", "ends_on"} & set(changes):
        outside = session.slots.exclude(date__range=(session.starts_on, session.ends_on))
        if outside.filter(attendance__isnull=False).exists():
            raise MizanError(
                _("Attendance was recorded on days outside the new dates; keep those days."),
                field="starts_on",
            )
        for slot in outside:
            attribute_change(slot, user=by)
            slot.delete()
        generate_slots(session=session, by=by)
    return session


def _refuse_closed(session: TrainingSession) -> None:
    if session.status in (SessionStatus.COMPLETED, SessionStatus.CANCELLED):
        raise MizanError(_("A completed or cancelled session no longer changes."), code="closed")


@transaction.atomic
def generate_slots(*, session: TrainingSession, by: Any = None) -> list[SessionSlot]:
    """Add the missing morning and afternoon slots of every day of the session, at the
    default hours. Existing slots stay as they are."""
    _refuse_closed(session)
    existing = set(session.slots.values_list("date", "part"))
    made = []
    day = session.starts_on
    while day <= session.ends_on:
        for part, (starts_at, ends_at) in DEFAULT_HOURS.items():
            if (day, part) in existing:
                continue
            slot = SessionSlot(
                session=session, date=day, part=part, starts_at=starts_at, ends_at=ends_at
            )
            attribute_change(slot, user=by)
            slot.save()
            made.append(slot)
        day += timedelta(days=1)
    return made


@transaction.atomic
def update_slot(
    *, slot: SessionSlot, starts_at: time, ends_at: time, by: Any = None
) -> SessionSlot:
    """Change a half-day's hours (attendance durations follow)."""
    _refuse_closed(slot.session)
    if ends_at <= starts_at:
        raise MizanError(_("A half-day ends after it starts."), field="ends_at")
    slot.starts_at, slot.ends_at = starts_at, ends_at
    attribute_change(slot, user=by)
    slot.save()
    return slot


@transaction.atomic
def remove_slot(*, slot: SessionSlot, by: Any = None) -> None:
    """Remove a half-day with no attendance recorded (a free afternoon, say)."""
    _refuse_closed(slot.session)
    if slot.attendance.exists():
        raise MizanError(_("Attendance was recorded for this half-day; it stays."))
    attribute_change(slot, user=by)
    slot.delete()


@transaction.atomic
def change_session_status(
    *, session: TrainingSession, status: str, reason: str = "", by: Any = None
) -> TrainingSession:
    """Move a session along planned → open for nominations → running → completed, or
    to cancelled with a reason."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if status not in SESSION_TRANSITIONS.get(session.status, frozenset()):
        raise MizanError(
            _("A session that is “%(current)s” cannot become “%(new)s”.")
            % {
                "current": session.get_status_display(),
                "new": dict(SessionStatus.choices).get(status, status),
            },
            field="status",
            code="transition",
        )
    reason = (reason or "").strip()
    if status == SessionStatus.CANCELLED:
        if not reason:
            raise MizanError(_("Say why the session is cancelled."), field="reason")
        session.cancellation_reason = reason
    session.status = status
    attribute_change(session, user=by, reason=reason)
    session.save()
    return session


# --- Participants -------------------------------------------------------------------------


def _check_participant(participant: Participant) -> None:
    for field in ("name_latin", "name_arabic", "rank", "unit", "region", "service_number"):
        setattr(participant, field, " ".join((getattr(participant, field) or "").split()))
    participant.email = (participant.email or "").strip().lower()
    participant.phone = (participant.phone or "").strip()
    if not participant.name_latin and not participant.name_arabic:
        raise MizanError(_("Give the name in Latin or Arabic script."), field="name_latin")
    if participant.sex not in Sex.values:
        raise MizanError(_("Choose female or male."), field="sex")
    if participant.email:
        try:
            validate_email(participant.email)
        except ValidationError as error:
            raise MizanError(_("This is not an e-mail address."), field="email") from error


@transaction.atomic
def create_participant(*, by: Any = None, **fields: Any) -> Participant:
    """Record a person who takes part in trainings."""
    _unknown(fields, PARTICIPANT_FIELDS)
    participant = Participant(created_by=acting_user(by), **fields)
    _check_participant(participant)
    attribute_change(participant, user=by)
    participant.save()
    return participant


@transaction.atomic
def update_participant(*, participant: Participant, by: Any = None, **changes: Any) -> Participant:
    _unknown(changes, PARTICIPANT_FIELDS)
    for field, value in changes.items():
        setattr(participant, field, value)
    _check_participant(participant)
    attribute_change(participant, user=by)
    participant.save()
    return participant


# --- Nominations and enrolments -----------------------------------------------------------


def _approved_count(session: TrainingSession) -> int:
    return session.enrolments.filter(status=EnrolmentStatus.APPROVED).count()


def _lock(session: TrainingSession) -> TrainingSession:
    """Lock the session row while places are counted, so two approvals at once cannot
    both take the last place."""
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def nominate(
    *,
    session: TrainingSession,
    participant: Participant,
    institution: Institution,
    by: Any = None,
) -> Enrolment:
    """``institution`` nominates ``participant`` for a session open for nominations."""
    session = _lock(session)
    if session.status != SessionStatus.OPEN:
        raise MizanError(
            _("Nominations are taken only while the session is open for nominations."),
            code="not_open",
        )
    if (
        by is not None
        and not getattr(by, "is_superuser", False)
        and institution.pk not in institutions_acted_for(by, *MANAGING_ROLES)
    ):
        raise Refused(
            _("You can nominate officers only for an institution you act for."),
            field="institution",
        )
    if Enrolment.objects.filter(session=session, participant=participant).exists():
        raise MizanError(_("This person is already nominated for the session."), code="duplicate")
    enrolment = Enrolment(
        session=session,
        participant=participant,
        nominated_by=institution,
        nominated_by_user=acting_user(by),
        status=EnrolmentStatus.NOMINATED,
    )
    attribute_change(enrolment, user=by)
    enrolment.save()
    return enrolment


@transaction.atomic
def nominate_new_participant(
    *, session: TrainingSession, institution: Institution, by: Any = None, **fields: Any
) -> Enrolment:
    """Record a new officer of ``institution`` and nominate them in one step: if the
    nomination is refused, the person is not recorded either."""
    participant = create_participant(by=by, institution=institution, **fields)
    return nominate(session=session, participant=participant, institution=institution, by=by)


@transaction.atomic
def enrol(
    *, session: TrainingSession, participant: Participant, by: Any = None, reason: str = ""
) -> Enrolment:
    """The organiser enrols a participant directly, as approved, within capacity."""
    session = _lock(session)
    if session.status in (SessionStatus.COMPLETED, SessionStatus.CANCELLED):
        raise MizanError(_("A completed or cancelled session takes no one."), code="closed")
    enrolment = Enrolment.objects.filter(session=session, participant=participant).first()
    if enrolment is not None and enrolment.status == EnrolmentStatus.APPROVED:
        return enrolment
    if _approved_count(session) >= session.capacity:
        raise MizanError(
            _("The session is full (%(capacity)s places).") % {"capacity": session.capacity},
            code="full",
        )
    if enrolment is None:
        enrolment = Enrolment(session=session, participant=participant)
    enrolment.status = EnrolmentStatus.APPROVED
    enrolment.decided_by = acting_user(by)
    enrolment.decided_at = timezone.now()
    attribute_change(enrolment, user=by, reason=reason)
    enrolment.save()
    return enrolment


@transaction.atomic
def enrol_new_participant(*, session: TrainingSession, by: Any = None, **fields: Any) -> Enrolment:
    """Record a new person and enrol them as approved in one step: if the session is
    full or closed, the person is not recorded either."""
    participant = create_participant(by=by, **fields)
    return enrol(session=session, participant=participant, by=by)


@transaction.atomic
def decide_nomination(
    *, enrolment: Enrolment, approve: bool, note: str = "", by: Any = None
) -> Enrolment:
    """Approve a nomination within capacity, or decline it (a note says why).

    The session's row is locked first, so that two approvals at once cannot both take
    the last place: the second waits, then counts the first."""
    session = _lock(enrolment.session)
    enrolment.refresh_from_db()
    if enrolment.status != EnrolmentStatus.NOMINATED:
        raise MizanError(
            _("This nomination was already decided (%(status)s).")
            % {"status": enrolment.get_status_display()},
            code="decided",
        )
    if session.status in (SessionStatus.COMPLETED, SessionStatus.CANCELLED):
        raise MizanError(_("A completed or cancelled session takes no one."), code="closed")
    note = (note or "").strip()
    if approve:
        if _approved_count(session) >= session.capacity:
            raise MizanError(
                _("The session is full (%(capacity)s places); decline or free a place first.")
                % {"capacity": session.capacity},
                code="full",
            )
        enrolment.status = EnrolmentStatus.APPROVED
    else:
        if not note:
            raise MizanError(_("Say why the nomination is declined."), field="note")
        enrolment.status = EnrolmentStatus.DECLINED
    enrolment.decision_note = note
    enrolment.decided_by = acting_user(by)
    enrolment.decided_at = timezone.now()
    attribute_change(enrolment, user=by, reason=note)
    enrolment.save()
    return enrolment


@transaction.atomic
def withdraw(*, enrolment: Enrolment, reason: str, by: Any = None) -> Enrolment:
    """A nominated or approved participant will not come: their place is freed and their
    personal links stop working."""
    reason = (reason or "").strip()
    if not reason:
        raise MizanError(_("Say why the participant withdraws."), field="reason")
    _lock(enrolment.session)
    enrolment.refresh_from_db()
    if enrolment.status not in (EnrolmentStatus.NOMINATED, EnrolmentStatus.APPROVED):
        raise MizanError(_("Only a nominated or approved participant can withdraw."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.decision_note = reason
    attribute_change(enrolment, user=by, reason=reason)
    enrolment.save()
    for link in PersonalLink.objects.filter(enrolment=enrolment, revoked_at__isnull=True):
        revoke_personal_link(link=link, by=by, reason=reason)
    return enrolment


# --- Personal links -------------------------------------------------------------------------


def link_expiry(session: TrainingSession | None) -> datetime:
    """When a new link for ``session`` expires: after the follow-up survey has closed."""
    if session is None:
        return timezone.now() + timedelta(days=LINK_DAYS_AFTER_SESSION)
    last_day = datetime.combine(
        session.ends_on, time(23, 59), tzinfo=timezone.get_current_timezone()
    )
    return max(last_day, timezone.now()) + timedelta(days=LINK_DAYS_AFTER_SESSION)


@transaction.atomic
def issue_personal_link(
    *,
    enrolment: Enrolment | None = None,
    participant: Participant | None = None,
    expires_at: datetime | None = None,
    by: Any = None,
) -> PersonalLink:
    """A new personal link for an enrolment (its pages: tests, evaluations, plan,
    follow-up, cascades) or for a person with no enrolment (a relay trainer, who only
    reports cascades). Earlier links of the same enrolment stop working."""
    if enrolment is None and participant is None:
        raise MizanError(_("Say whose link it is."))
    if enrolment is not None:
        if enrolment.status != EnrolmentStatus.APPROVED:
            raise MizanError(_("Only approved participants get a personal link."))
        if enrolment.session.status == SessionStatus.CANCELLED:
            raise MizanError(_("The session was cancelled: it gives no personal links."))
        participant = enrolment.participant
    assert participant is not None
    now = timezone.now()
    earlier = PersonalLink.objects.filter(participant=participant, enrolment=enrolment).filter(
        revoked_at__isnull=True
    )
    for link in earlier:
        link.revoked_at = now
        attribute_change(link, user=by, reason=_("Replaced by a new link."))
        link.save()
    link = PersonalLink(
        participant=participant,
        enrolment=enrolment,
        expires_at=expires_at or link_expiry(enrolment.session if enrolment else None),
    )
    attribute_change(link, user=by)
    link.save()
    return link


@transaction.atomic
def issue_missing_links(*, session: TrainingSession, by: Any = None) -> list[PersonalLink]:
    """A personal link for each approved participant of ``session`` who has no usable
    one; links that work stay as they are."""
    usable = PersonalLink.objects.filter(
        enrolment_id=OuterRef("pk"), revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    approved = (
        session.enrolments.filter(status=EnrolmentStatus.APPROVED)
        .exclude(Exists(usable))
        .select_related("participant", "session")
        .order_by("id")
    )
    return [issue_personal_link(enrolment=enrolment, by=by) for enrolment in approved]


def current_link(enrolment: Enrolment) -> PersonalLink | None:
    """The enrolment's usable link, if it has one."""
    return (
        PersonalLink.objects.filter(
            enrolment=enrolment, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def revoke_personal_link(*, link: PersonalLink, by: Any = None, reason: str = "") -> PersonalLink:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        attribute_change(link, user=by, reason=reason)
        link.save()
    return link


def open_personal_link(token: str) -> PersonalLink | None:
    """The usable link behind ``token``, or None (unknown, expired or revoked: the page
    says the same for all three, so a guess learns nothing)."""
    if not token or len(token) > 64:
        return None
    link = (
        PersonalLink.objects.select_related("participant", "enrolment__session")
        .filter(token=token)
        .first()
    )
    if link is None or not link.is_usable:
        return None
    # Only the day the link was last used is kept: a time to the second could be matched
    # with the moment an anonymous evaluation or suggestion was made.
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if link.last_used_at is None or link.last_used_at < today:
        PersonalLink.objects.filter(pk=link.pk).update(last_used_at=today)
    return link
