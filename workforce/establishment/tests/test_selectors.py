"""The establishment table: hand-computed figures, any past date, and totals that reconcile."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce.establishment import services
from workforce.establishment.models import AgencyCover, EngagementKind, OrgRole
from workforce.establishment.selectors import (
    Column,
    EstablishmentFilter,
    EstablishmentTable,
    establishment_cell,
    establishment_table,
)
from workforce.establishment.tests.factories import (
    EngagementFactory,
    PostFactory,
    RoleFactory,
    TeamFactory,
    WorkerFactory,
)

D = dt.date
CENSUS = D(2025, 9, 30)


@pytest.fixture
def world(authority):
    """Two roles in two teams, built to give the figures written out in each test.

    Social workers (team A): posts 1.0, 1.0, 0.5 (=2.5), filled by 1.0 permanent, 0.5 permanent,
    and 1.0 agency covering the vacancy. Team managers (team B): post 1.0 empty plus one agency
    worker as extra capacity in a 1.0 post filled permanently.
    """
    team_a = TeamFactory(authority=authority, name="A")
    team_b = TeamFactory(authority=authority, name="B")
    sw = RoleFactory(
        authority=authority, title="Social worker", org_role=OrgRole.CASE_HOLDER, order=2
    )
    tm = RoleFactory(
        authority=authority, title="Team manager", org_role=OrgRole.FIRST_LINE_MANAGER, order=1
    )
    fsw = RoleFactory(authority=authority, title="Family support", org_role="", order=3)
    start = D(2020, 1, 1)
    p1 = PostFactory(team=team_a, role=sw, start=start)
    p2 = PostFactory(team=team_a, role=sw, start=start)
    p3 = PostFactory(team=team_a, role=sw, start=start, fte=Decimal("0.5"))
    p4 = PostFactory(team=team_b, role=tm, start=start)
    p5 = PostFactory(team=team_b, role=tm, start=start)
    p6 = PostFactory(team=team_b, role=fsw, start=start)
    EngagementFactory(post=p1, start=D(2021, 1, 1))
    EngagementFactory(post=p3, start=D(2021, 1, 1), fte=Decimal("0.5"))
    EngagementFactory(
        post=p2, start=D(2024, 1, 1), kind=EngagementKind.AGENCY, covers=AgencyCover.VACANCY
    )
    EngagementFactory(post=p5, start=D(2022, 1, 1))
    EngagementFactory(
        post=p5, start=D(2025, 1, 1), kind=EngagementKind.AGENCY, covers=AgencyCover.EXTRA
    )
    EngagementFactory(post=p6, start=D(2021, 1, 1))
    # Someone who left before the census date, and someone whose job ends on it (end exclusive).
    EngagementFactory(post=p4, start=D(2021, 1, 1), end=D(2025, 9, 30))
    return {
        "authority": authority,
        "team_a": team_a,
        "team_b": team_b,
        "sw": sw,
        "tm": tm,
        "fsw": fsw,
        "posts": [p1, p2, p3, p4, p5, p6],
    }


def where(world, **kwargs) -> EstablishmentFilter:
    return EstablishmentFilter(authority_ids=(world["authority"].pk,), **kwargs)


def figures(table: EstablishmentTable) -> dict[str, tuple[Decimal, ...]]:
    return {
        r.role: (r.establishment, r.permanent, r.agency, r.vacant, r.over_under) for r in table.rows
    }


@pytest.mark.django_db
class TestEstablishmentTable:
    def test_hand_computed_figures_at_the_census_date(self, world):
        table = establishment_table(where=where(world), on=CENSUS)
        assert figures(table) == {
            "Team manager": (Decimal(2), Decimal(1), Decimal(1), Decimal(1), Decimal(0)),
            "Social worker": (Decimal("2.5"), Decimal("1.5"), Decimal(1), Decimal(1), Decimal(0)),
            "Family support": (Decimal(1), Decimal(1), Decimal(0), Decimal(0), Decimal(0)),
        }
        assert table.totals == {
            "establishment": Decimal("5.5"),
            "permanent": Decimal("3.5"),
            "agency": Decimal(2),
            "vacant": Decimal(2),
            "over_under": Decimal(0),
        }

    def test_an_engagement_ending_the_next_day_counts_on_its_last_day(self, world):
        table = establishment_table(where=where(world), on=D(2025, 9, 29))
        assert figures(table)["Team manager"][1] == Decimal(2)

    def test_past_dates_rebuild_from_history(self, world):
        table = establishment_table(where=where(world), on=D(2023, 6, 30))
        assert figures(table)["Social worker"] == (
            Decimal("2.5"),
            Decimal("1.5"),
            Decimal(0),
            Decimal(1),
            Decimal(1),
        )

    def test_a_changed_fte_keeps_the_past(self, world):
        services.change_post_fte(
            post=world["posts"][0], fte=Decimal("0.6"), from_date=D(2025, 4, 1)
        )
        before = establishment_table(where=where(world), on=D(2025, 3, 31))
        after = establishment_table(where=where(world), on=CENSUS)
        assert figures(before)["Social worker"][0] == Decimal("2.5")
        assert figures(after)["Social worker"][0] == Decimal("2.1")

    def test_over_establishment_is_negative(self, world):
        EngagementFactory(
            post=world["posts"][0],
            start=D(2025, 1, 1),
            kind=EngagementKind.AGENCY,
            covers=AgencyCover.EXTRA,
        )
        row = figures(establishment_table(where=where(world), on=CENSUS))["Social worker"]
        assert row[4] == Decimal(-1)

    def test_filters_by_team_and_census_roles(self, world):
        team_b = establishment_table(where=where(world, team_ids=(world["team_b"].pk,)), on=CENSUS)
        assert set(figures(team_b)) == {"Team manager", "Family support"}
        census = establishment_table(where=where(world, census_only=True), on=CENSUS)
        assert "Family support" not in figures(census)

    def test_another_authority_is_never_counted(self, world, other_authority):
        PostFactory(team=TeamFactory(authority=other_authority))
        table = establishment_table(where=where(world), on=CENSUS)
        assert table.total(Column.ESTABLISHMENT) == Decimal("5.5")

    def test_drill_down_lists_the_posts_behind_a_cell(self, world):
        lines = establishment_cell(
            where=where(world), on=CENSUS, role_id=world["sw"].pk, column=Column.VACANT
        )
        assert [line.post for line in lines] == [world["posts"][1]]
        assert lines[0].engagements[0].kind == EngagementKind.AGENCY


# Property: for any set of posts and engagements, totals are the sums of the rows, and the
# table for the whole authority equals the sum of the tables of its teams.

ftes = st.sampled_from([Decimal("0.2"), Decimal("0.5"), Decimal("0.6"), Decimal("1.00")])
days = st.integers(min_value=0, max_value=1500)


@st.composite
def layouts(draw):
    posts = draw(
        st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 1), ftes, days), min_size=1, max_size=8
        )
    )
    engagements = draw(
        st.lists(
            st.tuples(st.integers(0, 7), ftes, st.booleans(), days, st.one_of(st.none(), days)),
            max_size=10,
        )
    )
    on = draw(days)
    return posts, engagements, on


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(layout=layouts())
def test_totals_reconcile_and_teams_add_up_to_the_whole(authority, layout):
    # Examples share the test's transaction: each runs in a savepoint that is rolled back.
    with transaction.atomic():
        check_layout(authority, layout)
        transaction.set_rollback(True)


def check_layout(authority, layout) -> None:
    base = D(2020, 1, 1)
    posts_spec, engagement_spec, on_offset = layout
    teams = [TeamFactory(authority=authority) for _ in range(3)]
    roles = [RoleFactory(authority=authority) for _ in range(2)]
    posts = [
        PostFactory(team=teams[t], role=roles[r], fte=fte, start=base + dt.timedelta(days=s))
        for t, r, fte, s in posts_spec
    ]
    for index, fte, agency, s, length in engagement_spec:
        post = posts[index % len(posts)]
        start = post.start + dt.timedelta(days=s)
        end = None if length is None else start + dt.timedelta(days=length + 1)
        EngagementFactory(
            post=post,
            fte=fte,
            start=start,
            end=end,
            kind=EngagementKind.AGENCY if agency else EngagementKind.PERMANENT,
            covers=AgencyCover.VACANCY if agency else "",
            worker=WorkerFactory(authority=authority),
        )
    on = base + dt.timedelta(days=on_offset)
    whole = establishment_table(where=EstablishmentFilter(authority_ids=(authority.pk,)), on=on)
    for column in Column:
        assert whole.total(column) == sum((r.value(column) for r in whole.rows), Decimal(0))
        assert whole.total(Column.OVER_UNDER) == (
            whole.total(Column.ESTABLISHMENT)
            - whole.total(Column.PERMANENT)
            - whole.total(Column.AGENCY)
        )
    for column in (Column.ESTABLISHMENT, Column.PERMANENT, Column.AGENCY, Column.OVER_UNDER):
        by_team = sum(
            (
                establishment_table(
                    where=EstablishmentFilter(authority_ids=(authority.pk,), team_ids=(t.pk,)),
                    on=on,
                ).total(column)
                for t in teams
            ),
            Decimal(0),
        )
        assert by_team == whole.total(column)
    assert all(r.vacant >= 0 for r in whole.rows)
