"""The careers overview: a few headline figures, each the figure of the page it links to.

The stability index and the leavers within 12 months of starting are measures of the figures
layer, for the user's scope today (as the retention page shows them). For those who may see
people, the counts of the people pages are those pages' own rows counted: members still in
their programme (the cohorts page's "Still in the programme" column added up), early-career
workers above their protected caseload, and people inside a clawback period. A board member
sees the measures only, small counts withheld as on the retention page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workforce.careers import retention, selectors_incentives, selectors_programmes
from workforce.core import numbers
from workforce.core.access import Capability, Scope
from workforce.core.models import UserRole
from workforce.core.suppression import small
from workforce.core.tables import SUPPRESSED
from workforce.metrics.measures import REGISTRY, format_value
from workforce.metrics.selectors import filter_for_scope, measures_on

MEASURES = ("stability_index", "early_leavers_headcount")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    shown: str
    sentence: str
    url_name: str
    link_text: str


@dataclass(frozen=True)
class Overview:
    on: dt.date
    figures: list[Figure]

    @property
    def withheld(self) -> bool:
        return any(f.shown == SUPPRESSED for f in self.figures)


def _people_figures(scope: Scope, on: dt.date) -> list[Figure]:
    cohorts = selectors_programmes.cohorts(scope=scope)
    members = sum(c.in_progress for c in cohorts)  # type: ignore[attr-defined]  # annotated
    above = len(selectors_programmes.overloaded(scope=scope, on=on))
    clawback = len({row.worker_id for row in selectors_incentives.in_clawback(scope, on)})
    return [
        Figure(
            "members",
            "Still in their early-career programme",
            numbers.count_text(members),
            "Members of the cohorts who have not yet passed, failed or withdrawn.",
            "careers:cohorts",
            "Cohorts",
        ),
        Figure(
            "protected",
            "Above their protected caseload",
            numbers.count_text(above),
            "Early-career workers whose weighted caseload today is above the share of capacity "
            "their programme stage protects.",
            "careers:protected_caseloads",
            "Who is above their protected caseload",
        ),
        Figure(
            "clawback",
            "Inside a clawback period",
            numbers.count_text(clawback),
            "People still employed who would pay back part of an incentive if they left today.",
            "careers:clawback",
            "Who is inside a clawback period",
        ),
    ]


def _measure_figures(scope: Scope, on: dt.date) -> list[Figure]:
    found = measures_on(where=filter_for_scope(scope), on=on, keys=MEASURES)
    values = found.at(0)
    parts = {name: values_[0] for name, values_ in found.parts.items()}
    board = scope.role == UserRole.BOARD_MEMBER
    stability = REGISTRY["stability_index"]
    early = REGISTRY["early_leavers_headcount"]
    stability_shown = (
        SUPPRESSED
        if board
        and retention.stability_withheld(
            parts.get("in_post_headcount"), parts.get("stable_headcount")
        )
        else format_value(stability, values["stability_index"])
    )
    early_value = values["early_leavers_headcount"]
    early_shown = SUPPRESSED if board and small(early_value) else format_value(early, early_value)
    return [
        Figure(
            stability.key,
            stability.label,
            stability_shown,
            "People in post today with over a year's continuous service, as a share of everyone "
            "in post.",
            "careers:retention",
            "Retention",
        ),
        Figure(
            early.key,
            early.label,
            early_shown,
            "People who left in the 12 months to today less than a year after they started.",
            "careers:retention",
            "Turnover by length of service",
        ),
    ]


def overview(scope: Scope) -> Overview:
    """The overview's figures for `scope` today: the people counts first for those who may see
    people, then the measures for everyone."""
    on = scope.today
    figures = _people_figures(scope, on) if scope.can(Capability.VIEW_PEOPLE) else []
    figures += _measure_figures(scope, on)
    return Overview(on=on, figures=figures)
