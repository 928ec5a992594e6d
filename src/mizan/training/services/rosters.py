"""Rosters: importing a session's participants from a file, all or none, and merging two
records of the same person.

:func:`import_roster` enrols every row of a file as approved (a roster is the
organiser's own list) or none of them. A row that is probably someone already recorded
is enrolled as that person or as a new one, as the organiser decided; the search for
such people covers only the participants the importing user may see, so an import never
shows anyone the people of sessions that are not theirs.

:func:`merge_participants` moves everything recorded about a duplicate to the record that
is kept, and deletes the duplicate; the audit trail names both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mizan.audit.history import attribute_change
from mizan.core.errors import MizanError, Refused
from mizan.recommendations.importers import ImportProblem, ImportRejected
from mizan.training.enums import EnrolmentStatus
from mizan.training.models import Enrolment, FollowUpResponse, Participant, TrainingSession
from mizan.training.queries import participants_visible_to
from mizan.training.rosters import (
    MAX_ROSTER_BYTES,
    RosterReading,
    RosterRow,
    RowDecision,
    read_roster,
)
from mizan.training.services.sessions import create_participant, enrol, update_participant

#: The fields a merge or a "same person" row fills in when the kept record lacks them.
FILLABLE_FIELDS = (
    "name_latin",
    "name_arabic",
    "rank",
    "institution",
    "unit",
    "region",
    "service_number",
    "email",
    "phone",
    "consent_given_at",
)


@dataclass
class RosterImportResult:
    """What an import did (or, for a dry run, would do)."""

    session: TrainingSession
    enrolments: list[Enrolment] = field(default_factory=list)
    #: New participants recorded.
    created: int = 0
    #: Rows enrolled as someone already recorded.
    matched: int = 0
    #: Of those, the people whose empty details the rows filled in.
    filled: int = 0
    #: Rows whose person was already approved in the session.
    already_enrolled: int = 0
    dry_run: bool = False


class DuplicatesUndecided(MizanError):
    """Rows are probably people already recorded, and nobody said whether they are:
    ``rows`` lists them with their candidates. Nothing was written."""

    code = "undecided"

    def __init__(self, rows: list[RosterRow]):
        self.rows = rows
        super().__init__(
            ngettext(
                "%(count)s row may be someone already recorded: say whether it is the same "
                "person or a new one.",
                "%(count)s rows may be people already recorded: say for each whether it is "
                "the same person or a new one.",
                len(rows),
            )
            % {"count": len(rows)}
        )


def _scope(by: Any) -> Any:
    """The participants ``by`` may see; everyone for a command run without a user."""
    if by is None:
        return Participant.objects.all()
    return participants_visible_to(by)


def _read(file: Any) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_ROSTER_BYTES + 1)
    return data if isinstance(data, bytes) else str(data).encode("utf-8")


def _decisions(
    reading: RosterReading, decisions: Mapping[int, RowDecision], scope: Any
) -> dict[int, Participant]:
    """Check the decisions against the file; the participants chosen, by id."""
    lines = {row.line for row in reading.rows}
    problems = []
    chosen_by: dict[int, int] = {}
    for line, decision in sorted(decisions.items()):
        id = decision.participant_id
        if line not in lines:
            problems.append(
                ImportProblem(
                    line, "", _("Line %(line)s is not a participant of the file.") % {"line": line}
                )
            )
        elif id is not None:
            if id in chosen_by:
                problems.append(
                    ImportProblem(
                        line,
                        "",
                        _("Participant #%(id)s is already chosen for line %(line)s.")
                        % {"id": id, "line": chosen_by[id]},
                    )
                )
            chosen_by.setdefault(id, line)
    visible = set(scope.filter(pk__in=list(chosen_by)).values_list("pk", flat=True))
    chosen = Participant.objects.select_for_update().in_bulk(list(visible)) if visible else {}
    for id, line in chosen_by.items():
        if id not in chosen:
            problems.append(
                ImportProblem(
                    line,
                    "",
                    _("There is no participant #%(id)s among the people you may see.") % {"id": id},
                )
            )
    if problems:
        raise ImportRejected(problems)
    undecided = [row for row in reading.rows_with_candidates if row.line not in decisions]
    if undecided:
        raise DuplicatesUndecided(undecided)
    return chosen


def _blanks(participant: Participant, row: RosterRow, now: Any) -> dict[str, Any]:
    """The details ``row`` gives that ``participant`` lacks."""
    given = {**row.values, "consent_given_at": now if row.consent else None}
    return {
        name: given[name]
        for name in FILLABLE_FIELDS
        if given.get(name) not in (None, "") and getattr(participant, name) in (None, "")
    }


def _reason_on_last_record(instance: Any, reason: str) -> None:
    """The participant services take no reason: put it on the history row they wrote."""
    record = instance.history.order_by("-history_id").first()
    if record is not None and not record.history_change_reason:
        record.history_change_reason = reason
        record.save(update_fields=["history_change_reason"])


@transaction.atomic
def import_roster(
    *,
    session: TrainingSession,
    file: Any,
    by: Any = None,
    merge_decisions: Mapping[int, RowDecision] | None = None,
    dry_run: bool = False,
) -> RosterImportResult:
    """Enrol the people of a roster file (bytes, or a file object) in ``session`` as
    approved, every row or none.

    ``merge_decisions`` maps the line of each row that is probably someone already
    recorded to a :class:`RowDecision`. Raises :class:`ImportRejected` (with every
    problem: rows, capacity, decisions) or :class:`DuplicatesUndecided`, writing
    nothing. ``dry_run`` does everything, then rolls it back.
    """
    scope = _scope(by)
    reading = read_roster(session=session, data=_read(file), among=scope)
    if reading.problems:
        raise ImportRejected(reading.problems)
    decisions = dict(merge_decisions or {})
    chosen = _decisions(reading, decisions, scope)
    # Places are counted with the session locked, so two imports cannot both take the
    # last ones.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    reading.session = session
    reading.approved = set(
        session.enrolments.filter(status=EnrolmentStatus.APPROVED).values_list(
            "participant_id", flat=True
        )
    )
    if problem := reading.capacity_problem(reading.places_needed(decisions)):
        raise ImportRejected([problem])
    reason = _("Imported with the roster of “%(session)s”.") % {"session": session.title}
    now = timezone.now()
    result = RosterImportResult(session=session, dry_run=dry_run)
    for row in reading.rows:
        decision = decisions.get(row.line, RowDecision.new_person())
        try:
            if decision.participant_id is None:
                participant = create_participant(
                    by=by,
                    **row.values,
                    consent_given_at=now if row.consent else None,
                )
                _reason_on_last_record(participant, reason)
                result.created += 1
            else:
                participant = chosen[decision.participant_id]
                result.matched += 1
                changes = _blanks(participant, row, now) if decision.fill_blanks else {}
                if changes:
                    update_participant(participant=participant, by=by, **changes)
                    _reason_on_last_record(participant, reason)
                    result.filled += 1
                if participant.pk in reading.approved:
                    result.already_enrolled += 1
            result.enrolments.append(
                enrol(session=session, participant=participant, by=by, reason=reason)
            )
        except MizanError as error:
            raise ImportRejected(
                [ImportProblem(row.line, error.field or "", str(error.message))]
            ) from error
    if dry_run:
        transaction.set_rollback(True)
    return result


# --- Merging duplicates ---------------------------------------------------------------------


def _label(participant: Participant) -> str:
    # Ids and pseudonyms, not names: the audit trail outlives an erasure of the person.
    return f"#{participant.pk} ({participant.pseudonym})"


@transaction.atomic
def merge_participants(*, keep: Participant, duplicate: Participant, by: Any = None) -> Participant:
    """``duplicate`` is the same person as ``keep``: its enrolments (with their
    attendance, answers, follow-up answers and certificates), personal links and cascade
    sessions move to ``keep``, its details fill ``keep``'s empty ones (the cascade
    session they were trained in too), and it is deleted. Refused when both are enrolled
    in the same session, and when ``by`` may not see both."""
    if keep.pk == duplicate.pk:
        raise MizanError(_("Choose two different people to merge."))
    if by is not None and not getattr(by, "is_superuser", False):
        visible = participants_visible_to(by).filter(pk__in=[keep.pk, duplicate.pk]).count()
        if visible != 2:
            raise Refused(_("You can merge only people you can see."))
    locked = Participant.objects.select_for_update().in_bulk([keep.pk, duplicate.pk])
    if len(locked) != 2:
        raise MizanError(_("One of the two people no longer exists."))
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    shared = list(
        TrainingSession.objects.filter(enrolments__participant=keep)
        .filter(enrolments__participant=duplicate)
        .order_by("starts_on", "pk")
        .distinct()
    )
    if shared:
        raise MizanError(
            ngettext(
                "Both are enrolled in the session %(sessions)s: one record cannot hold two "
                "enrolments in a session. Withdraw and settle one of them first.",
                "Both are enrolled in the sessions %(sessions)s: one record cannot hold two "
                "enrolments in a session. Withdraw and settle one of them first.",
                len(shared),
            )
            % {"sessions": ", ".join(f"“{s.title}” ({s.starts_on:%Y-%m-%d})" for s in shared)},
            code="shared_session",
        )
    reason = _("Participant %(duplicate)s merged into participant %(keep)s.") % {
        "duplicate": _label(duplicate),
        "keep": _label(keep),
    }
    # Everything that points to the duplicate (enrolments, links, cascade sessions, and
    # whatever later models add) moves to the kept record.
    for relation in Participant._meta.related_objects:
        if relation.many_to_many:
            continue
        model, name = relation.related_model, relation.field.name
        for item in model._default_manager.filter(**{name: duplicate}):
            if relation.one_to_one and model._default_manager.filter(**{name: keep}).exists():
                raise MizanError(
                    _("Both have a %(record)s; only one can be kept.")
                    % {"record": model._meta.verbose_name}
                )
            setattr(item, name, keep)
            attribute_change(item, user=by, reason=reason)
            item.save(update_fields=[name])
    # Follow-up answers name the person by pseudonym rather than by a key: they move too,
    # or the kept record's follow-up would look unanswered (invited and answered again).
    for response in FollowUpResponse.objects.filter(pseudonym=duplicate.pseudonym):
        response.pseudonym = keep.pseudonym
        attribute_change(response, user=by, reason=reason)
        response.save(update_fields=["pseudonym"])
    for name in (*FILLABLE_FIELDS, "trained_in_cascade"):
        if getattr(keep, name) in (None, "") and getattr(duplicate, name) not in (None, ""):
            setattr(keep, name, getattr(duplicate, name))
    attribute_change(keep, user=by, reason=reason)
    keep.save()
    attribute_change(duplicate, user=by, reason=reason)
    duplicate.delete()
    return keep
