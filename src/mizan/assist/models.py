"""What the assistant keeps: text embeddings, trained tag models, rejected suggestions and
clusters of near-duplicate recommendations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.assist.enums import ClusterStatus, TagModelKind


class TextEmbedding(models.Model):
    """The sentence embedding of a recommendation's text (float32, unit length, as bytes)."""

    recommendation = models.OneToOneField(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        related_name="embedding",
        verbose_name=_("recommendation"),
    )
    encoder = models.CharField(_("encoder"), max_length=100)
    language = models.CharField(_("language"), max_length=8, blank=True)
    text_hash = models.CharField(_("text fingerprint"), max_length=64)
    vector = models.BinaryField(_("vector"))
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("text embedding")
        verbose_name_plural = _("text embeddings")
        indexes = [models.Index(fields=["encoder"])]

    def __str__(self) -> str:
        return f"{self.recommendation_id} · {self.encoder}"


class TermEmbedding(models.Model):
    """The embedding of a term's labels and description, for vocabularies with no confirmed
    tags yet."""

    term = models.OneToOneField(
        "recommendations.Term",
        on_delete=models.CASCADE,
        related_name="embedding",
        verbose_name=_("term"),
    )
    encoder = models.CharField(_("encoder"), max_length=100)
    text_hash = models.CharField(_("text fingerprint"), max_length=64)
    vector = models.BinaryField(_("vector"))
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("term embedding")
        verbose_name_plural = _("term embeddings")

    def __str__(self) -> str:
        return f"{self.term_id} · {self.encoder}"


class TagModel(models.Model):
    """The tag suggester of one vocabulary, as numbers (no pickles): trained in the
    background from the confirmed tags, with its calibration and cross-validated scores."""

    vocabulary = models.OneToOneField(
        "recommendations.Vocabulary",
        on_delete=models.CASCADE,
        related_name="tag_model",
        verbose_name=_("vocabulary"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TagModelKind.choices)
    encoder = models.CharField(_("encoder"), max_length=100)
    examples = models.PositiveIntegerField(_("confirmed examples"), default=0)
    parameters = models.BinaryField(_("parameters"), default=b"")
    metrics = models.JSONField(_("measured quality"), default=dict, blank=True)
    is_stale = models.BooleanField(_("needs training"), default=False)
    trained_at = models.DateTimeField(_("trained"), null=True, blank=True)

    class Meta:
        verbose_name = _("tag model")
        verbose_name_plural = _("tag models")

    def __str__(self) -> str:
        return f"{self.vocabulary_id} · {self.kind}"


class RejectedSuggestion(models.Model):
    """A suggested term a person turned down: a negative example, never proposed again."""

    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        related_name="rejected_suggestions",
        verbose_name=_("recommendation"),
    )
    term = models.ForeignKey(
        "recommendations.Term",
        on_delete=models.CASCADE,
        related_name="rejected_suggestions",
        verbose_name=_("term"),
    )
    model_name = models.CharField(_("model"), max_length=100, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("rejected by"),
    )
    rejected_at = models.DateTimeField(_("rejected"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rejected suggestion")
        verbose_name_plural = _("rejected suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "term"], name="unique_rejected_suggestion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} ✗ {self.term_id}"


class DuplicateCluster(models.Model):
    """Recommendations found to ask for the same thing, and what a coordinator decided."""

    status = models.CharField(
        _("status"), max_length=12, choices=ClusterStatus.choices, default=ClusterStatus.PROPOSED
    )
    carrier = models.ForeignKey(
        "recommendations.Recommendation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("carries the actions"),
    )
    similarity = models.FloatField(_("lowest similarity"), null=True, blank=True)
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cluster of near-duplicates")
        verbose_name_plural = _("clusters of near-duplicates")
        ordering = ["-found_at", "pk"]

    def __str__(self) -> str:
        return f"cluster {self.pk}"


class ClusterMember(models.Model):
    cluster = models.ForeignKey(
        DuplicateCluster,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("cluster"),
    )
    recommendation = models.OneToOneField(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        related_name="cluster_membership",
        verbose_name=_("recommendation"),
    )
    similarity = models.FloatField(_("similarity"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member of a cluster")
        verbose_name_plural = _("members of clusters")

    def __str__(self) -> str:
        return f"{self.cluster_id} · {self.recommendation_id}"


class NotDuplicate(models.Model):
    """Two recommendations a coordinator split apart: never proposed together again."""

    first = models.ForeignKey(
        "recommendations.Recommendation", on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        "recommendations.Recommendation", on_delete=models.CASCADE, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("pair that is not a duplicate")
        verbose_name_plural = _("pairs that are not duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_not_duplicate"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="not_duplicate_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"
