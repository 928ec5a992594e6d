"""``mizan meeting-minutes MEETING_ID --language ar --output FILE`` writes the minutes as a
PDF; ``mizan release-decisions ROUND_ID --user USERNAME`` releases a round's decisions as
one of its keepers, and refuses while a suggestion is undecided or for anyone else."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from mizan.core.cli import main
from mizan.suggestions.enums import Outcome, RoundStatus
from mizan.suggestions.queries import released_decisions
from mizan.suggestions.services import decisions, rounds
from tests.suggestions.builders import from_participant, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_connection(monkeypatch):
    """``mizan`` closes the database connections when a command ends, which would end
    the test's transaction on PostgreSQL."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def closed_round(case):
    """A closed round of two suggestions; only the first is decided (at the meeting)."""
    first = from_participant(case.enrolments[0])
    second = from_participant(case.enrolments[1], "Longer breaks.")
    review_round = open_round(case, [first, second])
    review_round = rounds.close_round(review_round=review_round, by=case.coordinator)
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[first],
        outcome=Outcome.ACCEPTED,
        rationale="A case study the trainers asked for too.",
        meeting=case.meeting,
        by=case.coordinator,
    )
    return review_round, first, second


def decide_the_rest(case, review_round, suggestion) -> None:
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[suggestion],
        outcome=Outcome.DEFERRED,
        rationale="Next year.",
        by=case.coordinator,
    )


def release(*args: str) -> str:
    out = io.StringIO()
    call_command("release_decisions", *args, stdout=out)
    return out.getvalue()


# --- meeting-minutes ---------------------------------------------------------------------


def test_the_minutes_command_writes_the_pdf(case, closed_round, tmp_path):
    review_round, _first, second = closed_round
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[second],
        outcome="deferred",
        rationale="Next year.",
        meeting=case.meeting,
        by=case.coordinator,
    )
    decisions.release_decisions(review_round=review_round, by=case.coordinator)
    output = tmp_path / "minutes.pdf"
    out = io.StringIO()

    call_command(
        "meeting_minutes",
        str(case.meeting.pk),
        "--language",
        "ar",
        "--output",
        str(output),
        stdout=out,
    )

    assert output.read_bytes().startswith(b"%PDF")
    assert str(output) in out.getvalue()
    text = subprocess.run(
        ["pdftotext", str(output), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "A case study the trainers asked for too." in " ".join(text.split())


def test_the_minutes_command_refuses_an_unknown_meeting(db, tmp_path):
    with pytest.raises(CommandError, match="no meeting"):
        call_command(
            "meeting_minutes", "999999", "--output", str(tmp_path / "x.pdf"), stdout=io.StringIO()
        )
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.usefixtures("keep_connection")
def test_the_hyphenated_minutes_command_runs_from_the_mizan_script(case, tmp_path, capsys):
    output = tmp_path / "minutes-fr.pdf"

    main(["meeting-minutes", str(case.meeting.pk), "--language", "fr", "--output", str(output)])

    assert output.read_bytes().startswith(b"%PDF")
    assert str(output) in capsys.readouterr().out


# --- release-decisions -------------------------------------------------------------------


def test_the_release_is_refused_while_a_suggestion_is_undecided(case, closed_round):
    review_round, _first, second = closed_round

    with pytest.raises(CommandError, match=second.reference):
        release(str(review_round.pk), "--user", "chair")
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.CLOSED


def test_the_secretary_releases_the_decisions(case, closed_round):
    review_round, first, second = closed_round
    decide_the_rest(case, review_round, second)

    out = release(str(review_round.pk), "--user", "secretary")

    assert "2 decisions released." in out
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.RELEASED
    assert released_decisions(first).get().rationale == "A case study the trainers asked for too."
    assert review_round.history.first().history_user == case.partnership.secretary


def test_a_plain_member_may_not_release(case, closed_round):
    review_round, _first, second = closed_round
    decide_the_rest(case, review_round, second)

    with pytest.raises(CommandError, match="may not release"):
        release(str(review_round.pk), "--user", "reviewer")
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.CLOSED


def test_an_unknown_round_or_user_is_refused(case, closed_round):
    review_round = closed_round[0]

    with pytest.raises(CommandError, match="no review round"):
        release("999999", "--user", "chair")
    with pytest.raises(CommandError, match="no active user"):
        release(str(review_round.pk), "--user", "nobody")


@pytest.mark.usefixtures("keep_connection")
def test_the_hyphenated_release_command_runs_from_the_mizan_script(case, closed_round, capsys):
    review_round, _first, second = closed_round
    decide_the_rest(case, review_round, second)

    main(["release-decisions", str(review_round.pk), "--user", "chair"])

    assert "2 decisions released." in capsys.readouterr().out
