"""Factories for recruitment records."""

from __future__ import annotations

import datetime as dt

import factory

from workforce.core.tests.factories import AuthorityFactory
from workforce.establishment.tests.factories import RoleFactory
from workforce.recruitment.models import (
    Application,
    Campaign,
    Candidate,
    Stage,
    Strand,
    StrandKind,
    Vacancy,
)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    start = dt.date(2017, 6, 1)


class StrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strand

    campaign = factory.SubFactory(CampaignFactory)
    authority = factory.SelfAttribute("campaign.authority")
    kind = StrandKind.OPEN
    start = factory.SelfAttribute("campaign.start")


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    strand = factory.SubFactory(StrandFactory)
    authority = factory.SelfAttribute("strand.authority")
    reference = factory.Sequence(lambda n: f"V{n:04d}")
    title = "Social worker"
    role = factory.SubFactory(RoleFactory, authority=factory.SelfAttribute("..authority"))
    opened_on = factory.SelfAttribute("strand.start")


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    authority = factory.SubFactory(AuthorityFactory)
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Candidate{n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application sitting at a stage (no transitions: use the services for a history)."""

    class Meta:
        model = Application

    vacancy = factory.SubFactory(VacancyFactory)
    authority = factory.SelfAttribute("vacancy.authority")
    candidate = factory.SubFactory(CandidateFactory, authority=factory.SelfAttribute("..authority"))
    stage = Stage.APPLIED
    applied_on = factory.SelfAttribute("vacancy.opened_on")
    stage_on = factory.SelfAttribute("applied_on")
