"""Partnership agreements between institutions, and the joint committees that follow
them up: members, meetings, decisions and the tasks that decisions create."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.partnerships.enums import CommitteeRole, MeetingStatus


class PartnershipAgreement(models.Model):
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    parties = models.ManyToManyField(
        "institutions.Institution", verbose_name=_("parties"), related_name="agreements"
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    scope = models.TextField(_("scope"))
    documents = models.ManyToManyField(
        "evidence.EvidenceFile", verbose_name=_("documents"), related_name="agreements", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[parties, documents])

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ["-starts_on", "id"]

    def __str__(self) -> str:
        return self.title


class Commitment(models.Model):
    """Something a party undertakes under an agreement; actions carry it out."""

    agreement = models.ForeignKey(
        PartnershipAgreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    text = models.TextField(_("commitment"))
    party = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("committed party"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    actions = models.ManyToManyField(
        "actions.Action", verbose_name=_("actions"), related_name="commitments", blank=True
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords(m2m_fields=[actions])

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agreement", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class JointCommittee(models.Model):
    agreement = models.ForeignKey(
        PartnershipAgreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="committees",
    )
    name = models.CharField(_("name"), max_length=200)
    mandate = models.TextField(_("mandate"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("joint committee")
        verbose_name_plural = _("joint committees")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    committee = models.ForeignKey(
        JointCommittee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("representing"),
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER
    )
    since = models.DateField(_("member since"), null=True, blank=True)
    until = models.DateField(_("member until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="one_seat_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Meeting(models.Model):
    committee = models.ForeignKey(
        JointCommittee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    attendees = models.ManyToManyField(
        CommitteeMember,
        verbose_name=_("members present"),
        related_name="meetings_attended",
        blank=True,
    )
    other_attendees = models.TextField(_("other people present"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    documents = models.ManyToManyField(
        "evidence.EvidenceFile", verbose_name=_("documents"), related_name="meetings", blank=True
    )
    history = HistoricalRecords(m2m_fields=[attendees, documents])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.committee} · {self.starts_at:%Y-%m-%d}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("decision"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="decision_number_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.number}"


class FollowUpTask(models.Model):
    """Work a decision gives to someone, by a date."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="tasks"
    )
    description = models.TextField(_("task"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="follow_up_tasks",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_up_tasks",
    )
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:80]
