"""Sections registered for these tests only, and an authority with a few posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps

from workforce.conftest import Personas
from workforce.core.access import Scope, scope_for
from workforce.core.tables import Column, Kind, Table
from workforce.establishment import services as establishment
from workforce.establishment.models import Post, Role
from workforce.establishment.tests.factories import RoleFactory
from workforce.reports.document import ChartBlock, Paragraph, SectionContent, TableBlock
from workforce.reports.sections import ReportContext, ReportSection

FIRST_POST = dt.date(2023, 4, 1)


def count_posts(context: ReportContext) -> SectionContent:
    """Posts open at the report date and at the comparison date: a figure that changes when the
    records do."""

    def open_on(day: dt.date) -> int:
        return Post.objects.filter(authority=context.authority).active_on(day).count()

    now, then = open_on(context.report_date), open_on(context.comparison_date)
    table = Table(
        title="Posts",
        columns=[Column("when", "Date", Kind.DATE), Column("posts", "Posts", Kind.COUNT)],
        rows=[[context.comparison_date, then], [context.report_date, now]],
    )
    return SectionContent(
        blocks=[
            Paragraph(f"There were {now} posts, against {then} a year earlier."),
            TableBlock(table),
        ],
        figures={"posts": now, "posts_before": then, "rate": Decimal("12.50")},
    )


def nothing(context: ReportContext) -> SectionContent:
    return SectionContent(empty="No action plan has been agreed yet.")


def blank(context: ReportContext) -> SectionContent:
    return SectionContent()


def broken(context: ReportContext) -> SectionContent:
    raise RuntimeError("the figures layer fell over")


def teams(context: ReportContext) -> SectionContent:
    return SectionContent(blocks=[Paragraph("Assessment North has 3 posts.")])


def chart(context: ReportContext) -> SectionContent:
    table = Table(
        title="Posts at each month end",
        columns=[Column("month", "Month end", Kind.DATE), Column("posts", "Posts", Kind.COUNT)],
        rows=[[dt.date(2025, 1, 31), 3], [dt.date(2025, 2, 28), 4]],
    )
    spec = {
        "data": {
            "values": [{"month": "2025-01-31", "posts": 3}, {"month": "2025-02-28", "posts": 4}]
        },
        "mark": "line",
        "encoding": {
            "x": {"field": "month", "type": "temporal", "title": "Month end"},
            "y": {"field": "posts", "type": "quantitative", "title": "Posts"},
        },
    }
    broken = {"mark": {"type": "no-such-mark"}}
    return SectionContent(
        blocks=[
            ChartBlock(spec=spec, alt="Posts rose from 3 to 4.", table=table),
            ChartBlock(spec=broken, alt="A chart that cannot be drawn.", table=table),
        ]
    )


SECTIONS = [
    ReportSection("test.posts", "Posts", "Posts open at the report date.", count_posts, order=1),
    ReportSection("test.plan", "Action plan", "Progress on the plan.", nothing, order=2),
    ReportSection("test.blank", "Early careers", "Newly qualified workers.", blank, order=3),
    ReportSection("test.broken", "Forecast", "The forecast.", broken, order=4, default=False),
    ReportSection("test.teams", "Teams", "Each team's posts.", teams, order=5, internal_only=True),
    ReportSection("test.chart", "Trends", "Posts over time.", chart, order=6, default=False),
]


def only_sections(monkeypatch: pytest.MonkeyPatch, sections: list[ReportSection]) -> None:
    """Offer these sections and no app's own for the rest of the test."""
    for config in apps.get_app_configs():
        offered = sections if config.label == "reports" else []
        monkeypatch.setattr(
            type(config), "report_sections", property(lambda self, o=offered: o), raising=False
        )


@pytest.fixture
def sections(monkeypatch: pytest.MonkeyPatch) -> list[ReportSection]:
    only_sections(monkeypatch, SECTIONS)
    return SECTIONS


@dataclass
class Place:
    personas: Personas
    role: Role
    lead_scope: Scope

    @property
    def authority(self):  # type: ignore[no-untyped-def]
        return self.personas.own_team.authority

    def add_post(self, reference: str, start: dt.date = FIRST_POST) -> Post:
        return establishment.create_post(
            authority=self.authority,
            team=self.personas.own_team,
            role=self.role,
            reference=reference,
            fte=Decimal("1.00"),
            start=start,
        )


@pytest.fixture
def place(
    personas: Personas, reference_data: None, sections: list[ReportSection]
) -> Iterator[Place]:
    authority = personas.own_team.authority
    role = RoleFactory(authority=authority, title="Social worker")
    found = Place(personas=personas, role=role, lead_scope=scope_for(personas.lead))
    for i in range(3):
        found.add_post(f"P-{i}")
    yield found
