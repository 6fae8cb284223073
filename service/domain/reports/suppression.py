"""Small-cell suppression with complementary suppression (SECURITY S19). Pure: no database.

A published table is a list of non-negative integer cells (totals are cells too) and a list of
additive relations `total = sum(parts)`. Every cell below the threshold is suppressed
(primary suppression). An attacker who knows the published cells, the relations and that
counts are non-negative can still solve for a suppressed cell if it is pinned to one value,
e.g. a row with a single suppressed cell and a published row total. So we compute, for each
suppressed cell, the interval of values consistent with everything published (two linear
programmes) and, while some cell is pinned, suppress one more cell sharing a relation with it
(complementary suppression). Suppressing more can only widen intervals, and suppressing
everything leaves each cell unbounded above, so the loop always ends safely.

The relations in our tables (row and column sums) form transportation polytopes whose
vertices are integral, so an LP interval of width zero is exactly an integer cell pinned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

THRESHOLD = 5
"""Cells below this count are never published."""
_EPS = 1e-6


@dataclass(frozen=True)
class Relation:
    """One published additivity: cells[total] == sum(cells[part] for part in parts)."""

    total: int
    parts: tuple[int, ...]


def feasible_interval(
    values: Sequence[int], relations: Sequence[Relation], suppressed: Sequence[bool], cell: int
) -> tuple[float, float]:
    """The attacker's view of one suppressed cell: (lowest, highest) value consistent with the
    published cells and relations; `inf` when unbounded above."""
    unknown = [index for index, hidden in enumerate(suppressed) if hidden]
    position = {index: column for column, index in enumerate(unknown)}
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    for relation in relations:
        row = np.zeros(len(unknown))
        constant = 0.0
        for index, sign in ((relation.total, -1.0), *((part, 1.0) for part in relation.parts)):
            if index in position:
                row[position[index]] += sign
            else:
                constant += sign * values[index]
        if np.any(row):
            rows.append(row)
            rhs.append(-constant)
    bounds = [(0, None)] * len(unknown)
    objective = np.zeros(len(unknown))
    objective[position[cell]] = 1.0
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    lowest = float(low.fun) if low.status == 0 else 0.0
    highest = float("inf") if high.status == 3 else (-float(high.fun) if high.status == 0 else lowest)
    return lowest, highest


def pinned_cells(values: Sequence[int], relations: Sequence[Relation], suppressed: Sequence[bool]) -> list[int]:
    """Suppressed cells whose value the published table determines exactly."""
    pinned = []
    for index, hidden in enumerate(suppressed):
        if hidden:
            lowest, highest = feasible_interval(values, relations, suppressed, index)
            if highest - lowest < 1 - _EPS:
                pinned.append(index)
    return pinned


def _complement(values: Sequence[int], relations: Sequence[Relation], suppressed: list[bool], cell: int) -> int | None:
    """The published cell to hide next so that `cell` gains freedom: one sharing a relation
    with it, preferring a non-zero count (a zero cannot give up a unit to its partner), then
    one whose other relations already hide something (it closes a cycle instead of opening a
    new one), then the smallest (least information lost)."""
    partners = {
        index
        for relation in relations
        if cell == relation.total or cell in relation.parts
        for index in (relation.total, *relation.parts)
        if not suppressed[index]
    }
    if not partners:
        return None

    def touches_hidden(index: int) -> bool:
        return any(
            suppressed[other]
            for relation in relations
            if index == relation.total or index in relation.parts
            if cell != relation.total and cell not in relation.parts
            for other in (relation.total, *relation.parts)
        )

    return min(partners, key=lambda index: (values[index] == 0, not touches_hidden(index), values[index], index))


def suppress(values: Sequence[int], relations: Sequence[Relation], threshold: int = THRESHOLD) -> list[bool]:
    """Which cells to hide: every cell below `threshold`, plus complements until no hidden cell
    can be recovered from what is published. Deterministic for the same input."""
    suppressed = [value < threshold for value in values]
    if not any(suppressed):
        return suppressed
    for _ in range(len(values) + 1):
        pinned = pinned_cells(values, relations, suppressed)
        if not pinned:
            return suppressed
        # One complement per pinned cell in each round: far fewer rounds of linear programmes.
        extras = {_complement(values, relations, suppressed, cell) for cell in pinned}
        extras.discard(None)
        if not extras:
            break
        for extra in extras:
            suppressed[extra] = True  # type: ignore[index]
    # No relation left to widen a pinned cell: hiding everything is always safe.
    return [True] * len(values)


@dataclass(frozen=True)
class Grid:
    """A rows × columns count table with optional row totals and column totals (and a grand
    total when it has both), flattened into cells and relations for `suppress`."""

    cells: list[list[int]]
    row_totals: bool = True
    column_totals: bool = True

    def flatten(self) -> tuple[list[int], list[Relation], dict[str, tuple[int, ...]]]:
        """(values, relations, layout) where layout maps 'cell'/'row'/'col'/'grand' to indices."""
        n_rows = len(self.cells)
        n_cols = len(self.cells[0]) if n_rows else 0
        values = [value for row in self.cells for value in row]
        relations: list[Relation] = []

        def at(row: int, col: int) -> int:
            return row * n_cols + col

        row_index: list[int] = []
        col_index: list[int] = []
        if self.row_totals:
            for row in range(n_rows):
                row_index.append(len(values))
                values.append(sum(self.cells[row]))
                relations.append(Relation(row_index[-1], tuple(at(row, col) for col in range(n_cols))))
        if self.column_totals:
            for col in range(n_cols):
                col_index.append(len(values))
                values.append(sum(self.cells[row][col] for row in range(n_rows)))
                relations.append(Relation(col_index[-1], tuple(at(row, col) for row in range(n_rows))))
        grand: tuple[int, ...] = ()
        # A grand total only where both margins exist: with column totals alone the columns
        # may measure different things (survivors, referrals), whose sum means nothing.
        if self.row_totals and self.column_totals:
            grand = (len(values),)
            values.append(sum(values[: n_rows * n_cols]))
            relations.append(Relation(grand[0], tuple(row_index)))
            relations.append(Relation(grand[0], tuple(col_index)))
        layout = {"row": tuple(row_index), "col": tuple(col_index), "grand": grand}
        return values, relations, layout


@dataclass(frozen=True)
class PublishedGrid:
    """A grid after suppression: `None` marks a suppressed cell."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int | None


def publish(grid: Grid, threshold: int = THRESHOLD) -> PublishedGrid:
    """Suppress a grid and return what may be shown."""
    values, relations, layout = grid.flatten()
    hidden = suppress(values, relations, threshold)
    n_cols = len(grid.cells[0]) if grid.cells else 0

    def shown(index: int) -> int | None:
        return None if hidden[index] else values[index]

    cells = [[shown(row * n_cols + col) for col in range(n_cols)] for row in range(len(grid.cells))]
    return PublishedGrid(
        cells=cells,
        row_totals=[shown(index) for index in layout["row"]],
        column_totals=[shown(index) for index in layout["col"]],
        grand_total=shown(layout["grand"][0]) if layout["grand"] else None,
    )


def statistic_or_none(value: float | None, n: int, threshold: int = THRESHOLD) -> float | None:
    """A median or other statistic over `n` survivors: withheld when n is below the threshold."""
    return None if value is None or n < threshold else value
