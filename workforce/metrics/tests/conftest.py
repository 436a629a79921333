"""A small authority whose figures at the 2025 census date are worked out by hand in `Expected`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest

from workforce.core.models import Authority, CensusCode
from workforce.core.services import FIXTURES
from workforce.establishment import services
from workforce.establishment.models import AgencyCover, EngagementKind, OrgRole, Role, Team
from workforce.establishment.tests.factories import (
    EngagementFactory,
    PostFactory,
    RoleFactory,
    WorkerFactory,
)
from workforce.metrics.engine import MetricsFilter

D = dt.date
CENSUS = D(2025, 9, 30)
START = D(2020, 1, 1)


@dataclass
class World:
    authority: Authority
    team_a: Team
    team_b: Team
    social_worker: Role
    family_support: Role

    def where(self, **kwargs: object) -> MetricsFilter:
        return MetricsFilter(authority_ids=(self.authority.pk,), **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def reference_data(db: None) -> None:
    """The census code lists only: these tests need no list of real authorities."""
    codes = json.loads((FIXTURES / "census_codes.json").read_text())
    CensusCode.objects.bulk_create(
        CensusCode(list=name, code=code, label=label, order=order)
        for name, values in codes.items()
        for order, (code, label) in enumerate(values)
    )


@pytest.fixture
def world(reference_data: None, personas) -> World:
    """Census year 1 Oct 2024 – 30 Sep 2025. Social worker posts, all 1.0 FTE:

    Team A (`personas.own_team`): A1, A2, A3; team B (`personas.other_team`): B1, B2.
    - Wen: permanent in A1 since 2020, moves to B1 on 1 Mar 2025 (a team move, not a leaver).
    - Jo: permanent 0.5 in A2 from 1 Nov 2024 (a part-time starter).
    - Kim: permanent 0.5 in A2 (job share with Jo) since 1 Jun 2021; last day 30 Sep 2025, so
      her engagement ends 1 Oct: in post on the census date, and a leaver in the year.
    - Lee: fixed-term 0.8 in A1 from 1 Mar 2025; last day 29 Sep 2025 (engagement ends on the
      census date: not in post then). A starter, and a leaver within 12 months of starting.
    - Mo: permanent in B2 since 2020; off sick 21 Sep – 10 Oct 2024 (20 days, 14 working days
      lost, 10 of the days in the year: 7.0 days count) and 1–7 Feb 2025 (5 days), plus a
      training absence (not sickness).
    - Agency: Ash 1.0 in A3 covering the vacancy since 2024; Bea 0.6 in B2 covering Mo's
      absence from 1 Sep 2025.
    - Fay: permanent family support worker in team A (a role the census does not count).
    """
    authority = personas.own_team.authority
    team_a, team_b = personas.own_team, personas.other_team
    sw = RoleFactory(authority=authority, title="Social worker", org_role=OrgRole.CASE_HOLDER)
    fsw = RoleFactory(authority=authority, title="Family support worker", org_role="")
    a1, a2, a3 = (PostFactory(team=team_a, role=sw, start=START) for _ in range(3))
    b1, b2 = (PostFactory(team=team_b, role=sw, start=START) for _ in range(2))
    f1 = PostFactory(team=team_a, role=fsw, start=START)

    def person(name: str):
        return WorkerFactory(authority=authority, first_name=name)

    wen = EngagementFactory(post=a1, worker=person("Wen"), start=START)
    services.move_worker(engagement=wen, to_post=b1, on=D(2025, 3, 1))
    services.appoint_worker(worker=person("Jo"), post=a2, start=D(2024, 11, 1), fte=Decimal("0.5"))
    kim = person("Kim")
    EngagementFactory(post=a2, worker=kim, start=D(2021, 6, 1), fte=Decimal("0.5"))
    services.record_leaver(worker=kim, last_day=D(2025, 9, 30), reason="1")
    lee = person("Lee")
    services.appoint_worker(
        worker=lee,
        post=a1,
        start=D(2025, 3, 1),
        fte=Decimal("0.8"),
        kind=EngagementKind.FIXED_TERM,
        end=D(2026, 3, 1),
    )
    services.record_leaver(worker=lee, last_day=D(2025, 9, 29), reason="2")
    mo = person("Mo")
    EngagementFactory(post=b2, worker=mo, start=START)
    services.record_absence(
        worker=mo,
        start=D(2024, 9, 21),
        end=D(2024, 10, 11),
        reason="SIC",
        working_days_lost=Decimal("14"),
    )
    services.record_absence(
        worker=mo, start=D(2025, 2, 1), end=D(2025, 2, 8), reason="SIC", working_days_lost=5
    )
    services.record_absence(
        worker=mo, start=D(2025, 6, 2), end=D(2025, 6, 4), reason="TRN", working_days_lost=2
    )
    services.start_agency_assignment(
        worker=person("Ash"),
        post=a3,
        start=D(2024, 1, 1),
        fte=Decimal("1.00"),
        agency_name="Agency One",
        charge_rate=Decimal("40"),
        covers=AgencyCover.VACANCY,
    )
    services.start_agency_assignment(
        worker=person("Bea"),
        post=b2,
        start=D(2025, 9, 1),
        fte=Decimal("0.6"),
        agency_name="Agency Two",
        charge_rate=Decimal("40"),
        covers=AgencyCover.ABSENCE,
        covering_for=mo,
    )
    EngagementFactory(post=f1, worker=person("Fay"), start=START)
    return World(authority, team_a, team_b, sw, fsw)
