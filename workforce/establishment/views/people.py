"""People: the list, a person's record, and what happens to them.

Appointments, moves, agency cover, leaving and absence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from workforce.core import tables
from workforce.core.access import Capability, requires, scope_of
from workforce.core.exports import XLSX_TYPE, filters_query, requested_format, safe_filename
from workforce.core.models import AccessAction, CensusCode, census_labels
from workforce.core.pages import form_flow, posted
from workforce.core.services import record_access
from workforce.core.tables import Kind, Table
from workforce.core.templatetags.govuk import govuk_date
from workforce.establishment import privacy, selectors, services
from workforce.establishment.forms import (
    AbsenceForm,
    AgencyEndForm,
    AgencyStartForm,
    AppointForm,
    LeaverForm,
    MoveForm,
    WorkerCreateForm,
    WorkerSearchForm,
    last_day_to_end,
)
from workforce.establishment.models import Engagement, Worker
from workforce.establishment.views.common import (
    _engagement_summary,
    _scoped_engagement,
    _scoped_worker,
    _worker_summary,
    _worker_url,
)


@requires(Capability.VIEW_PEOPLE)
def worker_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = WorkerSearchForm(request.GET, scope=scope)
    context: dict[str, Any] = {"form": form, "page": None}
    if form.is_valid():
        on = form.as_at()
        team = form.cleaned_data.get("team")
        workers = selectors.search_workers(
            scope,
            on=on,
            text=form.cleaned_data.get("q") or "",
            team_id=team.pk if team else None,
            status=form.cleaned_data.get("status") or "",
        )
        fmt = requested_format(request)
        if fmt:
            record_access(
                scope=scope,
                path=request.get_full_path(),
                description=f"People list at {on.day} {on:%B %Y} ({len(workers)} people)",
                action=AccessAction.DOWNLOADED,
            )
            return _workers_download(fmt, f"people-{on.isoformat()}", workers)
        page = Paginator(workers, 50).get_page(request.GET.get("page"))
        context.update(
            on=on,
            page=page,
            page_query=filters_query(request),
            download_query=filters_query(request, on=on.isoformat()),
            can_manage_people=scope.can(Capability.MANAGE_PEOPLE),
        )
    return render(request, "establishment/workers.html", context)


def _workers_download(fmt: str, filename: str, workers: Iterable[Worker]) -> HttpResponse:
    """Every person the search finds (not only one page): their posts at the date, one row each.

    A person in two posts has both in each column, in the order the page lists them.
    """
    columns = [
        tables.Column("name", "Name"),
        tables.Column("staff_number", "Staff number"),
        tables.Column("post", "Post"),
        tables.Column("team", "Team"),
        tables.Column("kind", "Kind"),
        tables.Column("fte", "FTE", Kind.FTE, unit=""),
    ]
    rows: list[list[Any]] = []
    for worker in workers:
        current: list[Engagement] = worker.current  # type: ignore[attr-defined]
        if not current:
            rows.append([worker.full_name, worker.staff_number, "Not in post", "", "", None])
            continue
        rows.append(
            [
                worker.full_name,
                worker.staff_number,
                "; ".join(e.post.reference for e in current),
                "; ".join(e.post.team.name for e in current),
                "; ".join(e.get_kind_display() for e in current),
                sum((e.fte for e in current), Decimal(0)),
            ]
        )
    return Table("People", columns, rows).response(fmt, filename)


@requires(Capability.VIEW_PEOPLE)
def worker_detail(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = _scoped_worker(scope, worker_id)
    record_access(scope=scope, path=request.get_full_path(), record=worker)
    history = selectors.worker_history(worker)
    L = CensusCode.List
    labels = census_labels(
        [
            L.GENDER,
            L.ETHNICITY,
            L.QUAL_LEVEL,
            L.REASON_LEAVE,
            L.LEAVER_DESTINATION,
            L.REASON_ABSENCE,
        ]
    )

    def label(list_name: str, code: str) -> str:
        return labels.get((list_name, code), code) if code else ""

    today = dt.date.today()
    return render(
        request,
        "establishment/worker.html",
        {
            "worker": worker,
            "details": [
                ("Staff number", worker.staff_number),
                ("Social Work England number", worker.swe_number),
                ("Date of birth", govuk_date(worker.date_of_birth) if worker.date_of_birth else ""),
                ("Gender", label(L.GENDER, worker.gender)),
                ("Ethnicity", label(L.ETHNICITY, worker.ethnicity)),
                ("Qualification level", label(L.QUAL_LEVEL, worker.qual_level)),
                ("Qualifying institution", worker.qual_institution),
                ("Date qualified", govuk_date(worker.qual_date) if worker.qual_date else ""),
                ("Route into social work", worker.get_route_display()),
            ],
            "engagements": [
                {"engagement": e, "open": e.end is None or e.end > today}
                for e in history["engagements"]
            ],
            "leavings": [
                {
                    "leaving": leaving,
                    "reason": label(L.REASON_LEAVE, leaving.reason),
                    "destination": label(L.LEAVER_DESTINATION, leaving.destination),
                }
                for leaving in history["leavings"]
            ],
            "absences": [
                {"absence": a, "reason": label(L.REASON_ABSENCE, a.reason)}
                for a in history["absences"]
            ],
            "can_manage_people": scope.can(Capability.MANAGE_PEOPLE),
            "can_view_reads": scope.can(Capability.VIEW_AUDIT),
            "can_record_absence": scope.can(Capability.RECORD_ABSENCE),
        },
    )


@requires(Capability.VIEW_AUDIT)
def subject_access(request: HttpRequest, worker_id: int) -> HttpResponse:
    """Everything held about one person, as a workbook: for a subject access request."""
    scope = scope_of(request)
    worker = _scoped_worker(scope, worker_id)
    record_access(
        scope=scope,
        path=request.get_full_path(),
        record=worker,
        action=AccessAction.DOWNLOADED,
        description=f"Subject access export: {worker}",
    )
    response = HttpResponse(privacy.subject_access_xlsx(worker), content_type=XLSX_TYPE)
    name = safe_filename(f"subject-access-{worker.staff_number}.xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Capability.MANAGE_PEOPLE)
def worker_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = WorkerCreateForm(posted(request))
    return form_flow(
        request,
        form,
        lambda d: services.create_worker(
            authority=scope.authority,
            staff_number=d["staff_number"],
            first_name=d["first_name"],
            last_name=d["last_name"],
            **form.details(),  # type: ignore[attr-defined]
        ),
        done=lambda worker: redirect("establishment:worker", worker_id=worker.pk),
        message=lambda worker: f"{worker.full_name} added. Now appoint them to a post.",
        title="Add a person",
        caption="People",
        back_url=reverse("establishment:workers"),
        submit="Add person",
        intro="Add someone who works or will work in a post: an employee or an agency worker.",
    )


@requires(Capability.MANAGE_PEOPLE)
def appoint(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = _scoped_worker(scope, worker_id)
    form = AppointForm(posted(request), scope=scope)
    return form_flow(
        request,
        form,
        lambda d: services.appoint_worker(
            worker=worker,
            post=d["post"],
            start=d["start"],
            fte=d["fte"],
            kind=d["kind"],
            end=last_day_to_end(d["last_day"]),
            start_origin=d["start_origin"],
        ),
        renamed={"end": "last_day"},
        done=lambda engagement: redirect(_worker_url(worker)),
        message=lambda engagement: (
            f"{worker.full_name} appointed to post {engagement.post.reference} "
            f"from {govuk_date(engagement.start)}."
        ),
        title="Appoint to a post",
        caption=worker.full_name,
        back_url=_worker_url(worker),
        submit="Appoint",
        summary=_worker_summary(worker),
        intro="For an authority employee. Agency workers have their own form.",
    )


@requires(Capability.MANAGE_PEOPLE)
def move(request: HttpRequest, engagement_id: int) -> HttpResponse:
    scope = scope_of(request)
    engagement = _scoped_engagement(scope, engagement_id)
    form = MoveForm(posted(request), scope=scope)
    return form_flow(
        request,
        form,
        lambda d: services.move_worker(
            engagement=engagement, to_post=d["to_post"], on=d["on"], fte=d["fte"]
        ),
        renamed={"start": "on", "end": "to_post"},
        done=lambda moved: redirect(_worker_url(engagement.worker)),
        message=lambda moved: (
            f"{engagement.worker.full_name} moves to post {moved.post.reference} "
            f"from {govuk_date(moved.start)}."
        ),
        title="Move to another post",
        caption=engagement.worker.full_name,
        back_url=_worker_url(engagement.worker),
        submit="Move",
        summary=_engagement_summary(engagement),
        intro="A move within the authority: not a leaver and not a starter.",
    )


@requires(Capability.MANAGE_PEOPLE)
def agency_start(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = _scoped_worker(scope, worker_id)
    form = AgencyStartForm(posted(request), scope=scope)
    return form_flow(
        request,
        form,
        lambda d: services.start_agency_assignment(
            worker=worker,
            post=d["post"],
            start=d["start"],
            fte=d["fte"],
            agency_name=d["agency_name"],
            charge_rate=d["charge_rate"],
            covers=d["covers"],
            covering_for=d["covering_for"],
            end=last_day_to_end(d["last_day"]),
        ),
        renamed={"end": "last_day"},
        done=lambda engagement: redirect(_worker_url(worker)),
        message=lambda engagement: (
            f"Agency assignment for {worker.full_name} in post {engagement.post.reference} "
            f"starts {govuk_date(engagement.start)}."
        ),
        title="Start an agency assignment",
        caption=worker.full_name,
        back_url=_worker_url(worker),
        submit="Start assignment",
        summary=_worker_summary(worker),
    )


@requires(Capability.MANAGE_PEOPLE)
def agency_end(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _scoped_engagement(scope_of(request), engagement_id)
    form = AgencyEndForm(posted(request))
    return form_flow(
        request,
        form,
        lambda d: services.end_agency_assignment(engagement=engagement, last_day=d["last_day"]),
        done=lambda ended: redirect(_worker_url(engagement.worker)),
        message=lambda ended: (
            f"Agency assignment of {engagement.worker.full_name} ends after "
            f"{govuk_date(ended.last_day)}."
        ),
        title="End an agency assignment",
        caption=engagement.worker.full_name,
        back_url=_worker_url(engagement.worker),
        submit="End assignment",
        summary=_engagement_summary(engagement),
    )


@requires(Capability.MANAGE_PEOPLE)
def leaver(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _scoped_worker(scope_of(request), worker_id)
    form = LeaverForm(posted(request))
    return form_flow(
        request,
        form,
        lambda d: services.record_leaver(
            worker=worker,
            last_day=d["last_day"],
            reason=d["reason"],
            destination=d["destination"],
            exit_interview_done=d["exit_interview_done"],
            exit_themes=d["exit_themes"],
            exit_notes=d["exit_notes"],
        ),
        done=lambda leaving: redirect(_worker_url(worker)),
        message=lambda leaving: (
            f"{worker.full_name} recorded as leaving after {govuk_date(leaving.last_day)}."
        ),
        title="Record a leaver",
        caption=worker.full_name,
        back_url=_worker_url(worker),
        submit="Record leaver",
        summary=_worker_summary(worker),
        intro="Ends their employment with the authority and every post they hold on the last "
        "day. For a move between teams, use “Move to another post” instead.",
        warning=True,
    )


@requires(Capability.RECORD_ABSENCE)
def absence(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _scoped_worker(scope_of(request), worker_id)
    form = AbsenceForm(posted(request))
    return form_flow(
        request,
        form,
        lambda d: services.record_absence(
            worker=worker,
            start=d["start"],
            end=last_day_to_end(d["last_day"]),
            reason=d["reason"],
            working_days_lost=d["working_days_lost"],
        ),
        renamed={"end": "last_day"},
        done=lambda recorded: redirect(_worker_url(worker)),
        message=lambda recorded: (
            f"Absence from {govuk_date(recorded.start)} recorded for {worker.full_name}."
        ),
        title="Record an absence",
        caption=worker.full_name,
        back_url=_worker_url(worker),
        submit="Record absence",
        summary=_worker_summary(worker),
    )
