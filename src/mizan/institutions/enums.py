from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    NHRI = "nhri", _("National human rights institution")
    LAW_ENFORCEMENT = "law_enforcement", _("Police or gendarmerie directorate")
    BORDER = "border", _("Border or customs service")
    MINISTRY = "ministry", _("Ministry")
    UN_AGENCY = "un_agency", _("UN agency")
    NGO = "ngo", _("Non-governmental organisation")
    ACADEMY = "academy", _("Training academy")
    OTHER = "other", _("Other")
