"""A small establishment for page and form tests; figures are worked out in test_views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from workforce.conftest import Personas
from workforce.core.models import User
from workforce.establishment import services
from workforce.establishment.models import Engagement, OrgRole, Post, Role, Worker
from workforce.establishment.tests.factories import RoleFactory

ON = dt.date(2025, 1, 1)
START = dt.date(2024, 1, 1)
ONE = Decimal("1.00")
HALF = Decimal("0.50")


@dataclass
class World:
    personas: Personas
    social_worker: Role
    family_support: Role
    posts: dict[str, Post]
    workers: dict[str, Worker]
    engagements: dict[str, Engagement]


def make_post(p: Personas, ref: str, team: Any, role: Role, fte: Decimal) -> Post:
    return services.create_post(
        authority=team.authority, team=team, role=role, reference=ref, fte=fte, start=START
    )


def make_worker(p: Personas, staff: str, first: str, last: str) -> Worker:
    return services.create_worker(
        authority=p.own_team.authority, staff_number=staff, first_name=first, last_name=last
    )


@pytest.fixture(name="world")
def world_fixture(personas: Personas, reference_data: None) -> World:
    p = personas
    authority = p.own_team.authority
    sw = RoleFactory(
        authority=authority, title="Social worker", org_role=OrgRole.CASE_HOLDER, order=1
    )
    fsw = RoleFactory(authority=authority, title="Family support worker", org_role="", order=2)
    posts = {
        "AN-1": make_post(p, "AN-1", p.own_team, sw, ONE),
        "AN-2": make_post(p, "AN-2", p.own_team, sw, ONE),
        "AN-3": make_post(p, "AN-3", p.own_team, sw, HALF),
        "AN-4": make_post(p, "AN-4", p.own_team, fsw, ONE),
        "CC-1": make_post(p, "CC-1", p.other_team, sw, ONE),
    }
    workers = {
        "ann": make_worker(p, "S001", "Annabel", "Quillfeather"),
        "ben": make_worker(p, "S002", "Benedict", "Marlowe"),
        "cat": make_worker(p, "S003", "Catriona", "Ellsworth"),
        "dan": make_worker(p, "S004", "Daniel", "Okonkwo"),
        "eve": make_worker(p, "S005", "Evangeline", "Prothero"),
    }
    engagements = {
        "ann": services.appoint_worker(
            worker=workers["ann"], post=posts["AN-1"], start=START, fte=ONE
        ),
        "ben": services.start_agency_assignment(
            worker=workers["ben"],
            post=posts["AN-2"],
            start=START,
            fte=ONE,
            agency_name="Kinship Staffing",
            charge_rate=Decimal("45.00"),
            covers="vacancy",
        ),
        "cat": services.appoint_worker(
            worker=workers["cat"], post=posts["AN-3"], start=START, fte=HALF
        ),
        "dan": services.appoint_worker(
            worker=workers["dan"], post=posts["CC-1"], start=START, fte=ONE
        ),
        "eve": services.start_agency_assignment(
            worker=workers["eve"],
            post=posts["CC-1"],
            start=START,
            fte=HALF,
            agency_name="Kinship Staffing",
            charge_rate=None,
            covers="extra",
        ),
    }
    return World(p, sw, fsw, posts, workers, engagements)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return response.content.decode()
