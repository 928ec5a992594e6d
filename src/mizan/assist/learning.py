"""The numbers behind tag suggestions, with no database: fitting, scoring, calibrating,
deciding and measuring. ``suggester`` feeds it the registry's embeddings and tags.

A learned model blends two scorers on the sentence embeddings:

- a ridge regression of every term's 0/1 label on the vector (one closed-form solve for
  all the terms at once, so training on thousands of examples takes a second);
- the labels of the nearest confirmed neighbours, weighted by similarity, where a neighbour
  counts for a term only if its label for that term is known: a rejected suggestion is a
  known 0, so it pulls the score of that term down for texts like it.

The ridge penalty and the blend are chosen by an inner 3-fold cross-validation on the
vocabulary's own examples. The blended scores of that cross-validation, pooled over terms,
fit an isotonic regression that turns a score into the probability that the term is right
(the confidence shown to users), and the probability threshold that gave the best micro-F1
there decides how many terms to propose.

The baseline (TF-IDF words and bigrams, one-vs-rest logistic regression) is here too, so
that ``mizan assist evaluate`` judges every change against it on the same folds.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

PENALTIES = (0.1, 0.3, 1.0, 3.0)
BLENDS = (0.0, 0.35, 0.7)  # weight of the neighbours' vote
NEIGHBOURS = 15
SHARPNESS = 8.0  # neighbour weight exp(SHARPNESS · cosine)
MOST_TERMS = 5
INNER_FOLDS = 3
CEILING = 0.97


@dataclass
class LabelledSet:
    """Examples for one vocabulary: vectors, a 0/1 matrix of terms, and which entries are
    known (every entry of a recommendation with confirmed tags; only the rejected term's
    entry of a recommendation known only from a rejection)."""

    vectors: np.ndarray  # (n, d) float32
    labels: np.ndarray  # (n, terms) uint8
    known: np.ndarray  # (n, terms) uint8

    @property
    def confirmed(self) -> np.ndarray:
        """Rows with every label known: the examples the linear model learns from."""
        return np.asarray(self.known.all(axis=1))

    def subset(self, rows: np.ndarray) -> LabelledSet:
        return LabelledSet(self.vectors[rows], self.labels[rows], self.known[rows])


@dataclass
class LearnedModel:
    mean: np.ndarray
    weights: np.ndarray  # (d, terms)
    label_mean: np.ndarray
    blend: float
    penalty: float
    neighbours: LabelledSet
    calibration_x: np.ndarray = field(default_factory=lambda: np.array([0.0, 1.0]))
    calibration_y: np.ndarray = field(default_factory=lambda: np.array([0.0, 1.0]))
    threshold: float = 0.5

    # -- scoring -----------------------------------------------------------------------
    def raw_scores(self, vectors: np.ndarray) -> np.ndarray:
        linear = (vectors - self.mean) @ self.weights + self.label_mean
        if self.blend == 0.0:
            return np.asarray(linear)
        vote = neighbour_vote(self.neighbours, vectors)
        return np.asarray((1 - self.blend) * linear + self.blend * vote)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        raw = self.raw_scores(vectors)
        # Learned from a few dozen examples, an isotonic map reaches 0 and 1: no
        # suggestion is shown as certain.
        return np.clip(np.interp(raw, self.calibration_x, self.calibration_y), 0.01, CEILING)

    def decide(self, probabilities: np.ndarray) -> np.ndarray:
        return decide(probabilities, self.threshold)

    # -- storage (numbers only, never a pickle) ------------------------------------------
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            mean=self.mean,
            weights=self.weights.astype(np.float32),
            label_mean=self.label_mean,
            scalars=np.array([self.blend, self.penalty, self.threshold]),
            calibration_x=self.calibration_x,
            calibration_y=self.calibration_y,
            neighbour_vectors=self.neighbours.vectors,
            neighbour_labels=self.neighbours.labels,
            neighbour_known=self.neighbours.known,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LearnedModel:
        arrays = np.load(io.BytesIO(bytes(data)), allow_pickle=False)
        blend, penalty, threshold = (float(v) for v in arrays["scalars"])
        return cls(
            mean=arrays["mean"],
            weights=arrays["weights"],
            label_mean=arrays["label_mean"],
            blend=blend,
            penalty=penalty,
            threshold=threshold,
            calibration_x=arrays["calibration_x"],
            calibration_y=arrays["calibration_y"],
            neighbours=LabelledSet(
                arrays["neighbour_vectors"], arrays["neighbour_labels"], arrays["neighbour_known"]
            ),
        )


def ridge(vectors: np.ndarray, labels: np.ndarray, penalty: float) -> tuple[np.ndarray, ...]:
    mean = vectors.mean(axis=0)
    label_mean = labels.mean(axis=0)
    centred = vectors - mean
    gram = centred.T @ centred + penalty * np.eye(vectors.shape[1], dtype=np.float64)
    weights = np.linalg.solve(gram, centred.T @ (labels - label_mean))
    return mean, weights.astype(np.float32), label_mean


def neighbour_vote(examples: LabelledSet, vectors: np.ndarray, batch: int = 512) -> np.ndarray:
    """Per term, the similarity-weighted share of the nearest examples carrying it, among
    those whose label for it is known."""
    count = len(examples.vectors)
    out = np.zeros((len(vectors), examples.labels.shape[1]), dtype=np.float32)
    if count == 0:
        return out
    k = min(NEIGHBOURS, count)
    positive = (examples.labels & examples.known).astype(np.float32)
    known = examples.known.astype(np.float32)
    for start in range(0, len(vectors), batch):
        similarity = vectors[start : start + batch] @ examples.vectors.T
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        weight = np.exp(SHARPNESS * np.take_along_axis(similarity, nearest, axis=1))
        numerator = np.einsum("nk,nkl->nl", weight, positive[nearest])
        denominator = np.einsum("nk,nkl->nl", weight, known[nearest])
        out[start : start + batch] = numerator / np.maximum(denominator, 1e-9)
    return out


def decide(probabilities: np.ndarray, threshold: float) -> np.ndarray:
    """Terms at or above the threshold (at most ``MOST_TERMS``); when none is, the most
    likely one if it reaches half the threshold."""
    chosen = probabilities >= threshold
    order = np.argsort(-probabilities, axis=1)
    if probabilities.shape[1] > MOST_TERMS:
        beyond = order[:, MOST_TERMS:]
        np.put_along_axis(chosen, beyond, False, axis=1)
    rows = np.arange(len(probabilities))
    best = order[:, 0] if probabilities.shape[1] else np.zeros(0, dtype=int)
    empty = ~chosen.any(axis=1)
    fallback = empty & (probabilities[rows, best] >= threshold / 2)
    chosen[rows[fallback], best[fallback]] = True
    return chosen


def folds(count: int, number: int, seed: int = 0) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(count)
    return [order[i::number] for i in range(number)]


def _fit(examples: LabelledSet, penalty: float, blend: float) -> LearnedModel:
    rows = examples.confirmed
    mean, weights, label_mean = ridge(
        examples.vectors[rows].astype(np.float64),
        examples.labels[rows].astype(np.float64),
        penalty,
    )
    return LearnedModel(
        mean=mean.astype(np.float32),
        weights=weights,
        label_mean=label_mean.astype(np.float32),
        blend=blend,
        penalty=penalty,
        neighbours=examples,
    )


def train(examples: LabelledSet, *, seed: int = 0) -> LearnedModel:
    """Fit a model on the vocabulary's examples, choosing its penalty, blend, calibration
    and threshold by inner cross-validation on them."""
    confirmed_rows = np.flatnonzero(examples.confirmed)
    inner = folds(len(confirmed_rows), INNER_FOLDS, seed) if len(confirmed_rows) >= 6 else []
    # Out-of-fold scores for every (penalty, blend): rows are confirmed examples only, since
    # only they have every label known.
    scores: dict[tuple[float, float], np.ndarray] = {}
    truth = examples.labels[confirmed_rows]
    for held in inner:
        held_rows = confirmed_rows[held]
        kept_rows = np.setdiff1d(np.arange(len(examples.vectors)), held_rows)
        kept = examples.subset(kept_rows)
        vote = neighbour_vote(kept, examples.vectors[held_rows])
        fit_rows = kept.confirmed
        for penalty in PENALTIES:
            mean, weights, label_mean = ridge(
                kept.vectors[fit_rows].astype(np.float64),
                kept.labels[fit_rows].astype(np.float64),
                penalty,
            )
            linear = (examples.vectors[held_rows] - mean) @ weights + label_mean
            for blend in BLENDS:
                block = scores.setdefault((penalty, blend), np.zeros(truth.shape, dtype=np.float32))
                block[held] = (1 - blend) * linear + blend * vote
    best_key, best = (1.0, 0.35), (-1.0, 0.5, np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    for key, raw in scores.items():
        calibration_x, calibration_y = isotonic(raw.ravel(), truth.ravel())
        probabilities = np.interp(raw, calibration_x, calibration_y)
        threshold, micro = best_threshold(probabilities, truth)
        if micro > best[0]:
            best_key, best = key, (micro, threshold, calibration_x, calibration_y)
    model = _fit(examples, *best_key)
    _micro, model.threshold, model.calibration_x, model.calibration_y = best
    return model


def isotonic(scores: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Knots of a non-decreasing map from score to the share of right answers."""
    from sklearn.isotonic import IsotonicRegression

    if len(scores) == 0 or truth.min() == truth.max():
        return np.array([0.0, 1.0]), np.array([0.0, 1.0])
    regression = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    regression.fit(scores, truth)
    return (
        np.asarray(regression.X_thresholds_, dtype=np.float64),
        np.asarray(regression.y_thresholds_, dtype=np.float64),
    )


def best_threshold(probabilities: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    best = (0.5, -1.0)
    for threshold in np.linspace(0.1, 0.8, 29):
        micro = scores_of(truth, decide(probabilities, threshold), probabilities).micro_f1
        if micro > best[1]:
            best = (float(threshold), micro)
    return best


# -- measuring ---------------------------------------------------------------------------


@dataclass
class Scores:
    micro_f1: float
    macro_f1: float
    precision_at_3: float

    def as_dict(self) -> dict[str, float]:
        return {
            "micro_f1": round(self.micro_f1, 4),
            "macro_f1": round(self.macro_f1, 4),
            "precision_at_3": round(self.precision_at_3, 4),
        }


def scores_of(truth: np.ndarray, chosen: np.ndarray, ranking: np.ndarray) -> Scores:
    """Micro-F1 and macro-F1 (over terms present in the truth or the choice) of the chosen
    terms, and precision at 3 of the ranking (right terms among the top three, over 3)."""
    truth = truth.astype(bool)
    chosen = chosen.astype(bool)
    true_positive = (truth & chosen).sum()
    wrong = (chosen & ~truth).sum()
    missed = (truth & ~chosen).sum()
    micro = 2 * true_positive / max(2 * true_positive + wrong + missed, 1)
    per_term = []
    for term in range(truth.shape[1]):
        present = truth[:, term].sum() + chosen[:, term].sum()
        if present:
            per_term.append(2 * (truth[:, term] & chosen[:, term]).sum() / present)
    top = np.argsort(-ranking, axis=1)[:, :3]
    hits = np.take_along_axis(truth, top, axis=1).sum(axis=1)
    at_3 = float(hits.mean() / 3) if len(truth) else 0.0
    return Scores(float(micro), float(np.mean(per_term)) if per_term else 0.0, at_3)


def mean_scores(all_scores: Sequence[Scores]) -> Scores:
    return Scores(
        float(np.mean([s.micro_f1 for s in all_scores])),
        float(np.mean([s.macro_f1 for s in all_scores])),
        float(np.mean([s.precision_at_3 for s in all_scores])),
    )


def baseline_scores(
    train_texts: Sequence[str], train_labels: np.ndarray, test_texts: Sequence[str]
) -> tuple[np.ndarray, float]:
    """TF-IDF words and bigrams, one logistic regression per term; its threshold is chosen
    by the same inner cross-validation as ours, so the comparison is fair to it."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    def fit_score(texts: Sequence[str], labels: np.ndarray, others: Sequence[str]) -> np.ndarray:
        vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        features = vectoriser.fit_transform(texts)
        other_features = vectoriser.transform(others)
        out = np.zeros((len(others), labels.shape[1]))
        for term in range(labels.shape[1]):
            column = labels[:, term]
            if column.min() == column.max():
                out[:, term] = column[0]
                continue
            regression = LogisticRegression(C=1.0, solver="liblinear").fit(features, column)
            out[:, term] = regression.predict_proba(other_features)[:, 1]
        return out

    oof = np.zeros(train_labels.shape)
    texts = list(train_texts)
    for held in folds(len(texts), INNER_FOLDS):
        kept = np.setdiff1d(np.arange(len(texts)), held)
        oof[held] = fit_score(
            [texts[i] for i in kept], train_labels[kept], [texts[i] for i in held]
        )
    threshold, _micro = best_threshold(oof, train_labels)
    return fit_score(texts, train_labels, list(test_texts)), threshold


@dataclass
class Evaluation:
    examples: int
    terms: int
    folds: int
    ours: Scores
    baseline: Scores | None


def cross_validate(
    examples: LabelledSet,
    texts: Sequence[str] | None = None,
    *,
    number_of_folds: int = 5,
    with_baseline: bool = True,
    progress: Callable[[int], None] | None = None,
) -> Evaluation:
    """Cross-validate on the confirmed examples (rows with every label known); examples
    known only from rejections stay in every training fold. ``texts`` (of every row) feed
    the baseline."""
    confirmed_rows = np.flatnonzero(examples.confirmed)
    ours: list[Scores] = []
    theirs: list[Scores] = []
    for held in folds(len(confirmed_rows), number_of_folds):
        test_rows = confirmed_rows[held]
        train_rows = np.setdiff1d(np.arange(len(examples.vectors)), test_rows)
        model = train(examples.subset(train_rows))
        probabilities = model.probabilities(examples.vectors[test_rows])
        truth = examples.labels[test_rows]
        ours.append(scores_of(truth, model.decide(probabilities), probabilities))
        if with_baseline and texts is not None:
            fit_rows = train_rows[examples.confirmed[train_rows]]
            probabilities, threshold = baseline_scores(
                [texts[i] for i in fit_rows],
                examples.labels[fit_rows],
                [texts[i] for i in test_rows],
            )
            theirs.append(scores_of(truth, decide(probabilities, threshold), probabilities))
        if progress is not None:
            progress(1)
    return Evaluation(
        examples=len(confirmed_rows),
        terms=int((examples.labels[confirmed_rows].sum(axis=0) > 0).sum()),
        folds=number_of_folds,
        ours=mean_scores(ours),
        baseline=mean_scores(theirs) if theirs else None,
    )
