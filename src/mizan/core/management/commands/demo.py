"""``mizan demo``: build a database with the demo case, print the logins and serve it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mizan.accounts.enums import Role
from mizan.core.demo import DEMO_PASSWORD, USERS, DemoSummary, load_demo
from mizan.institutions.models import Institution

SQLITE_ENGINE = "django.db.backends.sqlite3"
HOST = "127.0.0.1"


def is_sqlite_file(database: Mapping[str, Any]) -> bool:
    name = str(database.get("NAME") or "")
    return (
        database.get("ENGINE") == SQLITE_ENGINE
        and bool(name)
        and name != ":memory:"
        and "mode=memory" not in name
    )


def start_task_worker() -> subprocess.Popen[bytes]:
    """``mizan db_worker`` in a child process, with this process's settings."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mizan.core.cli",
            "db_worker",
            "--interval",
            "1",
            "--no-reload",
            "--no-startup-delay",
        ],
        env={**os.environ},
    )


def reset_database(database: Mapping[str, Any]) -> list[Path]:
    """Delete the SQLite file (and its journal files); refuse any other database."""
    if not is_sqlite_file(database):
        raise CommandError(
            _(
                "--reset only deletes a SQLite database file. This database is not one; "
                "empty it yourself if you really mean to."
            )
        )
    connections.close_all()
    name = str(database["NAME"])
    deleted = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(name + suffix)
        if path.exists():
            path.unlink()
            deleted.append(path)
    return deleted


class Command(BaseCommand):
    help = (
        "Create the database, load the shipped vocabularies and a fictional demo case, "
        "print the demo logins and serve Mizan on this computer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="Load and print, but do not start a server."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the SQLite database first and start afresh (refused on PostgreSQL).",
        )
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on.")

    def handle(self, *args: Any, **options: Any) -> None:
        port: int = options["port"]
        if not 0 < port < 65536:
            raise CommandError(_("The port must be between 1 and 65535."))
        database = connections["default"].settings_dict
        if options["reset"]:
            for path in reset_database(database):
                self.stdout.write(_("Deleted %(path)s.") % {"path": path})
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
        if is_sqlite_file(database):
            Path(str(database["NAME"])).parent.mkdir(parents=True, exist_ok=True)

        self.stdout.write(_("Preparing the database…"))
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("Loading the vocabularies and the demo case…"))
        summary = load_demo()
        self.print_summary(summary)

        url = f"http://{HOST}:{port}/"
        if options["no_serve"]:
            command = "mizan demo" if port == 8000 else f"mizan demo --port {port}"
            self.stdout.write(
                _("To serve it, run “%(command)s” and open %(url)s.")
                % {"command": command, "url": url}
            )
            return
        # The stylesheets are served by WhiteNoise from the collected, hashed files: with
        # DEBUG off, the {% static %} tag needs their manifest.
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("Open %(url)s in your browser. Press Ctrl-C to stop the server.") % {"url": url}
            )
        )
        # Reports asked for from the web, and notices, are background jobs: run a task
        # worker beside the server for as long as it serves.
        worker = start_task_worker()
        try:
            call_command(
                "runserver",
                f"{HOST}:{port}",
                use_reloader=False,
                use_static_handler=False,
                shutdown_message=_("Demo server stopped."),
            )
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    def print_summary(self, summary: DemoSummary) -> None:
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS(_("The Mizan demo is ready. All its content is fictional.")))
        write("")
        write(_("Vocabularies:"))
        for code, count in summary.vocabularies.items():
            write(
                "  " + _("%(vocabulary)s: %(count)d terms") % {"vocabulary": code, "count": count}
            )
        write(_("In the database:"))
        for line in [
            _("Institutions: %(count)d") % {"count": summary.institutions},
            _("Users: %(count)d") % {"count": summary.users},
            _("Mechanisms: %(count)d") % {"count": summary.mechanisms},
            _("Source documents: %(count)d") % {"count": summary.documents},
            _("Recommendations: %(count)d") % {"count": summary.recommendations},
            _("Tags: %(count)d, of which awaiting confirmation: %(unconfirmed)d")
            % {"count": summary.taggings, "unconfirmed": summary.unconfirmed_taggings},
            _("Assignments to institutions: %(count)d") % {"count": summary.assignments},
            _("Actions: %(count)d") % {"count": summary.actions},
            _("Partnership agreements: %(count)d") % {"count": summary.agreements},
            _("Curricula: %(count)d") % {"count": summary.curricula},
            _("Training sessions: %(count)d") % {"count": summary.sessions},
            _("Participants: %(count)d") % {"count": summary.participants},
            _("Certificates: %(count)d") % {"count": summary.certificates},
            _("Suggestions: %(count)d") % {"count": summary.suggestions},
        ]:
            write("  " + line)
        write("")
        write(
            _("Demo logins (the password of each is %(password)s):") % {"password": DEMO_PASSWORD}
        )
        self.print_logins()

    def print_logins(self) -> None:
        institutions = Institution.objects.in_bulk(
            [u.institution for u in USERS], field_name="code"
        )
        rows = [
            [
                pgettext("demo logins table", "Username"),
                pgettext("demo logins table", "Password"),
                pgettext("demo logins table", "Role"),
                pgettext("demo logins table", "Institution"),
            ]
        ]
        for user in USERS:
            institution = institutions.get(user.institution)
            rows.append(
                [
                    user.username,
                    DEMO_PASSWORD,
                    str(Role(user.role).label),
                    institution.name if institution else user.institution,
                ]
            )
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for index, row in enumerate(rows):
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            line = "  " + "  ".join([*cells, row[3]])
            self.stdout.write(self.style.MIGRATE_HEADING(line) if index == 0 else line)
