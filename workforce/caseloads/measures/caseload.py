"""Cases held, case holders and average caseload by the one team rule; the distribution of
caseloads and changes of social worker."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from workforce.caseloads.models import (
    Category,
)
from workforce.metrics import engine
from workforce.metrics.engine import MetricsFilter

if TYPE_CHECKING:
    pass
from workforce.caseloads.measures.base import (
    ALLOCATION,
    CASE_CATEGORY,
    CASE_TEAM,
    CENSUS_ROLE,
    END,
    ENGAGEMENT,
    POST,
    ROLE,
    TEAM,
    ZERO,
    CaseloadFilter,
    _active,
    _as_date,
    _dates_table,
    _decimal,
    _fetch,
    _main_post_order,
    _Params,
    _ratio,
    year_before,
)

# Caseload ------------------------------------------------------------------------------------
#
# The team rule (docs/definitions.md, "Caseloads"): a case held on D counts, with its worker's
# headcount and all their counted FTE, in the worker's main post on D (`_main_post_order`), so
# team rows add up to the authority; the average caseload is each row's own ratio.
# The metrics provider (`components.py`) and the caseload pages both read `holder_counts`.


def average_caseload(cases_held: int | None, case_holder_fte: Decimal | None) -> Decimal | None:
    """The DfE average caseload: cases held ÷ case-holder FTE, to one decimal place; None
    without case holders. The one place it is worked out."""
    if cases_held is None or not case_holder_fte:
        return None
    return _ratio(cases_held, case_holder_fte)


def _holders_sql(p: _Params, dates: Sequence[dt.date], where: MetricsFilter) -> str:
    """A derived table `(d, worker_id, post_id, fte, cases)`: one row per date and worker who
    holds at least one case then and is in post in a counted role, with their main post, the
    FTE of all their engagements in counted roles and the number of cases they hold."""
    counted = CENSUS_ROLE if where.census_only else "1 = 1"
    authorities = "1 = 1"  # every authority: no row need be checked
    if not where.every_authority:
        # For many authorities (all of England) a scan beats the index: `+ 0` keeps it unused.
        column = "a.authority_id" + (" + 0" if len(where.authority_ids) > engine.MANY else "")
        authorities = f"{column} IN ({p.many('ha', where.authority_ids)})"
    # The allocations active on some date of the span, found once: each date then looks only
    # at those, not at every allocation the authority ever made.
    first, last = p.day("held_first", min(dates)), p.day("held_last", max(dates))
    allocations = p.cte(
        "held_allocations",
        f"SELECT a.worker_id, a.case_id, a.start, a.{END} FROM {ALLOCATION} a"
        f" WHERE {authorities} AND a.start <= {last} AND (a.{END} IS NULL OR a.{END} > {first})",
    )
    held = (
        "SELECT m.d, a.worker_id, COUNT(DISTINCT a.case_id) AS cases"
        f" FROM ({_dates_table(p, dates)}) m"
        f" JOIN {allocations} a ON {_active('a')}"
        " GROUP BY m.d, a.worker_id"
    )
    by_worker = "PARTITION BY h.d, h.worker_id"
    ranked = (
        "SELECT h.d, h.worker_id, h.cases, e.post_id,"
        f" CASE WHEN {counted} THEN 1 ELSE 0 END AS counted,"
        f" SUM(CASE WHEN {counted} THEN e.fte ELSE 0 END) OVER ({by_worker}) AS fte,"
        f" ROW_NUMBER() OVER ({by_worker} ORDER BY {_main_post_order()}) AS n"
        f" FROM ({held}) h"
        f" JOIN {ENGAGEMENT} e ON e.worker_id = h.worker_id AND {_active('e', 'h.d')}"
        f" JOIN {POST} ep ON ep.id = e.post_id JOIN {ROLE} r ON r.id = ep.role_id"
    )
    return (
        f"SELECT d, worker_id, post_id, fte, cases FROM ({ranked}) ranked"
        " WHERE n = 1 AND counted = 1"
    )


def _holders_in(p: _Params, dates: Sequence[dt.date], where: MetricsFilter) -> str:
    """`FROM … WHERE …` of the case holders whose main post is in the filter: `h` the holder
    rows, `p` their main post (and `t` its team when the filter needs it)."""
    posts = p.positional("f", *where.posts_sql())
    return (
        f" FROM ({_holders_sql(p, dates, where)}) h"
        f" JOIN {POST} p ON p.id = h.post_id{where.joins()}"
        f" WHERE {posts}"
    )


@dataclass(frozen=True)
class HolderCounts:
    cases_held: int
    case_holders: int
    case_holder_fte: Decimal


NO_HOLDERS = HolderCounts(0, 0, ZERO)


def holder_counts(
    where: MetricsFilter, dates: Sequence[dt.date], by: str | None = None
) -> dict[tuple[dt.date, Any], HolderCounts]:
    """Cases held, case holders and their FTE at each date, keyed (date, team or role id, or
    None when not grouped), under the team rule above. One query for all the dates."""
    p = _Params()
    group = engine._group_expr(by)
    sql = f"SELECT {group}, h.d, SUM(h.cases), COUNT(*), SUM(h.fte){_holders_in(p, dates, where)}"
    sql += " GROUP BY 1, 2"
    return {
        (_as_date(d), engine._key(g, by)): HolderCounts(int(n or 0), int(k), _decimal(fte))
        for g, d, n, k, fte in _fetch(sql, p)
    }


def cases_held_series(
    where: CaseloadFilter, dates: Sequence[dt.date], *, by_team: bool = False
) -> dict[tuple[dt.date, int | None], int]:
    """Cases held at each date, keyed (date, team or None)."""
    counts = holder_counts(where.metrics_filter(), dates, "team" if by_team else None)
    return {key: c.cases_held for key, c in counts.items()}


def case_holders_series(
    where: CaseloadFilter, dates: Sequence[dt.date], *, by_team: bool = False
) -> dict[tuple[dt.date, int | None], tuple[int, Decimal]]:
    """Case holders (headcount, FTE) at each date, keyed (date, team or None)."""
    counts = holder_counts(where.metrics_filter(), dates, "team" if by_team else None)
    return {key: (c.case_holders, c.case_holder_fte) for key, c in counts.items()}


@dataclass(frozen=True)
class CaseloadSummary:
    on: dt.date
    cases_held: int
    case_holders: int
    case_holder_fte: Decimal

    @property
    def average_caseload(self) -> Decimal | None:
        return average_caseload(self.cases_held, self.case_holder_fte)


def caseload_summary(where: CaseloadFilter, on: dt.date) -> CaseloadSummary:
    counts = holder_counts(where.metrics_filter(), [on]).get((on, None), NO_HOLDERS)
    return CaseloadSummary(
        on=on,
        cases_held=counts.cases_held,
        case_holders=counts.case_holders,
        case_holder_fte=counts.case_holder_fte,
    )


DISTRIBUTION_BANDS: tuple[tuple[int, int | None], ...] = (
    (1, 5),
    (6, 10),
    (11, 15),
    (16, 20),
    (21, 25),
    (26, 30),
    (31, None),
)


def band_label(low: int, high: int | None) -> str:
    return f"{low} or more" if high is None else f"{low} to {high}"


def caseload_distribution(where: CaseloadFilter, on: dt.date) -> list[tuple[str, int]]:
    """How many case holders hold 1–5, 6–10, … cases on `on` (each in their main post's team)."""
    p = _Params()
    sql = f"SELECT h.cases, COUNT(*){_holders_in(p, [on], where.metrics_filter())} GROUP BY h.cases"
    counts = dict(_fetch(sql, p))
    bands = []
    for low, high in DISTRIBUTION_BANDS:
        total = sum(int(c) for n, c in counts.items() if n >= low and (high is None or n <= high))
        bands.append((band_label(low, high), total))
    return bands


@dataclass(frozen=True)
class SocialWorkerChanges:
    """Children looked after on `on` by the number of social workers in the 12 months to `on`."""

    on: dt.date
    by_workers: dict[int, int]  # number of different social workers -> children

    @property
    def children_in_care(self) -> int:
        return sum(self.by_workers.values())

    @property
    def three_or_more(self) -> int:
        return sum(c for n, c in self.by_workers.items() if n >= 3)

    @property
    def share_three_or_more(self) -> Decimal | None:
        if not self.children_in_care:
            return None
        return Decimal(self.three_or_more) / Decimal(self.children_in_care)

    def by_changes(self) -> list[tuple[int, int]]:
        """Children by number of changes of social worker (workers − 1; none allocated = 0)."""
        changes: dict[int, int] = defaultdict(int)
        for n, c in self.by_workers.items():
            changes[max(n - 1, 0)] += c
        return sorted(changes.items())


def _dates_and_years(p: _Params, dates: Sequence[dt.date]) -> str:
    """A derived table `m(d, y)`: each date and the first day of the 12 months to it."""
    return " UNION ALL ".join(
        f"SELECT {p.day(f'd{i}', d)} AS d, {p.day(f'y{i}', year_before(d))} AS y"
        for i, d in enumerate(dates)
    )


def social_workers_by_date(
    where: MetricsFilter, dates: Sequence[dt.date], by: str | None = None
) -> dict[tuple[dt.date, Any], dict[int, int]]:
    """Children looked after at each date by how many different social workers were allocated to
    them in the 12 months to it: {(date, team or None): {workers: children}}. One query for all
    the dates.

    A child counts in the teams their case sits with on the date (`CaseTeam`), for the filter's
    teams and service area and grouped by team; a child's figure has no role, so the filter's
    roles do not apply and it cannot be grouped by role."""
    if by not in (None, "team"):
        raise ValueError(f"Children in care cannot be grouped by {by!r}.")
    p = _Params()
    authorities = "1 = 1"
    if not where.every_authority:
        authorities = f"c.authority_id IN ({p.many('a', where.authority_ids)})"
    team_join = ""
    if by == "team" or where.team_ids is not None or where.service_area:
        team_join = f" JOIN {CASE_TEAM} ct ON ct.case_id = c.case_id AND {_active('ct')}"
        if where.team_ids is not None:
            team_join += f" AND ct.team_id IN ({p.many('t', where.team_ids)})"
        if where.service_area:
            team_join += (
                f" JOIN {TEAM} cteam ON cteam.id = ct.team_id"
                f" AND cteam.service_area = {p.add('service_area', where.service_area)}"
            )
    group, grouped = ("ct.team_id", "ct.team_id, ") if by == "team" else ("0", "")
    sql = (
        "SELECT g, d, n, COUNT(*) FROM ("
        f" SELECT {group} AS g, m.d AS d, c.case_id, COUNT(DISTINCT a.worker_id) AS n"
        f" FROM ({_dates_and_years(p, dates)}) m"
        f" JOIN {CASE_CATEGORY} c ON {_active('c')}"
        f" AND c.category = {p.add('looked_after', Category.LOOKED_AFTER.value)}"
        f"{team_join}"
        f" LEFT JOIN {ALLOCATION} a ON a.case_id = c.case_id"
        f" AND a.start <= m.d AND (a.{END} IS NULL OR a.{END} > m.y)"
        f" WHERE {authorities}"
        f" GROUP BY {grouped}m.d, c.case_id) s GROUP BY g, d, n"
    )
    out: dict[tuple[dt.date, Any], dict[int, int]] = {}
    for g, d, n, children in _fetch(sql, p):
        out.setdefault((_as_date(d), engine._key(g, by)), {})[int(n)] = int(children)
    return out


def social_worker_changes(where: CaseloadFilter, on: dt.date) -> SocialWorkerChanges:
    """Children looked after on `on` and how many social workers each had in the year to `on`."""
    counts = social_workers_by_date(where.metrics_filter(), [on])
    return SocialWorkerChanges(on=on, by_workers=counts.get((on, None), {}))
