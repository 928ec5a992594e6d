"""Builders of the certificate and cascade tests: attendance and post-test scores written
straight to the records (their own services belong to other areas), and a completed
session with participants who did and did not complete the course."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mizan.training import services
from mizan.training.enums import AttendanceMethod, AttendanceStatus, SessionStatus, TestStage
from mizan.training.models import (
    Attendance,
    CurriculumVersion,
    Enrolment,
    TestAttempt,
    TrainingSession,
)
from mizan.training.services import sessions as session_services
from tests.training.builders import (
    build_version,
    enrol_people,
    make_participant,
    make_session,
    organiser,
)


def attend(enrolment: Enrolment, count: int | None = None, status: str = AttendanceStatus.PRESENT):
    """Mark ``enrolment`` as ``status`` for its session's first ``count`` half-days (all
    by default) and absent for the others."""
    slots = list(enrolment.session.slots.order_by("date", "part"))
    count = len(slots) if count is None else count
    for index, slot in enumerate(slots):
        Attendance.objects.update_or_create(
            enrolment=enrolment,
            slot=slot,
            defaults={
                "status": status if index < count else AttendanceStatus.ABSENT,
                "method": AttendanceMethod.TRAINER,
            },
        )


def post_test(enrolment: Enrolment, score: Any, *, submitted: bool = True) -> TestAttempt:
    """The enrolment's post-test, submitted with ``score`` per cent (None: not marked)."""
    session = enrolment.session
    form = session.version.test_forms.get(code=session.post_test_form)
    return TestAttempt.objects.create(
        enrolment=enrolment,
        stage=TestStage.POST,
        form=form,
        submitted_at=timezone.now() if submitted else None,
        score_percent=None if score is None else Decimal(str(score)),
    )


def complete(enrolment: Enrolment, score: Any = 80) -> Enrolment:
    attend(enrolment)
    post_test(enrolment, score)
    return enrolment


def finish(session: TrainingSession, by: Any = None) -> TrainingSession:
    session_services.change_session_status(session=session, status=SessionStatus.COMPLETED, by=by)
    session.refresh_from_db()
    return session


def small_version(by: Any = None, code: str = "migration-rights") -> CurriculumVersion:
    """A published version of two modules with one objective of two questions each, and
    its forms A and B: quicker to build than the full one, enough for these tests."""
    version = build_version(by, code=code, modules=2, objectives=1, questions=2)
    services.publish_version(version=version, by=by)
    services.assemble_parallel_forms(version=version, per_objective=1, by=by)
    return version


def running_session(
    by: Any = None, *, code: str = "migration-rights", **fields: Any
) -> TrainingSession:
    """A three-day session (six half-days) under way, on a small version."""
    fields.setdefault("version", small_version(by, code))
    return make_session(
        by,
        status=SessionStatus.RUNNING,
        starts_on=datetime.date(2026, 3, 2),
        **fields,
    )


def samira(session: TrainingSession, by: Any = None) -> Enrolment:
    """An approved participant with her name in both scripts."""
    participant = make_participant(by)
    return session_services.enrol(session=session, participant=participant, by=by)


def completed_session_with(by: Any = None, *, done: int = 2, not_done: int = 1, **fields: Any):
    """A completed session where ``done`` participants completed the course and
    ``not_done`` attended only one half-day. Returns (session, done, not_done)."""
    by = by or organiser()
    session = running_session(by, **fields)
    enrolments = enrol_people(session, done + not_done, by)
    for enrolment in enrolments[:done]:
        complete(enrolment)
    for enrolment in enrolments[done:]:
        attend(enrolment, 1)
        post_test(enrolment, 90)
    return finish(session, by), enrolments[:done], enrolments[done:]
