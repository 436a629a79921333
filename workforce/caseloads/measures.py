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

Filtering by team: a *case* belongs to the team it sits with on D (`CaseTeam`), a *worker* to
the team of their post on D. So cases held by a set of teams add up to the authority's total.

Every figure is one or a few grouped queries; a monthly series is the same query over a derived
table of dates, never one query per month. All of it runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth

from workforce.caseloads.models import (
    DEFAULT_WEIGHTS,
    AllocationReason,
    Category,
    Referral,
    ReferralOutcome,
    SupervisionPolicy,
    WorkloadScheme,
)
from workforce.metrics.engine import placeholders

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


def _month_end(day: dt.date) -> dt.date:
    first_next = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first_next - DAY


def year_before(on: dt.date) -> dt.date:
    """The first day of the 12 months to `on` (inclusive of `on`)."""
    return add_months(on, -12) + DAY


def month_ends(on: dt.date, months: int = 12) -> list[dt.date]:
    """The last day of each of the `months` months up to `on`; the last one is `on` itself."""
    ends = [_month_end(add_months(on.replace(day=1), -k)) for k in range(months - 1, 0, -1)]
    return [*ends, on]


# SQL building blocks ---------------------------------------------------------------------------


def _date_param() -> str:
    # PostgreSQL needs a typed date in a derived table; SQLite stores dates as ISO text.
    return "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"


def _dates_table(dates: Sequence[dt.date]) -> tuple[str, list[Any]]:
    select = f"SELECT {_date_param()} AS d"
    return " UNION ALL ".join([select] * len(dates)), list(dates)


def _active(alias: str, day: str = "m.d") -> str:
    return f'{alias}.start <= {day} AND ({alias}."end" IS NULL OR {alias}."end" > {day})'


def _in_post(worker: str, day: str, team_sql: str = "") -> str:
    """SQL: `worker` is in post on `day` in a census-counted role (optionally in some teams)."""
    return (
        "EXISTS (SELECT 1 FROM establishment_engagement e2"
        " JOIN establishment_post p2 ON p2.id = e2.post_id"
        " JOIN establishment_role r2 ON r2.id = p2.role_id"
        f" WHERE e2.worker_id = {worker} AND {_active('e2', day)} AND r2.org_role <> ''"
        f"{team_sql})"
    )


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
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
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.1"))


# Caseload ------------------------------------------------------------------------------------


def cases_held_series(
    where: CaseloadFilter, dates: Sequence[dt.date], *, by_team: bool = False
) -> dict[tuple[dt.date, int | None], int]:
    """Cases held at each date, keyed (date, team or None). One query for all the dates."""
    table, params = _dates_table(dates)
    authorities, a_params = placeholders(where.authority_ids)
    params += a_params
    team_join = team_col = team_where = ""
    if by_team or where.team_ids is not None:
        team_join = f" JOIN caseloads_caseteam ct ON ct.case_id = a.case_id AND {_active('ct')}"
    if by_team:
        team_col = ", ct.team_id"
    if where.team_ids is not None:
        teams, t_params = placeholders(where.team_ids)
        team_where = f" AND ct.team_id IN ({teams})"
        params += t_params
    sql = (
        f"SELECT m.d{team_col}, COUNT(DISTINCT a.case_id) FROM ({table}) m"
        f" JOIN caseloads_allocation a ON {_active('a')}"
        f"{team_join}"
        f" WHERE a.authority_id IN ({authorities}){team_where} AND {_in_post('a.worker_id', 'm.d')}"
        f" GROUP BY m.d{team_col}"
    )
    result: dict[tuple[dt.date, int | None], int] = {}
    for row in _fetch(sql, params):
        result[(_as_date(row[0]), row[1] if by_team else None)] = int(row[-1])
    return result


def case_holders_series(
    where: CaseloadFilter, dates: Sequence[dt.date], *, by_team: bool = False
) -> dict[tuple[dt.date, int | None], tuple[int, Decimal]]:
    """Case holders (headcount, FTE) at each date, keyed (date, team or None). One query."""
    table, params = _dates_table(dates)
    authorities, a_params = placeholders(where.authority_ids)
    params += a_params
    team_col = team_where = ""
    if by_team:
        team_col = ", p.team_id"
    if where.team_ids is not None:
        teams, t_params = placeholders(where.team_ids)
        team_where = f" AND p.team_id IN ({teams})"
        params += t_params
    sql = (
        f"SELECT m.d{team_col}, COUNT(DISTINCT e.worker_id), SUM(e.fte) FROM ({table}) m"
        f" JOIN establishment_engagement e ON {_active('e')}"
        " JOIN establishment_post p ON p.id = e.post_id"
        " JOIN establishment_role r ON r.id = p.role_id"
        f" WHERE e.authority_id IN ({authorities}) AND r.org_role <> ''{team_where}"
        " AND EXISTS (SELECT 1 FROM caseloads_allocation a"
        f" WHERE a.worker_id = e.worker_id AND {_active('a')})"
        f" GROUP BY m.d{team_col}"
    )
    result: dict[tuple[dt.date, int | None], tuple[int, Decimal]] = {}
    for row in _fetch(sql, params):
        key = (_as_date(row[0]), row[1] if by_team else None)
        result[key] = (int(row[-2]), _decimal(row[-1]))
    return result


@dataclass(frozen=True)
class CaseloadSummary:
    on: dt.date
    cases_held: int
    case_holders: int
    case_holder_fte: Decimal

    @property
    def average_caseload(self) -> Decimal | None:
        """Cases held ÷ case-holder FTE (DfE), to one decimal place; None without holders."""
        return _ratio(self.cases_held, self.case_holder_fte)


def caseload_summary(where: CaseloadFilter, on: dt.date) -> CaseloadSummary:
    held = cases_held_series(where, [on]).get((on, None), 0)
    holders, fte = case_holders_series(where, [on]).get((on, None), (0, ZERO))
    return CaseloadSummary(on=on, cases_held=held, case_holders=holders, case_holder_fte=fte)


def average_caseload(where: CaseloadFilter, on: dt.date) -> Decimal | None:
    return caseload_summary(where, on).average_caseload


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
    """How many case holders hold 1–5, 6–10, … cases on `on` (workers by their post's team)."""
    authorities, params = placeholders(where.authority_ids)
    team_sql = ""
    if where.team_ids is not None:
        teams, t_params = placeholders(where.team_ids)
        team_sql = f" AND p2.team_id IN ({teams})"
    else:
        t_params = []
    day = _date_param()
    sql = (
        "SELECT n, COUNT(*) FROM ("
        " SELECT a.worker_id, COUNT(DISTINCT a.case_id) AS n FROM caseloads_allocation a"
        f" WHERE a.authority_id IN ({authorities}) AND {_active('a', day)}"
        f" AND {_in_post('a.worker_id', day, team_sql)}"
        " GROUP BY a.worker_id) s GROUP BY n"
    )
    counts = dict(_fetch(sql, [*params, on, on, on, on, *t_params]))
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
        return (Decimal(self.three_or_more) / Decimal(self.children_in_care)).quantize(
            Decimal("0.001")
        )

    def by_changes(self) -> list[tuple[int, int]]:
        """Children by number of changes of social worker (workers − 1; none allocated = 0)."""
        changes: dict[int, int] = defaultdict(int)
        for n, c in self.by_workers.items():
            changes[max(n - 1, 0)] += c
        return sorted(changes.items())


def social_worker_changes(where: CaseloadFilter, on: dt.date) -> SocialWorkerChanges:
    """Children looked after on `on` and how many social workers each had in the year to `on`."""
    authorities, params = placeholders(where.authority_ids)
    day = _date_param()
    team_join = ""
    t_params: list[Any] = []
    if where.team_ids is not None:
        teams, t_params = placeholders(where.team_ids)
        team_join = (
            f" JOIN caseloads_caseteam ct ON ct.case_id = c.case_id AND {_active('ct', day)}"
            f" AND ct.team_id IN ({teams})"
        )
        t_params = [on, on, *t_params]
    sql = (
        "SELECT n, COUNT(*) FROM ("
        " SELECT c.case_id, COUNT(DISTINCT a.worker_id) AS n FROM caseloads_casecategory c"
        f"{team_join}"
        " LEFT JOIN caseloads_allocation a ON a.case_id = c.case_id"
        f' AND a.start <= {day} AND (a."end" IS NULL OR a."end" > {day})'
        f" WHERE c.authority_id IN ({authorities}) AND c.category = %s AND {_active('c', day)}"
        " GROUP BY c.case_id) s GROUP BY n"
    )
    rows = _fetch(
        sql, [*t_params, on, year_before(on), *params, Category.LOOKED_AFTER.value, on, on]
    )
    return SocialWorkerChanges(on=on, by_workers={int(n): int(c) for n, c in rows})


# Unallocated cases ---------------------------------------------------------------------------


def unallocated_series(where: CaseloadFilter, dates: Sequence[dt.date]) -> dict[dt.date, int]:
    """Open cases without an allocation to someone in post, at each date. One query."""
    table, params = _dates_table(dates)
    authorities, a_params = placeholders(where.authority_ids)
    params += a_params
    team_where = ""
    if where.team_ids is not None:
        teams, t_params = placeholders(where.team_ids)
        team_where = (
            " AND EXISTS (SELECT 1 FROM caseloads_caseteam ct WHERE ct.case_id = c.id"
            f" AND {_active('ct')} AND ct.team_id IN ({teams}))"
        )
        params += t_params
    sql = (
        f"SELECT m.d, COUNT(*) FROM ({table}) m JOIN caseloads_case c ON {_active('c')}"
        f" WHERE c.authority_id IN ({authorities}){team_where}"
        " AND NOT EXISTS (SELECT 1 FROM caseloads_allocation a WHERE a.case_id = c.id"
        f" AND {_active('a')} AND {_in_post('a.worker_id', 'm.d')})"
        " GROUP BY m.d"
    )
    return {_as_date(d): int(n) for d, n in _fetch(sql, params)}


def unallocated_by_team(
    where: CaseloadFilter, on: dt.date, *, threshold_days: int
) -> dict[int | None, tuple[int, int]]:
    """Per team on `on`: (unallocated cases, of which unallocated longer than the threshold).
    Cases with no team on `on` (a data gap) are counted under None.

    A case has been unallocated since its last allocation ended, or since it opened.
    """
    authorities, a_params = placeholders(where.authority_ids)
    day = _date_param()
    team_where = ""
    t_params: list[Any] = []
    if where.team_ids is not None:
        teams, t_params = placeholders(where.team_ids)
        team_where = f" AND ct.team_id IN ({teams})"
    since = (
        'COALESCE((SELECT MAX(a2."end") FROM caseloads_allocation a2 WHERE a2.case_id = c.id'
        f' AND a2."end" <= {day}), c.start)'
    )
    sql = (
        f"SELECT ct.team_id, COUNT(*), SUM(CASE WHEN {since} < {day} THEN 1 ELSE 0 END)"
        " FROM caseloads_case c"
        f" LEFT JOIN caseloads_caseteam ct ON ct.case_id = c.id AND {_active('ct', day)}"
        f" WHERE c.authority_id IN ({authorities}) AND {_active('c', day)}{team_where}"
        " AND NOT EXISTS (SELECT 1 FROM caseloads_allocation a WHERE a.case_id = c.id"
        f" AND {_active('a', day)} AND {_in_post('a.worker_id', day)})"
        " GROUP BY ct.team_id"
    )
    escalate_before = on - dt.timedelta(days=threshold_days)
    params = [on, escalate_before, on, on, *a_params, on, on, *t_params, on, on, on, on]
    rows = _fetch(sql, params)
    return {None if t is None else int(t): (int(n), int(e or 0)) for t, n, e in rows}


# Weighted workload ---------------------------------------------------------------------------


def points_by_worker(
    where: CaseloadFilter,
    on: dt.date,
    scheme: SchemeSettings,
    *,
    worker_ids: Sequence[int] | None = None,
) -> dict[int, tuple[int, int]]:
    """Per worker holding cases on `on`: (cases, weighted points). One grouped query."""
    authorities, params = placeholders(where.authority_ids)
    day = _date_param()
    worker_sql = ""
    if worker_ids is not None:
        workers, w_params = placeholders(list(worker_ids))
        worker_sql = f" AND a.worker_id IN ({workers})"
        params += w_params
    sql = (
        "SELECT a.worker_id, cc.category, cc.complex, COUNT(DISTINCT a.case_id)"
        " FROM caseloads_allocation a"
        " LEFT JOIN caseloads_casecategory cc ON cc.case_id = a.case_id"
        f" AND {_active('cc', day)}"
        f" WHERE a.authority_id IN ({authorities}){worker_sql} AND {_active('a', day)}"
        " GROUP BY a.worker_id, cc.category, cc.complex"
    )
    cases: dict[int, int] = defaultdict(int)
    points: dict[int, int] = defaultdict(int)
    for worker_id, category, complex_, n in _fetch(sql, [on, on, *params, on, on]):
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
    return base.quantize(Decimal("0.1"))


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
    workers in case-holding roles without cases yet. One query."""
    authorities, params = placeholders(where.authority_ids)
    day = _date_param()
    team_sql = ""
    t_params: list[Any] = []
    if where.team_ids is not None:
        teams, t_params = placeholders(where.team_ids)
        team_sql = f" AND p.team_id IN ({teams})"
    holds = (
        "EXISTS (SELECT 1 FROM caseloads_allocation a WHERE a.worker_id = e.worker_id"
        f" AND {_active('a', day)})"
    )
    h_params: list[Any]
    if case_holders_only:
        holding, h_params = f" AND {holds}", [on, on]
    else:  # everyone who holds cases or whose role does
        holding, h_params = f" AND (r.case_holding = %s OR {holds})", [True, on, on]
    sql = (
        "SELECT e.worker_id,"
        f" (SELECT MAX(s.date) FROM caseloads_supervision s WHERE s.worker_id = e.worker_id"
        f" AND s.date <= {day}),"
        " (SELECT MAX(y.start) FROM caseloads_asyeperiod y WHERE y.worker_id = e.worker_id"
        f" AND {_active('y', day)}),"
        " (SELECT MIN(e3.start) FROM establishment_engagement e3"
        f" WHERE e3.worker_id = e.worker_id AND e3.start <= {day}),"
        " MIN(p.team_id)"
        " FROM establishment_engagement e JOIN establishment_post p ON p.id = e.post_id"
        " JOIN establishment_role r ON r.id = p.role_id"
        f" WHERE e.authority_id IN ({authorities}) AND {_active('e', day)} AND r.org_role <> ''"
        f"{team_sql}{holding}"
        " GROUP BY e.worker_id"
    )
    all_params = [on, on, on, on, *params, on, on, *t_params, *h_params]
    return [(int(r[0]), r[1], r[2], r[3], int(r[4])) for r in _fetch(sql, all_params)]


@dataclass(frozen=True)
class SupervisionCompliance:
    case_holders: int
    within_policy: int

    @property
    def rate(self) -> Decimal | None:
        if not self.case_holders:
            return None
        return (Decimal(self.within_policy) / Decimal(self.case_holders)).quantize(Decimal("0.001"))


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
        return (Decimal(n) / Decimal(self.referrals)).quantize(Decimal("0.001"))

    @property
    def initial_timeliness(self) -> Decimal | None:
        return _share(self.initial_timely, self.initial_completed)

    @property
    def core_timeliness(self) -> Decimal | None:
        return _share(self.core_timely, self.core_completed)


def _share(n: int, d: int) -> Decimal | None:
    return None if not d else (Decimal(n) / Decimal(d)).quantize(Decimal("0.001"))


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
    from workforce.caseloads.models import Allocation

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
        return _ratio(self.cases_held, self.case_holder_fte)


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

    Five queries in all, whatever the number of months.
    """
    from workforce.caseloads.models import Allocation

    dates = month_ends(on, months)
    held = cases_held_series(where, dates)
    holders = case_holders_series(where, dates)
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
        n_holders, fte = holders.get((d, None), (0, ZERO))
        points.append(
            MonthPoint(
                on=d,
                cases_held=held.get((d, None), 0),
                case_holders=n_holders,
                case_holder_fte=fte,
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
