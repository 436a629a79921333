"""Supervision: who is due, who is overdue, and compliance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

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
    _fetch,
    _main_post,
    _Params,
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
