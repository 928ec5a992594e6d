"""Choices of actions, indicators and progress reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActionKind(models.TextChoices):
    TRAINING = "training", _("Training programme")
    LEGISLATION = "legislation", _("Legislation")
    POLICY = "policy", _("Policy")
    AWARENESS = "awareness", _("Awareness campaign")
    INVESTIGATION = "investigation", _("Investigation")
    INSTITUTIONAL_REFORM = "institutional_reform", _("Institutional reform")
    OTHER = "other", pgettext_lazy("action kind", "Other")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


#: The moves an action's status may make; cancelling needs a reason.
ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ActionStatus.PLANNED: frozenset({ActionStatus.IN_PROGRESS, ActionStatus.CANCELLED}),
    ActionStatus.IN_PROGRESS: frozenset({ActionStatus.COMPLETED, ActionStatus.CANCELLED}),
    ActionStatus.COMPLETED: frozenset({ActionStatus.IN_PROGRESS}),
    ActionStatus.CANCELLED: frozenset({ActionStatus.PLANNED}),
}


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every six months")
    ANNUAL = "annual", _("Annually")
    ON_EVENT = "on_event", _("After each event")


class ProgressReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
