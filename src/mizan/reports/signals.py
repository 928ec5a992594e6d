"""Marking a session's precomputed figures stale when something they count changes.

A receiver only runs one UPDATE (no computing): the figures are computed again when the
dashboard is next read, or by the ``refresh-figures`` command. Raw SQL and
``QuerySet.update`` send no signal: run ``mizan refresh-figures`` after bulk loads.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q
from django.db.models.signals import post_delete, post_save

from mizan.reports.models import SessionFigures
from mizan.training.models import (
    ActionPlan,
    Attendance,
    CascadeAudience,
    CascadeSession,
    Enrolment,
    Evaluation,
    FollowUpResponse,
    Participant,
    SessionSlot,
    TestAttempt,
    TrainingSession,
)


def _sessions_of(instance: Model) -> Q:
    """Which sessions' figures ``instance`` counts in, as a condition on
    ``SessionFigures``, read from the ids it holds so that no row is fetched."""
    if isinstance(instance, TrainingSession):
        return Q(session_id=instance.pk)
    if isinstance(instance, Enrolment | Evaluation | FollowUpResponse | SessionSlot):
        return Q(session_id=instance.session_id)
    if isinstance(instance, Attendance | TestAttempt | ActionPlan):
        return Q(session__enrolments=instance.enrolment_id)
    if isinstance(instance, CascadeSession):
        return Q(session_id=instance.source_session_id)
    if isinstance(instance, CascadeAudience):
        return Q(session__cascades=instance.cascade_id)
    if isinstance(instance, Participant):
        return Q(session__enrolments__participant=instance.pk)
    raise TypeError(type(instance))


def mark_figures_stale(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures: the figures are computed when next read
    SessionFigures.objects.filter(_sessions_of(instance), stale=False).update(stale=True)


#: The models whose rows the figures count.
COUNTED = (
    TrainingSession,
    SessionSlot,
    Enrolment,
    Attendance,
    TestAttempt,
    Evaluation,
    FollowUpResponse,
    ActionPlan,
    CascadeSession,
    CascadeAudience,
    Participant,
)


def connect() -> None:
    for model in COUNTED:
        post_save.connect(mark_figures_stale, sender=model, dispatch_uid=f"figures-{model}")
        post_delete.connect(
            mark_figures_stale, sender=model, dispatch_uid=f"figures-delete-{model}"
        )
