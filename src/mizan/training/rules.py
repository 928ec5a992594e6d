"""Who may read and change curricula and their question bank.

Every member reads curricula, their versions and modules: they describe what officers are
taught. Coordinators (the NHRI's, and administrators) and trainers write them: curricula
are written by the NHRI and the partner institutions' trainers together, so a trainer
may change any curriculum, not only one their institution keeps.

The question bank holds the correct answers, so only coordinators and trainers read it:
not viewers, focal points or committee members, whose accounts may be shared with future
participants. A frozen version changes for no one; the services refuse and say why.
"""

from __future__ import annotations

from typing import Any

import rules

from mizan.accounts.enums import Role
from mizan.accounts.rules import has_role, is_coordinator, is_focal_point, is_member
from mizan.institutions.queries import institutions_acted_for

is_trainer = has_role(Role.TRAINER)
can_write_curricula = is_coordinator | is_trainer
can_see_question_bank = is_coordinator | is_trainer

rules.add_perm("training.view_curriculum", is_member)
rules.add_perm("training.add_curriculum", can_write_curricula)
rules.add_perm("training.change_curriculum", can_write_curricula)
rules.add_perm("training.view_question", can_see_question_bank)
rules.add_perm("training.change_question", can_see_question_bank)


# --- Sessions and their participants -------------------------------------------------
#
# A session's logistics (dates, venue, capacity, counts) are seen by every member. The
# people in it are not: names, contacts, service numbers, answers and attendance of a
# session are seen only by staff of its organising institutions (any role, and the units
# below them) and by its trainers. An institution that nominated officers also sees the
# officers it nominated. Superusers (the platform's operators) see everything.

MANAGING_ROLES = (Role.COORDINATOR, Role.ADMIN, Role.FOCAL_POINT)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _organiser_ids(session: Any) -> set[int]:
    cache = session.__dict__.setdefault("_mizan_organiser_ids", None)
    if cache is None:
        cache = set(session.organisers.values_list("id", flat=True))
        session.__dict__["_mizan_organiser_ids"] = cache
    return cache


@rules.predicate
def is_session_organiser(user: Any, session: Any) -> bool:
    """Staff (any role) of an institution that organises the session."""
    if not _active(user) or session is None:
        return False
    if user.is_superuser:
        return True
    return bool(_organiser_ids(session) & institutions_acted_for(user))


@rules.predicate
def manages_session(user: Any, session: Any) -> bool:
    """A coordinator, administrator or focal point of an organising institution: edits
    the session, decides nominations, imports the roster, issues certificates."""
    if not _active(user) or session is None:
        return False
    if user.is_superuser:
        return True
    return bool(_organiser_ids(session) & institutions_acted_for(user, *MANAGING_ROLES))


@rules.predicate
def is_session_trainer(user: Any, session: Any) -> bool:
    if not _active(user) or session is None:
        return False
    return session.trainers.filter(pk=user.pk).exists()


@rules.predicate
def can_nominate_anyone(user: Any) -> bool:
    """A coordinator, administrator or focal point of some institution: they nominate
    officers of the institutions they act for."""
    return _active(user) and bool(institutions_acted_for(user, *MANAGING_ROLES))


sees_roster = is_session_organiser | is_session_trainer

rules.add_perm("training.view_session", is_member)
rules.add_perm("training.add_session", is_coordinator | is_focal_point)
rules.add_perm("training.change_session", manages_session)
rules.add_perm("training.view_roster", sees_roster)
rules.add_perm("training.decide_nomination", manages_session)
rules.add_perm("training.import_roster", manages_session)
rules.add_perm("training.nominate", can_nominate_anyone)
rules.add_perm("training.record_attendance", manages_session | is_session_trainer)
rules.add_perm("training.mark_answers", manages_session | is_session_trainer)
rules.add_perm("training.issue_certificate", manages_session)
rules.add_perm("training.record_cascade", manages_session)
rules.add_perm("training.merge_participants", is_coordinator | is_focal_point)
