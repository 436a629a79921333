"""A workforce lead records a scrutiny inquiry's recommendations, adds actions and updates,
links an action to the agency rate, and downloads a formal response that reads like the Leeds
one, and a progress section in the next board report. Every step goes through the pages."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import docx as python_docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from workforce.actionplans.models import Action, Recommendation, Source
from workforce.core.periods import month_end
from workforce.reports.models import Report

pytestmark = pytest.mark.django_db

RECOMMENDATIONS = {
    "1": "That the Chief Social Services Officer considers adopting similar practices to those "
    "introduced by The Youth Service to carry out induction programmes whilst awaiting CRB "
    "clearance.",
    "2": "That the Chief Social Services Officer considers the potential for developing job "
    "rotation and secondment opportunities.",
    "3": "That the Director of Children's Services, in conjunction with the Director of Legal "
    "Services, considers how to appropriately challenge the unnecessary prolonging of care "
    "orders.",
}


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_a_lead_records_an_inquiry_and_reports_on_it(personas: Any, reference_data: None) -> None:
    from workforce.reports.tests import world

    world.build(personas.lead.authority)  # posts, people and agency workers from 2024
    client = Client()
    client.force_login(personas.lead)
    today = timezone.localdate()
    last_month_end = month_end(today.replace(day=1) - dt.timedelta(days=1))
    updated = last_month_end - dt.timedelta(days=5)
    started = updated - dt.timedelta(days=30)
    issued = started - dt.timedelta(days=10)

    post(
        client,
        reverse("actionplans:source_new"),
        {
            "kind": "scrutiny",
            "title": "Recruitment, retention and workload of children's social workers",
            "body": "Scrutiny Board (Children's Services)",
            "issued_on": issued.isoformat(),
            "link": "",
            "summary": "",
        },
    )
    source = Source.objects.get(authority=personas.lead.authority)
    for number, text in RECOMMENDATIONS.items():
        post(
            client,
            reverse("actionplans:recommendation_new", kwargs={"source_id": source.pk}),
            {"number": number, "text": text},
        )
    # A number used twice is refused on the form, naming the field.
    response = client.post(
        reverse("actionplans:recommendation_new", kwargs={"source_id": source.pk}),
        {"number": "2", "text": "Again."},
    )
    assert response.status_code == 200
    assert "Recommendation 2 is already in this plan." in response.content.decode()

    rotation = Recommendation.objects.get(source=source, number="2")
    post(
        client,
        reverse("actionplans:action_new", kwargs={"recommendation_id": rotation.pk}),
        {
            "text": "Include job rotation and secondment in the workforce reform portfolio.",
            "responsibility": "Head of Children's Service Transformation",
            "owner": str(personas.hr.pk),
            "start": started.isoformat(),
            "due": (started + dt.timedelta(days=200)).isoformat(),
            "timescale": "Before April 2007",
        },
    )
    action = Action.objects.get(recommendation=rotation)
    post(
        client,
        reverse("actionplans:update_new", kwargs={"action_id": action.pk}),
        {
            "on": updated.isoformat(),
            "status": "at_risk",
            "text": "Proposals wait on the new team structures.",
            "closed_reason": "",
            "link": "",
            "link_title": "",
        },
    )
    post(
        client,
        reverse("actionplans:measure_new", kwargs={"action_id": action.pk}),
        {"measure": "agency_rate_fte", "direction": "le", "value": "20", "by": ""},
    )
    shown = client.get(
        reverse("actionplans:action", kwargs={"action_id": action.pk})
    ).content.decode()
    assert "Agency rate at most 20%" in shown
    # The agency rate since the action started, from the figures layer.
    from workforce.core.access import scope_for
    from workforce.metrics.measures import REGISTRY, format_value
    from workforce.metrics.selectors import filter_for_scope, measures_on

    rate = measures_on(
        where=filter_for_scope(scope_for(personas.lead)), on=started, keys=["agency_rate_fte"]
    ).values["agency_rate_fte"][0]
    assert rate is not None
    assert format_value(REGISTRY["agency_rate_fte"], rate) in shown

    # The formal response: the Leeds table, each recommendation over its actions.
    response = client.get(reverse("actionplans:response_docx", kwargs={"source_id": source.pk}))
    assert response.status_code == 200
    word = python_docx.Document(io.BytesIO(response.content))
    body = "\n".join(p.text for p in word.paragraphs)
    assert "Formal response - Recruitment, retention and workload" in body
    assert "Proposed Action Plan" in body
    table = word.tables[-1]
    assert [c.text for c in table.rows[0].cells] == [
        "Recommendation",
        "Action taken/proposed",
        "Responsibility",
        "Timescale",
    ]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert any(
        r[0].startswith("Recommendation 2. That the Chief Social Services Officer")
        and r[1].startswith("Include job rotation")
        and r[2] == "Head of Children's Service Transformation"
        and "Before April 2007" in r[3]
        for r in rows
    ), rows

    # The next board report: the monthly pack has the action plans' progress.
    post(client, reverse("reports:monthly_pack"), {})
    report = Report.objects.get(authority=personas.lead.authority)
    assert report.report_date == last_month_end
    response = client.get(reverse("reports:docx", kwargs={"report_id": report.pk}))
    assert response.status_code == 200
    paper = python_docx.Document(io.BytesIO(response.content))
    words = "\n".join(p.text for p in paper.paragraphs) + "\n".join(
        cell.text for t in paper.tables for row in t.rows for cell in row.cells
    )
    assert re.search(r"\tAction plans", words), "the section is in the paper"
    assert "Proposals wait on the new team structures." in words
    assert "At risk" in words
    at = words.find(personas.hr.first_name)
    assert at < 0, words[max(0, at - 300) : at + 100]
