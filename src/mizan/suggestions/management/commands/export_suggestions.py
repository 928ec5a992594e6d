"""``mizan export-suggestions --user USERNAME --format csv|xlsx --output FILE [--round ID]
[--session ID]``: suggestions as USERNAME may read them, one row each.

The export is made for a named user, like the pages: an author's name appears only in the
rows whose author that user may see (never to a member of a committee reviewing them
blind), and a decision not yet released only to the round's readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mizan.accounts.models import User
from mizan.core.errors import MizanError
from mizan.suggestions.exports import EXPORT_FORMATS, SuggestionFilters, export_suggestions
from mizan.suggestions.queries import rounds_visible_to, suggestions_visible_to
from mizan.training.queries import sessions_visible_to


class Command(BaseCommand):
    help = gettext_noop(
        "Export suggestions as a user may read them: one row per suggestion, with the "
        "committee's outcome and the versions that integrated it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help=_("the user the export is made for: it shows what they may see"),
        )
        parser.add_argument(
            "--format",
            choices=list(EXPORT_FORMATS),
            help=_("file format (default: from the output file's extension, else csv)"),
        )
        parser.add_argument("--output", required=True, metavar="FILE", help=_("file to write"))
        parser.add_argument(
            "--round", type=int, metavar="ID", help=_("only the suggestions of this review round")
        )
        parser.add_argument(
            "--session", type=int, metavar="ID", help=_("only the suggestions of this session")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None or not user.is_active:
            raise CommandError(
                _("There is no active user %(username)s.") % {"username": options["user"]}
            )
        if not user.has_perm("suggestions.view_suggestion"):
            raise CommandError(
                _("%(username)s may not read suggestions.") % {"username": user.username}
            )
        filters = SuggestionFilters(round=options["round"], session=options["session"])
        if (
            filters.round is not None
            and not rounds_visible_to(user).filter(pk=filters.round).exists()
        ):
            raise CommandError(
                _("No review round %(id)s that %(username)s may read.")
                % {"id": filters.round, "username": user.username}
            )
        if (
            filters.session is not None
            and not sessions_visible_to(user).filter(pk=filters.session).exists()
        ):
            raise CommandError(_("No session %(id)s.") % {"id": filters.session})
        queryset = filters.apply(suggestions_visible_to(user), user).order_by("submitted_at", "pk")
        output_path = Path(options["output"])
        format_ = options["format"] or output_path.suffix.lower().lstrip(".")
        if format_ not in EXPORT_FORMATS:
            format_ = "csv"
        try:
            with output_path.open("wb") as output:
                export_suggestions(queryset, user=user, format=format_, output=output)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output_path, "error": error}
            ) from error
        except MizanError as error:
            output_path.unlink(missing_ok=True)
            raise CommandError(str(error.message)) from error
        self.stderr.write(_("Exported to %(file)s.") % {"file": output_path})
