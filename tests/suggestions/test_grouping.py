"""Proposals of near-identical suggestions: the same words whatever their case,
punctuation, Arabic diacritics, tatweel or alef forms, in one language; never unrelated
texts, nor suggestions already grouped or decided."""

from __future__ import annotations

import pytest

from mizan.suggestions.grouping import normalise, propose_groups, propose_pairs
from mizan.suggestions.models import ReviewRound
from mizan.suggestions.services import decisions, rounds
from tests.suggestions.builders import from_participant, open_round

pytestmark = pytest.mark.django_db

BORDER = "Add a case study on families at the border."
BORDER_AGAIN = "add a case-study on families at the border"
ARABIC = "إضافة دراسة حالة عن الأسر على الحدود"
# The same words, with diacritics, a tatweel and bare alefs.
ARABIC_AGAIN = "اِضافةُ دراسـة حالةٍ عن الاسر على الحدود."


def round_with(case, texts: list[tuple[str, str]]) -> tuple[ReviewRound, list]:
    enrolment = case.enrolments[0]
    suggestions = [from_participant(enrolment, text, language=lang) for text, lang in texts]
    review_round = rounds.create_round(
        committee=case.committee, title="Spring", by=case.coordinator
    )
    rounds.add_suggestions(review_round=review_round, suggestions=suggestions, by=case.coordinator)
    return review_round, suggestions


def proposed_ids(review_round: ReviewRound) -> list[list[int]]:
    return [p.ids for p in propose_groups(review_round)]


def test_arabic_variants_normalise_to_the_same_text():
    assert normalise(ARABIC) == normalise(ARABIC_AGAIN)


def test_the_same_sentence_with_other_case_and_punctuation_is_proposed(case):
    review_round, (first, second, _other) = round_with(
        case,
        [(BORDER, "en"), (BORDER_AGAIN, "en"), ("Longer breaks between the modules.", "en")],
    )
    assert proposed_ids(review_round) == [[first.pk, second.pk]]


def test_arabic_variants_with_other_alef_and_diacritics_are_proposed(case):
    review_round, (first, second) = round_with(case, [(ARABIC, "ar"), (ARABIC_AGAIN, "ar")])
    [proposal] = propose_groups(review_round)
    assert proposal.ids == [first.pk, second.pk]
    assert proposal.score == 100


def test_a_small_change_in_wording_still_matches(case):
    review_round, (first, second) = round_with(
        case,
        [(BORDER, "en"), ("Add a case study about families at the border", "en")],
    )
    assert proposed_ids(review_round) == [[first.pk, second.pk]]


def test_unrelated_texts_are_not_grouped(case):
    review_round, _suggestions = round_with(
        case,
        [
            (BORDER, "en"),
            ("Give the participants the guide in Arabic a week before.", "en"),
            ("Longer breaks between the modules.", "en"),
            ("Add a role play on questioning a child at the border.", "en"),
        ],
    )
    assert proposed_ids(review_round) == []


def test_texts_in_different_languages_are_not_compared(case):
    review_round, _suggestions = round_with(case, [(BORDER, "en"), (BORDER, "fr")])
    assert proposed_ids(review_round) == []


def test_grouped_and_decided_suggestions_are_left_out(case):
    texts = [BORDER, BORDER_AGAIN, BORDER.upper(), BORDER.replace(".", "!")]
    suggestions = [from_participant(case.enrolments[0], text) for text in texts]
    review_round = open_round(case, suggestions)
    rounds.group_suggestions(
        review_round=review_round, suggestions=suggestions[:2], title="", by=case.coordinator
    )
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[suggestions[2]],
        outcome="deferred",
        rationale="Next year.",
        by=case.coordinator,
    )
    # The fourth is left alone: nothing to propose.
    assert proposed_ids(review_round) == []


def test_three_near_copies_make_one_proposal(case):
    review_round, suggestions = round_with(
        case,
        [
            (BORDER, "en"),
            (BORDER_AGAIN, "en"),
            ("Add a case study on families at the border!", "en"),
        ],
    )
    assert proposed_ids(review_round) == [[s.pk for s in suggestions]]


def test_blocking_scores_few_pairs_among_many_different_texts():
    texts = {n: normalise(f"topic{n} alpha{n} beta{n} gamma{n} delta") for n in range(200)}
    texts[1000] = texts[7]
    components, compared = propose_pairs(texts)
    assert components.find(1000) == components.find(7)
    # Without blocking: 200 · 199 / 2 = 19,900 pairs.
    assert compared < 200
