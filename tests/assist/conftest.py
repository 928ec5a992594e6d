"""Fixtures of the assistant's tests."""

from __future__ import annotations

import pytest

from tests.assist import corpus
from tests.factories import (
    RecommendationFactory,
    SourceDocumentFactory,
    TaggingFactory,
    TermFactory,
    VocabularyFactory,
)


@pytest.fixture
def themes(db):
    """A vocabulary of three themes and 30 recommendations with confirmed tags in it."""
    vocabulary = VocabularyFactory(code="themes")
    terms = {
        code: TermFactory(vocabulary=vocabulary, code=code, labels={"en": code.title()})
        for code in ("detention", "education", "migration")
    }
    document = SourceDocumentFactory()
    for text, codes in corpus.labelled():
        recommendation = RecommendationFactory(document=document, text=text)
        for code in codes:
            TaggingFactory(recommendation=recommendation, term=terms[code])
    return vocabulary, terms
