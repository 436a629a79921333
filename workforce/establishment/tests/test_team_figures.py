"""The Teams page, the establishment table and the dashboard give one team the same figures.

The team, at 1 January 2025 (worked out by hand):

  Social worker  SW-1 1.00 budget: nobody in it           establishment 1.00, employed 0.00
  Team manager   TM-1 1.00 budget: Tam 1.00 permanent,    establishment 1.00, employed 1.99
                 and Val 0.99 permanent (over budget)

  Per role, vacancy is max(E − P, 0): social worker 1.00, team manager 0.00, so the team's
  vacancy is 1.00. Taken over the team as a whole, max(2.00 − 1.99, 0) would give 0.01: the
  team manager surplus would hide the social worker vacancy. 1.00 is the census figure.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from workforce.conftest import Personas
from workforce.establishment import services
from workforce.establishment.models import OrgRole
from workforce.establishment.selectors import Column, EstablishmentFilter, establishment_table
from workforce.establishment.tests.factories import RoleFactory, TeamFactory
from workforce.establishment.tests.world import client_for, text
from workforce.metrics.selectors import breakdown, filter_for_scope, measures_on

ON = dt.date(2025, 1, 1)
START = dt.date(2024, 1, 1)
ONE = Decimal("1.00")


@pytest.fixture
def team(personas: Personas):
    authority = personas.own_team.authority
    sw = RoleFactory(authority=authority, title="Social worker", org_role=OrgRole.CASE_HOLDER)
    tm = RoleFactory(authority=authority, title="Team manager", org_role=OrgRole.FIRST_LINE_MANAGER)
    team = personas.own_team

    def post(ref, role):
        return services.create_post(
            authority=authority, team=team, role=role, reference=ref, fte=ONE, start=START
        )

    post("SW-1", sw)
    manager_post = post("TM-1", tm)
    for staff, first, fte in (("T1", "Tam", ONE), ("T2", "Val", Decimal("0.99"))):
        worker = services.create_worker(
            authority=authority, staff_number=staff, first_name=first, last_name="Example"
        )
        services.appoint_worker(worker=worker, post=manager_post, start=START, fte=fte)
    # A second team, so the page is not only one row.
    TeamFactory(authority=authority, name="Zeta")
    return team


def test_the_teams_page_vacancy_is_the_establishment_tables_and_the_dashboards(
    team, personas: Personas
) -> None:
    response = client_for(personas.lead).get(reverse("establishment:teams"), {"on": ON})
    page = {s.team.name: s for s in response.context["summaries"]}[team.name]

    where = EstablishmentFilter(authority_ids=(team.authority_id,), team_ids=(team.pk,))
    table = establishment_table(where=where, on=ON)
    scope_filter = filter_for_scope(_scope(personas), census_only=False)
    dashboard = {
        row.key: row.values
        for row in breakdown(where=scope_filter, on=ON, by="team", keys=["vacancy_fte"])
    }[team.pk]
    one_team = measures_on(
        where=filter_for_scope(_scope(personas), team_id=team.pk), on=ON, keys=["vacancy_fte"]
    ).at(0)

    assert table.total(Column.VACANT) == ONE
    assert dashboard["vacancy_fte"] == ONE
    assert one_team["vacancy_fte"] == ONE
    assert page.vacancy == ONE
    assert (page.establishment, page.in_post, page.agency) == (
        Decimal("2.00"),
        Decimal("1.99"),
        Decimal("0.00"),
    )
    assert "worked out role by role" in text(response)


def test_every_figure_of_a_team_row_is_its_establishment_table_total(
    team, personas: Personas
) -> None:
    response = client_for(personas.lead).get(reverse("establishment:teams"), {"on": ON})
    for summary in response.context["summaries"]:
        where = EstablishmentFilter(
            authority_ids=(summary.team.authority_id,), team_ids=(summary.team.pk,)
        )
        table = establishment_table(where=where, on=ON)
        assert (summary.establishment, summary.in_post, summary.agency, summary.vacancy) == (
            table.total(Column.ESTABLISHMENT),
            table.total(Column.PERMANENT),
            table.total(Column.AGENCY),
            table.total(Column.VACANT),
        )


def _scope(personas: Personas):
    from workforce.core.access import scope_for

    return scope_for(personas.lead)
