"""Every option Mizan reads from the environment, in one table.

``mizan settings`` prints this table; ``base.py`` reads each value through it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Option:
    name: str
    default: str
    description: str

    def value(self) -> str:
        return os.environ.get(self.name, self.default)


OPTIONS: dict[str, Option] = {
    option.name: option
    for option in [
        Option(
            "MIZAN_DATA_DIR",
            str(PROJECT_DIR / "data"),
            "Folder for the SQLite file, uploaded files and the generated development secret key.",
        ),
        Option(
            "DATABASE_URL",
            "",
            "Database URL, e.g. postgres://user:pass@host/mizan. "
            "Empty: a SQLite file in MIZAN_DATA_DIR.",
        ),
        Option(
            "MIZAN_SECRET_KEY",
            "",
            "Django secret key. Required in production; in "
            "development it is generated once into MIZAN_DATA_DIR/secret_key.",
        ),
        Option("MIZAN_DEBUG", "false", "Show debug pages (development only)."),
        Option(
            "MIZAN_ALLOWED_HOSTS",
            "localhost,127.0.0.1,[::1]",
            "Comma-separated host names the site answers to.",
        ),
        Option(
            "MIZAN_CSRF_TRUSTED_ORIGINS",
            "",
            "Comma-separated origins trusted for unsafe requests, e.g. https://mizan.example.org.",
        ),
        Option(
            "MIZAN_EMAIL_URL",
            "console://",
            "Where e-mail goes: console:// prints it, "
            "smtp://user:pass@host:587 sends it (smtp+tls:// for STARTTLS).",
        ),
        Option(
            "MIZAN_SITE_URL",
            "http://localhost:8000",
            "Address of the site as people reach it, for links in e-mails and calendar "
            "feeds, e.g. https://mizan.example.org.",
        ),
        Option("MIZAN_DEFAULT_FROM_EMAIL", "mizan@localhost", "Sender of Mizan's e-mails."),
        Option("MIZAN_TIME_ZONE", "Africa/Casablanca", "Time zone for dates shown to users."),
        Option("MIZAN_LOG_LEVEL", "INFO", "Log level of Mizan's own loggers."),
        Option(
            "MIZAN_EVIDENCE_MAX_MB",
            "20",
            "Largest evidence file accepted, in megabytes.",
        ),
        Option(
            "MIZAN_ESCALATE_AFTER_DAYS",
            "14",
            "Days an item may be overdue before the reminder job tells the institution's "
            "focal points.",
        ),
        Option(
            "MIZAN_REMINDER_HORIZON_DAYS",
            "14",
            "How many days ahead the reminder digest looks for work falling due.",
        ),
        Option(
            "MIZAN_PUBLIC_API_RATE",
            "120/minute",
            "Requests one address may make to the public API, e.g. 120/minute or 5000/day.",
        ),
    ]
}


def env(name: str) -> str:
    return OPTIONS[name].value()


def env_bool(name: str) -> bool:
    return env(name).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env(name).split(",") if item.strip()]


def development_secret_key(data_dir: Path) -> str:
    """Return the development key, generating it once into a file only its owner can read."""
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key
