"""Every write about reports, and building a report's document from the figures.

A draft is built from the figures each time it is shown. Issuing freezes the document as JSON
with its figures and the data version (the last audited change to the authority's records, and
when), so that an issued report always opens exactly as issued. Regenerating builds it again
from today's records and lists the figures that were restated since.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from workforce.core.access import Scope
from workforce.core.models import Authority, User
from workforce.core.tables import SUPPRESSED
from workforce.reports import selectors
from workforce.reports.document import (
    Audience,
    Document,
    DocumentSection,
    SectionContent,
    decode_value,
    document_from_json,
    document_to_json,
    encode_value,
)
from workforce.reports.models import (
    NARRATIVE_LIMIT,
    Marking,
    Report,
    ReportSectionChoice,
    ReportStatus,
)
from workforce.reports.sections import (
    SMALL_NUMBER,
    ReportContext,
    ReportSection,
    report_sections,
    section_for,
)

log = logging.getLogger(__name__)

TITLE_LIMIT = 200
# An opening tag, a closing tag or a comment: "<p>", "</div>", "<a href=...>", "<!--".
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?\s*>|<!--")


# Dates ----------------------------------------------------------------------------------------


def year_earlier(day: dt.date) -> dt.date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def month_end_before(on: dt.date) -> dt.date:
    """The last day of the month before `on`'s month: the date a monthly pack is at."""
    return on.replace(day=1) - dt.timedelta(days=1)


def default_marking(audience: Audience) -> str:
    return Marking.OFFICIAL if audience.board_mode else Marking.OFFICIAL_SENSITIVE


def check_dates(
    authority: Authority, report_date: dt.date, comparison_date: dt.date, *, today: dt.date
) -> None:
    """Refuse a report date the records cannot give figures for, naming the field."""
    if report_date > today:
        raise ValidationError(
            {
                "report_date": "The report date must be today or earlier: there are no "
                "figures for a date in the future."
            }
        )
    first = selectors.first_record_date(authority)
    if first is None:
        raise ValidationError(
            {
                "report_date": f"There are no records for {authority.name} yet, so there are "
                "no figures to report. Add the establishment first."
            }
        )
    if report_date < first:
        raise ValidationError(
            {
                "report_date": f"The records start on {first.day} {first:%B %Y}: choose a "
                "report date on or after it."
            }
        )
    if comparison_date >= report_date:
        raise ValidationError(
            {"comparison_date": "The comparison date must be before the report date."}
        )


# Narrative -------------------------------------------------------------------------------------


def check_narrative(text: str, *, label: str) -> str:
    """The officer's narrative, plain text of a sensible length, or a refusal naming it."""
    text = text.replace("\r\n", "\n").strip()
    if len(text) > NARRATIVE_LIMIT:
        raise ValidationError(
            f"{label} must be {NARRATIVE_LIMIT:,} characters or fewer: it has {len(text):,}. "
            "Shorten it, or put the detail in an appendix."
        )
    if HTML_TAG.search(text):
        raise ValidationError(
            f"{label} must be plain text: remove the HTML tags (such as <p> or <b>). "
            "Leave a blank line between paragraphs."
        )
    return text


def narrative_label(section_title: str) -> str:
    return f"Narrative for “{section_title}”"


# Reports and their sections --------------------------------------------------------------------


def _check_details(title: str, author: str) -> tuple[str, str]:
    title, author = title.strip(), author.strip()
    if not title:
        raise ValidationError({"title": "Enter the report's title."})
    if len(title) > TITLE_LIMIT:
        raise ValidationError({"title": f"The title must be {TITLE_LIMIT} characters or fewer."})
    if len(author) > 200:
        raise ValidationError({"author": "The author must be 200 characters or fewer."})
    if HTML_TAG.search(title) or HTML_TAG.search(author):
        field = "title" if HTML_TAG.search(title) else "author"
        raise ValidationError({field: f"The {field} must be plain text, without HTML tags."})
    return title, author


def _refuse_if_issued(report: Report) -> None:
    if report.is_issued:
        raise ValidationError(
            "This report has been issued and cannot be changed. Start a new report instead."
        )


@transaction.atomic
def create_report(
    *,
    authority: Authority,
    user: User,
    title: str,
    audience: Audience,
    report_date: dt.date,
    comparison_date: dt.date | None = None,
    author: str = "",
    protective_marking: str = "",
    sections: list[str] | None = None,
    today: dt.date | None = None,
) -> Report:
    """A draft report with the default sections for its audience (or those given, in order)."""
    comparison_date = comparison_date or year_earlier(report_date)
    title, author = _check_details(title, author)
    check_dates(authority, report_date, comparison_date, today=today or timezone.localdate())
    report = Report.objects.create(
        authority=authority,
        title=title,
        audience=str(audience),
        report_date=report_date,
        comparison_date=comparison_date,
        author=author,
        protective_marking=protective_marking or default_marking(audience),
        created_by=user,
    )
    offered = {s.key for s in report_sections(audience)}
    if sections is None:
        keys = [s.key for s in report_sections(audience) if s.default]
    else:
        unknown = [k for k in sections if k not in offered]
        if unknown:
            raise ValidationError(
                {"sections": f"There is no section {unknown[0]!r} for this audience."}
            )
        keys = list(dict.fromkeys(sections))
    for position, key in enumerate(keys, start=1):
        ReportSectionChoice.objects.create(
            authority=authority, report=report, key=key, position=position
        )
    return report


@transaction.atomic
def update_report(
    report: Report,
    *,
    title: str,
    audience: Audience,
    report_date: dt.date,
    comparison_date: dt.date,
    author: str,
    protective_marking: str,
    today: dt.date | None = None,
) -> Report:
    """Change a draft's details. Sections a board may not have are taken out of a board report."""
    _refuse_if_issued(report)
    title, author = _check_details(title, author)
    check_dates(report.authority, report_date, comparison_date, today=today or timezone.localdate())
    report.title, report.author = title, author
    report.audience = str(audience)
    report.report_date, report.comparison_date = report_date, comparison_date
    report.protective_marking = protective_marking or default_marking(audience)
    report.save()
    if audience.board_mode:
        internal = [s.key for s in report_sections() if s.internal_only]
        for choice in report.sections.filter(key__in=internal):
            choice.delete()
        _renumber(report)
    return report


def _renumber(report: Report) -> None:
    for position, choice in enumerate(report.sections.order_by("position", "pk"), start=1):
        if choice.position != position:
            choice.position = position
            choice.save(update_fields=["position", "updated_at"])


def offered_sections(report: Report) -> list[ReportSection]:
    return report_sections(report.audience_enum)


@transaction.atomic
def save_sections(report: Report, *, chosen: list[str], narratives: dict[str, str]) -> Report:
    """Choose the report's sections and keep each one's narrative.

    Sections already chosen keep their places; newly chosen ones go at the end in the order the
    builder lists them. A section no longer offered is left out. Narratives are checked before
    anything is saved: a refusal names the section's narrative field (`narrative:<key>`).
    """
    _refuse_if_issued(report)
    offered = {s.key: s for s in offered_sections(report)}
    wanted = [k for k in dict.fromkeys(chosen) if k in offered]
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for key in wanted:
        try:
            cleaned[key] = check_narrative(
                narratives.get(key, ""), label=narrative_label(offered[key].title)
            )
        except ValidationError as refusal:
            errors[f"narrative:{key}"] = refusal.messages
    if errors:
        raise ValidationError(errors)
    existing = {c.key: c for c in report.sections.all()}
    for key, dropped in existing.items():
        if key not in wanted:
            dropped.delete()
    position = max((c.position for k, c in existing.items() if k in wanted), default=0)
    for key in wanted:
        choice = existing.get(key)
        if choice is None:
            position += 1
            ReportSectionChoice.objects.create(
                authority=report.authority,
                report=report,
                key=key,
                position=position,
                narrative=cleaned[key],
            )
        elif key in narratives and choice.narrative != cleaned[key]:
            choice.narrative = cleaned[key]
            choice.save(update_fields=["narrative", "updated_at"])
    _renumber(report)
    report.save(update_fields=["updated_at"])
    return report


@transaction.atomic
def move_section(report: Report, *, key: str, up: bool) -> Report:
    """Move a chosen section one place up or down (at either end it stays where it is)."""
    _refuse_if_issued(report)
    _renumber(report)
    choices = list(report.sections.order_by("position"))
    index = next((i for i, c in enumerate(choices) if c.key == key), None)
    if index is None:
        raise ValidationError("That section is not in the report: choose it first.")
    other = index - 1 if up else index + 1
    if 0 <= other < len(choices):
        a, b = choices[index], choices[other]
        a.position, b.position = b.position, a.position
        a.save(update_fields=["position", "updated_at"])
        b.save(update_fields=["position", "updated_at"])
    return report


# Building the document -------------------------------------------------------------------------


def unknown_sections(report: Report) -> list[str]:
    """Keys of the report's chosen sections that no app offers any more (left out of it)."""
    return [c.key for c in report.sections.all() if section_for(c.key) is None]


def _section_content(section: ReportSection, context: ReportContext) -> SectionContent:
    when = f"{context.report_date.day} {context.report_date:%B %Y}"
    try:
        content = section.build(context)
    except Exception:
        log.exception("The report section %s could not be built", section.key)
        return SectionContent(
            empty=f"The figures for this section could not be gathered for {when}."
        )
    if not content.blocks and not content.empty:
        content.empty = f"There is nothing to show in this section for {when}."
    if content.empty:
        content.blocks = []
    return content


def definitions(audience: Audience, report_date: dt.date) -> list[tuple[str, str]]:
    when = f"{report_date.day} {report_date:%B %Y}"
    found = [
        (
            "Data date",
            f"Every figure is taken from the workforce records as they stood on {when}, "
            "using the Department for Education's children's social work workforce census "
            "definitions.",
        ),
        (
            "FTE",
            "Full-time equivalent: one person working full time counts 1, half time 0.5.",
        ),
    ]
    if audience.board_mode:
        found.append(
            (
                SUPPRESSED,
                f"A count from 1 to {SMALL_NUMBER - 1}, and any figure built on one, is not "
                "shown so that no one can be identified; where a total would reveal it, another "
                "figure is also withheld.",
            )
        )
    return found


def build_document(report: Report, scope: Scope, *, now: dt.datetime | None = None) -> Document:
    """The report's document from the figures as they are now, section by section."""
    return compose_document(
        scope,
        title=report.title,
        audience=report.audience_enum,
        report_date=report.report_date,
        comparison_date=report.comparison_date,
        author=report.author,
        protective_marking=report.protective_marking,
        chosen=[(c.key, c.narrative) for c in report.sections.order_by("position", "pk")],
        now=now,
    )


def compose_document(
    scope: Scope,
    *,
    title: str,
    audience: Audience,
    report_date: dt.date,
    comparison_date: dt.date,
    author: str,
    protective_marking: str,
    chosen: list[tuple[str, str]],
    now: dt.datetime | None = None,
) -> Document:
    """A document for the scope's authority from the chosen sections (key, narrative), in
    order. Sections no app offers, and internal ones in board mode, are left out."""
    context = ReportContext(
        authority=scope.authority,
        scope=scope,
        report_date=report_date,
        comparison_date=comparison_date,
        audience=audience,
    )
    sections = []
    for key, narrative in chosen:
        section = section_for(key)
        if section is None or (audience.board_mode and section.internal_only):
            continue
        sections.append(
            DocumentSection(
                key=section.key,
                title=section.title,
                narrative=narrative,
                content=_section_content(section, context),
            )
        )
    return Document(
        title=title,
        authority=scope.authority.name,
        audience=audience,
        report_date=report_date,
        comparison_date=comparison_date,
        author=author,
        data_date=report_date,
        generated_at=now or timezone.now(),
        protective_marking=protective_marking or default_marking(audience),
        sections=sections,
        definitions=definitions(audience, report_date),
    )


def figures_of(document: Document) -> dict[str, Any]:
    """The document's figures by section, as stored with an issued report."""
    return {s.key: encode_value(s.content.figures) for s in document.sections}


def data_version(authority: Authority, now: dt.datetime) -> str:
    """ "<last audited change>:<records version>@<time>": the last audited change to the
    authority's records, the version the database keeps of its workforce records (moved by
    every write, bulk loads included), and when."""
    entry, records = selectors.latest_change(authority), selectors.records_version(authority)
    return f"{entry}:{records}@{now.isoformat(timespec='seconds')}"


def _version_parts(report: Report) -> tuple[int, int]:
    numbers, _sep, _when = report.data_version.partition("@")
    entry, _sep, records = numbers.partition(":")
    return (
        int(entry) if entry.isdigit() else 0,
        int(records) if records.isdigit() else 0,
    )


def version_entry(report: Report) -> int:
    """The last audited change included when the report was issued."""
    return _version_parts(report)[0]


def version_records(report: Report) -> int:
    """The version of the workforce records when the report was issued."""
    return _version_parts(report)[1]


@transaction.atomic
def issue_report(report: Report, *, scope: Scope, user: User, now: dt.datetime) -> Report:
    """Freeze the report: its document, figures and data version as they are now."""
    _refuse_if_issued(Report.objects.select_for_update().get(pk=report.pk))
    check_dates(report.authority, report.report_date, report.comparison_date, today=now.date())
    if not report.sections.exists():
        raise ValidationError("Choose at least one section before issuing the report.")
    document = build_document(report, scope, now=now)
    report.document = document_to_json(document)
    report.figures = figures_of(document)
    report.data_version = data_version(report.authority, now)
    report.status = ReportStatus.ISSUED
    report.issued_at, report.issued_by = now, user
    report.save()
    return report


def issued_document(report: Report) -> Document:
    """The document exactly as it was issued."""
    if report.document is None:
        raise ValueError("The report has not been issued.")
    return document_from_json(report.document)


def document_for(report: Report, scope: Scope) -> Document:
    """What the report shows: as issued, or for a draft built from the figures now."""
    return issued_document(report) if report.is_issued else build_document(report, scope)


# Regenerating ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restated:
    section_key: str
    section_title: str
    figure: str
    old: Any  # None when the figure was not in the issued report
    new: Any  # None when it is no longer given


@dataclass
class Regeneration:
    document: Document  # built now
    restated: list[Restated]
    changes_since: int  # audited changes to the records after the issued data version
    records_changed: bool  # the workforce records' version has moved since (bulk loads too)

    def restated_in(self, key: str) -> list[Restated]:
        return [r for r in self.restated if r.section_key == key]


def flat_figures(figures: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Figures with nested groups spelled out: {"a": {"b": 1}} -> {"a.b": 1}."""
    flat: dict[str, Any] = {}
    for name, value in figures.items():
        if isinstance(value, dict):
            flat.update(flat_figures(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def regenerate(report: Report, scope: Scope, *, now: dt.datetime | None = None) -> Regeneration:
    """The issued report built again from the records as they are now, with the figures that
    differ from those issued (a figure no longer given is restated as empty). The issued
    report itself is not changed."""
    if not report.is_issued:
        raise ValidationError("Only an issued report can be regenerated.")
    document = build_document(report, scope, now=now)
    old = {k: flat_figures(decode_value(v) or {}) for k, v in (report.figures or {}).items()}
    new = {s.key: flat_figures(s.content.figures) for s in document.sections}
    titles = {s.key: s.title for s in document.sections}
    titles.update({s.key: s.title for s in issued_document(report).sections})
    restated: list[Restated] = []
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key, {}), new.get(key, {})
        for name in [*before, *(n for n in after if n not in before)]:
            if before.get(name) != after.get(name):
                restated.append(
                    Restated(
                        section_key=key,
                        section_title=titles.get(key, key),
                        figure=name,
                        old=before.get(name),
                        new=after.get(name),
                    )
                )
    return Regeneration(
        document=document,
        restated=restated,
        changes_since=selectors.changes_since(report.authority, version_entry(report)),
        records_changed=selectors.records_version(report.authority) != version_records(report),
    )


# The monthly pack ------------------------------------------------------------------------------


def monthly_pack_title(authority: Authority, month_end: dt.date) -> str:
    return f"{authority.name} children's social work workforce: {month_end:%B %Y}"


def monthly_pack(authority: Authority, user: User, on: dt.date) -> Report:
    """The improvement board's monthly workforce pack: a draft at the last month end before
    `on`, compared with a year earlier, with the default sections and the standard title (the
    draft already started for that month, if there is one)."""
    month_end = month_end_before(on)
    title = monthly_pack_title(authority, month_end)
    started = Report.objects.filter(
        authority=authority,
        audience=Audience.IMPROVEMENT_BOARD,
        report_date=month_end,
        title=title,
        status=ReportStatus.DRAFT,
    ).first()
    if started is not None:  # clicked again: the pack already started
        return started
    return create_report(
        authority=authority,
        user=user,
        title=title,
        audience=Audience.IMPROVEMENT_BOARD,
        report_date=month_end,
        comparison_date=year_earlier_month_end(month_end),
        author=user.get_full_name() or user.username,
        today=on,
    )


def year_earlier_month_end(month_end: dt.date) -> dt.date:
    """The last day of the same month a year earlier."""
    first_of_next = month_end + dt.timedelta(days=1)
    return first_of_next.replace(year=first_of_next.year - 1) - dt.timedelta(days=1)
