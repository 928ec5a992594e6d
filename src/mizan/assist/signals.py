"""Keeping the assistant's stored numbers in step with the registry.

A recommendation's text that is saved, or an import, queues the embedding of the new and
changed texts (after the transaction commits), and then suggestions for them; a tag
confirmed or removed marks its vocabulary's model for training again, after which the
vocabulary's suggestions are computed again. ``MIZAN_ASSIST_AUTO_REFRESH = False`` turns
all of it off (run ``mizan assist embed``, ``train`` and ``suggest`` instead).
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


def _imported(sender: Any, **kwargs: Any) -> None:
    if not getattr(settings, "MIZAN_ASSIST_AUTO_REFRESH", True):
        return
    from mizan.assist.tasks import embed_recommendations

    # Every text without an up-to-date vector: the import wrote them in bulk.
    transaction.on_commit(lambda: embed_recommendations.enqueue(None))


def _tagging_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.confirmed_at is None:
        return
    from mizan.assist.training import mark_stale

    mark_stale(instance.term.vocabulary_id)


def connect() -> None:
    from mizan.recommendations.models import RecommendationText, Tagging
    from mizan.recommendations.signals import recommendations_imported

    recommendations_imported.connect(_imported, dispatch_uid="assist_imported")

    post_save.connect(_text_saved, sender=RecommendationText, dispatch_uid="assist_text_saved")
    post_save.connect(_tagging_changed, sender=Tagging, dispatch_uid="assist_tagging_saved")
    post_delete.connect(_tagging_changed, sender=Tagging, dispatch_uid="assist_tagging_deleted")
