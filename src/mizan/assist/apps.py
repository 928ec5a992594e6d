from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistConfig(AppConfig):
    name = "mizan.assist"
    verbose_name = _("Assist")

    def ready(self) -> None:
        from mizan.assist import rules, signals  # noqa: F401

        signals.connect()
