"""Review rounds: their rubric, the suggestions under review, opening and closing, and the
blind review that cannot be lifted once reviewers are at work."""

from __future__ import annotations

import pytest

from mizan.core.errors import MizanError
from mizan.suggestions.enums import Outcome, RoundStatus, SuggestionStatus
from mizan.suggestions.models import ReviewRound
from mizan.suggestions.services import decisions, rounds
from tests.suggestions.builders import from_participant, from_staff, open_round
from tests.training.builders import build_version

RUBRIC = [({"en": "Clarity", "fr": "Clarté"}, 4), ({"en": "Cost", "ar": "الكلفة"}, 1)]


def _round(case, **kwargs) -> ReviewRound:
    values = {
        "committee": case.committee,
        "title": "Autumn suggestions",
        "curriculum": case.session.version.curriculum,
        "by": case.partnership.chair,
    }
    values.update(kwargs)
    return rounds.create_round(**values)


def _refusal(function, **kwargs) -> MizanError:
    with pytest.raises(MizanError) as refused:
        function(**kwargs)
    return refused.value


# --- Creating, and the rubric -------------------------------------------------------------


def test_a_new_round_is_blind_and_has_the_default_rubric(case):
    review_round = _round(case)
    assert review_round.status == RoundStatus.PREPARING
    assert review_round.blind
    assert review_round.reviewers_per_suggestion == 2
    assert review_round.created_by == case.partnership.chair
    assert [(c.names["en"], c.names["ar"], c.weight) for c in review_round.criteria.all()] == [
        ("Relevance", "الملاءمة", 3),
        ("Feasibility", "قابلية التنفيذ", 2),
        ("Human rights impact", "الأثر على حقوق الإنسان", 3),
    ]
    assert review_round.history.get().history_user == case.partnership.chair
    assert {c.history.get().history_user for c in review_round.criteria.all()} == {
        case.partnership.chair
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": "  "}, "title"), ({"reviewers_per_suggestion": 0}, "reviewers_per_suggestion")],
)
def test_a_round_needs_a_title_and_at_least_one_reviewer_each(case, changes, field):
    assert _refusal(rounds.create_round, **{**_round_args(case), **changes}).field == field
    assert not ReviewRound.objects.exists()


def _round_args(case):
    return {"committee": case.committee, "title": "Autumn", "by": case.coordinator}


def test_the_rubric_is_replaced_in_order_while_preparing(case):
    review_round = _round(case)
    criteria = rounds.set_criteria(review_round=review_round, criteria=RUBRIC, by=case.coordinator)
    assert [(c.order, c.name, c.weight) for c in review_round.criteria.all()] == [
        (1, "Clarity", 4),
        (2, "Cost", 1),
    ]
    assert [c.pk for c in criteria] == [c.pk for c in review_round.criteria.all()]
    assert criteria[0].history.get().history_user == case.coordinator


@pytest.mark.parametrize("weight", [0, 11, "heavy"])
def test_a_weight_outside_1_to_10_is_refused_and_the_rubric_kept(case, weight):
    review_round = _round(case)
    error = _refusal(
        rounds.set_criteria,
        review_round=review_round,
        criteria=[({"en": "Clarity"}, 5), ({"en": "Cost"}, weight)],
        by=case.coordinator,
    )
    assert error.field == "criteria"
    assert "from 1 to 10" in str(error.message)
    assert review_round.criteria.count() == 3


def test_weights_1_and_10_are_accepted(case):
    review_round = _round(case)
    rounds.set_criteria(
        review_round=review_round,
        criteria=[({"en": "Light"}, 1), ({"en": "Heavy"}, 10)],
        by=case.coordinator,
    )
    assert list(review_round.criteria.values_list("weight", flat=True)) == [1, 10]


def test_an_empty_rubric_is_refused(case):
    error = _refusal(
        rounds.set_criteria, review_round=_round(case), criteria=[], by=case.coordinator
    )
    assert error.field == "criteria"


def test_the_rubric_is_fixed_once_reviewers_are_at_work(case):
    review_round = open_round(case, [from_participant(case.enrolments[0])])
    error = _refusal(
        rounds.set_criteria, review_round=review_round, criteria=RUBRIC, by=case.coordinator
    )
    assert error.code == "wrong_status"
    assert "Reviewers at work" in str(error.message)
    assert review_round.criteria.count() == 3


# --- The suggestions of a round ---------------------------------------------------------


def test_added_suggestions_are_in_review(case):
    review_round = _round(case)
    one, two = from_participant(case.enrolments[0]), from_staff(case.partnership.member)
    added = rounds.add_suggestions(
        review_round=review_round, suggestions=[one, two, one], by=case.coordinator
    )
    assert added == 2
    assert set(review_round.suggestions.all()) == {one, two}
    one.refresh_from_db()
    assert one.status == SuggestionStatus.IN_REVIEW
    assert one.history.first().history_user == case.coordinator
    assert rounds.add_suggestions(review_round=review_round, suggestions=[one], by=None) == 0


def test_a_suggestion_about_another_curriculum_is_refused(case):
    other = build_version(case.coordinator, code="gender-based-violence")
    stray = from_staff(case.partnership.member, subject="curriculum", curriculum=other.curriculum)
    review_round = _round(case)
    error = _refusal(
        rounds.add_suggestions, review_round=review_round, suggestions=[stray], by=case.coordinator
    )
    assert error.field == "suggestions"
    assert stray.reference in str(error.message)
    assert not review_round.suggestions.exists()


def _decided_elsewhere(case, outcome):
    suggestion = from_participant(case.enrolments[0])
    first = open_round(case, [suggestion])
    first = rounds.close_round(review_round=first, by=case.coordinator)
    decisions.record_decisions(
        review_round=first,
        suggestions=[suggestion],
        outcome=outcome,
        rationale="Next year.",
        by=case.coordinator,
    )
    decisions.release_decisions(review_round=first, by=case.coordinator)
    return suggestion


@pytest.mark.parametrize("outcome", [Outcome.ACCEPTED, Outcome.REJECTED])
def test_a_suggestion_decided_for_good_is_not_reviewed_again(case, outcome):
    suggestion = _decided_elsewhere(case, outcome)
    second = _round(case, title="Second look")
    error = _refusal(
        rounds.add_suggestions, review_round=second, suggestions=[suggestion], by=case.coordinator
    )
    assert "already been decided" in str(error.message)
    assert not second.suggestions.exists()


def test_a_deferred_suggestion_comes_back_in_a_later_round(case):
    suggestion = _decided_elsewhere(case, Outcome.DEFERRED)
    second = _round(case, title="Second look")
    assert (
        rounds.add_suggestions(review_round=second, suggestions=[suggestion], by=case.coordinator)
        == 1
    )


def test_a_suggestion_removed_before_review_is_received_again_without_reviewers(case):
    kept, removed = from_participant(case.enrolments[0]), from_participant(case.enrolments[1])
    review_round = open_round(case, [kept, removed])
    assert review_round.assignments.filter(suggestion=removed).count() == 2
    rounds.remove_suggestion(review_round=review_round, suggestion=removed, by=case.coordinator)
    removed.refresh_from_db()
    assert removed.status == SuggestionStatus.RECEIVED
    assert list(review_round.suggestions.all()) == [kept]
    assert not review_round.assignments.filter(suggestion=removed).exists()
    assert review_round.assignments.filter(suggestion=kept).count() == 2
    assert removed.history.first().history_user == case.coordinator


def test_a_reviewed_suggestion_stays_in_the_round(case):
    suggestion = from_participant(case.enrolments[0])
    review_round = open_round(case, [suggestion])
    assignment = review_round.assignments.first()
    rounds.submit_review(
        assignment=assignment,
        scores={c.pk: 3 for c in review_round.criteria.all()},
        comment="",
        by=assignment.reviewer.user,
    )
    error = _refusal(
        rounds.remove_suggestion,
        review_round=review_round,
        suggestion=suggestion,
        by=case.coordinator,
    )
    assert error.code == "reviewed"
    assert review_round.suggestions.filter(pk=suggestion.pk).exists()


def test_a_decided_suggestion_stays_in_the_round(case):
    """Its decision would otherwise be released for a suggestion no longer in the round."""
    decided, other = from_participant(case.enrolments[0]), from_participant(case.enrolments[1])
    review_round = open_round(case, [decided, other])
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[decided],
        outcome=Outcome.ACCEPTED,
        rationale="Agreed.",
        by=case.coordinator,
    )
    error = _refusal(
        rounds.remove_suggestion, review_round=review_round, suggestion=decided, by=case.coordinator
    )
    assert decided.reference in str(error.message)
    assert review_round.suggestions.filter(pk=decided.pk).exists()
    decided.refresh_from_db()
    assert decided.status == SuggestionStatus.DECIDED


def test_removing_a_suggestion_of_another_round_changes_nothing(case):
    elsewhere = from_participant(case.enrolments[0])
    open_round(case, [elsewhere])
    review_round = _round(case, title="Another")
    error = _refusal(
        rounds.remove_suggestion,
        review_round=review_round,
        suggestion=elsewhere,
        by=case.coordinator,
    )
    assert elsewhere.reference in str(error.message)
    elsewhere.refresh_from_db()
    assert elsewhere.status == SuggestionStatus.IN_REVIEW


# --- Groups of near-identical suggestions ------------------------------------------------


def test_a_group_needs_two_suggestions_of_the_round_and_records_who_made_it(case):
    one, two = from_participant(case.enrolments[0]), from_participant(case.enrolments[1])
    stray = from_staff(case.outsider)
    review_round = _round(case)
    rounds.add_suggestions(review_round=review_round, suggestions=[one, two], by=case.coordinator)
    lonely = _refusal(
        rounds.group_suggestions,
        review_round=review_round,
        suggestions=[one, one],
        title="Alone",
        by=case.coordinator,
    )
    assert lonely.field == "suggestions"
    outside = _refusal(
        rounds.group_suggestions,
        review_round=review_round,
        suggestions=[one, stray],
        title="Mixed",
        by=case.coordinator,
    )
    assert stray.reference in str(outside.message)
    group = rounds.group_suggestions(
        review_round=review_round, suggestions=[one, two], title="", by=case.partnership.chair
    )
    assert group.title == one.text, "untitled: named after its first suggestion"
    assert set(group.suggestions.all()) == {one, two}
    assert group.history.get().history_user == case.partnership.chair
    assert one.history.first().history_user == case.partnership.chair
    rounds.ungroup(group=group, by=case.partnership.secretary)
    one.refresh_from_db()
    assert one.group is None
    assert one.history.first().history_user == case.partnership.secretary


def test_a_decided_suggestion_is_not_grouped_afterwards(case):
    one, two = from_participant(case.enrolments[0]), from_participant(case.enrolments[1])
    review_round = rounds.close_round(
        review_round=open_round(case, [one, two]), by=case.coordinator
    )
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[one],
        outcome=Outcome.REJECTED,
        rationale="Out of scope.",
        by=case.coordinator,
    )
    error = _refusal(
        rounds.group_suggestions,
        review_round=review_round,
        suggestions=[one, two],
        title="Late",
        by=case.coordinator,
    )
    assert one.reference in str(error.message)
    assert not review_round.groups.exists()


# --- Opening and closing ----------------------------------------------------------------


def test_opening_needs_a_rubric(case):
    review_round = _round(case)
    rounds.add_suggestions(
        review_round=review_round,
        suggestions=[from_participant(case.enrolments[0])],
        by=case.coordinator,
    )
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    review_round.criteria.all().delete()
    error = _refusal(rounds.open_round, review_round=review_round, by=case.coordinator)
    assert error.code == "no_criteria"
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.PREPARING


def test_opening_needs_suggestions(case):
    error = _refusal(rounds.open_round, review_round=_round(case), by=case.coordinator)
    assert error.code == "empty_round"


def test_opening_needs_reviewers(case):
    review_round = _round(case)
    rounds.add_suggestions(
        review_round=review_round,
        suggestions=[from_participant(case.enrolments[0])],
        by=case.coordinator,
    )
    error = _refusal(rounds.open_round, review_round=review_round, by=case.coordinator)
    assert (error.code, str(error.message)) == ("no_assignments", "Assign reviewers first.")


def test_open_then_close(case):
    review_round = open_round(case, [from_participant(case.enrolments[0])])
    assert review_round.status == RoundStatus.REVIEWING
    assert review_round.history.first().history_user == case.coordinator
    closed = rounds.close_round(review_round=review_round, by=case.partnership.secretary)
    closed.refresh_from_db()
    assert closed.status == RoundStatus.CLOSED
    assert closed.history.first().history_user == case.partnership.secretary
    again = _refusal(rounds.close_round, review_round=closed, by=case.coordinator)
    assert again.code == "wrong_status"
    reopen = _refusal(rounds.open_round, review_round=closed, by=case.coordinator)
    assert reopen.code == "wrong_status"


def test_a_round_being_prepared_cannot_be_closed(case):
    assert _refusal(rounds.close_round, review_round=_round(case), by=None).code == "wrong_status"


# --- Blind review -----------------------------------------------------------------------


def test_blind_review_can_be_switched_while_preparing(case):
    review_round = _round(case)
    review_round = rounds.update_round(review_round=review_round, blind=False, by=case.coordinator)
    review_round.refresh_from_db()
    assert not review_round.blind
    assert review_round.history.first().history_user == case.coordinator


@pytest.mark.parametrize("blind", [True, False])
def test_blind_review_cannot_be_switched_once_reviewing(case, blind):
    review_round = open_round(case, [from_participant(case.enrolments[0])], blind=blind)
    error = _refusal(
        rounds.update_round, review_round=review_round, blind=not blind, by=case.coordinator
    )
    assert error.code == "wrong_status"
    review_round.refresh_from_db()
    assert review_round.blind is blind


def test_blind_review_cannot_be_lifted_after_the_review(case):
    review_round = open_round(case, [from_participant(case.enrolments[0])])
    review_round = rounds.close_round(review_round=review_round, by=case.coordinator)
    error = _refusal(
        rounds.update_round, review_round=review_round, blind=False, by=case.coordinator
    )
    assert error.code == "wrong_status"
    review_round.refresh_from_db()
    assert review_round.blind


def test_other_settings_change_while_reviewing(case):
    review_round = open_round(case, [from_participant(case.enrolments[0])])
    rounds.update_round(
        review_round=review_round, title="Spring, revised", blind=True, by=case.coordinator
    )
    review_round.refresh_from_db()
    assert (review_round.title, review_round.blind) == ("Spring, revised", True)


def test_an_unknown_field_is_refused(case):
    error = _refusal(
        rounds.update_round, review_round=_round(case), status="released", by=case.coordinator
    )
    assert "status" in str(error.message)
    assert ReviewRound.objects.get().status == RoundStatus.PREPARING
