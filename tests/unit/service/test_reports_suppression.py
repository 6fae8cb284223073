"""Small-cell suppression (SECURITY S19): no published cell below 5, and an attacker solving
the published row and column sums cannot pin any suppressed cell to a single value."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.reports.suppression import THRESHOLD, Grid, feasible_interval, publish, suppress


def _attack(grid: Grid) -> list[tuple[int, float, float]]:
    """For every suppressed cell: its value and the interval the attacker can derive."""
    values, relations, _ = grid.flatten()
    hidden = suppress(values, relations)
    return [
        (values[index], *feasible_interval(values, relations, hidden, index))
        for index, is_hidden in enumerate(hidden)
        if is_hidden
    ]


def test_nothing_small_is_published() -> None:
    shown = publish(Grid([[12, 3, 20], [7, 9, 30], [40, 11, 2]]))
    published = [value for row in shown.cells for value in row] + shown.row_totals + shown.column_totals
    assert all(value is None or value >= THRESHOLD for value in published)


def test_a_lone_small_cell_gets_a_complement_in_its_row_and_column() -> None:
    shown = publish(Grid([[12, 3, 20], [7, 9, 30], [40, 11, 25]]))
    assert shown.cells[0][1] is None
    assert sum(value is None for value in shown.cells[0]) >= 2
    assert sum(row[1] is None for row in shown.cells) >= 2


def test_a_table_without_small_cells_is_published_whole() -> None:
    shown = publish(Grid([[12, 30], [17, 9]]))
    assert shown.cells == [[12, 30], [17, 9]] and shown.grand_total == 68


def test_suppression_is_deterministic() -> None:
    grid = Grid([[1, 8, 9, 0], [6, 2, 30, 7], [5, 5, 5, 5]])
    assert publish(grid) == publish(grid)


tables = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(cells=tables, row_totals=st.booleans(), column_totals=st.booleans())
def test_no_suppressed_cell_can_be_recovered_from_published_cells_and_totals(
    cells: list[list[int]], row_totals: bool, column_totals: bool
) -> None:
    for true_value, lowest, highest in _attack(Grid(cells, row_totals=row_totals, column_totals=column_totals)):
        assert lowest <= true_value + 1e-6 and true_value <= highest + 1e-6
        assert highest - lowest >= 1 - 1e-6, "a suppressed cell is pinned to a single value"


@settings(max_examples=40, deadline=None)
@given(cells=tables)
def test_every_published_cell_is_at_least_the_threshold(cells: list[list[int]]) -> None:
    values, relations, _ = Grid(cells).flatten()
    hidden = suppress(values, relations)
    assert all(is_hidden or value >= THRESHOLD for value, is_hidden in zip(values, hidden, strict=True))
