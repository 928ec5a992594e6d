"""Attendance: one row per enrolment and half-day slot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.training.enums import AttendanceMethod, AttendanceStatus


class Attendance(models.Model):
    enrolment = models.ForeignKey(
        "training.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    slot = models.ForeignKey(
        "training.SessionSlot",
        verbose_name=_("half-day slot"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    method = models.CharField(_("recorded how"), max_length=10, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["slot", "enrolment"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "slot"], name="one_attendance_per_slot")
        ]
        indexes = [models.Index(fields=["slot", "status"])]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.slot}: {self.get_status_display()}"
