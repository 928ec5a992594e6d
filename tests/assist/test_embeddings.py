"""Embeddings follow the texts, in the background; models train again when tags change."""

from __future__ import annotations

import numpy as np
import pytest

from mizan.assist.embeddings import (
    embedding_matrix,
    refresh_embeddings,
    search_by_meaning,
    stale_recommendations,
)
from mizan.assist.encoder import from_bytes, get_encoder
from mizan.assist.enums import TagModelKind
from mizan.assist.models import TagModel, TextEmbedding
from mizan.assist.suggester import train_vocabulary
from mizan.recommendations import services
from tests.factories import RecommendationFactory, TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db


def test_the_encoder_is_multilingual_and_gives_unit_vectors():
    encoder = get_encoder()
    vectors = encoder.encode(
        [
            "Train police officers on the rights of migrants.",
            "Former les policiers aux droits des migrants.",
            "تدريب أفراد الشرطة على حقوق المهاجرين.",
            "Build new water pipes in rural villages.",
        ]
    )
    assert vectors.shape == (4, encoder.dimensions)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 3] + 0.2
    assert similarity[0, 2] > similarity[0, 3] + 0.2


def test_new_and_changed_texts_are_embedded_again():
    recommendation = RecommendationFactory(text="Abolish the death penalty.")
    assert stale_recommendations() == [recommendation.pk]
    assert refresh_embeddings() == 1
    assert stale_recommendations() == []
    first = from_bytes(TextEmbedding.objects.get(recommendation=recommendation).vector)

    text = recommendation.texts.get()
    text.text = "Guarantee free primary schooling for every child."
    text.save()
    assert stale_recommendations() == [recommendation.pk]
    refresh_embeddings()
    second = from_bytes(TextEmbedding.objects.get(recommendation=recommendation).vector)
    assert float(first @ second) < 0.9


def test_a_saved_text_is_embedded_by_the_background_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        recommendation = RecommendationFactory(text="Protect journalists from reprisals.")
    embedding = TextEmbedding.objects.get(recommendation=recommendation)
    assert embedding.encoder == get_encoder().name
    assert embedding.language == "en"


def test_the_matrix_is_read_again_when_a_vector_changes():
    first = RecommendationFactory(text="Close the detention centre for children.")
    refresh_embeddings()
    assert embedding_matrix().ids.tolist() == [first.pk]
    second = RecommendationFactory(text="Ratify the convention on enforced disappearance.")
    refresh_embeddings()
    assert sorted(embedding_matrix().ids.tolist()) == sorted([first.pk, second.pk])


def test_search_by_meaning_crosses_languages():
    english = RecommendationFactory(
        text="Ensure that women victims of domestic violence have access to shelters."
    )
    RecommendationFactory(text="Reduce the cost of internet access in remote areas.")
    RecommendationFactory(text="Ratify the optional protocol on the sale of children.")
    refresh_embeddings()
    for query in (
        "Abris pour les femmes victimes de violence conjugale",
        "ملاجئ للنساء ضحايا العنف المنزلي",
    ):
        found = search_by_meaning(query, limit=3, minimum=0.0)
        assert found[0][0] == english.pk


def test_a_confirmed_tag_trains_the_vocabulary_again_in_the_background(
    coordinator, django_capture_on_commit_callbacks
):
    vocabulary = VocabularyFactory(code="groups")
    term = TermFactory(vocabulary=vocabulary, code="children")
    train_vocabulary(vocabulary)
    before = TagModel.objects.get(vocabulary=vocabulary)
    assert before.kind == TagModelKind.DESCRIPTIONS and not before.is_stale

    recommendation = RecommendationFactory(text="Raise the minimum age of marriage to 18.")
    with django_capture_on_commit_callbacks(execute=True):
        services.tag_recommendation(recommendation=recommendation, term=term, by=coordinator)

    after = TagModel.objects.get(vocabulary=vocabulary)
    assert not after.is_stale
    assert after.trained_at > before.trained_at
    assert after.examples == 1


def test_an_import_embeds_its_texts_and_suggests_terms_in_the_background(
    coordinator, django_capture_on_commit_callbacks
):
    from mizan.recommendations.importers import import_recommendations
    from tests.factories import MechanismFactory

    MechanismFactory(code="CMW")
    vocabulary = VocabularyFactory(code="places")
    TermFactory(vocabulary=vocabulary, code="prisons", labels={"en": "Prisons and detention"})
    TermFactory(vocabulary=vocabulary, code="schools", labels={"en": "Schools and education"})
    data = (
        b"document,mechanism,paragraph,text,language,state_under_review\n"
        b"CMW/C/XYZ/CO/1,CMW,12(a),Improve the conditions of detention in prisons.,en,Xyz\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_recommendations(data, format="csv", by=coordinator)

    embedding = TextEmbedding.objects.get()
    assert embedding.recommendation.paragraph == "12(a)"
    suggested = embedding.recommendation.taggings.filter(confirmed_at__isnull=True)
    assert "prisons" in set(suggested.values_list("term__code", flat=True))
