"""Evidence: files that back up an action, a progress report, an assessment, an agreement
or a meeting. Each upload is checked by its content (not its name) and its size."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    # The stored name is the content's digest: no user-chosen name reaches the disk.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class EvidenceFile(models.Model):
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    name = models.CharField(_("name"), max_length=200, help_text=_("The file's name as uploaded."))
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name
