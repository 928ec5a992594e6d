"""``mizan settings``: every option read from the environment, its value and its meaning."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mizan.settings.environment import OPTIONS

SECRET_OPTIONS = {"MIZAN_SECRET_KEY", "DATABASE_URL", "MIZAN_EMAIL_URL"}


class Command(BaseCommand):
    help = "List the environment variables Mizan reads, with defaults and current values."

    def handle(self, *args: Any, **options: Any) -> None:
        for option in OPTIONS.values():
            value = option.value()
            if option.name in SECRET_OPTIONS and value and value != option.default:
                value = "(set, hidden)"
            self.stdout.write(self.style.MIGRATE_HEADING(option.name))
            self.stdout.write(f"  {option.description}")
            self.stdout.write(f"  default: {option.default or '(empty)'}")
            self.stdout.write(f"  current: {value or '(empty)'}")
