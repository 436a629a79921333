"""Pages for progression, incentives and clawback, and learning and development: thin views
that check access, validate a form, call a service or a selector, and render."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from workforce.careers import selectors_incentives as selectors
from workforce.careers import services_incentives as services
from workforce.careers.forms_incentives import (
    AttendanceForm,
    ClawbackForm,
    CompletionFilterForm,
    CompletionForm,
    IncentiveForm,
    ProgrammeForm,
    ProgressionFilterForm,
    ProgressionForm,
    SessionForm,
)
from workforce.careers.models.incentives import Incentive, Progression
from workforce.careers.models.learning import Enrolment, LearningProgramme, LearningSession
from workforce.core.access import AUTHORITY_WIDE, Capability, Scope, requires, scope_of
from workforce.core.dates import day_text
from workforce.core.exports import filters_query, requested_format
from workforce.core.models import AccessAction
from workforce.core.pages import form_flow
from workforce.core.services import record_access
from workforce.establishment.models import Engagement, Role, Worker


def _worker(scope: Scope, worker_id: int) -> Worker:
    return scope.get(Worker.objects.all(), pk=worker_id)


def _programme(scope: Scope, programme_id: int) -> LearningProgramme:
    return scope.get(LearningProgramme.objects.all(), team=AUTHORITY_WIDE, pk=programme_id)


def _session(scope: Scope, session_id: int) -> LearningSession:
    return scope.get(
        LearningSession.objects.select_related("programme"), team=AUTHORITY_WIDE, pk=session_id
    )


def _workers_in_post(scope: Scope) -> QuerySet[Worker]:
    """People the user may see who are in post today, for choosing one on a form."""
    in_post = Engagement.objects.active_on(scope.today).values("worker_id")
    return scope.records(Worker.objects.filter(pk__in=in_post)).order_by("last_name", "first_name")


def _careers_url(worker: Worker) -> str:
    return reverse("careers:worker_incentives", kwargs={"worker_id": worker.pk})


# Progression -----------------------------------------------------------------------------------


@requires(Capability.VIEW_PEOPLE)
def progression_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    years = [(y, selectors.year_label(y)) for y in selectors.progression_years(scope)]
    teams = selectors.teams_for(scope)
    form = ProgressionFilterForm(request.GET or None, years=years, teams=teams)
    chosen = form.cleaned_data if form.is_valid() else {}
    rows = selectors.progressions(
        scope, year=chosen.get("year"), team_id=chosen.get("team"), kind=chosen.get("kind", "")
    )
    table = selectors.progression_table(rows)
    if fmt := requested_format(request):
        record_access(
            scope=scope,
            path=request.get_full_path(),
            description="Progression: list of people",
            action=AccessAction.DOWNLOADED,
        )
        return table.response(fmt, "progression")
    return render(
        request,
        "careers/incentives/progression.html",
        {
            "form": form,
            "rows": rows,
            "can_open": scope.openable(Worker, [p.worker_id for p in rows]),
            "download_query": filters_query(request),
        },
    )


@requires(Capability.VIEW_PEOPLE)
def worker_incentives(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = _worker(scope, worker_id)
    record_access(scope=scope, path=request.get_full_path(), record=worker)
    today = scope.today
    incentives = list(selectors.worker_incentives(worker))
    return render(
        request,
        "careers/incentives/worker.html",
        {
            "worker": worker,
            "progressions": Progression.objects.filter(worker=worker).select_related(
                "team", "from_role", "to_role"
            ),
            "incentives": [(i, i.in_clawback_on(today), i.recovery_on(today)) for i in incentives],
            "enrolments": Enrolment.objects.filter(worker=worker).select_related("programme"),
            "leaving": services.latest_leaving(worker),
            "can_manage": scope.can(Capability.MANAGE_PEOPLE),
            "rule": selectors.CLAWBACK_RULE,
        },
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def record_progression(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = _worker(scope, worker_id)
    roles = Role.objects.filter(authority=worker.authority_id)
    form = ProgressionForm(request.POST or None, roles=roles)
    return form_flow(
        request,
        form,
        lambda d: services.record_progression(worker=worker, **d),
        done=lambda p: _careers_url(worker),
        message=f"Progression of {worker} recorded.",
        title="Record a progression",
        caption=str(worker),
        back_url=_careers_url(worker),
    )


# Incentives and clawback ------------------------------------------------------------------------


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def record_incentive(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = _worker(scope, worker_id)
    form = IncentiveForm(request.POST or None)
    return form_flow(
        request,
        form,
        lambda d: services.record_incentive(worker=worker, **d),
        done=lambda i: _careers_url(worker),
        message=lambda i: f"{i.get_kind_display()} of £{i.amount:,} to {worker} recorded.",
        title="Record a payment",
        caption=str(worker),
        back_url=_careers_url(worker),
        intro=selectors.CLAWBACK_RULE,
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def record_clawback(request: HttpRequest, incentive_id: int) -> HttpResponse:
    scope = scope_of(request)
    incentive = scope.get(Incentive.objects.select_related("worker"), pk=incentive_id)
    worker = incentive.worker
    leaving = services.latest_leaving(worker)
    summary = [
        ("Payment", incentive.get_kind_display()),
        ("Amount", f"£{incentive.amount:,}"),
        ("Date paid", day_text(incentive.paid_on)),
        ("Clawback period", f"{incentive.clawback_months} months"),
        ("Last day", day_text(leaving.last_day) if leaving else "Has not left"),
    ]
    if leaving is not None:
        summary.append(("By the rule", f"£{incentive.recovery_on(leaving.last_day):,}"))
    form = ClawbackForm(request.POST or None, initial={"recorded_on": scope.today})
    return form_flow(
        request,
        form,
        lambda d: services.record_clawback(incentive=incentive, **d),
        done=lambda c: _careers_url(worker),
        message=lambda c: f"£{c.amount:,} recovered from {worker} recorded.",
        title="Record a clawback",
        caption=str(worker),
        back_url=_careers_url(worker),
        summary=summary,
        intro=selectors.CLAWBACK_RULE,
    )


@requires(Capability.VIEW_AGGREGATES)
def incentive_costs(request: HttpRequest) -> HttpResponse:
    table = selectors.cost_per_year(scope_of(request))
    if fmt := requested_format(request):
        return table.response(fmt, "incentive-costs")
    can_see_people = scope_of(request).can(Capability.VIEW_PEOPLE)
    return render(
        request,
        "careers/incentives/costs.html",
        {"table": table, "can_see_people": can_see_people},
    )


@requires(Capability.VIEW_PEOPLE)
def clawback_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    today = scope.today
    rows = selectors.in_clawback(scope, today)
    table = selectors.clawback_table(rows, today)
    if fmt := requested_format(request):
        record_access(
            scope=scope,
            path=request.get_full_path(),
            description="Inside a clawback period: list of people",
            action=AccessAction.DOWNLOADED,
        )
        return table.response(fmt, f"clawback-{today.isoformat()}")
    return render(
        request,
        "careers/incentives/clawback.html",
        {
            "rows": rows,
            "table": table,
            "today": today,
            "rule": selectors.CLAWBACK_RULE,
            "can_open": scope.openable(Worker, [r.worker_id for r in rows]),
        },
    )


# Learning and development -----------------------------------------------------------------------


@requires(Capability.VIEW_AGGREGATES)
def learning(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(
        request,
        "careers/incentives/learning.html",
        {
            "programmes": selectors.programmes(scope).prefetch_related("sessions"),
            "can_see_people": scope.can(Capability.VIEW_PEOPLE),
            "can_manage": scope.can(Capability.MANAGE_PEOPLE),
        },
    )


@requires(Capability.VIEW_AGGREGATES)
def completion(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = CompletionFilterForm(request.GET or None, programmes=selectors.programmes(scope))
    programme_id = form.cleaned_data.get("programme") if form.is_valid() else None
    table = selectors.completion_table(scope, on=scope.today, programme_id=programme_id)
    if fmt := requested_format(request):
        return table.response(fmt, f"learning-completion-{scope.today.isoformat()}")
    return render(
        request,
        "careers/incentives/completion.html",
        {"table": table, "form": form, "download_query": filters_query(request)},
    )


@requires(Capability.VIEW_PEOPLE)
def programme(request: HttpRequest, learning_programme_id: int) -> HttpResponse:
    scope = scope_of(request)
    found = _programme(scope, learning_programme_id)
    enrolments = selectors.programme_enrolments(scope, found)
    attended = selectors.attended_sessions(found)
    return render(
        request,
        "careers/incentives/programme.html",
        {
            "programme": found,
            "sessions": found.sessions.all(),
            "enrolments": [(e, attended.get(e.worker_id, 0)) for e in enrolments],
            "can_open": scope.openable(Worker, [e.worker_id for e in enrolments]),
            "can_manage": scope.can(Capability.MANAGE_PEOPLE),
        },
    )


@requires(Capability.MANAGE_PEOPLE)
def add_programme(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return form_flow(
        request,
        ProgrammeForm(request.POST or None),
        lambda d: services.create_programme(authority=scope.authority, **d),
        done=lambda p: reverse("careers:learning"),
        message=lambda p: f"{p} added.",
        title="Add a learning programme",
        back_url=reverse("careers:learning"),
    )


@requires(Capability.MANAGE_PEOPLE)
def add_session(request: HttpRequest, learning_programme_id: int) -> HttpResponse:
    scope = scope_of(request)
    found = _programme(scope, learning_programme_id)
    back = reverse("careers:learning_programme", kwargs={"learning_programme_id": found.pk})
    return form_flow(
        request,
        SessionForm(request.POST or None),
        lambda d: services.add_session(programme=found, **d),
        done=lambda s: back,
        message=lambda s: f"Session {s.title} added.",
        title="Add a session",
        caption=str(found),
        back_url=back,
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def record_attendance(request: HttpRequest, learning_session_id: int) -> HttpResponse:
    scope = scope_of(request)
    session = _session(scope, learning_session_id)
    back = reverse(
        "careers:learning_programme", kwargs={"learning_programme_id": session.programme_id}
    )
    form = AttendanceForm(request.POST or None, workers=_workers_in_post(scope))
    return form_flow(
        request,
        form,
        lambda d: services.record_attendance(session=session, **d),
        done=lambda a: back,
        message=lambda a: f"Attendance of {a.worker} recorded.",
        title="Record attendance",
        caption=f"{session.programme}: {session.title}, {day_text(session.date)}",
        back_url=back,
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def record_completion(request: HttpRequest, learning_programme_id: int) -> HttpResponse:
    scope = scope_of(request)
    found = _programme(scope, learning_programme_id)
    back = reverse("careers:learning_programme", kwargs={"learning_programme_id": found.pk})
    enrolled = scope.records(Worker.objects.filter(enrolments__programme=found)).order_by(
        "last_name", "first_name"
    )
    form = CompletionForm(request.POST or None, workers=enrolled)
    return form_flow(
        request,
        form,
        lambda d: services.record_completion(programme=found, **d),
        done=lambda e: back,
        message=lambda e: f"{e.worker} completed {found}.",
        title="Record completion",
        caption=str(found),
        back_url=back,
    )
