"""The read side of cascades: how many people a training session reached, directly and
through the cascade sessions descending from it over every generation (:func:`reach_of`),
and who trained whom (:func:`lineage_of`).

Every cascade session, whatever its generation, names the training session its lineage
starts from (``source_session``), so both are computed in a fixed number of queries.
:func:`reach_of` holds counts only and may be shown to any member; :func:`lineage_of`
holds names and is for those who see the session's roster.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from mizan.institutions.models import Institution
from mizan.training.enums import ATTENDED, EnrolmentStatus, Sex
from mizan.training.models import (
    Attendance,
    CascadeAudience,
    CascadeSession,
    Enrolment,
    Participant,
    TrainingSession,
)


def cascade_givers(session: TrainingSession) -> QuerySet[Participant]:
    """Who may give a cascade session descending from ``session``: its approved
    participants and the relay trainers trained in its cascade sessions."""
    return (
        Participant.objects.filter(
            Q(enrolments__session=session, enrolments__status=EnrolmentStatus.APPROVED)
            | Q(trained_in_cascade__source_session=session)
        )
        .distinct()
        .order_by("name_latin", "name_arabic", "id")
    )


@dataclass(frozen=True)
class Headcount:
    women: int = 0
    men: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men

    def __add__(self, other: Headcount) -> Headcount:
        return Headcount(self.women + other.women, self.men + other.men)


@dataclass(frozen=True)
class InstitutionReach:
    """People of one institution (None: from elsewhere) reached directly and in cascade."""

    institution: Institution | None
    direct: Headcount
    cascaded: Headcount

    @property
    def total(self) -> int:
        return self.direct.total + self.cascaded.total


@dataclass(frozen=True)
class GenerationReach:
    """Cascade sessions of one generation (1: given by directly trained participants)."""

    generation: int
    sessions: int
    audience: Headcount


@dataclass(frozen=True)
class Reach:
    """How many people a training session reached: ``direct`` counts its approved
    participants who attended at least one half-day; ``cascaded`` adds up the audiences
    of every cascade session descending from it, all generations."""

    direct: Headcount
    cascaded: Headcount
    by_institution: list[InstitutionReach]
    by_generation: list[GenerationReach]

    @property
    def total(self) -> Headcount:
        return self.direct + self.cascaded

    @property
    def cascade_sessions(self) -> int:
        return sum(row.sessions for row in self.by_generation)


def _headcount(women: int | None, men: int | None) -> Headcount:
    return Headcount(int(women or 0), int(men or 0))


def reach_of(session: TrainingSession) -> Reach:
    """The reach of ``session``, in four queries."""
    attended = Attendance.objects.filter(enrolment_id=OuterRef("pk"), status__in=ATTENDED)
    direct_rows = (
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.APPROVED)
        .filter(Exists(attended))
        .values("participant__institution_id", "participant__sex")
        .annotate(count=Count("id"))
        .order_by()
    )
    direct: dict[int | None, Headcount] = defaultdict(Headcount)
    for row in direct_rows:
        key = row["participant__institution_id"]
        if row["participant__sex"] == Sex.FEMALE:
            direct[key] += Headcount(women=row["count"])
        else:
            direct[key] += Headcount(men=row["count"])
    cascaded_rows = (
        CascadeAudience.objects.filter(cascade__source_session=session)
        .values("institution_id")
        .annotate(women=Sum("women"), men=Sum("men"))
        .order_by()
    )
    cascaded: dict[int | None, Headcount] = {
        row["institution_id"]: _headcount(row["women"], row["men"]) for row in cascaded_rows
    }
    generation_rows = (
        CascadeSession.objects.filter(source_session=session)
        .values("generation")
        .annotate(
            sessions=Count("id", distinct=True),
            women=Sum("audience__women"),
            men=Sum("audience__men"),
        )
        .order_by("generation")
    )
    by_generation = [
        GenerationReach(row["generation"], row["sessions"], _headcount(row["women"], row["men"]))
        for row in generation_rows
    ]
    keys = set(direct) | set(cascaded)
    institutions = Institution.objects.in_bulk([key for key in keys if key is not None])
    by_institution = [
        InstitutionReach(
            institutions.get(key) if key is not None else None,
            direct.get(key, Headcount()),
            cascaded.get(key, Headcount()),
        )
        for key in keys
        if key is None or key in institutions
    ]
    # The largest first; people from elsewhere last.
    by_institution.sort(
        key=lambda row: (row.institution is None, -row.total, str(row.institution or ""))
    )
    total_direct = sum(direct.values(), Headcount())
    total_cascaded = sum(cascaded.values(), Headcount())
    return Reach(total_direct, total_cascaded, by_institution, by_generation)


# --- Lineage ----------------------------------------------------------------------------


@dataclass
class CascadeNode:
    """A cascade session, its audience, and the people trained there who went on to
    train others (relay trainers)."""

    cascade: CascadeSession
    audience: Headcount
    relay_trainers: list[TrainerNode] = field(default_factory=list)


@dataclass
class TrainerNode:
    """A person who gives cascade sessions: a participant of the training session (the
    first generation), or a relay trainer trained in a cascade session."""

    participant: Participant
    cascades: list[CascadeNode] = field(default_factory=list)


def lineage_of(session: TrainingSession) -> list[TrainerNode]:
    """Who trained whom, from the session's participants who gave cascade sessions down
    through every generation, in three queries. Names: for roster readers only."""
    cascades = list(
        CascadeSession.objects.filter(source_session=session)
        .select_related("reported_by__institution")
        .prefetch_related(Prefetch("audience", queryset=CascadeAudience.objects.order_by("id")))
        .order_by("held_on", "id")
    )
    relays = list(
        Participant.objects.filter(trained_in_cascade__source_session=session)
        .select_related("institution")
        .order_by("name_latin", "name_arabic", "id")
    )
    given_by: dict[int, list[CascadeSession]] = defaultdict(list)
    for cascade in cascades:
        given_by[cascade.reported_by_id].append(cascade)
    trained_in: dict[int, list[Participant]] = defaultdict(list)
    for relay in relays:
        assert relay.trained_in_cascade_id is not None
        trained_in[relay.trained_in_cascade_id].append(relay)
    placed: set[int] = set()

    def cascade_node(cascade: CascadeSession) -> CascadeNode:
        placed.add(cascade.pk)
        audience = sum(
            (Headcount(row.women, row.men) for row in cascade.audience.all()), Headcount()
        )
        node = CascadeNode(cascade, audience)
        node.relay_trainers = [trainer_node(relay, cascade.pk) for relay in trained_in[cascade.pk]]
        return node

    def trainer_node(participant: Participant, trained_in_cascade: int | None) -> TrainerNode:
        own = [
            cascade
            for cascade in given_by[participant.pk]
            if cascade.parent_id == trained_in_cascade and cascade.pk not in placed
        ]
        return TrainerNode(participant, [cascade_node(cascade) for cascade in own])

    roots: list[TrainerNode] = []
    seen: set[int] = set()
    for cascade in cascades:
        if cascade.parent_id is None and cascade.reported_by_id not in seen:
            seen.add(cascade.reported_by_id)
            roots.append(trainer_node(cascade.reported_by, None))
    return roots
