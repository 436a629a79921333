"""Correcting an exit interview: changing its themes, notes and outcome under the rules of
recording one, deleting one recorded in error after confirming, both kept in the audit log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from workforce.careers import services_exits as services
from workforce.careers.models.exits import ExitInterview, ExitOutcome, ExitTheme
from workforce.conftest import Personas
from workforce.core.models import PersonalDataAccess
from workforce.establishment import services as establishment
from workforce.establishment.models import Post, Worker
from workforce.establishment.tests.factories import PostFactory, RoleFactory

D = dt.date
TODAY = D(2025, 6, 30)
NOTICE = D(2025, 5, 1)
HELD = D(2025, 5, 2)


@pytest.fixture
def post(reference_data: None, personas: Personas) -> Post:
    role = RoleFactory(authority=personas.own_team.authority, title="Social worker")
    return PostFactory(team=personas.own_team, role=role, start=D(2018, 1, 1))


def person(post: Post, name: str) -> Worker:
    worker = establishment.create_worker(
        authority=post.authority, staff_number=name.upper(), first_name="Sam", last_name=name
    )
    establishment.appoint_worker(worker=worker, post=post, start=D(2020, 1, 6), fte=Decimal("1"))
    return worker


def themes_of(worker: Worker, *labels: str) -> list[ExitTheme]:
    found = {t.label: t for t in ExitTheme.objects.filter(authority=worker.authority)}
    return [found[label] for label in labels]


def retained(worker: Worker, *labels: str) -> ExitInterview:
    """Notice given on 1 May 2025, interviewed the next day, stayed."""
    return services.record_exit_interview(
        worker=worker,
        held_on=HELD,
        notice_given_on=NOTICE,
        outcome=ExitOutcome.RETAINED,
        themes=themes_of(worker, *labels),
        notes="Thinking of leaving.",
        today=TODAY,
    )


def change(interview: ExitInterview, **fields: Any) -> ExitInterview:
    values: dict[str, Any] = {
        "held_on": interview.held_on,
        "notice_given_on": interview.notice_given_on,
        "outcome": interview.outcome,
        "themes": list(interview.themes.all()),
        "notes": interview.notes,
        "today": TODAY,
    }
    values.update(fields)
    return services.change_exit_interview(interview=interview, **values)


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The service ---------------------------------------------------------------------------------


def test_themes_notes_and_outcome_are_corrected(post: Post) -> None:
    worker = person(post, "Changed")
    interview = retained(worker, "Pay")
    # They left after all: last day 20 June 2025, after the notice.
    leaving = establishment.record_leaver(worker=worker, last_day=D(2025, 6, 20), reason="1")

    changed = change(
        interview,
        outcome=ExitOutcome.LEFT,
        themes=themes_of(worker, "Caseload", "Supervision and support"),
        notes="  Caseload too high; little supervision.  ",
    )

    changed.refresh_from_db()
    assert (changed.outcome, changed.leaving) == (ExitOutcome.LEFT, leaving)
    assert [t.label for t in changed.themes.all()] == ["Caseload", "Supervision and support"]
    assert changed.notes == "Caseload too high; little supervision."


def test_a_change_is_refused_as_recording_would_be(post: Post) -> None:
    worker = person(post, "Refused")
    interview = retained(worker, "Pay")

    with pytest.raises(ValidationError) as no_leaving:
        change(interview, outcome=ExitOutcome.LEFT)
    with pytest.raises(ValidationError) as future:
        change(interview, held_on=D(2025, 7, 1))
    with pytest.raises(ValidationError) as long_notes:
        change(interview, notes="x" * 5001)
    with pytest.raises(ValidationError) as before_notice:
        change(interview, held_on=D(2025, 4, 30))

    assert "No leaving is recorded" in refusal(no_leaving)["outcome"][0]
    assert refusal(future) == {"held_on": ["The date of the interview cannot be in the future."]}
    assert refusal(long_notes) == {"notes": ["The notes must be 5,000 characters or fewer."]}
    assert list(refusal(before_notice)) == ["held_on"]
    interview.refresh_from_db()
    assert (interview.outcome, interview.notes) == (ExitOutcome.RETAINED, "Thinking of leaving.")


def test_a_retired_theme_stays_but_is_not_added(post: Post) -> None:
    worker = person(post, "Retired")
    interview = retained(worker, "Travel")
    travel, hours = themes_of(worker, "Travel", "Hours")
    services.set_theme_offered(theme=travel, offered=False)
    services.set_theme_offered(theme=hours, offered=False)

    kept = change(interview, themes=[travel], notes="Long drive.")
    with pytest.raises(ValidationError) as error:
        change(interview, themes=[travel, hours])

    assert [t.label for t in kept.themes.all()] == ["Travel"]
    assert refusal(error) == {"themes": ["“Hours” is no longer offered as a theme."]}


def test_a_changed_interview_keeps_its_own_leaving(post: Post) -> None:
    """Changing an interview tied to a leaving is not refused as a second one for it."""
    worker = person(post, "Leaver")
    establishment.record_leaver(worker=worker, last_day=D(2025, 4, 4), reason="1")
    interview = services.record_exit_interview(
        worker=worker, held_on=D(2025, 4, 10), outcome=ExitOutcome.LEFT, today=TODAY
    )

    changed = change(interview, themes=themes_of(worker, "Pay"))

    assert [t.label for t in changed.themes.all()] == ["Pay"]


# The pages -----------------------------------------------------------------------------------


def test_hr_corrects_an_interview_from_its_page(post: Post, personas: Personas) -> None:
    worker = person(post, "Pagechanged")
    interview = retained(worker, "Pay")
    (caseload,) = themes_of(worker, "Caseload")
    detail = reverse("careers:exit_interview", kwargs={"exit_interview_id": interview.pk})
    url = reverse("careers:exit_interview_change", kwargs={"exit_interview_id": interview.pk})
    hr = client_for(personas.hr)
    entries = LogEntry.objects.get_for_object(interview).count()

    page = hr.get(detail)
    form = hr.get(url)
    refused = hr.post(url, {"held_on": "2025-05-02", "notice_given_on": "2025-05-01"})
    done = hr.post(
        url,
        {
            "held_on": "2025-05-02",
            "notice_given_on": "2025-05-01",
            "outcome": "retained",
            "themes": [caseload.pk],
            "notes": "Caseload, not pay.",
        },
    )

    assert url in page.content.decode()
    assert "Thinking of leaving." in form.content.decode()
    assert "Choose the outcome: whether they left or were retained." in refused.content.decode()
    assert "govuk-error-summary" in refused.content.decode()
    assert done.status_code == 302 and done["Location"] == detail
    interview.refresh_from_db()
    assert [t.label for t in interview.themes.all()] == ["Caseload"]
    assert interview.notes == "Caseload, not pay."
    # The change and the themes swapped are in the audit log; opening the form is recorded.
    assert LogEntry.objects.get_for_object(interview).count() > entries
    assert PersonalDataAccess.objects.filter(
        user=personas.hr, record_type="careers.exitinterview", record_id=interview.pk
    ).exists()


def test_deleting_an_interview_asks_first(post: Post, personas: Personas) -> None:
    worker = person(post, "Deleted")
    interview = retained(worker, "Pay")
    pk = interview.pk
    url = reverse("careers:exit_interview_delete", kwargs={"exit_interview_id": pk})
    hr = client_for(personas.hr)

    asked = hr.get(url)
    assert ExitInterview.objects.filter(pk=pk).exists()
    deleted = hr.post(url)

    assert "Delete the interview</button>" in asked.content.decode()
    assert deleted.status_code == 302
    assert deleted["Location"] == reverse("careers:exit_interviews")
    assert not ExitInterview.objects.filter(pk=pk).exists()
    entry = LogEntry.objects.filter(
        content_type__model="exitinterview", object_pk=str(pk), action=LogEntry.Action.DELETE
    )
    assert entry.exists()


def test_a_team_manager_reads_but_does_not_correct(post: Post, personas: Personas) -> None:
    worker = person(post, "Managed")
    interview = retained(worker, "Pay")
    ids = {"exit_interview_id": interview.pk}
    manager = client_for(personas.manager)

    page = manager.get(reverse("careers:exit_interview", kwargs=ids))
    change_url = reverse("careers:exit_interview_change", kwargs=ids)
    delete_url = reverse("careers:exit_interview_delete", kwargs=ids)

    assert page.status_code == 200 and change_url not in page.content.decode()
    assert manager.get(change_url).status_code == 403
    assert manager.post(delete_url).status_code == 403
    assert ExitInterview.objects.filter(pk=interview.pk).exists()
