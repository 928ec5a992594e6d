"""Builders of the answer tests: a session whose test forms hold one question of each
kind, participants with links, and filling in a test the way a participant would."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from mizan.training import services
from mizan.training.enums import QuestionKind, TeachingMethod
from mizan.training.models import Enrolment, Question, TestForm, TrainingSession
from mizan.training.services import sessions as session_services
from tests.training.builders import make_curriculum, make_participant, make_session


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A moment of ``day`` in the site's time zone."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def all_kinds_version(by: Any = None, code: str = "answers-course"):
    """A published version with one objective holding two questions of each kind, so
    that forms A and B each get one single choice, one multiple choice, one true/false
    and one short answer question."""
    curriculum = make_curriculum(by, code=code)
    version = curriculum.versions.get(number=1)
    module = services.add_module(
        version=version,
        titles={"en": "Screening and referral", "ar": "الفرز والإحالة", "fr": "Tri et orientation"},
        day=1,
        duration_minutes=90,
        methods=[TeachingMethod.CASE_STUDY],
        by=by,
    )
    objective = services.add_objective(
        module=module, code="1.1", texts={"en": "Identify people in need of protection"}, by=by
    )
    for n in (1, 2):
        services.add_question(
            objective=objective,
            kind=QuestionKind.SINGLE_CHOICE,
            prompts={"en": f"Single {n}", "fr": f"Unique {n}", "ar": f"سؤال {n}"},
            choices=[
                {"texts": {"en": f"Single {n} right"}, "is_correct": True},
                {"texts": {"en": f"Single {n} wrong"}, "is_correct": False},
            ],
            by=by,
        )
        services.add_question(
            objective=objective,
            kind=QuestionKind.MULTIPLE_CHOICE,
            prompts={"en": f"Multiple {n}"},
            choices=[
                {"texts": {"en": f"Multiple {n} first right"}, "is_correct": True},
                {"texts": {"en": f"Multiple {n} second right"}, "is_correct": True},
                {"texts": {"en": f"Multiple {n} wrong"}, "is_correct": False},
            ],
            by=by,
        )
        services.add_question(
            objective=objective,
            kind=QuestionKind.TRUE_FALSE,
            prompts={"en": f"True or false {n}"},
            choices=[
                {"texts": {"en": "True"}, "is_correct": True},
                {"texts": {"en": "False"}, "is_correct": False},
            ],
            by=by,
        )
        services.add_question(
            objective=objective,
            kind=QuestionKind.SHORT_ANSWER,
            prompts={"en": f"Short {n}"},
            model_answers={"en": f"Model answer {n}"},
            by=by,
        )
    services.publish_version(version=version, by=by)
    services.assemble_parallel_forms(version=version, per_objective=4, seed=1, by=by)
    return version


def answers_session(
    by: Any = None,
    *,
    starts_on: datetime.date = datetime.date(2026, 3, 2),
    days: int = 3,
    code: str = "answers-course",
    **fields: Any,
) -> TrainingSession:
    return make_session(
        by, version=all_kinds_version(by, code=code), starts_on=starts_on, days=days, **fields
    )


def enrol_person(session: TrainingSession, by: Any = None, **fields: Any) -> Enrolment:
    values = {"name_latin": f"Officer {session.pk}", "name_arabic": ""}
    values.update(fields)
    participant = make_participant(by, **values)
    return session_services.enrol(session=session, participant=participant, by=by)


def questions_of(session: TrainingSession, stage: str) -> dict[str, Question]:
    """The questions of the stage's form, by kind."""
    code = session.pre_test_form if stage == "pre" else session.post_test_form
    form = TestForm.objects.get(version=session.version, code=code)
    return {
        item.question.kind: item.question
        for item in form.items.select_related("question").order_by("position")
    }


def right_choices(question: Question) -> list[int]:
    return [c.pk for c in question.choices.order_by("order") if c.is_correct]


def wrong_choices(question: Question) -> list[int]:
    return [c.pk for c in question.choices.order_by("order") if not c.is_correct]


def all_right(session: TrainingSession, stage: str, short: str = "An answer") -> dict[int, Any]:
    """Answers to every question of the stage's form, each choice answer right."""
    answers: dict[int, Any] = {}
    for kind, question in questions_of(session, stage).items():
        answers[question.pk] = (
            short if kind == QuestionKind.SHORT_ANSWER else right_choices(question)
        )
    return answers
