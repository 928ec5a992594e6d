"""Institutions: the NHRI and the state bodies, agencies and NGOs it works with."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.core.languages import pick_translation
from mizan.institutions.enums import InstitutionKind


class Institution(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    names = models.JSONField(
        _("names"), default=dict, help_text=_("The name in each language, keyed by language code.")
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=InstitutionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_translation(self.names) or self.code
