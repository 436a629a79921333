"""A small authority, worked out by hand for the census year to 30 September 2025.

Posts (each budgeted 1.0 FTE): P1, P2, P4, P5 social worker (OrgRole 5) and P3 senior
practitioner (OrgRole 4); P6 family support (not counted).

- S1 Perm: permanent 1.0 in P1 since 2020; sick 6–10 January 2025 (4 days); holds 2 cases.
- S2 Part: permanent 0.6 in P2 (2021) and 0.4 in P3 (2022); maternity leave open since
  1 August 2025; also 0.5 family support in P6 (not counted).
- S3 Leaver: permanent 1.0 in P4 from 2019 to 28 February 2025, left (resigned, to another LA).
- S4 Starter: permanent 0.8 in P4 from 1 April 2025, newly qualified (StartOrigin 1).
- S5 Agency: agency 1.0 in P5 from 1 July 2025, covering the vacancy; holds 1 case.

At 30 September 2025: in post 2.8 FTE, 3 people; 1 starter, 1 leaver; agency 1.0 FTE, 1 person;
vacancy per role: social worker 4.0 − 2.4 = 1.6, senior practitioner 1.0 − 0.4 = 0.6, so 2.2;
3 cases held.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from workforce.caseloads.models import Allocation, AllocationReason
from workforce.caseloads.tests.factories import CaseFactory
from workforce.census.returns import schema_installed
from workforce.core.models import Authority
from workforce.establishment.models import (
    Absence,
    AgencyCover,
    EngagementEnd,
    EngagementKind,
    Leaving,
    Route,
)
from workforce.establishment.tests.factories import (
    EngagementFactory,
    PostFactory,
    RoleFactory,
    TeamFactory,
    WorkerFactory,
)

YEAR = 2025
CENSUS_DAY = dt.date(2025, 9, 30)


def build(authority: Authority) -> dict[str, object]:
    a = authority
    team_a = TeamFactory(authority=a, name="Census A")
    team_b = TeamFactory(authority=a, name="Census B")
    sw = RoleFactory(authority=a, title="Social worker", org_role="5")
    sp = RoleFactory(authority=a, title="Senior practitioner", org_role="4")
    fsw = RoleFactory(authority=a, title="Family support", org_role="", case_holding=False)
    start = dt.date(2018, 1, 1)
    p1 = PostFactory(authority=a, team=team_a, role=sw, start=start)
    p2 = PostFactory(authority=a, team=team_a, role=sw, start=start)
    p3 = PostFactory(authority=a, team=team_b, role=sp, start=start)
    p4 = PostFactory(authority=a, team=team_a, role=sw, start=start)
    p5 = PostFactory(authority=a, team=team_b, role=sw, start=start)
    p6 = PostFactory(authority=a, team=team_b, role=fsw, start=start)

    def worker(n: int, **kw: object) -> object:
        return WorkerFactory(authority=a, staff_number=f"S{n}", **kw)

    perm = worker(
        1,
        swe_number="SW 123456",
        date_of_birth=dt.date(1980, 5, 17),
        gender="2",
        ethnicity="WBRI",
        qual_level="1",
        qual_institution="University of Exampleshire",
        route=Route.UNIVERSITY,
    )
    part = worker(
        2,
        swe_number="sw000222",
        date_of_birth=dt.date(1975, 2, 3),
        gender="1",
        ethnicity="BAFR",
        qual_level="2",
        qual_institution="Open University",
        route=Route.STEP_UP,
    )
    leaver = worker(
        3,
        swe_number="SW333",
        date_of_birth=dt.date(1990, 12, 1),
        gender="2",
        ethnicity="AIND",
        qual_level="1",
        qual_institution="Exampleshire College",
    )
    starter = worker(
        4,
        swe_number="SW444444",
        date_of_birth=dt.date(2001, 7, 9),
        gender="9",
        qual_level="2",
        qual_institution="University of Elsewhere",
        route=Route.FRONTLINE,
    )
    agency = worker(5, swe_number="SW555555", date_of_birth=dt.date(1985, 3, 30), gender="1")

    EngagementFactory(authority=a, post=p1, worker=perm, start=dt.date(2020, 1, 1), fte=D("1.00"))
    EngagementFactory(authority=a, post=p2, worker=part, start=dt.date(2021, 3, 1), fte=D("0.60"))
    EngagementFactory(authority=a, post=p3, worker=part, start=dt.date(2022, 5, 1), fte=D("0.40"))
    EngagementFactory(authority=a, post=p6, worker=part, start=dt.date(2022, 5, 1), fte=D("0.50"))
    EngagementFactory(
        authority=a,
        post=p4,
        worker=leaver,
        start=dt.date(2019, 6, 1),
        end=dt.date(2025, 3, 1),
        fte=D("1.00"),
        end_reason=EngagementEnd.LEFT,
    )
    Leaving.objects.create(
        authority=a,
        worker=leaver,
        last_day=dt.date(2025, 2, 28),
        reason="1",
        destination="1",
        fte=D("1.00"),
        org_role="5",
        team=team_a,
    )
    EngagementFactory(
        authority=a,
        post=p4,
        worker=starter,
        start=dt.date(2025, 4, 1),
        fte=D("0.80"),
        start_origin="1",
    )
    EngagementFactory(
        authority=a,
        post=p5,
        worker=agency,
        start=dt.date(2025, 7, 1),
        fte=D("1.00"),
        kind=EngagementKind.AGENCY,
        agency_name="Example Agency",
        covers=AgencyCover.VACANCY,
    )
    Absence.objects.create(
        authority=a,
        worker=perm,
        start=dt.date(2025, 1, 6),
        end=dt.date(2025, 1, 11),
        reason="SIC",
        working_days_lost=D("4.00"),
    )
    Absence.objects.create(
        authority=a,
        worker=part,
        start=dt.date(2025, 8, 1),
        reason="MAT",
        working_days_lost=D("0.00"),
    )
    for holder in (perm, perm, agency):
        case = CaseFactory(authority=a)
        Allocation.objects.create(
            authority=a,
            case=case,
            worker=holder,
            start=dt.date(2025, 7, 1),
            reason=AllocationReason.INITIAL,
        )
    return {"perm": perm, "part": part, "leaver": leaver, "starter": starter, "agency": agency}


# The DfE schema is DfE's file, installed beside the project (settings.CSWW_SCHEMA), not in it:
# the tests that check a return against it run where it is installed.
needs_schema = pytest.mark.skipif(
    not schema_installed(), reason="the DfE schema (settings.CSWW_SCHEMA) is not installed"
)
