"""The caseload measures in the metrics registry: cases held, case holders, their FTE and the
average caseload; children in care with three or more social workers in the year; supervision
within policy. For any date or monthly series, in the `metrics` command, dashboards and action
plans.

They are the caseload pages' figures, from the same queries: cases held from
`measures.holder_counts`: in the metrics filter (posts by team, service area, role, OrgRole,
census roles) and in a breakdown by team or role, a case holder counts, with all their cases and
FTE, in their main post on the date, so team and role rows add up to the whole. Children in care
come from `measures.social_workers_by_date` and supervision from `measures.supervision_counts`,
the queries the caseloads overview and the board report's caseloads section read for one date.

Imported once, by `CaseloadsConfig.ready()`, which registers the provider and the measures.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from workforce.caseloads.measures import (
    average_caseload,
    caseload_headlines,
    holder_counts,
    social_workers_by_date,
    supervision_counts,
)
from workforce.metrics import engine
from workforce.metrics.measures import Better, Measure, Unit, ratio, register, register_section

COMPONENTS = ("cases_held", "case_holders", "case_holder_fte")
CHILDREN = ("children_in_care", "three_or_more")
SUPERVISION = ("supervision_case_holders", "supervision_within_policy")


def caseload_components(
    where: engine.MetricsFilter, timeline: engine.Timeline, by: str | None
) -> engine.Component:
    """Cases held, case holders and case-holder FTE at each date: one query."""
    dates = list(timeline.dates)
    index = {d: i for i, d in enumerate(dates)}
    counts = holder_counts(where, dates, by)
    keys = {key for _d, key in counts}
    if by is None:
        keys = {None}
    out: engine.Component = {
        name: {k: [Decimal(0) if name.endswith("fte") else 0] * len(dates) for k in keys}
        for name in COMPONENTS
    }
    for (d, key), c in counts.items():
        i = index[d]
        out["cases_held"][key][i] = c.cases_held
        out["case_holders"][key][i] = c.case_holders
        out["case_holder_fte"][key][i] = c.case_holder_fte
    return out


def _zeros(names: tuple[str, ...], by: str | None, n: int) -> engine.Component:
    return {name: {None: [0] * n} if by is None else {} for name in names}


def children_components(
    where: engine.MetricsFilter, timeline: engine.Timeline, by: str | None
) -> engine.Component:
    """Children in care at each date and those of them who had three or more social workers in
    the 12 months to it (the caseloads overview's figures): one query. A child belongs to no
    role, so with roles in the filter there is no figure, and grouped by role no rows."""
    dates = list(timeline.dates)
    if where.role_ids is not None or where.org_roles is not None:
        return {name: {None: [None] * len(dates)} if by is None else {} for name in CHILDREN}
    out = _zeros(CHILDREN, by, len(dates))
    if by == "role":
        return out
    index = {d: i for i, d in enumerate(dates)}
    for (d, key), by_workers in social_workers_by_date(where, dates, by).items():
        for name in CHILDREN:
            out[name].setdefault(key, [0] * len(dates))
        out["children_in_care"][key][index[d]] = sum(by_workers.values())
        out["three_or_more"][key][index[d]] = sum(c for n, c in by_workers.items() if n >= 3)
    return out


def supervision_components(
    where: engine.MetricsFilter, timeline: engine.Timeline, by: str | None
) -> engine.Component:
    """Case holders at each date and those supervised within their authority's policy (the
    caseloads overview's figures), each in their main post on the date: one query."""
    dates = list(timeline.dates)
    index = {d: i for i, d in enumerate(dates)}
    out = _zeros(SUPERVISION, by, len(dates))
    for (d, key), counts in supervision_counts(where, dates, by).items():
        for name in SUPERVISION:
            out[name].setdefault(key, [0] * len(dates))
        out["supervision_case_holders"][key][index[d]] = counts.case_holders
        out["supervision_within_policy"][key][index[d]] = counts.within_policy
    return out


def _average(parts: Mapping[str, Any]) -> Decimal | None:
    return average_caseload(parts.get("cases_held"), parts.get("case_holder_fte"))


def _part(name: str) -> Any:
    return lambda parts: parts.get(name)


def _share(numerator: str, denominator: str) -> Any:
    return lambda parts: ratio(parts.get(numerator), parts.get(denominator))


def register_caseload_measures() -> None:
    engine.register_provider("caseloads", caseload_components, COMPONENTS)
    engine.register_provider("children_in_care", children_components, CHILDREN)
    engine.register_provider("supervision", supervision_components, SUPERVISION)
    # Everything else the caseloads app measures, in the `metrics` command's JSON.
    register_section("caseloads", caseload_headlines)
    register(
        Measure(
            "cases_held",
            "Cases held",
            Unit.COUNT,
            ("cases_held",),
            lambda parts: parts.get("cases_held"),
            description="Cases allocated at the date to case holders in post (siblings count "
            "separately).",
            dfe_field="cases",
        )
    )
    register(
        Measure(
            "case_holders",
            "Case holders",
            Unit.COUNT,
            ("case_holders",),
            lambda parts: parts.get("case_holders"),
            description="Workers in post, agency included, holding at least one case.",
        )
    )
    register(
        Measure(
            "case_holder_fte",
            "Case-holder FTE",
            Unit.FTE,
            ("case_holder_fte",),
            lambda parts: parts.get("case_holder_fte"),
            description="FTE of the workers, agency included, holding at least one case.",
            dfe_field="case_holders_fte",
        )
    )
    register(
        Measure(
            "average_caseload",
            "Average caseload",
            Unit.COUNT,
            ("cases_held", "case_holder_fte"),
            _average,
            numerator="cases_held",
            denominator="case_holder_fte",
            better=Better.LOWER,
            description="Cases held ÷ FTE of workers holding at least one case (DfE).",
            dfe_field="caseload_fte",
            places=1,
            units=("cases", "case-holder FTE"),
        )
    )
    register(
        Measure(
            "children_in_care",
            "Children in care",
            Unit.COUNT,
            ("children_in_care",),
            _part("children_in_care"),
            description="Children looked after at the date (their cases' teams at the date).",
        )
    )
    register(
        Measure(
            "three_or_more",
            "Children in care with 3 or more social workers",
            Unit.COUNT,
            ("three_or_more",),
            _part("three_or_more"),
            description="Children looked after at the date who had three or more different "
            "social workers allocated in the 12 months to it.",
        )
    )
    register(
        Measure(
            "three_or_more_rate",
            "Children with 3 or more social workers",
            Unit.RATE,
            ("three_or_more", "children_in_care"),
            _share("three_or_more", "children_in_care"),
            numerator="three_or_more",
            denominator="children_in_care",
            better=Better.LOWER,
            description="Children in care at the date who had three or more different social "
            "workers in the 12 months to it ÷ children in care at the date.",
            units=("children in care with 3 or more social workers", "children in care"),
        )
    )
    register(
        Measure(
            "supervision_within_policy",
            "Case holders supervised within policy",
            Unit.COUNT,
            ("supervision_within_policy",),
            _part("supervision_within_policy"),
            description="Case holders whose supervision is not overdue at the date under the "
            "authority's supervision policy.",
        )
    )
    register(
        Measure(
            "supervision_compliance",
            "Supervision within policy",
            Unit.RATE,
            ("supervision_within_policy", "supervision_case_holders"),
            _share("supervision_within_policy", "supervision_case_holders"),
            numerator="supervision_within_policy",
            denominator="supervision_case_holders",
            better=Better.HIGHER,
            description="Case holders whose supervision is not overdue at the date under the "
            "authority's policy ÷ case holders at the date.",
            units=("case holders supervised within policy", "case holders"),
        )
    )
