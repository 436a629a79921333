"""Expected starters: the registry other apps feed, the census window and the councils'
sentence, the panel on the recruitment reports page with its download, and the board report's
figure `recruitment.newly_qualified.expected`, against counts worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from workforce.careers import services_programmes as careers
from workforce.careers.models import TraineeRoute, WithdrawalReason
from workforce.conftest import Personas
from workforce.core.access import scope_for
from workforce.core.tables import SUPPRESSED
from workforce.core.tests.downloads import csv_rows
from workforce.establishment.models import Team
from workforce.establishment.tests.factories import WorkerFactory
from workforce.recruitment import expected
from workforce.recruitment.expected import Expected, ExpectedRow, ExpectedSource
from workforce.reports.document import Audience, Paragraph, SectionContent, TableBlock
from workforce.reports.sections import ReportContext, section_for

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 2)  # the window runs to 30 September 2026
SENTENCE = (
    "By 30 September 2026 we expect {n} newly qualified social workers from our own routes, "
    "if all remain."
)


def trainee(team: Team, expected_on: dt.date, route: str = TraineeRoute.STEP_UP) -> Any:
    return careers.add_trainee(
        worker=WorkerFactory(authority=team.authority),
        team=team,
        route=route,
        start=dt.date(2024, 9, 2),
        expected_qualification=expected_on,
    )


@pytest.fixture
def trainees(personas: Personas) -> Personas:
    """By hand, for the window from 2 March to 30 September 2026: counted are two Step Up in
    the own team in July, one apprentice in the other team on 30 September (the last day) and
    one Step Up in the own team on 2 March (the first day): 4, 3 of them in the own team. Not
    counted: one due on 1 March and one on 1 October (outside), one withdrawn (due in July)."""
    own, other = personas.own_team, personas.other_team
    trainee(own, dt.date(2026, 7, 24))
    trainee(own, dt.date(2026, 7, 31))
    trainee(other, dt.date(2026, 9, 30), TraineeRoute.APPRENTICESHIP)
    trainee(own, ON)
    trainee(own, dt.date(2026, 3, 1))
    trainee(own, dt.date(2026, 10, 1))
    gone = trainee(own, dt.date(2026, 7, 31))
    careers.record_withdrawn(
        trainee=gone, on=dt.date(2025, 11, 3), reason=WithdrawalReason.PERSONAL
    )
    return personas


# The window, the sentence and the registry ----------------------------------------------------


@pytest.mark.parametrize(
    ("on", "window"),
    [
        (dt.date(2026, 3, 2), (dt.date(2026, 3, 2), dt.date(2026, 10, 1))),
        (dt.date(2026, 9, 29), (dt.date(2026, 9, 29), dt.date(2026, 10, 1))),
        (dt.date(2026, 9, 30), (dt.date(2026, 9, 30), dt.date(2027, 10, 1))),
        (dt.date(2026, 12, 3), (dt.date(2026, 12, 3), dt.date(2027, 10, 1))),
    ],
)
def test_the_window_runs_to_the_next_census_date(on: dt.date, window: tuple) -> None:
    assert expected.census_window(on) == window


@pytest.mark.parametrize(
    ("total", "words"),
    [
        (12, SENTENCE.format(n=12)),
        (
            1,
            "By 30 September 2026 we expect 1 newly qualified social worker from our own "
            "routes, if all remain.",
        ),
        (
            0,
            "By 30 September 2026 we expect no newly qualified social workers from our own routes.",
        ),
    ],
)
def test_the_sentence_councils_use(total: int, words: str) -> None:
    assert (
        expected.sentence(
            total,
            by=dt.date(2026, 9, 30),
            what="newly qualified social workers",
            origin="from our own routes",
        )
        == words
    )


def test_sources_are_read_through_the_registry(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple] = []

    def rows(**kw: Any) -> Expected:
        asked.append((kw["start"], kw["end"], kw["team_ids"]))
        return Expected([ExpectedRow("Returners", "Team A", dt.date(2026, 5, 1), 2)])

    monkeypatch.setitem(
        expected.SOURCES, "returners", ExpectedSource("returners", "returners", "", rows)
    )
    authority = personas.own_team.authority

    found = expected.expected_starters(
        "returners", authority=authority, start=ON, end=dt.date(2026, 10, 1), team_ids={7}
    )
    unknown = expected.expected_starters(
        "nobody", authority=authority, start=ON, end=dt.date(2026, 10, 1)
    )
    backwards = expected.expected_starters("returners", authority=authority, start=ON, end=ON)

    assert (found.total, unknown.total, backwards.total) == (2, 0, 0)
    assert asked == [(ON, dt.date(2026, 10, 1), {7})]
    # Careers registers its trainees when the app is ready; recruitment never imports careers.
    assert expected.SOURCES[expected.NEWLY_QUALIFIED].rows.__module__ == (
        "workforce.careers.selectors_programmes"
    )


def test_the_panel_counts_open_trainees_in_the_window(trainees: Personas) -> None:
    authority = trainees.own_team.authority

    whole = expected.panel(expected.NEWLY_QUALIFIED, authority=authority, on=ON)
    mine = expected.panel(
        expected.NEWLY_QUALIFIED, authority=authority, on=ON, team_ids={trainees.own_team.pk}
    )

    assert (whole.total, mine.total) == (4, 3)
    assert whole.sentence == SENTENCE.format(n=4)
    table = whole.table()
    assert [row[:2] + row[3:] for row in table.rows] == [
        ["Step Up to Social Work", "March 2026", 1],
        ["Step Up to Social Work", "July 2026", 2],
        ["Social work degree apprenticeship", "September 2026", 1],
    ]
    assert table.totals == ["Total", "", "", 4]


# The recruitment reports page ------------------------------------------------------------------


def _get(user: Any, url: str, query: dict[str, str]) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url, query)


def test_the_reports_page_shows_the_panel_for_each_user(trainees: Personas) -> None:
    url = reverse("recruitment:reports")
    query = {"on": ON.isoformat()}

    lead = _get(trainees.lead, url, query).content.decode()
    board = _get(trainees.board, url, query).content.decode()
    manager = _get(trainees.manager, url, query).content.decode()

    assert "Expected newly qualified starters" in lead
    assert SENTENCE.format(n=4) in lead and SENTENCE.format(n=4) in board
    assert SENTENCE.format(n=3) in manager  # a team manager: trainees placed in their teams
    assert "Only trainees placed in your teams are counted" in manager
    assert "table=newly_qualified" in lead  # the table's downloads


def test_the_panel_download_is_the_page_table(trainees: Personas) -> None:
    response = _get(
        trainees.board,
        reverse("recruitment:report_download"),
        {"table": "newly_qualified", "format": "csv", "on": ON.isoformat()},
    )

    rows = csv_rows(response)
    assert rows[0] == ["Route", "Month expected", "Team placed with", "Expected to qualify"]
    assert rows[-1] == ["Total", "", "", "4"]
    assert sum(int(r[3]) for r in rows[1:-1]) == 4


def test_the_panel_says_when_no_one_is_expected(personas: Personas) -> None:
    page = _get(personas.lead, reverse("recruitment:reports"), {"on": ON.isoformat()})
    text = page.content.decode()

    assert (
        "By 30 September 2026 we expect no newly qualified social workers from our own routes."
        in text
    )
    assert "No trainees are expected to qualify in this window." in text


# The board report ------------------------------------------------------------------------------


def _section(personas: Personas, *, board: bool) -> SectionContent:
    found = section_for("recruitment.progress")
    assert found is not None
    scope = scope_for(personas.lead)
    return found.build(
        ReportContext(
            authority=scope.authority,
            scope=scope,
            report_date=ON,
            comparison_date=dt.date(2025, 3, 2),
            audience=Audience.SCRUTINY_BOARD if board else Audience.INTERNAL,
        )
    )


def test_the_report_keeps_the_panels_number(trainees: Personas) -> None:
    content = _section(trainees, board=False)

    assert content.figures[expected.FIGURE] == 4
    paragraphs = [b.text for b in content.blocks if isinstance(b, Paragraph)]
    assert SENTENCE.format(n=4) in paragraphs
    tables = [b.table for b in content.blocks if isinstance(b, TableBlock)]
    assert [t.totals for t in tables if t.key == "newly_qualified"] == [["Total", "", "", 4]]


def test_a_board_report_withholds_a_small_number_of_trainees(trainees: Personas) -> None:
    content = _section(trainees, board=True)

    assert content.figures[expected.FIGURE] == SUPPRESSED
    paragraphs = [b.text for b in content.blocks if isinstance(b, Paragraph)]
    assert not any("newly qualified" in p for p in paragraphs)


def test_with_no_campaign_and_no_trainee_the_section_is_empty(personas: Personas) -> None:
    content = _section(personas, board=False)

    assert content.empty.endswith("no trainee is expected to qualify by 30 September 2026.")
