"""The sections a report can have, offered by the apps like the navigation.

Each app may declare `report_sections` on its AppConfig: a list of `ReportSection`s. The report
builder lists every registered section, in app order then the section's `order`; the report code
never names an app's section. A section's `build` reads the figures layer for the context's
authority, dates and audience, and returns `SectionContent`. In board mode (`context.board_mode`)
it must not show personal data or teams, and its tables are suppressed (`context.table`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

from workforce.core.access import Scope
from workforce.core.models import Authority
from workforce.core.suppression import suppress
from workforce.core.tables import Table
from workforce.reports.document import Audience, SectionContent

SMALL_NUMBER = 5  # board mode: counts from 1 to 4 are shown as "c"


@dataclass(frozen=True)
class ReportContext:
    authority: Authority
    scope: Scope  # who is building the report: sections read through it
    report_date: dt.date
    comparison_date: dt.date
    audience: Audience

    @property
    def board_mode(self) -> bool:
        return self.audience.board_mode

    def table(self, table: Table) -> Table:
        """The table as this audience may see it: suppressed in board mode
        (`core.suppression`), as it is otherwise."""
        return suppress(table, below=SMALL_NUMBER) if self.board_mode else table


@dataclass(frozen=True)
class ReportSection:
    key: str  # stable, stored with saved reports: "metrics.headline"
    title: str  # the section's heading and its name in the builder
    description: str  # one sentence for the builder
    build: Callable[[ReportContext], SectionContent]
    order: int = 100
    internal_only: bool = False  # e.g. the team breakdown: never in board mode
    default: bool = True  # chosen when a new report is started


def report_sections(audience: Audience | None = None) -> list[ReportSection]:
    """Every registered section (for an audience: those it may have), in their order."""
    found: list[tuple[int, int, ReportSection]] = []
    for position, config in enumerate(apps.get_app_configs()):
        for section in getattr(config, "report_sections", ()):
            found.append((section.order, position, section))
    sections = [s for _order, _position, s in sorted(found, key=lambda t: (t[0], t[1]))]
    if audience is not None and audience.board_mode:
        sections = [s for s in sections if not s.internal_only]
    return sections


def section_for(key: str) -> ReportSection | None:
    return next((s for s in report_sections() if s.key == key), None)
