"""``mizan release-decisions ROUND_ID --user USERNAME``: release a review round's decisions
on behalf of one of its keepers (the committee's chair or secretary, or a coordinator):
authors who are not anonymous then see them, and staff are told."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from mizan.core.errors import MizanError
from mizan.suggestions.models import ReviewRound
from mizan.suggestions.services.decisions import release_decisions


class Command(BaseCommand):
    help = gettext_noop(
        "Release the decisions of a review round, on behalf of the committee's chair, "
        "its secretary or a coordinator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("round", type=int, metavar="ROUND_ID", help=_("id of the review round"))
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help=_("who releases them; the audit trail names them"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        review_round = ReviewRound.objects.filter(pk=options["round"]).first()
        if review_round is None:
            raise CommandError(_("There is no review round %(id)s.") % {"id": options["round"]})
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("There is no active user %(name)s.") % {"name": options["user"]})
        if not user.has_perm("suggestions.decide", review_round):
            raise CommandError(
                _("%(name)s may not release the decisions of this round.")
                % {"name": options["user"]}
            )
        try:
            released = release_decisions(review_round=review_round, by=user)
        except MizanError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            ngettext("%(count)d decision released.", "%(count)d decisions released.", released)
            % {"count": released}
        )
