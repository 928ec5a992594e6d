"""Into the curriculum: an accepted (and released) suggestion is linked to the changelog
entry of a new version that integrates it; a version sessions use does not change."""

from __future__ import annotations

import pytest

from mizan.core.errors import MizanError
from mizan.suggestions.enums import Outcome, SuggestionStatus
from mizan.suggestions.services import rounds
from mizan.suggestions.services.decisions import record_decisions
from mizan.suggestions.services.integration import (
    integrate_suggestions,
    link_suggestion,
    unlink_suggestion,
)
from mizan.training import services as training_services
from mizan.training.models import ChangelogEntry
from tests.suggestions.builders import decide_and_release, from_participant, open_round
from tests.training.builders import build_version


@pytest.fixture
def accepted(case):
    suggestion = from_participant(case.enrolments[0], "A case study at the border.")
    decide_and_release(case, open_round(case, [suggestion]), outcome=Outcome.ACCEPTED)
    suggestion.refresh_from_db()
    return suggestion


@pytest.fixture
def draft(case):
    return training_services.new_version_from(
        version=case.session.version, changelog="Lessons of the spring.", by=case.coordinator
    )


def _integrate(case, version, suggestions, **kwargs):
    values = {
        "version": version,
        "text": "A case study of a family stopped at the border.",
        "suggestions": suggestions,
        "by": case.trainer,
    }
    values.update(kwargs)
    return integrate_suggestions(**values)


def _refusal(**kwargs) -> MizanError:
    with pytest.raises(MizanError) as refused:
        _integrate(**kwargs)
    return refused.value


def test_an_accepted_suggestion_is_integrated_into_the_new_version(case, accepted, draft):
    module = draft.modules.order_by("id").last()
    entry = _integrate(case, draft, [accepted], modules=[module], text="  New case study.  ")
    assert (entry.version, entry.order, entry.text) == (draft, 1, "New case study.")
    assert list(entry.modules.all()) == [module]
    assert list(entry.suggestions.all()) == [accepted]
    assert entry.created_by == case.trainer
    accepted.refresh_from_db()
    assert accepted.status == SuggestionStatus.INTEGRATED
    assert {row.history_user for row in entry.history.all()} == {case.trainer}
    assert accepted.history.first().history_user == case.trainer
    second = _integrate(case, draft, [], text="Shorter day two.")
    assert second.order == 2


@pytest.mark.parametrize("outcome", [Outcome.REJECTED, Outcome.DEFERRED])
def test_a_suggestion_not_accepted_is_refused(case, draft, outcome):
    suggestion = from_participant(case.enrolments[1])
    decide_and_release(case, open_round(case, [suggestion]), outcome=outcome)
    error = _refusal(case=case, version=draft, suggestions=[suggestion])
    assert (error.field, error.code) == ("suggestions", "not_accepted")
    assert suggestion.reference in str(error.message)
    assert not ChangelogEntry.objects.filter(version=draft).exists()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DECIDED


def test_a_suggestion_still_in_review_is_refused(case, draft):
    suggestion = from_participant(case.enrolments[1])
    open_round(case, [suggestion])
    assert _refusal(case=case, version=draft, suggestions=[suggestion]).code == "not_accepted"
    assert not ChangelogEntry.objects.filter(version=draft).exists()


def test_an_accepted_decision_not_yet_released_is_not_integrated(case, draft):
    """Integrating it would tell every reader the outcome before the committee does."""
    suggestion = from_participant(case.enrolments[1])
    review_round = rounds.close_round(
        review_round=open_round(case, [suggestion]), by=case.coordinator
    )
    record_decisions(
        review_round=review_round,
        suggestions=[suggestion],
        outcome=Outcome.ACCEPTED,
        rationale="Agreed.",
        by=case.coordinator,
    )
    error = _refusal(case=case, version=draft, suggestions=[suggestion])
    assert (error.field, error.code) == ("suggestions", "not_released")
    assert not ChangelogEntry.objects.filter(version=draft).exists()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DECIDED


def test_a_frozen_version_is_not_changed(case, accepted):
    frozen = case.session.version
    error = _refusal(case=case, version=frozen, suggestions=[accepted])
    assert error.code == "frozen"
    assert not ChangelogEntry.objects.filter(version=frozen).exists()
    accepted.refresh_from_db()
    assert accepted.status == SuggestionStatus.DECIDED


def test_only_modules_of_the_version(case, accepted, draft):
    old_module = case.session.version.modules.first()
    error = _refusal(case=case, version=draft, suggestions=[accepted], modules=[old_module])
    assert error.field == "modules"
    assert old_module.title in str(error.message)
    assert not ChangelogEntry.objects.filter(version=draft).exists()


def test_a_suggestion_about_another_curriculum_is_refused(case, accepted):
    other = build_version(case.coordinator, code="gender-based-violence")
    error = _refusal(case=case, version=other, suggestions=[accepted])
    assert error.field == "suggestions"
    assert "another curriculum" in str(error.message)


def test_a_change_needs_its_text(case, accepted, draft):
    error = _refusal(case=case, version=draft, suggestions=[accepted], text="  ")
    assert (error.field, error.code) == ("text", "required")


def test_linking_to_an_existing_entry_and_unlinking(case, accepted, draft):
    first = _integrate(case, draft, [], text="New case study.")
    second = _integrate(case, draft, [], text="New exercise.")
    link_suggestion(entry=first, suggestion=accepted, by=case.coordinator)
    link_suggestion(entry=second, suggestion=accepted, by=case.coordinator)
    accepted.refresh_from_db()
    assert accepted.status == SuggestionStatus.INTEGRATED
    assert set(accepted.changelog_entries.all()) == {first, second}
    unlink_suggestion(entry=first, suggestion=accepted, by=case.coordinator)
    accepted.refresh_from_db()
    assert accepted.status == SuggestionStatus.INTEGRATED, "still integrated by the other"
    unlink_suggestion(entry=second, suggestion=accepted, by=case.coordinator)
    accepted.refresh_from_db()
    assert accepted.status == SuggestionStatus.DECIDED
    assert not accepted.changelog_entries.exists()
    assert accepted.history.first().history_user == case.coordinator


def test_unlinking_a_suggestion_never_linked_leaves_its_status(case, accepted, draft):
    in_review = from_participant(case.enrolments[1])
    open_round(case, [in_review])
    entry = _integrate(case, draft, [accepted])
    unlink_suggestion(entry=entry, suggestion=in_review, by=case.coordinator)
    in_review.refresh_from_db()
    assert in_review.status == SuggestionStatus.IN_REVIEW


def test_a_frozen_versions_entries_keep_their_suggestions(case, accepted, draft):
    entry = _integrate(case, draft, [accepted])
    training_services.publish_version(version=draft, by=case.coordinator)
    training_services.freeze_version(version=draft, by=case.coordinator)
    entry.refresh_from_db()
    with pytest.raises(MizanError) as refused:
        unlink_suggestion(entry=entry, suggestion=accepted, by=case.coordinator)
    assert refused.value.code == "frozen"
    assert list(entry.suggestions.all()) == [accepted]
