"""Factories and small builders for caseload tests: workers in post, cases, allocations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from workforce.caseloads.models import (
    Allocation,
    AllocationReason,
    Case,
    CaseCategory,
    CaseTeam,
    Category,
    Referral,
    Supervision,
)
from workforce.core.models import Authority
from workforce.establishment.models import Engagement, EngagementKind, Role, Team, Worker
from workforce.establishment.tests.factories import (
    EngagementFactory,
    PostFactory,
    RoleFactory,
    WorkerFactory,
)

EPOCH = dt.date(2020, 1, 1)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    authority = factory.SubFactory("workforce.core.tests.factories.AuthorityFactory")
    child_ref = factory.Sequence(lambda n: f"C{n:06d}")
    start = EPOCH


def social_worker_role(authority: Authority, **kwargs: object) -> Role:
    return RoleFactory(authority=authority, **kwargs)


def worker_in_post(
    team: Team,
    role: Role,
    *,
    fte: str = "1.00",
    kind: str = EngagementKind.PERMANENT,
    start: dt.date = EPOCH,
    end: dt.date | None = None,
    **worker_fields: object,
) -> Worker:
    """A worker with one engagement in a new post in `team`."""
    post = PostFactory(authority=team.authority, team=team, role=role, start=EPOCH)
    worker = WorkerFactory(authority=team.authority, **worker_fields)
    EngagementFactory(
        authority=team.authority,
        post=post,
        worker=worker,
        fte=Decimal(fte),
        kind=kind,
        start=start,
        end=end,
        agency_name="Agency Ltd" if kind == EngagementKind.AGENCY else "",
        covers="vacancy" if kind == EngagementKind.AGENCY else "",
    )
    return worker


def case_in(
    team: Team,
    *,
    category: str = Category.CHILD_IN_NEED,
    opened: dt.date = EPOCH,
    closed: dt.date | None = None,
    complex: bool = False,
    ref: str | None = None,
) -> Case:
    """A case with one team spell and one category over its whole life (no services)."""
    kwargs: dict[str, object] = {"authority": team.authority, "start": opened, "end": closed}
    if ref:
        kwargs["child_ref"] = ref
    case = CaseFactory(**kwargs)
    CaseTeam.objects.create(
        authority=team.authority, case=case, team=team, start=opened, end=closed
    )
    CaseCategory.objects.create(
        authority=team.authority,
        case=case,
        category=category,
        complex=complex,
        start=opened,
        end=closed,
    )
    return case


def allocate(
    case: Case,
    worker: Worker,
    start: dt.date,
    end: dt.date | None = None,
    reason: str = AllocationReason.INITIAL,
) -> Allocation:
    """An allocation recorded directly, for building history."""
    return Allocation.objects.create(
        authority=case.authority, case=case, worker=worker, start=start, end=end, reason=reason
    )


def supervise(worker: Worker, day: dt.date) -> Supervision:
    return Supervision.objects.create(authority=worker.authority, worker=worker, date=day)


def referral(team: Team, received: dt.date, **fields: object) -> Referral:
    return Referral.objects.create(authority=team.authority, team=team, received=received, **fields)


def engagement_of(worker: Worker) -> Engagement:
    return worker.engagements.get()
