"""Demand: referrals, assessments and plans, and the funnel between them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, TruncMonth

from workforce.caseloads.measures.base import (
    DAY,
    CaseloadFilter,
    _as_date,
    month_ends,
    policy_settings,
    scheme_settings,
    year_before,
)
from workforce.caseloads.measures.caseload import (
    NO_HOLDERS,
    CaseloadSummary,
    SocialWorkerChanges,
    average_caseload,
    caseload_distribution,
    caseload_summary,
    holder_counts,
    social_worker_changes,
)
from workforce.caseloads.measures.supervision import (
    SupervisionCompliance,
    supervision_compliance,
)
from workforce.caseloads.measures.unallocated import (
    unallocated_by_team,
    unallocated_series,
)
from workforce.caseloads.models import (
    Allocation,
    AllocationReason,
    Referral,
    ReferralOutcome,
)

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
    """Referrals received in [start, end) and how far they went by `as_at`, as Leeds tabulates
    them, with the outcomes councils report (the children in need census's among them)."""

    start: dt.date
    end: dt.date
    as_at: dt.date
    referrals: int
    initial_assessments: int
    core_assessments: int
    care_plans: int
    no_further_action: int
    advice: int
    early_help: int
    not_in_need: int
    open: int
    cp_enquiries: int
    initial_completed: int
    initial_timely: int
    core_completed: int
    core_timely: int

    @property
    def last_day(self) -> dt.date:
        return self.end - DAY

    def rows(self) -> list[tuple[str, int, Decimal | None]]:
        """(stage or outcome, number, share of referrals): Leeds' stages in Leeds' order, then
        how the referrals that went no further ended, then those still open."""
        stages = [
            ("Referrals", self.referrals),
            ("Initial assessments", self.initial_assessments),
            ("Going on to core assessment", self.core_assessments),
            ("Going on to a care plan", self.care_plans),
            ("No further action", self.no_further_action),
            ("Information, advice or signposting", self.advice),
            ("Referred to early help", self.early_help),
            ("Assessed, not in need", self.not_in_need),
            ("Open: no outcome yet", self.open),
        ]
        return [(label, n, self.share(n)) for label, n in stages]

    def share(self, n: int) -> Decimal | None:
        """`n` as an exact fraction of the referrals: rounded once, only where it is shown."""
        return _share(n, self.referrals)

    @property
    def initial_timeliness(self) -> Decimal | None:
        return _share(self.initial_timely, self.initial_completed)

    @property
    def core_timeliness(self) -> Decimal | None:
        return _share(self.core_timely, self.core_completed)


def _share(n: int, d: int) -> Decimal | None:
    return None if not d else Decimal(n) / Decimal(d)


# When an outcome was decided: its date, or for an outcome recorded without one the date of the
# furthest stage the referral records (the plan, the core assessment, the initial assessment),
# or else the day it was received.
DECIDED = Coalesce(
    "outcome_date",
    "plan_date",
    "core_assessment_start",
    "initial_assessment_start",
    "received",
    output_field=DateField(),
)


def funnel(
    where: CaseloadFilter,
    start: dt.date,
    end: dt.date,
    *,
    as_at: dt.date | None = None,
    initial_days: int = 7,
    core_days: int = 35,
) -> Funnel:
    """The referral funnel for referrals received in [start, end), as it stood at the end of
    `as_at` (by default the period's last day or today, whichever is later): a stage counts when
    its date is on or before `as_at`, an outcome when it was decided by then (`decided`), and
    a referral with no outcome by then is open. One aggregate query."""
    as_at = as_at or max(end - DAY, dt.date.today())
    duration = DurationField()
    known = Q(received__lte=as_at)
    ia_done = Q(initial_assessment_completed__lte=as_at)
    ca_done = Q(core_assessment_completed__lte=as_at)
    qs = _referrals(where, start, end).annotate(
        ia_took=ExpressionWrapper(
            F("initial_assessment_completed") - F("initial_assessment_start"),
            output_field=duration,
        ),
        ca_took=ExpressionWrapper(
            F("core_assessment_completed") - F("core_assessment_start"), output_field=duration
        ),
        decided=DECIDED,
    )
    decided = Q(decided__lte=as_at) & ~Q(outcome="")

    def ended(outcome: ReferralOutcome) -> Any:
        return Count("id", filter=decided & Q(outcome=outcome))

    totals = qs.aggregate(
        referrals=Count("id", filter=known),
        initial_assessments=Count("id", filter=Q(initial_assessment_start__lte=as_at)),
        core_assessments=Count("id", filter=Q(core_assessment_start__lte=as_at)),
        care_plans=Count("id", filter=Q(plan_date__lte=as_at)),
        no_further_action=ended(ReferralOutcome.NO_FURTHER_ACTION),
        advice=ended(ReferralOutcome.ADVICE),
        early_help=ended(ReferralOutcome.EARLY_HELP),
        not_in_need=ended(ReferralOutcome.NOT_IN_NEED),
        open=Count("id", filter=known & ~decided),
        cp_enquiries=ended(ReferralOutcome.CP_ENQUIRY),
        initial_completed=Count("id", filter=ia_done),
        initial_timely=Count(
            "id", filter=ia_done & Q(ia_took__lte=dt.timedelta(days=initial_days))
        ),
        core_completed=Count("id", filter=ca_done),
        core_timely=Count("id", filter=ca_done & Q(ca_took__lte=dt.timedelta(days=core_days))),
    )
    return Funnel(start=start, end=end, as_at=as_at, **totals)


def new_cases_allocated(where: CaseloadFilter, start: dt.date, end: dt.date) -> int:
    """Cases allocated for the first time in [start, end) (Leeds: 'new cases picked up')."""
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
        return average_caseload(self.cases_held, self.case_holder_fte)


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

    Four queries in all, whatever the number of months.
    """
    dates = month_ends(on, months)
    holders = holder_counts(where.metrics_filter(), dates)
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
        counts = holders.get((d, None), NO_HOLDERS)
        points.append(
            MonthPoint(
                on=d,
                cases_held=counts.cases_held,
                case_holders=counts.case_holders,
                case_holder_fte=counts.case_holder_fte,
                unallocated=unallocated.get(d, 0),
                referrals=received.get(key, 0),
                initial_assessments=assessed.get(key, 0),
                new_cases_allocated=allocated.get(key, 0),
            )
        )
    return points


# The caseloads overview: one set of figures for the page, the JSON and reports -----------------


@dataclass(frozen=True)
class CaseloadOverview:
    """The caseload figures at a date, as the caseloads overview shows them."""

    on: dt.date
    summary: CaseloadSummary
    changes: SocialWorkerChanges
    unallocated: int
    escalated: int  # unallocated for more than `threshold` days
    threshold: int
    compliance: SupervisionCompliance
    funnel: Funnel  # referrals in the 12 months to `on`


def caseload_overview(where: CaseloadFilter, on: dt.date) -> CaseloadOverview:
    """Cases held and average caseload, unallocated cases (and those waiting longer than the
    authority's threshold), children in care by number of social workers, supervision
    compliance, and the demand funnel for referrals received in the 12 months to `on`."""
    first = where.authority_ids[0] if where.authority_ids else 0
    scheme = scheme_settings(first)
    unallocated = unallocated_by_team(where, on, threshold_days=scheme.unallocated_threshold_days)
    return CaseloadOverview(
        on=on,
        summary=caseload_summary(where, on),
        changes=social_worker_changes(where, on),
        unallocated=sum(n for n, _ in unallocated.values()),
        escalated=sum(e for _, e in unallocated.values()),
        threshold=scheme.unallocated_threshold_days,
        compliance=supervision_compliance(where, on, policy_settings(first)),
        funnel=year_funnel(where, on),
    )


def year_funnel(where: CaseloadFilter, on: dt.date) -> Funnel:
    """The funnel of the referrals received in the 12 months to `on`, as it stood on `on` (the
    caseloads overview's and a report's demand), with the authority's assessment timescales."""
    scheme = scheme_settings(where.authority_ids[0] if where.authority_ids else 0)
    return funnel(
        where,
        year_before(on),
        on + DAY,
        as_at=on,
        initial_days=scheme.initial_assessment_days,
        core_days=scheme.core_assessment_days,
    )


# Headlines for the metrics command and dashboards ---------------------------------------------


def caseload_headlines(
    *, authority_ids: Sequence[int], team_ids: Sequence[int] | None, on: dt.date
) -> dict[str, Any]:
    """The caseload figures at `on` as plain JSON-ready values."""
    where = CaseloadFilter(
        authority_ids=tuple(authority_ids),
        team_ids=None if team_ids is None else tuple(team_ids),
    )
    overview = caseload_overview(where, on)
    summary, changes, compliance, demand = (
        overview.summary,
        overview.changes,
        overview.compliance,
        overview.funnel,
    )

    def num(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "cases_held": summary.cases_held,
        "case_holders": summary.case_holders,
        "case_holder_fte": float(summary.case_holder_fte),
        "average_caseload": num(summary.average_caseload),
        "caseload_distribution": dict(caseload_distribution(where, on)),
        "unallocated_cases": overview.unallocated,
        "unallocated_escalated": overview.escalated,
        "children_in_care": changes.children_in_care,
        "children_in_care_3_plus_social_workers": changes.three_or_more,
        "children_in_care_3_plus_social_workers_rate": num(changes.share_three_or_more),
        "supervision_compliance": num(compliance.rate),
        "referrals_12_months": demand.referrals,
        "initial_assessments_12_months": demand.initial_assessments,
    }
