"""Mechanisms, their documents and the recommendations in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.core.languages import active_language, pick_translation
from mizan.recommendations.enums import (
    AssessmentVoice,
    AssignmentRole,
    ImplementationStatus,
    MechanismKind,
    Position,
)


class Mechanism(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    names = models.JSONField(_("names"), default=dict)
    kind = models.CharField(_("kind"), max_length=30, choices=MechanismKind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return pick_translation(self.names) or self.code


class SourceDocument(models.Model):
    symbol = models.CharField(
        _("symbol"), max_length=80, unique=True, help_text=_("For example CMW/C/MAR/CO/2.")
    )
    mechanism = models.ForeignKey(
        Mechanism, verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    cycle = models.CharField(_("cycle or session"), max_length=60, blank=True)
    state_under_review = models.CharField(_("state under review"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["-date", "symbol"]

    def __str__(self) -> str:
        return self.symbol


class Recommendation(models.Model):
    document = models.ForeignKey(
        SourceDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    paragraph = models.CharField(_("paragraph"), max_length=30, help_text=_("For example 37(b)."))
    external_id = models.CharField(
        _("external identifier"), max_length=100, null=True, blank=True, unique=True
    )
    recommending_state = models.CharField(
        _("recommending state"),
        max_length=200,
        blank=True,
        help_text=_("For UPR recommendations: the state that made it."),
    )
    position = models.CharField(
        _("position of the state"), max_length=30, choices=Position.choices, blank=True
    )
    status = models.CharField(
        _("state's assessment"),
        max_length=30,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
        help_text=_("The state's self-assessment of implementation, as last recorded."),
    )
    nhri_status = models.CharField(
        _("NHRI's assessment"),
        max_length=30,
        choices=ImplementationStatus.choices,
        blank=True,
        help_text=_("The NHRI's independent assessment, as last recorded; empty until made."),
    )
    institutions = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("responsible institutions"),
        through="Assignment",
        related_name="recommendations",
        blank=True,
    )
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        help_text=_("When a coordinator put it on the public portal; empty while it is not."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["document", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "paragraph", "recommending_state"],
                name="unique_recommendation_paragraph",
            )
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["nhri_status"]),
            models.Index(fields=["position"]),
        ]

    def __str__(self) -> str:
        return f"{self.document.symbol} ¶{self.paragraph}"

    def text_in(self, language: str | None = None) -> RecommendationText | None:
        """The text in ``language`` (default: active), else the original, else any."""
        texts = list(self.texts.all())
        if not texts:
            return None
        language = language or active_language()
        for text in texts:
            if text.language == language:
                return text
        return next((t for t in texts if t.is_original), texts[0])

    @property
    def display_text(self) -> RecommendationText | None:
        return self.text_in()


class RecommendationText(models.Model):
    """A recommendation's text in one language; each language is indexed on its own."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="texts",
        verbose_name=_("recommendation"),
    )
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("text"))
    is_original = models.BooleanField(_("original text"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation text")
        verbose_name_plural = _("recommendation texts")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "language"], name="unique_text_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} [{self.language}]"


class Assignment(models.Model):
    """A recommendation assigned to an institution, as lead or contributing."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("recommendation"),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("institution"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=AssignmentRole.choices, default=AssignmentRole.LEAD
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "institution"], name="unique_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} → {self.institution}"


class Assessment(models.Model):
    """One dated assessment of a recommendation's implementation, by one voice. The
    latest of each voice is copied onto the recommendation (``status`` for the state,
    ``nhri_status`` for the NHRI) so lists can filter on both."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("recommendation"),
    )
    voice = models.CharField(_("assessed by"), max_length=10, choices=AssessmentVoice.choices)
    status = models.CharField(
        _("implementation status"), max_length=30, choices=ImplementationStatus.choices
    )
    assessed_on = models.DateField(_("assessed on"))
    rationale = models.TextField(_("rationale"))
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile",
        verbose_name=_("evidence"),
        related_name="assessments",
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["recommendation", "voice", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.recommendation} · {self.get_voice_display()}: {self.get_status_display()}"
