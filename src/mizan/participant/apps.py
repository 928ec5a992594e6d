from django.apps import AppConfig


class ParticipantConfig(AppConfig):
    """The participant's phone: pages opened with a personal link, no account."""

    name = "mizan.participant"

    def ready(self) -> None:
        from mizan.participant.redaction import install

        install()
