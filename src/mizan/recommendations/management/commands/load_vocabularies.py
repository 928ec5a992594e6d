"""``mizan load_vocabularies``: create or update the vocabularies Mizan ships with."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from mizan.recommendations.vocabularies import load_shipped_vocabularies


class Command(BaseCommand):
    help = "Load the shipped vocabularies (SDG, GCM, UHRI themes, affected persons)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_shipped_vocabularies()
        for code, count in counts.items():
            self.stdout.write(
                _("%(vocabulary)s: %(count)d terms.") % {"vocabulary": code, "count": count}
            )
        self.stdout.write(self.style.SUCCESS(_("Shipped vocabularies are up to date.")))
