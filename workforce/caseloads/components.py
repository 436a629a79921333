"""The caseload measures in the metrics registry: cases held, case holders, their FTE and the
average caseload, for any date or monthly series, in the `metrics` command and dashboards.

They are the caseload pages' figures, from the same query (`measures.holder_counts`): in the
metrics filter (posts by team, service area, role, OrgRole, census roles) and in a breakdown by
team or role, a case holder counts, with all their cases and FTE, in their main post on the
date, so team and role rows add up to the whole.

Imported once, by `CaseloadsConfig.ready()`, which registers the provider and the measures.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from workforce.caseloads.measures import average_caseload, caseload_headlines, holder_counts
from workforce.metrics import engine
from workforce.metrics.measures import Better, Measure, Unit, register, register_section

COMPONENTS = ("cases_held", "case_holders", "case_holder_fte")


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


def _average(parts: Mapping[str, Any]) -> Decimal | None:
    return average_caseload(parts.get("cases_held"), parts.get("case_holder_fte"))


def register_caseload_measures() -> None:
    engine.register_provider("caseloads", caseload_components, COMPONENTS)
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
