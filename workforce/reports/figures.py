"""What sections share: a table of single figures, board-mode withholding of a figure, the
figures a section keeps under stable keys, and the words for dates.

A section takes every value from the figures layer; these helpers only lay the values out and
withhold, in board mode, those small enough to identify someone (`core.suppression`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workforce.core.suppression import SMALL_NUMBER, small, suppression_note, withheld
from workforce.core.tables import SUPPRESSED, SUPPRESSED_CELL, Column, Table


def slug(text: str) -> str:
    """A stable key from a label: "Social worker (ASYE)" is "social_worker_asye"."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "none"


def table_figures(table: Table, prefix: str, key_column: str) -> dict[str, Any]:
    """Every numeric cell of a table as `prefix.<row>.<column>` (the totals as `total`), with
    the value as the table's downloads give it (rounded as shown; `SUPPRESSED` if withheld)."""
    out: dict[str, Any] = {}
    k = table.index(key_column)
    rows = [*table.rows, *([table.totals] if table.totals is not None else [])]
    for n, row in enumerate(rows):
        name = "total" if n == len(table.rows) else slug(str(row[k]))
        for column, value in zip(table.columns, row, strict=True):
            if column.numeric:
                out[f"{prefix}.{name}.{column.key}"] = (
                    SUPPRESSED if withheld(value) else column.value(value)
                )
    return out


@dataclass(frozen=True)
class Line:
    """One figure in a table of figures: its label, its value and how it is written.

    `count` marks a count of people or children (withheld from 1 to 4 in board mode);
    `built_on` names the line (by key) whose count it is worked out from, withheld with it.
    """

    key: str
    label: str
    value: Any
    text: str
    count: bool = False
    built_on: tuple[str, ...] = ()


def withheld_keys(lines: Sequence[Line], *, board_mode: bool) -> set[str]:
    """In board mode, the lines to withhold: small counts and the figures built on them."""
    if not board_mode:
        return set()
    out = {line.key for line in lines if line.count and small(line.value, SMALL_NUMBER)}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if line.key not in out and any(k in out for k in line.built_on):
                out.add(line.key)
                changed = True
    return out


def lines_table(
    title: str,
    lines: Sequence[Line],
    *,
    board_mode: bool,
    extra: Sequence[tuple[Column, Sequence[Any]]] = (),
    key: str = "",
    notes: Sequence[str] = (),
) -> tuple[Table, set[str]]:
    """A two-column table (figure, value as written) of single figures, with any `extra`
    columns (one value per line), withholding in board mode what `withheld_keys` says."""
    hidden = withheld_keys(lines, board_mode=board_mode)
    columns = [Column("figure", "Figure"), Column("value", "Value", unit="")]
    columns += [c for c, _ in extra]
    rows = []
    for n, line in enumerate(lines):
        rows.append(
            [
                line.label,
                SUPPRESSED_CELL if line.key in hidden else line.text,
                *[SUPPRESSED_CELL if line.key in hidden else values[n] for _, values in extra],
            ]
        )
    all_notes = list(notes)
    if hidden:
        all_notes.append(suppression_note(SMALL_NUMBER))
    return Table(title, columns, rows, notes=all_notes, key=key), hidden
