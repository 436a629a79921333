"""The engine's building blocks: its public names, named parameters, filters and timelines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from workforce.core import periods
from workforce.establishment.models import Engagement, Post
from workforce.establishment.tests.factories import EngagementFactory, PostFactory, TeamFactory
from workforce.metrics import engine
from workforce.metrics.engine import sql
from workforce.metrics.engine.filters import MetricsFilter
from workforce.metrics.engine.periods import Timeline

D = dt.date


def test_the_public_names_other_apps_use_are_there():
    for name in (
        "Component",
        "MetricsFilter",
        "Timeline",
        "MANY",
        "PROVIDES",
        "PROVIDERS",
        "components",
        "register_provider",
        "working_days_per_year",
        "month_end",
        "month_ends",
        "same_day_last_year",
        "year_start",
        "placeholders",
        "_fte",
        "_group_expr",
        "_in",
        "_key",
    ):
        assert hasattr(engine, name), name
    assert engine.month_end is periods.month_end
    assert engine.month_ends is periods.month_ends


def test_table_names_come_from_the_models():
    assert Engagement._meta.db_table == sql.ENG
    assert Post._meta.db_table == sql.POST


def test_in_list_names_each_value_and_matches_nothing_when_empty():
    assert sql.in_list("team", [4, 7]) == ("(%(team_0)s, %(team_1)s)", {"team_0": 4, "team_1": 7})
    assert sql.in_list("team", []) == ("(NULL)", {})


def test_positional_turns_named_parameters_into_ordered_ones():
    text, values = sql.positional(
        "a = %(x)s AND b IN (%(y_0)s, %(y_1)s) AND c = %(x)s", {"x": 1, "y_0": 2, "y_1": 3}
    )
    assert text == "a = %s AND b IN (%s, %s) AND c = %s"
    assert values == [1, 2, 3, 1]


def test_posts_sql_keeps_positional_parameters_for_other_apps():
    where = MetricsFilter(authority_ids=(1, 2), team_ids=(5,), service_area="x", org_roles=("5",))
    text, values = where.posts_sql()
    assert "%(" not in text
    assert values == [1, 2, 5, "x", "5"]


def test_timeline_parameters_carry_its_prefix_so_two_can_share_a_query():
    monthly = Timeline.monthly(D(2025, 9, 30), 3)
    extended = monthly.extended("x")
    a_sql, a = monthly.interval_bucket("s")
    b_sql, b = extended.interval_bucket("s")
    assert set(a) == {"t_first", "t_m0"} and set(b) == {"x_first", "x_m0"}
    assert a["t_first"] == D(2025, 7, 31) and b["x_first"] == D(2024, 7, 31)
    single_sql, single = Timeline.single(D(2025, 9, 15)).event_bucket("s")
    assert single == {"t_0": D(2025, 9, 15)}
    assert "%(t_0)s" in single_sql


@pytest.mark.django_db
def test_named_parameters_run_on_the_database(authority):
    post = PostFactory(team=TeamFactory(authority=authority), start=D(2020, 1, 1))
    EngagementFactory(post=post, start=D(2024, 1, 1), fte=Decimal("0.5"))
    EngagementFactory(post=post, start=D(2024, 6, 1), fte=Decimal("0.25"))
    where = MetricsFilter(authority_ids=(authority.pk,), census_only=False)
    posts, params = where.posts_where()
    rows = sql.fetch(
        f"SELECT SUM({sql.hundredths('e.fte')}) FROM {sql.ENG} e "
        f"JOIN {sql.POST} p ON p.id = e.post_id WHERE {posts} AND e.start <= %(on)s",
        params | {"on": D(2024, 3, 1)},
    )
    assert rows == [(50,)]
    assert connection.vendor in {"sqlite", "postgresql"}


def test_group_expression_refuses_anything_but_team_or_role():
    assert engine._group_expr(None) == "0"
    assert engine._group_expr("team") == "p.team_id"
    with pytest.raises(ValueError, match="Cannot group by"):
        engine._group_expr("worker")


def test_register_provider_adds_components_to_the_registry(monkeypatch):
    monkeypatch.setattr(engine.registry, "PROVIDERS", dict(engine.PROVIDERS))
    monkeypatch.setattr(engine.registry, "PROVIDES", dict(engine.PROVIDES))

    def answer(where, timeline, by):
        return {"forty_two": {None: [42] * timeline.n}}

    engine.registry.register_provider("answer", answer, ("forty_two",))
    out = engine.registry.components(
        ["forty_two"],
        where=MetricsFilter(authority_ids=(1,)),
        timeline=Timeline.monthly(D(2025, 9, 30), 2),
    )
    assert out == {"forty_two": {None: [42, 42]}}
