"""A small recruitment world: a post in the manager's team covered by agency, and a vacancy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from workforce.establishment.models import AgencyCover, Engagement, EngagementKind, Post, Role
from workforce.establishment.tests.factories import PostFactory, RoleFactory, WorkerFactory
from workforce.recruitment import services
from workforce.recruitment.models import Campaign, Strand, StrandKind, Vacancy

D = dt.date


@dataclass
class World:
    role: Role
    post: Post
    agency: Engagement
    campaign: Campaign
    strand: Strand
    vacancy: Vacancy


@pytest.fixture
def world(personas, authority) -> World:
    role = RoleFactory(authority=authority, title="Social worker")
    post: Any = PostFactory(team=personas.own_team, role=role, start=D(2017, 1, 1))
    agency = Engagement.objects.create(
        authority=authority,
        worker=WorkerFactory(authority=authority),
        post=post,
        start=D(2017, 3, 1),
        fte=Decimal("1.00"),
        kind=EngagementKind.AGENCY,
        agency_name="Locums Ltd",
        covers=AgencyCover.VACANCY,
    )
    campaign = services.create_campaign(
        authority=authority, name="Autumn 2017", start=D(2017, 6, 1), cost=Decimal("5000")
    )
    strand = services.create_strand(
        campaign=campaign,
        kind=StrandKind.PARTNER,
        partner="Sanctuary",
        start=D(2017, 6, 1),
        cost=Decimal("30000"),
    )
    services.create_target(
        strand=strand, role=role, target=15, deadline=D(2017, 11, 30), today=D(2017, 6, 1)
    )
    vacancy = services.open_vacancy(
        authority=authority,
        reference="V1",
        title="Experienced social worker",
        role=role,
        opened_on=D(2017, 6, 1),
        strand=strand,
        posts=[post],
    )
    return World(role, post, agency, campaign, strand, vacancy)
