"""Security and correctness review of the assistant: each test names what went wrong."""

from __future__ import annotations

import numpy as np
import pytest

from mizan.assist import clusters, services, suggester
from mizan.assist.enums import ClusterStatus, TagModelKind
from mizan.assist.learning import LabelledSet, train
from mizan.assist.models import ClusterMember, DuplicateCluster, RejectedSuggestion, TagModel
from mizan.core.errors import MizanError
from mizan.recommendations.enums import TaggingSource
from mizan.recommendations.models import Recommendation, RecommendationText, Tagging
from mizan.recommendations.services import tag_recommendation
from tests.assist import corpus
from tests.factories import (
    RecommendationFactory,
    TaggingFactory,
    TermFactory,
    VocabularyFactory,
)

pytestmark = pytest.mark.django_db


def suggestion(term, text="Make sure detainees can see a doctor of their choice."):
    return tag_recommendation(
        recommendation=RecommendationFactory(text=text),
        term=term,
        source=TaggingSource.MODEL,
        model_name="mizan-assist/learned",
        confidence=0.8,
    )


# --- Accepting and rejecting: two coordinators on the same suggestion ------------------------


def test_a_suggestion_accepted_by_someone_else_is_not_deleted_by_a_late_rejection(
    coordinator, admin_user
):
    term = TermFactory()
    tagging = suggestion(term)
    seen_by_the_second = Tagging.objects.get(pk=tagging.pk)  # the page the other one has open

    services.accept_suggestion(tagging=tagging, by=coordinator)
    with pytest.raises(MizanError):
        services.reject_suggestion(tagging=seen_by_the_second, by=admin_user)

    assert Tagging.objects.get(pk=tagging.pk).confirmed_by == coordinator
    assert not RejectedSuggestion.objects.exists()


def test_a_suggestion_rejected_by_someone_else_is_not_confirmed_by_a_late_acceptance(
    coordinator, admin_user
):
    term = TermFactory()
    tagging = suggestion(term)
    seen_by_the_second = Tagging.objects.get(pk=tagging.pk)

    services.reject_suggestion(tagging=tagging, by=coordinator)
    with pytest.raises(MizanError):
        services.accept_suggestion(tagging=seen_by_the_second, by=admin_user)

    assert not Tagging.objects.filter(pk=tagging.pk).exists()
    assert RejectedSuggestion.objects.get().rejected_by == coordinator


def test_a_suggestion_rejected_twice_is_recorded_once(coordinator, admin_user):
    term = TermFactory()
    tagging = suggestion(term)
    pk = tagging.pk
    seen_by_the_second = Tagging.objects.get(pk=pk)

    services.reject_suggestion(tagging=tagging, by=coordinator)
    with pytest.raises(MizanError):
        services.reject_suggestion(tagging=seen_by_the_second, by=admin_user)

    deletions = Tagging.history.filter(id=pk, history_type="-")
    assert [entry.history_user for entry in deletions] == [coordinator]


# --- Suggesting: the vocabulary changed since its model was trained --------------------------


def test_a_term_deleted_after_training_is_never_suggested(themes):
    vocabulary, terms = themes
    suggester.train_vocabulary(vocabulary)
    assert TagModel.objects.get(vocabulary=vocabulary).kind == TagModelKind.LEARNED
    terms["education"].delete()
    recommendation = RecommendationFactory(text=corpus.NEW_EDUCATION)

    suggester.suggest(vocabulary, [recommendation.pk])

    suggested = Tagging.objects.filter(recommendation=recommendation, term__vocabulary=vocabulary)
    assert "education" not in {t.term.code for t in suggested}


def test_a_vocabulary_whose_confirmed_tags_use_one_term_compares_wordings(themes):
    vocabulary = VocabularyFactory(code="single")
    only = TermFactory(vocabulary=vocabulary, code="detention", labels={"en": "Detention"})
    TermFactory(vocabulary=vocabulary, code="schools", labels={"en": "Schools and education"})
    for text in corpus.DETENTION * 3:
        TaggingFactory(recommendation=RecommendationFactory(text=text), term=only)
    recommendation = RecommendationFactory(text=corpus.NEW_EDUCATION)

    run = suggester.suggest(vocabulary, [recommendation.pk])

    assert run.kind == TagModelKind.DESCRIPTIONS
    codes = set(
        Tagging.objects.filter(recommendation=recommendation).values_list("term__code", flat=True)
    )
    assert "schools" in codes


def test_a_model_learned_from_examples_carrying_every_term_still_scores_in_range():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(30, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    every = np.ones((30, 3), dtype=np.uint8)

    model = train(LabelledSet(vectors, every, np.ones_like(every)))
    probabilities = model.probabilities(vectors[:5])

    assert np.isfinite(probabilities).all()
    assert ((probabilities >= 0) & (probabilities <= 1)).all()


def test_a_recommendation_with_no_text_gets_no_suggestion_and_no_error(themes):
    vocabulary, _terms = themes
    silent = RecommendationFactory(text="x")
    RecommendationText.objects.filter(recommendation=silent).delete()
    empty = RecommendationFactory(text="x")
    RecommendationText.objects.filter(recommendation=empty).update(text="")

    run = suggester.suggest(vocabulary, [silent.pk, empty.pk])

    assert run.recommendations == 2
    assert not Tagging.objects.filter(recommendation=silent).exists()


def test_a_term_confirmed_after_its_suggestion_was_rejected_is_learned_as_right(
    themes, coordinator
):
    vocabulary, terms = themes
    recommendation = RecommendationFactory(text=corpus.NEW_MIGRATION)
    rejected = tag_recommendation(
        recommendation=recommendation,
        term=terms["migration"],
        source=TaggingSource.MODEL,
        model_name="mizan-assist/learned",
        confidence=0.4,
    )
    services.reject_suggestion(tagging=rejected, by=coordinator)
    # On second thoughts, a person tags it by hand.
    tag_recommendation(recommendation=recommendation, term=terms["migration"], by=coordinator)

    examples = suggester.examples_for(vocabulary)

    row = examples.recommendation_ids.index(recommendation.pk)
    column = examples.term_ids.index(terms["migration"].pk)
    assert examples.labelled.labels[row, column] == 1


def test_suggestions_written_in_bulk_for_someone_say_who(themes, coordinator):
    vocabulary, _terms = themes
    recommendation = RecommendationFactory(text=corpus.NEW_DETENTION)

    suggester.suggest(vocabulary, [recommendation.pk], by=coordinator)

    written = Tagging.objects.filter(recommendation=recommendation, confirmed_at__isnull=True)
    assert written.exists()
    assert {t.history.get().history_user for t in written} == {coordinator}


# --- Clusters: two coordinators deciding the same cluster ------------------------------------


def make_cluster(*recommendations, status=ClusterStatus.PROPOSED):
    cluster = DuplicateCluster.objects.create(status=status, similarity=0.8)
    for recommendation in recommendations:
        ClusterMember.objects.create(cluster=cluster, recommendation=recommendation)
    return cluster


def test_a_cluster_dismissed_meanwhile_cannot_be_confirmed_from_an_old_page(
    coordinator, admin_user
):
    members = RecommendationFactory.create_batch(3)
    cluster = make_cluster(*members)
    seen_by_the_second = DuplicateCluster.objects.get(pk=cluster.pk)

    clusters.dismiss_cluster(cluster=cluster, by=coordinator)
    with pytest.raises(MizanError):
        clusters.confirm_cluster(cluster=seen_by_the_second, by=admin_user)

    assert DuplicateCluster.objects.get(pk=cluster.pk).status == ClusterStatus.DISMISSED


def test_a_cluster_gone_meanwhile_is_refused_not_a_crash(coordinator, admin_user):
    first, second = RecommendationFactory.create_batch(2)
    cluster = make_cluster(first, second)
    seen_by_the_second = DuplicateCluster.objects.get(pk=cluster.pk)

    assert clusters.split_member(cluster=cluster, recommendation=first, by=coordinator) is None
    with pytest.raises(MizanError):
        clusters.confirm_cluster(cluster=seen_by_the_second, by=admin_user)


def test_a_carrier_from_another_cluster_is_refused(coordinator):
    mine = make_cluster(*RecommendationFactory.create_batch(2))
    stranger = RecommendationFactory()
    make_cluster(stranger, RecommendationFactory())

    with pytest.raises(MizanError):
        clusters.confirm_cluster(cluster=mine, by=coordinator, carrier=stranger)
    with pytest.raises(MizanError):
        clusters.choose_carrier(cluster=mine, recommendation=stranger, by=coordinator)
    with pytest.raises(MizanError):
        clusters.split_member(cluster=mine, recommendation=stranger, by=coordinator)
    assert Recommendation.objects.get(pk=stranger.pk).cluster_membership.cluster != mine
