"""Supervision: who is due, who is overdue, and compliance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from workforce.metrics import engine
from workforce.metrics.engine import MetricsFilter

if TYPE_CHECKING:
    pass
from workforce.caseloads.measures.base import (
    ALLOCATION,
    ASYE,
    ENGAGEMENT,
    POST,
    ROLE,
    SUPERVISION,
    CaseloadFilter,
    PolicySettings,
    _active,
    _as_date,
    _dates_table,
    _fetch,
    _main_post,
    _Params,
    policy_settings,
)

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


def _supervision_sql(
    p: _Params, dates: Sequence[dt.date], where: MetricsFilter, by: str | None, holders: bool
) -> str:
    """Rows (group, date, worker, last session ≤ date, ASYE start if in ASYE on the date, first
    start, team, authority): one per date and worker in post on it whose main post is in the
    filter, holding cases (or, when not `holders`, also in a case-holding role). The team and
    authority are those of the worker's main post, as for caseloads."""
    authorities = "1 = 1"
    if not where.every_authority:
        authorities = f"e.authority_id IN ({p.many('a', where.authority_ids)})"
    posts = p.positional("f", *where.posts_sql("mp", "mt"))
    # Whether the worker holds a case on the date, looking at their newest allocations first: a
    # case held then is found without reading all their older, ended ones.
    holds = (
        f"(SELECT 1 FROM {ALLOCATION} al WHERE al.worker_id = w.worker_id"
        f" AND {_active('al', 'w.d')} ORDER BY al.start DESC LIMIT 1) IS NOT NULL"
    )
    holding = holds
    if not holders:  # also everyone whose role holds cases
        holding = f"(mr.case_holding = {p.add('case_holding', True)} OR {holds})"
    workers = (
        f"SELECT DISTINCT m.d, e.worker_id, {_main_post('e.worker_id', 'm.d')} AS post_id"
        f" FROM ({_dates_table(p, dates)}) m JOIN {ENGAGEMENT} e ON {_active('e')}"
        f" WHERE {authorities}"
    )
    return (
        f"SELECT {engine._group_expr(by, 'mp')}, w.d, w.worker_id,"
        f" (SELECT MAX(s.date) FROM {SUPERVISION} s WHERE s.worker_id = w.worker_id"
        " AND s.date <= w.d),"
        f" (SELECT MAX(y.start) FROM {ASYE} y WHERE y.worker_id = w.worker_id"
        f" AND {_active('y', 'w.d')}),"
        f" (SELECT MIN(e3.start) FROM {ENGAGEMENT} e3"
        " WHERE e3.worker_id = w.worker_id AND e3.start <= w.d),"
        " mp.team_id, mp.authority_id"
        f" FROM ({workers}) w JOIN {POST} mp ON mp.id = w.post_id"
        f" JOIN {ROLE} mr ON mr.id = mp.role_id{where.joins('mp', 'mt')}"
        f" WHERE {posts} AND {holding}"
    )


def supervision_rows(
    where: CaseloadFilter, on: dt.date, *, case_holders_only: bool = True
) -> list[tuple[int, Any, Any, Any, int]]:
    """(worker, last session ≤ on, ASYE start if in ASYE on `on`, first start, team) per worker
    in post on `on` in a census role: case holders, or (when not `case_holders_only`) also
    workers in case-holding roles without cases yet. The team is that of the worker's main post,
    as for caseloads. One query."""
    p = _Params()
    sql = _supervision_sql(p, [on], where.metrics_filter(), None, case_holders_only)
    return [(int(r[2]), r[3], r[4], r[5], int(r[6])) for r in _fetch(sql, p)]


@dataclass(frozen=True)
class SupervisionCompliance:
    case_holders: int
    within_policy: int

    @property
    def rate(self) -> Decimal | None:
        if not self.case_holders:
            return None
        return Decimal(self.within_policy) / Decimal(self.case_holders)


def supervision_counts(
    where: MetricsFilter,
    dates: Sequence[dt.date],
    by: str | None = None,
    *,
    policy: PolicySettings | None = None,
) -> dict[tuple[dt.date, Any], SupervisionCompliance]:
    """Case holders at each date and how many of them are supervised within policy, keyed
    (date, team or role id, or None when not grouped): one query for all the dates. Each case
    holder counts in their main post on the date, as for caseloads. Under `policy` when given,
    otherwise each under their own authority's."""
    p = _Params()
    policies: dict[int, PolicySettings] = {}
    totals: dict[tuple[dt.date, Any], list[int]] = {}
    for g, d, worker, last, asye, first, _team, authority in _fetch(
        _supervision_sql(p, dates, where, by, True), p
    ):
        on = _as_date(d)
        rule = policy if policy is not None else policies.get(authority)
        if rule is None:
            rule = policies[authority] = policy_settings(authority)
        (status,) = supervision_statuses([(worker, last, asye, first)], on, rule)
        counts = totals.setdefault((on, engine._key(g, by)), [0, 0])
        counts[0] += 1
        counts[1] += 0 if status.overdue_on(on) else 1
    return {key: SupervisionCompliance(*counts) for key, counts in totals.items()}


def supervision_compliance(
    where: CaseloadFilter, on: dt.date, policy: PolicySettings
) -> SupervisionCompliance:
    """Share of case holders on `on` whose supervision is not overdue under the policy."""
    counts = supervision_counts(where.metrics_filter(), [on], policy=policy)
    return counts.get((on, None), SupervisionCompliance(case_holders=0, within_policy=0))
