"""Training sessions: one run of a curriculum version, for an action of kind training,
held over several days in half-day slots."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.training.codes import new_check_in_code
from mizan.training.enums import FormCode, HalfDay, SessionStatus


class TrainingSession(models.Model):
    action = models.ForeignKey(
        "actions.Action",
        verbose_name=_("action"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
        help_text=_("The training action this session carries out."),
    )
    version = models.ForeignKey(
        "training.CurriculumVersion",
        verbose_name=_("curriculum version"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120)
    region = models.CharField(_("region"), max_length=120, blank=True)
    organisers = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("organising institutions"),
        related_name="organised_sessions",
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        related_name="sessions_trained",
        blank=True,
    )
    audience = models.TextField(
        _("audience"),
        blank=True,
        help_text=_("Who the session is for: services, ranks, functions."),
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    language = models.CharField(
        _("language of the session"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ar",
        help_text=_("The language participants' pages open in; they can switch."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("attendance needed (%)"),
        default=80,
        help_text=_("Share of half-day slots a participant must attend to complete the course."),
    )
    min_post_test_percent = models.PositiveSmallIntegerField(
        _("post-test score needed (%)"), default=60
    )
    pre_test_form = models.CharField(
        _("pre-test form"), max_length=2, choices=FormCode.choices, default=FormCode.A
    )
    post_test_form = models.CharField(
        _("post-test form"), max_length=2, choices=FormCode.choices, default=FormCode.B
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[organisers, trainers])

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["status", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="session_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(min_attendance_percent__lte=100)
                & models.Q(min_post_test_percent__lte=100),
                name="session_thresholds_are_percentages",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class SessionSlot(models.Model):
    """A half-day of a session: what attendance is recorded against. Its check-in code
    is behind the QR code shown in the room."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="slots"
    )
    date = models.DateField(_("date"))
    part = models.CharField(_("half-day"), max_length=2, choices=HalfDay.choices)
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    check_in_code = models.CharField(
        _("check-in code"), max_length=64, unique=True, default=new_check_in_code, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("half-day slot")
        verbose_name_plural = _("half-day slots")
        ordering = ["session", "date", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "date", "part"], name="one_slot_per_half_day"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="slot_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_part_display()}"

    @property
    def duration_minutes(self) -> int:
        start = datetime.combine(self.date, self.starts_at)
        end = datetime.combine(self.date, self.ends_at)
        return int((end - start).total_seconds() // 60)
