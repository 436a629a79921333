"""The writes: dates in order, completing only with an update, evidence checked by content."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from workforce.actionplans import evidence, services
from workforce.actionplans.models import Action, Evidence, Rag, SourceKind, Status, Update
from workforce.actionplans.services import Link, Upload

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # Fixed times, so the same bytes every call.
        for name, text in (("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<d/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return out.getvalue()


@pytest.fixture
def source(authority):
    return services.create_source(
        authority=authority,
        kind=SourceKind.SCRUTINY,
        title="Recruitment, retention and workload of children's social workers",
        body="Scrutiny Board (Children's Services)",
        issued_on=dt.date(2026, 4, 1),
        today=TODAY,
    )


@pytest.fixture
def action(source, personas):
    recommendation = services.add_recommendation(
        source=source, number="2", text="Consider job rotation and secondment."
    )
    return services.add_action(
        recommendation=recommendation,
        text="Include rotation in the transformation programme.",
        responsibility="Head of Children's Service Transformation",
        owner=personas.hr,
        start=dt.date(2026, 5, 1),
        due=dt.date(2026, 6, 1),
        timescale="Before April 2027",
    )


def test_a_source_dated_in_the_future_is_refused(authority):
    with pytest.raises(ValidationError) as caught:
        services.create_source(
            authority=authority,
            kind=SourceKind.OFSTED,
            title="Inspection",
            body="Ofsted",
            issued_on=TODAY + dt.timedelta(days=1),
            today=TODAY,
        )
    assert "issued_on" in caught.value.message_dict


def test_recommendation_numbers_are_unique_in_a_source(source):
    services.add_recommendation(source=source, number="8.10", text="Standards for employers.")
    with pytest.raises(ValidationError) as caught:
        services.add_recommendation(source=source, number="8.10", text="Again.")
    assert caught.value.message_dict["number"] == ["Recommendation 8.10 is already in this plan."]


def test_a_due_date_before_the_start_is_refused(source):
    recommendation = services.add_recommendation(source=source, number="1", text="Induction.")
    with pytest.raises(ValidationError) as caught:
        services.add_action(
            recommendation=recommendation,
            text="Do it.",
            responsibility="Head of HR",
            start=dt.date(2026, 5, 1),
            due=dt.date(2026, 4, 30),
        )
    assert "due" in caught.value.message_dict
    assert not Action.objects.exists()


def test_completing_needs_an_update_saying_what_was_done(action, personas):
    with pytest.raises(ValidationError) as caught:
        services.record_update(
            action=action,
            author=personas.hr,
            on=dt.date(2026, 6, 1),
            text="  ",
            status=Status.COMPLETE,
            today=TODAY,
        )
    assert caught.value.message_dict["text"] == ["Enter what was done to complete the action."]
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED and not Update.objects.exists()
    services.record_update(
        action=action,
        author=personas.hr,
        on=dt.date(2026, 6, 1),
        text="Rotation agreed for all area teams.",
        status=Status.COMPLETE,
        today=TODAY,
    )
    action.refresh_from_db()
    assert action.status == Status.COMPLETE and action.ended_on == dt.date(2026, 6, 1)
    assert action.rag_on(TODAY) == Rag.COMPLETE


def test_updates_come_in_date_order_within_the_action(action, personas):
    def update(on):
        return services.record_update(
            action=action,
            author=personas.hr,
            on=on,
            text="Progress.",
            status=Status.ON_TRACK,
            today=TODAY,
        )

    for day, field in ((dt.date(2026, 4, 30), "on"), (TODAY + dt.timedelta(days=1), "on")):
        with pytest.raises(ValidationError) as caught:
            update(day)
        assert field in caught.value.message_dict
    update(dt.date(2026, 5, 20))
    with pytest.raises(ValidationError) as caught:
        update(dt.date(2026, 5, 19))
    assert "last update (20 May 2026)" in caught.value.message_dict["on"][0]
    with pytest.raises(ValidationError):
        services.change_action(
            action,
            text=action.text,
            responsibility=action.responsibility,
            start=dt.date(2026, 5, 21),
        )


def test_closing_without_action_needs_the_reason(action, personas):
    with pytest.raises(ValidationError) as caught:
        services.record_update(
            action=action,
            author=personas.hr,
            on=dt.date(2026, 6, 1),
            text="Not pursued.",
            status=Status.CLOSED,
            today=TODAY,
        )
    assert "closed_reason" in caught.value.message_dict


def test_an_open_action_past_its_due_date_is_red(action):
    assert action.rag_on(dt.date(2026, 5, 31)) == Rag.NOT_STARTED
    assert action.rag_on(dt.date(2026, 6, 2)) == Rag.RED
    assert action.is_overdue_on(dt.date(2026, 6, 2))


def test_evidence_is_checked_by_its_contents_and_kept_outside_the_site(
    action, personas, evidence_root
):
    update = services.record_update(
        action=action,
        author=personas.hr,
        on=dt.date(2026, 6, 1),
        text="Agreed.",
        status=Status.ON_TRACK,
        today=TODAY,
        uploads=[Upload("minutes.pdf", pdf_bytes()), Upload("plan.docx", docx_bytes())],
        links=[Link("Transformation programme", "https://example.org/programme")],
    )
    items = list(update.evidence.order_by("pk"))
    assert [i.title for i in items] == ["Transformation programme", "minutes.pdf", "plan.docx"]
    stored = [i for i in items if i.is_file]
    for item in stored:
        name = str(item.stored_as)
        assert (Path(evidence_root) / name).read_bytes() in (pdf_bytes(), docx_bytes())
        assert "." not in name
    assert stored[0].content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.pdf", b"<html><script>alert(1)</script></html>", "web page"),
        ("page.txt", b"<!DOCTYPE html><p>hi</p>", "web page"),
        ("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "must be a PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_wrong_file_is_refused_and_nothing_is_kept(
    action, personas, evidence_root, name, data, message
):
    with pytest.raises(ValidationError) as caught:
        services.record_update(
            action=action,
            author=personas.hr,
            on=dt.date(2026, 6, 1),
            text="Agreed.",
            status=Status.ON_TRACK,
            today=TODAY,
            uploads=[Upload("fine.pdf", pdf_bytes()), Upload(name, data)],
        )
    assert message in caught.value.message_dict["files"][0]
    assert not Update.objects.exists() and not Evidence.objects.exists()
    assert not any(Path(evidence_root).glob("*")) if Path(evidence_root).exists() else True
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED


def test_a_file_over_the_limit_is_refused(action, personas, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        services.record_update(
            action=action,
            author=personas.hr,
            on=dt.date(2026, 6, 1),
            text="Agreed.",
            status=Status.ON_TRACK,
            today=TODAY,
            uploads=[Upload("big.pdf", pdf_bytes() + b" " * (1024 * 1024))],
        )
    assert caught.value.message_dict["files"] == ["The selected file must be smaller than 1 MB."]


def test_a_measure_is_linked_with_a_target_in_its_units(action):
    with pytest.raises(ValidationError) as caught:
        services.link_measure(action=action, measure="agency_rate_fte", direction="le")
    assert "value" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.link_measure(action=action, measure="no_such", direction="falls")
    with pytest.raises(ValidationError):
        services.link_measure(
            action=action, measure="agency_rate_fte", direction="le", value=Decimal(120)
        )
    link = services.link_measure(
        action=action,
        measure="agency_rate_fte",
        direction="le",
        value=Decimal(20),
        by=dt.date(2027, 2, 28),
    )
    assert link.value == Decimal(20)
    with pytest.raises(ValidationError):
        services.link_measure(action=action, measure="agency_rate_fte", direction="falls")


def test_every_write_is_audited(action, personas):
    services.record_update(
        action=action,
        author=personas.hr,
        on=dt.date(2026, 6, 1),
        text="Agreed.",
        status=Status.AT_RISK,
        today=TODAY,
    )
    kinds = set(LogEntry.objects.values_list("content_type__model", flat=True))
    assert {"source", "recommendation", "action", "update"} <= kinds


def test_evidence_kinds_are_told_by_content():
    assert evidence.kind_of(pdf_bytes(), "x.txt") == evidence.PDF
    assert evidence.kind_of(docx_bytes(), "x.pdf") == evidence.DOCX
    assert evidence.kind_of(b"a,b\n1,2\n", "x.csv") == evidence.CSV
    assert evidence.kind_of(b"<svg onload=alert(1)>", "x.txt") is None
    assert evidence.kind_of(b"PK\x03\x04garbage", "x.docx") is None


def test_the_status_and_colour_on_a_day_are_those_the_updates_by_then_gave(action, personas):
    for on, status in (
        (dt.date(2026, 5, 10), Status.ON_TRACK),
        (dt.date(2026, 6, 10), Status.AT_RISK),
    ):
        services.record_update(
            action=action,
            author=personas.hr,
            on=on,
            text="Progress.",
            status=status,
            today=TODAY,
        )
    action = Action.objects.prefetch_related("updates").get(pk=action.pk)
    assert action.status_on(dt.date(2026, 5, 9)) == Status.NOT_STARTED
    assert action.status_on(dt.date(2026, 5, 10)) == Status.ON_TRACK
    assert action.rag_on(dt.date(2026, 5, 31)) == Rag.GREEN
    # Past its due date (1 June) the open action is red, whatever the update said.
    assert action.rag_on(dt.date(2026, 6, 5)) == Rag.RED and action.is_overdue_on(
        dt.date(2026, 6, 5)
    )
    assert action.latest_on(dt.date(2026, 6, 9)).on == dt.date(2026, 5, 10)
    assert action.status_on(dt.date(2026, 6, 10)) == Status.AT_RISK == action.status
