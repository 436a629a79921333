"""The caseload measures in the metrics registry: cases held, case holders, their FTE and the
average caseload, for any date or monthly series, in the `metrics` command and dashboards.

In the metrics filter (posts by team, service area, role, OrgRole, census roles), a case
counts where its holder's post is: the cases held by the workers of the filtered posts. For the
whole authority this is the same figure as `workforce.caseloads.measures` gives.

Imported once, by `CaseloadsConfig.ready()`, which registers the provider and the measures.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from workforce.caseloads.measures import (
    _active,
    _as_date,
    _dates_table,
    _decimal,
    _fetch,
    caseload_headlines,
)
from workforce.metrics import engine
from workforce.metrics.measures import Better, Measure, Unit, register, register_section

COMPONENTS = ("cases_held", "case_holders", "case_holder_fte")


def caseload_components(
    where: engine.MetricsFilter, timeline: engine.Timeline, by: str | None
) -> engine.Component:
    """Cases held, case holders and case-holder FTE at each date: two queries."""
    dates = list(timeline.dates)
    index = {d: i for i, d in enumerate(dates)}
    posts, pparams = where.posts_sql()
    group = engine._group_expr(by)
    table, dparams = _dates_table(dates)
    authorities, aparams = engine._in(where.authority_ids)
    joins = (
        " JOIN establishment_post p ON p.id = e.post_id"
        " JOIN establishment_team t ON t.id = p.team_id"
        " JOIN establishment_role r ON r.id = p.role_id"
    )
    cases_sql = (
        f"SELECT {group}, m.d, COUNT(DISTINCT a.case_id) FROM ({table}) m"
        f" JOIN caseloads_allocation a ON {_active('a')}"
        f" JOIN establishment_engagement e ON e.worker_id = a.worker_id AND {_active('e')}"
        f"{joins}"
        f" WHERE a.authority_id IN {authorities} AND {posts}"
        " GROUP BY 1, 2"
    )
    holders_sql = (
        f"SELECT {group}, m.d, COUNT(DISTINCT e.worker_id), SUM(e.fte) FROM ({table}) m"
        f" JOIN establishment_engagement e ON {_active('e')}"
        f"{joins}"
        f" WHERE e.authority_id IN {authorities} AND {posts}"
        " AND EXISTS (SELECT 1 FROM caseloads_allocation a"
        f" WHERE a.worker_id = e.worker_id AND {_active('a')})"
        " GROUP BY 1, 2"
    )
    params = dparams + aparams + pparams
    cases = _fetch(cases_sql, params)
    holders = _fetch(holders_sql, params)
    keys = {row[0] for row in cases} | {row[0] for row in holders}
    if by is None:
        keys = {0}
    out: engine.Component = {
        name: {
            engine._key(k, by): [Decimal(0) if name.endswith("fte") else 0] * len(dates)
            for k in keys
        }
        for name in COMPONENTS
    }
    for g, d, n in cases:
        out["cases_held"][engine._key(g, by)][index[_as_date(d)]] = int(n)
    for g, d, n, fte in holders:
        i = index[_as_date(d)]
        out["case_holders"][engine._key(g, by)][i] = int(n)
        out["case_holder_fte"][engine._key(g, by)][i] = _decimal(fte)
    return out


def _average(parts: Mapping[str, Any]) -> Decimal | None:
    held, fte = parts.get("cases_held"), parts.get("case_holder_fte")
    if held is None or not fte:
        return None
    return (Decimal(held) / Decimal(fte)).quantize(Decimal("0.1"))


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
            units=("cases", "case-holder FTE"),
        )
    )
