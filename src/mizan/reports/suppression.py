"""Small-cell suppression for published and shared tables, with complementary
suppression so that a hidden cell cannot be recovered by subtraction.

Rule (the Counter Trafficking Data Collaborative's): no figure computed from fewer than
:data:`SMALL_CELL` people is shown. Hiding only those cells is not enough: when a
breakdown's total is shown, a single hidden cell is the total minus the others. So,
within each breakdown whose total is shown:

1. every cell of 1 to 10 people is hidden (primary suppression);
2. while the hidden cells are fewer than two, or together count fewer than
   :data:`SMALL_CELL` people, the smallest shown cell is hidden too (complementary
   suppression), preferring cells with people in them;
3. when the whole breakdown counts fewer than :data:`SMALL_CELL` people, its total and
   every cell are hidden.

A cell of zero is shown: it says no one is in the group, nothing about a person. A
figure derived from a cell (a mean, a share, a gain) is hidden with its cell: the means
of the shown groups and of the whole then reveal at most the mean of all hidden groups
together, which counts at least :data:`SMALL_CELL` people.

Two-way tables (:func:`suppress_table`) repeat the rule on every row and every column,
then on the row totals, until nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

SMALL_CELL = 11


@dataclass(frozen=True)
class Suppression[Key]:
    hidden: frozenset[Key]
    #: The breakdown as a whole counts fewer people than the threshold.
    total_hidden: bool

    def shows(self, key: Key) -> bool:
        return not self.total_hidden and key not in self.hidden


def _complete[K: Hashable](
    counts: Mapping[K, int],
    hidden: set[K],
    threshold: int,
    needs_partner: Callable[[K], bool] | None = None,
) -> set[K]:
    """``hidden`` grown until it is empty, or holds two cells or more that together
    count at least ``threshold`` people (or there is nothing left to hide). Cells for
    which ``needs_partner`` is true (in a table: their other line has one hidden cell
    alone) are taken first, so that one extra cell protects two lines."""
    hidden = set(hidden)
    while hidden and (len(hidden) < 2 or sum(counts[key] for key in hidden) < threshold):
        shown = [key for key in counts if key not in hidden]
        if not shown:
            break
        # The smallest cell with people in it first; a zero only when nothing else is left.
        shown.sort(
            key=lambda key: (
                not (needs_partner and needs_partner(key)),
                counts[key] == 0,
                counts[key],
                str(key),
            )
        )
        hidden.add(shown[0])
    return hidden


def suppress[K: Hashable](
    counts: Mapping[K, int], *, threshold: int = SMALL_CELL
) -> Suppression[K]:
    """Which cells of one breakdown (group → number of people) to hide, its total
    (the sum of the cells) being shown unless it is itself too small."""
    total = sum(counts.values())
    if total < threshold:
        return Suppression(hidden=frozenset(counts), total_hidden=True)
    primary = {key for key, count in counts.items() if 0 < count < threshold}
    return Suppression(hidden=frozenset(_complete(counts, primary, threshold)), total_hidden=False)


def suppress_table[R: Hashable, C: Hashable](
    counts: Mapping[tuple[R, C], int], *, threshold: int = SMALL_CELL
) -> Suppression[tuple[R, C]]:
    """Which cells of a two-way table (row, column) → people to hide, its row totals,
    column totals and grand total being shown. A row or column whose total is too small
    is hidden whole (its total too, which the caller reads with :func:`line_hidden`)."""
    rows: dict[Any, list[tuple[R, C]]] = {}
    columns: dict[Any, list[tuple[R, C]]] = {}
    for key in counts:
        rows.setdefault(key[0], []).append(key)
        columns.setdefault(key[1], []).append(key)
    total = sum(counts.values())
    if total < threshold:
        return Suppression(hidden=frozenset(counts), total_hidden=True)
    hidden = {key for key, count in counts.items() if 0 < count < threshold}
    both = (rows, columns)
    for lines in both:
        for keys in lines.values():
            if sum(counts[key] for key in keys) < threshold:
                hidden.update(keys)
    changed = True
    while changed:
        changed = False
        for lines in both:
            # The line totals themselves form a breakdown of the grand total.
            line_totals = {name: sum(counts[key] for key in keys) for name, keys in lines.items()}
            small_lines = {name for name, count in line_totals.items() if count < threshold}
            for name in _complete(line_totals, small_lines, threshold) - small_lines:
                # A line hidden only to protect another: hide its cells and total.
                if not set(lines[name]) <= hidden:
                    hidden.update(lines[name])
                    changed = True
            crossing = columns if lines is rows else rows
            position = 1 if lines is rows else 0

            def needs_partner(
                key: tuple[R, C],
                crossing: Mapping[Any, list[tuple[R, C]]] = crossing,
                position: int = position,
                hidden: set[tuple[R, C]] = hidden,  # grown in place below
            ) -> bool:
                cross = crossing[key[position]]
                return sum(1 for other in cross if other in hidden) == 1

            for keys in lines.values():
                line = {key: counts[key] for key in keys}
                grown = _complete(line, hidden & set(keys), threshold, needs_partner)
                if grown - hidden:
                    hidden |= grown
                    changed = True
    return Suppression(hidden=frozenset(hidden), total_hidden=False)


def line_hidden[R: Hashable, C: Hashable](
    suppression: Suppression[tuple[R, C]],
    counts: Mapping[tuple[R, C], int],
    *,
    row: R | None = None,
    column: C | None = None,
) -> bool:
    """Whether a row's (or a column's) total is hidden: all its cells with people are."""
    keys = [
        key
        for key in counts
        if (row is not None and key[0] == row) or (column is not None and key[1] == column)
    ]
    return suppression.total_hidden or all(key in suppression.hidden for key in keys)
