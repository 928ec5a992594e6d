"""The demo's training sessions: the five-day course on the rights of persons in migration
situations, run twice by the police directorate and the NHRI, with a third session open
for nominations.

- **Oujda** ended about four months ago: 20 officers, attendance, pre- and post-tests,
  daily and final evaluations, action plans, certificates, follow-up answers, and cascade
  sessions over two generations.
- **Tangier** is running now (today is its second day): 20 officers, the pre-test taken,
  yesterday's attendance recorded, today's morning open for QR check-in.
- **Agadir** is open for nominations: the border police division has nominated three
  officers, whom the organisers have not decided on yet. It teaches version 2 of the
  course, which integrates the suggestions from Oujda that the joint committee accepted
  (see ``suggestions``); ``load_sessions`` has that version made just before.

The officers are invented; their names were made up for Mizan. Answers are drawn with a
fixed seed, so every demo has the same figures. Everything goes through the services,
attributed to the person who would do it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from mizan.accounts.models import User
from mizan.actions.models import Action
from mizan.institutions.models import Institution
from mizan.training.enums import (
    AttendanceStatus,
    EvaluationKind,
    PlanKept,
    SessionStatus,
    TestStage,
    VersionStatus,
)
from mizan.training.models import (
    CurriculumVersion,
    Enrolment,
    Participant,
    TrainingSession,
)
from mizan.training.services import sessions as session_services
from mizan.training.services.cascades import AudienceCount, report_cascade

SEED = 2026

#: (Latin, Arabic) given names of women and of men, and family names. Invented
#: combinations; none is a real person.
WOMEN = [
    ("Samira", "سميرة"),
    ("Khadija", "خديجة"),
    ("Imane", "إيمان"),
    ("Nawal", "نوال"),
    ("Houda", "هدى"),
    ("Zineb", "زينب"),
    ("Fatima Zahra", "فاطمة الزهراء"),
    ("Asmae", "أسماء"),
    ("Hanane", "حنان"),
    ("Salma", "سلمى"),
    ("Meryem", "مريم"),
    ("Loubna", "لبنى"),
]
MEN = [
    ("Mohamed", "محمد"),
    ("Hicham", "هشام"),
    ("Abdelali", "عبد العالي"),
    ("Yassine", "ياسين"),
    ("Omar", "عمر"),
    ("Said", "سعيد"),
    ("Mustapha", "مصطفى"),
    ("Anas", "أنس"),
    ("Rachid", "رشيد"),
    ("Hamza", "حمزة"),
    ("Brahim", "إبراهيم"),
    ("Khalid", "خالد"),
    ("Adil", "عادل"),
    ("Soufiane", "سفيان"),
    ("Mehdi", "المهدي"),
    ("Jamal", "جمال"),
]
FAMILIES = [
    ("Berrada", "برادة"),
    ("El Fassi", "الفاسي"),
    ("Amrani", "العمراني"),
    ("Bouzidi", "البوزيدي"),
    ("Tahiri", "الطاهري"),
    ("Lahlou", "لحلو"),
    ("Ziani", "الزياني"),
    ("Benjelloun", "بنجلون"),
    ("Chaoui", "الشاوي"),
    ("Kettani", "الكتاني"),
    ("Ouali", "الوالي"),
    ("Sebti", "السبتي"),
    ("Naciri", "الناصري"),
    ("Haddad", "الحداد"),
    ("Filali", "الفيلالي"),
    ("Rami", "الرامي"),
    ("Skalli", "السقلي"),
    ("Mansouri", "المنصوري"),
    ("Cherkaoui", "الشرقاوي"),
    ("Alami", "العلمي"),
]
RANKS = [
    "Police officer",
    "Sergeant",
    "Chief sergeant",
    "Inspector",
    "Chief inspector",
    "Commissioner",
]
#: Ranks weighted towards the ranks that meet migrants first.
RANK_WEIGHTS = [5, 4, 3, 4, 2, 1]
UNITS = {
    "police": ["Judicial police", "Public security", "Mobile intervention unit"],
    "border-police": ["Airport border post", "Port border post", "Land border post"],
}
COMMITMENTS = [
    "Explain to my unit how to recognise a person in need of protection and whom to call.",
    "Use an interpreter for every interview with a person who does not speak Arabic or French.",
    "Check the age of unaccompanied children with the child protection services, not alone.",
    "Write in every report the information given to the person about their rights.",
    "Brief the new officers of my post on the absolute ban on ill-treatment.",
]
SITUATIONS = [
    "An interview at the port with a woman travelling alone; I asked for a female officer.",
    "A group of young people at the land border; we called the child protection services.",
    "I explained the right to contact a lawyer and the consulate at the start of custody.",
    "",
]
EVALUATION_COMMENTS = [
    "The case studies were close to what we see at the border.",
    "More time for the role plays, please.",
    "The session on detention alternatives was new to me.",
    "The room was too small for the working groups.",
    "",
    "",
]


@dataclass(frozen=True)
class DemoSession:
    title: str
    city: str
    region: str
    venue: str
    #: Days from today to the first day (negative: in the past).
    starts_in: int
    status: str
    participants: int
    nominations: int = 0
    #: The number of the curriculum version it teaches.
    version: int = 1


SESSIONS = [
    DemoSession(
        "Oujda, first session",
        "Oujda",
        "Oriental",
        "Regional police training centre",
        -124,
        SessionStatus.COMPLETED,
        20,
    ),
    DemoSession(
        "Tangier, second session",
        "Tangier",
        "Tanger-Tétouan-Al Hoceïma",
        "Port police headquarters, conference room",
        -1,
        SessionStatus.RUNNING,
        20,
    ),
    DemoSession(
        "Agadir, third session",
        "Agadir",
        "Souss-Massa",
        "Regional directorate of national security",
        45,
        SessionStatus.OPEN,
        0,
        nominations=3,
        version=2,
    ),
]
DAYS = 5


def load_sessions(
    institutions: dict[str, Institution],
    users: dict[str, User],
    action: Action | None,
    before_later_version: Callable[[], object] | None = None,
) -> int:
    """Load the demo sessions unless sessions exist; returns how many sessions exist.

    ``before_later_version`` is called once, before the first session that teaches a later
    version than the first: it makes that version (the demo's suggestions lead to it). A
    session whose version is not published then teaches the first version."""
    if TrainingSession.objects.exists() or action is None:
        return TrainingSession.objects.count()
    version = (
        CurriculumVersion.objects.filter(
            curriculum__code="migration-rights", frozen_at__isnull=False
        )
        .order_by("number")
        .first()
    )
    if version is None:
        return 0
    rng = random.Random(SEED)
    names = _names(rng)
    today = timezone.localdate()
    organiser = users["focal.police"]
    trainer = users["trainer"]
    for demo in SESSIONS:
        if demo.version != version.number and before_later_version is not None:
            before_later_version()
            before_later_version = None
        starts_on = today + timedelta(days=demo.starts_in)
        session = session_services.create_session(
            action=action,
            version=_version(version, demo.version),
            title=demo.title,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=DAYS - 1),
            city=demo.city,
            region=demo.region,
            venue=demo.venue,
            organisers=[institutions["police"], institutions["nhri"]],
            trainers=[trainer],
            audience=(
                "Police and border police officers who interview, hold or return persons in "
                "migration situations."
            ),
            capacity=24,
            language="ar",
            by=organiser,
        )
        people = [
            _participant(names.pop(), institutions, rng, organiser, region=demo.region)
            for _ in range(demo.participants)
        ]
        enrolments = [
            session_services.enrol(session=session, participant=person, by=organiser)
            for person in people
        ]
        for enrolment in enrolments:
            session_services.issue_personal_link(enrolment=enrolment, by=organiser)
        _advance(session, demo.status, organiser)
        if demo.nominations:
            _nominate(session, names, demo, institutions, organiser, rng)
        if demo.status == SessionStatus.COMPLETED:
            _run_completed(session, enrolments, trainer, organiser, institutions, rng)
        elif demo.status == SessionStatus.RUNNING:
            _run_first_day(session, enrolments, trainer, rng)
    return TrainingSession.objects.count()


def _version(first: CurriculumVersion, number: int) -> CurriculumVersion:
    """The published version ``number`` of the course, or else its first version."""
    if number == first.number:
        return first
    return (
        CurriculumVersion.objects.filter(
            curriculum_id=first.curriculum_id, number=number, status=VersionStatus.PUBLISHED
        ).first()
        or first
    )


def _names(rng: random.Random) -> list[tuple[str, str, str]]:
    """Distinct (Latin name, Arabic name, sex) triples, shuffled."""
    people = [
        (f"{given} {family}", f"{given_ar} {family_ar}", sex)
        for sex, given_names in (("female", WOMEN), ("male", MEN))
        for given, given_ar in given_names
        for family, family_ar in FAMILIES
    ]
    rng.shuffle(people)
    # About a third women, as in the demo institutions' intake.
    women = [p for p in people if p[2] == "female"][:16]
    men = [p for p in people if p[2] == "male"][:30]
    chosen = women + men
    rng.shuffle(chosen)
    return chosen


def _participant(
    name: tuple[str, str, str],
    institutions: dict[str, Institution],
    rng: random.Random,
    by: User,
    *,
    region: str,
) -> Participant:
    latin, arabic, sex = name
    code = rng.choice(["police", "police", "border-police"])
    return session_services.create_participant(
        name_latin=latin,
        name_arabic=arabic,
        sex=sex,
        rank=rng.choices(RANKS, RANK_WEIGHTS)[0],
        institution=institutions[code],
        unit=rng.choice(UNITS[code]),
        region=region,
        service_number=f"{rng.randint(100000, 999999)}",
        email=f"{latin.lower().replace(' ', '.')}@police.example",
        consent_given_at=timezone.now(),
        by=by,
    )


def _advance(session: TrainingSession, status: str, by: User) -> None:
    steps: list[str] = [SessionStatus.OPEN, SessionStatus.RUNNING, SessionStatus.COMPLETED]
    if status not in steps:
        return
    for step in steps[: steps.index(status) + 1]:
        session_services.change_session_status(session=session, status=step, by=by)
    session.refresh_from_db()


def _nominate(
    session: TrainingSession,
    names: list[tuple[str, str, str]],
    demo: DemoSession,
    institutions: dict[str, Institution],
    by: User,
    rng: random.Random,
) -> None:
    for _ in range(demo.nominations):
        person = _participant(names.pop(), institutions, rng, by, region=demo.region)
        session_services.nominate(
            session=session, participant=person, institution=institutions["border-police"], by=by
        )


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _answers(attempt_form: Any, ability: float, rng: random.Random) -> dict[int, Any]:
    """Answers to a test form by a participant who knows ``ability`` of the matter."""
    answers: dict[int, Any] = {}
    for item in attempt_form.items.select_related("question").prefetch_related("question__choices"):
        question = item.question
        choices = list(question.choices.all())
        if not choices:
            answers[question.pk] = rng.choice(
                [
                    "The person must be told their rights in a language they understand.",
                    "Refer them to the protection services and record it.",
                    "Ask a colleague.",
                ]
            )
            continue
        correct = [choice.pk for choice in choices if choice.is_correct]
        wrong = [choice.pk for choice in choices if not choice.is_correct]
        if rng.random() < ability or not wrong:
            answers[question.pk] = correct
        else:
            answers[question.pk] = [rng.choice(wrong)]
    return answers


def _run_completed(
    session: TrainingSession,
    enrolments: list[Enrolment],
    trainer: User,
    organiser: User,
    institutions: dict[str, Institution],
    rng: random.Random,
) -> None:
    from mizan.training.models import TestForm
    from mizan.training.services import answers, attendance, certificates

    slots = list(session.slots.order_by("date", "part"))
    # Two officers miss most of the course; the others miss at most one half-day.
    absentees = set(rng.sample(range(len(enrolments)), 2))
    for slot in slots:
        statuses = {}
        for index, enrolment in enumerate(enrolments):
            if index in absentees and rng.random() < 0.6:
                status = AttendanceStatus.ABSENT
            else:
                status = rng.choices(
                    [AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED],
                    [90, 7, 3],
                )[0]
            statuses[enrolment.pk] = status
        attendance.record_slot(slot=slot, statuses=statuses, by=trainer)
    pre_form = TestForm.objects.get(version=session.version, code=session.pre_test_form)
    post_form = TestForm.objects.get(version=session.version, code=session.post_test_form)
    first_morning = _moment(session.starts_on, 9)
    last_afternoon = _moment(session.ends_on, 16)
    for index, enrolment in enumerate(enrolments):
        ability = rng.uniform(0.3, 0.6)
        answers.submit_test(
            enrolment=enrolment,
            stage=TestStage.PRE,
            answers=_answers(pre_form, ability, rng),
            now=first_morning,
        )
        if index in absentees:
            continue
        answers.submit_test(
            enrolment=enrolment,
            stage=TestStage.POST,
            answers=_answers(post_form, min(0.95, ability + rng.uniform(0.25, 0.5)), rng),
            now=last_afternoon,
        )
    _mark_short_answers(session, trainer)
    for day in range(1, DAYS + 1):
        for enrolment in rng.sample(enrolments, 14):
            _evaluate(enrolment, EvaluationKind.DAILY, day, rng)
    for enrolment in enrolments[:17]:
        _evaluate(enrolment, EvaluationKind.FINAL, 0, rng)
    for enrolment in enrolments[:15]:
        answers.save_action_plan(
            enrolment=enrolment,
            commitments=rng.choice(COMMITMENTS),
            colleagues_to_brief=rng.choice([5, 8, 10, 12, 15, 20]),
            by_date=session.ends_on + timedelta(days=90),
            now=last_afternoon,
        )
    for enrolment in enrolments[:11]:
        answers.submit_follow_up(
            enrolment=enrolment,
            used_at_work=rng.choice([3, 4, 4, 5, 5]),
            situations=rng.choice(SITUATIONS),
            plan_kept=rng.choice([PlanKept.YES, PlanKept.YES, PlanKept.PARTLY, PlanKept.NO]),
            colleagues_briefed=rng.choice([0, 4, 6, 9, 12]),
            obstacles="",
            now=_moment(session.ends_on + timedelta(days=100), 10),
        )
    certificates.issue_certificates(session=session, by=organiser)
    _cascades(session, enrolments, institutions, organiser, rng)


def _mark_short_answers(session: TrainingSession, trainer: User) -> None:
    from mizan.training.models import TestAnswer
    from mizan.training.services import answers

    for answer in TestAnswer.objects.filter(
        attempt__enrolment__session=session, is_correct__isnull=True
    ):
        answers.mark_answer(answer=answer, is_correct="rights" in answer.text, by=trainer)


def _evaluate(enrolment: Enrolment, kind: str, day: int, rng: random.Random) -> None:
    from mizan.training.services import answers

    def score() -> int:
        return rng.choices([2, 3, 4, 5], [1, 3, 8, 6])[0]

    session = enrolment.session
    on = session.ends_on if kind == EvaluationKind.FINAL else session.starts_on + timedelta(day - 1)
    answers.submit_evaluation(
        enrolment=enrolment,
        kind=kind,
        day=day,
        now=_moment(min(on, timezone.localdate()), 17),
        scores={
            name: score()
            for name in ("relevance", "content", "methods", "trainers", "organisation", "overall")
        },
        comment=rng.choice(EVALUATION_COMMENTS),
        anonymous=rng.random() < 0.7,
    )


def _cascades(
    session: TrainingSession,
    enrolments: list[Enrolment],
    institutions: dict[str, Institution],
    organiser: User,
    rng: random.Random,
) -> None:
    from mizan.training.services.cascades import register_relay_trainer

    modules = list(session.version.modules.order_by("order"))
    first = None
    for offset, enrolment in zip((21, 35, 50), enrolments[:3], strict=True):
        cascade = report_cascade(
            reporter=enrolment.participant,
            held_on=session.ends_on + timedelta(days=offset),
            place=rng.choice(["Oujda border post", "Nador port", "Berkane police station"]),
            audience=[
                AudienceCount(institutions["police"], rng.randint(2, 5), rng.randint(6, 12)),
                AudienceCount(institutions["border-police"], rng.randint(0, 3), rng.randint(3, 8)),
            ],
            modules=modules[: rng.randint(2, 4)],
            notes="Half-day briefing with the trainer's guide's case studies.",
        )
        first = first or cascade
    assert first is not None
    relay = register_relay_trainer(
        cascade=first,
        by=organiser,
        name_latin="Hamza Ouali",
        name_arabic="حمزة الوالي",
        sex="male",
        rank="Sergeant",
        institution=institutions["border-police"],
        region=session.region,
    )
    report_cascade(
        reporter=relay if isinstance(relay, Participant) else relay.participant,
        held_on=session.ends_on + timedelta(days=80),
        place="Ahfir land border post",
        audience=[AudienceCount(institutions["border-police"], 2, 9)],
        modules=modules[:2],
        notes="Briefing of the new shift.",
    )


def _run_first_day(
    session: TrainingSession, enrolments: list[Enrolment], trainer: User, rng: random.Random
) -> None:
    """The running session: the pre-test, and the first day's attendance."""
    from mizan.training.models import TestForm
    from mizan.training.services import answers, attendance

    first_day = [slot for slot in session.slots.all() if slot.date == session.starts_on]
    for slot in first_day:
        attendance.record_slot(
            slot=slot,
            statuses={
                enrolment.pk: rng.choices(
                    [AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT],
                    [88, 8, 4],
                )[0]
                for enrolment in enrolments
            },
            by=trainer,
        )
    pre_form = TestForm.objects.get(version=session.version, code=session.pre_test_form)
    for enrolment in enrolments[:18]:
        answers.submit_test(
            enrolment=enrolment,
            stage=TestStage.PRE,
            answers=_answers(pre_form, rng.uniform(0.3, 0.6), rng),
            now=_moment(session.starts_on, 9),
        )
    for enrolment in rng.sample(enrolments, 15):
        _evaluate(enrolment, EvaluationKind.DAILY, 1, rng)
