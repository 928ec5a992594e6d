from django.db import models
from django.utils.translation import gettext_lazy as _


class TagModelKind(models.TextChoices):
    #: Learned from the tags people confirmed in the vocabulary.
    LEARNED = "learned", _("learned from confirmed tags")
    #: No confirmed tags yet: the text is compared with the terms' labels and descriptions.
    DESCRIPTIONS = "descriptions", _("compared with the terms' descriptions")


class ClusterStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    #: The same request: one recommendation carries the actions for all.
    CONFIRMED = "confirmed", _("confirmed as the same request")
    #: Related (the same subject, another cycle), followed separately.
    LINKED = "linked", _("linked as related")
    #: Not duplicates after all; the pairs are remembered and not proposed again.
    DISMISSED = "dismissed", _("dismissed")
