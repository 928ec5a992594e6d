"""Builders of the training tests: a trainer, and a curriculum version with modules,
objectives and a question bank, made through the services as a user would."""

from __future__ import annotations

from typing import Any

from mizan.accounts.enums import Role
from mizan.accounts.models import User
from mizan.training import services
from mizan.training.enums import QuestionKind, TeachingMethod
from mizan.training.models import Curriculum, CurriculumVersion, Question
from tests.factories import InstitutionFactory, user_with_role


def police():
    return InstitutionFactory(code="police", kind="law_enforcement")


def make_trainer(username: str = "trainer") -> User:
    return user_with_role(Role.TRAINER, police(), username=username)


def single_choice(objective: Any, text: str, by: Any = None) -> Question:
    return services.add_question(
        objective=objective,
        kind=QuestionKind.SINGLE_CHOICE,
        prompts={"en": text},
        choices=[
            {"texts": {"en": "Right"}, "is_correct": True},
            {"texts": {"en": "Wrong"}, "is_correct": False},
        ],
        by=by,
    )


def true_false(objective: Any, text: str, by: Any = None) -> Question:
    return services.add_question(
        objective=objective,
        kind=QuestionKind.TRUE_FALSE,
        prompts={"en": text},
        choices=[
            {"texts": {"en": "True"}, "is_correct": True},
            {"texts": {"en": "False"}, "is_correct": False},
        ],
        by=by,
    )


def make_curriculum(by: Any = None, code: str = "migration-rights") -> Curriculum:
    return services.create_curriculum(
        code=code,
        titles={"en": "Rights of persons in migration situations", "fr": "Droits des migrants"},
        keeper=police(),
        by=by,
    )


def build_version(
    by: Any = None,
    *,
    code: str = "migration-rights",
    modules: int = 2,
    objectives: int = 2,
    questions: int = 4,
    terms: list[Any] | None = None,
) -> CurriculumVersion:
    """A draft version 1 with ``modules`` modules of ``objectives`` objectives, each with
    ``questions`` questions, alternately single choice and true/false."""
    curriculum = make_curriculum(by, code=code)
    version = curriculum.versions.get(number=1)
    for m in range(1, modules + 1):
        module = services.add_module(
            version=version,
            titles={"en": f"Module {m}", "ar": f"الوحدة {m}"},
            day=m,
            duration_minutes=90,
            methods=[TeachingMethod.CASE_STUDY, TeachingMethod.ROLE_PLAY],
            terms=terms or [],
            by=by,
        )
        for o in range(1, objectives + 1):
            objective = services.add_objective(
                module=module, code=f"{m}.{o}", texts={"en": f"Objective {m}.{o}"}, by=by
            )
            for q in range(1, questions + 1):
                make = single_choice if q % 2 else true_false
                make(objective, f"Question {m}.{o}.{q}", by)
    return version


def publish_and_freeze(version: CurriculumVersion, by: Any = None) -> CurriculumVersion:
    services.publish_version(version=version, by=by)
    services.freeze_version(version=version, by=by)
    version.refresh_from_db()
    return version


# --- Sessions and participants ----------------------------------------------------------


def nhri():
    return InstitutionFactory(code="nhri", kind="nhri")


def organiser(username: str = "organiser", institution: Any = None) -> User:
    """A focal point of the police directorate, which organises the sessions below."""
    return user_with_role(Role.FOCAL_POINT, institution or police(), username=username)


def outsider(username: str = "outsider") -> User:
    """A coordinator of an institution that organises nothing: sees sessions, no people."""
    other = InstitutionFactory(code="customs", kind="law_enforcement")
    return user_with_role(Role.COORDINATOR, other, username=username)


def make_session(
    by: Any = None,
    *,
    version: CurriculumVersion | None = None,
    title: str = "Oujda, first session",
    starts_on: Any = None,
    days: int = 3,
    capacity: int = 25,
    organisers: list[Any] | None = None,
    trainers: list[Any] | None = None,
    status: str | None = None,
    code: str = "migration-rights",
    **fields: Any,
):
    """A session of a training action on a published, frozen version, with a morning
    and an afternoon slot per day; moved to ``status`` through the allowed steps."""
    import datetime

    from mizan.training.enums import SessionStatus
    from mizan.training.services import sessions as session_services
    from tests.actions.factories import ActionFactory

    if version is None:
        version = build_version(by, code=code)
        services.publish_version(version=version, by=by)
        services.assemble_parallel_forms(version=version, by=by)
    starts_on = starts_on or datetime.date(2026, 3, 2)
    session = session_services.create_session(
        action=ActionFactory(),
        version=version,
        title=title,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days - 1),
        city="Oujda",
        region="Oriental",
        organisers=organisers or [police(), nhri()],
        trainers=trainers or [],
        capacity=capacity,
        by=by,
        **fields,
    )
    path = [SessionStatus.OPEN, SessionStatus.RUNNING, SessionStatus.COMPLETED]
    if status and status != SessionStatus.PLANNED:
        if status == SessionStatus.CANCELLED:
            session_services.change_session_status(
                session=session, status=status, reason="No venue", by=by
            )
        else:
            for step in path[: path.index(status) + 1]:
                session_services.change_session_status(session=session, status=step, by=by)
    session.refresh_from_db()
    return session


def make_participant(by: Any = None, **fields: Any):
    from mizan.training.services import sessions as session_services

    values = {
        "name_latin": "Samira Bennani",
        "name_arabic": "سميرة بناني",
        "sex": "female",
        "rank": "Inspector",
        "institution": police(),
        "region": "Oriental",
    }
    values.update(fields)
    return session_services.create_participant(by=by, **values)


def enrol_people(session: Any, count: int, by: Any = None) -> list[Any]:
    """``count`` approved enrolments of made-up officers, alternately women and men."""
    from mizan.training.services import sessions as session_services

    enrolments = []
    for n in range(count):
        participant = make_participant(
            by,
            name_latin=f"Officer {session.pk}-{n}",
            name_arabic="",
            sex="female" if n % 2 == 0 else "male",
        )
        enrolments.append(session_services.enrol(session=session, participant=participant, by=by))
    return enrolments
