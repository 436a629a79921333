"""What every query of the engine shares: table names, the few expressions SQLite and PostgreSQL
spell differently, named parameters, and turning rows into components.

Queries take named parameters (`%(name)s` with a dict; both backends accept them). Pieces of a
query each return their SQL and a dict of parameters, and a query's parameters are the union of
its pieces': a name always stands for one value, so a piece used twice needs its values once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection

from workforce.core.models import Authority
from workforce.establishment.models import (
    EMPLOYED_KINDS,
    Absence,
    AgencyCover,
    Engagement,
    EngagementEnd,
    EngagementKind,
    Leaving,
    Post,
    PostFunding,
    Role,
    Team,
)

if TYPE_CHECKING:
    from workforce.metrics.engine.filters import MetricsFilter
    from workforce.metrics.engine.periods import Timeline

FAR = dt.date(9999, 12, 31)  # stands in for an open end in comparisons
SICKNESS = "SIC"  # census ReasonAbsence code for sickness

ENG = Engagement._meta.db_table
POST = Post._meta.db_table
TEAM = Team._meta.db_table
ROLE = Role._meta.db_table
FUND = PostFunding._meta.db_table
LEAV = Leaving._meta.db_table
ABS = Absence._meta.db_table
AUTHORITY = Authority._meta.db_table
EMPLOYED_SQL = "(" + ", ".join(f"'{k.value}'" for k in EMPLOYED_KINDS) + ")"
AGENCY_SQL = f"'{EngagementKind.AGENCY.value}'"
VACANCY_COVER_SQL = f"'{AgencyCover.VACANCY.value}'"
LEFT_SQL = f"'{EngagementEnd.LEFT.value}'"

Params = list[Any]  # positional parameters (`%s`), for callers outside the engine
Named = dict[str, Any]  # named parameters (`%(name)s`)
Values = dict[Any, list[Any]]  # group key -> one value per date
Component = dict[str, Values]
Provider = Callable[["MetricsFilter", "Timeline", "str | None"], Component]


# Dialect -------------------------------------------------------------------------------------


def _pg() -> bool:
    return connection.vendor == "postgresql"


def month_index(expr: str) -> str:
    """Year * 12 + month of a date expression."""
    if _pg():
        year, month = f"EXTRACT(YEAR FROM {expr})", f"EXTRACT(MONTH FROM {expr})"
        return f"(CAST({year} AS INTEGER) * 12 + CAST({month} AS INTEGER))"
    return f"(CAST(substr({expr}, 1, 4) AS INTEGER) * 12 + CAST(substr({expr}, 6, 2) AS INTEGER))"


def epoch_days(expr: str) -> str:
    """Whole days since 1 January 1970."""
    if _pg():
        return f"({expr} - DATE '1970-01-01')"
    return f"CAST(ROUND(julianday({expr}) - 2440587.5) AS INTEGER)"


def day_before(expr: str) -> str:
    """The date a day before a date expression."""
    if _pg():
        return f"({expr} - 1)"
    return f"date({expr}, '-1 day')"


def date_key(expr: str) -> str:
    """A date as the integer YYYYMMDD; adding 10000 gives the same day a year later."""
    if _pg():
        return f"CAST(TO_CHAR({expr}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(REPLACE({expr}, '-', '') AS INTEGER)"


def greatest(*exprs: str) -> str:
    return f"{'GREATEST' if _pg() else 'MAX'}({', '.join(exprs)})"


def least(*exprs: str) -> str:
    return f"{'LEAST' if _pg() else 'MIN'}({', '.join(exprs)})"


def hundredths(expr: str) -> str:
    """FTE in exact integer hundredths, so sums never drift."""
    return f"CAST(ROUND({expr} * 100) AS INTEGER)"


# Parameters ----------------------------------------------------------------------------------


def in_list(name: str, values: Sequence[Any]) -> tuple[str, Named]:
    """`(%(name_0)s, %(name_1)s, …)` for an SQL IN list; `(NULL)` (matching nothing) when empty."""
    if not values:
        return "(NULL)", {}
    names = [f"{name}_{i}" for i in range(len(values))]
    return "(" + ", ".join(f"%({n})s" for n in names) + ")", dict(zip(names, values, strict=True))


def placeholders(values: Sequence[Any]) -> tuple[str, Params]:
    """`%s, %s, …` for an SQL IN list and its positional parameters; NULL when empty."""
    if not values:
        return "NULL", []
    return ", ".join(["%s"] * len(values)), list(values)


def _in(values: Sequence[Any]) -> tuple[str, Params]:
    """`(%s, %s, …)` and its positional parameters (see `placeholders`)."""
    listed, params = placeholders(values)
    return f"({listed})", params


NAMED = re.compile(r"%\((\w+)\)s")


def positional(sql: str, params: Named) -> tuple[str, Params]:
    """Named parameters as positional ones, for a caller that joins them to its own `%s` SQL."""
    values: Params = []

    def take(match: re.Match[str]) -> str:
        values.append(params[match.group(1)])
        return "%s"

    return NAMED.sub(take, sql), values


def fetch(sql: str, params: Named) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Rows to components --------------------------------------------------------------------------


GROUPS = ("team", "role")


def _group_expr(by: str | None, p: str = "p") -> str:
    if by is None:
        return "0"
    if by not in GROUPS:
        raise ValueError(f"Cannot group by {by!r}.")
    return f"{p}.{by}_id"


def _fte(hundredths_total: Any) -> Decimal:
    """Integer hundredths as a Decimal with two places (12345 -> 123.45, 0 -> 0.00)."""
    return Decimal(int(hundredths_total or 0)).scaleb(-2)


def _groups(rows: list[tuple[Any, ...]], by: str | None) -> set[Any]:
    keys = {row[0] for row in rows}
    if by is None:
        keys.add(0)
    return keys


def _key(g: Any, by: str | None) -> Any:
    return None if by is None else g


def events(
    rows: list[tuple[Any, ...]], timeline: Timeline, by: str | None, names: tuple[str, ...]
) -> Component:
    """Components summed over the year to each date from rows of (group, event bucket, sums…)."""
    buckets: dict[Any, dict[int, list[int]]] = {}
    for g_, k, *vals in rows:
        buckets.setdefault(g_, {})[int(k)] = [int(v or 0) for v in vals]
    out: Component = {name: {} for name in names}
    for g_ in _groups(rows, by):
        for j, name in enumerate(names):
            totals = timeline.rolling({k: v[j] for k, v in buckets.get(g_, {}).items()})
            out[name][_key(g_, by)] = [_fte(t) if name.endswith("_fte") else t for t in totals]
    return out
