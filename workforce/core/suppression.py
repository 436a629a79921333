"""Board-mode suppression of a `Table`: small numbers withheld so that no one can be identified.

Three steps, repeated until nothing changes:

1. **Primary**: in a suppressible column (`Column.suppressible`, counts of people or children),
   a value from 1 to 4 (below `SMALL_NUMBER`) is withheld. Nought is shown: it identifies no one.
2. **Built on**: a value worked out from a withheld one in the same row (`Column.built_on`: a
   rate or an FTE from a count) is withheld too.
3. **Secondary**: a total must not give a withheld cell away by subtraction. Each column's
   cells add up to its total, and a `Column.sum_of` column is the sum of its parts in each row:
   where such a sum has exactly one withheld cell, the next smallest cell in it is withheld too.
   Then an exact check: for every withheld cell, whether it could still be worked out from all
   the sums together (linear algebra over the shown values); if so, the smallest shown cell in
   one of its sums is withheld as well.

Shown values are never changed. A withheld cell holds `SUPPRESSED_CELL` and reads as
`SUPPRESSED` on every rendering; the table says why in a plain note.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction
from typing import Any

from workforce.core.tables import SUPPRESSED, SUPPRESSED_CELL, Suppressed, Table

SMALL_NUMBER = 5  # counts from 1 to 4 are withheld

Cell = tuple[int, int]  # (row index, column index); the totals row is index len(rows)


def _number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal | Fraction) and not isinstance(value, bool)


def small(value: Any, below: int = SMALL_NUMBER) -> bool:
    return _number(value) and 0 < value < below


def suppression_note(below: int = SMALL_NUMBER) -> str:
    return (
        f"{SUPPRESSED} means the figure is not shown because it is between 1 and {below - 1}, "
        "so small that someone could be identified from it. Figures worked out from it, and "
        "where needed one other figure in the same row or column, are not shown either, so "
        "that it cannot be worked out from the totals."
    )


class _Grid:
    """The table's cells as a grid, the totals row last, and the sums that link them."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.values: list[list[Any]] = [list(r) for r in table.rows]
        self.has_totals = table.totals is not None
        if table.totals is not None:
            self.values.append(list(table.totals))
        self.withheld: set[Cell] = {
            (i, j)
            for i, row in enumerate(self.values)
            for j, value in enumerate(row)
            if isinstance(value, Suppressed)
        }
        self.sums = self._sums()

    def _candidate(self, j: int) -> bool:
        """Columns that can hold a withheld cell: suppressible or built on another column."""
        column = self.table.columns[j]
        return column.suppressible or bool(column.built_on) or bool(column.sum_of)

    def _sums(self) -> list[tuple[Cell, list[Cell]]]:
        """Each sum as (its total, its parts)."""
        sums: list[tuple[Cell, list[Cell]]] = []
        n = len(self.table.rows)
        if self.has_totals:
            for j in range(len(self.table.columns)):
                total = self.values[n][j]
                if self._candidate(j) and (_number(total) or isinstance(total, Suppressed)):
                    sums.append(((n, j), [(i, j) for i in range(n)]))
        for j, column in enumerate(self.table.columns):
            if column.sum_of:
                parts = [self.table.index(k) for k in column.sum_of]
                for i in range(len(self.values)):
                    sums.append(((i, j), [(i, k) for k in parts]))
        return sums

    def value(self, cell: Cell) -> Any:
        return self.values[cell[0]][cell[1]]

    def withhold(self, cell: Cell) -> bool:
        if cell in self.withheld or self.value(cell) is None:
            return False
        self.withheld.add(cell)
        return True

    def primary(self, below: int) -> None:
        for i, row in enumerate(self.values):
            for j, column in enumerate(self.table.columns):
                if column.suppressible and small(row[j], below):
                    self.withhold((i, j))

    def built_on(self) -> bool:
        changed = False
        for j, column in enumerate(self.table.columns):
            sources = [self.table.index(k) for k in column.built_on]
            for i in range(len(self.values)):
                if any((i, k) in self.withheld for k in sources):
                    changed |= self.withhold((i, j))
        return changed

    def _smallest_shown(self, cells: list[Cell]) -> Cell | None:
        shown = [c for c in cells if c not in self.withheld and _number(self.value(c))]
        if not shown:
            return None
        # The smallest value above nought (a nought hides little), a row before the total.
        return min(
            shown,
            key=lambda c: (self.value(c) == 0, abs(self.value(c)), c[0] == len(self.table.rows), c),
        )

    def secondary(self) -> bool:
        changed = False
        for total, parts in self.sums:
            cells = [total, *parts]
            if sum(1 for c in cells if c in self.withheld) == 1:
                pick = self._smallest_shown(cells)
                if pick is not None:
                    changed |= self.withhold(pick)
        return changed

    def recoverable(self) -> list[Cell]:
        """The withheld cells that the sums still determine exactly: a cell is determined when
        its unit vector lies in the span of the sums' equations over the withheld cells."""
        unknowns = sorted(c for c in self.withheld if any(c in [t, *p] for t, p in self.sums))
        if not unknowns:
            return []
        position = {c: k for k, c in enumerate(unknowns)}
        equations = []
        for total, parts in self.sums:
            row = [Fraction(0)] * len(unknowns)
            for c in parts:
                if c in position:
                    row[position[c]] += 1
            if total in position:
                row[position[total]] -= 1
            if any(row):
                equations.append(row)
        basis = _row_echelon(equations)
        found = []
        for cell, k in position.items():
            unit = [Fraction(int(i == k)) for i in range(len(unknowns))]
            if _in_span(basis, unit):
                found.append(cell)
        return found

    def close_gaps(self) -> bool:
        """Withhold one more cell where a withheld one could still be worked out."""
        for cell in self.recoverable():
            picks = [
                pick
                for total, parts in self.sums
                if cell in (total, *parts)
                and (pick := self._smallest_shown([total, *parts])) is not None
            ]
            if picks:
                self.withhold(min(picks, key=lambda c: (abs(self.value(c)), c)))
                return True  # one at a time: each may settle others
        return False

    def result(self) -> tuple[list[list[Any]], list[Any] | None]:
        values = [
            [SUPPRESSED_CELL if (i, j) in self.withheld else v for j, v in enumerate(row)]
            for i, row in enumerate(self.values)
        ]
        if self.has_totals:
            return values[:-1], values[-1]
        return values, None


Basis = list[tuple[int, list[Fraction]]]  # (pivot column, row)


def _row_echelon(rows: list[list[Fraction]]) -> Basis:
    """A reduced basis of the rows' span (Gauss–Jordan elimination, exact)."""
    basis: Basis = []
    for original in rows:
        row = list(original)
        for pivot, b in basis:
            if row[pivot]:
                factor = row[pivot]
                row = [x - factor * y for x, y in zip(row, b, strict=True)]
        lead = next((k for k, x in enumerate(row) if x), None)
        if lead is None:
            continue
        row = [x / row[lead] for x in row]
        for n, (pivot, b) in enumerate(basis):
            if b[lead]:
                factor = b[lead]
                basis[n] = (pivot, [x - factor * y for x, y in zip(b, row, strict=True)])
        basis.append((lead, row))
    return basis


def _in_span(basis: Basis, vector: list[Fraction]) -> bool:
    row = list(vector)
    for pivot, b in basis:
        if row[pivot]:
            factor = row[pivot]
            row = [x - factor * y for x, y in zip(row, b, strict=True)]
    return not any(row)


def suppress(table: Table, *, below: int = SMALL_NUMBER) -> Table:
    """The table as a board may see it: small counts, what is built on them, and whatever
    would let them be worked out from a total, shown as `SUPPRESSED`."""
    grid = _Grid(table)
    grid.primary(below)
    while grid.built_on() | grid.secondary() or grid.close_gaps():
        pass
    rows, totals = grid.result()
    notes = list(table.notes)
    if grid.withheld:
        notes.append(suppression_note(below))
    return dataclasses.replace(table, rows=rows, totals=totals, notes=notes, suppress_below=None)


def withheld(value: Any) -> bool:
    return isinstance(value, Suppressed)
