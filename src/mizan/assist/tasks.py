"""Background jobs of the assistant (django-tasks): embeddings, suggestions, training."""

from __future__ import annotations

from django.tasks import task

from mizan.assist.embeddings import refresh_embeddings, stale_recommendations


@task()
def embed_recommendations(recommendation_ids: list[int] | None = None) -> int:
    """Embed the given recommendations' texts (every stale one without ids), then propose
    terms for them in every vocabulary where they have no confirmed tag."""
    from mizan.assist.suggester import suggest_for

    ids = stale_recommendations() if recommendation_ids is None else list(recommendation_ids)
    done = refresh_embeddings(ids)
    suggest_for(ids)
    return done


@task()
def train_tag_models(vocabulary_codes: list[str] | None = None) -> int:
    """Train again the stale tag models (or the named vocabularies'), then compute their
    suggestions again; returns how many models were trained."""
    from mizan.assist.suggester import suggest
    from mizan.assist.training import train_stale
    from mizan.recommendations.models import Vocabulary

    trained = train_stale(vocabulary_codes)
    if vocabulary_codes:
        for vocabulary in Vocabulary.objects.filter(code__in=vocabulary_codes):
            suggest(vocabulary)
    return trained
