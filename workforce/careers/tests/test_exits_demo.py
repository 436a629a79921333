"""The demo authority's exit interviews, returners and the board report section built on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from workforce.careers import demo_exits, report_exits
from workforce.careers import selectors_exits as selectors
from workforce.careers.models.exits import ExitInterview, ExitOutcome
from workforce.core.access import scope_for
from workforce.core.models import Authority, UserRole
from workforce.core.suppression import withheld
from workforce.core.tables import SUPPRESSED
from workforce.core.tests.factories import UserFactory
from workforce.establishment.models import Leaving
from workforce.reports.document import Audience, ChartBlock
from workforce.reports.sections import ReportContext, section_for

TODAY = dt.date(2025, 9, 30)


@pytest.fixture
def demo(team_demo: Authority) -> tuple[Authority, Any]:
    authority = team_demo
    lead = UserFactory(username="lead-exits", role=UserRole.WORKFORCE_LEAD, authority=authority)
    return authority, lead


def test_the_demo_interviews_a_good_share_of_its_leavers(demo: tuple[Authority, Any]) -> None:
    authority, lead = demo
    eligible = Leaving.objects.filter(
        authority=authority,
        reason__in=demo_exits.INTERVIEWED_REASONS,
        last_day__gte=TODAY - dt.timedelta(days=3 * 365),
        last_day__lt=TODAY,
    ).count()
    left = ExitInterview.objects.filter(authority=authority, outcome=ExitOutcome.LEFT)
    assert eligible > 0
    assert 0.4 * eligible <= left.count() <= eligible
    assert left.filter(notice_given_on__isnull=False).exists()
    assert left.filter(notice_given_on__isnull=True).exists()
    assert ExitInterview.objects.filter(authority=authority, outcome=ExitOutcome.RETAINED).exists()
    assert left.filter(themes__label="Caseload").exists()
    found = selectors.returners(scope_for(lead))
    assert len(found) == 2
    assert all(not r.same_record and r.gap_days >= 59 for r in found)
    # Building again adds nothing.
    before = ExitInterview.objects.count()
    demo_exits.build(authority=authority, rng=np.random.default_rng(1), today=TODAY, scale="team")
    assert ExitInterview.objects.count() == before


def test_the_report_section_for_a_board(demo: tuple[Authority, Any]) -> None:
    authority, lead = demo
    section = section_for(report_exits.KEY)
    assert section is not None and section.title == "Why people leave"

    def build(audience: Audience) -> Any:
        return section.build(
            ReportContext(
                authority=authority,
                scope=scope_for(lead),
                report_date=TODAY,
                comparison_date=TODAY.replace(year=TODAY.year - 1),
                audience=audience,
            )
        )

    internal, board = build(Audience.INTERNAL), build(Audience.SCRUTINY_BOARD)
    year = selectors.why_people_leave(scope_for(lead), on=TODAY, board=False)
    assert internal.figures["exits.leavers"] == year.leavers
    assert internal.figures["exits.caseload"] == dict(year.table.rows)["Caseload"]
    for key, value in internal.figures.items():
        shown = board.figures[key]
        if 0 < value < 5:
            assert shown == SUPPRESSED, key
        else:
            assert shown == value, key
    chart = next(b for b in board.blocks if isinstance(b, ChartBlock))
    plotted = {v["theme"] for v in chart.spec["data"]["values"]}
    assert all(
        label in plotted for label, count in chart.table.rows if not withheld(count) and count >= 5
    )
