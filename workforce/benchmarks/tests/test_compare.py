"""The comparison of authorities: quartiles, median and rank worked out by hand on a small
fixture, suppressed values shown with their reason, the live figure of the user's own authority
beside its published one, Slough's published agency rate as in DfE's file, and the page, its
downloads and the report section."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from workforce.benchmarks import importers
from workforce.benchmarks import selectors_compare as selectors
from workforce.benchmarks.models import (
    Area,
    AreaLevel,
    ComparatorGroup,
    NotAvailable,
    PublishedValue,
    Release,
    StatisticalNeighbour,
)
from workforce.benchmarks.services import REFERENCE, create_group
from workforce.conftest import Personas
from workforce.core.access import scope_for
from workforce.core.models import Authority
from workforce.establishment import services as establishment
from workforce.establishment.tests.factories import RoleFactory, TeamFactory

AGENCY = "csww.agency_rate_fte"
D = Decimal


# --- Arithmetic, by hand -------------------------------------------------------------------------


def test_quartiles_of_five_values_are_the_second_middle_and_fourth() -> None:
    s = selectors.spread([D(50), D(10), None, D(40), D(20), D(30)])
    assert (s.lower, s.median, s.upper) == (D(20), D(30), D(40))
    assert (s.count, s.of) == (5, 6)


def test_quartiles_of_four_values_are_read_between_them() -> None:
    # Positions (4 − 1) × 0.25 = 0.75, × 0.5 = 1.5, × 0.75 = 2.25 of 1, 2, 3, 4.
    s = selectors.spread([D(4), D(1), D(3), D(2)])
    assert (s.lower, s.median, s.upper) == (D("1.75"), D("2.5"), D("3.25"))


def test_no_values_give_no_quartiles_not_zero() -> None:
    s = selectors.spread([None, None])
    assert (s.lower, s.median, s.upper, s.count, s.of) == (None, None, None, 0, 2)


def test_rank_is_one_for_the_best_and_ties_share_it() -> None:
    values = [D(5), D(3), D(3), D(8)]
    assert selectors.rank(D(3), values, higher_is_better=False) == 1
    assert selectors.rank(D(5), values, higher_is_better=False) == 3
    assert selectors.rank(D(8), values, higher_is_better=False) == 4
    assert selectors.rank(D(8), values, higher_is_better=True) == 1
    assert selectors.rank(D(3), values, higher_is_better=True) == 3


# --- A small published world ---------------------------------------------------------------------


def _area(code: str, name: str, level: str = AreaLevel.LOCAL_AUTHORITY, **extra: object) -> Area:
    return Area.objects.create(code=code, name=name, level=level, **extra)


def publish(values: dict[tuple[str, int], Decimal | str]) -> Release:
    """One release of the agency rate: `(area code, year) → value or DfE's symbol`."""
    release = Release.objects.create(
        publication="csww",
        filename="small.csv",
        sha256=str(len(values)).rjust(64, "0"),
        loaded_at=timezone.now(),
        rows=len(values),
    )
    for (code, year), value in values.items():
        PublishedValue.objects.create(
            release=release,
            area=Area.objects.get(code=code),
            year=year,
            measure=AGENCY,
            value=value if isinstance(value, Decimal) else None,
            not_available=value if isinstance(value, str) else "",
        )
    return release


@pytest.fixture
def small(db: None, authority: Authority) -> dict[str, Area]:
    """England, a region, our authority (code 999, linked) with three neighbours, one more
    authority outside the group; agency rates in 2024 and 2025, one suppressed."""
    england = _area("E92000001", "England", AreaLevel.NATIONAL)
    region = _area("E12000005", "West Midlands", AreaLevel.REGIONAL)
    own = _area("999", "Exampleshire", region=region, authority=authority)
    a = _area("901", "Aford", region=region)
    b = _area("902", "Bton", region=region)
    c = _area("903", "Cbury", region=region)
    far = _area("904", "Dwick", region=region)
    release = publish(
        {
            ("999", 2024): D("20.0"),
            ("999", 2025): D("25.0"),
            ("901", 2024): D("10.0"),
            ("901", 2025): D("12.0"),
            ("902", 2024): D("30.0"),
            ("902", 2025): NotAvailable.CONFIDENTIAL,
            ("903", 2024): D("40.0"),
            ("903", 2025): D("30.0"),
            ("904", 2024): D("5.0"),
            ("904", 2025): D("25.0"),
            ("E12000005", 2025): D("18.0"),
            ("E92000001", 2025): D("15.0"),
        }
    )
    for rank, neighbour in enumerate((a, b, c), start=1):
        StatisticalNeighbour.objects.create(
            release=release, area=own, rank=rank, neighbour=neighbour, closeness="Close"
        )
    return {"england": england, "region": region, "own": own, "a": a, "b": b, "c": c, "far": far}


def test_the_comparison_works_out_quartiles_and_rank_by_hand(
    small: dict[str, Area], personas: Personas
) -> None:
    scope = scope_for(personas.board)
    c = selectors.comparison(scope, headline="agency", area=small["own"], group=None)
    assert [r.year for r in c.rows] == [2024, 2025]
    y2024, y2025 = c.rows
    # 2024: neighbours 10, 30, 40 → quartiles at 0.5 and 1.5: 20, 30, 35.
    assert (y2024.group.lower, y2024.group.median, y2024.group.upper) == (D(20), D(30), D(35))
    # 2024: all authorities 20 (own), 10, 30, 40, 5: lower is better, 20 is third of five.
    assert (y2024.rank, y2024.ranked) == (3, 5)
    # 2025: Bton is suppressed: neighbours 12 and 30 → 16.5, 21, 25.5; of three members.
    assert (y2025.group.lower, y2025.group.median, y2025.group.upper) == (
        D("16.5"),
        D(21),
        D("25.5"),
    )
    assert (y2025.group.count, y2025.group.of) == (2, 3)
    # 2025: 25 (own), 12, 30, 25 (Dwick): 25 ties second with Dwick, of four with a value.
    assert (y2025.rank, y2025.ranked) == (2, 4)
    assert y2025.region.value == D(18) and y2025.england.value == D(15)
    assert not y2024.england.known and y2024.england.reason == selectors.NOT_PUBLISHED


def test_a_suppressed_value_shows_its_reason_never_zero(
    small: dict[str, Area], personas: Personas
) -> None:
    c = selectors.comparison(
        scope_for(personas.board), headline="agency", area=small["own"], group=None
    )
    members = selectors.members_table(c)
    bton = next(r for r in members.rows if r[0] == "Bton")
    assert bton[2] is None
    assert bton[3] == "Suppressed to protect confidentiality"
    assert members.page_rows[-1][2].text == "–"  # the suppressed one last, shown as a dash
    # The members are ordered best first: Aford 12, Cbury 30, then Bton without a value.
    assert [r[0] for r in members.rows] == ["Aford", "Cbury", "Bton"]
    assert [r[4] for r in members.rows] == ["1 of 4", "4 of 4", ""]


def test_the_summary_table_gives_rates_as_percentages(
    small: dict[str, Area], personas: Personas
) -> None:
    c = selectors.comparison(
        scope_for(personas.board), headline="agency", area=small["own"], group=None
    )
    table = selectors.summary_table(c)
    shown = {row[0].text: row[1].text for row in table.page_rows}
    assert shown["Exampleshire"] == "25.0%"
    assert shown["Statistical neighbours (2 of 3 with a value): median"] == "21.0%"
    assert shown["West Midlands"] == "18.0%"
    assert shown["England"] == "15.0%"
    assert "25.0" in table.csv()


def test_a_comparator_group_replaces_the_neighbours(
    small: dict[str, Area], personas: Personas, authority: Authority
) -> None:
    group = create_group(authority=authority, name="Far and near", areas=[small["far"], small["a"]])
    c = selectors.comparison(
        scope_for(personas.board), headline="agency", area=small["own"], group=group
    )
    # 2025: Dwick 25, Aford 12 → median 18.5.
    assert c.rows[-1].group.median == D("18.5")
    assert c.group_name == "Far and near"


# --- Live beside published -----------------------------------------------------------------------


def _staff(authority: Authority, on: dt.date) -> None:
    """One permanent social worker and one agency worker, both full time, from `on`."""
    team = TeamFactory(authority=authority)
    role = RoleFactory(authority=authority)
    posts = [
        establishment.create_post(
            authority=authority, team=team, role=role, reference=f"P{n}", fte=D(1), start=on
        )
        for n in (1, 2)
    ]
    permanent = establishment.create_worker(
        authority=authority, staff_number="S1", first_name="Perm", last_name="Anent"
    )
    establishment.appoint_worker(worker=permanent, post=posts[0], start=on, fte=D(1))
    agency = establishment.create_worker(
        authority=authority, staff_number="S2", first_name="Age", last_name="Ncy"
    )
    establishment.start_agency_assignment(
        worker=agency,
        post=posts[1],
        start=on,
        fte=D(1),
        agency_name="Locums Ltd",
        charge_rate=None,
        covers="vacancy",
    )


def test_the_own_authority_sees_its_live_figure_beside_the_published_one(
    small: dict[str, Area], personas: Personas, authority: Authority
) -> None:
    _staff(authority, dt.date(2024, 1, 1))
    c = selectors.comparison(
        scope_for(personas.lead), headline="agency", area=small["own"], group=None
    )
    live = c.live
    assert live is not None
    today = timezone.localdate()
    last = (
        dt.date(today.year, 9, 30)
        if today >= dt.date(today.year, 9, 30)
        else dt.date(today.year - 1, 9, 30)
    )
    assert live.last_day == last
    assert live.live_last.value == D(50)  # 1 agency ÷ (1 agency + 1 in post)
    assert live.published_year == 2025 and live.published.value == D(25)
    assert live.live_then.value == D(50)
    assert "30 September 2025" in live.explanation
    assert "records entered or corrected since" in live.explanation
    table = selectors.live_table(c)
    assert table is not None
    difference = table.rows[-1]
    assert difference[0].startswith("Difference") and difference[1] == D("0.25")


def test_another_authority_has_no_live_figure(
    small: dict[str, Area], personas: Personas, authority: Authority
) -> None:
    _staff(authority, dt.date(2024, 1, 1))
    c = selectors.comparison(
        scope_for(personas.lead), headline="agency", area=small["a"], group=None
    )
    assert c.live is None and c.live_note == ""


def test_an_authority_dfe_does_not_publish_compares_its_live_figures_with_its_group(
    small: dict[str, Area], personas: Personas, authority: Authority
) -> None:
    Area.objects.filter(code="999").update(authority=None)
    _staff(authority, dt.date(2024, 1, 1))
    group = create_group(authority=authority, name="Near", areas=[small["a"], small["c"]])
    c = selectors.comparison(scope_for(personas.lead), headline="agency", area=None, group=group)
    row2025 = next(r for r in c.rows if r.year == 2025)
    assert row2025.own.value == D(50)  # live
    assert row2025.group.median == D(21)  # 12 and 30
    # Its live 50% ranks last of the four authorities with a published 2025 value.
    assert (row2025.rank, row2025.ranked) == (5, 4)
    assert c.region is not None and c.region.name == "West Midlands"


# --- Slough in DfE's file ------------------------------------------------------------------------


@pytest.mark.django_db
def test_slough_agency_rate_2017_to_2025_is_as_published(personas: Personas) -> None:
    name = "csww_indicators_2017_to_2025.csv"
    outcome = importers.read((REFERENCE / name).read_bytes(), apply=True, filename=name)
    assert not outcome.error_count
    with (REFERENCE / name).open(newline="", encoding="utf-8-sig") as f:
        expected = {
            int(row["time_period"]): D(row["agency_rate_fte"])
            for row in csv.DictReader(f)
            if row["old_la_code"] == "871"
        }
    assert sorted(expected) == list(range(2017, 2026))
    slough = Area.objects.get(code="871")
    c = selectors.comparison(scope_for(personas.board), headline="agency", area=slough, group=None)
    assert {r.year: r.own.value for r in c.rows} == expected
    assert all(r.rank is not None and r.ranked > 140 for r in c.rows)


# --- Pages ---------------------------------------------------------------------------------------


def _get(user: Any, url: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("who", ["board", "analyst", "lead", "admin"])
def test_each_persona_who_reads_benchmarks_opens_the_page(
    small: dict[str, Area], personas: Personas, who: str
) -> None:
    response = _get(
        getattr(personas, who), reverse("benchmarks:compare") + "?area=999&measure=agency"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Aford" in text and "Suppressed to protect confidentiality" in text
    assert "ranks 2 of 4" in text


def test_the_page_downloads_each_table(small: dict[str, Area], personas: Personas) -> None:
    base = reverse("benchmarks:compare") + "?area=999&measure=agency"
    for key in ("summary", "trend", "members"):
        response = _get(personas.board, f"{base}&table={key}&format=csv")
        assert response.status_code == 200, key
        assert response["Content-Type"].startswith("text/csv")
    xlsx = _get(personas.board, f"{base}&table=trend&format=xlsx")
    assert xlsx.status_code == 200
    assert _get(personas.board, f"{base}&table=nothing&format=csv").status_code == 404


def test_bad_choices_are_named_not_an_error(small: dict[str, Area], personas: Personas) -> None:
    response = _get(
        personas.board, reverse("benchmarks:compare") + "?area=zzz&measure=bad&compare=7"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose the authority from the list." in text
    assert "Choose the measure from the list." in text
    assert "Choose what to compare with from the list." in text


def test_the_page_without_published_statistics_says_so(personas: Personas) -> None:
    response = _get(personas.board, reverse("benchmarks:compare"))
    assert response.status_code == 200
    assert "statistics are not loaded" in response.content.decode()


# --- Comparator groups ---------------------------------------------------------------------------


def _post(user: Any, url: str, data: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(url, data)


def test_a_lead_creates_changes_and_deletes_a_group(
    small: dict[str, Area], personas: Personas, authority: Authority
) -> None:
    new = reverse("benchmarks:group_new")
    response = _post(personas.lead, new, {"name": "Core", "areas": [small["a"].pk, small["b"].pk]})
    assert response.status_code == 302
    group = ComparatorGroup.objects.get(authority=authority, name="Core")
    assert {m.area.code for m in group.members.all()} == {"901", "902"}
    change = reverse("benchmarks:group_change", kwargs={"comparator_group_id": group.pk})
    response = _post(personas.lead, change, {"name": "Core two", "areas": [small["c"].pk]})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Core two"
    assert [m.area.code for m in group.members.all()] == ["903"]
    delete = reverse("benchmarks:group_delete", kwargs={"comparator_group_id": group.pk})
    assert _post(personas.lead, delete, {}).status_code == 302
    assert not ComparatorGroup.objects.filter(pk=group.pk).exists()


def test_the_group_form_names_the_field_it_refuses(
    small: dict[str, Area], personas: Personas, authority: Authority
) -> None:
    create_group(authority=authority, name="Taken", areas=[small["a"]])
    new = reverse("benchmarks:group_new")
    cases = [
        ({"name": "", "areas": [small["a"].pk]}, "Enter a name for the group"),
        ({"name": "Empty"}, "Choose at least one of the authorities in the group."),
        (
            {"name": "Odd", "areas": ["nonsense"]},
            "Choose the authorities in the group from the list.",
        ),
        (
            {"name": "Region", "areas": [small["region"].pk]},
            "Choose the authorities in the group from the list.",
        ),
        ({"name": "Taken", "areas": [small["a"].pk]}, "There is already a group called Taken."),
        ({"name": "x" * 81, "areas": [small["a"].pk]}, "The name must be 80 characters or fewer."),
    ]
    for data, message in cases:
        response = _post(personas.lead, new, data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert ComparatorGroup.objects.filter(authority=authority).count() == 1


def test_board_members_read_groups_but_cannot_change_them(
    small: dict[str, Area], personas: Personas, authority: Authority
) -> None:
    group = create_group(authority=authority, name="Core", areas=[small["a"]])
    assert _get(personas.board, reverse("benchmarks:groups")).status_code == 200
    assert _get(personas.board, reverse("benchmarks:group_new")).status_code == 403
    change = reverse("benchmarks:group_change", kwargs={"comparator_group_id": group.pk})
    assert _get(personas.board, change).status_code == 403
    assert _get(personas.outsider, change).status_code == 404  # another authority's lead


def test_a_user_chooses_only_their_own_authority_s_groups(
    small: dict[str, Area], personas: Personas, other_authority: Authority
) -> None:
    theirs = create_group(authority=other_authority, name="Theirs", areas=[small["a"]])
    url = reverse("benchmarks:compare") + f"?area=999&measure=agency&compare={theirs.pk}"
    text = _get(personas.board, url).content.decode()
    assert "Choose what to compare with from the list." in text


# --- Report section ------------------------------------------------------------------------------


def test_the_report_section_compares_key_measures(
    small: dict[str, Area], personas: Personas, authority: Authority
) -> None:
    from workforce.benchmarks import report_compare
    from workforce.reports.document import Audience, ChartBlock
    from workforce.reports.sections import ReportContext, section_for

    assert section_for("benchmarks.comparison") is not None
    context = ReportContext(
        authority=authority,
        scope=scope_for(personas.lead),
        report_date=dt.date(2026, 3, 31),
        comparison_date=dt.date(2025, 3, 31),
        audience=Audience.SCRUTINY_BOARD,
    )
    content = report_compare.build(context)
    chart = next(b for b in content.blocks if isinstance(b, ChartBlock))
    agency = next(r for r in chart.table.rows if r[0] == "Agency worker rate")
    assert agency[1:5] == ["30 September 2025", D("0.25"), D("0.21"), D("0.15")]
    assert agency[5] == "2 of 4"
    assert content.figures["benchmarks.rates.agency_worker_rate.own"] == D("25.0")
