"""Choices of the recommendation registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MechanismKind(models.TextChoices):
    UPR = "upr", _("Universal Periodic Review")
    TREATY_BODY = "treaty_body", _("Treaty body")
    SPECIAL_PROCEDURE = "special_procedure", _("Special procedure")
    REGIONAL = "regional", _("Regional mechanism")
    OTHER = "other", pgettext_lazy("mechanism kind", "Other")


class Position(models.TextChoices):
    """The state's response to a UPR recommendation."""

    SUPPORTED = "supported", pgettext_lazy("UPR position", "Supported")
    PARTIALLY_SUPPORTED = (
        "partially_supported",
        pgettext_lazy("UPR position", "Partially supported"),
    )
    NOTED = "noted", pgettext_lazy("UPR position", "Noted")
    PENDING = "pending", pgettext_lazy("UPR position", "Pending")


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented / no longer relevant")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    CONTRIBUTING = "contributing", _("Contributing")


class TaggingSource(models.TextChoices):
    PERSON = "person", _("Person")
    MODEL = "model", _("Model")
    IMPORT = "import", _("Import")


class AssessmentVoice(models.TextChoices):
    """Who assesses implementation: the state itself, or the NHRI independently."""

    STATE = "state", _("State's self-assessment")
    NHRI = "nhri", _("NHRI's independent assessment")
