"""``mizan import-roster --session ID FILE [--dry-run]``: enrol a roster's officers in a
session, every row or none.

Problems are printed one a line (line, column, reason) on standard error and the command
exits with status 1. A row that is probably someone already recorded stops the import
until it is decided with ``--same-person LINE=PARTICIPANT_ID`` or ``--new-person LINE``.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mizan.accounts.models import User
from mizan.recommendations.importers import ImportProblem, ImportRejected
from mizan.training.duplicates import reason_labels
from mizan.training.models import Participant, TrainingSession
from mizan.training.rosters import RowDecision
from mizan.training.services.rosters import (
    DuplicatesUndecided,
    RosterImportResult,
    import_roster,
)


class Command(BaseCommand):
    help = "Enrol the officers of a roster file (CSV or XLSX) in a session: every row, or none."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The roster file (CSV or XLSX).")
        parser.add_argument("--session", type=int, required=True, help="The session's id.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and the decisions, and count, without writing anything.",
        )
        parser.add_argument(
            "--same-person",
            action="append",
            default=[],
            metavar="LINE=PARTICIPANT_ID",
            help="The row on LINE is the participant PARTICIPANT_ID (repeatable).",
        )
        parser.add_argument(
            "--new-person",
            action="append",
            default=[],
            type=int,
            metavar="LINE",
            help="The row on LINE is a new person, whoever it resembles (repeatable).",
        )
        parser.add_argument(
            "--fill-blanks",
            action="store_true",
            help="Fill in the empty details of each --same-person participant from the row.",
        )
        parser.add_argument(
            "--user",
            help="Username the audit trail names; the search for people already recorded "
            "then covers only those this user may see.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        session = TrainingSession.objects.filter(pk=options["session"]).first()
        if session is None:
            raise CommandError(_("There is no session %(id)s.") % {"id": options["session"]})
        decisions = self._decisions(options)
        try:
            result = import_roster(
                session=session,
                file=data,
                by=self._user(options.get("user")),
                merge_decisions=decisions,
                dry_run=options["dry_run"],
            )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(describe_problem(problem))
            raise CommandError(str(rejected.message)) from None
        except DuplicatesUndecided as undecided:
            self._describe_candidates(undecided)
            raise CommandError(
                _(
                    "%(message)s Give --same-person LINE=PARTICIPANT_ID or --new-person LINE "
                    "for each of these lines."
                )
                % {"message": undecided.message}
            ) from None
        self.stdout.write(describe_result(result))

    def _decisions(self, options: dict[str, Any]) -> dict[int, RowDecision]:
        decisions: dict[int, RowDecision] = {}
        for item in options["same_person"]:
            line, equals, participant = item.partition("=")
            if not equals or not line.strip().isdigit() or not participant.strip().isdigit():
                raise CommandError(
                    _("--same-person takes LINE=PARTICIPANT_ID, not %(value)s.") % {"value": item}
                )
            decisions[int(line)] = RowDecision.same_person(
                int(participant), fill_blanks=options["fill_blanks"]
            )
        for line in options["new_person"]:
            if line in decisions:
                raise CommandError(
                    _("Line %(line)s is given as both the same person and a new person.")
                    % {"line": line}
                )
            decisions[line] = RowDecision.new_person()
        return decisions

    def _describe_candidates(self, undecided: DuplicatesUndecided) -> None:
        ids = {c.participant_id for row in undecided.rows for c in row.candidates}
        people = Participant.objects.select_related("institution").in_bulk(list(ids))
        for row in undecided.rows:
            self.stderr.write(
                _("Line %(line)s: %(name)s may be someone already recorded:")
                % {"line": row.line, "name": row.name}
            )
            for candidate in row.candidates:
                person = people.get(candidate.participant_id)
                if person is None:
                    continue
                self.stderr.write(
                    "  "
                    + _(
                        "participant %(id)s, %(name)s, %(institution)s, service number "
                        "%(number)s (score %(score)s: %(reasons)s)"
                    )
                    % {
                        "id": person.pk,
                        "name": person.name,
                        "institution": person.institution or "—",
                        "number": person.service_number or "—",
                        "score": candidate.score,
                        "reasons": "; ".join(reason_labels(candidate.reasons)),
                    }
                )

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user %(username)s.") % {"username": username})
        return user


def describe_problem(problem: ImportProblem) -> str:
    """One problem on one line of output (the messages are the recommendation
    import's, so they are translated once)."""
    values = {"line": problem.line, "column": problem.column, "reason": problem.reason}
    message = {
        (True, True): _("Line %(line)s, column %(column)s: %(reason)s"),
        (True, False): _("Line %(line)s: %(reason)s"),
        (False, True): _("Column %(column)s: %(reason)s"),
        (False, False): "%(reason)s",
    }[(problem.line is not None, bool(problem.column))]
    return message % values


def describe_result(result: RosterImportResult) -> str:
    values = {
        "session": result.session.title,
        "enrolled": len(result.enrolments),
        "created": result.created,
        "matched": result.matched,
        "already": result.already_enrolled,
    }
    if result.dry_run:
        return (
            _(
                "Dry run, nothing was written. %(enrolled)s people would be enrolled in "
                "“%(session)s”: %(created)s new, %(matched)s already recorded (%(already)s "
                "of them already enrolled)."
            )
            % values
        )
    return (
        _(
            "%(enrolled)s people enrolled in “%(session)s”: %(created)s new, %(matched)s "
            "already recorded (%(already)s of them already enrolled)."
        )
        % values
    )
