"""Finding near-duplicates: across languages, never the pairs split apart, never touching
the clusters already decided."""

from __future__ import annotations

import numpy as np
import pytest

from mizan.assist.clusters import confirm_cluster, split_member
from mizan.assist.duplicates import (
    DEFAULT_THRESHOLD,
    cite_different_instruments,
    cluster_vectors,
    find_clusters,
    references,
)
from mizan.assist.encoder import get_encoder
from mizan.assist.enums import ClusterStatus
from mizan.assist.models import ClusterMember, DuplicateCluster
from tests.factories import RecommendationFactory, SourceDocumentFactory

NHRI_EN = "Establish a national human rights institution in line with the Paris Principles."
NHRI_FR = "Créer une institution nationale des droits de l'homme conforme aux Principes de Paris."
NHRI_AR = "إنشاء مؤسسة وطنية لحقوق الإنسان وفقاً لمبادئ باريس."
NHRI_AGAIN = (
    "Set up an independent national human rights institution in accordance with the Paris "
    "Principles."
)
BORDER = "Train border officials on the rights of migrant workers and their families."
SCHOOL = "Guarantee free primary education for the children of rural families."
WATER = "Extend safe drinking water to every village in the mountain provinces."


def encode(texts: list[str]) -> np.ndarray:
    return get_encoder().encode(texts)


def test_a_translation_joins_its_english_twin_and_unrelated_texts_stay_apart():
    texts = [NHRI_EN, BORDER, NHRI_FR, SCHOOL, NHRI_AR, WATER]
    clusters, _pairs = cluster_vectors(range(1, 7), encode(texts), texts=texts)
    assert [c.ids for c in clusters] == [(1, 3, 5)]


def test_each_member_carries_its_similarity_and_the_cluster_its_lowest():
    texts = [NHRI_EN, NHRI_FR]
    [cluster], pairs = cluster_vectors([10, 20], encode(texts), texts=texts)
    assert pairs == 1
    assert DEFAULT_THRESHOLD <= cluster.lowest <= 1.0
    assert cluster.similarities == pytest.approx((cluster.lowest, cluster.lowest))


def test_a_forbidden_pair_is_never_put_together():
    texts = [NHRI_EN, NHRI_FR]
    clusters, pairs = cluster_vectors([1, 2], encode(texts), texts=texts, forbidden=[(2, 1)])
    assert clusters == []
    assert pairs == 0


def test_average_link_does_not_chain_a_to_c_through_b():
    # a·b and b·c are above the threshold, a·c far below: connected components would
    # make one cluster of three; average-link keeps only the closest pair.
    a = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    c = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    b2 = (2 * a + c) / np.linalg.norm(2 * a + c)  # 0.89 to a, 0.45 to c
    vectors = np.vstack([a, b2, c]).astype(np.float32)
    single, _ = cluster_vectors([1, 2, 3], vectors, threshold=0.4, method="single")
    average, _ = cluster_vectors([1, 2, 3], vectors, threshold=0.4)
    assert [c.ids for c in single] == [(1, 2, 3)]
    assert [c.ids for c in average] == [(1, 2)]


def test_texts_citing_different_instruments_are_not_duplicates():
    assert cite_different_instruments(
        references("Ratify the ICCPR"), references("Ratify ICCPR-OP2")
    )
    assert not cite_different_instruments(
        references("Ratify the ICCPR"), references("Ratify the ICCPR and the CPED")
    )
    assert references("Ratify ILO Convention No. 29") == {"ILO", "29"}
    assert references("Sign the third OP-CRC -IC") == {"OP-CRC-IC"}


def test_the_lexical_check_only_applies_within_one_language():
    texts = ["Ratify the ICCPR.", "Ratifier le PIDCP."]
    vectors = np.vstack([encode(texts[:1])[0], encode(texts[:1])[0]])
    kept, _ = cluster_vectors([1, 2], vectors, texts=texts, languages=["en", "fr"])
    dropped, _ = cluster_vectors([1, 2], vectors, texts=texts, languages=["en", "en"])
    assert [c.ids for c in kept] == [(1, 2)]
    assert dropped == []


def test_many_recommendations_are_compared_block_by_block():
    rng = np.random.default_rng(1)
    base = rng.normal(size=(500, 64)).astype(np.float32)
    vectors = base[rng.integers(0, 500, 4000)] + rng.normal(scale=0.05, size=(4000, 64)).astype(
        np.float32
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    seen: list[int] = []
    clusters, _ = cluster_vectors(range(4000), vectors, progress=seen.append)
    assert len(seen) > 1  # several blocks
    assert sum(seen) == 4000
    assert sum(len(c.ids) for c in clusters) > 3000


# --- With the database -------------------------------------------------------------------


@pytest.fixture
def registry(db):
    first = SourceDocumentFactory(symbol="A/HRC/99/1", cycle="3")
    second = SourceDocumentFactory(symbol="A/HRC/120/1", cycle="4")
    return {
        "en": RecommendationFactory(document=first, text=NHRI_EN),
        "fr": RecommendationFactory(document=second, text=NHRI_FR, text__language="fr"),
        "border": RecommendationFactory(document=first, text=BORDER),
        "school": RecommendationFactory(document=second, text=SCHOOL),
    }


def members_of(cluster: DuplicateCluster) -> set[int]:
    return set(cluster.members.values_list("recommendation_id", flat=True))


def test_find_clusters_proposes_the_twins_across_documents_and_languages(registry):
    run = find_clusters()
    cluster = DuplicateCluster.objects.get()
    assert cluster.status == ClusterStatus.PROPOSED
    assert members_of(cluster) == {registry["en"].pk, registry["fr"].pk}
    assert (run.pairs_found, run.clusters_created, run.clusters_grown) == (1, 1, 0)
    assert "1 pair found" in run.summary()


def test_a_second_run_changes_nothing(registry):
    find_clusters()
    run = find_clusters()
    assert (run.clusters_created, run.clusters_grown) == (0, 0)
    assert ClusterMember.objects.count() == 2


def test_a_new_twin_joins_the_proposed_cluster(registry):
    find_clusters()
    arabic = RecommendationFactory(text=NHRI_AR, text__language="ar")
    run = find_clusters()
    assert run.clusters_grown == 1
    assert arabic.pk in members_of(DuplicateCluster.objects.get())


def test_a_member_split_out_is_not_proposed_again(registry, coordinator):
    find_clusters()
    split_member(
        cluster=DuplicateCluster.objects.get(), recommendation=registry["fr"], by=coordinator
    )
    run = find_clusters()
    assert run.pairs_found == 0
    assert not DuplicateCluster.objects.exists()


def test_a_decided_cluster_is_left_as_it_is(registry, coordinator):
    find_clusters()
    confirm_cluster(cluster=DuplicateCluster.objects.get(), by=coordinator)
    RecommendationFactory(text=NHRI_AGAIN)
    run = find_clusters()
    confirmed = DuplicateCluster.objects.get(status=ClusterStatus.CONFIRMED)
    assert members_of(confirmed) == {registry["en"].pk, registry["fr"].pk}
    assert run.clusters_created == 0
    assert DuplicateCluster.objects.count() == 1


def test_the_clusters_found_are_in_the_history(registry):
    find_clusters()
    cluster = DuplicateCluster.objects.get()
    assert cluster.history.get().history_change_reason == "found by the assistant"
    assert ClusterMember.history.count() == 2
