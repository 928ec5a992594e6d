"""Builders of the browser tests that run a whole training session: its staff, a short
course in three languages, and a one-day session held today whose half-day is open now
(for the QR check-in and the post-test), made through the services as users would."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from mizan.accounts.enums import Role
from mizan.accounts.models import User
from mizan.actions.models import Action
from mizan.training import services
from mizan.training.enums import HalfDay, QuestionKind, SessionStatus, TeachingMethod
from mizan.training.models import (
    CurriculumVersion,
    Enrolment,
    PersonalLink,
    Question,
    SessionSlot,
    TestForm,
    TrainingSession,
)
from mizan.training.services import sessions as session_services
from tests.actions.factories import ActionFactory
from tests.factories import user_with_role
from tests.training.builders import make_curriculum, nhri, police

#: Officers of the session of the day: (Latin name, Arabic name, sex). Invented names.
OFFICERS = [
    ("Nadia Ghazali", "نادية الغزالي", "female"),
    ("Karim Idrissi", "كريم الإدريسي", "male"),
]
#: How long before now the half-day of the day starts: an arrival inside the first quarter
#: of an hour is on time.
STARTED_MINUTES_AGO = 5


@dataclass
class SessionStaff:
    organiser: User
    trainer: User


def session_staff(language: str) -> SessionStaff:
    """A focal point of the police directorate (who organises) and a trainer, both
    reading the interface in ``language``; their password is the browser tests'."""
    directorate = police()
    nhri()
    return SessionStaff(
        organiser=user_with_role(
            Role.FOCAL_POINT, directorate, username="organiser", preferred_language=language
        ),
        trainer=user_with_role(
            Role.TRAINER, directorate, username="trainer", preferred_language=language
        ),
    )


def _question(objective: Any, kind: str, prompts: dict[str, str], by: Any) -> Question:
    if kind == QuestionKind.TRUE_FALSE:
        choices = [
            {"texts": {"en": "True", "fr": "Vrai", "ar": "صحيح"}, "is_correct": True},
            {"texts": {"en": "False", "fr": "Faux", "ar": "خطأ"}, "is_correct": False},
        ]
    else:
        choices = [
            {"texts": {"en": "Refer", "fr": "Orienter", "ar": "الإحالة"}, "is_correct": True},
            {"texts": {"en": "Return", "fr": "Renvoyer", "ar": "الإرجاع"}, "is_correct": False},
            {"texts": {"en": "Detain", "fr": "Retenir", "ar": "الاحتجاز"}, "is_correct": False},
        ]
    return services.add_question(
        objective=objective, kind=kind, prompts=prompts, choices=choices, by=by
    )


def short_course(by: Any) -> CurriculumVersion:
    """A published one-module version whose forms A and B hold two questions each (a
    single choice and a true/false question), in Arabic, French and English."""
    curriculum = make_curriculum(by, code="day-course")
    version = curriculum.versions.get(number=1)
    module = services.add_module(
        version=version,
        titles={"en": "Screening and referral", "fr": "Tri et orientation", "ar": "الفرز والإحالة"},
        day=1,
        duration_minutes=180,
        methods=[TeachingMethod.CASE_STUDY],
        by=by,
    )
    for number in (1, 2):
        objective = services.add_objective(
            module=module,
            code=f"1.{number}",
            texts={
                "en": f"Objective {number}",
                "fr": f"Objectif {number}",
                "ar": f"الهدف {number}",
            },
            by=by,
        )
        _question(
            objective,
            QuestionKind.SINGLE_CHOICE,
            {
                "en": f"A child travels alone ({number}): what do you do first?",
                "fr": f"Un enfant voyage seul ({number}) : que faites-vous d'abord ?",
                "ar": f"طفل يسافر وحده ({number}): ماذا تفعل أولاً؟",
            },
            by,
        )
        _question(
            objective,
            QuestionKind.TRUE_FALSE,
            {
                "en": f"Collective expulsion is forbidden ({number}).",
                "fr": f"L'expulsion collective est interdite ({number}).",
                "ar": f"الطرد الجماعي محظور ({number}).",
            },
            by,
        )
    services.publish_version(version=version, by=by)
    services.assemble_parallel_forms(version=version, per_objective=1, seed=1, by=by)
    return version


def open_now(slot: SessionSlot, by: Any) -> SessionSlot:
    """Set the half-day's hours so that it started a few minutes ago (never before
    midnight) and ends at the end of the day, in the platform's time zone: check-in is
    open, and on time. (A test started in the last minutes before midnight cannot hold
    a session "today"; the date would change under it.)"""
    now = timezone.localtime()
    midnight = datetime.datetime.combine(now.date(), datetime.time.min, tzinfo=now.tzinfo)
    starts = max(midnight, now - datetime.timedelta(minutes=STARTED_MINUTES_AGO))
    return session_services.update_slot(
        slot=slot,
        starts_at=starts.time().replace(second=0, microsecond=0),
        ends_at=datetime.time(23, 59, 59),
        by=by,
    )


def session_of_the_day(
    staff: SessionStaff,
    *,
    language: str,
    title: str = "Rabat, session of the day",
    officers: list[tuple[str, str, str]] | None = None,
) -> TrainingSession:
    """A running one-day session held today, in ``language``, with one half-day open
    now (the afternoon is removed), and its officers enrolled."""
    by = staff.organiser
    today = timezone.localdate()
    action: Action = ActionFactory.create()
    session = session_services.create_session(
        action=action,
        version=short_course(by),
        title=title,
        starts_on=today,
        ends_on=today,
        city="Rabat",
        region="Rabat-Salé-Kénitra",
        venue="Police training centre",
        organisers=[police(), nhri()],
        trainers=[staff.trainer],
        capacity=10,
        language=language,
        by=by,
    )
    session_services.remove_slot(slot=session.slots.get(part=HalfDay.AFTERNOON), by=by)
    open_now(session.slots.get(), by)
    for status in (SessionStatus.OPEN, SessionStatus.RUNNING):
        session_services.change_session_status(session=session, status=status, by=by)
    for latin, arabic, sex in officers if officers is not None else OFFICERS:
        participant = session_services.create_participant(
            name_latin=latin,
            name_arabic=arabic,
            sex=sex,
            rank="Inspector",
            institution=police(),
            region="Rabat-Salé-Kénitra",
            consent_given_at=timezone.now(),
            by=by,
        )
        session_services.enrol(session=session, participant=participant, by=by)
    session.refresh_from_db()
    return session


def enrolment_of(session: TrainingSession, name_latin: str) -> Enrolment:
    return session.enrolments.select_related("participant").get(participant__name_latin=name_latin)


def personal_link(enrolment: Enrolment, by: Any) -> PersonalLink:
    return session_services.issue_personal_link(enrolment=enrolment, by=by)


def questions_on_form(session: TrainingSession, stage: str) -> list[Question]:
    """The questions of the stage's form, in the order the page shows them."""
    code = session.pre_test_form if stage == "pre" else session.post_test_form
    form = TestForm.objects.get(version=session.version, code=code)
    return [item.question for item in form.items.select_related("question").order_by("position")]


def right_choice(question: Question) -> int:
    return next(c.pk for c in question.choices.order_by("order", "id") if c.is_correct)


def wrong_choice(question: Question) -> int:
    return next(c.pk for c in question.choices.order_by("order", "id") if not c.is_correct)
