"""The committee's decisions: recorded one by one or in bulk, a group decided together,
changed until released, final once released; released only when every suggestion of a
closed round is decided."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from mizan.core.errors import MizanError
from mizan.partnerships import services as partnership_services
from mizan.suggestions.enums import Outcome, RoundStatus, SuggestionStatus
from mizan.suggestions.models import SuggestionDecision
from mizan.suggestions.queries import released_decisions
from mizan.suggestions.services import rounds
from mizan.suggestions.services.decisions import record_decisions, release_decisions
from tests.suggestions.builders import from_participant, from_staff, open_round


@pytest.fixture
def three(case):
    """A named officer's suggestion, an anonymous one and a ministry's, under review."""
    return [
        from_participant(case.enrolments[0], "A case study at the border."),
        from_participant(case.enrolments[1], "Longer breaks.", anonymous=True),
        from_staff(case.outsider, "Send the guide in Arabic.", session=case.session),
    ]


@pytest.fixture
def closed(case, three):
    review_round = open_round(case, three)
    return rounds.close_round(review_round=review_round, by=case.coordinator)


def _decide(case, review_round, suggestions, outcome=Outcome.ACCEPTED, **kwargs):
    values = {
        "review_round": review_round,
        "suggestions": suggestions,
        "outcome": outcome,
        "rationale": "The committee agreed.",
        "by": case.partnership.chair,
    }
    values.update(kwargs)
    return record_decisions(**values)


def _refusal(function, **kwargs) -> MizanError:
    with pytest.raises(MizanError) as refused:
        function(**kwargs)
    return refused.value


def test_decisions_are_recorded_in_bulk_at_a_meeting(case, closed, three):
    made = _decide(case, closed, three, rationale="  Adopted unanimously.  ", meeting=case.meeting)
    assert len(made) == 3
    for decision in SuggestionDecision.objects.all():
        assert decision.outcome == Outcome.ACCEPTED
        assert decision.rationale == "Adopted unanimously."
        assert decision.meeting == case.meeting
        assert decision.decided_by == case.partnership.chair
        assert decision.released_at is None
        assert decision.history.get().history_user == case.partnership.chair
    assert {s.status for s in closed.suggestions.all()} == {SuggestionStatus.DECIDED}
    assert {s.history.first().history_user for s in three} == {case.partnership.chair}


def test_deciding_while_reviewers_are_still_at_work_is_allowed(case, three):
    review_round = open_round(case, three)
    assert len(_decide(case, review_round, three[:1])) == 1


def test_nothing_is_decided_in_a_round_being_prepared(case, three):
    review_round = rounds.create_round(
        committee=case.committee, title="Not yet", by=case.coordinator
    )
    rounds.add_suggestions(review_round=review_round, suggestions=three, by=case.coordinator)
    assert _refusal(_decide, case=case, review_round=review_round, suggestions=three).code == (
        "wrong_status"
    )
    assert not SuggestionDecision.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rationale": "   "}, "rationale"),
        ({"outcome": "postponed"}, "outcome"),
        ({"suggestions": []}, "suggestions"),
    ],
)
def test_a_decision_needs_an_outcome_a_rationale_and_suggestions(
    case, closed, three, changes, field
):
    values = {"case": case, "review_round": closed, "suggestions": three, **changes}
    error = _refusal(_decide, **values)
    assert error.field == field
    assert not SuggestionDecision.objects.exists()


def test_a_suggestion_outside_the_round_is_refused(case, closed, three):
    stray = from_staff(case.partnership.member, "Not in the round.")
    error = _refusal(_decide, case=case, review_round=closed, suggestions=[three[0], stray])
    assert error.field == "suggestions"
    assert stray.reference in str(error.message)
    assert not SuggestionDecision.objects.exists()


def test_the_meeting_must_be_one_of_the_rounds_committee(case, closed, three):
    other = partnership_services.create_committee(
        agreement=case.partnership.agreement, name="Training committee", by=case.coordinator
    )
    meeting = partnership_services.schedule_meeting(
        committee=other,
        starts_at=timezone.now() + timedelta(days=3),
        place="Oujda",
        agenda="Curricula.",
        by=case.coordinator,
    )
    error = _refusal(_decide, case=case, review_round=closed, suggestions=three, meeting=meeting)
    assert error.field == "meeting"


def test_a_group_is_decided_together(case, three):
    review_round = rounds.create_round(
        committee=case.committee, title="Spring", by=case.coordinator
    )
    rounds.add_suggestions(review_round=review_round, suggestions=three, by=case.coordinator)
    rounds.group_suggestions(
        review_round=review_round, suggestions=three[:2], title="Same", by=case.coordinator
    )
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    review_round = rounds.open_round(review_round=review_round, by=case.coordinator)
    made = _decide(case, review_round, [three[1]], outcome=Outcome.REJECTED)
    assert {d.suggestion for d in made} == {three[0], three[1]}
    assert not SuggestionDecision.objects.filter(suggestion=three[2]).exists()


def test_merged_names_the_suggestion_merged_into(case, closed, three):
    error = _refusal(
        _decide, case=case, review_round=closed, suggestions=three[:1], outcome=Outcome.MERGED
    )
    assert error.field == "merged_into"
    made = _decide(case, closed, three[:1], outcome=Outcome.MERGED, merged_into=three[2])
    assert made[0].merged_into == three[2]
    assert list(three[2].merged_from.all()) == made


def test_a_suggestion_cannot_be_merged_into_itself_or_its_group(case, closed, three):
    itself = _refusal(
        _decide,
        case=case,
        review_round=closed,
        suggestions=three[:2],
        outcome=Outcome.MERGED,
        merged_into=three[1],
    )
    assert itself.field == "merged_into"
    rounds.group_suggestions(
        review_round=closed, suggestions=three[:2], title="Same", by=case.coordinator
    )
    grouped = _refusal(
        _decide,
        case=case,
        review_round=closed,
        suggestions=three[:1],
        outcome=Outcome.MERGED,
        merged_into=three[1],
    )
    assert grouped.field == "merged_into"
    assert not SuggestionDecision.objects.exists()


def test_another_outcome_forgets_the_merge_target(case, closed, three):
    [decision] = _decide(case, closed, three[:1], outcome=Outcome.DEFERRED, merged_into=three[2])
    decision.refresh_from_db()
    assert decision.merged_into is None


def test_deciding_again_before_the_release_replaces_the_decision(case, closed, three):
    _decide(case, closed, three[:1], outcome=Outcome.MERGED, merged_into=three[2])
    _decide(
        case,
        closed,
        three[:1],
        outcome=Outcome.REJECTED,
        rationale="Out of scope.",
        by=case.partnership.secretary,
    )
    decision = SuggestionDecision.objects.get()
    assert (decision.outcome, decision.rationale, decision.merged_into) == (
        Outcome.REJECTED,
        "Out of scope.",
        None,
    )
    assert decision.decided_by == case.partnership.secretary
    assert [row.history_user for row in decision.history.order_by("history_id")] == [
        case.partnership.chair,
        case.partnership.secretary,
    ]


def test_release_needs_a_closed_round(case, three):
    review_round = open_round(case, three)
    _decide(case, review_round, three)
    assert _refusal(release_decisions, review_round=review_round, by=case.coordinator).code == (
        "wrong_status"
    )
    assert not SuggestionDecision.objects.filter(released_at__isnull=False).exists()


def test_release_needs_every_suggestion_decided(case, closed, three):
    _decide(case, closed, three[:2])
    error = _refusal(release_decisions, review_round=closed, by=case.coordinator)
    assert error.code == "undecided"
    assert three[2].reference in str(error.message)
    assert three[0].reference not in str(error.message)
    closed.refresh_from_db()
    assert closed.status == RoundStatus.CLOSED
    assert not SuggestionDecision.objects.filter(released_at__isnull=False).exists()


def test_release_publishes_every_decision_and_is_final(
    case, closed, three, django_capture_on_commit_callbacks
):
    _decide(case, closed, three[:2])
    _decide(case, closed, three[2:], outcome=Outcome.REJECTED, rationale="Done already.")
    assert not released_decisions(three[0]).exists(), "authors see nothing before"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = release_decisions(review_round=closed, by=case.partnership.secretary)
    assert count == 3
    assert len(callbacks) == 1
    assert mail.outbox, "staff are told"
    closed.refresh_from_db()
    assert closed.status == RoundStatus.RELEASED
    assert closed.released_at is not None
    assert set(SuggestionDecision.objects.values_list("released_at", flat=True)) == {
        closed.released_at
    }
    assert closed.history.first().history_user == case.partnership.secretary
    assert {d.history.first().history_user for d in SuggestionDecision.objects.all()} == {
        case.partnership.secretary
    }
    [seen] = released_decisions(three[2])
    assert (seen.outcome, seen.rationale) == (Outcome.REJECTED, "Done already.")
    # Final: no second release, no new or changed decision.
    assert _refusal(release_decisions, review_round=closed, by=case.coordinator).code == "released"
    again = _refusal(_decide, case=case, review_round=closed, suggestions=three[:1])
    assert again.code == "released"
    assert SuggestionDecision.objects.get(suggestion=three[0]).outcome == Outcome.ACCEPTED


def test_the_notice_waits_for_the_release_to_be_committed(
    case, closed, three, django_capture_on_commit_callbacks
):
    _decide(case, closed, three)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        release_decisions(review_round=closed, by=case.coordinator)
    assert len(callbacks) == 1
    assert mail.outbox == [], "only once the release is committed"
