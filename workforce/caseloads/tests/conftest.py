"""Shared fixtures for caseload tests."""

from __future__ import annotations

import datetime as dt

import pytest

from workforce.caseloads.tests.factories import (
    allocate,
    case_in,
    social_worker_role,
    worker_in_post,
)
from workforce.establishment.models import EngagementKind, Leaving
from workforce.establishment.tests.factories import RoleFactory, TeamFactory


@pytest.fixture
def caseload_world(authority):
    """Team A: W1 (1.0, permanent) holds siblings C1, C2 and C3; W2 (1.0, agency) holds C4, C5.
    Team B: W3 (0.5) holds C6; W4 (1.0) holds nothing; W5 left but still shows C7;
    W6 is a family support worker (no census role) holding C9; C8 closed before D.

    Cases held 6, case holders 3 with 2.5 FTE, average caseload 6 ÷ 2.5 = 2.4.
    """
    team_a = TeamFactory(authority=authority, name="Team A")
    team_b = TeamFactory(authority=authority, name="Team B")
    sw = social_worker_role(authority, title="Social worker")
    fsw = RoleFactory(authority=authority, title="Family support", org_role="", case_holding=False)
    w1 = worker_in_post(team_a, sw)
    w2 = worker_in_post(team_a, sw, kind=EngagementKind.AGENCY)
    w3 = worker_in_post(team_b, sw, fte="0.50")
    worker_in_post(team_b, sw)  # W4, no cases
    w5 = worker_in_post(team_b, sw, end=dt.date(2025, 6, 1))
    Leaving.objects.create(
        authority=authority, worker=w5, last_day=dt.date(2025, 5, 31), reason="1", fte=1
    )
    w6 = worker_in_post(team_b, fsw)
    start = dt.date(2025, 1, 1)
    for ref in ("C1-SIB", "C2-SIB", "C3"):
        allocate(case_in(team_a, ref=ref + "0"), w1, start)
    for _ in range(2):
        allocate(case_in(team_a), w2, start)
    allocate(case_in(team_b), w3, start)
    allocate(case_in(team_b, ref="C7000"), w5, start)  # dangling: W5 has left
    closed = case_in(team_a, closed=dt.date(2025, 8, 1))
    allocate(closed, w1, start, end=dt.date(2025, 8, 1))
    allocate(case_in(team_b, ref="C9000"), w6, start)
    return {"a": team_a, "b": team_b, "authority": authority}
