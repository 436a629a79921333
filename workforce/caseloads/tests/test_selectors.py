"""The caseload team rule and unallocated time, with hand-computed figures.

A case held on D counts, with its worker (headcount and all their counted FTE), in the team of
the worker's main post on D: a census-counted role first, then the largest FTE, then the latest
start. The dashboard (the metrics provider), the heat map and the caseload pages agree, and team
rows of cases, holders and FTE add up to the authority; average caseload does not.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from workforce.caseloads import measures, selectors
from workforce.caseloads.measures import CaseloadFilter
from workforce.caseloads.tests.factories import (
    allocate,
    case_in,
    social_worker_role,
    worker_in_post,
)
from workforce.core.access import scope_for
from workforce.core.tests.downloads import csv_rows
from workforce.establishment import services as establishment
from workforce.establishment.models import Engagement, Team, Worker
from workforce.establishment.tests.factories import PostFactory, RoleFactory, TeamFactory
from workforce.metrics.engine import MetricsFilter, Timeline, components

D = dt.date(2025, 9, 30)
JUNE = dt.date(2025, 6, 30)
JAN = dt.date(2025, 1, 1)
NAMES = ("cases_held", "case_holders", "case_holder_fte")


def _second_post(worker: Worker, team: Team, role, fte: str, start: dt.date) -> None:
    post = PostFactory(authority=team.authority, team=team, role=role, start=dt.date(2020, 1, 1))
    Engagement.objects.create(
        authority=team.authority,
        worker=worker,
        post=post,
        fte=Decimal(fte),
        kind="permanent",
        start=start,
    )


def _hold(worker: Worker, team: Team, n: int) -> None:
    for _ in range(n):
        allocate(case_in(team), worker, JAN)


@pytest.fixture
def teams_world(authority, reference_data):
    """Teams A, B, C; one census role (social worker) and one not (family support).

    - W1: A 0.6 and B 0.4 (main post A, the larger); holds 3 cases (one in A, two in B).
    - W2 moved from B to C on 1 July 2025; holds 2 cases of team B.
    - W3 in A left on 31 August 2025 (recorded through the service); held 1 case.
    - W4: B 0.5; holds 1 case.
    - W5: B 0.5 since 2020 and C 0.5 since 2024 (same FTE: the later start, C); holds 2 cases.
    - W6: B 0.3 social worker and A 0.7 family support (census role first: B); holds 1 case,
      counted FTE 0.3.

    On 30 September 2025: A 3 cases / 1 holder / 1.00 FTE (average 3.0); B 2 / 2 / 0.80 (2.5);
    C 4 / 2 / 2.00 (2.0). Authority 9 / 5 / 3.80: average 9 ÷ 3.8 = 2.4, which is neither the
    sum (7.5) nor the mean (2.5) of the team averages.
    On 30 June 2025: A 4 / 2 / 2.00; B 4 / 3 / 1.80; C 2 / 1 / 1.00; authority 10 / 6 / 4.80.
    """
    a, b, c = (TeamFactory(authority=authority, name=f"Team {x}") for x in "ABC")
    sw = social_worker_role(authority, title="Social worker")
    fsw = RoleFactory(authority=authority, title="Family support", org_role="", case_holding=False)

    w1 = worker_in_post(a, sw, fte="0.60")
    _second_post(w1, b, sw, "0.40", dt.date(2020, 1, 1))
    allocate(case_in(a), w1, JAN)
    _hold(w1, b, 2)

    w2 = worker_in_post(b, sw, end=dt.date(2025, 7, 1))
    _second_post(w2, c, sw, "1.00", dt.date(2025, 7, 1))
    _hold(w2, b, 2)

    w3 = worker_in_post(a, sw)
    _hold(w3, a, 1)
    establishment.record_leaver(worker=w3, last_day=dt.date(2025, 8, 31), reason="1")

    w4 = worker_in_post(b, sw, fte="0.50")
    _hold(w4, b, 1)

    w5 = worker_in_post(b, sw, fte="0.50")
    _second_post(w5, c, sw, "0.50", dt.date(2024, 1, 1))
    _hold(w5, c, 2)

    w6 = worker_in_post(b, sw, fte="0.30")
    _second_post(w6, a, fsw, "0.70", dt.date(2020, 1, 1))
    _hold(w6, b, 1)
    return {"authority": authority, "a": a, "b": b, "c": c, "w3": w3}


def _expected(world, on):
    a, b, c = world["a"].pk, world["b"].pk, world["c"].pk
    if on == D:
        return {
            a: (3, 1, Decimal("1.00")),
            b: (2, 2, Decimal("0.80")),
            c: (4, 2, Decimal("2.00")),
        }, (9, 5, Decimal("3.80"))
    return {
        a: (4, 2, Decimal("2.00")),
        b: (4, 3, Decimal("1.80")),
        c: (2, 1, Decimal("1.00")),
    }, (10, 6, Decimal("4.80"))


@pytest.mark.parametrize("on", [D, JUNE])
def test_team_rows_follow_the_holders_main_post_and_add_up(teams_world, on):
    teams, whole = _expected(teams_world, on)
    where = CaseloadFilter(authority_ids=(teams_world["authority"].pk,))
    by_team = measures.holder_counts(where.metrics_filter(), [on], "team")
    assert {
        t: (c.cases_held, c.case_holders, c.case_holder_fte) for (_d, t), c in by_team.items()
    } == teams
    summary = measures.caseload_summary(where, on)
    assert (summary.cases_held, summary.case_holders, summary.case_holder_fte) == whole
    for i in range(3):
        assert sum(row[i] for row in teams.values()) == whole[i]


def test_the_dashboard_and_the_caseload_pages_give_the_same_team_figures(teams_world, personas):
    """The metrics provider (dashboard, breakdown by team, a team filter) and the caseload
    pages (the heat map, a team's summary) agree row for row."""
    authority = teams_world["authority"]
    teams, whole = _expected(teams_world, D)
    where = MetricsFilter(authority_ids=(authority.pk,))
    by_team = components(list(NAMES), where=where, timeline=Timeline.single(D), by="team")
    dashboard = {t: tuple(by_team[n][t][0] for n in NAMES) for t in teams}
    assert dashboard == teams
    all_of = components(list(NAMES), where=where, timeline=Timeline.single(D))
    assert tuple(all_of[n][None][0] for n in NAMES) == whole
    for team_id, expected in teams.items():
        one = MetricsFilter(authority_ids=(authority.pk,), team_ids=(team_id,))
        filtered = components(list(NAMES), where=one, timeline=Timeline.single(D))
        assert tuple(filtered[n][None][0] for n in NAMES) == expected
        page = measures.caseload_summary(
            CaseloadFilter(authority_ids=(authority.pk,), team_ids=(team_id,)), D
        )
        assert (page.cases_held, page.case_holders, page.case_holder_fte) == expected
    heat = selectors.heat_map(scope=scope_for(personas.lead), on=D)
    rows = {r.team_id: (r.cases_held, r.case_holders, r.case_holder_fte) for r in heat.rows}
    assert {t: rows[t] for t in teams} == teams
    assert sum(r.cases_held for r in heat.rows) == whole[0]


def test_with_every_role_counted_the_whole_of_a_holders_fte_counts(teams_world):
    """W6 (0.3 social worker in B, 0.7 family support in A) stays in B, now with 1.0 FTE."""
    where = MetricsFilter(authority_ids=(teams_world["authority"].pk,), census_only=False)
    counts = measures.holder_counts(where, [D], "team")
    b = counts[(D, teams_world["b"].pk)]
    assert (b.cases_held, b.case_holders, b.case_holder_fte) == (2, 2, Decimal("1.50"))
    assert sum(c.case_holder_fte for c in counts.values()) == Decimal("4.50")


def test_average_caseload_is_each_rows_own_ratio_and_does_not_add_up(teams_world, personas):
    authority = teams_world["authority"]
    heat = selectors.heat_map(scope=scope_for(personas.lead), on=D)
    averages = {r.team: r.average_caseload for r in heat.rows if r.team.startswith("Team ")}
    assert averages == {
        "Team A": Decimal("3.0"),
        "Team B": Decimal("2.5"),
        "Team C": Decimal("2.0"),
    }
    whole = measures.caseload_summary(CaseloadFilter(authority_ids=(authority.pk,)), D)
    assert whole.average_caseload == Decimal("2.4")  # 9 ÷ 3.8
    assert whole.average_caseload not in (sum(averages.values()), sum(averages.values()) / 3)


def test_the_registered_measure_and_the_pages_share_one_average(teams_world):
    from workforce.metrics.measures import REGISTRY

    parts = {"cases_held": 9, "case_holder_fte": Decimal("3.80")}
    assert REGISTRY["average_caseload"].value(parts) == Decimal("2.4")
    assert measures.average_caseload(9, Decimal("3.80")) == Decimal("2.4")
    assert measures.average_caseload(0, Decimal("0.00")) is None
    assert REGISTRY["average_caseload"].value({"cases_held": 3}) is None


def test_distribution_and_supervision_put_a_holder_in_one_team(teams_world):
    authority = teams_world["authority"]
    counts = []
    for key in ("a", "b", "c"):
        where = CaseloadFilter(authority_ids=(authority.pk,), team_ids=(teams_world[key].pk,))
        counts.append(sum(n for _band, n in measures.caseload_distribution(where, D)))
        assert len(measures.supervision_rows(where, D)) == counts[-1]
    assert counts == [1, 2, 2]


def test_team_workloads_show_a_worker_once_in_their_main_posts_team(teams_world):
    loads = {
        key: selectors.team_workload(team=teams_world[key], on=D).workers for key in ("a", "b", "c")
    }
    names = {key: sorted(w.cases for w in workers) for key, workers in loads.items()}
    # A: W1 (3 cases, 1.0 FTE over both posts); B: W4 (1), W6 (1); C: W2 (2), W5 (2).
    assert names == {"a": [3], "b": [1, 1], "c": [2, 2]}
    (w1,) = loads["a"]
    assert w1.fte == Decimal("1.00")


# Unallocated time ------------------------------------------------------------------------------


def test_unallocated_days_count_from_the_end_of_the_last_allocation(authority):
    """Opened 1 January, allocated 1 January – 31 March ([1 Jan, 1 Apr)), unallocated since
    1 April: on 30 April it has been unallocated 29 days (30 April − 1 April; 0 on 1 April)."""
    team = TeamFactory(authority=authority)
    worker = worker_in_post(team, social_worker_role(authority))
    case = case_in(team, opened=dt.date(2025, 1, 1))
    allocate(case, worker, dt.date(2025, 1, 1), end=dt.date(2025, 4, 1))
    on = dt.date(2025, 4, 30)
    where = CaseloadFilter(authority_ids=(authority.pk,))
    (listed,) = selectors.unallocated_cases(where=where, on=on, threshold_days=28)
    assert (listed.since, listed.days, listed.escalated) == (dt.date(2025, 4, 1), 29, True)
    (listed,) = selectors.unallocated_cases(where=where, on=on, threshold_days=29)
    assert not listed.escalated
    assert measures.unallocated_by_team(where, on, threshold_days=28) == {team.pk: (1, 1)}
    assert measures.unallocated_by_team(where, on, threshold_days=29) == {team.pk: (1, 0)}
    # Not escalated since it opened (119 days): a threshold of 30 days leaves it waiting.
    assert measures.unallocated_by_team(where, on, threshold_days=30) == {team.pk: (1, 0)}


def test_a_case_whose_worker_left_post_is_unallocated_from_their_engagements_end(authority):
    """The allocation was never ended, but the worker's engagement ended on 1 June: the case
    has been unallocated since 1 June, not since it opened."""
    team = TeamFactory(authority=authority)
    worker = worker_in_post(team, social_worker_role(authority), end=dt.date(2025, 6, 1))
    case = case_in(team, opened=dt.date(2025, 1, 1))
    allocate(case, worker, dt.date(2025, 1, 1))
    where = CaseloadFilter(authority_ids=(authority.pk,))
    (listed,) = selectors.unallocated_cases(where=where, on=D, threshold_days=14)
    assert (listed.since, listed.days) == (dt.date(2025, 6, 1), 121)


def test_a_never_allocated_case_waits_from_the_day_it_opened(authority):
    team = TeamFactory(authority=authority)
    case_in(team, opened=dt.date(2025, 9, 20))
    where = CaseloadFilter(authority_ids=(authority.pk,))
    (listed,) = selectors.unallocated_cases(where=where, on=D, threshold_days=14)
    assert (listed.since, listed.days, listed.escalated) == (dt.date(2025, 9, 20), 10, False)


def test_the_leavers_case_is_unallocated_from_the_day_after_their_last_day(teams_world):
    authority = teams_world["authority"]
    where = CaseloadFilter(authority_ids=(authority.pk,))
    (listed,) = selectors.unallocated_cases(where=where, on=D, threshold_days=14)
    assert (listed.team, listed.since, listed.days) == ("Team A", dt.date(2025, 9, 1), 29)
    assert measures.unallocated_series(where, [dt.date(2025, 8, 31), dt.date(2025, 9, 1)]) == {
        dt.date(2025, 9, 1): 1
    }


def test_the_heat_map_page_and_download_total_the_teams_and_say_averages_do_not_add(
    client, teams_world, personas
):
    client.force_login(personas.lead)
    url = reverse("caseloads:heat_map") + f"?on={D.isoformat()}"
    html = client.get(url).content.decode()
    assert "All teams shown" in html
    assert "Average caseload is not added up" in html
    rows = csv_rows(client.get(url + "&format=csv"))
    total = rows[-1]
    assert total[:3] == ["All teams", "9", "5"]
    assert (Decimal(total[3]), Decimal(total[4])) == (Decimal("3.8"), Decimal("2.4"))
    assert sum(int(r[1]) for r in rows[1:-1]) == 9


def test_the_dashboard_breakdown_has_the_caseload_columns_adding_up(teams_world, client, personas):
    from workforce.metrics.selectors import breakdown

    teams, whole = _expected(teams_world, D)
    where = MetricsFilter(authority_ids=(teams_world["authority"].pk,))
    rows = {r.key: r.values for r in breakdown(where=where, on=D, by="team")}
    assert {t: (rows[t]["cases_held"], rows[t]["case_holder_fte"]) for t in teams} == {
        t: (c[0], c[2]) for t, c in teams.items()
    }
    assert sum(v["cases_held"] for v in rows.values()) == whole[0]
    assert sum(v["case_holder_fte"] for v in rows.values()) == whole[2]
    assert rows[teams_world["a"].pk]["average_caseload"] == Decimal("3.0")
    by_role = breakdown(where=where, on=D, by="role")
    assert sum(r.values["cases_held"] for r in by_role) == whole[0]
    client.force_login(personas.lead)
    html = client.get(reverse("metrics:dashboard") + f"?on={D.isoformat()}").content.decode()
    assert "Average caseload does not add up" in html
