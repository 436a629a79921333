"""The reports pages through the Django client: building, previewing, issuing, reading and
regenerating, bad input answered with a message, and who may open what."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from workforce.core.models import User
from workforce.reports import services
from workforce.reports.document import Audience
from workforce.reports.models import Report, ReportSectionChoice, ReportStatus
from workforce.reports.tests.conftest import Place

REPORT_DATE = dt.date(2025, 3, 31)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft(place: Place, audience: Audience = Audience.SCRUTINY_BOARD) -> Report:
    return services.create_report(
        authority=place.authority,
        user=place.personas.lead,
        title="Workforce report to scrutiny",
        audience=audience,
        report_date=REPORT_DATE,
    )


def issued(place: Place, audience: Audience = Audience.SCRUTINY_BOARD) -> Report:
    report = draft(place, audience)
    services.issue_report(
        report, scope=place.lead_scope, user=place.personas.lead, now=timezone.now()
    )
    return report


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def text(response: Any) -> str:
    return response.content.decode()


def test_the_list_has_an_empty_state_and_the_monthly_pack_button(place: Place) -> None:
    page = text(client_for(place.personas.lead).get(reverse("reports:list")))

    assert "There are no draft reports." in page
    assert "No report has been issued yet." in page
    assert "Make this month's improvement board pack" in page


def test_starting_a_report_goes_to_its_builder(place: Place) -> None:
    client = client_for(place.personas.lead)
    data = {"title": "Workforce update", "audience": "employment_committee", "author": "HR"}

    response = client.post(
        reverse("reports:create"), {**data, **date_parts("report_date", REPORT_DATE)}
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:builder", args=[report.pk])
    assert report.comparison_date == dt.date(2024, 3, 31)
    page = text(client.get(response["Location"]))
    assert "Workforce update" in page and "Employment committee" in page
    assert "Narrative for “Posts”" in page


def test_a_report_date_before_the_records_is_answered_with_a_message(place: Place) -> None:
    response = client_for(place.personas.lead).post(
        reverse("reports:create"),
        {
            "title": "Early",
            "audience": "scrutiny_board",
            **date_parts("report_date", dt.date(2020, 1, 31)),
        },
    )

    assert response.status_code == 200
    assert "There is a problem" in text(response)
    assert "The records start on 1 April 2023: choose a report date on or after it." in text(
        response
    )
    assert not Report.objects.exists()


def test_a_future_report_date_is_answered_with_a_message(place: Place) -> None:
    future = timezone.localdate() + dt.timedelta(days=40)
    response = client_for(place.personas.lead).post(
        reverse("reports:create"),
        {"title": "Soon", "audience": "scrutiny_board", **date_parts("report_date", future)},
    )

    assert "there are no figures for a date in the future" in text(response)


def test_the_builder_saves_narrative_and_moves_sections(place: Place) -> None:
    report = draft(place)
    client = client_for(place.personas.lead)
    url = reverse("reports:builder", args=[report.pk])
    chosen = ["test.posts", "test.plan", "test.blank"]

    response = client.post(
        url,
        {
            "sections": chosen,
            "narrative-test-posts": "Recruitment is on track.",
            "narrative-test-plan": "",
            "narrative-test-blank": "",
            "move": "down:test.posts",
        },
    )

    assert response.status_code == 302
    assert list(report.sections.values_list("key", flat=True)) == [
        "test.plan",
        "test.posts",
        "test.blank",
    ]
    assert report.sections.get(key="test.posts").narrative == "Recruitment is on track."
    assert "the section moved" in text(client.get(url))


def test_narrative_with_html_is_answered_on_the_builder(place: Place) -> None:
    report = draft(place)
    response = client_for(place.personas.lead).post(
        reverse("reports:builder", args=[report.pk]),
        {"sections": ["test.posts"], "narrative-test-posts": "<script>alert(1)</script>"},
    )

    page = text(response)
    assert response.status_code == 400
    assert 'href="#id_narrative-test-posts"' in page
    assert "Narrative for “Posts” must be plain text: remove the HTML tags" in page
    assert "<script>alert(1)</script>" not in page
    assert report.sections.get(key="test.posts").narrative == ""


def test_a_100000_character_narrative_is_answered_with_a_message(place: Place) -> None:
    report = draft(place)
    response = client_for(place.personas.lead).post(
        reverse("reports:builder", args=[report.pk]),
        {"sections": ["test.posts"], "narrative-test-posts": "word " * 20_000},
    )

    assert response.status_code == 400
    assert "must be 20,000 characters or fewer: it has 99,999" in text(response)


def test_the_builder_warns_of_a_section_no_longer_offered(place: Place) -> None:
    report = draft(place)
    ReportSectionChoice.objects.create(
        authority=place.authority, report=report, key="old.thing", position=9
    )
    client = client_for(place.personas.lead)

    page = text(client.get(reverse("reports:builder", args=[report.pk])))
    preview = client.get(reverse("reports:preview", args=[report.pk]))

    assert "no longer offered (old.thing)" in page
    assert preview.status_code == 200


def test_the_preview_numbers_paragraphs_and_shows_empty_sections(place: Place) -> None:
    report = draft(place)
    services.save_sections(
        report,
        chosen=["test.posts", "test.plan", "test.blank", "test.broken"],
        narratives={"test.posts": "First point.\n\nSecond\npoint."},
    )

    page = text(client_for(place.personas.lead).get(reverse("reports:preview", args=[report.pk])))

    assert "1. Posts" in page
    assert '<span class="govuk-!-font-weight-bold">1.1</span> First point.' in page
    assert '<span class="govuk-!-font-weight-bold">1.2</span> Second point.' in page
    assert "There were 3 posts, against 3 a year earlier." in page
    assert "No action plan has been agreed yet." in page
    assert "There is nothing to show in this section for 31 March 2025." in page
    assert "The figures for this section could not be gathered for 31 March 2025." in page
    assert "OFFICIAL" in page


def test_issuing_freezes_the_report_and_later_changes_do_not_show(place: Place) -> None:
    report = draft(place)
    client = client_for(place.personas.lead)
    assert "Once issued" in text(client.get(reverse("reports:issue", args=[report.pk])))

    response = client.post(reverse("reports:issue", args=[report.pk]))

    assert response["Location"] == reverse("reports:report", args=[report.pk])
    place.add_post("P-late", start=dt.date(2024, 6, 1))
    page = text(client.get(response["Location"]))
    assert "There were 3 posts" in page and "There were 4 posts" not in page
    assert "shown exactly as it was issued" in page
    report.refresh_from_db()
    assert f"up to recorded change number {services.version_entry(report)}." in page
    assert report.status == ReportStatus.ISSUED
    # Changing it now leads to the report as issued.
    assert client.get(reverse("reports:builder", args=[report.pk]))["Location"] == (
        reverse("reports:report", args=[report.pk])
    )
    assert client.post(reverse("reports:issue", args=[report.pk])).status_code == 302


def test_regenerating_marks_the_restated_figure(place: Place) -> None:
    report = issued(place)
    place.add_post("P-late", start=dt.date(2024, 6, 1))

    page = text(
        client_for(place.personas.lead).get(reverse("reports:regenerate", args=[report.pk]))
    )

    assert "Restated figures (1)" in page
    assert "<li>posts: 3 as issued, 4 now</li>" in page
    assert '<th scope="row" class="govuk-table__header">posts</th>' in page
    assert "There were 4 posts" in page
    assert "Restated" in page
    assert "changes to the records have been made since it was issued." in page  # post, funding


def test_the_monthly_pack_is_one_click(place: Place) -> None:
    response = client_for(place.personas.lead).post(reverse("reports:monthly_pack"))

    report = Report.objects.get()
    assert response["Location"] == reverse("reports:builder", args=[report.pk])
    assert report.audience == "improvement_board"
    assert report.report_date == services.month_end_before(timezone.localdate())


def test_board_members_read_issued_board_reports_only(place: Place) -> None:
    board_report = issued(place)
    internal = issued(place, Audience.INTERNAL)
    a_draft = draft(place)
    client = client_for(place.personas.board)

    listing = text(client.get(reverse("reports:list")))

    assert reverse("reports:report", args=[board_report.pk]) in listing
    assert reverse("reports:report", args=[internal.pk]) not in listing
    assert "Drafts" not in listing and "Start a report" not in listing
    assert client.get(reverse("reports:report", args=[board_report.pk])).status_code == 200
    assert client.get(reverse("reports:report", args=[internal.pk])).status_code == 403
    assert client.get(reverse("reports:report", args=[a_draft.pk])).status_code == 403
    assert client.get(reverse("reports:builder", args=[a_draft.pk])).status_code == 403
    assert client.post(reverse("reports:monthly_pack")).status_code == 403


def test_hr_and_managers_cannot_build_reports(place: Place) -> None:
    for user in (place.personas.hr, place.personas.manager, place.personas.analyst):
        assert client_for(user).get(reverse("reports:create")).status_code == 403


def test_another_authoritys_report_is_not_found(place: Place) -> None:
    report = issued(place)
    outsider = client_for(place.personas.outsider)

    assert outsider.get(reverse("reports:report", args=[report.pk])).status_code == 404
    assert outsider.get(reverse("reports:builder", args=[report.pk])).status_code == 404
    assert reverse("reports:report", args=[report.pk]) not in text(
        outsider.get(reverse("reports:list"))
    )


def test_charts_are_drawn_on_the_page_with_their_table(place: Place) -> None:
    report = draft(place)
    services.save_sections(report, chosen=["test.chart"], narratives={})

    page = text(client_for(place.personas.lead).get(reverse("reports:preview", args=[report.pk])))

    assert '<div role="img" aria-label="Posts rose from 3 to 4."><svg' in page
    assert "The chart could not be drawn here. A chart that cannot be drawn." in page
    assert "The numbers in this chart: Posts at each month end" in page
    assert 'aria-label="Posts at each month end"' in page
    assert 'aria-label="Posts at each month end (2)"' in page  # each region named once


def test_board_members_download_an_issued_report_as_issued(place: Place) -> None:
    import io

    from docx import Document as WordDocument

    report = draft(place)
    services.save_sections(
        report, chosen=["test.posts"], narratives={"test.posts": "Recruitment is on track."}
    )
    services.issue_report(
        report, scope=place.lead_scope, user=place.personas.lead, now=timezone.now()
    )
    place.add_post("P-late", start=dt.date(2024, 6, 1))
    client = client_for(place.personas.board)

    word = client.get(reverse("reports:docx", args=[report.pk]))
    pdf = client.get(reverse("reports:pdf", args=[report.pk]))
    printed = client.get(reverse("reports:print", args=[report.pk]))

    assert word["Content-Disposition"] == (
        f'attachment; filename="report-999-2025-03-31-{report.pk}.docx"'
    )
    paragraphs = "\n".join(p.text for p in WordDocument(io.BytesIO(word.content)).paragraphs)
    assert "Recruitment is on track." in paragraphs
    assert "There were 3 posts, against 3 a year earlier." in paragraphs  # as issued, not 4
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "There were 3 posts" in text(printed)


def test_a_drafts_files_are_for_those_who_manage_reports(place: Place) -> None:
    report = draft(place)

    assert (
        client_for(place.personas.board).get(reverse("reports:docx", args=[report.pk])).status_code
        == 403
    )
    lead = client_for(place.personas.lead).get(reverse("reports:docx", args=[report.pk]))
    assert lead.status_code == 200
