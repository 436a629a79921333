"""The demo generator: deterministic for a seed, consistent, and plausible at `la` scale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from workforce.core.models import Authority
from workforce.demo import checks, generator
from workforce.demo.simulation import AuthoritySim
from workforce.demo.tests.conftest import TODAY
from workforce.establishment.models import (
    Absence,
    Engagement,
    EngagementKind,
    Leaving,
    Post,
    PostFunding,
    Team,
    Worker,
)
from workforce.establishment.selectors import Column, EstablishmentFilter, establishment_table

pytestmark = pytest.mark.django_db


def seed(scale: str = "team", seed: int = 7) -> Authority:
    call_command(
        "seed_demo",
        scale=scale,
        seed=seed,
        today=TODAY,
        without_statistics=True,
        stdout=_Sink(),
    )
    return Authority.objects.get(code=generator.DEMO_CODE)


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def counts(authority: Authority) -> dict[str, int]:
    return {
        model.__name__: model.objects.filter(authority=authority).count()
        for model in (Team, Post, PostFunding, Worker, Engagement, Leaving, Absence)
    }


def census_totals(authority: Authority, on: dt.date = TODAY) -> dict[str, Decimal]:
    where = EstablishmentFilter(authority_ids=(authority.pk,), census_only=True)
    return establishment_table(where=where, on=on).totals


def simulated(seed_value: int) -> AuthoritySim:
    return generator.simulate(
        scale="team", seed=seed_value, code=generator.DEMO_CODE, size=1.0, difficulty=1.0,
        today=TODAY,
    )  # fmt: skip


def engagement_rows(sim: AuthoritySim) -> list[tuple[object, ...]]:
    return [
        (e.worker.staff_number, e.post.reference, e.start, e.end, e.fte, e.kind, e.end_reason)
        for e in sim.engagements
    ]


def test_the_same_seed_simulates_exactly_the_same_history() -> None:
    assert engagement_rows(simulated(7)) == engagement_rows(simulated(7))


def test_a_different_seed_simulates_a_different_history() -> None:
    assert engagement_rows(simulated(7)) != engagement_rows(simulated(8))


def test_team_scale_writes_every_record_the_seed_simulates() -> None:
    sim = simulated(7)
    authority = seed("team", 7)
    written = {
        (staff, ref, start.toordinal(), int(fte * 100), kind)
        for staff, ref, start, fte, kind in Engagement.objects.filter(
            authority=authority
        ).values_list("worker__staff_number", "post__reference", "start", "fte", "kind")
    }

    # Every simulated post is written with its funding; other apps' demo data may fund more
    # (a returner appointed when every post in their old team is filled).
    simulated_refs = {p.reference for p in sim.posts}
    assert simulated_refs <= set(
        Post.objects.filter(authority=authority).values_list("reference", flat=True)
    )
    assert PostFunding.objects.filter(
        authority=authority, post__reference__in=simulated_refs
    ).count() == sum(len(p.funding) for p in sim.posts)
    assert {
        (e.worker.staff_number, e.post.reference, e.start, e.fte, e.kind) for e in sim.engagements
    } <= written  # other apps' demo data may end some of them (a starter replaces agency cover)


@pytest.mark.django_db(transaction=True)  # flushing inside a test transaction fails on PostgreSQL
def test_team_scale_builds_the_same_data_for_the_same_seed() -> None:
    """Built twice from empty (other apps' demo data included): the same counts and totals."""

    def snapshot() -> tuple[dict[str, int], dict[str, Decimal], dict[str, Decimal]]:
        authority = seed("team", 7)
        earlier = TODAY - dt.timedelta(days=400)
        return counts(authority), census_totals(authority), census_totals(authority, earlier)

    first = snapshot()
    call_command("flush", interactive=False, verbosity=0)
    assert not Authority.objects.exists()

    assert snapshot() == first


def test_team_scale_is_one_small_authority_with_two_teams() -> None:
    authority = seed("team")

    assert authority.name == "Demo Borough Council"
    assert authority.region == "West Midlands"
    assert list(Team.objects.filter(authority=authority).values_list("name", flat=True)) == [
        "Assessment",
        "Child Protection",
    ]
    assert Team.objects.exclude(authority=authority).count() == 0


def test_team_scale_keeps_every_establishment_invariant() -> None:
    authority = seed("team")

    assert checks.invariant_problems([authority.pk]) == []


def test_team_scale_has_history_of_every_kind() -> None:
    authority = seed("team")
    engagements = Engagement.objects.filter(authority=authority)

    kinds = set(engagements.values_list("kind", flat=True))
    assert {EngagementKind.PERMANENT, EngagementKind.AGENCY} <= kinds
    assert set(engagements.agency().values_list("covers", flat=True)) >= {"vacancy", "absence"}
    assert engagements.filter(end_reason="moved").exists()
    assert engagements.filter(end_reason="left").exists()
    assert Leaving.objects.filter(authority=authority).exclude(reason="").exists()
    assert set(Absence.objects.filter(authority=authority).values_list("reason", flat=True)) >= {
        "SIC"
    }
    assert engagements.filter(start__lte=TODAY - dt.timedelta(days=2 * 365)).exists()


def test_nobody_is_above_one_fte_and_the_check_would_notice() -> None:
    authority = seed("team")
    held = (
        Engagement.objects.filter(authority=authority, kind=EngagementKind.PERMANENT)
        .active_on(TODAY)
        .first()
    )
    post = Post.objects.filter(authority=authority).exclude(pk=held.post_id).first()

    assert checks.workers_over_one_fte([authority.pk]) == []
    Engagement.objects.create(
        authority=authority,
        worker=held.worker,
        post=post,
        start=TODAY,
        fte=Decimal("0.50"),
        kind=EngagementKind.PERMANENT,
    )
    over = checks.workers_over_one_fte([authority.pk])
    assert [(w, day) for w, day, _fte in over] == [(held.worker_id, TODAY)]


def test_the_leaver_check_notices_employment_after_leaving() -> None:
    authority = seed("team")
    leaving = Leaving.objects.filter(authority=authority).first()
    post = Post.objects.filter(authority=authority, end__isnull=True).first()

    Engagement.objects.create(
        authority=authority,
        worker=leaving.worker,
        post=post,
        start=leaving.last_day + dt.timedelta(days=30),
        fte=Decimal("0.10"),
        kind=EngagementKind.PERMANENT,
    )

    assert checks.leaver_problems([authority.pk]) == [
        f"worker {leaving.worker_id} has an engagement starting after leaving"
    ]


def test_la_scale_is_a_plausible_authority_that_keeps_every_invariant() -> None:
    authority = seed("la", 1)
    totals = census_totals(authority)
    permanent, agency = totals[Column.PERMANENT], totals[Column.AGENCY]
    vacant = totals[Column.VACANT]
    year_ago = TODAY - dt.timedelta(days=365)
    leavers = sum(
        Leaving.objects.filter(authority=authority, last_day__gt=year_ago, last_day__lte=TODAY)
        .exclude(org_role="")
        .values_list("fte", flat=True),
        Decimal(0),
    )

    assert checks.invariant_problems([authority.pk]) == []
    assert Team.objects.filter(authority=authority).count() == 14  # 13, and one restructure
    assert Decimal(170) <= totals[Column.ESTABLISHMENT] <= Decimal(210)
    assert Decimal("0.15") <= agency / (agency + permanent) <= Decimal("0.30")
    assert Decimal("0.10") <= vacant / (vacant + permanent) <= Decimal("0.20")
    assert Decimal("0.08") <= leavers / permanent <= Decimal("0.25")
    assert PostFunding.objects.filter(authority=authority, end__isnull=False).exists()
    assert Post.objects.filter(authority=authority, end__isnull=False).exists()
    assert Engagement.objects.filter(authority=authority, end_reason="converted").exists()
    assert Engagement.objects.filter(authority=authority, covers="extra").exists()
    assert Absence.objects.filter(authority=authority, reason="MAT").exists()
    rates = Engagement.objects.filter(authority=authority).agency().values_list("charge_rate")
    assert all(Decimal(20) <= rate <= Decimal(70) for (rate,) in rates)
