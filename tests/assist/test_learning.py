"""The numbers behind suggestions, on small made-up vectors (no database, no encoder)."""

from __future__ import annotations

import numpy as np
import pytest

from mizan.assist import learning


def clustered(per_term: int = 20, terms: int = 3, seed: int = 0) -> learning.LabelledSet:
    """Unit vectors around one centre per term; each example carries its centre's term."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(terms, 32))
    vectors, labels = [], []
    for term in range(terms):
        for _ in range(per_term):
            vectors.append(centres[term] + rng.normal(scale=0.6, size=32))
            row = np.zeros(terms, dtype=np.uint8)
            row[term] = 1
            labels.append(row)
    matrix = np.asarray(vectors, dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    label_matrix = np.asarray(labels)
    return learning.LabelledSet(matrix, label_matrix, np.ones_like(label_matrix))


def test_decide_takes_terms_over_the_threshold_and_at_most_five():
    probabilities = np.array([[0.9, 0.8, 0.1], [0.3, 0.2, 0.1], [0.1, 0.05, 0.0]])
    chosen = learning.decide(probabilities, 0.5)
    assert chosen[0].tolist() == [True, True, False]
    # None over the threshold: the best one, since it reaches half of it.
    assert chosen[1].tolist() == [True, False, False]
    # Not even half: nothing is proposed.
    assert not chosen[2].any()
    wide = np.full((1, 8), 0.9)
    assert learning.decide(wide, 0.5).sum() == learning.MOST_TERMS


def test_scores_count_right_wrong_and_missed_terms():
    truth = np.array([[1, 0, 0], [0, 1, 1]])
    chosen = np.array([[1, 1, 0], [0, 1, 0]])
    ranking = np.array([[0.9, 0.8, 0.1], [0.1, 0.9, 0.8]])
    scores = learning.scores_of(truth, chosen, ranking)
    # 2 right, 1 wrong, 1 missed: 2·2 / (2·2 + 1 + 1)
    assert scores.micro_f1 == pytest.approx(4 / 6)
    # Per term: 1.0, 2/3, 0.0
    assert scores.macro_f1 == pytest.approx((1 + 2 / 3 + 0) / 3)
    # Top three hold 1 and 2 right terms: (1/3 + 2/3) / 2
    assert scores.precision_at_3 == pytest.approx(0.5)


def test_a_trained_model_finds_the_term_of_new_examples_and_is_calibrated():
    examples = clustered()
    test = clustered(per_term=10, seed=1)
    # Same centres (seed 0 draws them first); the test points are fresh draws around them.
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 32))
    fresh = centres + np.random.default_rng(9).normal(scale=0.6, size=(3, 32))
    fresh /= np.linalg.norm(fresh, axis=1, keepdims=True)
    model = learning.train(examples)
    probabilities = model.probabilities(fresh.astype(np.float32))
    assert probabilities.argmax(axis=1).tolist() == [0, 1, 2]
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    # Calibration is a non-decreasing map.
    assert (np.diff(model.calibration_y) >= 0).all()
    assert test.vectors.shape == (30, 32)


def test_a_model_survives_storage_unchanged():
    model = learning.train(clustered())
    again = learning.LearnedModel.from_bytes(model.to_bytes())
    vectors = clustered(per_term=4, seed=3).vectors
    assert np.allclose(model.probabilities(vectors), again.probabilities(vectors), atol=1e-5)
    assert again.threshold == model.threshold


def test_a_rejection_pulls_the_neighbours_vote_down():
    vectors = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = np.array([[1, 0], [0, 0], [0, 1]], dtype=np.uint8)
    known_without = np.array([[1, 1], [0, 0], [1, 1]], dtype=np.uint8)
    known_with = np.array([[1, 1], [1, 0], [1, 1]], dtype=np.uint8)  # row 1 rejected term 0
    query = np.array([[0.995, 0.07]], dtype=np.float32)
    before = learning.neighbour_vote(learning.LabelledSet(vectors, labels, known_without), query)
    after = learning.neighbour_vote(learning.LabelledSet(vectors, labels, known_with), query)
    assert before[0, 0] > 0.9
    assert after[0, 0] < 0.6


def test_cross_validation_beats_chance_and_reports_the_baseline():
    examples = clustered(per_term=12)
    words = ["prison custody detainee", "school pupil teacher", "border asylum migrant"]
    texts = [words[int(row.argmax())] + f" case {i}" for i, row in enumerate(examples.labels)]
    evaluation = learning.cross_validate(examples, texts, number_of_folds=3)
    assert evaluation.examples == 36
    assert evaluation.ours.micro_f1 > 0.8
    assert evaluation.baseline is not None
    # The baseline sees the telling words: it does well too, and is measured on the same folds.
    assert evaluation.baseline.micro_f1 > 0.8
