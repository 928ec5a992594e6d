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
