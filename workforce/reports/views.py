"""The reports pages: the list, starting a report, the builder, the preview, issuing, an issued
report as issued, regenerating it, and its downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from workforce.core.access import Capability, requires, scope_of
from workforce.core.exports import safe_filename
from workforce.core.forms import apply_service_errors
from workforce.core.models import User
from workforce.core.pages import form_flow, posted
from workforce.reports import presentation, selectors, services
from workforce.reports import render as renderers
from workforce.reports.document import Audience, Document
from workforce.reports.forms import ConfirmForm, ReportForm, SectionsForm, field_name
from workforce.reports.models import Report
from workforce.reports.sections import section_for

READ = (Capability.VIEW_AGGREGATES,)
MANAGE = (Capability.VIEW_AGGREGATES, Capability.MANAGE_REPORTS)
GET = ["GET", "HEAD"]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # signed in: @requires sees to it
    return user


def _draft(request: HttpRequest, report_id: int) -> Report | HttpResponse:
    """A draft to change, or the issued report's page when it has been issued."""
    report = selectors.report_for(scope_of(request), report_id)
    if report.is_issued:
        messages.info(request, "This report has been issued: it is shown as issued.")
        return redirect("reports:report", report_id=report.pk)
    return report


@requires(*READ)
@require_http_methods(GET)
def report_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    reports = list(selectors.reports_for(scope)[:200])
    return render(
        request,
        "reports/list.html",
        {
            "drafts": [r for r in reports if not r.is_issued],
            "issued": [r for r in reports if r.is_issued],
            "can_manage": scope.can(Capability.MANAGE_REPORTS),
            "pack_month": services.month_end_before(scope.today),
        },
    )


@requires(*MANAGE)
@require_POST
def monthly_pack(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    try:
        report = services.monthly_pack(scope.authority, _user(request), scope.today)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, f"The monthly pack could not be made. {message}")
        return redirect("reports:list")
    messages.success(
        request, f"“{report.title}” is ready: add the narrative, preview it and issue it."
    )
    return redirect("reports:builder", report_id=report.pk)


def _details(data: dict[str, Any]) -> dict[str, Any]:
    audience = Audience(data["audience"])
    report_date: dt.date = data["report_date"]
    return {
        "title": data["title"],
        "audience": audience,
        "report_date": report_date,
        "comparison_date": data.get("comparison_date") or services.year_earlier(report_date),
        "author": data.get("author") or "",
        "protective_marking": data.get("protective_marking") or "",
    }


@requires(*MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    user = _user(request)
    form = ReportForm(
        posted(request),
        initial={
            "audience": str(Audience.SCRUTINY_BOARD),
            "report_date": services.month_end_before(scope.today),
            "author": user.get_full_name(),
        },
    )
    return form_flow(
        request,
        form,
        lambda data: services.create_report(
            authority=scope.authority, user=user, **_details(data), today=scope.today
        ),
        done=lambda report: reverse("reports:builder", kwargs={"report_id": report.pk}),
        message=lambda report: (
            f"“{report.title}” has been started. Choose its sections and write the narrative."
        ),
        title="Start a report",
        caption="Reports",
        back_url=reverse("reports:list"),
        submit="Start the report",
        intro="The report takes its figures from the records at the report date. You choose "
        "its sections and write the narrative next.",
    )


@requires(*MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def report_details(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _draft(request, report_id)
    if isinstance(report, HttpResponse):
        return report
    scope = scope_of(request)
    form = ReportForm.for_report(report, posted(request))
    return form_flow(
        request,
        form,
        lambda data: services.update_report(report, **_details(data), today=scope.today),
        done=lambda r: reverse("reports:builder", kwargs={"report_id": r.pk}),
        message="The report's details have been saved.",
        title="Change the report's details",
        caption=report.title,
        back_url=reverse("reports:builder", kwargs={"report_id": report.pk}),
    )


def _sections_form(report: Report, data: Any = None) -> SectionsForm:
    offered = services.offered_sections(report)
    chosen = []
    for choice in report.sections.order_by("position", "pk"):
        section = section_for(choice.key)
        if section is not None and section in offered:
            chosen.append((section, choice.narrative))
    return SectionsForm(data, offered=offered, chosen=chosen)


def _builder_page(
    request: HttpRequest, report: Report, form: SectionsForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "reports/builder.html",
        {
            "report": report,
            "form": form,
            "chosen_rows": form.chosen_rows(),
            "unchosen_rows": form.unchosen_rows(),
            "unknown": services.unknown_sections(report),
        },
        status=status,
    )


@requires(*MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def builder(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report's details, its sections (chosen, ordered) and each section's narrative.

    One form: "Save" keeps the choice and the narrative; each section's "Move up" and "Move
    down" buttons save too, then move the section.
    """
    report = _draft(request, report_id)
    if isinstance(report, HttpResponse):
        return report
    form = _sections_form(report, posted(request))
    if request.method != "POST":
        return _builder_page(request, report, form)
    if not form.is_valid():
        return _builder_page(request, report, form, status=400)
    try:
        services.save_sections(
            report, chosen=form.cleaned_data["sections"], narratives=form.narratives()
        )
        direction, _sep, key = request.POST.get("move", "").partition(":")
        if direction in ("up", "down"):
            services.move_section(report, key=key, up=direction == "up")
    except ValidationError as refusal:
        renamed = {}
        for name, errors in refusal.message_dict.items():
            target = field_name(name.split(":", 1)[1]) if name.startswith("narrative:") else name
            renamed[target] = errors
        apply_service_errors(form, ValidationError(renamed))
        return _builder_page(request, report, form, status=400)
    if direction in ("up", "down"):
        messages.success(request, "The sections have been saved and the section moved.")
    else:
        messages.success(request, "The sections and narrative have been saved.")
    return redirect("reports:builder", report_id=report.pk)


def _document_page(
    request: HttpRequest,
    report: Report,
    document: Document,
    template: str,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "report": report,
            "document": document,
            "sections": presentation.layout(document, extra.pop("restated", None)),
            "can_manage": scope_of(request).can(Capability.MANAGE_REPORTS),
            **extra,
        },
    )


@requires(*MANAGE)
@require_http_methods(GET)
def preview(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _draft(request, report_id)
    if isinstance(report, HttpResponse):
        return report
    document = services.build_document(report, scope_of(request))
    return _document_page(request, report, document, "reports/preview.html")


@requires(*MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def issue(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _draft(request, report_id)
    if isinstance(report, HttpResponse):
        return report
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_report(
                report, scope=scope_of(request), user=_user(request), now=timezone.now()
            )
        except ValidationError as refusal:
            apply_service_errors(form, refusal)
        else:
            messages.success(request, f"“{report.title}” has been issued.")
            return redirect("reports:report", report_id=report.pk)
    return render(
        request,
        "reports/issue.html",
        {"report": report, "form": form, "sections": report.sections.count()},
        status=400 if form.errors else 200,
    )


@requires(*READ)
@require_http_methods(GET)
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    """An issued report exactly as issued; a draft goes to its builder."""
    report = selectors.report_for(scope_of(request), report_id)
    if not report.is_issued:
        return redirect("reports:builder", report_id=report.pk)
    return _document_page(
        request,
        report,
        services.issued_document(report),
        "reports/report.html",
        version_entry=services.version_entry(report),
    )


@requires(*MANAGE)
@require_http_methods(GET)
def regenerate(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_for(scope_of(request), report_id)
    if not report.is_issued:
        return redirect("reports:preview", report_id=report.pk)
    again = services.regenerate(report, scope_of(request))
    rows = [
        {
            "section": r.section_title,
            "figure": r.figure,
            "old": presentation.figure_text(r.old),
            "new": presentation.figure_text(r.new),
        }
        for r in again.restated
    ]
    return _document_page(
        request,
        report,
        again.document,
        "reports/regenerate.html",
        restated=again.restated,
        rows=rows,
        changes_since=again.changes_since,
        records_changed=again.records_changed,
    )


# Downloads ---------------------------------------------------------------------------------------

DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _download_document(request: HttpRequest, report_id: int) -> tuple[Report, Document]:
    """The document a download is rendered from: as issued, or a draft's built now (for those
    who manage reports only: `report_for` refuses anyone else)."""
    scope = scope_of(request)
    report = selectors.report_for(scope, report_id)
    if report.is_issued:
        return report, services.issued_document(report)
    return report, services.build_document(report, scope)


def _download(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    report, document = _download_document(request, report_id)
    content = getattr(renderers, fmt)(document)
    response = HttpResponse(content, content_type=DOWNLOADS[fmt])
    name = f"report-{report.authority.code}-{report.report_date:%Y-%m-%d}-{report.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(name)}"'
    return response


@requires(*READ)
@require_http_methods(GET)
def download_docx(request: HttpRequest, report_id: int) -> HttpResponse:
    return _download(request, report_id, "docx")


@requires(*READ)
@require_http_methods(GET)
def download_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    return _download(request, report_id, "pdf")


@requires(*READ)
@require_http_methods(GET)
def print_page(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report as a standalone page for printing, laid out as the PDF is."""
    _report, document = _download_document(request, report_id)
    return HttpResponse(renderers.html(document), content_type="text/html; charset=utf-8")
