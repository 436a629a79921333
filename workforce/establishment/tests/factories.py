"""Factories for the establishment: teams, roles, posts with funding, workers, engagements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from workforce.core.tests.factories import AuthorityFactory
from workforce.establishment.models import (
    Engagement,
    EngagementKind,
    OrgRole,
    Post,
    PostFunding,
    Role,
    ServiceArea,
    Team,
    Worker,
)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    service_area = ServiceArea.CHILD_PROTECTION


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    authority = factory.SubFactory(AuthorityFactory)
    title = factory.Sequence(lambda n: f"Social worker {n}")
    org_role = OrgRole.CASE_HOLDER
    case_holding = True
    capacity_points = 100


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    authority = factory.SelfAttribute("team.authority")
    team = factory.SubFactory(TeamFactory)
    role = factory.SubFactory(RoleFactory, authority=factory.SelfAttribute("..authority"))
    reference = factory.Sequence(lambda n: f"P{n:05d}")
    start = dt.date(2020, 1, 1)

    @factory.post_generation
    def fte(self, create: bool, extracted: Decimal | None, **kwargs: object) -> None:
        """Budgeted FTE over the post's whole life (pass fte=None to leave it unfunded)."""
        if create and extracted is not False:
            PostFunding.objects.create(
                authority=self.authority,
                post=self,
                start=self.start,
                end=self.end,
                fte=Decimal("1.00") if extracted is None else extracted,
            )


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    authority = factory.SubFactory(AuthorityFactory)
    staff_number = factory.Sequence(lambda n: f"S{n:06d}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Example{n}")


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    post = factory.SubFactory(PostFactory)
    authority = factory.SelfAttribute("post.authority")
    worker = factory.SubFactory(WorkerFactory, authority=factory.SelfAttribute("..authority"))
    start = dt.date(2020, 1, 1)
    fte = Decimal("1.00")
    kind = EngagementKind.PERMANENT
