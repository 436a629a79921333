"""Saving, building, issuing and regenerating reports, and what they refuse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from workforce.core.tables import SUPPRESSED_CELL, Column, Kind, Table
from workforce.reports import services
from workforce.reports.document import (
    Audience,
    Bullets,
    ChartBlock,
    Document,
    DocumentSection,
    Heading,
    Note,
    Paragraph,
    SectionContent,
    TableBlock,
    document_from_json,
    document_to_json,
)
from workforce.reports.models import Report, ReportSectionChoice, ReportStatus
from workforce.reports.tests.conftest import Place

REPORT_DATE = dt.date(2025, 3, 31)
NOW = dt.datetime(2025, 4, 2, 9, 30, tzinfo=dt.UTC)


def make(place: Place, audience: Audience = Audience.SCRUTINY_BOARD, **kwargs: object) -> Report:
    return services.create_report(
        authority=place.authority,
        user=place.personas.lead,
        title="Children's services workforce report",
        audience=audience,
        report_date=REPORT_DATE,
        **kwargs,  # type: ignore[arg-type]
    )


def keys(report: Report) -> list[str]:
    return list(report.sections.order_by("position").values_list("key", flat=True))


def test_a_new_report_has_the_default_sections_a_year_earlier_and_its_marking(
    place: Place,
) -> None:
    board = make(place)
    internal = make(place, Audience.INTERNAL)

    assert board.comparison_date == dt.date(2024, 3, 31)
    assert board.protective_marking == "OFFICIAL"
    assert internal.protective_marking == "OFFICIAL-SENSITIVE"
    assert keys(board) == ["test.posts", "test.plan", "test.blank"]  # not internal-only
    assert keys(internal) == ["test.posts", "test.plan", "test.blank", "test.teams"]
    assert board.status == ReportStatus.DRAFT


def test_a_year_earlier_than_29_february_is_28_february() -> None:
    assert services.year_earlier(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)


@pytest.mark.parametrize(
    ("report_date", "message"),
    [
        (dt.date(2023, 3, 31), "The records start on 1 April 2023"),
        (dt.date(2099, 1, 1), "no figures for a date in the future"),
    ],
)
def test_a_report_date_without_data_is_refused_with_a_message(
    place: Place, report_date: dt.date, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_report(
            authority=place.authority,
            user=place.personas.lead,
            title="Too early",
            audience=Audience.SCRUTINY_BOARD,
            report_date=report_date,
        )
    assert message in refused.value.message_dict["report_date"][0]
    assert not Report.objects.exists()


def test_an_authority_with_no_records_cannot_have_a_report(place: Place) -> None:
    outsider = place.personas.outsider
    with pytest.raises(ValidationError) as refused:
        services.create_report(
            authority=outsider.authority,
            user=outsider,
            title="Nothing",
            audience=Audience.INTERNAL,
            report_date=REPORT_DATE,
        )
    assert "There are no records for Elsewhereshire" in str(refused.value)


def test_the_comparison_date_must_come_before_the_report_date(place: Place) -> None:
    with pytest.raises(ValidationError) as refused:
        make(place, comparison_date=REPORT_DATE)
    assert refused.value.message_dict["comparison_date"] == [
        "The comparison date must be before the report date."
    ]


def test_sections_are_chosen_ordered_and_keep_their_narrative(place: Place) -> None:
    report = make(place)

    services.save_sections(
        report,
        chosen=["test.blank", "test.posts", "test.broken"],
        narratives={"test.posts": "  Recruitment has gone well.\r\n\r\nAgency use fell.  "},
    )
    assert keys(report) == ["test.posts", "test.blank", "test.broken"]  # new ones at the end
    assert report.sections.get(key="test.posts").narrative == (
        "Recruitment has gone well.\n\nAgency use fell."
    )

    services.move_section(report, key="test.broken", up=True)
    assert keys(report) == ["test.posts", "test.broken", "test.blank"]
    services.move_section(report, key="test.posts", up=True)  # already first: stays
    assert keys(report) == ["test.posts", "test.broken", "test.blank"]
    services.move_section(report, key="test.posts", up=False)
    assert keys(report) == ["test.broken", "test.posts", "test.blank"]


def test_a_board_report_cannot_have_an_internal_section(place: Place) -> None:
    report = make(place, Audience.INTERNAL)
    assert "test.teams" in keys(report)

    services.update_report(
        report,
        title=report.title,
        audience=Audience.SCRUTINY_BOARD,
        report_date=REPORT_DATE,
        comparison_date=report.comparison_date,
        author="",
        protective_marking="",
    )
    services.save_sections(report, chosen=["test.posts", "test.teams"], narratives={})

    assert keys(report) == ["test.posts"]
    assert report.protective_marking == "OFFICIAL"


def test_narrative_with_html_is_refused_naming_the_section(place: Place) -> None:
    report = make(place)

    with pytest.raises(ValidationError) as refused:
        services.save_sections(
            report,
            chosen=["test.posts"],
            narratives={"test.posts": "Caseloads are <b>down</b>."},
        )

    message = refused.value.message_dict["narrative:test.posts"][0]
    assert message.startswith("Narrative for “Posts” must be plain text")
    assert report.sections.get(key="test.posts").narrative == ""


def test_a_less_than_sign_is_not_html(place: Place) -> None:
    report = make(place)
    text = "Caseloads < 20 for 3 < 4 teams; 5 > 2."
    services.save_sections(report, chosen=["test.posts"], narratives={"test.posts": text})
    assert report.sections.get(key="test.posts").narrative == text


def test_a_100000_character_narrative_is_refused_with_a_message(place: Place) -> None:
    report = make(place)

    with pytest.raises(ValidationError) as refused:
        services.save_sections(
            report, chosen=["test.posts"], narratives={"test.posts": "a" * 100_000}
        )

    assert refused.value.message_dict["narrative:test.posts"] == [
        "Narrative for “Posts” must be 20,000 characters or fewer: it has 100,000. "
        "Shorten it, or put the detail in an appendix."
    ]


def test_the_document_has_each_sections_figures_or_its_empty_sentence(place: Place) -> None:
    report = make(place)
    services.save_sections(
        report,
        chosen=["test.posts", "test.plan", "test.blank", "test.broken"],
        narratives={"test.posts": "Written by the officer."},
    )
    ReportSectionChoice.objects.create(
        authority=place.authority, report=report, key="gone.section", position=9
    )

    document = services.build_document(report, place.lead_scope, now=NOW)

    by_key = {s.key: s for s in document.sections}
    assert list(by_key) == ["test.posts", "test.plan", "test.blank", "test.broken"]
    assert by_key["test.posts"].narrative == "Written by the officer."
    assert by_key["test.posts"].content.figures["posts"] == 3
    assert by_key["test.plan"].content.empty == "No action plan has been agreed yet."
    assert by_key["test.blank"].content.empty == (
        "There is nothing to show in this section for 31 March 2025."
    )
    assert by_key["test.broken"].content.empty == (
        "The figures for this section could not be gathered for 31 March 2025."
    )
    assert by_key["test.broken"].content.blocks == []
    assert services.unknown_sections(report) == ["gone.section"]
    assert document.protective_marking == "OFFICIAL"
    assert [term for term, _ in document.definitions] == ["Data date", "FTE", "[c]"]


def test_a_document_survives_json_exactly() -> None:
    table = Table(
        title="Establishment",
        columns=[
            Column("role", "Role"),
            Column("fte", "FTE", Kind.FTE, suppressible=True),
            Column("rate", "Rate", Kind.PERCENT, built_on=("fte",)),
            Column("on", "Date", Kind.DATE),
        ],
        rows=[["Social worker", Decimal("12.50"), Decimal("0.227"), dt.date(2025, 3, 31)]],
        totals=["Total", SUPPRESSED_CELL, None, None],
        notes=["A note."],
        suppress_below=5,
        key="establishment",
    )
    document = Document(
        title="T",
        authority="Exampleshire",
        audience=Audience.IMPROVEMENT_BOARD,
        report_date=dt.date(2025, 3, 31),
        comparison_date=dt.date(2024, 3, 31),
        author="Head of Service",
        data_date=dt.date(2025, 3, 31),
        generated_at=NOW,
        protective_marking="OFFICIAL",
        sections=[
            DocumentSection(
                key="a",
                title="A",
                narrative="Text.",
                content=SectionContent(
                    blocks=[
                        Heading("H", 3),
                        Paragraph("P", numbered=False),
                        Bullets(("one", "two")),
                        TableBlock(table),
                        ChartBlock(
                            spec={"mark": "line", "data": {"values": [1]}}, alt="A", table=table
                        ),
                        Note("N"),
                    ],
                    figures={
                        "fte": Decimal("12.50"),
                        "count": 3,
                        "none": None,
                        "c": SUPPRESSED_CELL,
                    },
                ),
            )
        ],
        definitions=[("FTE", "Full-time equivalent")],
    )
    import json

    again = document_from_json(json.loads(json.dumps(document_to_json(document))))

    assert document_to_json(again) == document_to_json(document)
    assert again.sections[0].content.figures["fte"] == Decimal("12.50")
    restored = again.sections[0].content.blocks[3]
    assert isinstance(restored, TableBlock)
    assert restored.table.rows == table.rows
    assert restored.table.columns == table.columns
    assert restored.table.page_totals is not None
    assert [c.text for c in restored.table.page_totals] == ["Total", "[c]", "–", "–"]
    assert again.audience is Audience.IMPROVEMENT_BOARD


def test_an_issued_report_stays_as_issued_when_the_records_change(place: Place) -> None:
    report = make(place)
    services.save_sections(report, chosen=["test.posts"], narratives={"test.posts": "Before."})

    services.issue_report(report, scope=place.lead_scope, user=place.personas.lead, now=NOW)
    place.add_post("P-late", start=dt.date(2024, 6, 1))  # a post found later, before the date

    report.refresh_from_db()
    shown = services.document_for(report, place.lead_scope)
    assert report.status == ReportStatus.ISSUED
    assert report.issued_by == place.personas.lead
    assert shown.sections[0].content.figures["posts"] == 3
    assert shown.generated_at == NOW
    numbers, _at, when = report.data_version.partition("@")
    entry, _colon, records = numbers.partition(":")
    assert int(entry) > 0 and int(records) > 0 and when == NOW.isoformat()
    assert services.version_records(report) == int(records)
    with pytest.raises(ValidationError):
        services.save_sections(report, chosen=["test.plan"], narratives={})
    with pytest.raises(ValidationError):
        services.issue_report(report, scope=place.lead_scope, user=place.personas.lead, now=NOW)


def test_regenerating_lists_the_restated_figures(place: Place) -> None:
    report = make(place)
    services.save_sections(report, chosen=["test.posts", "test.plan"], narratives={})
    services.issue_report(report, scope=place.lead_scope, user=place.personas.lead, now=NOW)
    place.add_post("P-late", start=dt.date(2024, 6, 1))

    again = services.regenerate(report, place.lead_scope)

    assert again.restated == [
        services.Restated("test.posts", "Posts", "posts", 3, 4),
    ]
    assert again.changes_since >= 1 and again.records_changed
    assert report.figures == services.figures_of(services.issued_document(report))


def test_regenerating_without_changes_restates_nothing(place: Place) -> None:
    report = make(place)
    services.issue_report(report, scope=place.lead_scope, user=place.personas.lead, now=NOW)

    again = services.regenerate(report, place.lead_scope)

    assert again.restated == [] and again.changes_since == 0 and not again.records_changed


def test_a_report_without_sections_cannot_be_issued(place: Place) -> None:
    report = make(place, sections=[])
    with pytest.raises(ValidationError) as refused:
        services.issue_report(report, scope=place.lead_scope, user=place.personas.lead, now=NOW)
    assert "Choose at least one section" in refused.value.messages[0]


def test_the_monthly_pack_is_an_improvement_board_draft_at_the_last_month_end(
    place: Place,
) -> None:
    report = services.monthly_pack(place.authority, place.personas.lead, dt.date(2025, 1, 15))

    assert report.audience == Audience.IMPROVEMENT_BOARD
    assert report.report_date == dt.date(2024, 12, 31)
    assert report.comparison_date == dt.date(2023, 12, 31)
    assert report.title == "Exampleshire children's social work workforce: December 2024"
    assert report.author == "Leila Persona"
    assert keys(report) == ["test.posts", "test.plan", "test.blank"]
    again = services.monthly_pack(place.authority, place.personas.lead, dt.date(2025, 1, 20))
    assert again == report  # the month's pack already started


def test_a_figure_no_longer_given_is_restated_as_empty(place: Place) -> None:
    report = make(place)
    services.issue_report(report, scope=place.lead_scope, user=place.personas.lead, now=NOW)
    report.figures = {
        **report.figures,
        "test.posts": {
            "$": "dict",
            "v": [["posts", 3], ["by_role", {"$": "dict", "v": [["sw", 2]]}]],
        },
        "retired.section": {"$": "dict", "v": [["old", 1]]},
    }
    report.save()

    again = services.regenerate(report, place.lead_scope)

    assert [(r.section_key, r.figure, r.old, r.new) for r in again.restated] == [
        ("test.posts", "by_role.sw", 2, None),
        ("test.posts", "posts_before", None, 3),
        ("test.posts", "rate", None, Decimal("12.50")),
        ("retired.section", "old", 1, None),
    ]


def test_a_year_before_a_month_end_is_that_month_end() -> None:
    assert services.year_earlier_month_end(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    assert services.year_earlier_month_end(dt.date(2025, 2, 28)) == dt.date(2024, 2, 29)
    assert services.year_earlier_month_end(dt.date(2025, 12, 31)) == dt.date(2024, 12, 31)


def test_the_monthly_pack_before_any_records_is_refused(place: Place) -> None:
    with pytest.raises(ValidationError) as refused:
        services.monthly_pack(place.authority, place.personas.lead, dt.date(2023, 4, 15))
    assert "The records start on 1 April 2023" in str(refused.value)


def test_changes_to_reports_are_audited(place: Place) -> None:
    from auditlog.models import LogEntry

    report = make(place)
    assert LogEntry.objects.get_for_object(report).exists()
    assert timezone.now()  # the audit trail is kept for the authority
    assert LogEntry.objects.filter(additional_data__authority_id=place.authority.pk).exists()


def test_a_bulk_change_the_audit_trail_does_not_see_still_moves_the_data_version(
    place: Place,
) -> None:
    from workforce.establishment.models import Post

    report = make(place)
    services.issue_report(report, scope=place.lead_scope, user=place.personas.lead, now=NOW)
    Post.objects.filter(authority=place.authority).update(grade="PO4")  # no audit entry

    again = services.regenerate(report, place.lead_scope)

    assert again.changes_since == 0
    assert again.records_changed
