from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    FOCAL_POINT = "focal_point", _("Focal point")
    TRAINER = "trainer", _("Trainer")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    VIEWER = "viewer", _("Viewer")
