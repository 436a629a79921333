"""Stored figures: every write moves the authority's data version (whatever makes it), and a
series read from stored figures is always the one computed live from the records."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce.establishment import services
from workforce.establishment.models import (
    Absence,
    Engagement,
    Leaving,
    Post,
    PostFunding,
    Role,
)
from workforce.establishment.tests.factories import (
    EngagementFactory,
    PostFactory,
    RoleFactory,
    TeamFactory,
    WorkerFactory,
)
from workforce.metrics import engine, stored
from workforce.metrics.engine import MetricsFilter, Timeline
from workforce.metrics.models import DataVersion, StoredFigures
from workforce.metrics.selectors import measures_on, monthly_series
from workforce.metrics.tests.conftest import CENSUS
from workforce.metrics.tests.test_properties import LAST, build, layouts

pytestmark = pytest.mark.django_db

SERIES = Timeline.monthly(CENSUS, 24)


def version(authority_id: int) -> int:
    return (
        DataVersion.objects.filter(authority_id=authority_id)
        .values_list("version", flat=True)
        .first()
        or 0
    )


def live(where: MetricsFilter, timeline: Timeline = SERIES) -> engine.Component:
    return engine.components(stored.stored_components(), where=where, timeline=timeline)


def kept(where: MetricsFilter, timeline: Timeline = SERIES) -> engine.Component:
    return stored.components(stored.stored_components(), where=where, timeline=timeline)


@pytest.mark.parametrize("model", [Engagement, PostFunding, Post, Role, Leaving, Absence])
def test_every_write_to_a_watched_table_moves_the_version(world, other_authority, model):
    row = model.objects.filter(authority=world.authority).first()
    mine, theirs = world.authority.pk, other_authority.pk
    before = version(mine)
    model.objects.filter(pk=row.pk).update(updated_at=row.updated_at)  # a bulk update
    after_update = version(mine)
    assert after_update > before
    table = model._meta.db_table
    with connection.cursor() as cursor:  # SQL by hand
        cursor.execute(f"UPDATE {table} SET updated_at = updated_at WHERE id = %s", [row.pk])
    assert version(mine) > after_update
    assert version(theirs) == 0


def test_inserts_and_deletes_move_the_version(world):
    mine = world.authority.pk
    before = version(mine)
    post = PostFactory(team=world.team_a, role=world.social_worker, start=CENSUS)
    inserted = version(mine)
    assert inserted > before
    PostFunding.objects.filter(post=post).delete()
    Post.objects.filter(pk=post.pk).delete()
    assert version(mine) > inserted


def test_a_stored_series_is_the_live_one_and_follows_changes(world):
    where = world.where()
    first = kept(where)  # nothing stored yet: computed, and not stored
    assert first == live(where)
    assert not StoredFigures.objects.filter(authority_id=world.authority.pk).exists()
    stored.refresh_all([world.authority.pk])
    assert StoredFigures.objects.filter(authority_id=world.authority.pk).exists()
    assert kept(where) == first  # read again from the stored figures, unchanged
    # A new starter through the services: the stored figures are computed again.
    services.appoint_worker(
        worker=WorkerFactory(authority=world.authority),
        post=PostFactory(team=world.team_b, role=world.social_worker, start=dt.date(2024, 1, 1)),
        start=dt.date(2025, 6, 1),
        fte=Decimal("1.00"),
    )
    second = kept(where)
    assert second == live(where)
    assert second["in_post_headcount"][None][-1] == first["in_post_headcount"][None][-1] + 1
    assert second["starters_fte"][None][-1] == first["starters_fte"][None][-1] + 1


def test_changes_by_hand_are_seen_too(world):
    where = world.where()
    stored.refresh_all([world.authority.pk])
    before = kept(where)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Absence._meta.db_table} WHERE authority_id = %s",
            [world.authority.pk],
        )
    after = kept(where)
    assert after == live(where)
    assert before["sickness_days"][None][-1] > 0 and after["sickness_days"][None][-1] == 0


def test_many_authorities_add_up(world, other_authority):
    team = TeamFactory(authority=other_authority)
    role = RoleFactory(authority=other_authority, org_role="5")
    for _ in range(3):
        EngagementFactory(
            post=PostFactory(team=team, role=role, start=dt.date(2020, 1, 1)),
            worker=WorkerFactory(authority=other_authority),
            start=dt.date(2023, 4, 1),
        )
    both = MetricsFilter(authority_ids=(world.authority.pk, other_authority.pk))
    assert kept(both) == live(both)
    alone = kept(MetricsFilter(authority_ids=(other_authority.pk,)))
    assert alone["in_post_headcount"][None][-1] == 3


def test_only_the_default_filter_at_month_ends_is_read_from_stored_figures(world, monkeypatch):
    stored.refresh_all([world.authority.pk], today=CENSUS)
    read = []
    original = stored.read

    def recorded(names, **kwargs):
        read.append(names)
        return original(names, **kwargs)

    monkeypatch.setattr(stored, "read", recorded)
    monthly_series(where=world.where(team_ids=(world.team_a.pk,)), last=CENSUS, months=12)
    monthly_series(where=world.where(census_only=False), last=CENSUS, months=12)
    measures_on(where=world.where(), on=dt.date(2025, 9, 15))
    assert read == []
    measures_on(where=world.where(), on=CENSUS)
    assert len(read) == 1


def test_reading_figures_writes_nothing(world, other_authority):
    """Out of date or never stored, a read computes the figures and stores none."""
    where = MetricsFilter(authority_ids=(world.authority.pk, other_authority.pk))
    stored.refresh_all([other_authority.pk], today=CENSUS)
    before = list(StoredFigures.objects.values_list("authority_id", "version", "computed_at"))
    versions = dict(DataVersion.objects.values_list("authority_id", "version"))
    assert kept(where) == live(where)
    measures_on(where=world.where(), on=CENSUS)
    after = list(StoredFigures.objects.values_list("authority_id", "version", "computed_at"))
    assert after == before
    assert dict(DataVersion.objects.values_list("authority_id", "version")) == versions


def test_a_series_beyond_the_stored_months_is_computed(world):
    where = world.where()
    stored.refresh(world.authority.pk, today=CENSUS)
    row = StoredFigures.objects.get(authority_id=world.authority.pk)
    assert row.months == stored.MONTHS_STORED
    old = Timeline.monthly(dt.date(2010, 1, 31), 12)
    assert kept(where, old) == live(where, old)
    assert StoredFigures.objects.get(authority_id=world.authority.pk).first_month == row.first_month
    stored.refresh(world.authority.pk, covering=old, today=CENSUS)
    assert StoredFigures.objects.get(authority_id=world.authority.pk).first_month <= old.first


def test_refresh_all_computes_only_what_is_out_of_date(world, other_authority):
    ids = [world.authority.pk, other_authority.pk]
    assert stored.refresh_all(ids, today=CENSUS) == 2
    assert stored.refresh_all(ids, today=CENSUS) == 0
    Role.objects.filter(pk=world.social_worker.pk).update(org_role="")
    assert stored.refresh_all(ids, today=CENSUS) == 1


def test_a_month_end_date_and_a_series_agree_through_stored_figures(world):
    series = monthly_series(where=world.where(), last=CENSUS, months=13)
    assert series.at(0) == measures_on(where=world.where(), on=dt.date(2024, 9, 30)).at(0)
    assert series.at(12) == measures_on(where=world.where(), on=CENSUS).at(0)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(layout=layouts, drop=st.integers(0, 3))
def test_stored_figures_are_always_the_live_ones(authority, layout, drop):
    with transaction.atomic():
        build(authority, layout)
        where = MetricsFilter(authority_ids=(authority.pk,))  # census-counted roles
        timeline = Timeline.monthly(LAST, 36)
        stored.refresh(authority.pk, covering=timeline)
        assert kept(where, timeline) == live(where, timeline)
        # Any change afterwards, here removing some engagements and leavings in bulk.
        first = Engagement.objects.filter(authority=authority).order_by("id")[:drop]
        Engagement.objects.filter(pk__in=list(first.values_list("pk", flat=True))).delete()
        Leaving.objects.filter(authority=authority, last_day__month=drop + 1).delete()
        assert kept(where, timeline) == live(where, timeline)
        transaction.set_rollback(True)


def test_the_command_computes_what_is_out_of_date(world, other_authority):
    out = io.StringIO()
    call_command("store_figures", "--authority", world.authority.code, stdout=out)
    assert "computed for 1 of 1 authorities" in out.getvalue()
    call_command("store_figures", stdout=out)
    assert "computed for 1 of 2 authorities (1 already up to date)" in out.getvalue()
    with pytest.raises(CommandError, match="No authority with code 000"):
        call_command("store_figures", "--authority", "000")


def test_figures_stored_by_other_code_are_computed_again(world, monkeypatch):
    where = world.where()
    stored.refresh_all([world.authority.pk])
    row = StoredFigures.objects.get(authority_id=world.authority.pk)
    row.figures["values"]["in_post_headcount"] = [999] * row.months  # as if defined otherwise
    row.figures["code"] = "an-older-release"
    row.save()
    assert kept(where) == live(where)
    assert stored.refresh_all([world.authority.pk]) == 1
    assert StoredFigures.objects.get(authority_id=world.authority.pk).figures["code"] == (
        stored.code_version()
    )
