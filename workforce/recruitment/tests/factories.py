"""Factories for recruitment records."""

from __future__ import annotations

import datetime as dt

import factory

from workforce.core.tests.factories import AuthorityFactory
from workforce.establishment.tests.factories import RoleFactory
from workforce.recruitment.models import (
    EXIT_STAGES,
    STAGE_ORDER,
    Application,
    Campaign,
    Candidate,
    Stage,
    StageTransition,
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
    """An application sitting at a stage, with the history that brought it there: applied on
    `applied_on`, then one stage at a time to its stage (or its exit stage and out) on
    `stage_on`. `history=False` leaves the history to the test; the services write real ones.
    """

    class Meta:
        model = Application
        skip_postgeneration_save = True

    vacancy = factory.SubFactory(VacancyFactory)
    authority = factory.SelfAttribute("vacancy.authority")
    candidate = factory.SubFactory(CandidateFactory, authority=factory.SelfAttribute("..authority"))
    stage = Stage.APPLIED
    applied_on = factory.SelfAttribute("vacancy.opened_on")
    stage_on = factory.SelfAttribute("applied_on")

    @factory.post_generation
    def history(obj: Application, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if not create or extracted is False:
            return
        exiting = obj.stage in EXIT_STAGES
        last = obj.exit_stage if exiting else obj.stage
        path = list(STAGE_ORDER[: STAGE_ORDER.index(last) + 1]) if last in STAGE_ORDER else []
        if exiting:
            path.append(obj.stage)
        previous = ""
        for stage in path or [Stage.APPLIED]:
            StageTransition.objects.create(
                application=obj,
                from_stage=previous,
                to_stage=stage,
                on=obj.applied_on if stage == Stage.APPLIED else obj.stage_on,
                reason=obj.exit_reason if stage in EXIT_STAGES else "",
            )
            previous = stage
