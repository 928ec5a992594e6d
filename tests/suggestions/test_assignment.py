"""Assigning reviewers: balanced across the committee's members, never to someone with a
conflict of interest, the same reviewers for a group, and saying when members are short.

Who may review what in the case: the participants are officers of the police directorate
and the session was trained by ``session.trainer`` (police); the secretary is police
staff; the chair and ``reviewer`` are NHRI staff; ``member`` is of the border police unit.
"""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from mizan.core.errors import MizanError
from mizan.suggestions.models import ReviewAssignment, ReviewRound
from mizan.suggestions.services import rounds
from tests.suggestions.builders import from_participant, from_staff


def _preparing(case, suggestions, per: int = 2) -> ReviewRound:
    review_round = rounds.create_round(
        committee=case.committee,
        title="Spring",
        reviewers_per_suggestion=per,
        curriculum=case.session.version.curriculum,
        by=case.coordinator,
    )
    rounds.add_suggestions(review_round=review_round, suggestions=suggestions, by=case.coordinator)
    return review_round


def _reviewers(review_round: ReviewRound, suggestion) -> set[str]:
    return set(
        review_round.assignments.filter(suggestion=suggestion).values_list(
            "reviewer__user__username", flat=True
        )
    )


def _loads(review_round: ReviewRound) -> Counter[str]:
    return Counter(review_round.assignments.values_list("reviewer__user__username", flat=True))


@pytest.mark.parametrize(("per", "each"), [(2, {5}), (3, {7, 8})])
def test_ten_suggestions_are_shared_evenly_among_four_eligible_members(case, per, each):
    # Suggestions of an unrelated ministry's staff about the session: only its trainer is
    # in conflict, so the chair, the secretary, the member and the reviewer are eligible.
    suggestions = [from_staff(case.outsider, f"Idea {n}", session=case.session) for n in range(10)]
    review_round = _preparing(case, suggestions, per=per)
    summary = rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assert summary.created == 10 * per
    assert summary.short == {}
    loads = _loads(review_round)
    assert set(loads) == {"chair", "secretary", "member", "reviewer"}
    assert max(loads.values()) - min(loads.values()) <= 1
    assert set(loads.values()) == each
    assert all(len(_reviewers(review_round, s)) == per for s in suggestions)
    assert {m.user.username: n for m, n in summary.load.items()} == {**loads, "session.trainer": 0}


def test_members_with_fewer_choices_are_still_balanced(case):
    """Police officers' suggestions go to three members at most; others' to all five."""
    police = [from_participant(case.enrolments[n % 3], f"Officer idea {n}") for n in range(6)]
    others = [from_staff(case.outsider, f"Ministry idea {n}") for n in range(4)]
    review_round = _preparing(case, police + others)
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    loads = _loads(review_round)
    assert sum(loads.values()) == 20
    assert set(loads.values()) == {4}, loads
    for suggestion in police:
        assert _reviewers(review_round, suggestion) <= {"chair", "member", "reviewer"}


def test_the_trainer_of_the_session_and_the_authors_unit_do_not_review(case):
    """A police officer's suggestion is not reviewed by police staff (the secretary), nor
    by the trainer of the session it came from."""
    suggestion = from_participant(case.enrolments[0])
    review_round = _preparing(case, [suggestion], per=3)
    summary = rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assert _reviewers(review_round, suggestion) == {"chair", "member", "reviewer"}
    assert summary.short == {}
    members = rounds.active_members(case.committee)
    finder = rounds.ConflictFinder.for_round(review_round, members)
    reasons = {m.user.username: finder.reasons(m, suggestion) for m in members}
    assert reasons["secretary"] == ["belongs to the author's unit"]
    assert reasons["session.trainer"] == [
        "trained the session it came from",
        "belongs to the author's unit",
    ]
    assert reasons["chair"] == reasons["member"] == reasons["reviewer"] == []


def test_an_author_does_not_review_their_own_suggestion(case):
    """The chair's suggestion (NHRI) goes neither to the chair nor to the NHRI reviewer."""
    suggestion = from_staff(case.partnership.chair)
    review_round = _preparing(case, [suggestion], per=3)
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assert _reviewers(review_round, suggestion) == {"secretary", "member", "session.trainer"}
    members = {m.user.username: m for m in rounds.active_members(case.committee)}
    finder = rounds.ConflictFinder.for_round(review_round, list(members.values()))
    assert finder.reasons(members["chair"], suggestion) == [
        "wrote the suggestion",
        "belongs to the author's unit",
    ]


def test_an_anonymous_officer_has_no_unit_but_the_trainer_still_does_not_review(case):
    suggestion = from_participant(case.enrolments[0], anonymous=True)
    review_round = _preparing(case, [suggestion], per=4)
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assert _reviewers(review_round, suggestion) == {"chair", "secretary", "member", "reviewer"}


def test_a_group_gets_the_same_reviewers(case):
    grouped = [from_participant(case.enrolments[0]), from_participant(case.enrolments[1])]
    alone = [from_staff(case.outsider, f"Idea {n}") for n in range(3)]
    review_round = _preparing(case, grouped + alone)
    rounds.group_suggestions(
        review_round=review_round,
        suggestions=grouped,
        title="Case study at the border",
        by=case.coordinator,
    )
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    first, second = (_reviewers(review_round, s) for s in grouped)
    assert first == second
    assert len(first) == 2


def test_a_group_is_kept_from_a_member_in_conflict_with_any_of_it(case):
    """The chair wrote one suggestion of the group: they review none of it."""
    grouped = [from_participant(case.enrolments[0]), from_staff(case.partnership.chair)]
    review_round = _preparing(case, grouped, per=3)
    rounds.group_suggestions(
        review_round=review_round, suggestions=grouped, title="Same idea", by=case.coordinator
    )
    summary = rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    # The officer's excludes the secretary and the trainer, the chair's the chair and the
    # NHRI reviewer: only the border police member is left.
    assert (
        _reviewers(review_round, grouped[0]) == _reviewers(review_round, grouped[1]) == {"member"}
    )
    assert summary.short == {grouped[0]: 2, grouped[1]: 2}


def test_the_summary_counts_each_members_assignments(case):
    grouped = [from_staff(case.outsider, "Same idea"), from_staff(case.outsider, "Same idea!")]
    alone = [from_staff(case.outsider, f"Idea {n}") for n in range(3)]
    review_round = _preparing(case, grouped + alone)
    rounds.group_suggestions(
        review_round=review_round, suggestions=grouped, title="Same idea", by=case.coordinator
    )
    summary = rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    loads = _loads(review_round)
    assert {m.user.username: n for m, n in summary.load.items() if n} == dict(loads)
    again = rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assert again.load == summary.load


def test_running_it_twice_adds_nothing(case):
    suggestions = [from_participant(case.enrolments[0]), from_staff(case.outsider)]
    review_round = _preparing(case, suggestions)
    first = rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    before = list(review_round.assignments.values_list("suggestion", "reviewer"))
    second = rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assert (first.created, second.created) == (4, 0)
    assert list(review_round.assignments.values_list("suggestion", "reviewer")) == before
    assert ReviewAssignment.history.count() == 4


def test_a_suggestion_added_later_gets_reviewers_and_the_others_keep_theirs(case):
    first = from_participant(case.enrolments[0])
    review_round = _preparing(case, [first])
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    kept = _reviewers(review_round, first)
    later = from_staff(case.outsider)
    rounds.add_suggestions(review_round=review_round, suggestions=[later], by=case.coordinator)
    summary = rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assert summary.created == 2
    assert _reviewers(review_round, first) == kept
    assert len(_reviewers(review_round, later)) == 2
    # The two who got nothing the first time are served first.
    assert not _reviewers(review_round, later) & kept


@pytest.mark.parametrize(("per", "short"), [(4, 1), (5, 2)])
def test_short_of_eligible_members_says_by_how_many(case, per, short):
    suggestion = from_participant(case.enrolments[0])
    review_round = _preparing(case, [suggestion], per=per)
    summary = rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assert summary.short == {suggestion: short}
    assert review_round.assignments.count() == 3


def test_a_member_whose_seat_ended_or_whose_account_is_closed_does_not_review(case):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    case.seats["reviewer"].until = yesterday
    case.seats["reviewer"].save()
    case.partnership.member.is_active = False
    case.partnership.member.save()
    suggestion = from_participant(case.enrolments[0])
    review_round = _preparing(case, [suggestion])
    summary = rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assert _reviewers(review_round, suggestion) == {"chair"}
    assert summary.short == {suggestion: 1}


def test_assignments_are_recorded_as_made_by_the_person_who_ran_it(case):
    review_round = _preparing(case, [from_participant(case.enrolments[0])])
    rounds.assign_reviewers(review_round=review_round, by=case.partnership.secretary)
    rows = ReviewAssignment.history.all()
    assert rows.count() == 2
    assert {row.history_user for row in rows} == {case.partnership.secretary}


def test_nothing_is_assigned_once_the_review_is_closed(case):
    review_round = _preparing(case, [from_participant(case.enrolments[0])])
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    rounds.open_round(review_round=review_round, by=case.coordinator)
    review_round = rounds.close_round(review_round=review_round, by=case.coordinator)
    with pytest.raises(MizanError) as refused:
        rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assert refused.value.code == "wrong_status"


def test_an_unsubmitted_assignment_can_be_taken_back_a_submitted_one_cannot(case):
    review_round = _preparing(case, [from_participant(case.enrolments[0])])
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    rounds.open_round(review_round=review_round, by=case.coordinator)
    kept, taken_back = review_round.assignments.all()
    rounds.submit_review(
        assignment=kept,
        scores={c.pk: 2 for c in review_round.criteria.all()},
        comment="",
        by=kept.reviewer.user,
    )
    taken_back_id = taken_back.pk
    rounds.unassign(assignment=taken_back, by=case.partnership.secretary)
    assert list(review_round.assignments.all()) == [kept]
    deleted = ReviewAssignment.history.get(id=taken_back_id, history_type="-")
    assert deleted.history_user == case.partnership.secretary
    with pytest.raises(MizanError):
        rounds.unassign(assignment=ReviewAssignment.objects.get(pk=kept.pk), by=case.coordinator)
    assert review_round.assignments.filter(pk=kept.pk).exists()
