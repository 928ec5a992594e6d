"""One generic, hierarchical, translatable taxonomy, and the tags it puts on recommendations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.core.languages import pick_translation
from mizan.recommendations.enums import TaggingSource


class Vocabulary(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    names = models.JSONField(_("names"), default=dict)
    description = models.TextField(_("description"), blank=True)
    source_note = models.TextField(_("source"), blank=True)
    is_facet = models.BooleanField(
        _("show as a filter"),
        default=True,
        help_text=_("Offer this vocabulary as a filter on the recommendation list."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vocabulary")
        verbose_name_plural = _("vocabularies")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_translation(self.names) or self.code


class Term(models.Model):
    vocabulary = models.ForeignKey(
        Vocabulary, on_delete=models.CASCADE, related_name="terms", verbose_name=_("vocabulary")
    )
    code = models.CharField(_("code"), max_length=40)
    labels = models.JSONField(_("labels"), default=dict)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("broader term"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["vocabulary", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="unique_term_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return pick_translation(self.labels) or self.code

    @property
    def display(self) -> str:
        """The label, after the code when the code means something to readers (``16.2``,
        ``A41``), not when it is a slug made from the English label."""
        label = self.label
        if len(self.code) <= 6 and not label.startswith(f"{self.code} "):
            return f"{self.code} {label}"
        return label


class Tagging(models.Model):
    """A term put on a recommendation by a person, an import or a model, and who confirmed it."""

    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        related_name="taggings",
        verbose_name=_("recommendation"),
    )
    term = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="taggings", verbose_name=_("term")
    )
    source = models.CharField(
        _("source"), max_length=10, choices=TaggingSource.choices, default=TaggingSource.PERSON
    )
    model_name = models.CharField(_("model"), max_length=100, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tagged by"),
    )
    tagged_at = models.DateTimeField(_("tagged"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tagging")
        verbose_name_plural = _("taggings")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "term"], name="unique_tagging"),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True)
                | models.Q(confidence__gte=0, confidence__lte=1),
                name="tagging_confidence_between_0_and_1",
            ),
        ]
        indexes = [models.Index(fields=["term", "recommendation"])]

    def __str__(self) -> str:
        return f"{self.recommendation_id} · {self.term}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
