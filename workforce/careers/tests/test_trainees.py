"""Trainees' outcomes (qualified, withdrawn) and the newly qualified starters they give
recruitment: refusals naming the field, the open and closed lists, the pages as each persona,
and `expected_qualifiers` against counts worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from workforce.careers import retention
from workforce.careers import selectors_programmes as selectors
from workforce.careers import services_programmes as services
from workforce.careers.models import Trainee, TraineeRoute, TraineeStatus, WithdrawalReason
from workforce.caseloads.tests.factories import worker_in_post
from workforce.conftest import Personas
from workforce.core.access import scope_for
from workforce.establishment.models import Route, Team
from workforce.establishment.tests.factories import RoleFactory, TeamFactory, WorkerFactory
from workforce.metrics.engine.filters import MetricsFilter
from workforce.recruitment.expected import ExpectedRow

START = dt.date(2024, 9, 2)
TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


def trainee_in(
    team: Team,
    *,
    route: str = TraineeRoute.STEP_UP,
    start: dt.date = START,
    expected: dt.date = dt.date(2026, 7, 31),
    last_name: str = "Trainee",
) -> Trainee:
    worker = WorkerFactory(authority=team.authority, last_name=last_name)
    return services.add_trainee(
        worker=worker, team=team, route=route, start=start, expected_qualification=expected
    )


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# Recording the outcome -------------------------------------------------------------------------


def test_a_qualified_trainee_is_closed_and_keeps_their_route(personas: Personas) -> None:
    trainee = trainee_in(personas.own_team, route=TraineeRoute.FRONTLINE)

    services.record_qualified(trainee=trainee, on=dt.date(2025, 7, 25))

    trainee.refresh_from_db()
    trainee.worker.refresh_from_db()
    assert (trainee.status, trainee.qualified_on, trainee.is_open) == (
        TraineeStatus.QUALIFIED,
        dt.date(2025, 7, 25),
        False,
    )
    assert (trainee.worker.route, trainee.worker.qual_date) == (
        Route.FRONTLINE,
        dt.date(2025, 7, 25),
    )


def test_a_qualified_trainee_the_council_appoints_counts_as_grown_our_own(
    personas: Personas,
) -> None:
    team = personas.own_team
    role = RoleFactory(authority=team.authority)
    appointed = worker_in_post(team, role, start=dt.date(2025, 9, 1), last_name="Appointed")
    trainee = services.add_trainee(
        worker=appointed,
        team=team,
        route=TraineeRoute.STEP_UP,
        start=dt.date(2024, 1, 8),
        expected_qualification=dt.date(2025, 7, 31),
    )
    on = dt.date(2025, 12, 1)
    before = {
        s.worker_id: s.grown_our_own
        for s in retention.spells(MetricsFilter(authority_ids=(team.authority_id,)), on)
    }

    services.record_qualified(trainee=trainee, on=dt.date(2025, 7, 28))

    after = {
        s.worker_id: s.grown_our_own
        for s in retention.spells(MetricsFilter(authority_ids=(team.authority_id,)), on)
    }
    assert (before[appointed.pk], after[appointed.pk]) == (False, True)


def test_a_withdrawn_trainee_is_closed_with_the_date_and_reason(personas: Personas) -> None:
    trainee = trainee_in(personas.own_team)

    services.record_withdrawn(
        trainee=trainee,
        on=dt.date(2025, 3, 14),
        reason=WithdrawalReason.OTHER,
        detail="  Moved abroad ",
    )

    trainee.refresh_from_db()
    assert (
        trainee.status,
        trainee.withdrawn_on,
        trainee.withdrawal_reason,
        trainee.withdrawal_detail,
        trainee.closed_on,
    ) == (
        TraineeStatus.WITHDRAWN,
        dt.date(2025, 3, 14),
        WithdrawalReason.OTHER,
        "Moved abroad",
        dt.date(2025, 3, 14),
    )
    assert trainee.worker.route == ""  # withdrawing gives no route into social work


def test_recording_an_outcome_is_audited(personas: Personas) -> None:
    trainee = trainee_in(personas.own_team)
    before = LogEntry.objects.get_for_object(trainee).count()

    services.record_withdrawn(
        trainee=trainee, on=dt.date(2025, 3, 14), reason=WithdrawalReason.HEALTH
    )

    entries = LogEntry.objects.get_for_object(trainee)
    assert entries.count() == before + 1
    assert entries.first().changes_dict["status"] == ["training", "withdrawn"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("outcome", "on", "field", "words"),
    [
        ("qualified", dt.date(2024, 9, 1), "on", "before the trainee started (2 September 2024)"),
        ("qualified", START, "on", "after the day they started"),
        ("qualified", TODAY + dt.timedelta(days=1), "on", "cannot be in the future"),
        ("withdrawn", dt.date(2024, 9, 1), "on", "before the trainee started (2 September 2024)"),
        ("withdrawn", TODAY + dt.timedelta(days=1), "on", "cannot be in the future"),
    ],
)
def test_an_outcome_date_must_fall_between_the_start_and_today(
    personas: Personas, outcome: str, on: dt.date, field: str, words: str
) -> None:
    trainee = trainee_in(personas.own_team)

    with pytest.raises(ValidationError) as error:
        if outcome == "qualified":
            services.record_qualified(trainee=trainee, on=on)
        else:
            services.record_withdrawn(trainee=trainee, on=on, reason=WithdrawalReason.PERSONAL)

    assert words in refusal(error)[field][0]
    trainee.refresh_from_db()
    assert trainee.is_open


def test_a_withdrawal_on_the_first_day_is_accepted(personas: Personas) -> None:
    trainee = trainee_in(personas.own_team)

    services.record_withdrawn(trainee=trainee, on=START, reason=WithdrawalReason.PERSONAL)

    assert Trainee.objects.get(pk=trainee.pk).withdrawn_on == START


def test_a_closed_traineeship_cannot_be_closed_again(personas: Personas) -> None:
    qualified = trainee_in(personas.own_team, last_name="Done")
    services.record_qualified(trainee=qualified, on=dt.date(2025, 7, 25))
    withdrawn = trainee_in(personas.own_team, last_name="Gone")
    services.record_withdrawn(
        trainee=withdrawn, on=dt.date(2025, 1, 10), reason=WithdrawalReason.HEALTH
    )

    with pytest.raises(ValidationError) as again:
        services.record_withdrawn(
            trainee=qualified, on=dt.date(2025, 8, 1), reason=WithdrawalReason.HEALTH
        )
    with pytest.raises(ValidationError) as twice:
        services.record_qualified(trainee=withdrawn, on=dt.date(2025, 7, 25))

    assert "already closed: qualified on 25 July 2025" in refusal(again)["on"][0]
    assert "already closed: withdrawn on 10 January 2025" in refusal(twice)["on"][0]


@pytest.mark.parametrize(
    ("reason", "detail", "field", "words"),
    [
        ("", "", "reason", "Choose why the trainee withdrew"),
        ("bored", "", "reason", "Choose why the trainee withdrew"),
        (WithdrawalReason.OTHER, "  ", "detail", "Say what the other reason was"),
    ],
)
def test_a_withdrawal_needs_a_reason(
    personas: Personas, reason: str, detail: str, field: str, words: str
) -> None:
    trainee = trainee_in(personas.own_team)

    with pytest.raises(ValidationError) as error:
        services.record_withdrawn(
            trainee=trainee, on=dt.date(2025, 1, 10), reason=reason, detail=detail
        )

    assert words in refusal(error)[field][0]


# The lists ------------------------------------------------------------------------------------


def test_the_lists_split_open_and_closed_trainees_in_the_scope(personas: Personas) -> None:
    training = trainee_in(personas.own_team, last_name="Training")
    qualified = trainee_in(personas.own_team, last_name="Qualified")
    withdrawn = trainee_in(personas.own_team, last_name="Withdrawn")
    elsewhere = trainee_in(personas.other_team, last_name="Elsewhere")
    services.record_qualified(trainee=qualified, on=dt.date(2025, 7, 25))
    services.record_withdrawn(
        trainee=withdrawn, on=dt.date(2025, 8, 1), reason=WithdrawalReason.DID_NOT_PASS
    )
    services.record_withdrawn(
        trainee=elsewhere, on=dt.date(2025, 2, 1), reason=WithdrawalReason.HEALTH
    )
    lead, manager = scope_for(personas.lead), scope_for(personas.manager)

    assert list(selectors.trainees(scope=lead)) == [training]
    assert list(selectors.closed_trainees(scope=lead)) == [withdrawn, qualified, elsewhere]
    assert list(selectors.closed_trainees(scope=manager)) == [withdrawn, qualified]
    table = selectors.closed_trainees_table(list(selectors.closed_trainees(scope=manager)))
    assert [row[4:] for row in table.rows] == [
        ["Withdrawn", dt.date(2025, 8, 1), "Did not pass the course"],
        ["Qualified", dt.date(2025, 7, 25), ""],
    ]


# Expected newly qualified starters --------------------------------------------------------------

WINDOW = (dt.date(2026, 1, 1), dt.date(2026, 10, 1))  # up to and including 30 September 2026


def test_expected_qualifiers_counts_open_trainees_in_the_window(personas: Personas) -> None:
    """By hand: of nine trainees, four are open and expected in [1 January, 1 October 2026):
    two Step Up in the own team in July, one Step Up in the other team in July, one apprentice
    on 1 January (the first day counts). Not counted: the one due on 1 October (the end does not
    count), the one due on 31 December 2025 (before the window), the withdrawn and the
    qualified ones (due in July), and one of another authority."""
    own, other = personas.own_team, personas.other_team
    for name in ("Ash", "Birch"):
        trainee_in(own, expected=dt.date(2026, 7, 31), last_name=name)
    trainee_in(other, expected=dt.date(2026, 7, 1), last_name="Cedar")
    trainee_in(
        own, route=TraineeRoute.APPRENTICESHIP, expected=dt.date(2026, 1, 1), last_name="Damson"
    )
    trainee_in(own, expected=dt.date(2026, 10, 1), last_name="Elm")
    trainee_in(own, expected=dt.date(2025, 12, 31), last_name="Fir")
    gone = trainee_in(own, expected=dt.date(2026, 7, 31), last_name="Gone")
    services.record_withdrawn(trainee=gone, on=dt.date(2025, 6, 2), reason=WithdrawalReason.HEALTH)
    early = trainee_in(own, expected=dt.date(2026, 7, 31), last_name="Early")
    services.record_qualified(trainee=early, on=dt.date(2025, 6, 2))
    abroad = TeamFactory(authority=personas.outsider.authority)
    trainee_in(abroad, expected=dt.date(2026, 7, 31), last_name="Abroad")
    authority = own.authority

    found = selectors.expected_qualifiers(authority=authority, start=WINDOW[0], end=WINDOW[1])
    mine = selectors.expected_qualifiers(
        authority=authority, start=WINDOW[0], end=WINDOW[1], team_ids=[own.pk]
    )

    step_up, apprenticeship = "Step Up to Social Work", "Social work degree apprenticeship"
    assert found.rows == [
        ExpectedRow(apprenticeship, own.name, dt.date(2026, 1, 1), 1),
        *sorted(
            [
                ExpectedRow(step_up, own.name, dt.date(2026, 7, 1), 2),
                ExpectedRow(step_up, other.name, dt.date(2026, 7, 1), 1),
            ],
            key=lambda r: r.team,
        ),
    ]
    assert found.total == 4
    assert mine.total == 3
    assert (
        selectors.expected_newly_qualified(authority=authority, start=WINDOW[0], end=WINDOW[1]) == 4
    )


# The pages ------------------------------------------------------------------------------------


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_recording_a_qualification_from_its_page(personas: Personas) -> None:
    trainee = trainee_in(personas.own_team, last_name="Ashworth")
    url = reverse("careers:trainee_qualified", kwargs={"trainee_id": trainee.pk})
    client = _client(personas.hr)

    page = client.get(url).content.decode()
    empty = client.post(url, {})
    future = client.post(url, {"on": f"{TODAY.year + 1}-01-01"})
    early = client.post(url, {"on": "2024-09-01"})
    done = client.post(url, {"on": "2025-07-25"})
    again = client.post(url, {"on": "2025-07-25"})

    assert "Record that" in page and "Ashworth" in page and "Step Up to Social Work" in page
    assert "Enter the date they qualified" in empty.content.decode()
    assert "The date they qualified cannot be in the future" in future.content.decode()
    assert "cannot be before the trainee started (2 September 2024)" in early.content.decode()
    assert done.status_code == 302 and done["Location"] == reverse("careers:trainees")
    assert "already closed: qualified on 25 July 2025" in again.content.decode()
    assert Trainee.objects.get(pk=trainee.pk).qualified_on == dt.date(2025, 7, 25)


def test_recording_a_withdrawal_from_its_page(personas: Personas) -> None:
    trainee = trainee_in(personas.own_team)
    url = reverse("careers:trainee_withdrawn", kwargs={"trainee_id": trainee.pk})
    client = _client(personas.lead)
    day = {"on": "2025-03-14"}

    empty = client.post(url, {}).content.decode()
    bad_date = client.post(url, {"on": "2025-02-31"})
    other = client.post(url, {**day, "reason": WithdrawalReason.OTHER}).content.decode()
    done = client.post(url, {**day, "reason": WithdrawalReason.PERSONAL})

    assert (
        "Enter the date they withdrew" in empty
        and "Choose the reason the trainee withdrew" in empty
    )
    assert "Date they withdrew must be a real date" in bad_date.content.decode()
    assert "Say what the other reason was" in other
    assert done.status_code == 302
    trainee.refresh_from_db()
    assert (trainee.status, trainee.withdrawn_on) == (TraineeStatus.WITHDRAWN, dt.date(2025, 3, 14))


def test_the_outcome_pages_as_each_persona(personas: Personas) -> None:
    mine = trainee_in(personas.own_team)
    theirs = trainee_in(personas.other_team)
    seen = {}
    for label, user in personas.all().items():
        client = _client(user)
        seen[label] = tuple(
            client.get(reverse(f"careers:trainee_{what}", kwargs={"trainee_id": t.pk})).status_code
            for what in ("qualified", "withdrawn")
            for t in (mine, theirs)
        )

    assert seen == {
        "admin": (200, 200, 200, 200),
        "lead": (200, 200, 200, 200),
        "hr": (200, 200, 200, 200),
        "manager": (403, 403, 403, 403),
        "board": (403, 403, 403, 403),
        "analyst": (403, 403, 403, 403),
    }
    outsider = _client(personas.outsider)
    url = reverse("careers:trainee_qualified", kwargs={"trainee_id": mine.pk})
    assert outsider.get(url).status_code == 404


def test_the_trainees_page_shows_open_and_closed_trainees(personas: Personas) -> None:
    trainee_in(personas.own_team, last_name="Stillhere")
    gone = trainee_in(personas.own_team, last_name="Leftearly")
    services.record_withdrawn(
        trainee=gone, on=dt.date(2025, 1, 10), reason=WithdrawalReason.CAREER_CHANGE
    )
    url = reverse("careers:trainees")

    hr = _client(personas.hr).get(url).content.decode()
    manager = _client(personas.manager).get(url).content.decode()
    closed = _client(personas.hr).get(url, {"table": "closed", "format": "csv"})

    assert (
        "<title>Trainees" in hr
        and "govuk-button" not in hr.split("<title>")[1].split("</title>")[0]
    )
    training, former = hr.split("Qualified or withdrawn</h2>")
    assert "Stillhere" in training and "Leftearly" not in training
    assert "Leftearly" in former and "Decided social work was not for them" in former
    assert reverse("careers:trainee_qualified", kwargs={"trainee_id": gone.pk}) not in hr
    assert ": record that" in hr  # the outcome links, named for screen readers
    assert "Stillhere" in manager and "/qualified/" not in manager  # a manager only reads
    assert b"Leftearly" in closed.content and b"Stillhere" not in closed.content
