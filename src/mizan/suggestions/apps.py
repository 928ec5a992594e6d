from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "mizan.suggestions"
    verbose_name = _("Suggestions")
