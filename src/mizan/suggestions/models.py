"""Suggestions for the training, and their review by a joint committee.

A suggestion comes from a participant (through their personal link, possibly
anonymously), a trainer, a committee member or staff. A review round of a joint
committee assigns suggestions to its members, who score them against the round's
weighted criteria. The committee decides at a meeting; decisions stay unpublished until
it releases them. An accepted suggestion is linked to the changelog entry of the
curriculum version that integrates it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.core.languages import pick_translation
from mizan.suggestions.enums import (
    AuthorKind,
    Category,
    Outcome,
    RoundStatus,
    Subject,
    SuggestionStatus,
)

#: Scores go from 1 (not at all) to SCORE_MAX (fully).
SCORE_MAX = 5


class Suggestion(models.Model):
    subject = models.CharField(_("about"), max_length=20, choices=Subject.choices)
    curriculum = models.ForeignKey(
        "training.Curriculum",
        verbose_name=_("curriculum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    module = models.ForeignKey(
        "training.Module",
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    objective = models.ForeignKey(
        "training.LearningObjective",
        verbose_name=_("learning objective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.TextField(_("suggestion"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    attachments = models.ManyToManyField(
        "evidence.EvidenceFile",
        verbose_name=_("attachments"),
        related_name="suggestions",
        blank=True,
    )
    session = models.ForeignKey(
        "training.TrainingSession",
        verbose_name=_("from the session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    author_kind = models.CharField(_("author is a"), max_length=20, choices=AuthorKind.choices)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Nothing that identifies the author is kept."),
    )
    # Who wrote it. All empty for an anonymous suggestion.
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions_written",
    )
    author_enrolment = models.ForeignKey(
        "training.Enrolment",
        verbose_name=_("author (participant)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    author_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("author's unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions_written",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.RECEIVED,
    )
    group = models.ForeignKey(
        "suggestions.SuggestionGroup",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    changelog_entries = models.ManyToManyField(
        "training.ChangelogEntry",
        verbose_name=_("integrated by"),
        related_name="suggestions",
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[attachments, changelog_entries])

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymous=False)
                | models.Q(
                    author_user__isnull=True,
                    author_enrolment__isnull=True,
                    author_institution__isnull=True,
                ),
                name="anonymous_suggestion_keeps_no_author",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.text[:60]}"

    @property
    def reference(self) -> str:
        return f"S-{self.pk or 0:04d}"


class SuggestionGroup(models.Model):
    """Near-identical suggestions, reviewed and decided together."""

    round = models.ForeignKey(
        "suggestions.ReviewRound",
        verbose_name=_("review round"),
        on_delete=models.CASCADE,
        related_name="groups",
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group of suggestions")
        verbose_name_plural = _("groups of suggestions")
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return self.title


class ReviewRound(models.Model):
    committee = models.ForeignKey(
        "partnerships.JointCommittee",
        verbose_name=_("joint committee"),
        on_delete=models.PROTECT,
        related_name="review_rounds",
    )
    title = models.CharField(_("title"), max_length=200)
    curriculum = models.ForeignKey(
        "training.Curriculum",
        verbose_name=_("curriculum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_rounds",
    )
    blind = models.BooleanField(
        _("blind review"),
        default=True,
        help_text=_("Reviewers do not see who wrote a suggestion."),
    )
    reviewers_per_suggestion = models.PositiveSmallIntegerField(
        _("reviewers per suggestion"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    review_until = models.DateField(_("reviews due by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.PREPARING
    )
    suggestions = models.ManyToManyField(
        Suggestion, verbose_name=_("suggestions"), related_name="review_rounds", blank=True
    )
    released_at = models.DateTimeField(_("decisions released"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[suggestions])

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One line of a round's rubric, with its weight in the overall score."""

    round = models.ForeignKey(
        ReviewRound,
        verbose_name=_("review round"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    names = models.JSONField(_("names"), default=dict)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_translation(self.names)


class ReviewAssignment(models.Model):
    round = models.ForeignKey(
        ReviewRound,
        verbose_name=_("review round"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    reviewer = models.ForeignKey(
        "partnerships.CommitteeMember",
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["round", "suggestion", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "suggestion", "reviewer"], name="one_assignment_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.reference} → {self.reviewer}"


class Review(models.Model):
    assignment = models.OneToOneField(
        ReviewAssignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="review",
    )
    comment = models.TextField(_("comment"), blank=True)
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=4, decimal_places=2, default=Decimal("0")
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment"]

    def __str__(self) -> str:
        return str(self.assignment)


class Score(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(SCORE_MAX)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1) & models.Q(value__lte=SCORE_MAX),
                name="score_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class SuggestionDecision(models.Model):
    """What the committee decided on a suggestion in a round, and why. Unpublished until
    the committee releases the round's decisions."""

    round = models.ForeignKey(
        ReviewRound,
        verbose_name=_("review round"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="decisions"
    )
    meeting = models.ForeignKey(
        "partnerships.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestion_decisions",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    merged_into = models.ForeignKey(
        Suggestion,
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    rationale = models.TextField(_("rationale"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision on a suggestion")
        verbose_name_plural = _("decisions on suggestions")
        ordering = ["round", "suggestion"]
        constraints = [
            models.UniqueConstraint(fields=["round", "suggestion"], name="one_decision_per_round"),
            models.CheckConstraint(
                condition=models.Q(outcome="merged", merged_into__isnull=False)
                | (~models.Q(outcome="merged") & models.Q(merged_into__isnull=True)),
                name="merged_decision_names_the_suggestion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.reference}: {self.get_outcome_display()}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None
