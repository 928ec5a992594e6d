"""``mizan issue-certificates --session ID``: issue a certificate to every participant of a
completed session who completed the course, and list those who did not, with why."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from mizan.core.errors import MizanError
from mizan.training.models import TrainingSession
from mizan.training.services.certificates import issue_certificates


class Command(BaseCommand):
    help = gettext_noop(
        "Issue certificates to the participants of a completed session who completed the course."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("--session", type=int, required=True, help=_("id of the session"))
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help=_("the user the audit trail names as issuer (default: none, the system)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        session = TrainingSession.objects.filter(pk=options["session"]).first()
        if session is None:
            raise CommandError(_("There is no session %(id)s.") % {"id": options["session"]})
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(_("There is no user %(name)s.") % {"name": options["by"]})
        try:
            issued, not_eligible = issue_certificates(session=session, by=by)
        except MizanError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            ngettext(
                "%(count)d certificate issued.",
                "%(count)d certificates issued.",
                len(issued),
            )
            % {"count": len(issued)}
        )
        for certificate in issued:
            self.stdout.write(f"  {certificate.code}")
        if not_eligible:
            self.stdout.write(
                ngettext(
                    "%(count)d participant did not complete the course:",
                    "%(count)d participants did not complete the course:",
                    len(not_eligible),
                )
                % {"count": len(not_eligible)}
            )
            # The pseudonymous id, not the name: this output may end up in a log.
            for completion in not_eligible:
                pseudonym = completion.enrolment.participant.pseudonym
                self.stdout.write(f"  {pseudonym}: {' '.join(completion.reasons)}")
