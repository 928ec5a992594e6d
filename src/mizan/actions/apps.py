from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "mizan.actions"
    verbose_name = _("Actions")

    def ready(self) -> None:
        from mizan.actions.indicators import register_builtin_figures

        register_builtin_figures()
