"""Small cells are hidden, and so is enough else that subtraction recovers nothing."""

from itertools import combinations

from mizan.reports.suppression import SMALL_CELL, suppress, suppress_table


def recoverable(counts, hidden):
    """Cells a reader can work out from the shown cells and the shown total: a hidden
    cell is recoverable when it is the only hidden one."""
    return len(hidden) == 1


def test_nothing_hidden_when_every_group_is_large_enough():
    result = suppress({"women": 12, "men": 40})
    assert result.hidden == frozenset()
    assert result.shows("women") and not result.total_hidden


def test_a_small_group_is_hidden_with_the_next_smallest():
    result = suppress({"women": 4, "men": 40, "other": 15})
    assert result.hidden == {"women", "other"}
    assert result.shows("men")


def test_hidden_cells_together_count_at_least_eleven_people():
    result = suppress({"a": 2, "b": 3, "c": 30, "d": 50, "e": 12})
    assert {"a", "b"} <= result.hidden
    assert sum({"a": 2, "b": 3, "c": 30, "d": 50, "e": 12}[k] for k in result.hidden) >= SMALL_CELL
    assert "e" in result.hidden  # 2 + 3 = 5 people: one more cell is needed
    assert result.shows("c") and result.shows("d")


def test_a_zero_is_shown_and_is_not_used_to_protect_a_cell():
    result = suppress({"women": 5, "men": 30, "unknown": 0})
    assert "unknown" not in result.hidden
    assert result.hidden == {"women", "men"}


def test_a_breakdown_of_fewer_than_eleven_people_is_hidden_whole():
    result = suppress({"women": 4, "men": 6})
    assert result.total_hidden
    assert not result.shows("men")


def test_no_single_hidden_cell_can_be_recovered_from_any_breakdown():
    # Every breakdown of 3 groups with sizes 0..14: never one hidden cell alone, and the
    # hidden cells always hold at least 11 people.
    sizes = range(15)
    for a in sizes:
        for b in sizes:
            for c in sizes:
                counts = {"a": a, "b": b, "c": c}
                result = suppress(counts)
                if result.total_hidden:
                    assert a + b + c < SMALL_CELL
                    continue
                hidden = result.hidden
                assert not any(0 < counts[k] < SMALL_CELL for k in counts if k not in hidden)
                if hidden:
                    assert not recoverable(counts, hidden)
                    assert sum(counts[k] for k in hidden) >= SMALL_CELL


def test_two_way_table_protects_rows_and_columns():
    counts = {
        ("north", "women"): 3,
        ("north", "men"): 30,
        ("south", "women"): 20,
        ("south", "men"): 25,
        ("east", "women"): 14,
        ("east", "men"): 40,
    }
    result = suppress_table(counts)
    hidden = result.hidden
    assert ("north", "women") in hidden
    rows = {r for r, _ in counts}
    columns = {c for _, c in counts}
    for row in rows:
        line = [(row, c) for c in columns]
        assert sum(1 for key in line if key in hidden) != 1, row
    for column in columns:
        line = [(r, column) for r in rows]
        assert sum(1 for key in line if key in hidden) != 1, column
    assert ("south", "men") not in hidden or ("east", "men") not in hidden


def test_two_way_table_small_row_is_hidden_whole_and_protected():
    counts = {
        ("north", "women"): 2,
        ("north", "men"): 5,
        ("south", "women"): 20,
        ("south", "men"): 25,
        ("east", "women"): 14,
        ("east", "men"): 40,
    }
    result = suppress_table(counts)
    assert {("north", "women"), ("north", "men")} <= result.hidden
    # Its row total is 7: another row goes too, so the row totals do not give it away.
    hidden_rows = {
        r
        for r in ("north", "south", "east")
        if all((r, c) in result.hidden for c in ("women", "men"))
    }
    assert len(hidden_rows) >= 2


def test_two_way_tables_never_leave_a_line_with_one_hidden_cell():
    for cells in combinations([0, 1, 4, 9, 12, 30], 4):
        counts = {
            ("r1", "c1"): cells[0],
            ("r1", "c2"): cells[1],
            ("r2", "c1"): cells[2],
            ("r2", "c2"): cells[3],
            ("r3", "c1"): 20,
            ("r3", "c2"): 15,
        }
        result = suppress_table(counts)
        if result.total_hidden:
            continue
        for line in (
            [("r1", "c1"), ("r1", "c2")],
            [("r2", "c1"), ("r2", "c2")],
            [("r3", "c1"), ("r3", "c2")],
            [("r1", "c1"), ("r2", "c1"), ("r3", "c1")],
            [("r1", "c2"), ("r2", "c2"), ("r3", "c2")],
        ):
            hidden = [key for key in line if key in result.hidden]
            assert len(hidden) != 1, (counts, line, result.hidden)
        for key, count in counts.items():
            if 0 < count < SMALL_CELL:
                assert key in result.hidden
