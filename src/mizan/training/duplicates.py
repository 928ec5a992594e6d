"""Finding probable duplicate participants: the same officer recorded twice, from two
rosters, with two spellings of their name.

Two records are probably the same person when they share a service number, or when they
have the same sex and their names match after normalisation:

* any script: case, accents, punctuation and spacing are ignored (``Ben Ali`` and
  ``Benali``, ``عبد الله`` and ``عبدالله``);
* Arabic script: alef forms (أ إ آ ٱ → ا), ta marbuta (ة → ه), alef maqsura (ى → ي),
  hamza carriers, Persian keyboard letters, tatweel and diacritics; a leading ``ال``;
* Latin script: the particles ``El``/``Al`` (``El-Amrani``, ``Al Amrani``, ``Elamrani``),
  the spellings of ``Abd el``/``Abdul``/``Abdel`` compounds, the variants of Mohamed,
  and French and English transliterations of the same Arabic name (``Youssef``/``Yusuf``,
  ``Hicham``/``Hisham``, ``Mustapha``/``Mustafa``), compared on a consonant skeleton.

Names are scored with rapidfuzz token by token (0–100), in each script both records
have; the score is their mean. Two different service numbers mean two different people,
whatever their names. Names in different scripts (one record only in Latin letters, the
other only in Arabic) are not compared: no transliteration is attempted.

**Blocking.** Comparing every pair of 100,000 participants would take 5·10⁹ comparisons.
Each record instead gets a few blocking keys — its normalised service number, and for
each script the pairs of its name tokens' first consonants, with its sex — and only
records sharing a key are compared. Preparing the keys is linear; the comparisons are
Σ b² over the blocks (b: a block's size), which stays small because a block holds the
people who share two name tokens' beginnings and a sex; within a block a C-speed
rapidfuzz pass drops clearly different names before the finer score. In all:
O(N·k + Σ b²) with k ≤ 20 keys a record, against O(N²) without blocking.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any, NamedTuple

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz, process

from mizan.training.models import Participant

#: Two names scoring at least this (0–100) are probably the same person's.
NAME_THRESHOLD = 85
#: Within a block, pairs whose whole names score below this are not scored further.
PREFILTER = 50
#: A token matching only through its consonant skeleton scores this much.
SKELETON_SCORE = 95
#: Name tokens used for blocking keys (the first ones; rosters rarely hold more).
MAX_TOKENS = 5
#: Records streamed from the database per round.
CHUNK_SIZE = 2000


class MatchReason(models.TextChoices):
    SERVICE_NUMBER = "service_number", _("Same service number")
    LATIN_NAME = "latin_name", _("Similar name in Latin script")
    ARABIC_NAME = "arabic_name", _("Similar name in Arabic script")
    SEX_DIFFERS = "sex_differs", _("Recorded with a different sex")


@dataclass(frozen=True)
class Person:
    """What duplicate detection compares: a participant, or a row of a roster file
    (``id`` is then its line)."""

    id: int
    name_latin: str = ""
    name_arabic: str = ""
    sex: str = ""
    service_number: str = ""


@dataclass(frozen=True)
class Match:
    score: int
    reasons: tuple[MatchReason, ...]


@dataclass(frozen=True)
class Candidate:
    """An existing participant who is probably the person of a roster row."""

    participant_id: int
    score: int
    reasons: tuple[MatchReason, ...]


@dataclass(frozen=True)
class DuplicatePair:
    """Two existing participants who are probably the same person (``first_id`` <
    ``second_id``)."""

    first_id: int
    second_id: int
    score: int
    reasons: tuple[MatchReason, ...]


@dataclass(frozen=True)
class DuplicateSearch:
    pairs: list[DuplicatePair]
    people: int
    #: Pairs scored: what blocking keeps small.
    compared: int


# --- Normalising names ------------------------------------------------------------------

_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        # The same letters typed on a Persian keyboard.
        "ی": "ي",
        "ک": "ك",
        "ـ": "",  # tatweel, which only stretches a word
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NOT_WORD = re.compile(r"[\W_]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_VOWELS = frozenset("aeiouy")
#: Latin transliterations of one Arabic name, folded to one spelling.
_LATIN_VARIANTS = {
    variant: canonical
    for canonical, variants in {
        "mohamed": (
            "mohammed",
            "muhammad",
            "mohammad",
            "mohamad",
            "muhamed",
            "muhammed",
            "mouhamed",
            "mouhammed",
            "mohamd",
        ),
        "allah": ("ellah", "llah", "lah", "illah", "ullah"),
    }.items()
    for variant in variants
}
_LATIN_ABD = re.compile(r"^abd(?:e|a|u|ou|o)?l(.{3,})$")
#: French and English transliterations of the same sounds.
_DIGRAPHS = (("ou", "u"), ("ch", "sh"), ("dj", "j"), ("ph", "f"), ("ck", "k"), ("q", "k"))
_SOFT_C = re.compile(r"c(?=[eiy])")


def fold(text: str) -> str:
    """``text`` without case, accents, diacritics, letter variants or punctuation, in
    single spaces: the form every comparison starts from."""
    text = text or ""
    if text.isascii():
        return " ".join(_NOT_WORD.sub(" ", text.lower()).split())
    text = unicodedata.normalize("NFKC", text).translate(_ARABIC_LETTERS)
    text = text.replace("ç", "s").replace("Ç", "s")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Decomposing brings back a few hamza carriers; fold them again.
    letters = unicodedata.normalize("NFC", letters).translate(_ARABIC_LETTERS)
    return " ".join(_NOT_WORD.sub(" ", letters).split())


def service_key(value: str) -> str:
    """A service number compared loosely: no spaces or punctuation, ASCII digits, no
    leading zeros (spreadsheets drop them)."""
    key = _NOT_WORD.sub("", (value or "").translate(_DIGITS)).casefold()
    return key.lstrip("0") or ("0" if key else "")


def _split_token(token: str) -> list[str]:
    """One written word as the name tokens it stands for."""
    if _ARABIC.search(token):
        if token.startswith("عبد") and len(token) > 4:
            return ["عبد", *_split_token(token[3:])]
        if token.startswith("ال") and len(token) >= 5:
            return [token[2:]]
        return [token]
    token = _LATIN_VARIANTS.get(token, token)
    if abd := _LATIN_ABD.match(token):
        return ["abd", *_split_token(abd.group(1))]
    if token[:2] in ("el", "al") and len(token) >= 7:
        return [_LATIN_VARIANTS.get(token[2:], token[2:])]
    return [token]


def _skeleton(token: str) -> str:
    """A Latin token's consonants, with ``*`` for each run of vowels inside: French and
    English spellings of an Arabic name mostly differ in their vowels and digraphs
    (``youssef``/``yusuf`` → ``s*f``, ``hicham``/``hisham`` → ``h*sh*m``). Empty for
    Arabic tokens."""
    if _ARABIC.search(token):
        return ""
    for written, sound in _DIGRAPHS:
        token = token.replace(written, sound)
    token = _SOFT_C.sub("s", token).replace("c", "k")
    if token.endswith("h") and len(token) > 2 and token[-2] in _VOWELS:
        token = token[:-1]
    token = token.strip("aeiouy")
    out: list[str] = []
    for char in token:
        char = "*" if char in _VOWELS else char
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


class _Token(NamedTuple):
    text: str
    skeleton: str
    #: The token's blocking part: its first consonants; empty for the generic halves
    #: of compound names (``abd``, ``allah``), which tell nobody apart.
    block: str


_GENERIC = frozenset({"abd", "allah", "عبد", "الله"})


@lru_cache(maxsize=65536)
def _word(word: str) -> tuple[_Token, ...]:
    """The name tokens of one written word (names repeat their words: cached)."""
    tokens = []
    for part in fold(word).split():
        if part in ("el", "al", "ال"):
            continue
        for text in _split_token(part):
            if not text:
                continue
            skeleton = _skeleton(text)
            block = "" if text in _GENERIC else ((skeleton.replace("*", "") or text)[:3])
            tokens.append(_Token(text, skeleton, block))
    return tuple(tokens)


class _Name(NamedTuple):
    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    blocks: tuple[str, ...]
    joined: str
    compact: str


def _name(text: str) -> _Name | None:
    tokens = [token for word in (text or "").split() for token in _word(word)]
    if not tokens:
        return None
    texts = tuple(t.text for t in tokens)
    return _Name(
        tokens=texts,
        skeletons=tuple(t.skeleton for t in tokens),
        blocks=tuple(sorted({t.block for t in tokens if t.block}))[:MAX_TOKENS],
        joined=" ".join(texts),
        compact="".join(texts),
    )


class _Prepared(NamedTuple):
    person: Person
    latin: _Name | None
    arabic: _Name | None
    service: str
    keys: tuple[tuple[str, ...], ...]


def _keys(
    person: Person, service: str, names: dict[str, _Name | None]
) -> Iterator[tuple[str, ...]]:
    if service:
        yield ("service", service)
    for script, name in names.items():
        if name is None:
            continue
        if len(name.blocks) == 1:
            yield (script, person.sex, name.blocks[0])
        for first, second in combinations(name.blocks, 2):
            yield (script, person.sex, first, second)


def _prepare(person: Person) -> _Prepared:
    latin, arabic = _name(person.name_latin), _name(person.name_arabic)
    service = service_key(person.service_number)
    return _Prepared(
        person=person,
        latin=latin,
        arabic=arabic,
        service=service,
        keys=tuple(_keys(person, service, {"latin": latin, "arabic": arabic})),
    )


# --- Scoring ------------------------------------------------------------------------------


def _token_similarity(a: str, a_skeleton: str, b: str, b_skeleton: str) -> float:
    if a == b:
        return 100.0
    plain = fuzz.ratio(a, b)
    if a_skeleton and a_skeleton == b_skeleton and len(a_skeleton) >= 3:
        return max(plain, SKELETON_SCORE)
    return plain


def _aligned(a: _Name, b: _Name) -> float:
    """Tokens paired best first; the score is the pairs' similarity weighted by their
    length, a token left without a pair (a middle name one record omits) counting half
    its length against."""
    similarities = sorted(
        (
            (_token_similarity(ta, sa, tb, sb), i, j)
            for i, (ta, sa) in enumerate(zip(a.tokens, a.skeletons, strict=True))
            for j, (tb, sb) in enumerate(zip(b.tokens, b.skeletons, strict=True))
        ),
        reverse=True,
    )
    paired_a: set[int] = set()
    paired_b: set[int] = set()
    scored = weight = 0.0
    for similarity, i, j in similarities:
        if i in paired_a or j in paired_b:
            continue
        paired_a.add(i)
        paired_b.add(j)
        length = len(a.tokens[i]) + len(b.tokens[j])
        scored += similarity * length
        weight += length
    weight += sum(len(t) for i, t in enumerate(a.tokens) if i not in paired_a) / 2
    weight += sum(len(t) for j, t in enumerate(b.tokens) if j not in paired_b) / 2
    return scored / weight if weight else 0.0


def name_score(a: str, b: str) -> float | None:
    """How alike two names in the same script are (0–100), None if either is empty."""
    first, second = _name(a), _name(b)
    if first is None or second is None:
        return None
    return _name_score(first, second)


def _name_score(a: _Name, b: _Name) -> float:
    if a.compact == b.compact:
        return 100.0
    return max(_aligned(a, b), fuzz.ratio(a.compact, b.compact))


def _compare(a: _Prepared, b: _Prepared) -> Match | None:
    scores: dict[MatchReason, float] = {}
    for reason, x, y in (
        (MatchReason.LATIN_NAME, a.latin, b.latin),
        (MatchReason.ARABIC_NAME, a.arabic, b.arabic),
    ):
        if x is not None and y is not None:
            scores[reason] = _name_score(x, y)
    similar = tuple(reason for reason, score in scores.items() if score >= NAME_THRESHOLD)
    if a.service and b.service:
        if a.service != b.service:
            return None
        differs = (MatchReason.SEX_DIFFERS,) if a.person.sex != b.person.sex else ()
        return Match(100, (MatchReason.SERVICE_NUMBER, *similar, *differs))
    if a.person.sex != b.person.sex or not scores:
        return None
    score = sum(scores.values()) / len(scores)
    if score < NAME_THRESHOLD:
        return None
    return Match(round(score), similar)


def compare(a: Person, b: Person) -> Match | None:
    """Whether ``a`` and ``b`` are probably the same person, with a score and reasons."""
    return _compare(_prepare(a), _prepare(b))


def _block_pairs(key: tuple[str, ...], members: Sequence[_Prepared]) -> Iterator[tuple[int, int]]:
    """Positions of the pairs of a block worth scoring: in a name block, a quick
    whole-name comparison (rapidfuzz, in C) first drops clearly different names."""
    if key[0] == "service":
        yield from combinations(range(len(members)), 2)
        return
    names = [getattr(m, key[0]).joined for m in members]
    for position, name in enumerate(names[:-1]):
        found = process.extract(
            name,
            names[position + 1 :],
            scorer=fuzz.token_sort_ratio,
            score_cutoff=PREFILTER,
            limit=None,
        )
        for _choice, _score, index in found:
            yield position, position + 1 + index


# --- Searching --------------------------------------------------------------------------


def people_of(participants: QuerySet[Participant]) -> Iterator[Person]:
    """The participants of a query as :class:`Person` records, streamed in chunks."""
    rows = participants.order_by().values_list(
        "id", "name_latin", "name_arabic", "sex", "service_number"
    )
    for id, latin, arabic, sex, number in rows.iterator(chunk_size=CHUNK_SIZE):
        yield Person(id, latin, arabic, sex, number)


def candidates_for(
    rows: Sequence[Person], existing: Iterable[Person]
) -> dict[int, list[Candidate]]:
    """For each incoming row (by id), the existing people who are probably the same
    person, best first. ``existing`` is read once; each of its records is compared only
    with the rows it shares a blocking key with: O(N·k) for N existing records, plus the
    comparisons, which are few (a roster's rows rarely share two name beginnings)."""
    blocks: dict[tuple[str, ...], list[_Prepared]] = defaultdict(list)
    for person in rows:
        prepared = _prepare(person)
        for key in prepared.keys:
            blocks[key].append(prepared)
    found: dict[int, dict[int, Candidate]] = defaultdict(dict)
    for person in existing:
        other = _prepare(person)
        seen: set[int] = set()
        for key in other.keys:
            for row in blocks.get(key, ()):
                line = row.person.id
                if line in seen:
                    continue
                seen.add(line)
                match = _compare(row, other)
                if match is not None:
                    found[line][person.id] = Candidate(person.id, match.score, match.reasons)
    return {
        line: sorted(candidates.values(), key=lambda c: (-c.score, c.participant_id))
        for line, candidates in found.items()
    }


def find_duplicates(people: Iterable[Person]) -> DuplicateSearch:
    """Pairs of probable duplicates among ``people``, best first."""
    blocks: dict[tuple[str, ...], list[_Prepared]] = defaultdict(list)
    count = 0
    for person in people:
        count += 1
        prepared = _prepare(person)
        for key in prepared.keys:
            blocks[key].append(prepared)
    compared: set[tuple[int, int]] = set()
    pairs: list[DuplicatePair] = []
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        for i, j in _block_pairs(key, members):
            first, second = members[i], members[j]
            low, high = sorted((first.person.id, second.person.id))
            if low == high or (low, high) in compared:
                continue
            compared.add((low, high))
            match = _compare(first, second)
            if match is not None:
                pairs.append(DuplicatePair(low, high, match.score, match.reasons))
    pairs.sort(key=lambda p: (-p.score, p.first_id, p.second_id))
    return DuplicateSearch(pairs=pairs, people=count, compared=len(compared))


def probable_duplicates(participants: QuerySet[Participant]) -> DuplicateSearch:
    """Probable duplicates among ``participants`` (start from
    ``training.queries.participants_visible_to``), read in one pass."""
    return find_duplicates(people_of(participants))


def reason_labels(reasons: Iterable[Any]) -> list[str]:
    return [str(MatchReason(reason).label) for reason in reasons]
