"""One number: every page and download shows the figures layer's value for the same question.

For generated histories (posts in two teams and three roles, people coming and going, agency
cover, leavers, absences and allocated cases), the Teams page, the establishment table, the
dashboard's headline and its team and role breakdowns, the home page and the caseloads overview,
and their downloads, must show exactly the value the figures layer gives for the same scope,
filter and date, rounded once, half up, as displayed. Additive figures' team rows must add up to
the whole authority.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce.caseloads import measures as caseload_measures
from workforce.caseloads.measures import CaseloadFilter
from workforce.caseloads.tests.factories import allocate, case_in
from workforce.core.access import scope_for
from workforce.core.models import UserRole
from workforce.core.tests.downloads import csv_rows
from workforce.core.tests.factories import UserFactory
from workforce.establishment.models import Engagement
from workforce.metrics import selectors as metrics
from workforce.metrics.measures import REGISTRY, Unit
from workforce.metrics.tests.test_properties import EPOCH, build, layouts

pytestmark = pytest.mark.django_db

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")
# Additive across teams: the rows add up to the whole (docs/definitions.md, figures across teams).
ADDITIVE = ("establishment_fte", "in_post_fte", "agency_fte", "leavers_fte", "cases_held")

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
cases = st.lists(st.tuples(st.integers(0, 1), st.integers(0, 30), st.integers(0, 900)), max_size=8)


def shown(key: str, value: Any) -> Decimal | None:
    """A measure's value as every page and download shows it: rounded once, half up."""
    if value is None:
        return None
    measure = REGISTRY[key]
    if measure.unit == Unit.RATE:
        return (Decimal(str(value)) * 100).quantize(ONE_PLACE, ROUND_HALF_UP)
    if measure.unit == Unit.FTE:
        return Decimal(str(value)).quantize(TWO_PLACES, ROUND_HALF_UP)
    if measure.unit == Unit.COUNT and measure.denominator:
        return Decimal(str(value)).quantize(ONE_PLACE, ROUND_HALF_UP)
    if measure.unit == Unit.COUNT:
        return Decimal(value)
    return Decimal(str(value)).quantize(ONE_PLACE, ROUND_HALF_UP)


def number(cell: str) -> Decimal | None:
    cell = cell.replace(",", "").replace("%", "").strip()
    return None if cell in ("", "–", "-") else Decimal(cell)


def table_of(response: Any) -> tuple[list[str], dict[str, list[str]]]:
    """A CSV download as its heading and its rows by first cell."""
    rows = csv_rows(response)
    return rows[0], {row[0]: row for row in rows[1:] if row}


def add_cases(authority: Any, teams: list[Any], layout: list[tuple[int, int, int]]) -> None:
    """Cases in either team, allocated (from a day) to whoever held a post then, if anyone."""
    engagements = list(Engagement.objects.filter(authority=authority).order_by("pk"))
    for team_i, holder, day in layout:
        opened = EPOCH + dt.timedelta(days=day)
        case = case_in(teams[team_i], opened=opened)
        held = [e for e in engagements if e.start <= opened and (e.end is None or e.end > opened)]
        if held:
            allocate(case, held[holder % len(held)].worker, opened, held[holder % len(held)].end)


def lead_of(authority: Any) -> Client:
    client = Client()
    client.force_login(UserFactory(authority=authority, role=UserRole.WORKFORCE_LEAD))
    return client


@SETTINGS
@given(layout=layouts, case_layout=cases)
def test_every_page_and_download_shows_the_figures_layers_number(authority, layout, case_layout):
    with transaction.atomic():
        _, teams = build(authority, layout)
        add_cases(authority, teams, case_layout)
        on = EPOCH + dt.timedelta(days=layout["on"])
        client = lead_of(authority)
        scope = scope_for(_user(client))
        census = metrics.filter_for_scope(scope)
        every_role = metrics.filter_for_scope(scope, census_only=False)
        query = {"on": on.isoformat(), "format": "csv"}

        # The Teams page and its download: every role, by team, and the teams together.
        whole_all = metrics.measures_on(where=every_role, on=on).at(0)
        by_team_all = {
            r.label: r.values for r in metrics.breakdown(where=every_role, on=on, by="team")
        }
        heading, rows = table_of(client.get(reverse("establishment:teams"), query))
        columns = {
            "Budgeted FTE": "establishment_fte",
            "In post FTE": "in_post_fte",
            "Agency FTE": "agency_fte",
            "Vacancy FTE": "vacancy_fte",
        }
        for team in teams:
            for label, key in columns.items():
                cell = rows[team.name][heading.index(label)]
                expected = shown(key, by_team_all.get(team.name, {}).get(key, Decimal(0)))
                assert number(cell) == expected, (team.name, label)
        together = next(r for name, r in rows.items() if name not in {t.name for t in teams})
        for label, key in columns.items():
            assert number(together[heading.index(label)]) == shown(key, whole_all[key]), label

        # The establishment table's totals: the same whole, every role.
        heading, rows = table_of(client.get(reverse("establishment:table"), query))
        total = rows["Total"]
        assert number(total[heading.index("Establishment")]) == shown(
            "establishment_fte", whole_all["establishment_fte"]
        )
        assert number(total[heading.index("Agency")]) == shown(
            "agency_fte", whole_all["agency_fte"]
        )
        assert number(total[heading.index("Vacant")]) == shown(
            "vacancy_fte", whole_all["vacancy_fte"]
        )

        # The dashboard's headline, and its team and role breakdowns with their downloads.
        page = client.get(reverse("metrics:dashboard"), {"on": on.isoformat()})
        headline = metrics.headline(where=census, on=on)
        tiles = {tile.measure.key: tile for tile in page.context["headline"].tiles}
        for tile in headline.tiles:
            assert tiles[tile.measure.key].value == tile.value, tile.measure.key
        whole = metrics.measures_on(where=census, on=on).at(0)
        for by in ("team", "role"):
            expected_rows = {
                r.label: r.values for r in metrics.breakdown(where=census, on=on, by=by)
            }
            heading, rows = table_of(
                client.get(reverse("metrics:download", kwargs={"what": f"{by}s"}), query)
            )
            for label, values in expected_rows.items():
                for key in metrics.BREAKDOWN:
                    cell = rows[label][heading.index(_heading(key, heading))]
                    assert number(cell) == shown(key, values[key]), (by, label, key)
            if by == "team":
                for key in ADDITIVE:
                    summed = sum(
                        (Decimal(str(v[key] or 0)) for v in expected_rows.values()), Decimal(0)
                    )
                    assert summed == Decimal(str(whole[key] or 0)), key

        # The home page: today's headline for the same scope.
        home = client.get(reverse("home"))
        today = metrics.headline(where=census, on=dt.date.today(), keys=_home_keys(home))
        shown_home = {t.measure.key: t.value for p in home.context["panels"] for t in _tiles(p)}
        assert shown_home == {t.measure.key: t.value for t in today.tiles}

        # The caseloads overview: cases held and average caseload as the figures layer says.
        summary = caseload_measures.caseload_summary(CaseloadFilter.for_scope(scope), on)
        overview = client.get(reverse("caseloads:overview"), {"on": on.isoformat()})
        assert overview.context["summary"].cases_held == summary.cases_held
        assert overview.context["summary"].average_caseload == summary.average_caseload
        assert summary.cases_held == whole["cases_held"]
        transaction.set_rollback(True)


def _user(client: Client) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def _heading(key: str, heading: list[str]) -> str:
    label = REGISTRY[key].label
    return next(h for h in heading if h == label or h.startswith(f"{label} ("))


def _tiles(panel: Any) -> list[Any]:
    headline = panel.context.get("headline")
    return list(headline.tiles) if headline is not None else []


def _home_keys(home: Any) -> list[str]:
    return [t.measure.key for p in home.context["panels"] for t in _tiles(p)]


def test_expected_newly_qualified_is_one_number_on_the_page_its_download_and_the_report(
    personas: Any,
) -> None:
    """The recruitment reports page's panel, its download and the board report's figure
    `recruitment.newly_qualified.expected` give the number careers' trainees give: by hand, 3
    open trainees due in the window to 30 September 2026 (one on its first day, one on its last),
    not the withdrawn one nor the one due on 1 October."""
    from workforce.careers import selectors_programmes as careers
    from workforce.careers import services_programmes as trainees
    from workforce.establishment.tests.factories import WorkerFactory
    from workforce.recruitment.expected import FIGURE
    from workforce.reports.document import Audience
    from workforce.reports.sections import ReportContext, section_for

    on = dt.date(2026, 3, 2)
    team = personas.own_team
    for due in (on, dt.date(2026, 7, 31), dt.date(2026, 9, 30), dt.date(2026, 10, 1)):
        trainees.add_trainee(
            worker=WorkerFactory(authority=team.authority),
            team=team,
            route="step_up",
            start=dt.date(2024, 9, 2),
            expected_qualification=due,
        )
    withdrawn = trainees.add_trainee(
        worker=WorkerFactory(authority=team.authority),
        team=team,
        route="frontline",
        start=dt.date(2024, 9, 2),
        expected_qualification=dt.date(2026, 7, 31),
    )
    trainees.record_withdrawn(trainee=withdrawn, on=dt.date(2025, 6, 30), reason="health")
    client = Client()
    client.force_login(personas.lead)
    scope = scope_for(personas.lead)

    page = client.get(reverse("recruitment:reports"), {"on": on.isoformat()})
    download = csv_rows(
        client.get(
            reverse("recruitment:report_download"),
            {"table": "newly_qualified", "format": "csv", "on": on.isoformat()},
        )
    )
    section = section_for("recruitment.progress")
    assert section is not None
    figure = section.build(
        ReportContext(
            authority=team.authority,
            scope=scope,
            report_date=on,
            comparison_date=dt.date(2025, 3, 2),
            audience=Audience.INTERNAL,
        )
    ).figures[FIGURE]
    counted = careers.expected_newly_qualified(
        authority=team.authority, start=on, end=dt.date(2026, 10, 1)
    )

    assert page.context["newly_qualified"].total == 3
    assert "we expect 3 newly qualified social workers" in page.content.decode()
    assert download[-1] == ["Total", "", "", "3"]
    assert figure == counted == 3


def test_recruitment_by_period_is_one_number_on_the_page_its_downloads_and_the_report(
    personas: Any,
) -> None:
    """What happened in a period, by role: the reports page's table, its CSV and XLSX
    downloads and the board report's figures `recruitment.period.<role>.<event>` give the
    figures layer's `events` for the same period. By hand, for the year from 1 October 2024 to
    30 September 2025: 2 applications (not the one on 30 September 2024), 3 shortlisted (that
    one too, a week later), 1 interviewed, recommended and its conditional offer accepted (on
    the period's last day)."""
    from workforce.core.tests.downloads import xlsx_rows
    from workforce.establishment.tests.factories import PostFactory, RoleFactory
    from workforce.recruitment import figures, selectors, services
    from workforce.recruitment.models import Stage, StrandKind
    from workforce.reports.document import Audience
    from workforce.reports.sections import ReportContext, section_for

    team = personas.own_team
    role = RoleFactory(authority=team.authority, title="Social worker")
    post: Any = PostFactory(team=team, role=role, start=dt.date(2024, 1, 1))
    campaign = services.create_campaign(
        authority=team.authority, name="Social workers 2024-25", start=dt.date(2024, 9, 1)
    )
    strand = services.create_strand(
        campaign=campaign, kind=StrandKind.OPEN, start=dt.date(2024, 9, 1)
    )
    vacancy = services.open_vacancy(
        authority=team.authority,
        reference="V1",
        title="Social worker",
        role=role,
        opened_on=dt.date(2024, 9, 1),
        strand=strand,
        posts=[post],
    )
    for n, applied in enumerate((dt.date(2024, 9, 30), dt.date(2024, 10, 1), dt.date(2025, 9, 1))):
        application = services.apply(
            vacancy=vacancy,
            applied_on=applied,
            first_name="C",
            last_name=f"N{n}",
            email=f"{n}@x.org",
        )
        services.advance_application(
            application=application, to_stage=Stage.SHORTLISTED, on=applied + dt.timedelta(days=7)
        )
    services.advance_application(
        application=application, to_stage=Stage.INTERVIEWED, on=dt.date(2025, 9, 15)
    )
    services.advance_application(
        application=application, to_stage=Stage.RECOMMENDED, on=dt.date(2025, 9, 20)
    )
    services.accept_conditional_offer(application=application, on=dt.date(2025, 9, 30))
    first, on = dt.date(2024, 10, 1), dt.date(2025, 9, 30)
    client = Client()
    client.force_login(personas.lead)
    query = {"start": first.isoformat(), "on": on.isoformat()}
    page = client.get(reverse("recruitment:reports"), query)
    shown_table = next(t for t in page.context["tables"] if t.key == "period")
    download = {**query, "table": "period"}
    csv_total = csv_rows(
        client.get(reverse("recruitment:report_download"), {**download, "format": "csv"})
    )[-1]
    xlsx_total = xlsx_rows(
        client.get(reverse("recruitment:report_download"), {**download, "format": "xlsx"})
    )[-1]
    section = section_for("recruitment.progress")
    assert section is not None
    built = section.build(
        ReportContext(
            authority=team.authority,
            scope=scope_for(personas.lead),
            report_date=on,
            comparison_date=dt.date(2024, 9, 30),
            audience=Audience.INTERNAL,
        )
    ).figures
    where = selectors.ReportFilter.for_scope(scope_for(personas.lead), on=on, start=first)
    counted = figures.events(where.progress(), first=first, last=on)[()]
    keys = [c.key for c in selectors.PERIOD_COLUMNS[1:]]
    expected = [getattr(counted, k) for k in keys]

    assert expected == [2, 3, 1, 1, 1, 0, 0, 0, 0, 0]
    assert shown_table.totals[1:] == expected
    assert [int(c) for c in csv_total[1:]] == expected
    assert [int(c) for c in xlsx_total[1:]] == expected
    assert [built[f"recruitment.period.social_worker.{k}"] for k in keys] == expected
    assert [built[f"recruitment.period.total.{k}"] for k in keys] == expected
