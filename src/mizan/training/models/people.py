"""Participants (people, who may attend several sessions), their enrolment in a session
(a nomination the organiser approves or declines) and their personal links.

A participant's personal data is visible only to staff of the institutions that organise
a session they are enrolled in, to that session's trainers, and to the institution that
nominated them (see ``training.queries.participants_visible_to``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.training.codes import new_link_token, new_pseudonym
from mizan.training.enums import EnrolmentStatus, Sex


class Participant(models.Model):
    name_latin = models.CharField(_("name (Latin script)"), max_length=200, blank=True)
    name_arabic = models.CharField(_("name (Arabic script)"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participants",
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    service_number = models.CharField(
        _("service number"),
        max_length=60,
        blank=True,
        help_text=_("Optional and sensitive: shown only to the organisers of their sessions."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent_given_at = models.DateTimeField(
        _("consent given"),
        null=True,
        blank=True,
        help_text=_("When the participant agreed that their data be kept for the training."),
    )
    pseudonym = models.CharField(
        _("pseudonymous id"), max_length=16, unique=True, default=new_pseudonym, editable=False
    )
    trained_in_cascade = models.ForeignKey(
        "training.CascadeSession",
        verbose_name=_("trained in the cascade session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relay_trainers",
        help_text=_("For a person who reports cascade sessions after being trained in one."),
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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["name_latin", "name_arabic", "id"]
        indexes = [
            models.Index(fields=["institution", "sex"]),
            models.Index(fields=["region"]),
            models.Index(fields=["service_number"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_latin="", name_arabic=""),
                name="participant_has_a_name",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.name_latin and self.name_arabic:
            return f"{self.name_latin} ({self.name_arabic})"
        return self.name_latin or self.name_arabic


class Enrolment(models.Model):
    """A participant's place in a session. A partner institution nominates; the
    organiser approves within capacity or declines. A roster imported by the organiser
    enrols participants as approved."""

    session = models.ForeignKey(
        "training.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.NOMINATED,
    )
    nominated_by = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    nominated_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by (person)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    follow_up_invited_at = models.DateTimeField(
        _("invited to the follow-up survey"), null=True, blank=True
    )
    follow_up_reminded_at = models.DateTimeField(
        _("reminded of the follow-up survey"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "participant__name_latin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="one_enrolment_per_participant"
            )
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.participant} · {self.session}"


class PersonalLink(models.Model):
    """An unguessable, expiring link that opens a participant's phone pages without an
    account. A link belongs to a person and, usually, to one of their enrolments."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="links",
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_link_token, editable=False
    )
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(_("Personal link of %(participant)s") % {"participant": self.participant})

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
