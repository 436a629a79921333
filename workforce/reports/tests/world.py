"""A small authority for the report sections, worked out by hand at 30 September 2025.

The census world (`census/tests/world.py`: posts, people, a leaver, a starter, an agency worker
and three cases) and, on top of it:

- a target: agency rate at most 20% by 31 March 2026;
- recruitment (as Sandwell, September 2017): a recruitment partner strand with a target of 15
  social workers; 4 started, 6 in pre-employment checks, one recommended on 5 September (its
  DBS requested that day) who withdraws on 4 December (still in checks at 30 September), and 2
  who only applied. So at
  30 September: 11 recruited against a target of 15, 4 started and 7 in pre-employment checks;
  11 offered, 4 had accepted;
- two children in care in team A: one had three social workers in the year (the perm worker to
  1 January, the part-time one to 1 March, then the starter, who holds the case at the date),
  one was with the leaver until her engagement ended on 1 March and has waited since;
- supervision: the perm worker on 15 September and the agency worker on 20 September;
- referrals to team A in the year to 30 September 2025: 10, of which 6 had an initial
  assessment, 3 went on to a core assessment, 2 reached a plan and 2 ended with no further
  action; one more in August 2024 (before the year).

At 30 September 2025 (census-counted roles): in post 2.80 FTE, agency 1.00 FTE, agency rate
1.0 ÷ 3.8 = 26.3%, vacancy 2.2 ÷ 5.0 = 44.0%; a year before, in post 3.00 FTE. Cases held 4 by
3 case holders (1.0 + 1.0 + 0.8 = 2.80 FTE): average caseload 1.4. One unallocated case,
waiting 213 days. Children in care 2, one with three or more social workers (50.0%).
Supervision within policy 2 of 3 (66.7%). Establishment (all roles): 6.00 budgeted, 3.30
permanent, 1.00 agency, 2.70 vacant, 1.70 under.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from workforce.caseloads.models import Category, ReferralOutcome
from workforce.caseloads.tests.factories import allocate, case_in, referral, supervise
from workforce.census.tests import world as census_world
from workforce.core.models import Authority
from workforce.establishment.models import Role, Team
from workforce.metrics.models import Comparison, Target
from workforce.recruitment.models import (
    Check,
    CheckKind,
    Stage,
    StageTransition,
    StrandKind,
    StrandTarget,
)
from workforce.recruitment.tests.factories import (
    ApplicationFactory,
    CampaignFactory,
    StrandFactory,
    VacancyFactory,
)

ON = dt.date(2025, 9, 30)
BEFORE = dt.date(2024, 9, 30)
D = dt.date


def build(authority: Authority) -> dict[str, Any]:
    a = authority
    people = census_world.build(a)
    team_a = Team.objects.get(authority=a, name="Census A")
    sw = Role.objects.get(authority=a, title="Social worker")
    Target.objects.create(
        authority=a,
        measure="agency_rate_fte",
        comparison=Comparison.AT_MOST,
        value=Decimal("20"),
        by_date=D(2026, 3, 31),
    )
    _recruitment(a, sw)
    # Children in care.
    moved = case_in(team_a, category=Category.LOOKED_AFTER, opened=D(2024, 1, 1))
    allocate(moved, people["perm"], D(2024, 1, 1), D(2025, 1, 1))
    allocate(moved, people["part"], D(2025, 1, 1), D(2025, 3, 1))
    allocate(moved, people["starter"], D(2025, 4, 1))
    waiting = case_in(team_a, category=Category.LOOKED_AFTER, opened=D(2024, 6, 1))
    allocate(waiting, people["leaver"], D(2024, 6, 1), D(2025, 3, 1))
    supervise(people["perm"], D(2025, 9, 15))
    supervise(people["agency"], D(2025, 9, 20))
    # Referrals.
    referral(team_a, D(2024, 8, 1))
    for n in range(10):
        fields: dict[str, Any] = {}
        if n < 6:
            fields["initial_assessment_start"] = D(2025, 2, 1)
        if n < 3:
            fields["core_assessment_start"] = D(2025, 2, 10)
        if n < 2:
            fields["plan_date"] = D(2025, 3, 1)
            fields["outcome"] = ReferralOutcome.PLAN
        if n >= 8:
            fields["outcome"] = ReferralOutcome.NO_FURTHER_ACTION
        referral(team_a, D(2025, 1, 10), **fields)
    return {**people, "team_a": team_a, "social_worker": sw}


def _recruitment(a: Authority, sw: Role) -> None:
    campaign = CampaignFactory(authority=a, name="Social workers 2025", start=D(2025, 6, 1))
    strand = StrandFactory(
        campaign=campaign, kind=StrandKind.PARTNER, name="Recruitment partner", start=D(2025, 6, 1)
    )
    StrandTarget.objects.create(
        authority=a, strand=strand, role=sw, target=15, deadline=D(2025, 11, 30)
    )
    vacancy = VacancyFactory(strand=strand, role=sw, opened_on=D(2025, 6, 1))
    for _ in range(4):
        ApplicationFactory(
            vacancy=vacancy, stage=Stage.STARTED, applied_on=D(2025, 6, 10), stage_on=D(2025, 9, 1)
        )
    for _ in range(6):
        ApplicationFactory(
            vacancy=vacancy, stage=Stage.CHECKS, applied_on=D(2025, 7, 1), stage_on=D(2025, 9, 10)
        )
    for _ in range(2):
        ApplicationFactory(vacancy=vacancy, stage=Stage.APPLIED, applied_on=D(2025, 9, 1))
    later = ApplicationFactory(
        vacancy=vacancy,
        stage=Stage.WITHDRAWN,
        applied_on=D(2025, 8, 1),
        stage_on=D(2025, 12, 4),
        history=False,
    )
    for on, before, after in (
        (D(2025, 8, 1), "", Stage.APPLIED),
        (D(2025, 9, 5), Stage.APPLIED, Stage.RECOMMENDED),
        (D(2025, 12, 4), Stage.RECOMMENDED, Stage.WITHDRAWN),
    ):
        StageTransition.objects.create(application=later, from_stage=before, to_stage=after, on=on)
    Check.objects.create(
        authority=a, application=later, kind=CheckKind.DBS, requested_on=D(2025, 9, 5)
    )
