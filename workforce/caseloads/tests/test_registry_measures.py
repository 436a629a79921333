"""Children in care with three or more social workers, and supervision within policy, as
measures of the metrics registry: the caseloads overview's numbers, for any date, monthly series
and team, worked out by hand here."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from workforce.caseloads import measures
from workforce.caseloads.measures import CaseloadFilter
from workforce.caseloads.models import Category, SupervisionPolicy
from workforce.caseloads.tests.factories import (
    allocate,
    case_in,
    social_worker_role,
    supervise,
    worker_in_post,
)
from workforce.establishment.tests.factories import RoleFactory, TeamFactory
from workforce.metrics import selectors
from workforce.metrics.engine import MetricsFilter, Timeline, components
from workforce.metrics.measures import REGISTRY, count_behind, headline_keys

pytestmark = pytest.mark.django_db

JUL, AUG, SEP = dt.date(2025, 7, 31), dt.date(2025, 8, 31), dt.date(2025, 9, 30)
KEYS = ["children_in_care", "three_or_more", "three_or_more_rate", "supervision_compliance"]
d = dt.date


@pytest.fixture
def world(authority: Any) -> dict[str, Any]:
    """Team A: social workers W1–W4; team B: W5–W7. Each of W1–W6 holds a child-in-need case
    from 2024 (W6's allocation ends 15 September 2025); W7 holds nothing.

    Children looked after (their team; social workers allocated in the 12 months to each date):

    | child | team | 31 Jul | 31 Aug | 30 Sep |
    | K1 | A | 1 | 1 | 1 |
    | K2 | A | 2 | 2 | 2 |
    | K3 | A | 2 | 3 (W3 from 10 Aug) | 3 |
    | K4 | A | 3 | 3 | 4 (W4 from 15 Sep) |
    | K5 | B | 3 | 3 | 2 (W4's allocation ended 1 Oct 2024: outside the year) |
    | K6 | B | 0 | 0 | 0 (never allocated) |
    | K7 | B | – | – | 1 (in care from 1 September) |
    | K8 | A | 3 | – | – (left care 1 August) |

    A child-in-need case with three workers in the year is not a child in care.
    """
    team_a = TeamFactory(authority=authority, name="Team A")
    team_b = TeamFactory(authority=authority, name="Team B")
    sw = social_worker_role(authority, title="Social worker")
    w1, w2, w3, w4 = (worker_in_post(team_a, sw) for _ in range(4))
    w5, w6, w7 = (worker_in_post(team_b, sw) for _ in range(3))
    for worker, team in ((w1, team_a), (w2, team_a), (w3, team_a), (w4, team_a), (w5, team_b)):
        allocate(case_in(team), worker, d(2024, 1, 1))
    allocate(case_in(team_b), w6, d(2024, 1, 1), d(2025, 9, 15))

    def in_care(team: Any, spells: list[tuple[Any, dt.date, dt.date | None]], **kw: Any) -> None:
        case = case_in(team, category=Category.LOOKED_AFTER, **kw)
        for worker, start, end in spells:
            allocate(case, worker, start, end)

    in_care(team_a, [(w1, d(2025, 1, 1), None)])  # K1
    in_care(team_a, [(w1, d(2024, 6, 1), d(2025, 3, 1)), (w2, d(2025, 3, 1), None)])  # K2
    in_care(  # K3
        team_a,
        [
            (w1, d(2024, 12, 1), d(2025, 4, 1)),
            (w2, d(2025, 4, 1), d(2025, 8, 10)),
            (w3, d(2025, 8, 10), None),
        ],
    )
    in_care(  # K4
        team_a,
        [
            (w1, d(2024, 11, 1), d(2025, 2, 1)),
            (w2, d(2025, 2, 1), d(2025, 5, 1)),
            (w3, d(2025, 5, 1), d(2025, 9, 15)),
            (w4, d(2025, 9, 15), None),
        ],
    )
    in_care(  # K5
        team_b,
        [
            (w4, d(2024, 8, 1), d(2024, 10, 1)),
            (w6, d(2024, 10, 1), d(2025, 3, 1)),
            (w5, d(2025, 3, 1), None),
        ],
    )
    in_care(team_b, [])  # K6
    in_care(team_b, [(w5, d(2025, 9, 1), None)], opened=d(2025, 9, 1))  # K7
    in_care(  # K8
        team_a,
        [
            (w1, d(2025, 1, 1), d(2025, 2, 1)),
            (w2, d(2025, 2, 1), d(2025, 3, 1)),
            (w3, d(2025, 3, 1), d(2025, 8, 1)),
        ],
        closed=d(2025, 8, 1),
    )
    not_in_care = case_in(team_a)
    for worker, month in ((w1, 1), (w2, 3), (w3, 5)):
        allocate(not_in_care, worker, d(2025, month, 1), d(2025, month + 1, 1))

    # Supervision, at most 31 days apart (the default policy); due = last session + 31 days.
    for worker, days in (
        (w1, [d(2025, 7, 20), d(2025, 8, 20), d(2025, 9, 20)]),  # within at every date
        (w2, [d(2025, 7, 10), d(2025, 8, 15)]),  # due 15 Sep: overdue on 30 Sep
        (w3, [d(2025, 7, 25), d(2025, 9, 1)]),  # due 25 Aug: overdue on 31 Aug only
        (w5, [d(2025, 6, 1), d(2025, 9, 29)]),  # overdue until 29 Sep
        (w6, [d(2025, 6, 1)]),  # overdue; holds no case on 30 Sep
        (w7, [d(2025, 9, 29)]),  # holds no case: not counted
    ):
        for day in days:
            supervise(worker, day)
    # W4: never supervised, in post since 2020: overdue.
    return {"authority": authority, "a": team_a, "b": team_b, "role": sw}


# By hand: (children in care, with 3 or more workers) and (case holders, within policy).
CHILDREN = {
    None: {JUL: (7, 3), AUG: (6, 3), SEP: (7, 2)},
    "a": {JUL: (5, 2), AUG: (4, 2), SEP: (4, 2)},
    "b": {JUL: (2, 1), AUG: (2, 1), SEP: (3, 0)},
}
SUPERVISION = {
    None: {JUL: (6, 3), AUG: (6, 2), SEP: (5, 3)},
    "a": {JUL: (4, 3), AUG: (4, 2), SEP: (4, 2)},
    "b": {JUL: (2, 0), AUG: (2, 0), SEP: (1, 1)},
}


def _filters(world: dict[str, Any], team: str | None) -> tuple[MetricsFilter, CaseloadFilter]:
    authorities = (world["authority"].pk,)
    teams = None if team is None else (world[team].pk,)
    return (
        MetricsFilter(authority_ids=authorities, team_ids=teams),
        CaseloadFilter(authority_ids=authorities, team_ids=teams),
    )


@pytest.mark.parametrize("team", [None, "a", "b"])
@pytest.mark.parametrize("on", [JUL, AUG, SEP])
def test_registry_equals_the_hand_count_and_the_caseloads_overview(world, team, on):
    where, caseload_where = _filters(world, team)
    values = selectors.measures_on(where=where, on=on, keys=KEYS).at(0)
    children, three_plus = CHILDREN[team][on]
    holders, within = SUPERVISION[team][on]
    assert values["children_in_care"] == children
    assert values["three_or_more"] == three_plus
    assert values["three_or_more_rate"] == Decimal(three_plus) / Decimal(children)
    assert values["supervision_compliance"] == Decimal(within) / Decimal(holders)

    overview = measures.caseload_overview(caseload_where, on)
    assert values["children_in_care"] == overview.changes.children_in_care
    assert values["three_or_more"] == overview.changes.three_or_more
    assert values["three_or_more_rate"] == overview.changes.share_three_or_more
    assert values["supervision_compliance"] == overview.compliance.rate
    compliance = overview.compliance
    assert (holders, within) == (compliance.case_holders, compliance.within_policy)


def test_hand_rates_exactly(world):
    where, _ = _filters(world, None)
    values = selectors.measures_on(where=where, on=SEP, keys=KEYS).at(0)
    assert values["three_or_more_rate"] == Decimal(2) / Decimal(7)
    assert values["supervision_compliance"] == Decimal("0.6")
    team_b, _ = _filters(world, "b")
    at_b = selectors.measures_on(where=team_b, on=SEP, keys=KEYS).at(0)
    assert at_b["three_or_more_rate"] == 0
    assert at_b["supervision_compliance"] == 1


@pytest.mark.parametrize("team", [None, "a", "b"])
def test_a_monthly_series_equals_each_dates_figures(world, team):
    where, _ = _filters(world, team)
    series = selectors.monthly_series(where=where, last=SEP, months=3, keys=KEYS)
    assert series.dates == [JUL, AUG, SEP]
    for i, on in enumerate(series.dates):
        single = selectors.measures_on(where=where, on=on, keys=KEYS).at(0)
        assert series.at(i) == single, on
        assert series.parts["supervision_case_holders"][i] == SUPERVISION[team][on][0]
        assert series.parts["supervision_within_policy"][i] == SUPERVISION[team][on][1]


def test_a_team_managers_filter_gives_their_teams_figures(world):
    both, _ = _filters(world, None)
    team_a, _ = _filters(world, "a")
    whole = selectors.measures_on(where=both, on=SEP, keys=KEYS).at(0)
    mine = selectors.measures_on(where=team_a, on=SEP, keys=KEYS).at(0)
    assert mine["three_or_more_rate"] == Decimal(2) / Decimal(4)
    assert mine["supervision_compliance"] == Decimal(2) / Decimal(4)
    assert mine != whole


def test_breakdown_by_team_gives_each_teams_figures(world):
    where, _ = _filters(world, None)
    timeline = Timeline.monthly(SEP, 3)
    names = ["children_in_care", "three_or_more", "supervision_case_holders"]
    by_team = components(names, where=where, timeline=timeline, by="team")
    for team in ("a", "b"):
        pk = world[team].pk
        dates = [JUL, AUG, SEP]
        assert by_team["children_in_care"][pk] == [CHILDREN[team][on][0] for on in dates]
        assert by_team["three_or_more"][pk] == [CHILDREN[team][on][1] for on in dates]
        assert by_team["supervision_case_holders"][pk] == [SUPERVISION[team][on][0] for on in dates]


def test_children_have_no_role(world):
    where = MetricsFilter(authority_ids=(world["authority"].pk,), role_ids=(world["role"].pk,))
    values = selectors.measures_on(where=where, on=SEP, keys=KEYS).at(0)
    assert values["children_in_care"] is None and values["three_or_more_rate"] is None
    assert values["supervision_compliance"] == Decimal("0.6")  # every case holder is a SW
    other = RoleFactory(authority=world["authority"], title="Manager")
    where = MetricsFilter(authority_ids=(world["authority"].pk,), role_ids=(other.pk,))
    assert selectors.measures_on(where=where, on=SEP, keys=KEYS).at(0) == {
        "children_in_care": None,
        "three_or_more": None,
        "three_or_more_rate": None,
        "supervision_compliance": None,
    }


def test_the_authoritys_own_supervision_policy_applies(world):
    SupervisionPolicy.objects.create(authority=world["authority"], standard_days=50)
    where, caseload_where = _filters(world, None)
    value = selectors.measures_on(where=where, on=SEP, keys=KEYS).at(0)["supervision_compliance"]
    assert value == Decimal("0.8")  # W2's 15 August session now lasts to 4 October
    overview = measures.caseload_overview(caseload_where, SEP)
    assert value == overview.compliance.rate


def test_metrics_command_gives_the_counts_behind_the_rates(world):
    out = io.StringIO()
    code = world["authority"].code
    call_command("metrics", "--date", SEP.isoformat(), "--authority", code, "--json", stdout=out)
    data = json.loads(out.getvalue())
    three = data["measures"]["three_or_more_rate"]
    assert (three["numerator"], three["denominator"]) == (2, 7)
    assert three["numerator_is"] == "three_or_more"
    assert three["shown"] == 28.6
    supervision = data["measures"]["supervision_compliance"]
    assert (supervision["numerator"], supervision["denominator"]) == (3, 5)
    assert supervision["shown"] == 60.0
    section = data["caseloads"]
    assert section["children_in_care_3_plus_social_workers_rate"] == three["value"]
    assert section["supervision_compliance"] == supervision["value"]


def test_the_measures_are_described_for_board_mode_and_kept_off_the_headline():
    three, supervision = REGISTRY["three_or_more_rate"], REGISTRY["supervision_compliance"]
    assert (three.label, three.better, three.is_rate) == (
        "Children with 3 or more social workers",
        "lower",
        True,
    )
    assert (supervision.label, supervision.better) == ("Supervision within policy", "higher")
    assert count_behind("three_or_more_rate") == "three_or_more"
    assert count_behind("supervision_compliance") == "supervision_within_policy"
    assert count_behind("children_in_care") == "children_in_care"
    assert not {"three_or_more_rate", "supervision_compliance"} & set(headline_keys())
