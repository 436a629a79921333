"""Recording applications already under way, by form and by the recruitment import.

The world (conftest): a social worker vacancy V1 opened 1 June 2017 for one post, in an
authority with the default rules, so a 2017 application needs eight checks (seven for every
role and HCPC registration).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from workforce.establishment import services as establishment
from workforce.imports.base import importer_for, read
from workforce.recruitment import backload
from workforce.recruitment.figures import ZERO, ProgressFilter, progress_on
from workforce.recruitment.models import (
    Application,
    CheckOutcome,
    OfferKind,
    OfferResponse,
    Stage,
    TaskKind,
)

D = dt.date
THROUGH_INTERVIEW = {
    "applied_on": D(2017, 6, 5),
    "shortlisted_on": D(2017, 6, 9),
    "interviewed_on": D(2017, 6, 16),
    "recommended_on": D(2017, 6, 16),
}
IN_CHECKS = {**THROUGH_INTERVIEW, "checks_on": D(2017, 6, 19)}
ACCEPTED = {
    **IN_CHECKS,
    "conditional_accepted_on": D(2017, 6, 20),
    "checks_cleared_on": D(2017, 7, 31),
    "unconditional_offer_on": D(2017, 8, 1),
    "accepted_on": D(2017, 8, 3),
}


def _record(world: Any, stage: str, dates: dict[str, dt.date], n: int = 1, **more: Any) -> Any:
    return backload.record_under_way(
        vacancy=world.vacancy,
        stage=stage,
        dates=dates,
        first_name="Under",
        last_name=f"Way{n}",
        email=f"under{n}@example.com",
        **more,
    )


def _history(application: Application) -> list[tuple[str, dt.date]]:
    return list(application.transitions.order_by("on", "pk").values_list("to_stage", "on"))


def _progress(authority: Any, on: dt.date) -> Any:
    return progress_on(ProgressFilter(authority_ids=(authority.pk,)), on=on).get((), ZERO)


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def test_an_application_in_checks_has_its_history_and_checks_waiting(world, authority):
    application = _record(world, Stage.CHECKS, IN_CHECKS)

    assert application.stage == Stage.CHECKS
    assert application.stage_on == D(2017, 6, 19)
    assert _history(application) == [
        (Stage.APPLIED, D(2017, 6, 5)),
        (Stage.SHORTLISTED, D(2017, 6, 9)),
        (Stage.INTERVIEWED, D(2017, 6, 16)),
        (Stage.RECOMMENDED, D(2017, 6, 16)),
        (Stage.CHECKS, D(2017, 6, 19)),
    ]
    checks = list(application.checks.values_list("kind", "outcome", "requested_on"))
    assert len(checks) == 8
    assert {outcome for _k, outcome, _r in checks} == {CheckOutcome.PENDING}
    assert {requested for _k, _o, requested in checks} == {D(2017, 6, 19)}
    assert "hcpc" in {kind for kind, _o, _r in checks}
    offer = application.offers.get()
    assert (offer.kind, offer.made_on, offer.response) == (
        OfferKind.CONDITIONAL,
        D(2017, 6, 16),
        OfferResponse.PENDING,
    )
    assert list(application.tasks.values_list("kind", "due_on")) == [(TaskKind.OFFER_LETTER, None)]
    # The reports count it by its days: applied on 5 June, recommended 16 June, checks 19 June.
    assert _progress(authority, D(2017, 6, 4)).applications == 0
    on_17 = _progress(authority, D(2017, 6, 17))
    assert (on_17.applications, on_17.offered, on_17.recommended, on_17.in_checks) == (1, 1, 1, 0)
    on_19 = _progress(authority, D(2017, 6, 19))
    assert (on_19.recommended, on_19.in_checks) == (0, 1)


def test_an_application_past_checks_has_its_checks_cleared_on_the_day(world, authority):
    application = _record(world, Stage.ACCEPTED, ACCEPTED)

    assert application.stage == Stage.ACCEPTED
    assert application.accepted_on == D(2017, 8, 3)
    assert set(application.checks.values_list("outcome", "outcome_on")) == {
        (CheckOutcome.CLEARED, D(2017, 7, 31))
    }
    offers = {o.kind: (o.made_on, o.response, o.response_on) for o in application.offers.all()}
    assert offers == {
        OfferKind.CONDITIONAL: (D(2017, 6, 16), OfferResponse.ACCEPTED, D(2017, 6, 20)),
        OfferKind.UNCONDITIONAL: (D(2017, 8, 1), OfferResponse.ACCEPTED, D(2017, 8, 3)),
    }
    assert not application.tasks.exists()
    july = _progress(authority, D(2017, 7, 1))
    assert (july.in_checks, july.conditional_accepted, july.accepted) == (1, 1, 0)
    august = _progress(authority, D(2017, 8, 2))
    assert (august.unconditional, august.accepted) == (1, 0)
    september = _progress(authority, D(2017, 9, 30))
    assert (september.accepted, september.ever_accepted) == (1, 1)


def test_in_checks_with_every_check_cleared_waits_for_the_offer(world):
    dates = {**IN_CHECKS, "checks_cleared_on": D(2017, 7, 31)}

    application = _record(world, Stage.CHECKS, dates)

    assert set(application.checks.values_list("outcome", flat=True)) == {CheckOutcome.CLEARED}
    assert application.tasks.get().due_on == D(2017, 7, 31)


def test_a_recruit_who_started_is_created_in_the_post(world):
    dates = {**ACCEPTED, "started_on": D(2017, 9, 4)}

    application = _record(world, Stage.STARTED, dates, staff_number="E1001", post=world.post)

    assert application.stage == Stage.STARTED
    assert application.worker.staff_number == "E1001"
    assert (application.engagement.post, application.engagement.start) == (
        world.post,
        D(2017, 9, 4),
    )


def test_a_recruit_already_in_the_staff_records_is_linked_to_their_employment(world, authority):
    worker = establishment.create_worker(
        authority=authority, staff_number="E2002", first_name="Under", last_name="Way1"
    )
    engagement = establishment.appoint_worker(
        worker=worker, post=world.post, start=D(2017, 9, 4), fte=Decimal("1.00")
    )
    dates = {**ACCEPTED, "started_on": D(2017, 9, 4)}

    application = _record(world, Stage.STARTED, dates, staff_number="E2002")

    assert (application.worker, application.engagement) == (worker, engagement)
    assert _history(application)[-1] == (Stage.STARTED, D(2017, 9, 4))


@pytest.mark.parametrize(
    ("stage", "dates", "field", "words"),
    [
        (
            Stage.INTERVIEWED,
            {**THROUGH_INTERVIEW, "recommended_on": None, "shortlisted_on": D(2017, 6, 20)},
            "interviewed_on",
            "cannot be before shortlisted on",
        ),
        (Stage.CHECKS, {**THROUGH_INTERVIEW}, "checks_on", "Enter the date"),
        (Stage.SHORTLISTED, {**THROUGH_INTERVIEW}, "interviewed_on", "Leave interviewed on empty"),
        (
            Stage.APPLIED,
            {"applied_on": dt.date.today() + dt.timedelta(days=1)},
            "applied_on",
            "cannot be in the future",
        ),
        (
            Stage.ACCEPTED,
            {**ACCEPTED, "checks_cleared_on": D(2017, 8, 2)},
            "unconditional_offer_on",
            "cannot be before checks cleared on",
        ),
        (
            Stage.CHECKS,
            {**IN_CHECKS, "conditional_accepted_on": D(2017, 6, 10)},
            "conditional_accepted_on",
            "accepted on or after it",
        ),
        (Stage.STARTED, {**ACCEPTED, "started_on": D(2017, 9, 4)}, "staff_number", "staff number"),
    ],
)
def test_bad_dates_are_refused_naming_the_field(world, stage, dates, field, words):
    with pytest.raises(ValidationError) as error:
        _record(world, stage, dates)

    assert words in " ".join(_fields(error)[field])
    assert not Application.objects.exists()


# The page --------------------------------------------------------------------------------------


def _post(client: Any, world: Any, **data: str) -> Any:
    url = reverse("recruitment:under_way", kwargs={"vacancy_id": world.vacancy.pk})
    return client.post(
        url, {"first_name": "Ona", "last_name": "Page", "email": "ona@example.com", **data}
    )


def test_the_page_records_an_application_under_way(client, personas, world):
    client.force_login(personas.hr)
    url = reverse("recruitment:under_way", kwargs={"vacancy_id": world.vacancy.pk})
    assert "Record an application already under way" in client.get(url).content.decode()

    response = _post(
        client,
        world,
        stage="checks",
        applied_on="2017-06-05",
        shortlisted_on="2017-06-09",
        interviewed_on="2017-06-16",
        recommended_on="2017-06-16",
        checks_on="2017-06-19",
    )

    application = Application.objects.get(candidate__email="ona@example.com")
    assert response.status_code == 302
    assert (application.stage, application.stage_on) == (Stage.CHECKS, D(2017, 6, 19))


def test_the_page_names_the_field_of_a_date_out_of_order(client, personas, world):
    client.force_login(personas.hr)

    response = _post(
        client,
        world,
        stage="interviewed",
        applied_on="2017-06-05",
        shortlisted_on="2017-06-20",
        interviewed_on="2017-06-16",
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Interviewed on (16 June 2017) cannot be before shortlisted on" in text
    assert 'href="#id_interviewed_on' in text or "id_interviewed_on" in text
    assert not Application.objects.exists()


def test_the_page_answers_junk_with_messages(client, personas, world):
    client.force_login(personas.hr)

    response = _post(client, world, stage="nonsense", applied_on="junk")

    text = response.content.decode()
    assert response.status_code == 200
    assert "Choose the stage reached from the list" in text
    assert "The “applied on” date must be a real date" in text


def test_the_page_is_for_recruitment_staff_only(client, personas, world):
    client.force_login(personas.manager)
    url = reverse("recruitment:under_way", kwargs={"vacancy_id": world.vacancy.pk})
    assert client.get(url).status_code == 403


# The import ------------------------------------------------------------------------------------

HEADER = (
    "Vacancy reference,First name,Last name,Email,Stage reached,Applied on,Shortlisted on,"
    "Interviewed on,Recommended on,Pre-employment checks started on,Checks cleared on,"
    "Unconditional offer made on,Unconditional offer accepted on,Started on,Staff number,"
    "Post reference\n"
)
ROW_CHECKS = (
    "V1,Ann,One,ann@example.com,Pre-employment checks,"
    "05/06/2017,09/06/2017,16/06/2017,16/06/2017,19/06/2017,,,,,,\n"
)
ROW_ACCEPTED = (
    "V1,Bo,Two,bo@example.com,Accepted,05/06/2017,09/06/2017,16/06/2017,16/06/2017,"
    "19/06/2017,31/07/2017,01/08/2017,03/08/2017,,,\n"
)
ROW_BAD = "V1,Cy,Three,cy@example.com,Interviewed,05/06/2017,20/06/2017,16/06/2017,,,,,,,,\n"


def _import(authority: Any, text: str, *, apply: bool = True) -> Any:
    importer = importer_for("recruitment")
    assert importer is not None
    return read(importer, authority, text.encode(), apply=apply)


def test_the_import_records_each_row_at_its_stage(world, authority):
    outcome = _import(authority, HEADER + ROW_CHECKS + ROW_ACCEPTED)

    assert outcome.error_count == 0, outcome.problems
    assert outcome.counts == {"application": {"create": 2}}
    stages = dict(Application.objects.values_list("candidate__email", "stage"))
    assert stages == {"ann@example.com": Stage.CHECKS, "bo@example.com": Stage.ACCEPTED}
    # The same file again changes nothing.
    again = _import(authority, HEADER + ROW_CHECKS + ROW_ACCEPTED)
    assert again.counts == {"application": {"match": 2}}
    assert Application.objects.count() == 2


def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(world, authority):
    outcome = _import(authority, HEADER + ROW_CHECKS + ROW_BAD)

    assert not Application.objects.exists()
    [problem] = outcome.errors
    assert (problem.line, problem.column, problem.value) == (3, "Interviewed on", "16/06/2017")
    assert "cannot be before shortlisted on" in problem.message


def test_an_unknown_vacancy_and_a_future_date_are_named(world, authority):
    future = (dt.date.today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    rows = (
        "V9,Di,Four,di@example.com,Applied,05/06/2017,,,,,,,,,,\n"
        f"V1,Ed,Five,ed@example.com,Applied,{future},,,,,,,,,,\n"
    )

    outcome = _import(authority, HEADER + rows)

    found = {(p.line, p.column) for p in outcome.errors}
    assert found == {(2, "Vacancy reference"), (3, "Applied on")}
    assert not Application.objects.exists()


def test_an_import_of_applications_under_way_can_be_undone(world, authority, personas):
    from django.utils import timezone

    from workforce.imports import services as imports
    from workforce.recruitment.models import Candidate, Check, Offer, StageTransition

    importer = importer_for("recruitment")
    assert importer is not None
    run, outcome = imports.import_file(
        importer,
        authority,
        data=(HEADER + ROW_CHECKS + ROW_ACCEPTED).encode(),
        filename="under-way.csv",
        user=personas.hr,
        now=timezone.now(),
    )
    assert not outcome.errors, outcome.errors
    assert Check.objects.count() == 16

    imports.undo(run, user=personas.lead)

    for model in (Application, Candidate, Check, Offer, StageTransition):
        assert not model.objects.exists(), model
