"""``mizan assign-reviewers ROUND_ID --user USERNAME``: give every suggestion of a review
round its reviewers (balanced across the committee's members, without conflicts of
interest) and print what came of it: the assignments made, the suggestions short of
reviewers and why, and each member's load.

The user must keep the round (``suggestions.change_reviewround``: the committee's chair
or secretary, or a coordinator); the audit trail names them. As on the page, a conflict
that would point at a suggestion's author is only counted when the round is blind.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from mizan.accounts.models import User
from mizan.core.errors import MizanError
from mizan.suggestions.dashboard import AssignmentReport, assignment_report
from mizan.suggestions.models import ReviewRound
from mizan.suggestions.services.rounds import assign_reviewers


class Command(BaseCommand):
    help = gettext_noop(
        "Assign reviewers to the suggestions of a review round, and print the summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("round", type=int, metavar="ROUND_ID", help=_("id of the round"))
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help=_("who assigns: a keeper of the round, named in the audit trail"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("There is no user %(name)s.") % {"name": options["user"]})
        review_round = (
            ReviewRound.objects.select_related("committee").filter(pk=options["round"]).first()
        )
        if review_round is None or not user.has_perm("suggestions.view_reviewround", review_round):
            raise CommandError(_("There is no review round %(id)s.") % {"id": options["round"]})
        if not user.has_perm("suggestions.change_reviewround", review_round):
            raise CommandError(
                _("%(name)s may not assign the reviewers of this round.") % {"name": user}
            )
        try:
            summary = assign_reviewers(review_round=review_round, by=user)
        except MizanError as error:
            raise CommandError(str(error.message)) from error
        self.write_report(assignment_report(review_round, summary, user))

    def write_report(self, report: AssignmentReport) -> None:
        self.stdout.write(
            ngettext("%(count)d assignment made.", "%(count)d assignments made.", report.created)
            % {"count": report.created}
        )
        if report.short:
            self.stdout.write(_("Suggestions short of reviewers:"))
        for line in report.short:
            self.stdout.write(
                "  "
                + ngettext(
                    "%(reference)s: %(count)d reviewer missing.",
                    "%(reference)s: %(count)d reviewers missing.",
                    line.missing,
                )
                % {"reference": line.suggestion.reference, "count": line.missing}
            )
            for member, reasons in line.conflicts:
                self.stdout.write(f"    {member.user}: {'; '.join(reasons)}")
            if line.hidden:
                self.stdout.write(
                    "    "
                    + ngettext(
                        "%(count)d other member has a conflict of interest.",
                        "%(count)d other members have a conflict of interest.",
                        line.hidden,
                    )
                    % {"count": line.hidden}
                )
        self.stdout.write(_("Load per member:"))
        for member, count in report.load:
            self.stdout.write(f"  {member.user}: {count}")
