"""Cascade sessions: trained participants train their colleagues in turn, and report it.

A cascade session descends from one training session (``source_session``). A person
trained in a cascade session who gives one in turn is recorded as a participant with
``trained_in_cascade`` set, and their cascade's ``parent`` is the one they attended, so
the lineage runs over generations: who trained whom.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CascadeSession(models.Model):
    reported_by = models.ForeignKey(
        "training.Participant",
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        related_name="cascades_given",
    )
    source_session = models.ForeignKey(
        "training.TrainingSession",
        verbose_name=_("training session it descends from"),
        on_delete=models.PROTECT,
        related_name="cascades",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cascade session where the trainer was trained"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    generation = models.PositiveSmallIntegerField(
        _("generation"), default=1, help_text=_("1 when given by a directly trained participant.")
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    modules = models.ManyToManyField(
        "training.Module", verbose_name=_("modules covered"), related_name="cascades", blank=True
    )
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile", verbose_name=_("evidence"), related_name="cascades", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the participant reported it through their personal link."),
    )
    history = HistoricalRecords(m2m_fields=[modules, evidence])

    class Meta:
        verbose_name = _("cascade session")
        verbose_name_plural = _("cascade sessions")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return f"{self.place}, {self.held_on:%Y-%m-%d}"


class CascadeAudience(models.Model):
    """How many women and men of one institution a cascade session reached."""

    cascade = models.ForeignKey(
        CascadeSession,
        verbose_name=_("cascade session"),
        on_delete=models.CASCADE,
        related_name="audience",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for people from elsewhere."),
    )
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audience of a cascade session")
        verbose_name_plural = _("audiences of cascade sessions")
        ordering = ["cascade", "id"]

    def __str__(self) -> str:
        return f"{self.cascade}: {self.women + self.men}"

    @property
    def total(self) -> int:
        return self.women + self.men
