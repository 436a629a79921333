"""Demo caseloads for one authority: cases, team spells, categories, allocations with churn,
ASYE years, supervision and referrals, drawn from the authority's establishment history.

Called by the demo generator after the authority's establishment is written::

    build(authority=..., rng=<numpy Generator>, today=<date>, scale="la")

Shape (per case-holding team, from its case-holding FTE over time):

- Cases arrive at a rate that keeps about 16.5 cases per case-holder FTE (the DfE average is
  15–18); a Leeds-sized authority holds about 6,000 live cases. Each case is one child.
- Front door and assessment cases are short; a share go on to a long-term team (a transfer,
  sometimes with a new category). Children in care and care leavers stay for years.
- A case is allocated a few days after it opens (some wait longer: unallocated cases); when its
  worker leaves, moves team or ends an agency assignment, it is reallocated after a gap, with
  that reason. Some cases are reallocated for no staffing reason.
- Referrals arrive at about 1.9 per live case a year (Leeds: 11,223 a year for ~6,000 live
  cases) and go on to initial assessment (~47%), core assessment (~9%) and a plan (~4%). The
  rest end at the front door, mostly with information, advice or signposting or a referral to
  early help, some with no further action; most of those assessed are found not in need.

History is kept shorter at the large scales so an England build stays fast: enough for the
12-month measures and monthly series. Rows are written with multi-row inserts and ids allotted
up front (no per-row ORM work).
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from workforce.caseloads.models import (
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
    pseudonymise,
)
from workforce.core.models import Authority
from workforce.establishment.models import Engagement, EngagementEnd, Leaving, ServiceArea, Team

HISTORY_MONTHS = {"team": 36, "la": 60, "region": 18, "england": 13}
REFERRAL_MONTHS = {"team": 36, "la": 36, "region": 12, "england": 12}
SUPERVISION_MONTHS = 12
CASES_PER_FTE = 16.5
REFERRALS_PER_LIVE_CASE = 1.87
BATCH = 2000
C = Category
SA = ServiceArea


@dataclass(frozen=True)
class TeamShape:
    """Case mix of a service area: (category, share, mean days held), and onward transfers."""

    mix: tuple[tuple[str, float, float], ...]
    onward: float = 0.0  # share of cases that go on to a long-term team rather than close


SHAPES: dict[str, TeamShape] = {
    SA.FRONT_DOOR: TeamShape(((C.CHILD_IN_NEED, 1.0, 35.0),), onward=0.05),
    SA.ASSESSMENT: TeamShape(
        ((C.CHILD_IN_NEED, 0.85, 60.0), (C.CHILD_PROTECTION, 0.15, 60.0)), onward=0.12
    ),
    SA.CHILD_PROTECTION: TeamShape(
        (
            (C.CHILD_IN_NEED, 0.45, 200.0),
            (C.CHILD_PROTECTION, 0.4, 280.0),
            (C.IN_PROCEEDINGS, 0.15, 300.0),
        )
    ),
    SA.CHILDREN_IN_CARE: TeamShape(
        ((C.LOOKED_AFTER, 0.85, 800.0), (C.IN_PROCEEDINGS, 0.15, 300.0))
    ),
    SA.CARE_LEAVERS: TeamShape(((C.CARE_LEAVER, 1.0, 900.0),)),
    SA.DISABLED_CHILDREN: TeamShape(((C.CHILD_IN_NEED, 0.7, 600.0), (C.LOOKED_AFTER, 0.3, 900.0))),
    SA.FOSTERING_ADOPTION: TeamShape(((C.LOOKED_AFTER, 1.0, 400.0),)),
}
ONWARD_AREAS = (SA.CHILD_PROTECTION,)  # where assessed cases go on to
COMPLEX_SHARE = 0.15


@dataclass
class Eng:
    worker_id: int
    start: int  # ordinal
    end: int | None
    fte: float
    end_reason: str
    left: bool
    asye_role: bool


@dataclass
class Roster:
    """Who is in post in a team over time, for quick lookups by date."""

    points: list[int] = field(default_factory=list)
    active: list[tuple[Eng, ...]] = field(default_factory=list)
    cumulative: list[list[float]] = field(default_factory=list)  # running FTE, for draws

    @classmethod
    def of(cls, engagements: list[Eng]) -> Roster:
        days = sorted({e.start for e in engagements} | {e.end for e in engagements if e.end})
        roster = cls()
        for day in days:
            active = tuple(
                e for e in engagements if e.start <= day and (e.end is None or e.end > day)
            )
            running, total = [], 0.0
            for e in active:
                total += e.fte
                running.append(total)
            roster.points.append(day)
            roster.active.append(active)
            roster.cumulative.append(running)
        return roster

    def segment(self, day: int) -> int:
        return bisect.bisect_right(self.points, day) - 1

    def on(self, day: int) -> tuple[Eng, ...]:
        i = self.segment(day)
        return self.active[i] if i >= 0 else ()

    def fte_on(self, day: int) -> float:
        return sum(e.fte for e in self.on(day))

    def draw(self, r: random.Random, i: int) -> Eng:
        """One worker in post in segment `i`, drawn in proportion to FTE."""
        running = self.cumulative[i]
        k = bisect.bisect_right(running, r.random() * running[-1])
        return self.active[i][min(k, len(running) - 1)]


class _Rows:
    """Rows for one table, with ids allotted up front."""

    def __init__(self, model: type[Model], fields: list[str]) -> None:
        self.model, self.fields = model, fields
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = _next_id(model)

    def add(self, *values: Any) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *values))
        return pk

    def write(self) -> None:
        qn = connection.ops.quote_name
        meta = self.model._meta
        names = {f.name: str(f.column) for f in meta.concrete_fields}
        columns = ", ".join(qn(names[f]) for f in ["id", *self.fields])
        marks = ", ".join(["%s"] * (len(self.fields) + 1))
        sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"
        with connection.cursor() as cursor:
            for i in range(0, len(self.rows), BATCH):
                cursor.executemany(sql, self.rows[i : i + BATCH])


def _next_id(model: type[Model]) -> int:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX({qn(str(model._meta.pk.column))}) FROM {qn(model._meta.db_table)}"
        )
        (largest,) = cursor.fetchone()
    return (largest or 0) + 1


MODELS: tuple[type[Model], ...] = (
    Case,
    CaseTeam,
    CaseCategory,
    Allocation,
    AsyePeriod,
    Supervision,
    Referral,
)


def _engagements(authority: Authority) -> tuple[dict[int, list[Eng]], dict[int, list[Eng]]]:
    """Case-holding and manager engagements per team."""
    leavers = {
        (w, (last + dt.timedelta(days=1)).toordinal())
        for w, last in Leaving.objects.filter(authority=authority).values_list(
            "worker_id", "last_day"
        )
    }
    holders: dict[int, list[Eng]] = defaultdict(list)
    managers: dict[int, list[Eng]] = defaultdict(list)
    rows = Engagement.objects.filter(authority=authority).values_list(
        "worker_id",
        "post__team_id",
        "start",
        "end",
        "fte",
        "end_reason",
        "post__role__case_holding",
        "post__role__org_role",
        "post__role__title",
    )
    for worker_id, team_id, start, end, fte, end_reason, holding, org_role, title in rows:
        end_ord = end.toordinal() if end else None
        eng = Eng(
            worker_id=worker_id,
            start=start.toordinal(),
            end=end_ord,
            fte=float(fte),
            end_reason=end_reason,
            left=(worker_id, end_ord) in leavers,
            asye_role="ASYE" in title,
        )
        if holding and org_role:
            holders[team_id].append(eng)
        elif org_role == "3":
            managers[team_id].append(eng)
    return holders, managers


def build(*, authority: Authority, rng: np.random.Generator, today: dt.date, scale: str) -> None:
    """Write demo caseload data for `authority` up to `today`."""
    r = random.Random(int(rng.integers(2**62)))
    holders, managers = _engagements(authority)
    teams = {t.pk: t for t in Team.objects.filter(authority=authority, is_active=True)}
    case_teams = {pk: t for pk, t in teams.items() if t.service_area in SHAPES and holders.get(pk)}
    if not case_teams:
        return
    rosters = {pk: Roster.of(holders[pk]) for pk in case_teams}
    manager_rosters = {pk: Roster.of(engs) for pk, engs in managers.items()}
    end_day = today.toordinal()
    first_eng = min(e.start for pk in case_teams for e in holders[pk])
    months = HISTORY_MONTHS.get(scale, 24)
    history_start = max(first_eng, end_day - int(months * 30.44))

    now = timezone.now()
    adapt = connection.ops.adapt_datefield_value
    dates: dict[int, Any] = {}

    def day(ordinal: int | None) -> Any:
        if ordinal is None or ordinal > end_day:
            return None
        value = dates.get(ordinal)
        if value is None:
            value = dates[ordinal] = adapt(dt.date.fromordinal(ordinal))
        return value

    stamp = (authority.pk, now, now)
    common = ["authority", "created_at", "updated_at"]
    cases = _Rows(Case, [*common, "child_ref", "start", "end"])
    spells = _Rows(CaseTeam, [*common, "case", "team", "start", "end"])
    categories = _Rows(CaseCategory, [*common, "case", "category", "complex", "start", "end"])
    allocations = _Rows(
        Allocation, [*common, "case", "worker", "reason", "over_capacity_reason", "start", "end"]
    )
    onward_teams = [pk for pk, t in case_teams.items() if t.service_area in ONWARD_AREAS]
    fte_now = {pk: max(rosters[pk].fte_on(end_day), 0.5) for pk in case_teams}
    onward_weights = [fte_now[pk] for pk in onward_teams]
    direct_share = _direct_shares(case_teams, fte_now, onward_teams)
    loads: dict[int, list[float]] = defaultdict(list)  # worker -> heap of allocation ends

    def pick_category(area: str) -> tuple[str, float]:
        shape = SHAPES[area]
        x, acc = r.random(), 0.0
        for category, share, mean_days in shape.mix:
            acc += share
            if x <= acc:
                return category, mean_days
        return shape.mix[-1][0], shape.mix[-1][2]

    def allocate_spell(
        case_id: int, team_id: int, start: int, end: int | None, first: bool
    ) -> None:
        """Allocations of one case through one team spell [start, end), with churn."""
        roster = rosters[team_id]
        stop = end_day if end is None else min(end, end_day)
        reason: str = AllocationReason.INITIAL if first else AllocationReason.TRANSFERRED
        t = start + (0 if r.random() < 0.7 else int(r.expovariate(1 / 6.0)))
        while t < stop:
            segment = roster.segment(t)
            if segment < 0 or not roster.active[segment]:
                t += 7
                continue
            eng = _least_loaded(r, roster, segment, loads, t)
            alloc_end = end
            next_reason = ""
            if eng.end is not None and (alloc_end is None or eng.end < alloc_end):
                alloc_end = eng.end
                if eng.left:
                    next_reason = AllocationReason.WORKER_LEFT
                elif eng.end_reason == EngagementEnd.MOVED:
                    next_reason = AllocationReason.MOVED_TEAM
                else:
                    next_reason = AllocationReason.REALLOCATION
            if r.random() < 0.12:  # reallocated within the team for no staffing reason
                early = t + 30 + int(r.expovariate(1 / 200.0))
                if alloc_end is None or early < alloc_end:
                    alloc_end, next_reason = early, AllocationReason.REALLOCATION
            if alloc_end is not None and alloc_end <= t:
                break
            allocations.add(*stamp, case_id, eng.worker_id, reason, "", day(t), day(alloc_end))
            heapq.heappush(loads[eng.worker_id], float("inf") if alloc_end is None else alloc_end)
            if alloc_end is None or (end is not None and alloc_end >= end):
                break
            reason = next_reason or AllocationReason.REALLOCATION
            t = alloc_end + (0 if r.random() < 0.6 else int(r.expovariate(1 / 8.0)))

    serial = 0

    def open_case(team_id: int, opened: int, age_known: bool) -> int:
        """One case from `opened`, held in `team_id` and perhaps passed on to a long-term team."""
        nonlocal serial
        serial += 1
        area = case_teams[team_id].service_area
        category, mean_days = pick_category(area)
        complex_ = r.random() < COMPLEX_SHARE
        stay = max(1, int(r.expovariate(1 / mean_days)))
        closes: int | None = opened + stay
        if age_known and closes is not None and closes <= history_start:
            closes = history_start + max(1, int(r.expovariate(1 / mean_days)))
        spell_list = [(team_id, category, opened, closes)]
        if onward_teams and r.random() < SHAPES[area].onward and closes is not None:
            next_team = r.choices(onward_teams, onward_weights)[0]
            next_category, next_mean = pick_category(case_teams[next_team].service_area)
            next_close = closes + max(1, int(r.expovariate(1 / next_mean)))
            spell_list.append((next_team, next_category, closes, next_close))
        final = spell_list[-1][3]
        case_end = None if final is None or final > end_day else final
        ref = pseudonymise(f"demo-{authority.code}-{serial}")
        case_id = cases.add(*stamp, ref, day(opened), day(case_end))
        for n, (spell_team, spell_category, s, e) in enumerate(spell_list):
            if s > end_day:
                break
            e_out = None if e is None or e > end_day else e
            spells.add(*stamp, case_id, spell_team, day(s), day(e_out))
            categories.add(*stamp, case_id, spell_category, complex_, day(s), day(e_out))
            allocate_spell(case_id, spell_team, s, e_out, first=(n == 0))
        return case_id

    # Cases: a stock open at the start of the history, then arrivals.
    for team_id, team in case_teams.items():
        roster = rosters[team_id]
        shape = SHAPES[team.service_area]
        mean_days = sum(share * days for _, share, days in shape.mix)
        # Long-term teams also receive cases passed on from the front door and assessment.
        inflow_share = direct_share.get(team_id, 1.0)
        stock = int(CASES_PER_FTE * roster.fte_on(history_start))
        for _ in range(stock):
            opened = history_start - int(r.expovariate(1 / mean_days)) - 1
            open_case(team_id, opened, age_known=True)
        t = history_start
        while t < end_day:
            fte = roster.fte_on(t)
            per_day = CASES_PER_FTE * fte / mean_days * inflow_share
            for _ in range(_poisson(r, per_day * 7)):
                opened = t + r.randrange(7)
                if opened < end_day:
                    open_case(team_id, opened, age_known=False)
            t += 7

    live = sum(1 for row in cases.rows if row[-1] is None)
    asye = _asye_periods(authority, holders, stamp, day, end_day)
    supervision = _supervision(
        r, authority, case_teams, holders, manager_rosters, stamp, day, end_day
    )
    referrals = _referrals(r, case_teams, stamp, day, end_day, live, scale)
    # The rows refer only to records that exist or are written here: skip SQLite's per-row
    # foreign key checks (a no-op inside an outer transaction, and on PostgreSQL).
    with connection.constraint_checks_disabled(), transaction.atomic():
        for table in (cases, spells, categories, allocations, asye, supervision, referrals):
            table.write()
        if connection.vendor == "postgresql":  # ids were given: move the sequences on
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(MODELS)):
                    cursor.execute(sql)


def _direct_shares(
    case_teams: dict[int, Team], fte_now: dict[int, float], onward_teams: list[int]
) -> dict[int, float]:
    """Share of each long-term team's new cases that arrive directly rather than passed on,
    so that passed-on cases do not push its caseload above the target."""

    def rate(pk: int) -> float:
        shape = SHAPES[case_teams[pk].service_area]
        return CASES_PER_FTE * fte_now[pk] / sum(share * d for _, share, d in shape.mix)

    passed_on = sum(rate(pk) * SHAPES[t.service_area].onward for pk, t in case_teams.items())
    total_fte = sum(fte_now[pk] for pk in onward_teams) or 1.0
    shares = {}
    for pk in onward_teams:
        inflow = passed_on * fte_now[pk] / total_fte
        shares[pk] = max(0.0, 1 - inflow / rate(pk))
    return shares


def _least_loaded(
    r: random.Random, roster: Roster, segment: int, loads: dict[int, list[float]], t: int
) -> Eng:
    """Of two workers drawn by FTE, the one holding fewer cases per FTE (ASYE: fewer still)."""

    def load(e: Eng) -> float:
        heap = loads[e.worker_id]
        while heap and heap[0] <= t:
            heapq.heappop(heap)
        return (len(heap) + 1) / (e.fte * (0.75 if e.asye_role else 1.0))

    first = roster.draw(r, segment)
    second = roster.draw(r, segment)
    if first is second:
        return first
    return first if load(first) <= load(second) else second


def _asye_periods(
    authority: Authority, holders: dict[int, list[Eng]], stamp: tuple[Any, ...], day: Any, end: int
) -> _Rows:
    """An ASYE year for each worker whose first case-holding post is an ASYE one."""
    rows = _Rows(AsyePeriod, ["authority", "created_at", "updated_at", "worker", "start", "end"])
    adapt = connection.ops.adapt_datefield_value
    first: dict[int, Eng] = {}
    for engs in holders.values():
        for e in engs:
            if e.worker_id not in first or e.start < first[e.worker_id].start:
                first[e.worker_id] = e
    for worker_id, e in first.items():
        if e.asye_role and e.start <= end:
            start = dt.date.fromordinal(e.start)
            finish = (
                start.replace(year=start.year + 1)
                if start.month != 2 or start.day != 29
                else (dt.date(start.year + 1, 3, 1))
            )
            rows.add(*stamp, worker_id, day(e.start), adapt(finish))
    return rows


def _supervision(
    r: random.Random,
    authority: Authority,
    case_teams: dict[int, Team],
    holders: dict[int, list[Eng]],
    managers: dict[int, Roster],
    stamp: tuple[Any, ...],
    day: Any,
    end: int,
) -> _Rows:
    """Sessions over the last year: mostly on time, some workers let slip; ASYE more often."""
    rows = _Rows(
        Supervision, ["authority", "created_at", "updated_at", "worker", "supervisor", "date"]
    )
    window = end - int(SUPERVISION_MONTHS * 30.44)
    for team_id in case_teams:
        roster = managers.get(team_id)
        for e in holders[team_id]:
            start = max(e.start, window)
            stop = min(e.end or end + 1, end + 1)
            if stop <= start:
                continue
            slack = r.uniform(1.4, 2.0) if r.random() < 0.15 else 1.0
            t = start + r.randrange(1, 20)
            while t < stop:
                if t <= end:
                    supervisor = None
                    if roster is not None:
                        on_duty = roster.on(t)
                        supervisor = on_duty[0].worker_id if on_duty else None
                    rows.add(*stamp, e.worker_id, supervisor, day(t))
                weeks_in = (t - e.start) / 7
                if e.asye_role and weeks_in < 6:
                    gap = 7
                elif e.asye_role and weeks_in < 26:
                    gap = 14
                else:
                    gap = 28
                t += max(1, int(gap * slack * r.uniform(0.8, 1.2)))
    # One session per worker a day at most.
    seen: set[tuple[int, Any]] = set()
    unique = []
    for row in rows.rows:
        key = (row[4], row[6])
        if key not in seen:
            seen.add(key)
            unique.append(row)
    rows.rows = unique
    return rows


def _referrals(
    r: random.Random,
    case_teams: dict[int, Team],
    stamp: tuple[Any, ...],
    day: Any,
    end: int,
    live: int,
    scale: str,
) -> _Rows:
    """Referrals to the front door (or assessment teams) through Leeds' funnel."""
    rows = _Rows(
        Referral,
        [
            "authority",
            "created_at",
            "updated_at",
            "team",
            "received",
            "outcome",
            "outcome_date",
            "initial_assessment_start",
            "initial_assessment_completed",
            "core_assessment_start",
            "core_assessment_completed",
            "plan_date",
        ],
    )
    front = [pk for pk, t in case_teams.items() if t.service_area == SA.FRONT_DOOR]
    front = front or [pk for pk, t in case_teams.items() if t.service_area == SA.ASSESSMENT]
    front = front or list(case_teams)
    per_day = REFERRALS_PER_LIVE_CASE * live / 365.0
    start = end - int(REFERRAL_MONTHS.get(scale, 12) * 30.44)
    for t in range(start, end + 1):
        for _ in range(_poisson(r, per_day)):
            team = r.choice(front)
            outcome, decided, stages = _referral_path(r, t)
            if (t > end - 10 and r.random() < 0.5) or (decided is not None and decided > end):
                outcome, decided = "", None  # not decided yet
            # Nothing after today: a stage still to come has no date yet.
            stages = [d if d is not None and d <= end else None for d in stages]
            ia_start, ia_done, core_start, core_done, plan = stages
            rows.add(
                *stamp,
                team,
                day(t),
                outcome,
                day(decided),
                day(ia_start),
                day(ia_done),
                day(core_start),
                day(core_done),
                day(plan),
            )
    return rows


def _referral_path(r: random.Random, t: int) -> tuple[str, int | None, list[int | None]]:
    """How far one referral received on day `t` goes: its outcome, the day it was decided and
    the days of its stages. About half go no further than the front door, which ends them with
    information, advice or signposting (~29% of referrals), a referral to early help (~19%) or
    no further action (~5%, the census's 6.5% in England); of those assessed, most are found
    not in need (~28% of referrals, the census's 31%)."""
    ia_start = ia_done = core_start = core_done = plan = None
    if r.random() >= 0.47:
        outcome = r.choices(
            (
                ReferralOutcome.ADVICE.value,
                ReferralOutcome.EARLY_HELP.value,
                ReferralOutcome.NO_FURTHER_ACTION.value,
            ),
            weights=(55, 35, 10),
        )[0]
        return outcome, t + r.choice((0, 0, 0, 1, 1, 2, 3)), [None] * 5
    ia_start = t + r.choice((0, 0, 1, 2, 3))
    ia_done = ia_start + r.choice((1, 2, 3, 4, 5, 6, 7, 7, 8, 10, 14))
    if r.random() < 0.19:
        core_start = ia_done + r.randrange(0, 5)
        core_done = core_start + r.randrange(15, 55)
        outcome, decided = ReferralOutcome.CP_ENQUIRY.value, core_start
        if r.random() < 0.45:
            plan = core_done + r.randrange(0, 14)
            outcome, decided = ReferralOutcome.PLAN.value, plan
    elif r.random() < 0.75:
        outcome, decided = ReferralOutcome.NOT_IN_NEED.value, ia_done
    else:
        outcome, decided = ReferralOutcome.ASSESSMENT.value, ia_start
    return outcome, decided, [ia_start, ia_done, core_start, core_done, plan]


def _poisson(r: random.Random, mean: float) -> int:
    """A Poisson draw (normal approximation for large means), from the seeded generator."""
    if mean > 30:
        return max(0, round(r.gauss(mean, mean**0.5)))
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= r.random()
        if p <= limit:
            return k
        k += 1
