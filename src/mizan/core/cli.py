"""The ``mizan`` console script: runs any management command (``mizan migrate``)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mizan.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mizan", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":  # pragma: no cover
    main()
