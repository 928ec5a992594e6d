from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up report on a UN document")
    SESSION = "session", _("Report on a training session")
    VERSION = "version", _("Report on a curriculum version")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word (DOCX)")
    XLSX = "xlsx", _("Spreadsheet (XLSX)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
