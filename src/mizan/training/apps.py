from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "mizan.training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from mizan.training import figures  # noqa: F401  (registers the training figures)
