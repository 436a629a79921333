"""Caseload, workload, supervision and demand figures as set-based SQL.

Definitions (DfE Children's Social Work Workforce, "caseload"):

- **Case holder at D**: a worker with at least one case allocated to them on D who is in post on
  D in a census-counted role (an engagement of any kind, agency included, active on D).
  An allocation to someone no longer in post does not count: the case is unallocated.
- **Cases held at D**: cases allocated to case holders on D. Siblings are separate cases.
- **Case-holder FTE at D**: the FTE of case holders' engagements active on D (census roles).
- **Average caseload**: cases held ÷ case-holder FTE.
- **Social worker changes**: of the children looked after on D, how many had 3 or more
  different social workers allocated over the 12 months to D.

Teams (the rule in docs/definitions.md, "Caseloads by team"): a case *held* on D counts in the
team of its worker's main post on D, and the worker (headcount and FTE) counts there too, so
team rows of cases held, case holders and case-holder FTE add up to the authority. An
*unallocated* case has no worker: it counts in the team it sits with on D (`CaseTeam`). Average
caseload is a ratio worked out for each row (`average_caseload`); it does not add up.

Every figure is one or a few grouped queries; a monthly series is the same query over a derived
table of dates, never one query per month. All of it runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth

from workforce.caseloads.models import (
    DEFAULT_WEIGHTS,
    Allocation,
    AllocationReason,
    AsyePeriod,
    Case,
    CaseCategory,
    CaseTeam,
    Category,
    Referral,
    ReferralOutcome,
    Supervision,
    SupervisionPolicy,
    WorkloadScheme,
)
from workforce.core import numbers, periods
from workforce.establishment.models import Engagement, Post, Role, Team
from workforce.metrics import engine
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
    """Named SQL parameters: `p.add("on", day)` stores the value and gives `%(on)s`."""

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
    held = (
        "SELECT m.d, a.worker_id, COUNT(DISTINCT a.case_id) AS cases"
        f" FROM ({_dates_table(p, dates)}) m"
        f" JOIN {ALLOCATION} a ON {_active('a')}"
        f" WHERE {authorities} GROUP BY m.d, a.worker_id"
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


def social_worker_changes(where: CaseloadFilter, on: dt.date) -> SocialWorkerChanges:
    """Children looked after on `on` and how many social workers each had in the year to `on`."""
    p = _Params()
    day = p.add("on", on)
    team_join = ""
    if where.team_ids is not None:
        team_join = (
            f" JOIN {CASE_TEAM} ct ON ct.case_id = c.case_id AND {_active('ct', day)}"
            f" AND ct.team_id IN ({p.many('t', where.team_ids)})"
        )
    year_start = p.add("year_start", year_before(on))
    sql = (
        "SELECT n, COUNT(*) FROM ("
        f" SELECT c.case_id, COUNT(DISTINCT a.worker_id) AS n FROM {CASE_CATEGORY} c"
        f"{team_join}"
        f" LEFT JOIN {ALLOCATION} a ON a.case_id = c.case_id"
        f" AND a.start <= {day} AND (a.{END} IS NULL OR a.{END} > {year_start})"
        f" WHERE c.authority_id IN ({p.many('a', where.authority_ids)})"
        f" AND c.category = {p.add('looked_after', Category.LOOKED_AFTER.value)}"
        f" AND {_active('c', day)}"
        " GROUP BY c.case_id) s GROUP BY n"
    )
    rows = _fetch(sql, p)
    return SocialWorkerChanges(on=on, by_workers={int(n): int(c) for n, c in rows})


# Unallocated cases ---------------------------------------------------------------------------
#
# A case is *held* on a day when an allocation of it is active then to a worker in post then in
# a census-counted role; an open case that is not held is unallocated. It has been unallocated
# since the day after it was last held (the end of the last stretch in which an allocation of
# it and an engagement of its worker overlapped), or since it opened if it never was: a leaver's
# case from the day after their last day, a transferred case from the transfer. The days
# unallocated on D are D − that day, so 0 on the first day; a case is escalated when they are
# more than the threshold.


def _held(case: str, day: str) -> str:
    """SQL: case `case` is held on `day`."""
    return (
        f"EXISTS (SELECT 1 FROM {ALLOCATION} a"
        f" JOIN {ENGAGEMENT} e ON e.worker_id = a.worker_id AND {_active('e', day)}"
        f" JOIN {POST} ep ON ep.id = e.post_id JOIN {ROLE} r ON r.id = ep.role_id"
        f" WHERE a.case_id = {case} AND {_active('a', day)} AND {CENSUS_ROLE})"
    )


def _unallocated_since(c: str, day: str) -> str:
    """SQL: the first day of the stretch in which the case `c` (an alias), unallocated on `day`,
    has been unallocated. Every stretch in which it was held and that began before `day` has
    ended by then, at the earlier of the allocation's and the engagement's ends."""
    a_end, e_end = f"a.{END}", f"e.{END}"
    stretch_end = (
        f"CASE WHEN {a_end} IS NULL THEN {e_end} WHEN {e_end} IS NULL THEN {a_end}"
        f" WHEN {a_end} < {e_end} THEN {a_end} ELSE {e_end} END"
    )
    return (
        f"COALESCE((SELECT MAX({stretch_end}) FROM {ALLOCATION} a"
        f" JOIN {ENGAGEMENT} e ON e.worker_id = a.worker_id"
        f" JOIN {POST} ep ON ep.id = e.post_id JOIN {ROLE} r ON r.id = ep.role_id"
        f" WHERE a.case_id = {c}.id AND {CENSUS_ROLE} AND a.start < {day} AND e.start < {day}"
        f" AND ({a_end} IS NULL OR {a_end} > e.start) AND ({e_end} IS NULL OR {e_end} > a.start)),"
        f" {c}.start)"
    )


def _unallocated_sql(p: _Params, where: CaseloadFilter, on: dt.date) -> str:
    """Rows (case id, child reference, team id, team name, category, since) of the open cases
    unallocated on `on`, in the filter's teams (by the case's team on `on`; a case with no team
    then is in no team's and only the whole authority's figures)."""
    day = p.add("on", on)
    team_where = ""
    if where.team_ids is not None:
        team_where = f" AND ct.team_id IN ({p.many('t', where.team_ids)})"
    return (
        "SELECT c.id AS case_id, c.child_ref AS child_ref, ct.team_id AS team_id,"
        " tm.name AS team_name, cc.category AS category,"
        f" {_unallocated_since('c', day)} AS since"
        f" FROM {CASE} c"
        f" LEFT JOIN {CASE_TEAM} ct ON ct.case_id = c.id AND {_active('ct', day)}"
        f" LEFT JOIN {TEAM} tm ON tm.id = ct.team_id"
        f" LEFT JOIN {CASE_CATEGORY} cc ON cc.case_id = c.id AND {_active('cc', day)}"
        f" WHERE c.authority_id IN ({p.many('a', where.authority_ids)}) AND {_active('c', day)}"
        f"{team_where} AND NOT {_held('c.id', day)}"
    )


def unallocated_on(where: CaseloadFilter, on: dt.date) -> list[tuple[Any, ...]]:
    """(case id, child reference, team id, team name, category, since) for each open case
    unallocated on `on`: one query."""
    p = _Params()
    rows = _fetch(_unallocated_sql(p, where, on), p)
    return [(*row[:5], _as_date(row[5])) for row in rows]


def days_unallocated(since: dt.date, on: dt.date) -> int:
    """Whole days from the first unallocated day to `on`: 0 on that day itself."""
    return (on - since).days


def escalated(since: dt.date, on: dt.date, threshold_days: int) -> bool:
    """Unallocated for more than the threshold."""
    return days_unallocated(since, on) > threshold_days


def unallocated_series(where: CaseloadFilter, dates: Sequence[dt.date]) -> dict[dt.date, int]:
    """Open cases that are not held, at each date. One query."""
    p = _Params()
    team_where = ""
    if where.team_ids is not None:
        team_where = (
            f" AND EXISTS (SELECT 1 FROM {CASE_TEAM} ct WHERE ct.case_id = c.id"
            f" AND {_active('ct')} AND ct.team_id IN ({p.many('t', where.team_ids)}))"
        )
    sql = (
        f"SELECT m.d, COUNT(*) FROM ({_dates_table(p, dates)}) m"
        f" JOIN {CASE} c ON {_active('c')}"
        f" WHERE c.authority_id IN ({p.many('a', where.authority_ids)}){team_where}"
        f" AND NOT {_held('c.id', 'm.d')}"
        " GROUP BY m.d"
    )
    return {_as_date(d): int(n) for d, n in _fetch(sql, p)}


def unallocated_by_team(
    where: CaseloadFilter, on: dt.date, *, threshold_days: int
) -> dict[int | None, tuple[int, int]]:
    """Per team on `on`: (unallocated cases, of which escalated: unallocated for more than
    `threshold_days`). Cases with no team on `on` (a data gap) are counted under None."""
    p = _Params()
    rows = _unallocated_sql(p, where, on)
    # Escalated: on − since > threshold, that is since < on − threshold.
    before = p.add("escalate_before", on - dt.timedelta(days=threshold_days))
    sql = (
        f"SELECT u.team_id, COUNT(*), SUM(CASE WHEN u.since < {before} THEN 1 ELSE 0 END)"
        f" FROM ({rows}) u"
        " GROUP BY u.team_id"
    )
    return {None if t is None else int(t): (int(n), int(e or 0)) for t, n, e in _fetch(sql, p)}


# Weighted workload ---------------------------------------------------------------------------


def points_by_worker(
    where: CaseloadFilter,
    on: dt.date,
    scheme: SchemeSettings,
    *,
    worker_ids: Sequence[int] | None = None,
) -> dict[int, tuple[int, int]]:
    """Per worker holding cases on `on`: (cases, weighted points). One grouped query."""
    p = _Params()
    day = p.add("on", on)
    worker_sql = ""
    if worker_ids is not None:
        worker_sql = f" AND a.worker_id IN ({p.many('w', list(worker_ids))})"
    sql = (
        "SELECT a.worker_id, cc.category, cc.complex, COUNT(DISTINCT a.case_id)"
        f" FROM {ALLOCATION} a"
        f" LEFT JOIN {CASE_CATEGORY} cc ON cc.case_id = a.case_id AND {_active('cc', day)}"
        f" WHERE a.authority_id IN ({p.many('a', where.authority_ids)}){worker_sql}"
        f" AND {_active('a', day)}"
        " GROUP BY a.worker_id, cc.category, cc.complex"
    )
    cases: dict[int, int] = defaultdict(int)
    points: dict[int, int] = defaultdict(int)
    for worker_id, category, complex_, n in _fetch(sql, p):
        cases[worker_id] += int(n)
        points[worker_id] += int(n) * scheme.points(category, bool(complex_))
    return {w: (cases[w], points[w]) for w in cases}


def capacity_points(
    *, role_points: int, fte: Decimal, asye: bool, scheme: SchemeSettings
) -> Decimal:
    """A worker's capacity: the role's points (or the scheme default) × FTE, reduced in ASYE."""
    base = Decimal(role_points or scheme.default_capacity_points) * Decimal(fte)
    if asye:
        base = base * Decimal(scheme.asye_capacity_percent) / Decimal(100)
    return numbers.rounded(base, 1) or Decimal(0)


# Supervision ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupervisionStatus:
    worker_id: int
    last: dt.date | None
    since: dt.date  # the last session, or the worker's start when there has been none
    interval_days: int
    asye: bool

    @property
    def due(self) -> dt.date:
        return self.since + dt.timedelta(days=self.interval_days)

    def overdue_on(self, on: dt.date) -> bool:
        return on > self.due

    def days_overdue(self, on: dt.date) -> int:
        return max((on - self.due).days, 0)


def supervision_statuses(
    worker_rows: Iterable[tuple[int, dt.date | None, dt.date | None, dt.date | None]],
    on: dt.date,
    policy: PolicySettings,
) -> list[SupervisionStatus]:
    """From (worker, last session, ASYE start, first start) rows: when each is due."""
    statuses = []
    for worker_id, last, asye_start, first_start in worker_rows:
        last_d = _as_date(last) if last is not None else None
        asye_d = _as_date(asye_start) if asye_start is not None else None
        since = last_d or (_as_date(first_start) if first_start is not None else on)
        statuses.append(
            SupervisionStatus(
                worker_id=worker_id,
                last=last_d,
                since=since,
                interval_days=policy.interval_days(on, asye_d),
                asye=asye_d is not None,
            )
        )
    return statuses


def supervision_rows(
    where: CaseloadFilter, on: dt.date, *, case_holders_only: bool = True
) -> list[tuple[int, Any, Any, Any, int]]:
    """(worker, last session ≤ on, ASYE start if in ASYE on `on`, first start, team) per worker
    in post on `on` in a census role: case holders, or (when not `case_holders_only`) also
    workers in case-holding roles without cases yet. The team is that of the worker's main post,
    as for caseloads. One query."""
    p = _Params()
    day = p.add("on", on)
    team_sql = ""
    if where.team_ids is not None:
        team_sql = f" AND mp.team_id IN ({p.many('t', where.team_ids)})"
    holds = (
        f"EXISTS (SELECT 1 FROM {ALLOCATION} a WHERE a.worker_id = w.worker_id"
        f" AND {_active('a', day)})"
    )
    if case_holders_only:
        holding = f" AND {holds}"
    else:  # everyone who holds cases or whose role does
        holding = f" AND (mr.case_holding = {p.add('case_holding', True)} OR {holds})"
    workers = (
        f"SELECT DISTINCT e.worker_id, {_main_post('e.worker_id', day)} AS post_id"
        f" FROM {ENGAGEMENT} e"
        f" WHERE e.authority_id IN ({p.many('a', where.authority_ids)}) AND {_active('e', day)}"
    )
    sql = (
        "SELECT w.worker_id,"
        f" (SELECT MAX(s.date) FROM {SUPERVISION} s WHERE s.worker_id = w.worker_id"
        f" AND s.date <= {day}),"
        f" (SELECT MAX(y.start) FROM {ASYE} y WHERE y.worker_id = w.worker_id"
        f" AND {_active('y', day)}),"
        f" (SELECT MIN(e3.start) FROM {ENGAGEMENT} e3"
        f" WHERE e3.worker_id = w.worker_id AND e3.start <= {day}),"
        " mp.team_id"
        f" FROM ({workers}) w JOIN {POST} mp ON mp.id = w.post_id"
        f" JOIN {ROLE} mr ON mr.id = mp.role_id"
        f" WHERE mr.org_role <> ''{team_sql}{holding}"
    )
    return [(int(r[0]), r[1], r[2], r[3], int(r[4])) for r in _fetch(sql, p)]


@dataclass(frozen=True)
class SupervisionCompliance:
    case_holders: int
    within_policy: int

    @property
    def rate(self) -> Decimal | None:
        if not self.case_holders:
            return None
        return Decimal(self.within_policy) / Decimal(self.case_holders)


def supervision_compliance(
    where: CaseloadFilter, on: dt.date, policy: PolicySettings
) -> SupervisionCompliance:
    """Share of case holders on `on` whose supervision is not overdue under the policy."""
    rows = supervision_rows(where, on)
    statuses = supervision_statuses([r[:4] for r in rows], on, policy)
    within = sum(1 for s in statuses if not s.overdue_on(on))
    return SupervisionCompliance(case_holders=len(statuses), within_policy=within)


# Demand --------------------------------------------------------------------------------------


def _referrals(where: CaseloadFilter, start: dt.date, end: dt.date) -> Any:
    qs = Referral.objects.filter(
        authority_id__in=where.authority_ids, received__gte=start, received__lt=end
    )
    if where.team_ids is not None:
        qs = qs.filter(team_id__in=where.team_ids)
    return qs


@dataclass(frozen=True)
class Funnel:
    """Referrals received in [start, end) and how far they went, as Leeds tabulates."""

    start: dt.date
    end: dt.date
    referrals: int
    initial_assessments: int
    core_assessments: int
    care_plans: int
    no_further_action: int
    cp_enquiries: int
    initial_completed: int
    initial_timely: int
    core_completed: int
    core_timely: int

    @property
    def last_day(self) -> dt.date:
        return self.end - DAY

    def rows(self) -> list[tuple[str, int, Decimal | None]]:
        """(stage, number, share of referrals) in Leeds' order."""
        stages = [
            ("Referrals", self.referrals),
            ("Initial assessments", self.initial_assessments),
            ("Going on to core assessment", self.core_assessments),
            ("Going on to a care plan", self.care_plans),
            ("No further action", self.no_further_action),
        ]
        return [(label, n, self.share(n)) for label, n in stages]

    def share(self, n: int) -> Decimal | None:
        if not self.referrals:
            return None
        return Decimal(n) / Decimal(self.referrals)

    @property
    def initial_timeliness(self) -> Decimal | None:
        return _share(self.initial_timely, self.initial_completed)

    @property
    def core_timeliness(self) -> Decimal | None:
        return _share(self.core_timely, self.core_completed)


def _share(n: int, d: int) -> Decimal | None:
    return None if not d else Decimal(n) / Decimal(d)


def funnel(
    where: CaseloadFilter,
    start: dt.date,
    end: dt.date,
    *,
    initial_days: int = 7,
    core_days: int = 35,
) -> Funnel:
    """The referral funnel for referrals received in [start, end): one aggregate query."""
    duration = DurationField()
    qs = _referrals(where, start, end).annotate(
        ia_took=ExpressionWrapper(
            F("initial_assessment_completed") - F("initial_assessment_start"),
            output_field=duration,
        ),
        ca_took=ExpressionWrapper(
            F("core_assessment_completed") - F("core_assessment_start"), output_field=duration
        ),
    )
    totals = qs.aggregate(
        referrals=Count("id"),
        initial_assessments=Count("initial_assessment_start"),
        core_assessments=Count("core_assessment_start"),
        care_plans=Count("plan_date"),
        no_further_action=Count("id", filter=Q(outcome=ReferralOutcome.NO_FURTHER_ACTION)),
        cp_enquiries=Count("id", filter=Q(outcome=ReferralOutcome.CP_ENQUIRY)),
        initial_completed=Count("initial_assessment_completed"),
        initial_timely=Count("id", filter=Q(ia_took__lte=dt.timedelta(days=initial_days))),
        core_completed=Count("core_assessment_completed"),
        core_timely=Count("id", filter=Q(ca_took__lte=dt.timedelta(days=core_days))),
    )
    return Funnel(start=start, end=end, **totals)


def new_cases_allocated(where: CaseloadFilter, start: dt.date, end: dt.date) -> int:
    """Cases allocated for the first time in [start, end) (Leeds: 'new cases picked up')."""
    qs = Allocation.objects.filter(
        authority_id__in=where.authority_ids,
        reason=AllocationReason.INITIAL,
        start__gte=start,
        start__lt=end,
    )
    if where.team_ids is not None:
        qs = qs.filter(case__teams__team_id__in=where.team_ids, case__teams__start__lte=F("start"))
        qs = qs.filter(Q(case__teams__end__isnull=True) | Q(case__teams__end__gt=F("start")))
    return qs.values("case_id").distinct().count()


def _monthly_counts(qs: Any, date_field: str) -> dict[tuple[int, int], int]:
    rows = qs.annotate(month=TruncMonth(date_field)).values("month").annotate(n=Count("id"))
    return {(_as_date(r["month"]).year, _as_date(r["month"]).month): r["n"] for r in rows}


@dataclass(frozen=True)
class MonthPoint:
    on: dt.date
    cases_held: int
    case_holders: int
    case_holder_fte: Decimal
    unallocated: int
    referrals: int
    initial_assessments: int
    new_cases_allocated: int

    @property
    def average_caseload(self) -> Decimal | None:
        return average_caseload(self.cases_held, self.case_holder_fte)


SERIES_HEADER = [
    "Month ending",
    "Cases held",
    "Case holders",
    "Case-holder FTE",
    "Average caseload",
    "Unallocated cases",
    "Referrals",
    "Initial assessments",
    "New cases allocated",
]


def monthly_series(where: CaseloadFilter, on: dt.date, months: int = 12) -> list[MonthPoint]:
    """Month by month to `on`: stock figures at each month end, flows within each month.

    Four queries in all, whatever the number of months.
    """
    dates = month_ends(on, months)
    holders = holder_counts(where.metrics_filter(), dates)
    unallocated = unallocated_series(where, dates)
    first = dates[0].replace(day=1)
    referrals = _referrals(where, first, on + DAY)
    received = _monthly_counts(referrals, "received")
    assessed = _monthly_counts(referrals.filter(initial_assessment_start__isnull=False), "received")
    allocations = Allocation.objects.filter(
        authority_id__in=where.authority_ids,
        reason=AllocationReason.INITIAL,
        start__gte=first,
        start__lte=on,
    )
    if where.team_ids is not None:
        allocations = allocations.filter(
            Q(case__teams__team_id__in=where.team_ids)
            & Q(case__teams__start__lte=F("start"))
            & (Q(case__teams__end__isnull=True) | Q(case__teams__end__gt=F("start")))
        )
    allocated = _monthly_counts(allocations, "start")
    points = []
    for d in dates:
        key = (d.year, d.month)
        counts = holders.get((d, None), NO_HOLDERS)
        points.append(
            MonthPoint(
                on=d,
                cases_held=counts.cases_held,
                case_holders=counts.case_holders,
                case_holder_fte=counts.case_holder_fte,
                unallocated=unallocated.get(d, 0),
                referrals=received.get(key, 0),
                initial_assessments=assessed.get(key, 0),
                new_cases_allocated=allocated.get(key, 0),
            )
        )
    return points


# Headlines for the metrics command and dashboards ---------------------------------------------


def caseload_headlines(
    *, authority_ids: Sequence[int], team_ids: Sequence[int] | None, on: dt.date
) -> dict[str, Any]:
    """The caseload figures at `on` as plain JSON-ready values."""
    where = CaseloadFilter(
        authority_ids=tuple(authority_ids),
        team_ids=None if team_ids is None else tuple(team_ids),
    )
    first = where.authority_ids[0] if where.authority_ids else 0
    scheme = scheme_settings(first)
    summary = caseload_summary(where, on)
    changes = social_worker_changes(where, on)
    unallocated = unallocated_by_team(where, on, threshold_days=scheme.unallocated_threshold_days)
    compliance = supervision_compliance(where, on, policy_settings(first))
    demand = funnel(
        where,
        year_before(on),
        on + DAY,
        initial_days=scheme.initial_assessment_days,
        core_days=scheme.core_assessment_days,
    )

    def num(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "cases_held": summary.cases_held,
        "case_holders": summary.case_holders,
        "case_holder_fte": float(summary.case_holder_fte),
        "average_caseload": num(summary.average_caseload),
        "caseload_distribution": dict(caseload_distribution(where, on)),
        "unallocated_cases": sum(n for n, _ in unallocated.values()),
        "unallocated_escalated": sum(e for _, e in unallocated.values()),
        "children_in_care": changes.children_in_care,
        "children_in_care_3_plus_social_workers": changes.three_or_more,
        "children_in_care_3_plus_social_workers_rate": num(changes.share_three_or_more),
        "supervision_compliance": num(compliance.rate),
        "referrals_12_months": demand.referrals,
        "initial_assessments_12_months": demand.initial_assessments,
    }
