"""A report asked for from the web: written by a background job, which records its
progress here so the page can show it, then keeps the file for the person who asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.reports.enums import JobStatus, ReportFormat, ReportKind


class ReportJob(models.Model):
    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    document = models.ForeignKey(
        "recommendations.SourceDocument",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    session = models.ForeignKey(
        "training.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    version = models.ForeignKey(
        "training.CurriculumVersion",
        verbose_name=_("curriculum version"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    format = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    #: 0–100; written with ``QuerySet.update`` while the job runs (not in the history).
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="report_jobs",
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["progress", "step"])

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_format_display()} · {self.language}"


# --- Training figures, precomputed per session ---------------------------------------
#
# The training dashboard reads every session at once; computing Kirkpatrick's levels
# live over tens of thousands of sessions takes seconds. So each session's figures are
# kept here, written by ``mizan.reports.rollup`` and marked stale by signal receivers
# when what they count changes. Every measure is a count or a sum, so any filter and any
# breakdown is one ``SUM … GROUP BY``. The session's start, version and curriculum are
# copied onto the rows so that filters need no join. At a million participants the
# session cells are too many to add up within a second: ``MonthlyParticipationCell``
# holds them added up per month and version, for filters by whole months.


class SessionFigures(models.Model):
    """One session's figures that belong to no person: evaluations are anonymous and
    follow-up answers pseudonymous, so they cannot be broken down by sex or region."""

    session = models.OneToOneField(
        "training.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="figures",
    )
    stale = models.BooleanField(_("to compute again"), default=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    #: Copied from the session, for filters.
    starts_on = models.DateField(_("first day"), null=True, blank=True)
    version = models.ForeignKey(
        "training.CurriculumVersion",
        verbose_name=_("curriculum version"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    curriculum = models.ForeignKey(
        "training.Curriculum",
        verbose_name=_("curriculum"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    #: A cancelled session counts nothing, and is not counted as a session.
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # Reaction: end-of-course evaluations, and the sum of each score (1 to 5).
    evaluations = models.PositiveIntegerField(_("end-of-course evaluations"), default=0)
    relevance_sum = models.PositiveIntegerField(default=0)
    content_sum = models.PositiveIntegerField(default=0)
    methods_sum = models.PositiveIntegerField(default=0)
    trainers_sum = models.PositiveIntegerField(default=0)
    organisation_sum = models.PositiveIntegerField(default=0)
    overall_sum = models.PositiveIntegerField(default=0)
    # Behaviour: follow-up answers and action plans.
    follow_ups = models.PositiveIntegerField(_("follow-up answers"), default=0)
    used_at_work_sum = models.PositiveIntegerField(default=0)
    plans_kept = models.PositiveIntegerField(default=0)
    plans_partly_kept = models.PositiveIntegerField(default=0)
    plans_not_kept = models.PositiveIntegerField(default=0)
    colleagues_briefed = models.PositiveIntegerField(default=0)
    action_plans = models.PositiveIntegerField(_("action plans"), default=0)
    colleagues_to_brief = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("figures of a session")
        verbose_name_plural = _("figures of sessions")
        indexes = [
            models.Index(fields=["stale"], name="figures_stale"),
            models.Index(fields=["starts_on"], name="figures_starts_on"),
        ]

    def __str__(self) -> str:
        return str(_("Figures of session %(session)s") % {"session": self.session_id})


class ParticipationCell(models.Model):
    """The officers of one session who share a sex, region, institution and rank: how
    many were enrolled (approved), trained (attended a half-day at least) and completed,
    and the sums of their paired pre- and post-tests."""

    session = models.ForeignKey(
        "training.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="participation_cells",
    )
    starts_on = models.DateField(_("first day"))
    version = models.ForeignKey(
        "training.CurriculumVersion",
        verbose_name=_("curriculum version"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    curriculum = models.ForeignKey(
        "training.Curriculum",
        verbose_name=_("curriculum"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sex = models.CharField(_("sex"), max_length=10)
    region = models.CharField(_("region"), max_length=120)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rank = models.CharField(_("rank"), max_length=100)
    enrolled = models.PositiveIntegerField(_("enrolled"), default=0)
    trained = models.PositiveIntegerField(_("trained"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    #: Paired tests: approved enrolments with a scored pre-test and post-test.
    pairs = models.PositiveIntegerField(_("paired tests"), default=0)
    pre_sum = models.FloatField(default=0)
    post_sum = models.FloatField(default=0)
    gain_sum = models.FloatField(default=0)
    gain_square_sum = models.FloatField(default=0)
    #: Hake's normalised gain, summed over the pairs whose pre-test is below 100.
    normalised_gain_sum = models.FloatField(default=0)
    normalised_n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("participation figures of a group")
        verbose_name_plural = _("participation figures of groups")
        indexes = [
            models.Index(fields=["starts_on"], name="cell_starts_on"),
            models.Index(fields=["curriculum", "starts_on"], name="cell_curriculum"),
            models.Index(fields=["version"], name="cell_version"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.sex} · {self.region} · {self.rank}"


class CascadeFigures(models.Model):
    """The cascade sessions of one generation descending from a session, and the women
    and men they reached."""

    session = models.ForeignKey(
        "training.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="cascade_figures",
    )
    generation = models.PositiveSmallIntegerField(_("generation"))
    cascades = models.PositiveIntegerField(_("cascade sessions"), default=0)
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)

    class Meta:
        verbose_name = _("cascade figures of a session")
        verbose_name_plural = _("cascade figures of sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "generation"], name="one_cascade_figure_per_generation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.generation}"


class MonthlyParticipationCell(models.Model):
    """The participation cells of every session starting in one month on one curriculum
    version, added up: a tenth of the rows or fewer, so that the dashboard reads all
    sessions quickly when it filters by whole months, curriculum and version only."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    version = models.ForeignKey(
        "training.CurriculumVersion",
        verbose_name=_("curriculum version"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    curriculum = models.ForeignKey(
        "training.Curriculum",
        verbose_name=_("curriculum"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sex = models.CharField(_("sex"), max_length=10)
    region = models.CharField(_("region"), max_length=120)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rank = models.CharField(_("rank"), max_length=100)
    enrolled = models.PositiveIntegerField(_("enrolled"), default=0)
    trained = models.PositiveIntegerField(_("trained"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    pairs = models.PositiveIntegerField(_("paired tests"), default=0)
    pre_sum = models.FloatField(default=0)
    post_sum = models.FloatField(default=0)
    gain_sum = models.FloatField(default=0)
    gain_square_sum = models.FloatField(default=0)
    normalised_gain_sum = models.FloatField(default=0)
    normalised_n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("participation figures of a group in a month")
        verbose_name_plural = _("participation figures of groups in a month")
        indexes = [
            models.Index(fields=["month"], name="month_cell_month"),
            models.Index(fields=["curriculum", "month"], name="month_cell_curriculum"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.sex} · {self.region} · {self.rank}"
