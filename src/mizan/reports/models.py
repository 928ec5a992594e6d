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
