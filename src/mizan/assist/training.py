"""Training each vocabulary's tag model in the background, when its confirmed tags change."""

from __future__ import annotations

from django.db import transaction

from mizan.assist.models import TagModel


def mark_stale(vocabulary_id: int) -> None:
    """The vocabulary's confirmed tags changed: train its model again, once, soon."""
    from mizan.assist.tasks import train_tag_models

    changed = TagModel.objects.filter(vocabulary_id=vocabulary_id, is_stale=False).update(
        is_stale=True
    )
    if changed:
        code = TagModel.objects.filter(vocabulary_id=vocabulary_id).values_list(
            "vocabulary__code", flat=True
        )[0]
        transaction.on_commit(lambda: train_tag_models.enqueue([code]))


def train_stale(vocabulary_codes: list[str] | None = None) -> int:
    """Train the stale models (or the named vocabularies'); returns how many."""
    from mizan.assist.suggester import train_stale as train

    return train(vocabulary_codes)
