"""Retention figures for a small authority worked out by hand, and who may see them.

As at 30 September 2025 (the year from 1 October 2024). Social worker posts, all 1.0 FTE unless
said; team A is `personas.own_team` (Tariq manages it), team B `personas.other_team`:

| who | team | route | started | left (last day) | days employed | band at 1 Oct 2024 |
| --- | --- | --- | --- | --- | --- | --- |
| Ann | A | Step Up | 1 Jan 2024 | – | 639 (censored) | under 1 |
| Ben | A | Frontline | 1 Jun 2023 | 31 Mar 2025 | 670 | 1 to 2 |
| Cat | A | university | 1 Jan 2021 (0.5 FTE) | – | 1734 (censored) | 2 to 5 |
| Dan | A | university | 1 Jan 2018 | 30 Jun 2025 | 2738 | 5 or more |
| Eve | B | apprenticeship | 6 Jan 2025 | 31 Aug 2025 | 238 | under 1 (started in the year) |
| Fin | B | international | 1 Apr 2019 | – | 2375 (censored) | 5 or more |
| Gus | B | university | 1 Jan 2015 | 31 Dec 2022 | 2922 | – (left before the year) |
| Hal | B | not recorded | 1 Jan 2010 | – | 5752 (censored) | 5 or more |
| Ivy | B | Think Ahead | 1 Jan 2023, fixed term to 31 Dec | none recorded | 365 (censored) | – |
| Jay | B | university | 1 Feb 2025 | – | 242 (censored) | under 1 |

Kaplan–Meier, everyone (10 spells), in days: 238 Eve leaves, 10 at risk: S = 9/10; 242 Jay
and 365 Ivy and 639 Ann censored; 670 Ben leaves, 6 at risk: S = 9/10 × 5/6 = 3/4; Cat and
Fin censored; 2738 Dan leaves, 3 at risk: S = 3/4 × 2/3 = 1/2 (the median: 2738 days); 2922
Gus leaves, 2 at risk: S = 1/4; Hal censored.

Grown our own (Ann, Ben, Eve): 238 Eve, 3 at risk: 2/3; Ann censored; 670 Ben, 1 at risk: 0.
Median 670 days (1.8 years). Other routes (7): Dan leaves with 3 at risk (2/3), Gus with 2
(1/3): median 2922 days (8.0 years).

Turnover (leavers FTE in the year ÷ in post FTE at the date) by band: under 1 year: Ann and Jay
in post (2.0), Eve left (1.0): 50%; 1 to 2: no one in post, Ben left: no rate; 2 to 5: Cat in
post (0.5), none left: 0%; 5 or more: Fin and Hal in post (2.0), Dan left (1.0): 50%. All:
3.0 ÷ 4.5 = 66.7%. Stability index: Ann, Cat, Fin and Hal of the 5 in post had over a year's
service: 80%. Leavers within 12 months of starting: Eve.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from workforce.careers import retention
from workforce.careers.report_retention import build
from workforce.core.access import scope_for
from workforce.core.models import CensusCode
from workforce.core.services import FIXTURES
from workforce.core.tables import SUPPRESSED_CELL
from workforce.establishment import services
from workforce.establishment.models import EngagementKind, OrgRole, Route
from workforce.establishment.tests.factories import PostFactory, RoleFactory, WorkerFactory
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.selectors import measures_on
from workforce.reports.document import Audience
from workforce.reports.sections import ReportContext, section_for

D = dt.date
ON = D(2025, 9, 30)
YEAR = 365.25


@pytest.fixture
def census_codes(db: None) -> None:
    codes = json.loads((FIXTURES / "census_codes.json").read_text())
    CensusCode.objects.bulk_create(
        CensusCode(list=name, code=code, label=label, order=order)
        for name, values in codes.items()
        for order, (code, label) in enumerate(values)
    )


@pytest.fixture
def world(census_codes: None, personas):
    authority = personas.own_team.authority
    sw = RoleFactory(authority=authority, title="Social worker", org_role=OrgRole.CASE_HOLDER)

    def person(name, team, route, start, *, fte="1.0", left=None, end=None):
        worker = WorkerFactory(authority=authority, first_name=name, route=route)
        post = PostFactory(team=team, role=sw, start=D(2000, 1, 1))
        kind = EngagementKind.FIXED_TERM if end else EngagementKind.PERMANENT
        services.appoint_worker(
            worker=worker, post=post, start=start, fte=Decimal(fte), kind=kind, end=end
        )
        if left:
            services.record_leaver(worker=worker, last_day=left, reason="1")
        return worker

    a, b = personas.own_team, personas.other_team
    person("Ann", a, Route.STEP_UP, D(2024, 1, 1))
    person("Ben", a, Route.FRONTLINE, D(2023, 6, 1), left=D(2025, 3, 31))
    person("Cat", a, Route.UNIVERSITY, D(2021, 1, 1), fte="0.5")
    person("Dan", a, Route.UNIVERSITY, D(2018, 1, 1), left=D(2025, 6, 30))
    person("Eve", b, Route.APPRENTICESHIP, D(2025, 1, 6), left=D(2025, 8, 31))
    person("Fin", b, Route.INTERNATIONAL, D(2019, 4, 1))
    person("Gus", b, Route.UNIVERSITY, D(2015, 1, 1), left=D(2022, 12, 31))
    person("Hal", b, "", D(2010, 1, 1))
    person("Ivy", b, Route.THINK_AHEAD, D(2023, 1, 1), end=D(2024, 1, 1))
    person("Jay", b, Route.UNIVERSITY, D(2025, 2, 1))
    return MetricsFilter(authority_ids=(authority.pk,))


def test_spells_and_their_survival(world) -> None:
    spells = retention.spells(world, ON)
    days = sorted((s.days(ON), s.left) for s in spells)
    assert days == [
        (238, True),
        (242, False),
        (365, False),
        (639, False),
        (670, True),
        (1734, False),
        (2375, False),
        (2738, True),
        (2922, True),
        (5752, False),
    ]
    (everyone,) = retention.curves(
        [retention.Spell(s.worker_id, s.start, s.last_day, s.left, "") for s in spells],
        ON,
        "grown",
    )[1:]
    curve = everyone.curve
    assert curve.events_by(10_000) == 4
    assert curve.at(238 / YEAR) == pytest.approx(9 / 10)
    assert curve.at(670 / YEAR) == pytest.approx(3 / 4)
    assert curve.at(2738 / YEAR) == pytest.approx(1 / 2)
    assert curve.at(2922 / YEAR) == pytest.approx(1 / 4)
    assert curve.at_risk_at(670 / YEAR) == 6
    assert curve.median == pytest.approx(2738 / YEAR)


def test_grown_our_own_against_other_routes(world) -> None:
    grown, other = retention.curves(retention.spells(world, ON), ON, "grown")
    assert (grown.n, grown.leavers, other.n, other.leavers) == (3, 2, 7, 2)
    assert grown.curve.survival.tolist() == pytest.approx([2 / 3, 2 / 3, 0])
    assert grown.curve.median == pytest.approx(670 / YEAR)
    assert other.curve.median == pytest.approx(2922 / YEAR)
    assert grown.retained(2) == 0 and other.retained(2) == 1
    assert retention.grown_our_own_sentence([grown, other]) == (
        "No: grown-our-own starters stay less long than others: half had left by 1.8 years "
        "after starting, against 8.0 years for other routes (3 grown-our-own spells of "
        "employment, 2 ended by leaving; 7 from other routes, 2 ended by leaving)."
    )


def test_cohorts_and_routes(world) -> None:
    spells = retention.spells(world, ON)
    cohorts = {g.label: g.n for g in retention.curves(spells, ON, "cohort")}
    assert cohorts == {
        "Started before 2016": 2,
        "Started in 2018": 1,
        "Started in 2019": 1,
        "Started in 2021": 1,
        "Started in 2023": 2,
        "Started in 2024": 1,
        "Started in 2025": 2,
    }
    routes = {g.key: (g.n, g.leavers) for g in retention.curves(spells, ON, "route")}
    assert routes == {
        "university": (4, 2),
        "step_up": (1, 0),
        "frontline": (1, 1),
        "apprenticeship": (1, 1),
        "think_ahead": (1, 0),
        "international": (1, 0),
        "none": (1, 0),
    }


def test_turnover_by_tenure_band_and_route(world) -> None:
    t = retention.turnover(world, ON)
    bands = {
        r.key: (r.in_post_headcount, r.in_post_fte, r.leavers_headcount, r.leavers_fte)
        for r in t.by_tenure
    }
    assert bands == {
        "under_1": (2, Decimal("2.00"), 1, Decimal("1.00")),
        "1_2": (0, Decimal("0.00"), 1, Decimal("1.00")),
        "2_5": (1, Decimal("0.50"), 0, Decimal("0.00")),
        "5_plus": (2, Decimal("2.00"), 1, Decimal("1.00")),
    }
    rates = {r.key: r.turnover_rate_fte for r in t.by_tenure}
    assert rates == {
        "under_1": Decimal("0.5"),
        "1_2": None,
        "2_5": Decimal(0),
        "5_plus": Decimal("0.5"),
    }
    routes = {r.key: (r.in_post_fte, r.leavers_fte) for r in t.by_route}
    assert routes["university"] == (Decimal("1.50"), Decimal("1.00"))
    assert routes["apprenticeship"] == (Decimal("0.00"), Decimal("1.00"))
    # The whole is the dashboard's figure, and the bands add up to it.
    assert t.totals["leavers_fte"] == Decimal("3.00") == sum(r.leavers_fte for r in t.by_tenure)
    assert t.totals["in_post_fte"] == Decimal("4.50") == sum(r.in_post_fte for r in t.by_tenure)
    assert t.totals["turnover_rate_fte"] == Decimal("3.00") / Decimal("4.50")
    assert t.totals["early_leavers_headcount"] == 1
    assert t.totals["stability_index"] == Decimal("0.8")
    teams = {r.label: r.values for r in t.by_team}
    assert teams["Assessment North"]["leavers_fte"] == Decimal("2.00")  # Ben and Dan
    assert teams["Assessment North"]["stability_index"] == Decimal(1)  # Ann and Cat


def test_stability_index_is_a_registered_measure(world) -> None:
    values = measures_on(where=world, on=ON, keys=["stability_index"])
    assert values.at(0)["stability_index"] == Decimal("0.8")
    assert values.parts["stable_headcount"] == [4]
    # A year earlier (30 September 2024): Ben, Cat, Dan, Fin, Hal in post and Ivy gone; all
    # but Ann (started 1 January 2024) had a year's service: 5 of 6.
    before = measures_on(where=world, on=D(2024, 9, 30), keys=["stability_index"])
    assert before.parts["stable_headcount"] == [5]
    assert before.parts["in_post_headcount"] == [6]


def test_the_page_for_each_persona(world, personas, client) -> None:
    for name, user in personas.all().items():
        client.force_login(user)
        response = client.get("/careers/retention/", {"on": "2025-09-30"})
        assert response.status_code == 200, name
        text = response.content.decode()
        assert "Do grown-our-own routes stay longer?" in text
        for person in ("Ann", "Ben", "Eve"):
            assert f"{person} Example" not in text  # no one named, in any cell or link
        if name == "manager":
            assert "Children in Care South" not in text
            assert "Assessment North" in text
        if name == "board":
            assert "[c]" in text
            assert "Retention: " not in text  # no curve-by-curve tables
        if name == "lead":
            assert "Children in Care South" in text
            assert "Retention: Grown our own" in text
    client.force_login(personas.outsider)
    response = client.get("/careers/retention/", {"on": "2025-09-30"})
    assert response.status_code == 200
    assert "Assessment North" not in response.content.decode()


def test_downloads(world, personas, client) -> None:
    client.force_login(personas.lead)
    response = client.get(
        "/careers/retention/", {"on": "2025-09-30", "table": "turnover-tenure", "format": "csv"}
    )
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[1] == "Under 1 year,2,2.00,1,1.00,50.0"
    assert lines[-1] == "All,5,4.50,3,3.00,66.7"
    response = client.get(
        "/careers/retention/", {"on": "2025-09-30", "table": "km-grown-grown", "format": "xlsx"}
    )
    assert response.status_code == 200
    missing = client.get("/careers/retention/", {"table": "nothing", "format": "csv"})
    assert missing.status_code == 404


def test_the_manager_sees_their_own_teams_spells(world, personas) -> None:
    from workforce.metrics.selectors import filter_for_scope

    scope = scope_for(personas.manager)
    spells = retention.spells(filter_for_scope(scope), ON)
    assert sorted(s.days(ON) for s in spells) == [639, 670, 1734, 2738]


def test_report_section(world, personas) -> None:
    section = section_for("careers.retention")
    assert section is not None and section.title == "Retention"
    for audience, board in ((Audience.INTERNAL, False), (Audience.SCRUTINY_BOARD, True)):
        context = ReportContext(
            authority=personas.own_team.authority,
            scope=scope_for(personas.lead),
            report_date=ON,
            comparison_date=D(2024, 9, 30),
            audience=audience,
        )
        content = build(context)
        assert not content.empty
        # 4 of 5 had over a year's service, so 1 had not: withheld in a board paper.
        stability = content.figures["retention.stability_index"]
        assert stability == ("[c]" if board else Decimal("80.0"))
        # Built on 3 leavers: withheld in a board paper.
        rate = content.figures["retention.turnover.tenure.total.turnover_rate_fte"]
        assert rate == ("[c]" if board else Decimal("66.7"))
        grown = content.figures[
            "retention.grown.grown_our_own_step_up_frontline_apprenticeship.people"
        ]
        assert grown == ("[c]" if board else 3)
        assert ("retention.turnover.team.total.leavers_fte" in content.figures) is not board
    summary = retention.summary_table(
        retention.curves(retention.spells(world, ON), ON, "grown"), title="", key="", board=True
    )
    assert summary.rows[0][1] is SUPPRESSED_CELL and summary.rows[1][1] == 7
