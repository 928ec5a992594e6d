"""Proposing groups of near-identical suggestions in a review round, for the committee to
confirm: "Add a case study on families at the border." and "add a case-study on families
at the border" say the same thing, and should be reviewed and decided together.

Texts are compared after folding (``training.duplicates.fold``: case, accents, Arabic
diacritics and tatweel, alef forms, punctuation), only within one language, with
rapidfuzz's ``token_sort_ratio`` (0–100, word order ignored). A proposal is a connected
component of at least two suggestions whose pairs score at least the threshold.

**Blocking.** Rather than scoring every pair of a language, each text is keyed by its
few rarest words (by how many texts of the round use them), and only texts sharing a key
are scored. Two near-identical texts share most words, so they share at least one rare
one. Pairs already joined through other pairs are not scored again, so a run of identical
texts costs a linear number of comparisons. Identical folded texts are joined up front.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from mizan.suggestions.enums import SuggestionStatus
from mizan.suggestions.models import ReviewRound, Suggestion
from mizan.training.duplicates import fold

#: Two texts scoring at least this (0–100) say the same thing.
DEFAULT_THRESHOLD = 85
#: How many of a text's rarest words key it for blocking.
KEY_WORDS = 4
#: Shorter words (articles, "de", "في") never key a text.
MIN_KEY_LENGTH = 3


@dataclass(frozen=True)
class GroupProposal:
    """Suggestions of a round that probably say the same thing, lowest id first;
    ``score`` is the lowest score of the pairs that joined them."""

    suggestions: tuple[Suggestion, ...]
    score: int

    @property
    def ids(self) -> list[int]:
        return [s.pk for s in self.suggestions]


def normalise(text: str) -> str:
    """The form texts are compared in: folded, in single spaces."""
    return fold(text or "")


class _Components:
    """Union–find over suggestion ids, remembering the weakest link of each component."""

    def __init__(self, ids: Sequence[int]) -> None:
        self.parent = {i: i for i in ids}
        self.weakest: dict[int, int] = {}

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def join(self, first: int, second: int, score: int) -> None:
        a, b = self.find(first), self.find(second)
        low = min(score, self.weakest.get(a, 100), self.weakest.get(b, 100))
        if a != b:
            self.parent[b] = a
        self.weakest[a] = low


def _blocking_keys(words: list[str], frequency: Counter[str]) -> set[str]:
    candidates = sorted(
        {w for w in words if len(w) >= MIN_KEY_LENGTH} or set(words),
        key=lambda w: (frequency[w], w),
    )
    return set(candidates[:KEY_WORDS])


def propose_pairs(
    texts: dict[int, str], threshold: int = DEFAULT_THRESHOLD
) -> tuple[_Components, int]:
    """Join the ids of ``texts`` (already normalised, one language) whose texts score at
    least ``threshold``. Returns the components and how many pairs were scored."""
    components = _Components(list(texts))
    by_text: dict[str, list[int]] = defaultdict(list)
    for pk, text in texts.items():
        by_text[text].append(pk)
    for text, same in by_text.items():
        if not text:
            continue
        for other in same[1:]:
            components.join(same[0], other, 100)
    # One representative per distinct text is enough from here on.
    representatives = {same[0]: text for text, same in by_text.items() if text}
    words = {pk: text.split() for pk, text in representatives.items()}
    frequency: Counter[str] = Counter(w for ws in words.values() for w in set(ws))
    blocks: dict[str, list[int]] = defaultdict(list)
    for pk in sorted(representatives):
        for key in _blocking_keys(words[pk], frequency):
            blocks[key].append(pk)
    scored: set[tuple[int, int]] = set()
    compared = 0
    for members in blocks.values():
        for index, first in enumerate(members):
            for second in members[index + 1 :]:
                if (first, second) in scored or components.find(first) == components.find(second):
                    continue
                scored.add((first, second))
                compared += 1
                score = fuzz.token_sort_ratio(
                    representatives[first], representatives[second], score_cutoff=threshold
                )
                if score >= threshold:
                    components.join(first, second, round(score))
    return components, compared


def groupable_suggestions(review_round: ReviewRound) -> list[Suggestion]:
    """The round's suggestions that may still be grouped: not in a group, not decided."""
    return list(
        review_round.suggestions.filter(group__isnull=True)
        .exclude(decisions__round=review_round)
        .exclude(status__in=[SuggestionStatus.DECIDED, SuggestionStatus.INTEGRATED])
        .order_by("id")
    )


def propose_groups(
    review_round: ReviewRound, threshold: int = DEFAULT_THRESHOLD
) -> list[GroupProposal]:
    """Proposals of near-identical suggestions among the round's ungrouped, undecided
    ones, largest first."""
    suggestions = groupable_suggestions(review_round)
    by_language: dict[str, dict[int, str]] = defaultdict(dict)
    for suggestion in suggestions:
        by_language[suggestion.language][suggestion.pk] = normalise(suggestion.text)
    by_id = {s.pk: s for s in suggestions}
    proposals = []
    for texts in by_language.values():
        components, _compared = propose_pairs(texts, threshold)
        members: dict[int, list[int]] = defaultdict(list)
        for pk in texts:
            members[components.find(pk)].append(pk)
        for root, ids in members.items():
            if len(ids) < 2:
                continue
            proposals.append(
                GroupProposal(
                    suggestions=tuple(by_id[pk] for pk in sorted(ids)),
                    score=components.weakest.get(root, 100),
                )
            )
    proposals.sort(key=lambda p: (-len(p.suggestions), p.suggestions[0].pk))
    return proposals
