"""Exit interviews: the refusals, themes counted as worked out by hand, returners and their gap,
and who may see what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from workforce.careers import selectors_exits as selectors
from workforce.careers import services_exits as services
from workforce.careers.models.exits import DEFAULT_THEMES, ExitInterview, ExitOutcome, ExitTheme
from workforce.conftest import Personas
from workforce.core.access import scope_for
from workforce.core.models import PersonalDataAccess
from workforce.core.tables import SUPPRESSED_CELL
from workforce.core.tests.factories import AuthorityFactory
from workforce.establishment import services as establishment
from workforce.establishment.models import Post, Worker
from workforce.establishment.tests.factories import PostFactory, RoleFactory

TODAY = dt.date(2025, 6, 30)
D = dt.date
FIRST_DAY = D(2020, 1, 6)


@pytest.fixture
def world(reference_data: None, personas: Personas) -> dict[str, Any]:
    role = RoleFactory(authority=personas.own_team.authority, title="Social worker")
    own = [PostFactory(team=personas.own_team, role=role, start=D(2018, 1, 1)) for _ in range(8)]
    other = [
        PostFactory(team=personas.other_team, role=role, start=D(2018, 1, 1)) for _ in range(8)
    ]
    return {"role": role, "own": own, "other": other}


def person(post: Post, name: str, *, start: dt.date = FIRST_DAY, swe: str = "") -> Worker:
    worker = establishment.create_worker(
        authority=post.authority,
        staff_number=name.upper(),
        first_name="Sam",
        last_name=name,
        swe_number=swe,
    )
    establishment.appoint_worker(worker=worker, post=post, start=start, fte=Decimal("1.00"))
    return worker


def themes_of(authority: Any, *labels: str) -> list[ExitTheme]:
    found = {t.label: t for t in ExitTheme.objects.filter(authority=authority)}
    return [found[label] for label in labels]


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- Themes --------------------------------------------------------------------------------------


def test_every_new_authority_starts_with_the_standard_themes(db: None) -> None:
    authority = AuthorityFactory(code="777", name="Newshire")
    labels = list(ExitTheme.objects.filter(authority=authority).values_list("label", flat=True))
    assert labels == list(DEFAULT_THEMES)


def test_an_authority_adds_its_own_theme_and_retires_one(personas: Personas) -> None:
    authority = personas.own_team.authority
    theme = services.add_theme(authority=authority, label="  Agency   pay ")
    assert theme.label == "Agency pay"
    assert theme.order == len(DEFAULT_THEMES) + 1
    with pytest.raises(ValidationError) as error:
        services.add_theme(authority=authority, label="agency pay")
    assert "label" in refusal(error)
    other = AuthorityFactory(code="776", name="Othershire")
    assert services.add_theme(authority=other, label="Agency pay").authority == other
    services.set_theme_offered(theme=theme, offered=False)
    offered = selectors.themes(scope_for(personas.lead), offered_only=True)
    assert theme not in offered


# --- Refusals ------------------------------------------------------------------------------------


def test_an_interview_with_someone_employed_who_gave_no_notice_is_refused(world: Any) -> None:
    worker = person(world["own"][0], "Stayer")
    with pytest.raises(ValidationError) as error:
        services.record_exit_interview(
            worker=worker, held_on=D(2025, 3, 1), outcome=ExitOutcome.LEFT, today=TODAY
        )
    assert "notice_given_on" in refusal(error)
    assert "still employed" in refusal(error)["notice_given_on"][0]
    assert not ExitInterview.objects.exists()


def test_an_interview_before_the_notice_or_in_the_future_is_refused(world: Any) -> None:
    worker = person(world["own"][0], "Early")
    with pytest.raises(ValidationError) as error:
        services.record_exit_interview(
            worker=worker,
            held_on=D(2025, 3, 1),
            notice_given_on=D(2025, 3, 10),
            outcome=ExitOutcome.RETAINED,
            today=TODAY,
        )
    assert "before the notice" in refusal(error)["held_on"][0]
    with pytest.raises(ValidationError) as error:
        services.record_exit_interview(
            worker=worker,
            held_on=TODAY + dt.timedelta(days=1),
            notice_given_on=D(2025, 3, 10),
            outcome=ExitOutcome.RETAINED,
            today=TODAY,
        )
    assert "future" in refusal(error)["held_on"][0]


def test_outcome_left_needs_a_leaving(world: Any) -> None:
    worker = person(world["own"][0], "Notleft")
    with pytest.raises(ValidationError) as error:
        services.record_exit_interview(
            worker=worker,
            held_on=D(2025, 3, 12),
            notice_given_on=D(2025, 3, 10),
            outcome=ExitOutcome.LEFT,
            today=TODAY,
        )
    assert "No leaving is recorded" in refusal(error)["outcome"][0]


def test_retained_is_refused_for_someone_who_left(world: Any) -> None:
    worker = person(world["own"][0], "Gone")
    establishment.record_leaver(worker=worker, last_day=D(2025, 4, 4), reason="1")
    with pytest.raises(ValidationError) as error:
        services.record_exit_interview(
            worker=worker,
            held_on=D(2025, 3, 12),
            notice_given_on=D(2025, 3, 7),
            outcome=ExitOutcome.RETAINED,
            today=TODAY,
        )
    assert "the outcome is that they left" in refusal(error)["outcome"][0]
    with pytest.raises(ValidationError) as error:
        services.record_exit_interview(
            worker=worker, held_on=D(2025, 4, 20), outcome=ExitOutcome.RETAINED, today=TODAY
        )
    assert "already left" in refusal(error)["outcome"][0]


def test_notice_given_when_not_employed_is_refused(world: Any) -> None:
    worker = person(world["own"][0], "Newcomer", start=D(2025, 1, 6))
    with pytest.raises(ValidationError) as error:
        services.record_exit_interview(
            worker=worker,
            held_on=D(2025, 1, 10),
            notice_given_on=D(2024, 12, 1),
            outcome=ExitOutcome.RETAINED,
            today=TODAY,
        )
    assert "not employed" in refusal(error)["notice_given_on"][0]


def test_interviews_during_notice_and_after_leaving_are_tied_to_the_leaving(world: Any) -> None:
    authority = world["role"].authority
    during = person(world["own"][0], "During")
    after = person(world["own"][1], "After")
    retained = person(world["own"][2], "Kept")
    left_during = establishment.record_leaver(worker=during, last_day=D(2025, 4, 4), reason="1")
    left_after = establishment.record_leaver(worker=after, last_day=D(2025, 4, 4), reason="5")
    first = services.record_exit_interview(
        worker=during,
        held_on=D(2025, 3, 20),
        notice_given_on=D(2025, 3, 7),
        outcome=ExitOutcome.LEFT,
        themes=themes_of(authority, "Caseload", "Pay"),
        notes="Too many cases.",
        today=TODAY,
    )
    second = services.record_exit_interview(
        worker=after,
        held_on=D(2025, 4, 10),
        outcome=ExitOutcome.LEFT,
        themes=themes_of(authority, "Retirement"),
        today=TODAY,
    )
    kept = services.record_exit_interview(
        worker=retained,
        held_on=D(2025, 5, 2),
        notice_given_on=D(2025, 5, 1),
        outcome=ExitOutcome.RETAINED,
        themes=themes_of(authority, "Progression"),
        today=TODAY,
    )
    assert first.leaving == left_during and second.leaving == left_after
    assert kept.leaving is None
    assert [t.label for t in first.themes.all()] == ["Caseload", "Pay"]
    # One interview per leaving.
    with pytest.raises(ValidationError) as error:
        services.record_exit_interview(
            worker=after, held_on=D(2025, 4, 12), outcome=ExitOutcome.LEFT, today=TODAY
        )
    assert "already recorded" in refusal(error)["outcome"][0]


def test_a_retired_theme_is_refused(world: Any) -> None:
    authority = world["role"].authority
    worker = person(world["own"][0], "Retiredtheme")
    (travel,) = themes_of(authority, "Travel")
    services.set_theme_offered(theme=travel, offered=False)
    with pytest.raises(ValidationError) as error:
        services.record_exit_interview(
            worker=worker,
            held_on=D(2025, 5, 2),
            notice_given_on=D(2025, 5, 1),
            outcome=ExitOutcome.RETAINED,
            themes=[travel],
            today=TODAY,
        )
    assert "themes" in refusal(error)


# --- Themes counted ------------------------------------------------------------------------------


def leave_with(post: Post, name: str, last_day: dt.date, labels: tuple[str, ...] | None) -> Worker:
    """A leaver, interviewed after leaving with these themes (None: not interviewed)."""
    worker = person(post, name)
    establishment.record_leaver(worker=worker, last_day=last_day, reason="1")
    if labels is not None:
        services.record_exit_interview(
            worker=worker,
            held_on=last_day + dt.timedelta(days=3),
            outcome=ExitOutcome.LEFT,
            themes=themes_of(post.authority, *labels),
            today=TODAY,
        )
    return worker


@pytest.fixture
def leavers(world: Any) -> None:
    """Own team: 2023 Q2 two leavers (caseload+pay, caseload); 2024 Q1 one (pay), one not
    interviewed; 2024 Q4 one (caseload). Other team: 2024 Q1 one (travel)."""
    own, other = world["own"], world["other"]
    leave_with(own[0], "Ann", D(2023, 5, 12), ("Caseload", "Pay"))
    leave_with(own[1], "Bea", D(2023, 6, 30), ("Caseload",))
    leave_with(own[2], "Cal", D(2024, 2, 2), ("Pay",))
    leave_with(own[3], "Dee", D(2024, 3, 29), None)
    leave_with(own[4], "Eve", D(2024, 11, 1), ("Caseload",))
    leave_with(other[0], "Fay", D(2024, 1, 5), ("Travel",))
    # Retained: not counted among leavers.
    kept = person(own[5], "Gus")
    services.record_exit_interview(
        worker=kept,
        held_on=D(2024, 2, 9),
        notice_given_on=D(2024, 2, 1),
        outcome=ExitOutcome.RETAINED,
        themes=themes_of(own[5].authority, "Pay"),
        today=TODAY,
    )


def row_of(table: Any, label: str) -> dict[str, Any]:
    for row in [*table.rows, table.totals]:
        if row[0] == label:
            return {c.label: v for c, v in zip(table.columns, row, strict=True)}
    raise AssertionError(label)


def test_themes_by_year_as_counted_by_hand(personas: Personas, leavers: None) -> None:
    table = selectors.themes_over_time(scope_for(personas.lead), by=selectors.YEAR, on=TODAY)
    assert [r[0] for r in table.rows] == ["2023", "2024"]
    y23, y24 = row_of(table, "2023"), row_of(table, "2024")
    assert (y23["Leavers"], y23["Leavers interviewed"]) == (2, 2)
    assert (y23["Caseload"], y23["Pay"], y23["Travel"]) == (2, 1, 0)
    assert (y24["Leavers"], y24["Leavers interviewed"]) == (4, 3)
    assert (y24["Caseload"], y24["Pay"], y24["Travel"]) == (1, 1, 1)
    total = row_of(table, "Total")
    assert (total["Leavers"], total["Caseload"], total["Pay"]) == (6, 3, 2)


def test_themes_by_quarter_as_counted_by_hand(personas: Personas, leavers: None) -> None:
    table = selectors.themes_over_time(scope_for(personas.lead), by=selectors.QUARTER, on=TODAY)
    assert [r[0] for r in table.rows] == [
        "April to June 2023",
        "January to March 2024",
        "October to December 2024",
    ]
    q1 = row_of(table, "January to March 2024")
    assert (q1["Leavers"], q1["Leavers interviewed"], q1["Pay"], q1["Travel"]) == (3, 2, 1, 1)


def test_a_team_manager_counts_their_teams_leavers(personas: Personas, leavers: None) -> None:
    table = selectors.themes_over_time(scope_for(personas.manager), by=selectors.YEAR, on=TODAY)
    y24 = row_of(table, "2024")
    assert (y24["Leavers"], y24["Travel"]) == (3, 0)


def test_board_members_get_small_counts_withheld(personas: Personas, leavers: None) -> None:
    table = selectors.themes_over_time(scope_for(personas.board), by=selectors.YEAR, on=TODAY)
    y23 = row_of(table, "2023")
    assert y23["Caseload"] is SUPPRESSED_CELL and y23["Leavers"] is SUPPRESSED_CELL
    assert y23["Travel"] == 0  # nought identifies no one
    assert row_of(table, "Total")["Leavers"] == 6  # five or more is shown


def test_why_people_leave_in_the_year_to_a_date(personas: Personas, leavers: None) -> None:
    year = selectors.why_people_leave(scope_for(personas.lead), on=D(2024, 12, 31))
    assert year.start == D(2024, 1, 1)
    counts = dict(year.table.rows)
    assert (year.leavers, year.interviewed) == (4, 3)
    assert (counts["Caseload"], counts["Pay"], counts["Travel"], counts["Hours"]) == (1, 1, 1, 0)
    board = selectors.why_people_leave(scope_for(personas.board), on=D(2024, 12, 31))
    assert board.leavers is SUPPRESSED_CELL and dict(board.table.rows)["Hours"] == 0


def test_the_chart_leaves_withheld_counts_out(personas: Personas, leavers: None) -> None:
    table = selectors.themes_over_time(scope_for(personas.lead), by=selectors.YEAR, on=TODAY)
    spec = selectors.themes_chart(table)
    points = {(v["period"], v["theme"]): v["count"] for v in spec["data"]["values"]}
    assert points[("2023", "Caseload")] == 2 and points[("2024", "Travel")] == 1
    board = selectors.themes_over_time(scope_for(personas.board), by=selectors.YEAR, on=TODAY)
    spec = selectors.themes_chart(board)
    assert spec["data"]["values"] == []
    assert "not shown in the chart" in spec["description"]


# --- Returners -----------------------------------------------------------------------------------


def test_returners_with_their_gap(world: Any, personas: Personas) -> None:
    own = world["own"]
    same = person(own[0], "Boomerang", start=D(2020, 1, 6))
    establishment.record_leaver(worker=same, last_day=D(2023, 1, 31), reason="1")
    establishment.appoint_worker(worker=same, post=own[1], start=D(2023, 4, 3), fte=Decimal("1.00"))
    former = person(own[2], "Oldrecord", swe="SW123456")
    establishment.record_leaver(worker=former, last_day=D(2022, 6, 30), reason="1")
    again = person(own[3], "Newrecord", start=D(2023, 7, 1), swe="sw 123456")
    never = person(own[4], "Gonegood", swe="SW999999")
    establishment.record_leaver(worker=never, last_day=D(2022, 6, 30), reason="1")

    found = selectors.returners(scope_for(personas.lead))
    assert [(r.worker, r.former) for r in found] == [(again, former), (same, same)]
    newest, oldest = found
    assert (oldest.gap_days, oldest.gap_months, oldest.same_record) == (61, 2, True)
    assert (newest.gap_days, newest.gap_months, newest.same_record) == (365, 12, False)
    table = selectors.returners_table(found)
    assert table.rows[0][-1] == "Social Work England number"


def test_a_team_manager_sees_only_returners_in_their_teams(world: Any, personas: Personas) -> None:
    returner = person(world["other"][0], "Elsewhere")
    establishment.record_leaver(worker=returner, last_day=D(2023, 1, 31), reason="1")
    establishment.appoint_worker(
        worker=returner, post=world["other"][1], start=D(2023, 3, 1), fte=Decimal("1.00")
    )
    assert len(selectors.returners(scope_for(personas.lead))) == 1
    assert selectors.returners(scope_for(personas.manager)) == []


# --- Pages and who may see them ------------------------------------------------------------------


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_board_members_see_counts_and_no_names(personas: Personas, leavers: None) -> None:
    page = client_for(personas.board).get(reverse("careers:why_people_leave"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "[c]" in text and "Why people leave" in text
    for name in ("Ann", "Bea", "Cal", "Eve", "Fay", "Gus"):
        assert f"Sam {name}" not in text
    assert reverse("careers:exit_interviews") not in text
    for url in (reverse("careers:exit_interviews"), reverse("careers:returners")):
        assert client_for(personas.board).get(url).status_code == 403
        assert client_for(personas.analyst).get(url).status_code == 403


def test_the_counts_download(personas: Personas, leavers: None) -> None:
    url = reverse("careers:why_people_leave")
    response = client_for(personas.lead).get(url, {"by": "year", "format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Year,Leavers,Leavers interviewed,Caseload")
    assert lines[1].startswith("2023,2,2,2,")
    board = client_for(personas.board).get(url, {"by": "year", "format": "csv"})
    assert "[c]" in board.content.decode("utf-8-sig")


def test_opening_an_interview_is_recorded(world: Any, personas: Personas) -> None:
    worker = person(world["own"][0], "Opened")
    interview = services.record_exit_interview(
        worker=worker,
        held_on=D(2025, 5, 2),
        notice_given_on=D(2025, 5, 1),
        outcome=ExitOutcome.RETAINED,
        today=TODAY,
    )
    url = reverse("careers:exit_interview", kwargs={"exit_interview_id": interview.pk})
    page = client_for(personas.manager).get(url)
    assert page.status_code == 200 and "Sam Opened" in page.content.decode()
    access = PersonalDataAccess.objects.get(user=personas.manager)
    assert access.record_type == "careers.exitinterview" and access.record_id == interview.pk
    listing = client_for(personas.hr).get(reverse("careers:exit_interviews"), {"format": "csv"})
    assert "Sam Opened" in listing.content.decode("utf-8-sig")
    assert PersonalDataAccess.objects.filter(user=personas.hr, action="downloaded").exists()


def test_a_manager_cannot_open_another_teams_or_a_leavers_interview(
    world: Any, personas: Personas
) -> None:
    elsewhere = person(world["other"][0], "Otherteam")
    theirs = services.record_exit_interview(
        worker=elsewhere,
        held_on=D(2025, 5, 2),
        notice_given_on=D(2025, 5, 1),
        outcome=ExitOutcome.RETAINED,
        today=TODAY,
    )
    gone = leave_with(world["own"][1], "Formerown", D(2024, 5, 3), ("Pay",))
    for interview in (theirs, gone.exit_interviews.get()):
        url = reverse("careers:exit_interview", kwargs={"exit_interview_id": interview.pk})
        assert client_for(personas.manager).get(url).status_code == 404
    listing = client_for(personas.manager).get(reverse("careers:exit_interviews"))
    assert "Sam Otherteam" not in listing.content.decode()
    assert not PersonalDataAccess.objects.filter(user=personas.manager).exists()


def test_recording_an_interview_through_the_form(world: Any, personas: Personas) -> None:
    worker = person(world["own"][0], "Formfilled")
    establishment.record_leaver(worker=worker, last_day=D(2025, 4, 4), reason="1")
    (caseload,) = themes_of(worker.authority, "Caseload")
    url = reverse("careers:exit_interview_new", kwargs={"worker_id": worker.pk})
    client = client_for(personas.hr)
    refused = client.post(url, {"held_on": "2025-03-20", "outcome": "retained"})
    assert refused.status_code == 200
    assert "no notice is recorded" in refused.content.decode()
    done = client.post(
        url,
        {
            "held_on": "2025-03-20",
            "notice_given_on": "2025-03-07",
            "outcome": "left",
            "themes": [caseload.pk],
            "notes": "Caseload too high.",
        },
    )
    interview = ExitInterview.objects.get(worker=worker)
    assert done.status_code == 302
    assert done["Location"] == reverse(
        "careers:exit_interview", kwargs={"exit_interview_id": interview.pk}
    )
    assert list(interview.themes.all()) == [caseload]
    assert client_for(personas.manager).get(url).status_code == 403
