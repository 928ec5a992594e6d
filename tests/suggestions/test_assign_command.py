"""``mizan assign-reviewers ROUND_ID --user USERNAME``: assigns as the round's keeper,
prints the summary, refuses whoever may not, and keeps blind review."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from mizan.core.cli import main
from mizan.suggestions.models import ReviewAssignment
from mizan.suggestions.services import rounds
from tests.suggestions.builders import from_participant, from_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_connection(monkeypatch):
    """``mizan`` closes the database connections when a command ends, which would end
    the test's transaction on PostgreSQL."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def make_round(case, suggestions, *, blind: bool = True, per: int = 2):
    review_round = rounds.create_round(
        committee=case.committee,
        title="Spring",
        blind=blind,
        reviewers_per_suggestion=per,
        by=case.coordinator,
    )
    rounds.add_suggestions(review_round=review_round, suggestions=suggestions, by=case.coordinator)
    return review_round


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("assign_reviewers", *args, stdout=out)
    return out.getvalue()


def test_the_chair_assigns_and_reads_the_summary(case):
    review_round = make_round(case, [from_participant(case.enrolments[0])])
    out = run(str(review_round.pk), "--user", "chair")
    assert "2 assignments made." in out
    assert "Load per member:" in out
    assert "  chair: " in out
    assert ReviewAssignment.objects.filter(round=review_round).count() == 2
    assignment = ReviewAssignment.objects.filter(round=review_round).first()
    assert assignment.history.get().history_user == case.partnership.chair


def test_a_plain_member_may_not_assign(case):
    review_round = make_round(case, [from_participant(case.enrolments[0])])
    with pytest.raises(CommandError, match="may not assign"):
        run(str(review_round.pk), "--user", "reviewer")
    assert not ReviewAssignment.objects.exists()


def test_someone_who_cannot_read_the_round_is_told_it_does_not_exist(case):
    review_round = make_round(case, [from_participant(case.enrolments[0])])
    with pytest.raises(CommandError, match="no review round"):
        run(str(review_round.pk), "--user", "outsider")


def test_an_unknown_user_is_refused(case):
    review_round = make_round(case, [from_participant(case.enrolments[0])])
    with pytest.raises(CommandError, match="no user"):
        run(str(review_round.pk), "--user", "nobody")


def test_a_refusal_of_the_service_is_shown(case):
    review_round = make_round(case, [from_participant(case.enrolments[0])])
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    rounds.open_round(review_round=review_round, by=case.coordinator)
    rounds.close_round(review_round=review_round, by=case.coordinator)
    with pytest.raises(CommandError, match="cannot be done while the round"):
        run(str(review_round.pk), "--user", "chair")


def test_in_a_blind_round_the_summary_does_not_name_the_author(case):
    staff = from_staff(case.partnership.secretary, session=case.session)
    review_round = make_round(case, [staff], per=4)
    out = run(str(review_round.pk), "--user", "chair")
    assert "1 reviewer missing." in out
    assert "session.trainer: trained the session it came from" in out
    assert "wrote the suggestion" not in out
    assert "1 other member has a conflict of interest." in out


@pytest.mark.usefixtures("keep_connection")
def test_the_hyphenated_command_runs_from_the_mizan_script(case, capsys):
    review_round = make_round(case, [from_participant(case.enrolments[0])])
    main(["assign-reviewers", str(review_round.pk), "--user", "chair"])
    assert "2 assignments made." in capsys.readouterr().out
