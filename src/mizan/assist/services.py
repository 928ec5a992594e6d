"""Business operations on suggestions: accepting and rejecting them, each audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mizan.assist.models import RejectedSuggestion
from mizan.audit.history import attribute_change
from mizan.core.errors import MizanError
from mizan.recommendations import services as registry
from mizan.recommendations.enums import TaggingSource
from mizan.recommendations.models import Tagging


def _suggestion(tagging: Tagging) -> Tagging:
    """The suggestion, checked as it is now in the database and locked until the decision
    is written: someone else may have accepted or rejected it since the page was shown,
    and a late rejection must not delete a tag that was confirmed meanwhile."""
    current = (
        Tagging.objects.select_for_update()
        .filter(pk=tagging.pk)
        .values_list("source", "confirmed_at")
        .first()
    )
    waiting = current is not None and current[0] == TaggingSource.MODEL and current[1] is None
    if not waiting or tagging.is_confirmed or tagging.source != TaggingSource.MODEL:
        raise MizanError(_("This tag is not a suggestion waiting for a decision."))
    return tagging


@transaction.atomic
def accept_suggestion(*, tagging: Tagging, by: Any) -> Tagging:
    """The suggested term becomes a confirmed tag; the history says who accepted it, and
    the vocabulary's model learns from it at its next training."""
    from mizan.assist.training import mark_stale

    _suggestion(tagging)
    tagging = registry.confirm_tagging(tagging=tagging, by=by)
    mark_stale(tagging.term.vocabulary_id)
    return tagging


@transaction.atomic
def reject_suggestion(*, tagging: Tagging, by: Any) -> RejectedSuggestion:
    """The suggestion goes, and is remembered as a negative example: the same term is never
    proposed again for this recommendation."""
    from mizan.assist.training import mark_stale

    _suggestion(tagging)
    rejected = RejectedSuggestion.objects.filter(
        recommendation_id=tagging.recommendation_id, term_id=tagging.term_id
    ).first()
    if rejected is None:
        rejected = RejectedSuggestion(
            recommendation_id=tagging.recommendation_id,
            term_id=tagging.term_id,
            model_name=tagging.model_name,
            confidence=tagging.confidence,
            rejected_by=by if getattr(by, "is_authenticated", False) else None,
        )
        attribute_change(rejected, user=by)
        rejected.save()
    attribute_change(tagging, user=by, reason="suggestion rejected")
    tagging.delete()
    mark_stale(tagging.term.vocabulary_id)
    return rejected
