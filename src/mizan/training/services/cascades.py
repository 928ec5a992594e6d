"""Cascade sessions: a trained participant reports the session they gave their
colleagues, through their personal link or through an organiser; an organiser registers
the people trained in a cascade session who go on to train others (relay trainers), and
removes a cascade session recorded by mistake."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mizan.audit.history import acting_user, attribute_change
from mizan.core.errors import MizanError
from mizan.evidence.models import EvidenceFile
from mizan.institutions.models import Institution
from mizan.training.enums import EnrolmentStatus
from mizan.training.models import (
    CascadeAudience,
    CascadeSession,
    Module,
    Participant,
    PersonalLink,
    TrainingSession,
)
from mizan.training.services.sessions import create_participant, issue_personal_link

#: The most people one row of a cascade session's audience may count: more is a typing
#: mistake, and would overflow the database's integer column.
MAX_AUDIENCE = 100_000


@dataclass(frozen=True)
class AudienceCount:
    """How many women and men of one institution (None: from elsewhere) attended."""

    institution: Institution | None
    women: int
    men: int


def source_of(reporter: Participant) -> tuple[TrainingSession, CascadeSession | None]:
    """The training session a person's cascades descend from, and the cascade session
    they were trained in (None for a directly trained participant). Refused for a person
    who was neither trained in an approved enrolment nor in a cascade."""
    if reporter.trained_in_cascade_id is not None:
        parent = reporter.trained_in_cascade
        assert parent is not None
        return parent.source_session, parent
    enrolment = (
        reporter.enrolments.filter(status=EnrolmentStatus.APPROVED)
        .select_related("session")
        .order_by("-session__ends_on")
        .first()
    )
    if enrolment is None:
        raise MizanError(_("Only a trained participant can report a cascade session."))
    return enrolment.session, None


@transaction.atomic
def report_cascade(
    *,
    reporter: Participant,
    held_on: date,
    place: str,
    audience: Sequence[AudienceCount],
    modules: Iterable[Module] = (),
    notes: str = "",
    evidence: Iterable[EvidenceFile] = (),
    source_session: TrainingSession | None = None,
    by: Any = None,
) -> CascadeSession:
    """Record a cascade session given by ``reporter``. Its source session, parent and
    generation follow from how the reporter was trained; ``source_session`` chooses
    among a directly trained participant's sessions. Modules must belong to the version
    the source session taught."""
    root, parent = source_of(reporter)
    if source_session is not None and parent is None:
        if not reporter.enrolments.filter(
            session=source_session, status=EnrolmentStatus.APPROVED
        ).exists():
            raise MizanError(_("The reporter did not take part in that session."))
        root = source_session
    place = (place or "").strip()
    if not place:
        raise MizanError(_("Say where the session was held."), field="place")
    if held_on is None:
        raise MizanError(_("Give the date of the session."), field="held_on")
    if held_on > timezone.localdate():
        raise MizanError(_("A cascade session is reported after it was held."), field="held_on")
    if held_on < root.starts_on:
        raise MizanError(
            _("The session cannot come before the training it descends from."), field="held_on"
        )
    counts = [count for count in audience if count.women or count.men]
    if any(count.women < 0 or count.men < 0 for count in audience):
        raise MizanError(_("Counts cannot be negative."), field="audience")
    if any(count.women > MAX_AUDIENCE or count.men > MAX_AUDIENCE for count in audience):
        raise MizanError(
            _("A count cannot be more than %(max)s.") % {"max": MAX_AUDIENCE}, field="audience"
        )
    if not counts:
        raise MizanError(_("Say how many women and men attended."), field="audience")
    modules = list(modules)
    if any(module.version_id != root.version_id for module in modules):
        raise MizanError(
            _("Choose modules of the curriculum version the training taught."), field="modules"
        )
    cascade = CascadeSession(
        reported_by=reporter,
        source_session=root,
        parent=parent,
        generation=(parent.generation + 1) if parent else 1,
        held_on=held_on,
        place=place,
        notes=(notes or "").strip(),
        recorded_by=acting_user(by),
    )
    attribute_change(cascade, user=by)
    cascade.save()
    for count in counts:
        row = CascadeAudience(
            cascade=cascade, institution=count.institution, women=count.women, men=count.men
        )
        attribute_change(row, user=by)
        row.save()
    cascade.modules.set(modules)
    cascade.evidence.set(list(evidence))
    return cascade


class RelayTrainer(NamedTuple):
    participant: Participant
    link: PersonalLink


@transaction.atomic
def register_relay_trainer(
    *, cascade: CascadeSession, by: Any = None, **fields: Any
) -> RelayTrainer:
    """Record a person trained in ``cascade`` who will give cascade sessions in turn, and
    give them a personal link, through which they report those sessions. ``fields`` are
    the participant's (names, sex, rank, institution, unit, contacts...)."""
    participant = create_participant(by=by, **fields)
    participant.trained_in_cascade = cascade
    attribute_change(
        participant,
        user=by,
        reason=_("Trained in the cascade session of %(place)s, %(date)s.")
        % {"place": cascade.place, "date": cascade.held_on.isoformat()},
    )
    participant.save(update_fields=["trained_in_cascade", "updated_at"])
    link = issue_personal_link(participant=participant, by=by)
    return RelayTrainer(participant, link)


@transaction.atomic
def remove_cascade(*, cascade: CascadeSession, reason: str, by: Any = None) -> None:
    """Remove a cascade session recorded by mistake, with its audience. Refused while
    later cascade sessions descend from it or people are recorded as trained in it:
    those are removed (or corrected) first."""
    reason = (reason or "").strip()
    if not reason:
        raise MizanError(_("Say why the cascade session is removed."), field="reason")
    cascade = CascadeSession.objects.select_for_update().get(pk=cascade.pk)
    if cascade.children.exists():
        raise MizanError(
            _("Later cascade sessions descend from this one; remove them first."),
            code="has_children",
        )
    if cascade.relay_trainers.exists():
        raise MizanError(
            _("People are recorded as trained in this cascade session; it stays."),
            code="has_relay_trainers",
        )
    for row in cascade.audience.all():
        attribute_change(row, user=by, reason=reason)
        row.delete()
    attribute_change(cascade, user=by, reason=reason)
    cascade.delete()
