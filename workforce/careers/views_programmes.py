"""Early-career programme pages: programmes, cohorts and members' progress, recording a
review, workers above their protected caseload, and trainees."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from workforce.careers import selectors_programmes as selectors
from workforce.careers import services_programmes as services
from workforce.careers.forms_programmes import ReviewForm
from workforce.caseloads.selectors import workers_in_post
from workforce.core.access import Capability, requires, scope_of
from workforce.core.exports import filters_query, requested_format
from workforce.core.forms import AsAtForm
from workforce.core.models import AccessAction
from workforce.core.pages import form_flow
from workforce.core.services import record_access

T = "careers/programmes/"


def _render(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    scope = scope_of(request)
    context.setdefault("can_see_people", scope.can(Capability.VIEW_PEOPLE))
    context.setdefault("can_record", scope.can(Capability.MANAGE_CASES))
    return render(request, T + template, context)


def _read_people(request: HttpRequest, description: str, fmt: str | None) -> None:
    record_access(
        scope=scope_of(request),
        path=request.get_full_path(),
        description=description,
        action=AccessAction.DOWNLOADED if fmt else AccessAction.VIEWED,
    )


@requires(Capability.VIEW_AGGREGATES)
def programmes(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return _render(request, "programmes.html", {"programmes": selectors.programmes(scope=scope)})


@requires(Capability.VIEW_AGGREGATES)
def programme(request: HttpRequest, programme_id: int) -> HttpResponse:
    scope = scope_of(request)
    found = selectors.programme(scope=scope, programme_id=programme_id)
    return _render(request, "programme.html", {"programme": found})


@requires(Capability.VIEW_PEOPLE)
def cohorts(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return _render(request, "cohorts.html", {"cohorts": selectors.cohorts(scope=scope)})


@requires(Capability.VIEW_PEOPLE)
def cohort(request: HttpRequest, cohort_id: int) -> HttpResponse:
    scope = scope_of(request)
    found = selectors.cohort(scope=scope, cohort_id=cohort_id)
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    rows = selectors.progress(scope=scope, cohort=found, on=on)
    fmt = requested_format(request)
    _read_people(request, f"Members of {found} at {on.isoformat()} ({len(rows)} people)", fmt)
    if fmt:
        name = f"cohort-{found.pk}-{on.isoformat()}"
        return selectors.progress_table(found, rows).response(fmt, name)
    return _render(
        request,
        "cohort.html",
        {
            "cohort": found,
            "form": form,
            "on": on,
            "rows": rows,
            "download_query": filters_query(request),
        },
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_CASES)
def record_review(request: HttpRequest, member_id: int) -> HttpResponse:
    scope = scope_of(request)
    member = selectors.member(scope=scope, member_id=member_id)
    assessors = workers_in_post(scope=scope, on=scope.today).exclude(pk=member.worker_id)
    form = ReviewForm(
        request.POST or None,
        points=member.cohort.programme.review_points.all(),
        assessors=assessors,
    )
    back = reverse("careers:cohort", kwargs={"cohort_id": member.cohort_id})
    return form_flow(
        request,
        form,
        lambda d: services.record_review(
            member=member,
            point=d["point"],
            held_on=d["held_on"],
            outcome=d["outcome"],
            assessor=d["assessor"],
            extension_months=d["extension_months"] or 0,
        ),
        done=lambda _review: back,
        message=lambda review: f"{review.point} of {member.worker} recorded.",
        title=f"Record a review of {member.worker}",
        caption=str(member.cohort),
        back_url=back,
    )


@requires(Capability.VIEW_PEOPLE)
def protected_caseloads(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    rows = selectors.overloaded(scope=scope, on=on)
    table = selectors.overloaded_table(rows, on)
    fmt = requested_format(request)
    _read_people(
        request, f"Above their protected caseload at {on.isoformat()} ({len(rows)} people)", fmt
    )
    if fmt:
        return table.response(fmt, f"above-protected-caseload-{on.isoformat()}")
    return _render(
        request,
        "protected.html",
        {"form": form, "on": on, "rows": rows, "download_query": filters_query(request)},
    )


@requires(Capability.VIEW_PEOPLE)
def trainees(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    rows = list(selectors.trainees(scope=scope))
    table = selectors.trainees_table(rows)
    fmt = requested_format(request)
    _read_people(request, f"Trainees ({len(rows)} people)", fmt)
    if fmt:
        return table.response(fmt, "trainees")
    return _render(
        request,
        "trainees.html",
        {"table": table, "by_month": selectors.qualifiers_by_month(rows), "count": len(rows)},
    )
