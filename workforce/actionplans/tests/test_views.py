"""The action-plan pages: what each shows, its filters and downloads, who may write, and every
refusal shown on the form rather than as an error page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from workforce.actionplans import services
from workforce.actionplans.models import (
    Action,
    ActionMeasure,
    Direction,
    Evidence,
    Recommendation,
    Source,
    SourceKind,
    Status,
    Update,
)
from workforce.actionplans.services import Upload
from workforce.conftest import Personas

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str, data: dict[str, Any] | None = None) -> str:
    response = client.get(url, data or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


class Plan:
    def __init__(self, personas: Personas) -> None:
        authority = personas.own_team.authority
        self.source = services.create_source(
            authority=authority,
            kind=SourceKind.SCRUTINY,
            title="Recruitment and retention of social workers",
            body="Scrutiny Board (Children's Services)",
            issued_on=days(-200),
            link="https://example.org/inquiry.pdf",
        )
        self.rec = services.add_recommendation(
            source=self.source, number="7", text="Reduce reliance on agency staff."
        )
        self.other_rec = services.add_recommendation(
            source=self.source, number="8.10", text="Adopt the employer standards."
        )
        # Harriet's: overdue (due last month), on track.
        self.late = services.add_action(
            recommendation=self.rec,
            text="Convert agency posts to permanent ones.",
            responsibility="Head of Human Resources",
            owner=personas.hr,
            start=days(-120),
            due=days(-30),
            timescale="Before the end of March",
        )
        services.record_update(
            action=self.late,
            author=personas.hr,
            on=days(-60),
            text="Twelve posts advertised.",
            status=Status.ON_TRACK,
            uploads=[Upload("advert.pdf", PDF)],
        )
        # Tariq's: at risk, due next year.
        self.risky = services.add_action(
            recommendation=self.rec,
            text="Run a rolling recruitment campaign.",
            responsibility="Team manager, Assessment North",
            owner=personas.manager,
            start=days(-100),
            due=days(300),
        )
        services.record_update(
            action=self.risky,
            author=personas.manager,
            on=days(-10),
            text="Few applicants in the first round.",
            status=Status.AT_RISK,
        )
        # No owner, done.
        self.done = services.add_action(
            recommendation=self.other_rec,
            text="Sign up to the standards.",
            responsibility="Director of Children's Services",
            start=days(-150),
            due=days(-100),
        )
        services.record_update(
            action=self.done,
            author=personas.lead,
            on=days(-110),
            text="Signed at the board.",
            status=Status.COMPLETE,
        )
        for action in (self.late, self.risky, self.done):
            action.refresh_from_db()


@pytest.fixture
def plan(personas: Personas) -> Plan:
    return Plan(personas)


def plan_url(plan: Plan) -> str:
    return reverse("actionplans:plan", kwargs={"source_id": plan.source.pk})


def action_url(action: Action) -> str:
    return reverse("actionplans:action", kwargs={"action_id": action.pk})


def progress_url(action: Action) -> str:
    return reverse("actionplans:update_new", kwargs={"action_id": action.pk})


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# The list of plans ---------------------------------------------------------------------------


def test_the_list_says_there_are_no_plans_yet(personas: Personas) -> None:
    text = page(client_for(personas.lead), reverse("actionplans:plans"))
    assert "No action plans are recorded yet." in text
    assert "Add a plan" in text


def test_the_list_shows_each_plan_with_its_counts_and_colours(
    personas: Personas, plan: Plan
) -> None:
    text = page(client_for(personas.board), reverse("actionplans:plans"))
    assert "Recruitment and retention of social workers" in text
    assert "Scrutiny inquiry" in text
    assert "1 red" in text and "1 amber" in text and "1 complete" in text
    assert plan_url(plan) in text
    assert "Add a plan" not in text  # board members read only


def test_the_list_filters_by_kind_and_downloads(personas: Personas, plan: Plan) -> None:
    client = client_for(personas.lead)
    text = page(client, reverse("actionplans:plans"), {"kind": SourceKind.OFSTED})
    assert "No plans of this kind." in text

    response = client.get(reverse("actionplans:plans"), {"format": "csv"})
    rows = csv_rows(response)
    assert rows[0][:6] == ["Plan", "Kind", "Made by", "Date", "Recommendations", "Actions"]
    assert rows[1][0] == plan.source.title
    assert rows[1][4:9] == ["2", "3", "1", "1", "0"]

    response = client.get(reverse("actionplans:plans"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet["A2"].value == plan.source.title


def test_a_plan_can_be_added_through_its_form(personas: Personas) -> None:
    client = client_for(personas.lead)
    response = client.post(
        reverse("actionplans:source_new"),
        {
            "kind": SourceKind.OFSTED,
            "title": "Inspection of children's services",
            "body": "Ofsted",
            "issued_on": days(-5).isoformat(),
        },
    )
    source = Source.objects.get()
    assert response["Location"] == reverse("actionplans:plan", kwargs={"source_id": source.pk})


def test_a_plan_dated_in_the_future_is_refused_on_the_form(personas: Personas) -> None:
    response = client_for(personas.lead).post(
        reverse("actionplans:source_new"),
        {"kind": SourceKind.OFSTED, "title": "T", "body": "Ofsted", "issued_on": days(5)},
    )
    assert response.status_code == 200
    assert "The date of the report must be today or in the past." in response.content.decode()


# A plan --------------------------------------------------------------------------------------


def test_the_plan_shows_recommendations_actions_and_their_latest_updates(
    personas: Personas, plan: Plan
) -> None:
    text = page(client_for(personas.analyst), plan_url(plan))
    assert "Recommendation 7" in text and "Reduce reliance on agency staff." in text
    assert "Recommendation 8.10" in text
    assert "Convert agency posts to permanent ones." in text
    assert "Head of Human Resources" in text
    assert "Harriet Persona" in text
    assert "Twelve posts advertised." in text
    assert "30 days overdue" in text
    assert 'href="https://example.org/inquiry.pdf" rel="noopener noreferrer"' in text
    assert action_url(plan.late) in text
    assert "Add a recommendation" not in text and "Delete the plan" not in text
    # The formal response, to every reader of the plan, and each link gives its file.
    client = client_for(personas.board)
    links = [
        reverse("actionplans:response_docx", kwargs={"source_id": plan.source.pk}),
        reverse("actionplans:response_docx", kwargs={"source_id": plan.source.pk}) + "?progress=1",
        reverse("actionplans:response_table", kwargs={"source_id": plan.source.pk})
        + "?format=xlsx",
        reverse("actionplans:response_table", kwargs={"source_id": plan.source.pk}) + "?format=csv",
    ]
    board_text = page(client, plan_url(plan))
    for link in links:
        assert link.replace("&", "&amp;") in board_text
        response = client.get(link)
        assert response.status_code == 200 and response.content
        assert response["Content-Disposition"].startswith("attachment")


def test_editors_see_the_edit_links_of_a_plan(personas: Personas, plan: Plan) -> None:
    text = page(client_for(personas.lead), plan_url(plan))
    for name, kwargs in [
        ("source_change", {"source_id": plan.source.pk}),
        ("document_new", {"source_id": plan.source.pk}),
        ("recommendation_new", {"source_id": plan.source.pk}),
        ("recommendation_change", {"recommendation_id": plan.rec.pk}),
        ("recommendation_delete", {"recommendation_id": plan.rec.pk}),
        ("action_new", {"recommendation_id": plan.rec.pk}),
        ("action_change", {"action_id": plan.late.pk}),
        ("action_delete", {"action_id": plan.late.pk}),
    ]:
        assert reverse(f"actionplans:{name}", kwargs=kwargs) in text, name


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"rag": "red"}, "Convert agency posts", "Run a rolling"),
        ({"status": Status.AT_RISK}, "Run a rolling", "Convert agency posts"),
        ({"overdue": "on"}, "Convert agency posts", "Sign up to the standards"),
        ({"rag": "complete"}, "Sign up to the standards", "Run a rolling"),
    ],
)
def test_the_plan_filters_its_actions(
    personas: Personas, plan: Plan, query: dict[str, str], shown: str, hidden: str
) -> None:
    text = page(client_for(personas.lead), plan_url(plan), query)
    assert shown in text
    assert hidden not in text


def test_a_filter_matching_nothing_says_so(personas: Personas, plan: Plan) -> None:
    text = page(client_for(personas.lead), plan_url(plan), {"status": Status.CLOSED})
    assert "No actions match the filter." in text


def test_the_plans_actions_download_with_their_filters(personas: Personas, plan: Plan) -> None:
    client = client_for(personas.lead)
    rows = csv_rows(client.get(plan_url(plan), {"format": "csv", "rag": "red"}))
    assert rows[0] == [
        "Recommendation",
        "Action",
        "Responsibility",
        "Owner",
        "Start",
        "Due",
        "Timescale",
        "Status",
        "RAG",
        "Last update",
        "Last update text",
    ]
    assert rows[1:] == [
        [
            "7",
            "Convert agency posts to permanent ones.",
            "Head of Human Resources",
            "Harriet Persona",
            days(-120).isoformat(),
            days(-30).isoformat(),
            "Before the end of March",
            "On track",
            "Red",
            days(-60).isoformat(),
            "Twelve posts advertised.",
        ]
    ]
    response = client.get(plan_url(plan), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.max_row == 4


def test_a_document_of_the_source_is_uploaded_and_listed(personas: Personas, plan: Plan) -> None:
    client = client_for(personas.lead)
    url = reverse("actionplans:document_new", kwargs={"source_id": plan.source.pk})
    assert 'enctype="multipart/form-data"' in page(client, url)
    response = client.post(url, {"files": [SimpleUploadedFile("report.pdf", PDF)]})
    assert response.status_code == 302
    document = Evidence.objects.get(source=plan.source)
    text = page(client, plan_url(plan))
    assert reverse("actionplans:evidence", kwargs={"evidence_id": document.pk}) in text


def test_a_document_form_with_nothing_given_says_what_to_do(personas: Personas, plan: Plan) -> None:
    url = reverse("actionplans:document_new", kwargs={"source_id": plan.source.pk})
    response = client_for(personas.lead).post(url, {})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "Choose a file or enter a link." in text


# An action and its history -------------------------------------------------------------------


def test_the_action_page_shows_its_details_updates_evidence_and_changes(
    personas: Personas, plan: Plan
) -> None:
    text = page(client_for(personas.board), action_url(plan.late))
    assert "Convert agency posts to permanent ones." in text
    assert "Twelve posts advertised." in text
    assert "Not started to on track" in text
    advert = Evidence.objects.get(update__action=plan.late)
    assert reverse("actionplans:evidence", kwargs={"evidence_id": advert.pk}) in text
    assert "advert.pdf" in text
    assert "Changes" in text and "Create" in text  # the audit log's entries for the action
    assert "Record progress" not in text  # board members read only
    assert "Change the action" not in text


def test_the_owner_is_offered_record_progress_and_others_are_not(
    personas: Personas, plan: Plan
) -> None:
    assert "Record progress" in page(client_for(personas.hr), action_url(plan.late))
    assert "Record progress" not in page(client_for(personas.hr), action_url(plan.risky))
    assert "Record progress" in page(client_for(personas.lead), action_url(plan.risky))


def test_a_linked_measure_shows_its_target_and_figures(personas: Personas, plan: Plan) -> None:
    client = client_for(personas.lead)
    response = client.post(
        reverse("actionplans:measure_new", kwargs={"action_id": plan.late.pk}),
        {"measure": "agency_rate_fte", "direction": Direction.AT_MOST, "value": "20"},
    )
    assert response.status_code == 302
    text = page(client, action_url(plan.late))
    assert "Agency rate at most 20%" in text
    assert "Target met" in text or "No figure" in text
    assert "figures since the action started" in text  # its numbers as a table

    link = ActionMeasure.objects.get()
    unlink = reverse("actionplans:measure_unlink", kwargs={"measure_link_id": link.pk})
    assert "Unlink Agency rate?" in page(client, unlink)
    assert client.post(unlink).status_code == 302
    assert not ActionMeasure.objects.exists()


def test_a_bound_target_without_a_value_is_refused_on_the_form(
    personas: Personas, plan: Plan
) -> None:
    response = client_for(personas.lead).post(
        reverse("actionplans:measure_new", kwargs={"action_id": plan.late.pk}),
        {"measure": "agency_rate_fte", "direction": Direction.AT_LEAST},
    )
    assert "Enter the target value." in response.content.decode()


# Recording progress --------------------------------------------------------------------------


def progress(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "on": TODAY.isoformat(),
        "status": Status.ON_TRACK,
        "text": "Interviews held.",
    }
    data.update(changes)
    return data


def test_the_owner_records_progress_with_files_and_a_link(personas: Personas, plan: Plan) -> None:
    client = client_for(personas.hr)
    form = page(client, progress_url(plan.late))
    assert 'enctype="multipart/form-data"' in form and "multiple" in form
    response = client.post(
        progress_url(plan.late),
        progress(
            files=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.txt", b"notes")],
            link="https://example.org/minutes",
            link_title="Board minutes",
        ),
    )
    assert response.status_code == 302
    update = Update.objects.filter(action=plan.late).latest("pk")
    assert update.text == "Interviews held."
    assert sorted(e.title for e in update.evidence.all()) == ["Board minutes", "a.pdf", "b.txt"]
    text = page(client, action_url(plan.late))
    assert 'href="https://example.org/minutes" rel="noopener noreferrer"' in text


def test_an_hr_officer_cannot_record_progress_on_someone_elses_action(
    personas: Personas, plan: Plan
) -> None:
    client = client_for(personas.hr)
    assert client.get(progress_url(plan.risky)).status_code == 403
    assert client.post(progress_url(plan.risky), progress()).status_code == 403
    assert plan.risky.updates.count() == 1


def test_a_board_member_cannot_record_progress(personas: Personas, plan: Plan) -> None:
    response = client_for(personas.board).post(progress_url(plan.late), progress())
    assert response.status_code == 403
    assert plan.late.updates.count() == 1


def test_a_team_manager_records_progress_on_their_own_action(
    personas: Personas, plan: Plan
) -> None:
    client = client_for(personas.manager)
    assert client.post(progress_url(plan.risky), progress()).status_code == 302
    assert client.post(progress_url(plan.late), progress()).status_code == 403


def test_another_authority_finds_nothing(personas: Personas, plan: Plan) -> None:
    client = client_for(personas.outsider)
    evidence = Evidence.objects.get(update__action=plan.late)
    for url in [
        plan_url(plan),
        action_url(plan.late),
        progress_url(plan.late),
        reverse("actionplans:evidence", kwargs={"evidence_id": evidence.pk}),
        reverse("actionplans:source_delete", kwargs={"source_id": plan.source.pk}),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(progress_url(plan.late), progress()).status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Status.COMPLETE, "text": ""}, "Enter what was done to complete the action."),
        ({"text": ""}, "Enter the progress."),
        ({"on": days(-90).isoformat()}, "must be on or after the last update"),
        ({"on": days(3).isoformat()}, "The date of the update must be today or in the past."),
        ({"status": Status.CLOSED}, "Enter why the action is closed without action."),
        ({"status": ""}, "Choose the action&#x27;s status after this update."),
        ({"on": ""}, "Enter the date of the update."),
        ({"link": "javascript:alert(1)"}, "Enter a link starting with https:// or http://."),
        ({"link_title": "Minutes"}, "Enter the link, or leave its title empty."),
    ],
)
def test_bad_progress_is_refused_on_the_form(
    personas: Personas, plan: Plan, changes: dict[str, Any], message: str
) -> None:
    response = client_for(personas.hr).post(progress_url(plan.late), progress(**changes))
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert message in text
    assert plan.late.updates.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("page.html", b"<!doctype html><html><script>x</script></html>"),
            "The selected file is a web page or contains web page code.",
        ),
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03\x00"), "The selected file must be a PDF"),
        (SimpleUploadedFile("empty.pdf", b""), "The selected file is empty."),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * 5000), "must be smaller than 2 KB"),
    ],
)
def test_wrong_files_are_refused_on_the_form(
    personas: Personas, plan: Plan, settings: Any, upload: Any, message: str, evidence_root: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 2048
    response = client_for(personas.hr).post(progress_url(plan.late), progress(files=[upload]))
    text = response.content.decode()
    assert response.status_code == 200
    assert message in text
    assert plan.late.updates.count() == 1
    assert sorted(p.name for p in evidence_root.iterdir()) == [
        Evidence.objects.get(update__action=plan.late).stored_as
    ]


def test_closing_without_action_with_a_reason_records_it(personas: Personas, plan: Plan) -> None:
    response = client_for(personas.hr).post(
        progress_url(plan.late),
        progress(status=Status.CLOSED, closed_reason="Overtaken by the restructure."),
    )
    assert response.status_code == 302
    plan.late.refresh_from_db()
    assert plan.late.status == Status.CLOSED
    assert plan.late.closed_reason == "Overtaken by the restructure."


# Evidence downloads --------------------------------------------------------------------------


def test_evidence_downloads_as_an_attachment_that_is_never_run(
    personas: Personas, plan: Plan
) -> None:
    item = Evidence.objects.get(update__action=plan.late)
    response = client_for(personas.board).get(
        reverse("actionplans:evidence", kwargs={"evidence_id": item.pk})
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="advert.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"].split(", ")


def test_a_link_is_not_downloaded(personas: Personas, plan: Plan) -> None:
    update = services.record_update(
        action=plan.late,
        author=personas.hr,
        on=TODAY,
        text="Minutes.",
        status=Status.ON_TRACK,
        links=[services.Link("Minutes", "https://example.org/m")],
    )
    item = update.evidence.get()
    url = reverse("actionplans:evidence", kwargs={"evidence_id": item.pk})
    assert client_for(personas.lead).get(url).status_code == 404


# Lists ---------------------------------------------------------------------------------------


def test_my_actions_lists_the_users_own_open_first(personas: Personas, plan: Plan) -> None:
    client = client_for(personas.manager)
    text = page(client, reverse("actionplans:my_actions"))
    assert "Run a rolling recruitment campaign." in text
    assert "Convert agency posts" not in text
    rows = csv_rows(client.get(reverse("actionplans:my_actions"), {"format": "csv"}))
    assert [r[2] for r in rows[1:]] == ["Run a rolling recruitment campaign."]


def test_my_actions_says_when_there_are_none(personas: Personas) -> None:
    text = page(client_for(personas.hr), reverse("actionplans:my_actions"))
    assert "You have no open actions." in text


def test_my_actions_is_not_for_board_members(personas: Personas) -> None:
    assert client_for(personas.board).get(reverse("actionplans:my_actions")).status_code == 403


def test_needing_attention_lists_overdue_and_at_risk_with_the_reason(
    personas: Personas, plan: Plan
) -> None:
    client = client_for(personas.board)
    url = reverse("actionplans:attention")
    text = page(client, url)
    assert "Convert agency posts" in text and "Run a rolling" in text
    assert "Sign up to the standards" not in text  # complete
    assert "Few applicants in the first round." in text

    text = page(client, url, {"owner": personas.hr.pk})
    assert "Convert agency posts" in text and "Run a rolling" not in text

    rows = csv_rows(client.get(url, {"format": "csv", "owner": personas.manager.pk}))
    assert rows[0][5] == "Days overdue"
    assert [r[2] for r in rows[1:]] == ["Run a rolling recruitment campaign."]
    rows = csv_rows(client.get(url, {"format": "csv", "plan": plan.source.pk}))
    assert {r[5] for r in rows[1:]} == {"30", ""}


def test_needing_attention_says_when_nothing_does(personas: Personas) -> None:
    text = page(client_for(personas.lead), reverse("actionplans:attention"))
    assert "No open action is overdue, at risk or off track." in text


# Deleting ------------------------------------------------------------------------------------


def test_deleting_asks_first_and_then_deletes_on_post(personas: Personas, plan: Plan) -> None:
    client = client_for(personas.lead)
    url = reverse("actionplans:action_delete", kwargs={"action_id": plan.done.pk})
    assert "Delete this action?" in page(client, url)
    assert Action.objects.filter(pk=plan.done.pk).exists()
    assert client.post(url).status_code == 302
    assert not Action.objects.filter(pk=plan.done.pk).exists()

    url = reverse("actionplans:recommendation_delete", kwargs={"recommendation_id": plan.rec.pk})
    response = client.post(url, follow=True)
    assert "Recommendation 7 has actions: remove them first." in response.content.decode()
    url = reverse(
        "actionplans:recommendation_delete", kwargs={"recommendation_id": plan.other_rec.pk}
    )
    client.post(url)
    assert not Recommendation.objects.filter(pk=plan.other_rec.pk).exists()

    url = reverse("actionplans:source_delete", kwargs={"source_id": plan.source.pk})
    assert client.post(url)["Location"] == reverse("actionplans:plans")
    assert not Source.objects.exists()


@pytest.mark.parametrize("who", ["hr", "manager", "board", "analyst"])
def test_only_editors_may_delete_or_change(personas: Personas, plan: Plan, who: str) -> None:
    client = client_for(getattr(personas, who))
    for url in [
        reverse("actionplans:source_delete", kwargs={"source_id": plan.source.pk}),
        reverse("actionplans:action_delete", kwargs={"action_id": plan.late.pk}),
        reverse("actionplans:action_change", kwargs={"action_id": plan.late.pk}),
        reverse("actionplans:recommendation_new", kwargs={"source_id": plan.source.pk}),
    ]:
        assert client.post(url, {"text": "x", "number": "9"}).status_code == 403, url
    assert Action.objects.count() == 3 and Recommendation.objects.count() == 2


def test_an_action_is_added_and_changed_through_its_forms(personas: Personas, plan: Plan) -> None:
    client = client_for(personas.lead)
    url = reverse("actionplans:action_new", kwargs={"recommendation_id": plan.other_rec.pk})
    response = client.post(
        url,
        {
            "text": "Report to the board.",
            "responsibility": "Workforce lead",
            "owner": personas.hr.pk,
            "start": days(-1).isoformat(),
            "due": days(-2).isoformat(),
        },
    )
    assert "The due date must be on or after the date the action started." in (
        response.content.decode()
    )
    response = client.post(
        url,
        {
            "text": "Report to the board.",
            "responsibility": "Workforce lead",
            "owner": personas.hr.pk,
            "start": days(-1).isoformat(),
        },
    )
    action = Action.objects.get(text="Report to the board.")
    assert response["Location"] == action_url(action)
    change = reverse("actionplans:action_change", kwargs={"action_id": action.pk})
    assert "Report to the board." in page(client, change)
    client.post(
        change,
        {
            "text": "Report to the board twice a year.",
            "responsibility": "Workforce lead",
            "start": days(-1).isoformat(),
        },
    )
    action.refresh_from_db()
    assert action.text == "Report to the board twice a year." and action.owner is None
    assert "Report to the board twice a year." in page(client, action_url(action))


def test_the_list_shows_the_newest_plan_first(personas: Personas, plan: Plan) -> None:
    services.create_source(
        authority=personas.lead.authority,
        kind=SourceKind.PEER_REVIEW,
        title="A recent peer review",
        body="A neighbouring council",
        issued_on=days(-1),
    )
    text = page(client_for(personas.board), reverse("actionplans:plans"))
    assert text.index("A recent peer review") < text.index(plan.source.title)
