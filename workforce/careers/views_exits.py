"""Pages about leavers: why people leave (counts), exit interviews, returners, the theme list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from workforce.careers import selectors_exits as selectors
from workforce.careers import services_exits as services
from workforce.careers.forms_exits import ExitInterviewForm, PeriodForm, ThemeForm
from workforce.core.access import Capability, requires, scope_of
from workforce.core.dates import day_text
from workforce.core.exports import filters_query, requested_format
from workforce.core.models import AccessAction
from workforce.core.pages import form_flow, posted, submit
from workforce.core.services import record_access
from workforce.establishment.models import Worker


@requires(Capability.VIEW_AGGREGATES)
def why_people_leave(request: HttpRequest) -> HttpResponse:
    """Counts only: each theme in the year to today, and the themes by year or quarter."""
    scope = scope_of(request)
    form = PeriodForm(request.GET)
    by = form.period()
    over_time = selectors.themes_over_time(scope, by=by)
    year = selectors.why_people_leave(scope, on=scope.today)
    fmt = requested_format(request)
    if fmt:
        if request.GET.get("table") == "year":
            return year.table.response(fmt, f"why-people-leave-{year.on.isoformat()}")
        return over_time.response(fmt, f"exit-themes-by-{by}")
    return render(
        request,
        "careers/exits/why_people_leave.html",
        {
            "form": form,
            "by": by,
            "year": year,
            "year_sentence": selectors.year_sentence(year),
            "over_time": over_time,
            "chart": selectors.themes_chart(over_time) if over_time.rows else None,
            "chart_summary": selectors.chart_summary(over_time),
            "query": filters_query(request, by=by),
            "year_query": "table=year",
            "can_view_people": scope.can(Capability.VIEW_PEOPLE),
            "can_manage": scope.can(Capability.MANAGE_PEOPLE),
        },
    )


@requires(Capability.VIEW_PEOPLE)
def interview_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    found = list(selectors.interviews(scope))
    fmt = requested_format(request)
    if fmt:
        record_access(
            scope=scope,
            path=request.get_full_path(),
            description=f"Exit interviews ({len(found)} people)",
            action=AccessAction.DOWNLOADED,
        )
        return selectors.interviews_table(found).response(fmt, "exit-interviews")
    openable = scope.openable(Worker, [i.worker_id for i in found])
    return render(
        request,
        "careers/exits/interviews.html",
        {"interviews": found, "openable": openable},
    )


@requires(Capability.VIEW_PEOPLE)
def interview_detail(request: HttpRequest, exit_interview_id: int) -> HttpResponse:
    scope = scope_of(request)
    interview = selectors.interview(scope, exit_interview_id)
    record_access(scope=scope, path=request.get_full_path(), record=interview)
    return render(
        request,
        "careers/exits/interview.html",
        {
            "interview": interview,
            "themes": list(interview.themes.all()),
            "can_manage": scope.can(Capability.MANAGE_PEOPLE),
        },
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def interview_new(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = scope.get(Worker.objects.all(), pk=worker_id)
    form = ExitInterviewForm(posted(request), themes=selectors.themes(scope, offered_only=True))

    def action(data: dict[str, Any]) -> Any:
        return services.record_exit_interview(
            worker=worker,
            held_on=data["held_on"],
            notice_given_on=data.get("notice_given_on"),
            outcome=data["outcome"],
            themes=data.get("themes") or (),
            notes=data.get("notes") or "",
        )

    interview = submit(request, form, action)
    if interview is not None:
        messages.success(request, f"Exit interview with {worker} recorded.")
        return redirect("careers:exit_interview", exit_interview_id=interview.pk)
    record_access(scope=scope, path=request.get_full_path(), record=worker)
    return render(
        request,
        "careers/exits/interview_form.html",
        {
            "form": form,
            "worker": worker,
            "back_url": reverse("establishment:worker", kwargs={"worker_id": worker.pk}),
        },
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def interview_change(request: HttpRequest, exit_interview_id: int) -> HttpResponse:
    """Correct an interview: the same form and rules as recording one; themes since retired
    that it already has stay on offer."""
    scope = scope_of(request)
    interview = selectors.interview(scope, exit_interview_id)
    current = list(interview.themes.all())
    offered = selectors.themes(scope).filter(Q(is_active=True) | Q(pk__in=[t.pk for t in current]))
    initial = {
        "held_on": interview.held_on,
        "notice_given_on": interview.notice_given_on,
        "outcome": interview.outcome,
        "themes": [t.pk for t in current],
        "notes": interview.notes,
    }
    form = ExitInterviewForm(posted(request), initial=initial, themes=offered)
    back = reverse("careers:exit_interview", kwargs={"exit_interview_id": interview.pk})

    def action(data: dict[str, Any]) -> Any:
        return services.change_exit_interview(
            interview=interview,
            held_on=data["held_on"],
            notice_given_on=data.get("notice_given_on"),
            outcome=data["outcome"],
            themes=data.get("themes") or (),
            notes=data.get("notes") or "",
        )

    if submit(request, form, action) is not None:
        messages.success(request, f"Exit interview with {interview.worker} saved.")
        return redirect(back)
    record_access(scope=scope, path=request.get_full_path(), record=interview)
    return render(
        request,
        "careers/exits/interview_form.html",
        {
            "form": form,
            "worker": interview.worker,
            "back_url": back,
            "title": "Change the exit interview",
            "intro": "Correct what was recorded. The change is kept in the audit log.",
            "button": "Save the changes",
        },
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def interview_delete(request: HttpRequest, exit_interview_id: int) -> HttpResponse:
    scope = scope_of(request)
    interview = selectors.interview(scope, exit_interview_id)
    if request.method == "POST":
        services.delete_exit_interview(interview=interview)
        messages.success(request, f"Exit interview with {interview.worker} deleted.")
        return redirect("careers:exit_interviews")
    record_access(scope=scope, path=request.get_full_path(), record=interview)
    return render(
        request,
        "careers/confirm.html",
        {
            "title": "Delete this exit interview?",
            "caption": f"{interview.worker.full_name} ({interview.worker.staff_number})",
            "intro": f"Held on {day_text(interview.held_on)}, outcome "
            f"{interview.get_outcome_display().lower()}. Its themes no longer count in why people "
            "leave. Delete an interview only when it was recorded in error.",
            "back_url": reverse(
                "careers:exit_interview", kwargs={"exit_interview_id": interview.pk}
            ),
            "button": "Delete the interview",
        },
    )


@requires(Capability.VIEW_PEOPLE)
def returner_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    found = selectors.returners(scope)
    fmt = requested_format(request)
    if fmt:
        record_access(
            scope=scope,
            path=request.get_full_path(),
            description=f"Returners ({len(found)} people)",
            action=AccessAction.DOWNLOADED,
        )
        return selectors.returners_table(found).response(fmt, "returners")
    return render(request, "careers/exits/returners.html", {"returners": found})


@requires(Capability.VIEW_AGGREGATES)
def theme_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(
        request,
        "careers/exits/themes.html",
        {
            "themes": list(selectors.themes(scope)),
            "can_manage": scope.can(Capability.MANAGE_PEOPLE),
        },
    )


@requires(Capability.MANAGE_PEOPLE)
def theme_add(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return form_flow(
        request,
        ThemeForm(posted(request)),
        lambda d: services.add_theme(authority=scope.authority, label=d["label"]),
        done=lambda _theme: reverse("careers:exit_themes"),
        message=lambda theme: f"Theme “{theme}” added.",
        title="Add an exit interview theme",
        caption="Why people leave",
        back_url=reverse("careers:exit_themes"),
        submit="Add theme",
    )


@requires(Capability.MANAGE_PEOPLE)
def theme_offered(request: HttpRequest, exit_theme_id: int) -> HttpResponse:
    scope = scope_of(request)
    theme = selectors.theme(scope, exit_theme_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    offered = request.POST.get("offered") == "yes"
    services.set_theme_offered(theme=theme, offered=offered)
    messages.success(
        request, f"“{theme}” is {'offered' if offered else 'no longer offered'} for interviews."
    )
    return redirect("careers:exit_themes")
