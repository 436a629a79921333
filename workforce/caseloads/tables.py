"""Caseload tables for the pages and their downloads, built once from the measures and selectors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workforce.caseloads.measures import Funnel, MonthPoint
from workforce.caseloads.models import Referral
from workforce.caseloads.selectors import (
    HeatMap,
    HeatRow,
    HeldCase,
    OverdueSupervision,
    TeamWorkload,
    UnallocatedCase,
)
from workforce.core.tables import Column, Kind, Table


def _day(day: object) -> str:
    return f"{day.day} {day:%B %Y}"  # type: ignore[attr-defined]


FUNNEL_NOTE = (
    "Shares are of the referrals received, each worked out from the exact numbers and rounded "
    "once, half up. The stages overlap (a referral that reached a plan was assessed first). "
    "No further action, information, advice or signposting, and referred to early help end a "
    "referral without an assessment; assessed, not in need ends it after one (the children in "
    "need census's categories). Open referrals had no outcome by the date the funnel is as at."
)


def funnel_table(funnel: Funnel, *, places: int = 0) -> Table:
    """The funnel as Leeds tabulates it, with how the referrals ended; shares to `places`."""
    return Table(
        f"Referrals received {_day(funnel.start)} to {_day(funnel.last_day)} and how far they "
        f"went, as at {_day(funnel.as_at)}",
        [
            Column("stage", "Stage or outcome"),
            Column("number", "Number", Kind.COUNT),
            Column("share", "Share of referrals", Kind.PERCENT, places=places),
        ],
        [list(row) for row in funnel.rows()],
        notes=[FUNNEL_NOTE],
        key="funnel",
    )


def series_table(points: Iterable[MonthPoint]) -> Table:
    return Table(
        "Caseloads at each month end, and referrals and new allocations during each month",
        [
            Column("on", "Month ending", Kind.DATE),
            Column("cases_held", "Cases held", Kind.COUNT),
            Column("case_holders", "Case holders", Kind.COUNT),
            Column("case_holder_fte", "Case-holder FTE", Kind.FTE, unit=""),
            Column("average_caseload", "Average caseload", Kind.DECIMAL, places=1),
            Column("unallocated", "Unallocated cases", Kind.COUNT),
            Column("referrals", "Referrals", Kind.COUNT),
            Column("initial_assessments", "Initial assessments", Kind.COUNT),
            Column("new_cases_allocated", "New cases allocated", Kind.COUNT),
        ],
        [
            [
                p.on,
                p.cases_held,
                p.case_holders,
                p.case_holder_fte,
                p.average_caseload,
                p.unallocated,
                p.referrals,
                p.initial_assessments,
                p.new_cases_allocated,
            ]
            for p in points
        ],
    )


def workload_table(workload: TeamWorkload) -> Table:
    return Table(
        f"Workload of {workload.team}",
        [
            Column("worker", "Worker"),
            Column("role", "Role"),
            Column("fte", "FTE", Kind.FTE, unit=""),
            Column("agency", "Agency"),
            Column("asye", "ASYE"),
            Column("cases", "Cases", Kind.COUNT),
            Column("points", "Points", Kind.COUNT),
            Column("capacity", "Capacity", Kind.DECIMAL, places=1),
            Column("headroom", "Headroom", Kind.DECIMAL, places=1),
            Column("over_capacity", "Over capacity"),
        ],
        [
            [
                w.name,
                w.role,
                w.fte,
                w.agency,
                w.asye,
                w.cases,
                w.points,
                w.capacity,
                w.headroom,
                w.over_capacity,
            ]
            for w in workload.workers
        ],
    )


def held_table(cases: Iterable[HeldCase]) -> Table:
    return Table(
        "Cases held",
        [
            Column("child_ref", "Child reference"),
            Column("category", "Category"),
            Column("team", "Team"),
            Column("since", "Allocated since", Kind.DATE),
            Column("points", "Points", Kind.COUNT),
        ],
        [
            [
                c.child_ref,
                f"{c.category} (complex)" if c.complex else c.category,
                c.team,
                c.since,
                c.points,
            ]
            for c in cases
        ],
    )


def unallocated_table(cases: Iterable[UnallocatedCase]) -> Table:
    return Table(
        "Unallocated cases",
        [
            Column("child_ref", "Child reference"),
            Column("team", "Team"),
            Column("category", "Category"),
            Column("since", "Unallocated since", Kind.DATE),
            Column("days", "Days", Kind.COUNT),
            Column("escalated", "Escalated"),
        ],
        [[c.child_ref, c.team, c.category, c.since, c.days, c.escalated] for c in cases],
    )


def supervision_table(overdue: Iterable[OverdueSupervision]) -> Table:
    return Table(
        "Supervision overdue",
        [
            Column("worker", "Worker"),
            Column("team", "Team"),
            Column("last", "Last supervision", Kind.DATE),
            Column("due", "Due", Kind.DATE),
            Column("days_overdue", "Days overdue", Kind.COUNT),
            Column("asye", "ASYE"),
        ],
        [[o.name, o.team, o.last, o.due, o.days_overdue, o.asye] for o in overdue],
    )


def referrals_table(referrals: Iterable[Referral]) -> Table:
    """Referrals as the demand page lists them: children only by their case reference."""
    return Table(
        "Referrals received",
        [
            Column("received", "Received", Kind.DATE),
            Column("team", "Team"),
            Column("child_ref", "Child reference"),
            Column("outcome", "Outcome"),
            Column("outcome_date", "Date of the outcome", Kind.DATE),
        ],
        [
            [
                r.received,
                r.team.name,
                r.child_ref or "None given",  # type: ignore[attr-defined]
                r.get_outcome_display() if r.outcome else "Open",
                r.outcome_date,
            ]
            for r in referrals
        ],
    )


HEAT_NOTE = (
    "Cases held and case-holder FTE add up over the teams to the total. Average caseload, "
    "workload and supervision are not added up: each team's is worked out from its own figures, "
    "and the total's from all the teams' figures together."
)


def heat_table(heat: HeatMap) -> Table:
    """The heat map's figures per team and, as totals, for all the teams shown."""

    def row(r: HeatRow) -> list[Any]:
        return [
            r.team,
            r.cases_held,
            r.case_holders,
            r.case_holder_fte,
            r.average_caseload,
            r.load_percent,
            r.over_capacity_workers,
            r.unallocated,
            r.escalated,
            r.supervision_rate,
        ]

    return Table(
        "Team heat map",
        [
            Column("team", "Team"),
            Column("cases_held", "Cases held", Kind.COUNT),
            Column("case_holders", "Case holders", Kind.COUNT),
            Column("case_holder_fte", "Case-holder FTE", Kind.FTE, unit=""),
            Column("average_caseload", "Average caseload", Kind.DECIMAL, places=1),
            Column("load_percent", "Workload", Kind.DECIMAL, places=0, unit="% of capacity"),
            Column("over_capacity", "Workers over capacity", Kind.COUNT),
            Column("unallocated", "Unallocated cases", Kind.COUNT),
            Column("escalated", "Unallocated over threshold", Kind.COUNT),
            Column("supervision", "Supervision within policy", Kind.PERCENT),
        ],
        [row(r) for r in heat.rows],
        totals=row(heat.total) if heat.rows else None,
        notes=[HEAT_NOTE],
    )
