"""Fixtures for the API tests: an API client per role, and a small registry to act on."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from mizan.recommendations.models import Recommendation, SourceDocument, Tagging, Term
from tests.factories import (
    MechanismFactory,
    RecommendationFactory,
    SourceDocumentFactory,
    TaggingFactory,
    TermFactory,
    VocabularyFactory,
)


@pytest.fixture
def api() -> APIClient:
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def as_user():
    """``as_user(user)`` → an API client authenticated as ``user`` (``None``: anonymous)."""

    def make(user) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return make


@dataclass
class Registry:
    document: SourceDocument
    recommendation: Recommendation
    term: Term
    other_term: Term
    tagging: Tagging
    suggestion: Tagging


@pytest.fixture
def registry(db) -> Registry:
    """One document with one recommendation, a vocabulary with terms, a confirmed tag and a
    model's suggestion waiting for confirmation."""
    MechanismFactory(code="CRC")
    document = SourceDocumentFactory(symbol="CMW/C/MAR/CO/2")
    recommendation = RecommendationFactory(document=document, paragraph="37(b)")
    vocabulary = VocabularyFactory(code="sdg_goals", names={"en": "SDG goals"})
    term = TermFactory(vocabulary=vocabulary, code="5", position=5)
    other_term = TermFactory(vocabulary=vocabulary, code="10", position=10)
    suggestion_term = TermFactory(vocabulary=vocabulary, code="16", position=16)
    tagging = TaggingFactory(recommendation=recommendation, term=term)
    suggestion = TaggingFactory(
        recommendation=recommendation,
        term=suggestion_term,
        source="model",
        model_name="e5",
        confidence=0.8,
        confirmed_at=None,
    )
    return Registry(document, recommendation, term, other_term, tagging, suggestion)
