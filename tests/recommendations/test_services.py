import pytest

from mizan.core.errors import MizanError
from mizan.recommendations import services
from mizan.recommendations.models import Recommendation, Tagging
from mizan.recommendations.queries import RecommendationFilters, recommendations_visible_to
from tests.factories import RecommendationFactory, SourceDocumentFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_create_recommendation_keeps_texts_per_language_and_history(coordinator):
    document = SourceDocumentFactory()
    recommendation = services.create_recommendation(
        document=document,
        paragraph="37(b)",
        texts={"en": "Train police on migrants' rights.", "fr": "Former la police."},
        original_language="en",
        by=coordinator,
    )
    texts = {t.language: t for t in recommendation.texts.all()}
    assert set(texts) == {"en", "fr"}
    assert texts["en"].is_original and not texts["fr"].is_original
    assert recommendation.history.first().history_user == coordinator


def test_create_recommendation_refuses_empty_text():
    with pytest.raises(MizanError):
        services.create_recommendation(
            document=SourceDocumentFactory(), paragraph="1", texts={"en": "  "}
        )


def test_duplicate_paragraph_in_same_document_is_refused():
    existing = RecommendationFactory(paragraph="12")
    with pytest.raises(MizanError):
        services.create_recommendation(
            document=existing.document, paragraph="12", texts={"en": "Another text"}
        )


def test_full_text_search_finds_arabic_and_french_words():
    arabic = RecommendationFactory(text="تدريب موظفي إنفاذ القانون على حقوق المهاجرين")
    french = RecommendationFactory(text="Former les agents aux droits des travailleurs migrants")
    RecommendationFactory(text="Ratify the optional protocol")

    def found(query):
        return set(RecommendationFilters(q=query).apply(Recommendation.objects.all()))

    assert found("المهاجرين") == {arabic}
    assert found("travailleurs") == {french}


def test_search_index_follows_text_updates(coordinator):
    recommendation = RecommendationFactory(text="Abolish the death penalty")
    services.update_recommendation(
        recommendation=recommendation,
        texts={"en": "Guarantee access to interpreters"},
        by=coordinator,
    )
    queryset = Recommendation.objects.all()
    assert list(RecommendationFilters(q="interpreters").apply(queryset)) == [recommendation]
    assert list(RecommendationFilters(q="penalty").apply(queryset)) == []


def test_person_tag_is_confirmed_and_model_tag_waits(coordinator):
    recommendation = RecommendationFactory()
    by_person = services.tag_recommendation(
        recommendation=recommendation, term=TermFactory(), by=coordinator
    )
    by_model = services.tag_recommendation(
        recommendation=recommendation,
        term=TermFactory(),
        source="model",
        model_name="usem3",
        confidence=0.8,
    )
    assert by_person.is_confirmed and by_person.confirmed_by == coordinator
    assert not by_model.is_confirmed
    services.confirm_tagging(tagging=by_model, by=coordinator)
    assert Tagging.objects.get(pk=by_model.pk).confirmed_by == coordinator


def test_registry_is_invisible_to_users_without_membership(outsider, viewer):
    RecommendationFactory()
    assert recommendations_visible_to(outsider).count() == 0
    assert recommendations_visible_to(viewer).count() == 1


def test_short_words_do_not_match_as_prefixes():
    RecommendationFactory(text="Guarantee access to asylum procedures at airports")
    queryset = Recommendation.objects.all()
    assert list(RecommendationFilters(q="A/HRC/99/1").apply(queryset)) == []
    assert RecommendationFilters(q="asylum airports").apply(queryset).count() == 1


def test_words_of_three_letters_or_more_match_as_prefixes():
    wanted = RecommendationFactory(text="Protect the rights of migrant domestic workers")
    RecommendationFactory(text="Ratify the optional protocol")
    queryset = Recommendation.objects.all()
    assert list(RecommendationFilters(q="migr domest").apply(queryset)) == [wanted]
