"""Load the demo content into the database, idempotently.

What already exists (found by its code, username, symbol or paragraph) is left as it is,
so running the demo twice duplicates nothing and does not undo what someone changed in
the demo since. The registry's records go through the recommendation services, so the
audit trail shows them, attributed to the demo coordinator.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from mizan.accounts.models import Membership, User
from mizan.actions.models import Action
from mizan.audit.history import attribute_change
from mizan.core.demo.action_plan import TRAINING_ACTION
from mizan.core.demo.assist import load_assist
from mizan.core.demo.content import (
    COORDINATOR,
    DEMO_PASSWORD,
    DOCUMENTS,
    INSTITUTIONS,
    MECHANISMS,
    MODEL_NAME,
    STATE_UNDER_REVIEW,
    USERS,
    DemoDocument,
)
from mizan.core.demo.course import load_course
from mizan.core.demo.follow_up import load_follow_up
from mizan.core.demo.publication import load_publication
from mizan.core.demo.sessions import load_sessions
from mizan.core.demo.suggestions import load_suggestions
from mizan.institutions.models import Institution
from mizan.partnerships.models import PartnershipAgreement
from mizan.recommendations import services
from mizan.recommendations.enums import TaggingSource
from mizan.recommendations.models import (
    Assignment,
    Mechanism,
    Recommendation,
    SourceDocument,
    Tagging,
    Term,
)
from mizan.recommendations.vocabularies import load_shipped_vocabularies
from mizan.suggestions.models import Suggestion
from mizan.training.models import Certificate, Curriculum, Participant, TrainingSession


@dataclass(frozen=True)
class DemoSummary:
    vocabularies: dict[str, int]
    institutions: int
    users: int
    mechanisms: int
    documents: int
    recommendations: int
    taggings: int
    unconfirmed_taggings: int
    assignments: int
    actions: int
    agreements: int
    curricula: int
    sessions: int
    participants: int
    certificates: int
    suggestions: int


@transaction.atomic
def load_demo() -> DemoSummary:
    """Load the shipped vocabularies and the demo case; returns what the database holds."""
    vocabularies = load_shipped_vocabularies()
    institutions = _load_institutions()
    users = _load_users(institutions)
    coordinator = users[COORDINATOR]
    mechanisms = _load_mechanisms(coordinator)
    terms = {
        f"{term.vocabulary.code}:{term.code}": term
        for term in Term.objects.filter(vocabulary__code__in=vocabularies).select_related(
            "vocabulary"
        )
    }
    for document in DOCUMENTS:
        _load_document(document, mechanisms, institutions, terms, coordinator)
    load_follow_up(institutions, users)
    load_course(coordinator)
    # The suggestions from the first sessions lead to the version that Agadir teaches, so
    # they are loaded before Agadir; and after, for a database whose sessions came first.
    load_sessions(
        institutions,
        users,
        Action.objects.filter(title=TRAINING_ACTION.title).first(),
        before_later_version=lambda: load_suggestions(users),
    )
    load_suggestions(users)
    load_publication(coordinator)
    load_assist()
    return DemoSummary(
        vocabularies=vocabularies,
        institutions=Institution.objects.count(),
        users=User.objects.count(),
        mechanisms=Mechanism.objects.count(),
        documents=SourceDocument.objects.count(),
        recommendations=Recommendation.objects.count(),
        taggings=Tagging.objects.count(),
        unconfirmed_taggings=Tagging.objects.filter(confirmed_at__isnull=True).count(),
        assignments=Assignment.objects.count(),
        actions=Action.objects.count(),
        agreements=PartnershipAgreement.objects.count(),
        curricula=Curriculum.objects.count(),
        sessions=TrainingSession.objects.count(),
        participants=Participant.objects.count(),
        certificates=Certificate.objects.count(),
        suggestions=Suggestion.objects.count(),
    )


def _load_institutions() -> dict[str, Institution]:
    institutions: dict[str, Institution] = {}
    for demo in INSTITUTIONS:  # parents come first in the list
        institution = Institution.objects.filter(code=demo.code).first()
        if institution is None:
            institution = Institution(
                code=demo.code,
                names=demo.names,
                acronym=demo.acronym,
                kind=demo.kind,
                parent=institutions[demo.parent] if demo.parent else None,
            )
            institution.save()
        institutions[demo.code] = institution
    return institutions


def _load_users(institutions: dict[str, Institution]) -> dict[str, User]:
    users: dict[str, User] = {}
    # One hash for all: the password is the same and hashing is slow on purpose.
    password = make_password(DEMO_PASSWORD)
    for demo in USERS:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            user = User(
                username=demo.username,
                first_name=demo.first_name,
                last_name=demo.last_name,
                display_name=demo.display_name,
                email=demo.email,
                preferred_language=demo.preferred_language,
                is_superuser=demo.is_superuser,
                is_staff=demo.is_superuser,
            )
            user.password = password
            user.save()
        if not Membership.objects.filter(
            user=user, institution=institutions[demo.institution], role=demo.role
        ).exists():
            Membership.objects.create(
                user=user, institution=institutions[demo.institution], role=demo.role
            )
        users[demo.username] = user
    return users


def _load_mechanisms(by: User) -> dict[str, Mechanism]:
    mechanisms: dict[str, Mechanism] = {}
    for demo in MECHANISMS:
        mechanism = Mechanism.objects.filter(code=demo.code).first()
        if mechanism is None:
            mechanism = Mechanism(code=demo.code, names=demo.names, kind=demo.kind)
            attribute_change(mechanism, user=by)
            mechanism.save()
        mechanisms[demo.code] = mechanism
    return mechanisms


def _load_document(
    demo: DemoDocument,
    mechanisms: dict[str, Mechanism],
    institutions: dict[str, Institution],
    terms: dict[str, Term],
    by: User,
) -> None:
    document = SourceDocument.objects.filter(symbol=demo.symbol).first()
    if document is None:
        document = services.create_document(
            symbol=demo.symbol,
            mechanism=mechanisms[demo.mechanism],
            state_under_review=STATE_UNDER_REVIEW,
            title=demo.title,
            date=demo.date,
            cycle=demo.cycle,
            by=by,
        )
    existing = set(
        Recommendation.objects.filter(document=document).values_list(
            "paragraph", "recommending_state"
        )
    )
    for item in demo.recommendations:
        if (item.paragraph, item.recommending_state) in existing:
            continue
        recommendation = services.create_recommendation(
            document=document,
            paragraph=item.paragraph,
            texts=item.texts,
            original_language="en",
            recommending_state=item.recommending_state,
            position=item.position,
            status=item.status,
            by=by,
        )
        for reference in item.tags:
            services.tag_recommendation(
                recommendation=recommendation, term=_term(terms, reference), by=by
            )
        for reference, confidence in item.suggested_tags:
            # A model proposed these; no person is recorded as having made the change.
            services.tag_recommendation(
                recommendation=recommendation,
                term=_term(terms, reference),
                source=TaggingSource.MODEL,
                model_name=MODEL_NAME,
                confidence=confidence,
            )
        for assignment in item.assignments:
            services.assign_recommendation(
                recommendation=recommendation,
                institution=institutions[assignment.institution],
                role=assignment.role,
                due_date=assignment.due_date,
                by=by,
            )


def _term(terms: dict[str, Term], reference: str) -> Term:
    try:
        return terms[reference]
    except KeyError:
        raise ValueError(f"The demo refers to an unknown term {reference!r}.") from None
