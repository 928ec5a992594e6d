"""Keeping each recommendation's embedding in step with its text, and reading them back.

A recommendation is embedded from its original text (any language: the encoder is
multilingual). The fingerprint of encoder and text tells whether a stored vector is still
good; a background job (``tasks.refresh_embeddings``) embeds the new and changed ones.
Vectors are stored as float32 bytes in the database on SQLite and PostgreSQL alike, and
compared in numpy, which at the sizes of a registry (tens of thousands) takes milliseconds.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Count, Max

from mizan.assist.encoder import Encoder, from_bytes, get_encoder, to_bytes
from mizan.assist.models import TextEmbedding
from mizan.recommendations.models import Recommendation, RecommendationText

BATCH = 128


def fingerprint(encoder_name: str, text: str) -> str:
    return hashlib.sha256(f"{encoder_name}\n{text}".encode()).hexdigest()


def texts_to_embed(recommendation_ids: Iterable[int] | None = None) -> dict[int, tuple[str, str]]:
    """``{recommendation id: (language, text)}``: the original text, else the first."""
    texts = RecommendationText.objects.order_by("recommendation_id", "-is_original", "pk")
    if recommendation_ids is not None:
        texts = texts.filter(recommendation_id__in=list(recommendation_ids))
    chosen: dict[int, tuple[str, str]] = {}
    for rec_id, language, text in texts.values_list("recommendation_id", "language", "text"):
        chosen.setdefault(rec_id, (language, text))
    return chosen


def stale_recommendations(encoder: Encoder | None = None) -> list[int]:
    """Recommendations with no vector, or one of another encoder or an older text."""
    encoder = encoder or get_encoder()
    texts = texts_to_embed()
    stored = dict(TextEmbedding.objects.values_list("recommendation_id", "text_hash"))
    return [
        rec_id
        for rec_id, (_language, text) in texts.items()
        if stored.get(rec_id) != fingerprint(encoder.name, text)
    ]


def refresh_embeddings(
    recommendation_ids: Iterable[int] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    encoder: Encoder | None = None,
) -> int:
    """Embed the given recommendations (all stale ones by default) whose stored vector is
    missing or out of date; returns how many were embedded."""
    encoder = encoder or get_encoder()
    ids = stale_recommendations(encoder) if recommendation_ids is None else list(recommendation_ids)
    texts = texts_to_embed(ids)
    stored = dict(
        TextEmbedding.objects.filter(recommendation_id__in=list(texts)).values_list(
            "recommendation_id", "text_hash"
        )
    )
    todo = [
        (rec_id, language, text, fingerprint(encoder.name, text))
        for rec_id, (language, text) in texts.items()
        if stored.get(rec_id) != fingerprint(encoder.name, text)
    ]
    done = 0
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        vectors = encoder.encode([text for _id, _language, text, _hash in batch])
        with transaction.atomic():
            TextEmbedding.objects.filter(
                recommendation_id__in=[rec_id for rec_id, *_rest in batch]
            ).delete()
            TextEmbedding.objects.bulk_create(
                TextEmbedding(
                    recommendation_id=rec_id,
                    encoder=encoder.name,
                    language=language,
                    text_hash=text_hash,
                    vector=to_bytes(vector),
                )
                for (rec_id, language, _text, text_hash), vector in zip(batch, vectors, strict=True)
            )
        done += len(batch)
        if progress is not None:
            progress(len(batch))
    return done


@dataclass(frozen=True)
class EmbeddingMatrix:
    ids: np.ndarray  # recommendation ids, int64
    vectors: np.ndarray  # (n, dimensions) float32, unit rows

    def rows_of(self, recommendation_ids: Iterable[int]) -> np.ndarray:
        position = {int(rec_id): i for i, rec_id in enumerate(self.ids)}
        return np.array(
            [position[rec_id] for rec_id in recommendation_ids if rec_id in position],
            dtype=np.int64,
        )


_cache: dict[str, tuple[tuple[object, ...], EmbeddingMatrix]] = {}
_cache_lock = threading.Lock()


def embedding_matrix(encoder: Encoder | None = None) -> EmbeddingMatrix:
    """Every stored vector of the current encoder, cached in the process until one changes."""
    encoder = encoder or get_encoder()
    rows = TextEmbedding.objects.filter(encoder=encoder.name)
    stamp = tuple(rows.aggregate(n=Count("pk"), last=Max("computed_at"), top=Max("pk")).values())
    with _cache_lock:
        cached = _cache.get(encoder.name)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    ids: list[int] = []
    vectors: list[np.ndarray] = []
    for rec_id, vector in rows.order_by("recommendation_id").values_list(
        "recommendation_id", "vector"
    ):
        ids.append(rec_id)
        vectors.append(from_bytes(vector))
    matrix = EmbeddingMatrix(
        ids=np.array(ids, dtype=np.int64),
        vectors=(
            np.vstack(vectors) if vectors else np.zeros((0, encoder.dimensions), dtype=np.float32)
        ),
    )
    with _cache_lock:
        _cache[encoder.name] = (stamp, matrix)
    return matrix


def vectors_for(
    recommendations: Iterable[Recommendation | int], *, encoder: Encoder | None = None
) -> tuple[list[int], np.ndarray]:
    """The vectors of some recommendations, embedding on the spot those not stored yet."""
    encoder = encoder or get_encoder()
    ids = [r if isinstance(r, int) else r.pk for r in recommendations]
    stored = {
        rec_id: from_bytes(vector)
        for rec_id, vector in TextEmbedding.objects.filter(
            recommendation_id__in=ids, encoder=encoder.name
        ).values_list("recommendation_id", "vector")
    }
    missing = [rec_id for rec_id in ids if rec_id not in stored]
    if missing:
        refresh_embeddings(missing, encoder=encoder)
        stored.update(
            {
                rec_id: from_bytes(vector)
                for rec_id, vector in TextEmbedding.objects.filter(
                    recommendation_id__in=missing, encoder=encoder.name
                ).values_list("recommendation_id", "vector")
            }
        )
    kept = [rec_id for rec_id in ids if rec_id in stored]
    matrix = (
        np.vstack([stored[rec_id] for rec_id in kept])
        if kept
        else np.zeros((0, encoder.dimensions), dtype=np.float32)
    )
    return kept, matrix


def search_by_meaning(
    query: str, *, limit: int = 50, minimum: float = 0.3
) -> list[tuple[int, float]]:
    """Recommendations closest in meaning to ``query``, in any language:
    ``[(recommendation id, cosine similarity)]``, best first."""
    encoder = get_encoder()
    matrix = embedding_matrix(encoder)
    if not query.strip() or len(matrix.ids) == 0:
        return []
    scores = matrix.vectors @ encoder.encode([query])[0]
    top = np.argsort(-scores)[:limit]
    return [(int(matrix.ids[i]), float(scores[i])) for i in top if scores[i] >= minimum]
