"""Caseload, workload, supervision and demand figures as set-based SQL.

Definitions (DfE Children's Social Work Workforce, "caseload"):

- **Case holder at D**: a worker with at least one case allocated to them on D who is in post on
  D in a census-counted role (an engagement of any kind, agency included, active on D).
  An allocation to someone no longer in post does not count: the case is unallocated.
- **Cases held at D**: cases allocated to case holders on D. Siblings are separate cases.
- **Case-holder FTE at D**: the FTE of case holders' engagements active on D (census roles).
- **Average caseload**: cases held ÷ case-holder FTE.
- **Social worker changes**: of the children looked after on D, how many had 3 or more
  different social workers allocated over the 12 months to D (`social_workers_by_date`, any
  number of dates in one query).
- **Supervision within policy**: of the case holders on D, how many are not overdue for
  supervision under the authority's policy (`supervision_counts`, any number of dates).

Teams (the rule in docs/definitions.md, "Caseloads by team"): a case *held* on D counts in the
team of its worker's main post on D, and the worker (headcount and FTE) counts there too, so
team rows of cases held, case holders and case-holder FTE add up to the authority. An
*unallocated* case has no worker: it counts in the team it sits with on D (`CaseTeam`). Average
caseload is a ratio worked out for each row (`average_caseload`); it does not add up.

Every figure is one or a few grouped queries; a monthly series is the same query over a derived
table of dates, never one query per month. All of it runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from workforce.caseloads.measures.base import (
    ALLOCATION,
    ASYE,
    CASE,
    CASE_CATEGORY,
    CASE_TEAM,
    CENSUS_ROLE,
    DAY,
    END,
    ENGAGEMENT,
    POST,
    ROLE,
    SUPERVISION,
    TEAM,
    TWO_PLACES,
    ZERO,
    CaseloadFilter,
    PolicySettings,
    SchemeSettings,
    add_months,
    month_ends,
    policy_settings,
    scheme_settings,
    year_before,
)
from workforce.caseloads.measures.caseload import (
    DISTRIBUTION_BANDS,
    NO_HOLDERS,
    CaseloadSummary,
    HolderCounts,
    SocialWorkerChanges,
    average_caseload,
    band_label,
    case_holders_series,
    caseload_distribution,
    caseload_summary,
    cases_held_series,
    holder_counts,
    social_worker_changes,
    social_workers_by_date,
)
from workforce.caseloads.measures.demand import (
    SERIES_HEADER,
    CaseloadOverview,
    Funnel,
    MonthPoint,
    caseload_headlines,
    caseload_overview,
    funnel,
    monthly_series,
    new_cases_allocated,
    year_funnel,
)
from workforce.caseloads.measures.supervision import (
    SupervisionCompliance,
    SupervisionStatus,
    supervision_compliance,
    supervision_counts,
    supervision_rows,
    supervision_statuses,
)
from workforce.caseloads.measures.unallocated import (
    days_unallocated,
    escalated,
    unallocated_by_team,
    unallocated_on,
    unallocated_series,
)
from workforce.caseloads.measures.workload import (
    capacity_points,
    points_by_worker,
)

__all__ = [
    "DAY",
    "ZERO",
    "TWO_PLACES",
    "CaseloadFilter",
    "SchemeSettings",
    "scheme_settings",
    "PolicySettings",
    "policy_settings",
    "add_months",
    "year_before",
    "month_ends",
    "ALLOCATION",
    "CASE",
    "CASE_TEAM",
    "CASE_CATEGORY",
    "SUPERVISION",
    "ASYE",
    "ENGAGEMENT",
    "POST",
    "ROLE",
    "TEAM",
    "END",
    "CENSUS_ROLE",
    "average_caseload",
    "HolderCounts",
    "NO_HOLDERS",
    "holder_counts",
    "cases_held_series",
    "case_holders_series",
    "CaseloadSummary",
    "caseload_summary",
    "DISTRIBUTION_BANDS",
    "band_label",
    "caseload_distribution",
    "SocialWorkerChanges",
    "social_worker_changes",
    "social_workers_by_date",
    "unallocated_on",
    "days_unallocated",
    "escalated",
    "unallocated_series",
    "unallocated_by_team",
    "points_by_worker",
    "capacity_points",
    "SupervisionStatus",
    "supervision_statuses",
    "supervision_rows",
    "SupervisionCompliance",
    "supervision_compliance",
    "supervision_counts",
    "Funnel",
    "funnel",
    "new_cases_allocated",
    "MonthPoint",
    "SERIES_HEADER",
    "monthly_series",
    "caseload_headlines",
    "CaseloadOverview",
    "caseload_overview",
    "year_funnel",
]
