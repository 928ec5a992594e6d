"""Builders of the attendance tests: a running session of three days (six half-days, at
the default hours) with approved participants, their personal links, and moments in the
platform's time zone."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from mizan.training import services
from mizan.training.enums import SessionStatus
from mizan.training.models import Enrolment, PersonalLink, SessionSlot, TrainingSession
from mizan.training.services import sessions as session_services
from tests.training.builders import build_version, enrol_people, make_session, organiser

FIRST_DAY = datetime.date(2026, 3, 2)


@dataclass
class Course:
    organiser: Any
    session: TrainingSession
    slots: list[SessionSlot]
    enrolments: list[Enrolment]

    @property
    def morning(self) -> SessionSlot:
        """The first morning: 09:00 to 12:30."""
        return self.slots[0]

    @property
    def afternoon(self) -> SessionSlot:
        """The first afternoon: 14:00 to 17:00."""
        return self.slots[1]


def make_course(
    people: int = 3,
    *,
    by: Any = None,
    trainers: list[Any] | None = None,
    title: str = "Oujda, first session",
    code: str = "migration-rights",
    status: str = SessionStatus.RUNNING,
    **fields: Any,
) -> Course:
    by = by or organiser()
    # A small curriculum: these tests are about the people in the room, not the course.
    version = build_version(by, code=code, modules=1, objectives=1, questions=2)
    services.publish_version(version=version, by=by)
    services.assemble_parallel_forms(version=version, per_objective=1, by=by)
    session = make_session(
        by,
        version=version,
        title=title,
        starts_on=FIRST_DAY,
        days=3,
        trainers=trainers,
        status=status,
        **fields,
    )
    enrolments = enrol_people(session, people, by) if people else []
    slots = list(session.slots.order_by("date", "part"))
    return Course(by, session, slots, enrolments)


def at(slot: SessionSlot, hour: int, minute: int = 0, *, days: int = 0) -> datetime.datetime:
    """A moment of the slot's day (or ``days`` later), in the platform's time zone."""
    day = slot.date + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def link_for(enrolment: Enrolment, by: Any = None) -> PersonalLink:
    return session_services.issue_personal_link(enrolment=enrolment, by=by)
