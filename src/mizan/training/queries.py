"""Read-side selectors of curricula: what a user may see, and what the pages and the API
show, fetched in a fixed number of queries.

List pages, detail pages and the API all start from :func:`curricula_visible_to`,
:func:`versions_visible_to` and :func:`questions_visible_to`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from mizan.accounts.rules import is_member
from mizan.institutions.queries import institutions_acted_for
from mizan.recommendations.models import Term
from mizan.training.models import (
    Choice,
    Curriculum,
    CurriculumVersion,
    Enrolment,
    LearningObjective,
    Module,
    Participant,
    Question,
    TestForm,
    TestFormQuestion,
    TrainingSession,
)
from mizan.training.rules import can_see_question_bank

#: The vocabularies a module links to: the border guidelines, GCM objectives, SDG targets.
MODULE_VOCABULARIES = ("border-guidelines", "gcm", "sdg")


def curricula_visible_to(user: Any) -> QuerySet[Curriculum]:
    """Every member reads every curriculum: it says what officers are taught."""
    if not is_member(user):
        return Curriculum.objects.none()
    return Curriculum.objects.all()


def versions_visible_to(user: Any) -> QuerySet[CurriculumVersion]:
    return CurriculumVersion.objects.filter(curriculum__in=curricula_visible_to(user))


def modules_visible_to(user: Any) -> QuerySet[Module]:
    return Module.objects.filter(version__in=versions_visible_to(user))


def objectives_visible_to(user: Any) -> QuerySet[LearningObjective]:
    return LearningObjective.objects.filter(module__in=modules_visible_to(user))


def questions_visible_to(user: Any) -> QuerySet[Question]:
    """The question bank, with its correct answers: coordinators and trainers only."""
    if not can_see_question_bank(user):
        return Question.objects.none()
    return Question.objects.filter(objective__in=objectives_visible_to(user))


def with_list_details(curricula: QuerySet[Curriculum]) -> QuerySet[Curriculum]:
    """What the list shows: the keeper, and the versions with their states."""
    return curricula.select_related("keeper").prefetch_related(
        Prefetch("versions", queryset=CurriculumVersion.objects.order_by("-number"))
    )


def with_modules(versions: QuerySet[CurriculumVersion]) -> QuerySet[CurriculumVersion]:
    """A version with its modules in order, each with its objectives, materials and
    vocabulary links."""
    return versions.select_related("curriculum__keeper", "based_on", "created_by").prefetch_related(
        Prefetch(
            "modules",
            queryset=Module.objects.order_by("order", "id").prefetch_related(
                Prefetch("objectives", queryset=LearningObjective.objects.order_by("order", "id")),
                "materials",
                Prefetch("terms", queryset=Term.objects.select_related("vocabulary")),
            ),
        )
    )


def question_bank(version: CurriculumVersion) -> list[LearningObjective]:
    """The version's learning objectives in course order, each with its questions and
    their choices."""
    return list(
        LearningObjective.objects.filter(module__version=version)
        .select_related("module")
        .order_by("module__order", "module_id", "order", "id")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("id").prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))
                ),
            )
        )
    )


def question_counts(version: CurriculumVersion) -> dict[int, int]:
    """Objective id → number of questions in use."""
    rows = (
        Question.objects.filter(objective__module__version=version, is_active=True)
        .values("objective_id")
        .annotate(count=Count("id"))
    )
    return {row["objective_id"]: row["count"] for row in rows}


def parallel_forms_of(version: CurriculumVersion) -> list[TestForm]:
    """The version's parallel forms, each with its questions in order."""
    return list(
        TestForm.objects.filter(version=version)
        .select_related("assembled_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=TestFormQuestion.objects.order_by("position").select_related(
                    "question__objective"
                ),
            )
        )
        .order_by("code")
    )


def module_terms() -> QuerySet[Term]:
    """The terms a module may link to, vocabulary by vocabulary."""
    return (
        Term.objects.filter(vocabulary__code__in=MODULE_VOCABULARIES)
        .select_related("vocabulary")
        .order_by("vocabulary__position", "vocabulary__code", "position", "code")
    )


# --- Sessions and the people in them -------------------------------------------------
#
# - sessions_visible_to: every member sees every session's logistics;
# - sessions_with_roster_for: the sessions whose people a user may see (staff of the
#   organising institutions, and the session's trainers);
# - enrolments_visible_to: enrolments in those sessions, and those the user's own
#   institutions nominated;
# - participants_visible_to: the people behind those enrolments (and relay trainers of
#   cascades descending from those sessions).
# Every page, export and endpoint that shows a participant starts from these.


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def sessions_visible_to(user: Any) -> QuerySet[TrainingSession]:
    if not is_member(user):
        return TrainingSession.objects.none()
    return TrainingSession.objects.all()


def sessions_with_roster_for(user: Any) -> QuerySet[TrainingSession]:
    """Sessions whose participants ``user`` may see by name."""
    if not _active(user):
        return TrainingSession.objects.none()
    if user.is_superuser:
        return TrainingSession.objects.all()
    acted_for = institutions_acted_for(user)
    organised = TrainingSession.organisers.through.objects.filter(
        trainingsession_id=OuterRef("pk"), institution_id__in=acted_for
    )
    trained = TrainingSession.trainers.through.objects.filter(
        trainingsession_id=OuterRef("pk"), user_id=user.pk
    )
    return TrainingSession.objects.filter(Exists(organised) | Exists(trained))


def enrolments_visible_to(user: Any) -> QuerySet[Enrolment]:
    if not _active(user):
        return Enrolment.objects.none()
    if user.is_superuser:
        return Enrolment.objects.all()
    return Enrolment.objects.filter(
        Q(session__in=sessions_with_roster_for(user).values("pk"))
        | Q(nominated_by__in=institutions_acted_for(user))
    )


def participants_visible_to(user: Any) -> QuerySet[Participant]:
    if not _active(user):
        return Participant.objects.none()
    if user.is_superuser:
        return Participant.objects.all()
    enrolled = enrolments_visible_to(user).filter(participant_id=OuterRef("pk"))
    roster_sessions = sessions_with_roster_for(user).values("pk")
    return Participant.objects.filter(
        Exists(enrolled) | Q(trained_in_cascade__source_session__in=roster_sessions)
    )
