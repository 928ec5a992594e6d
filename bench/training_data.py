"""Synthetic training data at scale for ``bench/training.py``: sessions, participants,
enrolments, attendance, tests, evaluations, action plans, follow-ups and cascades.

The reference objects (institutions, users, actions, a curriculum version with its test
forms) are made with the ORM; the bulk rows go in with raw ``executemany`` in chunks,
with explicit ids so that no row has to be read back. History tables (django-simple-
history) are not filled for generated rows: nothing measured here reads them.

The shape, for ``participants`` P and ``attendance`` A (A a multiple of 250):

- sessions of 25 enrolled participants over 5 days (10 half-day slots): P / 25 sessions;
- A / 250 of them have run (completed, in the past): their 25 participants have a row
  for each of the 10 slots, so exactly A attendance rows; the others are planned for next
  year, with enrolments (approved or nominated) and slots but no attendance;
- every participant has exactly one enrolment, so P participants and P enrolments;
- per participant of a session that ran: pre-test (95 %) and post-test (92 %) scores,
  an end-of-course evaluation (80 %, a third anonymous), an action plan (70 %), a
  follow-up answer (40 %, sessions ended 90 days ago or more), a first-generation
  cascade session (4 %), a quarter of which have a second generation given by a relay
  trainer (an extra participant, not enrolled);
- test answers (20 per attempt) and daily evaluations only for the sessions of the small
  action (the first ``answer_sessions`` sessions that ran), to keep the file moderate.

Actions: ``small`` holds ``small_sessions`` sessions that ran (200 at full size);
``large`` holds the next 19,800 that ran and 200 planned ones (20,000 sessions); the
remaining planned sessions belong to further actions of 200 sessions each.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate, islice
from typing import Any

SESSION_SIZE = 25
SLOTS_PER_SESSION = 10  # five days, morning and afternoon
CHUNK = 50_000
TODAY = date(2026, 11, 26)
FIRST_RUN_DAY = date(2022, 1, 3)
LAST_RUN_DAY = date(2026, 9, 28)
FIRST_PLANNED_DAY = date(2027, 1, 4)

REGIONS = [
    "Tanger-Tétouan-Al Hoceïma",
    "Oriental",
    "Fès-Meknès",
    "Rabat-Salé-Kénitra",
    "Béni Mellal-Khénifra",
    "Casablanca-Settat",
    "Marrakech-Safi",
    "Drâa-Tafilalet",
    "Souss-Massa",
    "Guelmim-Oued Noun",
    "Laâyoune-Sakia El Hamra",
    "Dakhla-Oued Ed-Dahab",
]
RANKS = [
    "Agent",
    "Brigadier",
    "Inspector",
    "Principal inspector",
    "Officer",
    "Commissioner",
]
PARTNERS = [
    ("police", "National police directorate", "law_enforcement"),
    ("border", "Border directorate", "law_enforcement"),
    ("customs", "Customs administration", "law_enforcement"),
    ("gendarmerie", "Royal gendarmerie", "law_enforcement"),
]


@dataclass
class Shape:
    participants: int
    attendance: int
    sessions: int = 0
    sessions_run: int = 0
    small_sessions: int = 0
    large_sessions: int = 0
    answer_sessions: int = 0
    seed: int = 20261126

    def __post_init__(self) -> None:
        per_session_rows = SESSION_SIZE * SLOTS_PER_SESSION
        if self.participants % SESSION_SIZE:
            raise ValueError(f"participants must be a multiple of {SESSION_SIZE}")
        if self.attendance % per_session_rows:
            raise ValueError(f"attendance must be a multiple of {per_session_rows}")
        self.sessions = self.participants // SESSION_SIZE
        self.sessions_run = self.attendance // per_session_rows
        if self.sessions_run > self.sessions:
            raise ValueError("more attendance rows than the participants can have")
        self.small_sessions = min(200, max(1, self.sessions_run // 10))
        self.large_sessions = min(20_000, self.sessions - self.small_sessions)
        self.answer_sessions = self.small_sessions


@dataclass
class Generated:
    """What the generator made: ids the measurements need, and row counts."""

    shape: dict[str, Any]
    organiser_username: str
    small_action_id: int
    large_action_id: int
    version_id: int
    run_session_ids: tuple[int, int]
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rows_per_second: int = 0


def _chunks(rows: Iterable[Sequence[Any]], size: int = CHUNK) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class BulkWriter:
    """Raw ``INSERT`` of many rows into one model's table, in chunks, each chunk in its
    own transaction. Columns not given get the field's constant default; a required
    column with no default is an error here rather than in the database."""

    def __init__(self, raw_connection: Any, counts: dict[str, int]) -> None:
        self.raw = raw_connection
        self.counts = counts

    def insert(self, model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        given = list(columns)
        constants: list[Any] = []
        extra: list[str] = []
        for model_field in model._meta.concrete_fields:
            if model_field.column in given or model_field.primary_key:
                continue
            default = model_field.get_default()
            if default is None and not model_field.null:
                raise ValueError(f"{model.__name__}.{model_field.name} needs a value")
            extra.append(model_field.column)
            constants.append(model_field.get_db_prep_save(default, connection=_django_connection()))
        all_columns = given + extra
        sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
            model._meta.db_table,
            ", ".join(f'"{c}"' for c in all_columns),
            ", ".join("?" for _ in all_columns),
        )
        tail = tuple(constants)
        total = 0
        for chunk in _chunks(rows):
            # Django keeps the connection in autocommit mode: without BEGIN each row
            # would be a transaction of its own.
            self.raw.execute("BEGIN")
            self.raw.executemany(sql, [tuple(row) + tail for row in chunk])
            self.raw.execute("COMMIT")
            total += len(chunk)
        self.counts[model._meta.db_table] = self.counts.get(model._meta.db_table, 0) + total
        return total


def drop_indexes(raw_connection: Any, tables: Sequence[str]) -> list[str]:
    """Drop the secondary indexes of ``tables`` (not those of unique constraints) and
    return their ``CREATE INDEX`` statements: filling a table and then building its
    indexes in one sorted pass is several times faster than keeping them up to date."""
    marks = ", ".join("?" for _ in tables)
    rows = raw_connection.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        list(tables),
    ).fetchall()
    for name, _sql in rows:
        raw_connection.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def _django_connection() -> Any:
    from django.db import connection

    return connection


def _stamp(day: date, hour: int = 10) -> str:
    return f"{day.isoformat()} {hour:02d}:00:00"


def _clamp_score(value: float) -> int:
    return int(min(100, max(0, round(value / 5) * 5)))


def generate(shape: Shape, *, log: Callable[[str], None] = print) -> Generated:
    """Fill the (migrated, empty) database of the current Django connection."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from mizan.accounts.enums import Role
    from mizan.accounts.models import Membership
    from mizan.actions.enums import ActionKind, ActionStatus
    from mizan.actions.models import Action
    from mizan.institutions.models import Institution
    from mizan.training import models as m
    from mizan.training.enums import (
        FormCode,
        QuestionKind,
        SessionStatus,
        VersionStatus,
    )

    rng = random.Random(shape.seed)
    started = time.perf_counter()
    counts: dict[str, int] = {}

    # --- reference objects, through the ORM ---------------------------------------------
    nhri = Institution.objects.create(
        code="nhri", names={"en": "National human rights council"}, kind="nhri"
    )
    partners = [
        Institution.objects.create(code=code, names={"en": name}, kind=kind)
        for code, name, kind in PARTNERS
    ]
    police = partners[0]
    User = get_user_model()
    # No passwords: the benchmark logs in with force_login, and hashing is slow.
    organiser = User.objects.create_user(username="bench-organiser", password=None)
    Membership.objects.create(user=organiser, institution=police, role=Role.FOCAL_POINT)
    trainers = []
    for n in range(20):
        trainer = User.objects.create_user(username=f"bench-trainer-{n}", password=None)
        Membership.objects.create(user=trainer, institution=police, role=Role.TRAINER)
        trainers.append(trainer)

    curriculum = m.Curriculum.objects.create(
        code="border-rights", titles={"en": "Human rights at international borders"}, keeper=nhri
    )
    version = m.CurriculumVersion.objects.create(
        curriculum=curriculum,
        number=1,
        status=VersionStatus.PUBLISHED,
        published_at=datetime(2021, 12, 1, tzinfo=UTC),
        frozen_at=datetime(2021, 12, 1, tzinfo=UTC),
    )
    questions: list[Any] = []
    correct_choice: dict[int, int] = {}
    wrong_choice: dict[int, int] = {}
    for day in range(1, 6):
        module = m.Module.objects.create(
            version=version, order=day, day=day, titles={"en": f"Day {day}"}, duration_minutes=390
        )
        for o in range(1, 3):
            objective = m.LearningObjective.objects.create(
                module=module, order=o, code=f"{day}.{o}", texts={"en": f"Objective {day}.{o}"}
            )
            for q in range(1, 5):
                question = m.Question.objects.create(
                    objective=objective,
                    kind=QuestionKind.SINGLE_CHOICE,
                    prompts={"en": f"Question {day}.{o}.{q}"},
                )
                right = m.Choice.objects.create(
                    question=question, order=1, texts={"en": "Right"}, is_correct=True
                )
                wrong = m.Choice.objects.create(question=question, order=2, texts={"en": "Wrong"})
                correct_choice[question.pk] = right.pk
                wrong_choice[question.pk] = wrong.pk
                questions.append(question)
    forms = {}
    for code, parity in ((FormCode.A, 0), (FormCode.B, 1)):
        form = m.TestForm.objects.create(version=version, code=code)
        for position, question in enumerate(q for i, q in enumerate(questions) if i % 2 == parity):
            m.TestFormQuestion.objects.create(form=form, question=question, position=position + 1)
        forms[code] = (form.pk, [q.pk for i, q in enumerate(questions) if i % 2 == parity])
    # Item difficulty (logit): most items moderate; in each form one too easy, one too
    # hard and one that answers at random (it discriminates poorly).
    difficulty = {q.pk: rng.uniform(-1.5, 1.0) for q in questions}
    for _form_pk, ids in forms.values():
        difficulty[ids[0]] = -4.0
        difficulty[ids[1]] = 3.5
        difficulty[ids[2]] = math.nan

    def new_action(title: str) -> Action:
        return Action.objects.create(
            title=title,
            kind=ActionKind.TRAINING,
            status=ActionStatus.IN_PROGRESS,
            lead_institution=police,
            starts_on=date(2022, 1, 1),
            due_on=date(2027, 12, 31),
        )

    small = new_action("Training of border police (pilot regions)")
    large = new_action("Training of border police (national roll-out)")
    log(f"reference objects made in {time.perf_counter() - started:.1f} s")

    raw = connection.connection
    raw.execute("PRAGMA synchronous=OFF")
    writer = BulkWriter(raw, counts)
    bulk_models = [
        m.TrainingSession,
        m.SessionSlot,
        m.Participant,
        m.Enrolment,
        m.Attendance,
        m.TestAttempt,
        m.TestAnswer,
        m.Evaluation,
        m.ActionPlan,
        m.FollowUpResponse,
        m.CascadeSession,
        m.CascadeAudience,
        m.TrainingSession.organisers.through,
        m.TrainingSession.trainers.through,
    ]
    indexes = drop_indexes(raw, [model._meta.db_table for model in bulk_models])

    # --- sessions, their organisers, trainers and slots ---------------------------------
    n_sessions, n_run = shape.sessions, shape.sessions_run
    other_actions: list[int] = []
    action_of: list[int] = []
    for index in range(n_sessions):
        if index < shape.small_sessions:
            action_of.append(small.pk)
        elif index < shape.small_sessions + shape.large_sessions:
            action_of.append(large.pk)
        else:
            if (index - shape.small_sessions - shape.large_sessions) % 200 == 0:
                other_actions.append(
                    new_action(f"Training of border police, batch {len(other_actions) + 1}").pk
                )
            action_of.append(other_actions[-1])
    # The large action takes run sessions after the small ones, then planned ones: order
    # the sessions so that the run ones come first.
    run_span = (LAST_RUN_DAY - FIRST_RUN_DAY).days

    def session_start(index: int) -> date:
        if index < n_run:
            return FIRST_RUN_DAY + timedelta(days=(index * run_span) // max(1, n_run))
        return FIRST_PLANNED_DAY + timedelta(
            days=((index - n_run) * 360) // max(1, n_sessions - n_run)
        )

    region_of_session = [REGIONS[rng.randrange(len(REGIONS))] for _ in range(n_sessions)]
    stamp = _stamp(date(2021, 12, 15))

    def session_rows() -> Iterator[tuple[Any, ...]]:
        for index in range(n_sessions):
            starts = session_start(index)
            status = (
                SessionStatus.COMPLETED
                if index < n_run
                else (SessionStatus.OPEN if index % 2 else SessionStatus.PLANNED)
            )
            region = region_of_session[index]
            yield (
                index + 1,
                f"Session {index + 1}, {region}",
                starts.isoformat(),
                (starts + timedelta(days=4)).isoformat(),
                "",
                region.split("-")[0],
                region,
                SESSION_SIZE,
                status,
                "ar",
                80,
                60,
                "A",
                "B",
                stamp,
                stamp,
                action_of[index],
                version.pk,
                organiser.pk,
            )

    writer.insert(
        m.TrainingSession,
        [
            "id",
            "title",
            "starts_on",
            "ends_on",
            "venue",
            "city",
            "region",
            "capacity",
            "status",
            "language",
            "min_attendance_percent",
            "min_post_test_percent",
            "pre_test_form",
            "post_test_form",
            "created_at",
            "updated_at",
            "action_id",
            "version_id",
            "created_by_id",
        ],
        session_rows(),
    )
    organisers = m.TrainingSession.organisers.through
    writer.insert(
        organisers,
        ["trainingsession_id", "institution_id"],
        ((s, i) for s in range(1, n_sessions + 1) for i in (police.pk, nhri.pk)),
    )
    writer.insert(
        m.TrainingSession.trainers.through,
        ["trainingsession_id", "user_id"],
        ((s, trainers[s % len(trainers)].pk) for s in range(1, n_sessions + 1)),
    )

    def slot_rows() -> Iterator[tuple[Any, ...]]:
        for index in range(n_sessions):
            starts = session_start(index)
            for n in range(SLOTS_PER_SESSION):
                slot_id = index * SLOTS_PER_SESSION + n + 1
                day = starts + timedelta(days=n // 2)
                morning = n % 2 == 0
                yield (
                    slot_id,
                    index + 1,
                    day.isoformat(),
                    "am" if morning else "pm",
                    "09:00:00" if morning else "14:00:00",
                    "12:30:00" if morning else "17:00:00",
                    f"bench-slot-{slot_id}",
                )

    writer.insert(
        m.SessionSlot,
        ["id", "session_id", "date", "part", "starts_at", "ends_at", "check_in_code"],
        slot_rows(),
    )
    log(f"sessions and slots: {time.perf_counter() - started:.1f} s")

    # --- participants and enrolments ----------------------------------------------------
    n_people = shape.participants
    partner_ids = [p.pk for p in partners]
    partner_cumulative = list(accumulate([55, 25, 12, 8]))
    rank_cumulative = list(accumulate([30, 25, 20, 12, 9, 4]))
    sex_of = bytearray(n_people + 1)  # 1 = female

    def participant_rows() -> Iterator[tuple[Any, ...]]:
        for pid in range(1, n_people + 1):
            female = rng.random() < 0.3
            sex_of[pid] = 1 if female else 0
            session_index = (pid - 1) // SESSION_SIZE
            region = (
                region_of_session[session_index]
                if rng.random() < 0.8
                else REGIONS[rng.randrange(12)]
            )
            yield (
                pid,
                f"Officer {pid}",
                "",
                "female" if female else "male",
                rng.choices(RANKS, cum_weights=rank_cumulative)[0],
                rng.choices(partner_ids, cum_weights=partner_cumulative)[0],
                "",
                region,
                f"SN{pid:08d}",
                "",
                "",
                stamp,
                f"bench{pid:011d}",
                stamp,
                stamp,
            )

    writer.insert(
        m.Participant,
        [
            "id",
            "name_latin",
            "name_arabic",
            "sex",
            "rank",
            "institution_id",
            "unit",
            "region",
            "service_number",
            "email",
            "phone",
            "consent_given_at",
            "pseudonym",
            "created_at",
            "updated_at",
        ],
        participant_rows(),
    )
    log(f"participants: {time.perf_counter() - started:.1f} s")

    def enrolment_rows() -> Iterator[tuple[Any, ...]]:
        for pid in range(1, n_people + 1):
            session_index = (pid - 1) // SESSION_SIZE
            approved = session_index < n_run or rng.random() < 0.8
            yield (
                pid,
                session_index + 1,
                pid,
                "approved" if approved else "nominated",
                "",
                stamp,
                police.pk,
            )

    writer.insert(
        m.Enrolment,
        [
            "id",
            "session_id",
            "participant_id",
            "status",
            "decision_note",
            "created_at",
            "nominated_by_id",
        ],
        enrolment_rows(),
    )
    log(f"enrolments: {time.perf_counter() - started:.1f} s")

    # --- attendance: the run sessions' participants, every slot ------------------------
    n_attending = n_run * SESSION_SIZE
    no_show = bytearray(n_attending + 1)
    for pid in range(1, n_attending + 1):
        if rng.random() < 0.03:
            no_show[pid] = 1
    statuses = ("present", "late", "excused", "absent")
    status_weights = (0.86, 0.05, 0.04, 0.05)
    cumulative = [sum(status_weights[: i + 1]) for i in range(4)]
    attended_slots = bytearray(n_attending + 1)

    def attendance_rows() -> Iterator[tuple[Any, ...]]:
        stamps: list[str] = []
        for pid in range(1, n_attending + 1):
            session_index = (pid - 1) // SESSION_SIZE
            first_slot = session_index * SLOTS_PER_SESSION + 1
            if (pid - 1) % SESSION_SIZE == 0:  # a new session: its slots' times, once
                starts = session_start(session_index)
                stamps = [
                    _stamp(starts + timedelta(days=n // 2), 9 if n % 2 == 0 else 14)
                    for n in range(SLOTS_PER_SESSION)
                ]
            count = 0
            for n in range(SLOTS_PER_SESSION):
                if no_show[pid]:
                    status = "absent"
                else:
                    draw = rng.random()
                    status = (
                        statuses[0]
                        if draw < cumulative[0]
                        else statuses[1]
                        if draw < cumulative[1]
                        else statuses[2]
                        if draw < cumulative[2]
                        else statuses[3]
                    )
                if status in ("present", "late"):
                    count += 1
                yield (
                    pid,
                    first_slot + n,
                    status,
                    "trainer" if n % 3 else "qr_code",
                    stamps[n],
                )
            attended_slots[pid] = count

    writer.insert(
        m.Attendance,
        ["enrolment_id", "slot_id", "status", "method", "recorded_at"],
        attendance_rows(),
    )
    log(f"attendance: {time.perf_counter() - started:.1f} s")

    # --- tests ---------------------------------------------------------------------------
    answer_limit = shape.answer_sessions * SESSION_SIZE
    attempt_id = 0
    answers: list[tuple[Any, ...]] = []

    def flush_answers() -> None:
        writer.insert(m.TestAnswer, ["attempt_id", "question_id", "chosen", "is_correct"], answers)
        answers.clear()

    def attempt_rows() -> Iterator[tuple[Any, ...]]:
        nonlocal attempt_id
        for pid in range(1, n_attending + 1):
            if no_show[pid]:
                continue
            session_index = (pid - 1) // SESSION_SIZE
            starts = session_start(session_index)
            ability = rng.gauss(0.0, 1.0)
            for stage, share, code, day, boost in (
                ("pre", 0.95, "A", starts, 0.0),
                ("post", 0.92, "B", starts + timedelta(days=4), 1.1),
            ):
                if rng.random() >= share:
                    continue
                attempt_id += 1
                form_pk, item_ids = forms[code]
                correct = 0
                for question_id in item_ids:
                    b = difficulty[question_id]
                    if math.isnan(b):
                        right = rng.random() < 0.5
                    else:
                        right = rng.random() < 1 / (1 + math.exp(b - ability - boost))
                    correct += right
                    if pid <= answer_limit:
                        chosen = correct_choice[question_id] if right else wrong_choice[question_id]
                        answers.append((attempt_id, question_id, f"[{chosen}]", right))
                submitted = rng.random() >= 0.01
                score = round(100 * correct / len(item_ids), 2) if submitted else None
                yield (
                    attempt_id,
                    pid,
                    stage,
                    form_pk,
                    _stamp(day, 9 if stage == "pre" else 15),
                    _stamp(day, 10 if stage == "pre" else 16) if submitted else None,
                    score,
                )

    attempt_columns = [
        "id",
        "enrolment_id",
        "stage",
        "form_id",
        "started_at",
        "submitted_at",
        "score_percent",
    ]
    for chunk in _chunks(attempt_rows()):
        writer.insert(m.TestAttempt, attempt_columns, chunk)
        flush_answers()
    log(f"tests: {time.perf_counter() - started:.1f} s")

    # --- evaluations, action plans, follow-ups -----------------------------------------
    def score(mean: float) -> int:
        return int(min(5, max(1, round(rng.gauss(mean, 0.8)))))

    def evaluation_rows() -> Iterator[tuple[Any, ...]]:
        for pid in range(1, n_attending + 1):
            if no_show[pid]:
                continue
            session_index = (pid - 1) // SESSION_SIZE
            starts = session_start(session_index)
            kinds: list[tuple[str, int, date]] = []
            if rng.random() < 0.8:
                kinds.append(("final", 0, starts + timedelta(days=4)))
            if pid <= answer_limit:
                kinds += [
                    ("daily", d, starts + timedelta(days=d - 1))
                    for d in range(1, 6)
                    if rng.random() < 0.6
                ]
            for kind, day, when in kinds:
                anonymous = rng.random() < 0.33
                yield (
                    session_index + 1,
                    kind,
                    day,
                    None if anonymous else pid,
                    f"bench-{pid}",
                    score(4.1),
                    score(4.0),
                    score(3.8),
                    score(4.3),
                    score(3.6),
                    score(4.0),
                    "",
                    _stamp(when, 17),
                )

    writer.insert(
        m.Evaluation,
        [
            "session_id",
            "kind",
            "day",
            "enrolment_id",
            "respondent_key",
            "relevance",
            "content",
            "methods",
            "trainers",
            "organisation",
            "overall",
            "comment",
            "submitted_at",
        ],
        evaluation_rows(),
    )

    def plan_rows() -> Iterator[tuple[Any, ...]]:
        for pid in range(1, n_attending + 1):
            if no_show[pid] or rng.random() >= 0.7:
                continue
            ends = session_start((pid - 1) // SESSION_SIZE) + timedelta(days=4)
            yield (
                pid,
                "Brief my unit on screening and referral.",
                rng.randint(0, 15),
                (ends + timedelta(days=90)).isoformat(),
                _stamp(ends, 16),
            )

    writer.insert(
        m.ActionPlan,
        ["enrolment_id", "commitments", "colleagues_to_brief", "by_date", "updated_at"],
        plan_rows(),
    )

    def follow_up_rows() -> Iterator[tuple[Any, ...]]:
        for pid in range(1, n_attending + 1):
            session_index = (pid - 1) // SESSION_SIZE
            ends = session_start(session_index) + timedelta(days=4)
            if no_show[pid] or (TODAY - ends).days < 90 or rng.random() >= 0.4:
                continue
            kept = rng.choices(("yes", "partly", "no"), cum_weights=(45, 85, 100))[0]
            yield (
                session_index + 1,
                f"bench{pid:011d}",
                score(3.7),
                "",
                kept,
                rng.randint(0, 12),
                "",
                _stamp(ends + timedelta(days=120), 11),
            )

    writer.insert(
        m.FollowUpResponse,
        [
            "session_id",
            "pseudonym",
            "used_at_work",
            "situations",
            "plan_kept",
            "colleagues_briefed",
            "obstacles",
            "submitted_at",
        ],
        follow_up_rows(),
    )
    log(f"evaluations, plans, follow-ups: {time.perf_counter() - started:.1f} s")

    # --- cascades over two generations -------------------------------------------------
    first: list[tuple[int, int, date]] = []  # (cascade id, source session id, held on)
    cascade_id = 0

    def cascade_rows() -> Iterator[tuple[Any, ...]]:
        nonlocal cascade_id
        for pid in range(1, n_attending + 1):
            if no_show[pid] or rng.random() >= 0.04:
                continue
            session_index = (pid - 1) // SESSION_SIZE
            held = session_start(session_index) + timedelta(days=60)
            cascade_id += 1
            first.append((cascade_id, session_index + 1, held))
            yield (
                cascade_id,
                pid,
                session_index + 1,
                None,
                1,
                held.isoformat(),
                "Unit office",
                "",
                _stamp(held, 18),
            )

    cascade_columns = [
        "id",
        "reported_by_id",
        "source_session_id",
        "parent_id",
        "generation",
        "held_on",
        "place",
        "notes",
        "reported_at",
    ]
    writer.insert(m.CascadeSession, cascade_columns, cascade_rows())
    relay: list[tuple[int, int, int, date]] = []  # (participant id, parent cascade, session, held)
    next_pid = n_people
    relay_rows = []
    for parent_id, session_id, held in first:
        if rng.random() < 0.25:
            next_pid += 1
            relay.append((next_pid, parent_id, session_id, held + timedelta(days=45)))
            relay_rows.append(
                (
                    next_pid,
                    f"Relay trainer {next_pid}",
                    "",
                    "female" if rng.random() < 0.3 else "male",
                    "Brigadier",
                    police.pk,
                    "",
                    REGIONS[rng.randrange(12)],
                    "",
                    "",
                    "",
                    None,
                    f"bench{next_pid:011d}",
                    stamp,
                    stamp,
                    parent_id,
                )
            )
    writer.insert(
        m.Participant,
        [
            "id",
            "name_latin",
            "name_arabic",
            "sex",
            "rank",
            "institution_id",
            "unit",
            "region",
            "service_number",
            "email",
            "phone",
            "consent_given_at",
            "pseudonym",
            "created_at",
            "updated_at",
            "trained_in_cascade_id",
        ],
        relay_rows,
    )
    second = []
    for pid, parent_id, session_id, held in relay:
        cascade_id += 1
        second.append(
            (
                cascade_id,
                pid,
                session_id,
                parent_id,
                2,
                held.isoformat(),
                "Border post",
                "",
                _stamp(held, 18),
            )
        )
    writer.insert(m.CascadeSession, cascade_columns, second)
    writer.insert(
        m.CascadeAudience,
        ["cascade_id", "institution_id", "women", "men"],
        ((c, police.pk, rng.randint(0, 8), rng.randint(2, 20)) for c in range(1, cascade_id + 1)),
    )
    log(f"cascades: {time.perf_counter() - started:.1f} s")
    indexing = time.perf_counter()
    for statement in indexes:
        raw.execute(statement)
    log(f"{len(indexes)} indexes built again in {time.perf_counter() - indexing:.1f} s")
    raw.execute("PRAGMA synchronous=NORMAL")
    raw.execute("ANALYZE")
    seconds = time.perf_counter() - started
    total_rows = sum(counts.values())
    return Generated(
        shape=asdict(shape),
        organiser_username=organiser.username,
        small_action_id=small.pk,
        large_action_id=large.pk,
        version_id=version.pk,
        run_session_ids=(1, n_run),
        rows=counts,
        seconds=round(seconds, 1),
        rows_per_second=round(total_rows / seconds),
    )
