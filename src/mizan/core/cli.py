"""The ``mizan`` console script: runs any management command (``mizan migrate``)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mizan.settings.base")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    # ``mizan send-reminders`` runs the ``send_reminders`` command: hyphens read better
    # on a command line and in a crontab.
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["mizan", *args])


if __name__ == "__main__":  # pragma: no cover
    main()
