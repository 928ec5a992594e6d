"""Builders of the training-figures tests: sessions of one action, and what happens in
them (attendance, tests with their answers, evaluations, follow-up answers, action
plans), written straight to the tables as the phone pages and the trainers' pages would
leave them, with explicit dates.

``two_session_action`` builds the small case whose figures the tests compute by hand;
its docstring lists who did what.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mizan.actions.models import Action
from mizan.training import services
from mizan.training.enums import AttendanceMethod, EvaluationKind, FormCode, TestStage
from mizan.training.models import (
    ActionPlan,
    Attendance,
    CurriculumVersion,
    Enrolment,
    Evaluation,
    FollowUpResponse,
    Participant,
    Question,
    TestAnswer,
    TestAttempt,
    TestForm,
    TrainingSession,
)
from mizan.training.services import sessions as session_services
from tests.actions.factories import ActionFactory
from tests.factories import InstitutionFactory
from tests.training.builders import build_version, make_participant, nhri, police


def border():
    return InstitutionFactory(code="border", kind="law_enforcement")


def small_version(by: Any = None, code: str = "figures") -> CurriculumVersion:
    """One module with objectives 1.1 and 1.2, two questions each, and forms A and B
    with one question of each objective."""
    version = build_version(by, code=code, modules=1, objectives=2, questions=2)
    services.publish_version(version=version, by=by)
    services.assemble_parallel_forms(version=version, per_objective=1, seed=1, by=by)
    version.refresh_from_db()
    return version


def session_of(
    action: Action,
    version: CurriculumVersion,
    *,
    starts_on: datetime.date,
    days: int = 1,
    title: str = "Session",
    by: Any = None,
) -> TrainingSession:
    return session_services.create_session(
        action=action,
        version=version,
        title=title,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days - 1),
        city="Oujda",
        region="Oriental",
        organisers=[police(), nhri()],
        capacity=30,
        by=by,
    )


def enrol(session: TrainingSession, person: Participant, by: Any = None) -> Enrolment:
    return session_services.enrol(session=session, participant=person, by=by)


def attend(enrolment: Enrolment, *statuses: str) -> None:
    """Attendance of the session's slots in order: one status per slot."""
    slots = list(enrolment.session.slots.order_by("date", "part"))
    for slot, status in zip(slots, statuses, strict=False):
        Attendance.objects.create(
            enrolment=enrolment, slot=slot, status=status, method=AttendanceMethod.TRAINER
        )


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def take_test(
    enrolment: Enrolment,
    stage: str,
    *,
    score: int | str | None = None,
    answers: dict[Question, bool | None] | None = None,
    submitted: datetime.datetime | None = None,
) -> TestAttempt:
    """A submitted attempt (unless ``submitted`` is None and no score is given) with its
    answers; ``score`` defaults to the share of right answers."""
    code = FormCode.A if stage == TestStage.PRE else FormCode.B
    form = TestForm.objects.get(version=enrolment.session.version, code=code)
    answers = answers or {}
    if score is None and answers:
        marked = [right for right in answers.values() if right is not None]
        score = round(100 * sum(marked) / len(marked)) if marked else 0
    attempt = TestAttempt.objects.create(
        enrolment=enrolment,
        stage=stage,
        form=form,
        submitted_at=submitted or at(enrolment.session.ends_on),
        score_percent=Decimal(str(score)) if score is not None else None,
    )
    for question, right in answers.items():
        TestAnswer.objects.create(attempt=attempt, question=question, is_correct=right)
    return attempt


def evaluate(
    session: TrainingSession,
    *,
    kind: str = EvaluationKind.FINAL,
    day: int = 0,
    enrolment: Enrolment | None = None,
    key: str,
    overall: int,
    relevance: int = 4,
    submitted: datetime.datetime | None = None,
) -> Evaluation:
    evaluation = Evaluation.objects.create(
        session=session,
        kind=kind,
        day=day,
        enrolment=enrolment,
        respondent_key=key,
        relevance=relevance,
        content=4,
        methods=4,
        trainers=4,
        organisation=4,
        overall=overall,
    )
    # Submitted on the session's last day unless said otherwise (not today).
    when = submitted or at(session.ends_on, 17)
    Evaluation.objects.filter(pk=evaluation.pk).update(submitted_at=when)
    return evaluation


def follow_up(
    enrolment: Enrolment,
    *,
    used_at_work: int,
    plan_kept: str,
    colleagues_briefed: int,
    submitted: datetime.datetime | None = None,
) -> FollowUpResponse:
    response = FollowUpResponse.objects.create(
        session=enrolment.session,
        pseudonym=enrolment.participant.pseudonym,
        used_at_work=used_at_work,
        plan_kept=plan_kept,
        colleagues_briefed=colleagues_briefed,
    )
    # Submitted four months after the session unless said otherwise (not today).
    when = submitted or at(enrolment.session.ends_on + datetime.timedelta(days=120))
    FollowUpResponse.objects.filter(pk=response.pk).update(submitted_at=when)
    return response


def plan(enrolment: Enrolment, colleagues_to_brief: int) -> ActionPlan:
    return ActionPlan.objects.create(
        enrolment=enrolment,
        commitments="Brief my unit on screening and referral.",
        colleagues_to_brief=colleagues_to_brief,
    )


def questions_of(version: CurriculumVersion, code: str) -> dict[str, Question]:
    """The questions of form ``code``, by the code of their objective."""
    form = TestForm.objects.get(version=version, code=code)
    return {
        item.question.objective.code: item.question
        for item in form.items.select_related("question__objective")
    }


@dataclass
class TwoSessions:
    action: Action
    version: CurriculumVersion
    first: TrainingSession
    second: TrainingSession
    people: dict[str, Participant]
    enrolments: dict[str, Enrolment] = field(default_factory=dict)


def two_session_action(by: Any = None) -> TwoSessions:
    """An action with two sessions of the same version.

    First session, 2 March 2026, three days (six half-day slots), thresholds 80 % and 60:

    - A, woman, Oriental, police, Inspector: 6/6 present; pre 40, post 80: completed;
    - B, man, Oriental, police, Agent: 4 present, 1 late, 1 absent (5/6 = 83 %);
      pre 50, post 50: not completed (score);
    - C, man, Souss-Massa, border, Agent: 4 present, 2 excused (4/6 = 67 %); pre 100,
      post 90: not completed (attendance);
    - D, woman: absent throughout (not trained); pre 20 only.

    Second session, 1 June 2026, one day (two slots):

    - A again: 2/2, post 70 only: completed (A still counts once);
    - F, woman, no region, no institution, no rank: 1 of 2 (50 %): not completed.

    Answers (form A before, form B after; objective 1.1, objective 1.2):
    A ✗✓ then ✓✓; B ✓✗ then ✓✗; C ✓✓ then ✓✗.
    """
    version = small_version(by)
    action = ActionFactory(title="Training of border police")
    first = session_of(action, version, starts_on=datetime.date(2026, 3, 2), days=3, by=by)
    second = session_of(action, version, starts_on=datetime.date(2026, 6, 1), title="Second", by=by)
    people = {
        "A": make_participant(
            by, name_latin="Amina", sex="female", region="Oriental", rank="Inspector"
        ),
        "B": make_participant(by, name_latin="Badr", sex="male", region="Oriental", rank="Agent"),
        "C": make_participant(
            by,
            name_latin="Chakib",
            sex="male",
            region="Souss-Massa",
            rank="Agent",
            institution=border(),
        ),
        "D": make_participant(by, name_latin="Dounia", sex="female", rank="Agent"),
        "F": make_participant(
            by, name_latin="Fatima", sex="female", region="", rank="", institution=None
        ),
    }
    built = TwoSessions(action, version, first, second, people)
    e = built.enrolments
    for name in "ABCD":
        e[name] = enrol(first, people[name], by)
    e["A2"] = enrol(second, people["A"], by)
    e["F"] = enrol(second, people["F"], by)

    attend(e["A"], *["present"] * 6)
    attend(e["B"], "present", "present", "late", "present", "absent", "present")
    attend(e["C"], "present", "excused", "present", "present", "excused", "present")
    attend(e["D"], *["absent"] * 6)
    attend(e["A2"], "present", "present")
    attend(e["F"], "present", "absent")

    before, after = questions_of(version, FormCode.A), questions_of(version, FormCode.B)

    def paper(form: dict[str, Question], first_right: bool, second_right: bool):
        return {form["1.1"]: first_right, form["1.2"]: second_right}

    take_test(e["A"], TestStage.PRE, score=40, answers=paper(before, False, True))
    take_test(e["A"], TestStage.POST, score=80, answers=paper(after, True, True))
    take_test(e["B"], TestStage.PRE, score=50, answers=paper(before, True, False))
    take_test(e["B"], TestStage.POST, score=50, answers=paper(after, True, False))
    take_test(e["C"], TestStage.PRE, score=100, answers=paper(before, True, True))
    take_test(e["C"], TestStage.POST, score=90, answers=paper(after, True, False))
    take_test(e["D"], TestStage.PRE, score=20)
    take_test(e["A2"], TestStage.POST, score=70)
    return built
