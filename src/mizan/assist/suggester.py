"""Tag suggestions from the registry: examples in, suggested taggings out.

Per vocabulary, the examples are the recommendations with confirmed tags in it (every
term's label is then known) and the rejected suggestions (a known "no" for one term).
From ``MIN_EXAMPLES`` confirmed recommendations on, the vocabulary's model is learned
from them (``learning.train``); before that, each text is compared with the terms' own
wording: their labels in every language, their narrower terms' labels and, for the Global
Compact for Migration, each objective's commitment text.

Suggestions are ``Tagging`` rows with ``source=model`` waiting for a person: accepting
confirms one, rejecting deletes it and records a ``RejectedSuggestion`` that is never
proposed again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from mizan.assist.embeddings import fingerprint, vectors_for
from mizan.assist.encoder import from_bytes, get_encoder, to_bytes
from mizan.assist.enums import TagModelKind
from mizan.assist.learning import LabelledSet, LearnedModel, cross_validate, decide, train
from mizan.assist.models import RejectedSuggestion, TagModel, TermEmbedding
from mizan.audit.history import acting_user, attribute_change
from mizan.core.errors import MizanError
from mizan.recommendations.enums import TaggingSource
from mizan.recommendations.models import Recommendation, Tagging, Term, Vocabulary

logger = logging.getLogger(__name__)

#: Confirmed recommendations a vocabulary needs before its model learns from them.
MIN_EXAMPLES = 20
#: With no examples, propose terms this close to the text (cosine), at most three.
DESCRIPTION_FLOOR = 0.2
DESCRIPTION_MARGIN = 0.08
DESCRIPTION_MOST = 3
BATCH = 1000


def model_name(kind: str) -> str:
    return f"mizan-assist/{kind}"


# -- examples ----------------------------------------------------------------------------


@dataclass
class Examples:
    recommendation_ids: list[int]
    term_ids: list[int]
    labelled: LabelledSet

    def texts(self) -> list[str]:
        from mizan.assist.embeddings import texts_to_embed

        chosen = texts_to_embed(self.recommendation_ids)
        return [chosen.get(rec_id, ("", ""))[1] for rec_id in self.recommendation_ids]


def confirmed_taggings(vocabulary: Vocabulary) -> list[tuple[int, int]]:
    return list(
        Tagging.objects.filter(term__vocabulary=vocabulary, confirmed_at__isnull=False)
        .order_by("recommendation_id", "term_id")
        .values_list("recommendation_id", "term_id")
    )


def examples_for(vocabulary: Vocabulary) -> Examples:
    """The vocabulary's confirmed tags and rejected suggestions, as a labelled set."""
    confirmed = confirmed_taggings(vocabulary)
    rejected = list(
        RejectedSuggestion.objects.filter(term__vocabulary=vocabulary).values_list(
            "recommendation_id", "term_id"
        )
    )
    term_ids = sorted({term_id for _rec, term_id in confirmed})
    column = {term_id: i for i, term_id in enumerate(term_ids)}
    confirmed_recs = sorted({rec_id for rec_id, _term in confirmed})
    rejected_only = sorted(
        {rec_id for rec_id, term_id in rejected if term_id in column} - set(confirmed_recs)
    )
    ids, vectors = vectors_for(confirmed_recs + rejected_only)
    row = {rec_id: i for i, rec_id in enumerate(ids)}
    labels = np.zeros((len(ids), len(term_ids)), dtype=np.uint8)
    known = np.zeros_like(labels)
    confirmed_set = set(confirmed_recs)
    for rec_id in ids:
        if rec_id in confirmed_set:
            known[row[rec_id]] = 1
    for rec_id, term_id in confirmed:
        if rec_id in row:
            labels[row[rec_id], column[term_id]] = 1
    confirmed_pairs = set(confirmed)
    for rec_id, term_id in rejected:
        # A term a person put on the recommendation after turning the suggestion down is
        # right: the confirmed tag wins over the older rejection.
        if rec_id in row and term_id in column and (rec_id, term_id) not in confirmed_pairs:
            labels[row[rec_id], column[term_id]] = 0
            known[row[rec_id], column[term_id]] = 1
    return Examples(ids, term_ids, LabelledSet(vectors, labels, known))


# -- training ----------------------------------------------------------------------------


@transaction.atomic
def train_vocabulary(vocabulary: Vocabulary) -> TagModel:
    """Train the vocabulary's model again from its confirmed tags (or prepare its terms'
    descriptions when it has too few) and store it."""
    tag_model, _created = TagModel.objects.select_for_update().get_or_create(
        vocabulary=vocabulary,
        defaults={"kind": TagModelKind.DESCRIPTIONS, "encoder": get_encoder().name},
    )
    tag_model.is_stale = False
    tag_model.save(update_fields=["is_stale"])
    examples = examples_for(vocabulary)
    confirmed = int(examples.labelled.confirmed.sum())
    encoder = get_encoder()
    if confirmed >= MIN_EXAMPLES and len(examples.term_ids) >= 2:
        learned = train(examples.labelled)
        tag_model.kind = TagModelKind.LEARNED
        tag_model.parameters = learned.to_bytes() + _term_ids_footer(examples.term_ids)
        tag_model.metrics = {
            "threshold": round(learned.threshold, 3),
            "penalty": learned.penalty,
            "neighbour_weight": learned.blend,
            "terms": len(examples.term_ids),
        }
    else:
        refresh_term_embeddings(vocabulary)
        tag_model.kind = TagModelKind.DESCRIPTIONS
        tag_model.parameters = b""
        tag_model.metrics = {}
    tag_model.encoder = encoder.name
    tag_model.examples = confirmed
    tag_model.trained_at = timezone.now()
    tag_model.save()
    _loaded.pop(vocabulary.pk, None)
    return tag_model


# The term ids travel with the numbers, after them, as a JSON line.
_FOOTER = b"\n#terms:"


def _term_ids_footer(term_ids: Sequence[int]) -> bytes:
    return _FOOTER + json.dumps(list(term_ids)).encode()


def _split_parameters(data: bytes) -> tuple[bytes, list[int]]:
    data = bytes(data)
    at = data.rfind(_FOOTER)
    return data[:at], json.loads(data[at + len(_FOOTER) :])


def train_stale(vocabulary_codes: list[str] | None = None) -> int:
    """Train the stale models (or the named vocabularies'); returns how many."""
    if vocabulary_codes:
        vocabularies = list(Vocabulary.objects.filter(code__in=vocabulary_codes))
    else:
        vocabularies = list(Vocabulary.objects.filter(tag_model__is_stale=True))
    for vocabulary in vocabularies:
        train_vocabulary(vocabulary)
    return len(vocabularies)


_loaded: dict[int, tuple[object, LearnedModel, list[int]]] = {}


def learned_model(tag_model: TagModel) -> tuple[LearnedModel, list[int]]:
    cached = _loaded.get(tag_model.vocabulary_id)
    if cached is not None and cached[0] == tag_model.trained_at:
        return cached[1], cached[2]
    numbers, term_ids = _split_parameters(bytes(tag_model.parameters))
    model = LearnedModel.from_bytes(numbers)
    _loaded[tag_model.vocabulary_id] = (tag_model.trained_at, model, term_ids)
    return model, term_ids


# -- descriptions ------------------------------------------------------------------------


def _commitments() -> dict[str, str]:
    """The Global Compact's commitment text of each objective, shipped with the vocabulary."""
    try:
        data = resources.files("mizan.recommendations").joinpath(
            "vocabulary_data/gcm_objectives.json"
        )
        rows = json.loads(data.read_text())
        return {str(row["objective"]): row.get("commitment", "") for row in rows}
    except (OSError, ValueError):
        return {}


def term_descriptions(vocabulary: Vocabulary) -> dict[int, list[str]]:
    """For each term, the texts that describe it: its labels in every language, its
    narrower terms' labels, and a shipped description where there is one."""
    terms = list(vocabulary.terms.all())
    children: dict[int, list[Term]] = {}
    for term in terms:
        if term.parent_id:
            children.setdefault(term.parent_id, []).append(term)
    extra = _commitments() if vocabulary.code == "gcm" else {}
    described: dict[int, list[str]] = {}
    for term in terms:
        texts = [label for label in term.labels.values() if label]
        for child in children.get(term.pk, []):
            texts.extend(label for label in child.labels.values() if label)
        if extra.get(term.code):
            texts.append(extra[term.code])
        described[term.pk] = texts or [term.code]
    return described


def refresh_term_embeddings(vocabulary: Vocabulary) -> int:
    """Embed each term's descriptions (their mean direction) where they changed."""
    encoder = get_encoder()
    described = term_descriptions(vocabulary)
    stored = dict(
        TermEmbedding.objects.filter(term__vocabulary=vocabulary).values_list(
            "term_id", "text_hash"
        )
    )
    changed = 0
    for term_id, texts in described.items():
        text_hash = fingerprint(encoder.name, "\n".join(texts))
        if stored.get(term_id) == text_hash:
            continue
        vector = encoder.encode(texts).mean(axis=0)
        vector = vector / max(float(np.linalg.norm(vector)), 1e-9)
        TermEmbedding.objects.update_or_create(
            term_id=term_id,
            defaults={"encoder": encoder.name, "text_hash": text_hash, "vector": to_bytes(vector)},
        )
        changed += 1
    return changed


def description_scores(vocabulary: Vocabulary, vectors: np.ndarray) -> tuple[np.ndarray, list[int]]:
    refresh_term_embeddings(vocabulary)
    rows = list(
        TermEmbedding.objects.filter(term__vocabulary=vocabulary)
        .order_by("term_id")
        .values_list("term_id", "vector")
    )
    term_ids = [term_id for term_id, _vector in rows]
    if not rows:
        return np.zeros((len(vectors), 0), dtype=np.float32), []
    matrix = np.vstack([from_bytes(vector) for _term, vector in rows])
    return vectors @ matrix.T, term_ids


def decide_by_description(similarity: np.ndarray) -> np.ndarray:
    """The closest terms, if close enough: those within a margin of the best, at most three."""
    chosen = np.zeros(similarity.shape, dtype=bool)
    if similarity.shape[1] == 0:
        return chosen
    best = similarity.max(axis=1, keepdims=True)
    chosen = (similarity >= DESCRIPTION_FLOOR) & (similarity >= best - DESCRIPTION_MARGIN)
    order = np.argsort(-similarity, axis=1)
    if similarity.shape[1] > DESCRIPTION_MOST:
        np.put_along_axis(chosen, order[:, DESCRIPTION_MOST:], False, axis=1)
    return chosen


# -- suggesting --------------------------------------------------------------------------


@dataclass
class Proposal:
    recommendation_id: int
    term_id: int
    confidence: float


def _tag_model(vocabulary: Vocabulary) -> TagModel:
    tag_model = TagModel.objects.filter(vocabulary=vocabulary).first()
    if tag_model is None or tag_model.encoder != get_encoder().name:
        tag_model = train_vocabulary(vocabulary)
    return tag_model


def propose(
    vocabulary: Vocabulary, recommendation_ids: Sequence[int]
) -> tuple[list[Proposal], str]:
    """Terms to propose for some recommendations, with confidences; nothing is stored."""
    tag_model = _tag_model(vocabulary)
    ids, vectors = vectors_for(list(recommendation_ids))
    if not ids:
        return [], model_name(tag_model.kind)
    if tag_model.kind == TagModelKind.LEARNED:
        model, term_ids = learned_model(tag_model)
        confidence = model.probabilities(vectors)
        # A term deleted since the model was trained is never proposed (until the model,
        # marked stale by the deletion, is trained again without it).
        alive = set(vocabulary.terms.filter(pk__in=term_ids).values_list("pk", flat=True))
        confidence[:, [k for k, term_id in enumerate(term_ids) if term_id not in alive]] = 0.0
        chosen = model.decide(confidence)
    else:
        similarity, term_ids = description_scores(vocabulary, vectors)
        chosen = decide_by_description(similarity)
        # A similarity, not a probability: shown on the same 0–1 scale.
        confidence = np.clip(similarity, 0.0, 1.0)
    rejected = set(
        RejectedSuggestion.objects.filter(
            recommendation_id__in=ids, term__vocabulary=vocabulary
        ).values_list("recommendation_id", "term_id")
    )
    proposals = []
    rows, columns = np.nonzero(chosen)
    for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
        pair = (ids[row], term_ids[column])
        if pair in rejected:
            continue
        proposals.append(Proposal(pair[0], pair[1], round(float(confidence[row, column]), 4)))
    return proposals, model_name(tag_model.kind)


def untagged_in(vocabulary: Vocabulary) -> list[int]:
    """Recommendations with no confirmed tag in the vocabulary."""
    confirmed = Tagging.objects.filter(
        recommendation=OuterRef("pk"), term__vocabulary=vocabulary, confirmed_at__isnull=False
    )
    untagged = Recommendation.objects.filter(~Exists(confirmed)).order_by("pk")
    return list(untagged.values_list("pk", flat=True))


@dataclass
class SuggestRun:
    vocabulary: str
    recommendations: int
    added: int
    withdrawn: int
    kind: str

    def summary(self) -> str:
        return _(
            "%(vocabulary)s: %(added)d suggestions added and %(withdrawn)d withdrawn for "
            "%(recommendations)d recommendations without confirmed tags (%(kind)s)."
        ) % {
            "vocabulary": self.vocabulary,
            "added": self.added,
            "withdrawn": self.withdrawn,
            "recommendations": self.recommendations,
            "kind": TagModelKind(self.kind).label,
        }


def suggest(
    vocabulary: Vocabulary,
    recommendation_ids: Iterable[int] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    by: object = None,
) -> SuggestRun:
    """Propose terms for every recommendation without confirmed tags in the vocabulary (or
    for the given ones), replacing its earlier pending suggestions in that vocabulary.
    Rejected terms are never proposed again. Each batch is one transaction; new
    suggestions are written with their history rows."""
    ids = untagged_in(vocabulary) if recommendation_ids is None else list(recommendation_ids)
    tag_model = _tag_model(vocabulary)
    added = withdrawn = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        proposals, name = propose(vocabulary, batch)
        with transaction.atomic():
            pending = {
                (t.recommendation_id, t.term_id): t
                # Locked: a suggestion accepted meanwhile must not be withdrawn below.
                for t in Tagging.objects.select_for_update(of=("self",)).filter(
                    recommendation_id__in=batch,
                    term__vocabulary=vocabulary,
                    source=TaggingSource.MODEL,
                    confirmed_at__isnull=True,
                )
            }
            wanted = {(p.recommendation_id, p.term_id): p for p in proposals}
            for pair, tagging in pending.items():
                if pair not in wanted:
                    attribute_change(tagging, user=by, reason="suggestion withdrawn")
                    tagging.delete()
                    withdrawn += 1
            confirmed = set(
                Tagging.objects.filter(
                    recommendation_id__in=batch, term__vocabulary=vocabulary
                ).values_list("recommendation_id", "term_id")
            )
            new = [
                Tagging(
                    recommendation_id=p.recommendation_id,
                    term_id=p.term_id,
                    source=TaggingSource.MODEL,
                    model_name=name,
                    confidence=p.confidence,
                )
                for pair, p in wanted.items()
                if pair not in confirmed
            ]
            if new:
                bulk_create_with_history(
                    new,
                    Tagging,
                    batch_size=500,
                    default_user=acting_user(by),
                    default_change_reason="suggested",
                )
            added += len(new)
        if progress is not None:
            progress(len(batch))
    return SuggestRun(vocabulary.code, len(ids), added, withdrawn, tag_model.kind)


def suggest_for(recommendation_ids: Sequence[int]) -> int:
    """Propose terms for some recommendations (new or changed texts) in every vocabulary
    where they have no confirmed tag; returns how many suggestions were added."""
    if not recommendation_ids:
        return 0
    wanted = set(recommendation_ids)
    added = 0
    for vocabulary in Vocabulary.objects.all():
        confirmed = set(
            Tagging.objects.filter(
                recommendation_id__in=wanted,
                term__vocabulary=vocabulary,
                confirmed_at__isnull=False,
            ).values_list("recommendation_id", flat=True)
        )
        todo = sorted(wanted - confirmed)
        if todo and vocabulary.terms.exists():
            added += suggest(vocabulary, todo).added
    return added


# -- evaluating --------------------------------------------------------------------------


def evaluate(
    vocabulary: Vocabulary,
    *,
    number_of_folds: int = 5,
    with_baseline: bool = True,
    progress: Callable[[int], None] | None = None,
) -> dict[str, object]:
    """Cross-validate the vocabulary's model on its confirmed tags, beside the baseline on
    the same folds; the figures are kept on the tag model and returned."""
    if number_of_folds < 2:
        raise MizanError(_("Cross-validation needs at least 2 folds."), field="folds")
    examples = examples_for(vocabulary)
    confirmed = int(examples.labelled.confirmed.sum())
    if confirmed < max(number_of_folds * 2, MIN_EXAMPLES):
        raise MizanError(
            _(
                "%(vocabulary)s has %(count)d recommendations with confirmed tags; "
                "cross-validation needs at least %(needed)d."
            )
            % {
                "vocabulary": vocabulary.code,
                "count": confirmed,
                "needed": max(number_of_folds * 2, MIN_EXAMPLES),
            }
        )
    evaluation = cross_validate(
        examples.labelled,
        examples.texts() if with_baseline else None,
        number_of_folds=number_of_folds,
        with_baseline=with_baseline,
        progress=progress,
    )
    figures: dict[str, object] = {
        "examples": evaluation.examples,
        "terms": evaluation.terms,
        "folds": evaluation.folds,
        **evaluation.ours.as_dict(),
    }
    if evaluation.baseline is not None:
        figures["baseline"] = evaluation.baseline.as_dict()
    figures["evaluated_at"] = timezone.now().isoformat(timespec="seconds")
    tag_model = _tag_model(vocabulary)
    tag_model.metrics = {**tag_model.metrics, **figures}
    tag_model.save(update_fields=["metrics"])
    return figures


__all__ = ["decide", "evaluate", "propose", "suggest", "train_stale", "train_vocabulary"]
