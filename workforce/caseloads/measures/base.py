"""What the caseload figures share: filters, settings, dates and the SQL building blocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection

from workforce.caseloads.models import (
    DEFAULT_WEIGHTS,
    Allocation,
    AsyePeriod,
    Case,
    CaseCategory,
    CaseTeam,
    Supervision,
    SupervisionPolicy,
    WorkloadScheme,
)
from workforce.core import numbers, periods
from workforce.establishment.models import Engagement, Post, Role, Team
from workforce.metrics.engine import MetricsFilter

if TYPE_CHECKING:
    from workforce.core.access import Scope


DAY = dt.timedelta(days=1)
ZERO = Decimal("0.00")
TWO_PLACES = Decimal("0.01")


# Filters and settings ------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadFilter:
    """Which part of the service: one or more authorities, optionally some teams."""

    authority_ids: tuple[int, ...]
    team_ids: tuple[int, ...] | None = None

    @classmethod
    def for_scope(cls, scope: Scope, *, team_id: int | None = None) -> CaseloadFilter:
        teams: tuple[int, ...] | None = None
        if scope.team_ids is not None:
            teams = tuple(sorted(scope.team_ids))
        if team_id is not None:
            teams = (team_id,) if teams is None or team_id in teams else ()
        return cls(authority_ids=(scope.authority.pk,), team_ids=teams)

    def metrics_filter(self) -> MetricsFilter:
        """The same part of the service as a metrics filter (census-counted roles)."""
        return MetricsFilter(authority_ids=self.authority_ids, team_ids=self.team_ids)


@dataclass(frozen=True)
class SchemeSettings:
    """An authority's workload scheme, with the defaults where it has none."""

    asye_capacity_percent: int = 90
    default_capacity_points: int = 100
    unallocated_threshold_days: int = 14
    initial_assessment_days: int = 7
    core_assessment_days: int = 35
    weights: dict[str, tuple[int, int]] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def points(self, category: str | None, complex_: bool) -> int:
        if category is None:
            return 0
        plain, complex_points = self.weights.get(category, (0, 0))
        return complex_points if complex_ else plain


def scheme_settings(authority_id: int) -> SchemeSettings:
    scheme = WorkloadScheme.objects.filter(authority_id=authority_id).first()
    if scheme is None:
        return SchemeSettings()
    weights = dict(DEFAULT_WEIGHTS)
    for w in scheme.weights.all():
        weights[w.category] = (w.points, w.complex_points)
    return SchemeSettings(
        asye_capacity_percent=scheme.asye_capacity_percent,
        default_capacity_points=scheme.default_capacity_points,
        unallocated_threshold_days=scheme.unallocated_threshold_days,
        initial_assessment_days=scheme.initial_assessment_days,
        core_assessment_days=scheme.core_assessment_days,
        weights=weights,
    )


@dataclass(frozen=True)
class PolicySettings:
    """How often supervision is due, with the defaults where the authority has set none."""

    asye_weekly_weeks: int = 6
    asye_fortnightly_months: int = 6
    asye_later_days: int = 31
    standard_days: int = 31

    def interval_days(self, on: dt.date, asye_start: dt.date | None) -> int:
        """The longest gap allowed between sessions on `on` for someone at this ASYE stage."""
        if asye_start is None:
            return self.standard_days
        if (on - asye_start).days < self.asye_weekly_weeks * 7:
            return 7
        if on < add_months(asye_start, self.asye_fortnightly_months):
            return 14
        return self.asye_later_days


def policy_settings(authority_id: int) -> PolicySettings:
    policy = SupervisionPolicy.objects.filter(authority_id=authority_id).first()
    if policy is None:
        return PolicySettings()
    return PolicySettings(
        asye_weekly_weeks=policy.asye_weekly_weeks,
        asye_fortnightly_months=policy.asye_fortnightly_months,
        asye_later_days=policy.asye_later_days,
        standard_days=policy.standard_days,
    )


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = _month_end(dt.date(year, month, 1)).day
    return dt.date(year, month, min(day.day, last))


_month_end = periods.month_end


def year_before(on: dt.date) -> dt.date:
    """The first day of the 12 months to `on` (inclusive of `on`)."""
    return add_months(on, -12) + DAY


def month_ends(on: dt.date, months: int = 12) -> list[dt.date]:
    """The last day of each of the `months` months up to `on`; the last one is `on` itself."""
    return periods.month_ends_closing_on(on, months)


# SQL building blocks ---------------------------------------------------------------------------

_qn = connection.ops.quote_name
ALLOCATION = _qn(Allocation._meta.db_table)
CASE = _qn(Case._meta.db_table)
CASE_TEAM = _qn(CaseTeam._meta.db_table)
CASE_CATEGORY = _qn(CaseCategory._meta.db_table)
SUPERVISION = _qn(Supervision._meta.db_table)
ASYE = _qn(AsyePeriod._meta.db_table)
ENGAGEMENT = _qn(Engagement._meta.db_table)
POST = _qn(Post._meta.db_table)
ROLE = _qn(Role._meta.db_table)
TEAM = _qn(Team._meta.db_table)
END = _qn("end")  # a reserved word as a column name
CENSUS_ROLE = "r.org_role <> ''"  # a role the census counts (OrgRole 1-6)


class _Params(dict[str, Any]):
    """Named SQL parameters: `p.add("on", day)` stores the value and gives `%(on)s`. Also the
    statement's common table expressions: `p.cte("name", sql)` gives `name`, and `_fetch` puts
    `WITH name AS MATERIALIZED (sql)` before the statement, so a part worked out once (the
    allocations of a span of dates, say) can be written inside a derived table."""

    def __init__(self) -> None:
        super().__init__()
        self.ctes: dict[str, str] = {}

    def cte(self, name: str, sql: str) -> str:
        if self.ctes.get(name, sql) != sql:
            raise ValueError(f"Two different parts of one statement are called {name}.")
        self.ctes[name] = sql
        return name

    def with_ctes(self, sql: str) -> str:
        """The statement with its common table expressions in front (merged with its own)."""
        if not self.ctes:
            return sql
        ctes = ", ".join(f"{name} AS MATERIALIZED ({body})" for name, body in self.ctes.items())
        if sql.lstrip().upper().startswith("WITH "):
            return f"WITH {ctes}, {sql.lstrip()[5:]}"
        return f"WITH {ctes} {sql}"

    def add(self, name: str, value: Any) -> str:
        self[name] = value
        return f"%({name})s"

    def day(self, name: str, value: dt.date) -> str:
        # PostgreSQL needs a typed date in a derived table; SQLite stores dates as ISO text.
        mark = self.add(name, value)
        return f"CAST({mark} AS date)" if connection.vendor == "postgresql" else mark

    def many(self, prefix: str, values: Sequence[Any]) -> str:
        """An SQL IN list; NULL (matching nothing) when empty."""
        if not values:
            return "NULL"
        return ", ".join(self.add(f"{prefix}{i}", v) for i, v in enumerate(values))

    def positional(self, prefix: str, sql: str, params: Sequence[Any]) -> str:
        """SQL written with `%s` (as the metrics filter gives it), its parameters named."""
        pieces = sql.split("%s")
        if len(pieces) != len(params) + 1:
            raise ValueError("The SQL and its parameters do not match.")
        out = pieces[0]
        for i, (value, piece) in enumerate(zip(params, pieces[1:], strict=True)):
            out += self.add(f"{prefix}{i}", value) + piece
        return out


def _dates_table(p: _Params, dates: Sequence[dt.date]) -> str:
    """A derived table `m(d)` of the dates."""
    return " UNION ALL ".join(f"SELECT {p.day(f'd{i}', d)} AS d" for i, d in enumerate(dates))


def _active(alias: str, day: str = "m.d") -> str:
    return f"{alias}.start <= {day} AND ({alias}.{END} IS NULL OR {alias}.{END} > {day})"


def _main_post_order(e: str = "e", r: str = "r") -> str:
    """The order in which a worker's engagements on a day are chosen as their main post: a
    census-counted role first, then the largest FTE, the latest start, the latest recorded."""
    return (
        f"CASE WHEN {r}.org_role <> '' THEN 0 ELSE 1 END, {e}.fte DESC, {e}.start DESC, {e}.id DESC"
    )


def _main_post(worker: str, day: str) -> str:
    """SQL: the post id of `worker`'s main post on `day` (see `_main_post_order`)."""
    return (
        f"(SELECT me.post_id FROM {ENGAGEMENT} me JOIN {POST} mep ON mep.id = me.post_id"
        f" JOIN {ROLE} mer ON mer.id = mep.role_id"
        f" WHERE me.worker_id = {worker} AND {_active('me', day)}"
        f" ORDER BY {_main_post_order('me', 'mer')} LIMIT 1)"
    )


def _fetch(sql: str, params: Mapping[str, Any] | Sequence[Any]) -> list[tuple[Any, ...]]:
    if isinstance(params, _Params):
        sql = params.with_ctes(sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, params if isinstance(params, Mapping) else list(params))
        return list(cursor.fetchall())


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _decimal(value: Any) -> Decimal:
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(TWO_PLACES)


def _ratio(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    if not denominator:
        return None
    return numbers.rounded(Decimal(numerator) / Decimal(denominator), 1)
