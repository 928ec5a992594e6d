"""Background jobs of the assistant (django-tasks): embeddings and model training."""

from __future__ import annotations

from django.tasks import task

from mizan.assist.embeddings import refresh_embeddings


@task()
def embed_recommendations(recommendation_ids: list[int] | None = None) -> int:
    """Embed the given recommendations' texts (every stale one without ids)."""
    return refresh_embeddings(recommendation_ids)


@task()
def train_tag_models(vocabulary_codes: list[str] | None = None) -> int:
    """Train again the stale tag models (or the named vocabularies'); returns how many."""
    from mizan.assist.training import train_stale

    return train_stale(vocabulary_codes)
