from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "mizan.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from mizan.reports import signals

        signals.connect()
