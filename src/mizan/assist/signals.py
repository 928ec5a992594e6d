"""Keeping the assistant's stored numbers in step with the registry.

A recommendation's text that is saved queues its embedding (after the transaction commits);
a tag confirmed or removed marks its vocabulary's model for training again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _text_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not getattr(settings, "MIZAN_ASSIST_AUTO_REFRESH", True):
        return
    from mizan.assist.tasks import embed_recommendations

    recommendation_id = instance.recommendation_id
    transaction.on_commit(lambda: embed_recommendations.enqueue([recommendation_id]))


def _tagging_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.confirmed_at is None:
        return
    from mizan.assist.training import mark_stale

    mark_stale(instance.term.vocabulary_id)


def connect() -> None:
    from mizan.recommendations.models import RecommendationText, Tagging

    post_save.connect(_text_saved, sender=RecommendationText, dispatch_uid="assist_text_saved")
    post_save.connect(_tagging_changed, sender=Tagging, dispatch_uid="assist_tagging_saved")
    post_delete.connect(_tagging_changed, sender=Tagging, dispatch_uid="assist_tagging_deleted")
