"""Tag suggestions: learned from confirmed tags, or from the terms' wording with none."""

from __future__ import annotations

import socket
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mizan.assist import services, suggester
from mizan.assist.enums import TagModelKind
from mizan.assist.models import RejectedSuggestion, TagModel
from mizan.recommendations.enums import TaggingSource
from mizan.recommendations.models import Tagging
from tests.assist import corpus
from tests.factories import (
    RecommendationFactory,
    TermFactory,
    VocabularyFactory,
)

pytestmark = pytest.mark.django_db


def pending(recommendation, vocabulary):
    return {
        t.term.code: t
        for t in Tagging.objects.filter(
            recommendation=recommendation,
            term__vocabulary=vocabulary,
            confirmed_at__isnull=True,
            source=TaggingSource.MODEL,
        ).select_related("term")
    }


def test_a_vocabulary_with_enough_confirmed_tags_learns_from_them(themes):
    vocabulary, _terms = themes
    new = {
        "detention": RecommendationFactory(text=corpus.NEW_DETENTION),
        "education": RecommendationFactory(text=corpus.NEW_EDUCATION),
        "migration": RecommendationFactory(text=corpus.NEW_MIGRATION),
    }

    run = suggester.suggest(vocabulary)

    assert TagModel.objects.get(vocabulary=vocabulary).kind == TagModelKind.LEARNED
    assert run.recommendations == 3  # only those without confirmed tags
    for code, recommendation in new.items():
        suggestions = pending(recommendation, vocabulary)
        best = max(suggestions.values(), key=lambda t: t.confidence)
        assert best.term.code == code
        assert 0 < best.confidence <= 1
        assert best.model_name == "mizan-assist/learned"


def test_rejected_suggestions_are_never_proposed_again(themes, coordinator):
    vocabulary, _terms = themes
    recommendation = RecommendationFactory(text=corpus.NEW_DETENTION)
    suggester.suggest(vocabulary)
    tagging = pending(recommendation, vocabulary)["detention"]

    services.reject_suggestion(tagging=tagging, by=coordinator)
    suggester.suggest(vocabulary)
    suggester.suggest(vocabulary, [recommendation.pk])

    assert "detention" not in pending(recommendation, vocabulary)
    rejected = RejectedSuggestion.objects.get(recommendation=recommendation)
    assert rejected.term.code == "detention"
    assert rejected.rejected_by == coordinator
    assert rejected.history.first().history_user == coordinator


def test_accepting_confirms_the_tag_and_says_who(themes, coordinator):
    vocabulary, _terms = themes
    recommendation = RecommendationFactory(text=corpus.NEW_MIGRATION)
    suggester.suggest(vocabulary)
    tagging = pending(recommendation, vocabulary)["migration"]

    services.accept_suggestion(tagging=tagging, by=coordinator)

    tagging.refresh_from_db()
    assert tagging.confirmed_by == coordinator and tagging.confirmed_at is not None
    assert tagging.history.first().history_user == coordinator
    assert TagModel.objects.get(vocabulary=vocabulary).is_stale
    # Now confirmed in the vocabulary: no longer among those that get suggestions.
    assert recommendation.pk not in suggester.untagged_in(vocabulary)


def test_a_confirmed_tag_cannot_be_accepted_or_rejected_as_a_suggestion(themes, coordinator):
    vocabulary, _terms = themes
    tagging = Tagging.objects.filter(term__vocabulary=vocabulary).first()
    from mizan.core.errors import MizanError

    with pytest.raises(MizanError):
        services.reject_suggestion(tagging=tagging, by=coordinator)
    assert Tagging.objects.filter(pk=tagging.pk).exists()


def test_suggestions_are_written_with_their_history(themes):
    vocabulary, _terms = themes
    recommendation = RecommendationFactory(text=corpus.NEW_EDUCATION)
    suggester.suggest(vocabulary)
    tagging = pending(recommendation, vocabulary)["education"]
    assert tagging.history.count() == 1
    assert tagging.history.first().history_change_reason == "suggested"


def test_with_no_confirmed_tags_the_terms_wording_decides_in_any_language():
    vocabulary = VocabularyFactory(code="goals")
    TermFactory(
        vocabulary=vocabulary,
        code="4",
        labels={"en": "Quality education", "fr": "Éducation de qualité"},
    )
    TermFactory(
        vocabulary=vocabulary,
        code="16",
        labels={
            "en": "Peace, justice and strong institutions",
            "fr": "Paix, justice et institutions efficaces",
        },
    )
    TermFactory(vocabulary=vocabulary, code="6", labels={"en": "Clean water and sanitation"})
    french = RecommendationFactory(
        text="Garantir l'accès de tous les enfants à une école primaire gratuite et de qualité.",
        text__language="fr",
    )
    arabic = RecommendationFactory(
        text="ضمان حصول جميع السكان على مياه الشرب المأمونة وخدمات الصرف الصحي.",
        text__language="ar",
    )

    run = suggester.suggest(vocabulary)

    assert run.kind == TagModelKind.DESCRIPTIONS
    assert "4" in pending(french, vocabulary)
    assert "6" in pending(arabic, vocabulary)
    assert "16" not in pending(arabic, vocabulary)


def test_suggestions_work_with_the_network_off(themes, monkeypatch):
    vocabulary, _terms = themes
    recommendation = RecommendationFactory(text=corpus.NEW_DETENTION)

    def no_network(*args, **kwargs):
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    suggester.suggest(vocabulary)

    assert "detention" in pending(recommendation, vocabulary)


def test_a_stale_suggestion_is_withdrawn_when_no_longer_proposed(themes):
    vocabulary, terms = themes
    recommendation = RecommendationFactory(text=corpus.NEW_EDUCATION)
    from mizan.recommendations.services import tag_recommendation

    odd = tag_recommendation(
        recommendation=recommendation,
        term=terms["detention"],
        source=TaggingSource.MODEL,
        model_name="older-model",
        confidence=0.4,
    )
    run = suggester.suggest(vocabulary)
    assert not Tagging.objects.filter(pk=odd.pk).exists()
    assert run.withdrawn == 1
    assert odd.history.first().history_change_reason == "suggestion withdrawn"


def test_evaluate_prints_our_scores_beside_the_baseline(themes):
    out = StringIO()
    call_command("assist", "evaluate", "--vocabulary", "themes", "--folds", "3", stdout=out)
    text = out.getvalue()
    assert "micro-F1" in text and "macro-F1" in text and "precision@3" in text
    assert "Baseline" in text
    figures = TagModel.objects.get(vocabulary__code="themes").metrics
    assert figures["examples"] == 30
    assert 0.5 <= figures["micro_f1"] <= 1
    assert 0 <= figures["baseline"]["micro_f1"] <= 1


def test_evaluate_refuses_a_vocabulary_with_too_few_examples():
    VocabularyFactory(code="empty")
    with pytest.raises(CommandError, match="cross-validation needs at least"):
        call_command("assist", "evaluate", "--vocabulary", "empty", stdout=StringIO())


def test_suggest_command_names_an_unknown_vocabulary():
    with pytest.raises(CommandError, match="Unknown vocabulary: nope"):
        call_command("assist", "suggest", "--vocabulary", "nope", stdout=StringIO())


def test_suggest_command_reports_what_it_did(themes):
    RecommendationFactory(text=corpus.NEW_MIGRATION)
    out = StringIO()
    call_command("assist", "suggest", "--vocabulary", "themes", stdout=out, stderr=StringIO())
    assert "themes: " in out.getvalue()
    assert "1 recommendations without confirmed tags" in out.getvalue()
