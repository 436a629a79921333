"""Caseload pages: thin views that check access, validate, call a service and render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from workforce.caseloads import measures, selectors, services, tables
from workforce.caseloads.forms import (
    AllocateForm,
    CloseCaseForm,
    EndAllocationForm,
    PeriodForm,
    ReferralForm,
    ReferralOutcomeForm,
    SupervisionForm,
    TransferForm,
)
from workforce.caseloads.measures import DAY, CaseloadFilter
from workforce.caseloads.models import Allocation, AllocationReason, Case, Referral
from workforce.core.access import SELF, Capability, Scope, requires, scope_of
from workforce.core.exports import filters_query, requested_format
from workforce.core.forms import AsAtForm, read_date
from workforce.core.models import AccessAction
from workforce.core.pages import sent, submit
from workforce.core.services import record_access
from workforce.core.templatetags.govuk import govuk_date
from workforce.establishment.models import Team, Worker


def _render(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    scope = scope_of(request)
    context.setdefault("can_see_people", scope.can(Capability.VIEW_PEOPLE))
    context.setdefault("can_manage", scope.can(Capability.MANAGE_CASES))
    return render(request, template, context)


def _team(scope: Scope, team_id: int) -> Team:
    return scope.get(Team.objects.all(), team=SELF, pk=team_id)


def _worker(scope: Scope, worker_id: int) -> Worker:
    return scope.get(Worker.objects.all(), pk=worker_id)


def _case(scope: Scope, case_id: int) -> Case:
    return scope.get(Case.objects.all(), pk=case_id)


# Overview, heat map and demand ----------------------------------------------------------------


@requires(Capability.VIEW_AGGREGATES)
def overview(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    where = CaseloadFilter.for_scope(scope)
    series = measures.monthly_series(where, on, months=12)
    series_table = tables.series_table(series)
    if fmt := requested_format(request):
        return series_table.response(fmt, f"caseloads-monthly-to-{on.isoformat()}")
    overview = measures.caseload_overview(where, on)
    context = {
        "form": form,
        "on": on,
        "summary": overview.summary,
        "changes": overview.changes,
        "unallocated": overview.unallocated,
        "escalated": overview.escalated,
        "threshold": overview.threshold,
        "compliance": overview.compliance,
        "funnel_table": tables.funnel_table(overview.funnel),
        "distribution": measures.caseload_distribution(where, on),
        "series_table": series_table.hiding("case_holders"),
        "download_query": filters_query(request),
    }
    return _render(request, "caseloads/overview.html", context)


@requires(Capability.VIEW_AGGREGATES)
def heat_map(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    heat = selectors.heat_map(scope=scope, on=on)
    if fmt := requested_format(request):
        return tables.heat_table(heat).response(fmt, f"team-heat-map-{on.isoformat()}")
    return _render(
        request,
        "caseloads/heat_map.html",
        {
            "form": form,
            "heat": heat,
            "download_query": filters_query(request),
        },
    )


@requires(Capability.VIEW_AGGREGATES)
def demand(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = PeriodForm(request.GET or None)
    today = dt.date.today()
    start, end = form.period(today)
    where = CaseloadFilter.for_scope(scope)
    scheme = measures.scheme_settings(scope.authority.pk)
    result = measures.funnel(
        where,
        start,
        end,
        as_at=form.counted_at(),
        initial_days=scheme.initial_assessment_days,
        core_days=scheme.core_assessment_days,
    )
    # Single referrals (with a case reference) only for those who may see case-level records.
    sees_referrals = scope.can(Capability.VIEW_PEOPLE)
    if fmt := requested_format(request):
        if request.GET.get("table") == REFERRALS_TABLE:
            if not sees_referrals:
                raise PermissionDenied("Your role does not allow this.")
            return _referrals_download(fmt, scope, start, end)
        name = (
            f"referral-funnel-{start.isoformat()}-to-{(end - DAY).isoformat()}"
            f"-as-at-{result.as_at.isoformat()}"
        )
        return tables.funnel_table(result).response(fmt, name)
    referrals = None
    if sees_referrals:
        referrals = Paginator(
            selectors.recent_referrals(scope=scope, start=start, end=end), 25
        ).get_page(request.GET.get("page"))
    return _render(
        request,
        "caseloads/demand.html",
        {
            "form": form,
            "funnel": result,
            "funnel_table": tables.funnel_table(result),
            "last_day": end - DAY,
            "scheme": scheme,
            "new_cases": measures.new_cases_allocated(where, start, end),
            "download_query": filters_query(request, table=None),
            "referrals": referrals,
            "referral_downloads": filters_query(request, table=REFERRALS_TABLE),
            "page_query": filters_query(request),
        },
    )


REFERRALS_TABLE = "referrals"


def _referrals_download(fmt: str, scope: Scope, start: dt.date, end: dt.date) -> HttpResponse:
    """Every referral of the period (not only one page), as the demand page lists them."""
    referrals = selectors.recent_referrals(scope=scope, start=start, end=end)
    name = f"referrals-{start.isoformat()}-to-{(end - DAY).isoformat()}"
    return tables.referrals_table(referrals).response(fmt, name)


@requires(Capability.MANAGE_CASES)
def record_referral(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    teams = selectors.referral_teams(scope)
    form = ReferralForm(request.POST or None, teams=teams, initial={"received": dt.date.today()})
    referral = submit(
        request,
        form,
        lambda d: services.record_referral(
            authority=scope.authority,
            team=d["team"],
            received=d["received"],
            child_ref=d["child_ref"],
        ),
    )
    if referral is not None:
        messages.success(
            request,
            f"Referral received on {govuk_date(referral.received)} by {referral.team} recorded.",
        )
        return redirect("caseloads:demand")
    return _render(request, "caseloads/record_referral.html", {"form": form, "teams": teams})


@requires(Capability.MANAGE_CASES)
def referral_outcome(request: HttpRequest, referral_id: int) -> HttpResponse:
    scope = scope_of(request)
    referral = scope.get(
        Referral.objects.select_related("team", "case"), team="team", pk=referral_id
    )
    fields = list(ReferralOutcomeForm.base_fields)
    initial = {name: getattr(referral, name) for name in fields}
    form = ReferralOutcomeForm(request.POST or None, initial=initial)
    done = submit(
        request,
        form,
        # Only what the page sent changes: a date it did not send is kept, never cleared.
        lambda d: services.record_referral_outcome(referral=referral, **sent(form)),
    )
    if done is not None:
        messages.success(
            request,
            f"Outcome of the referral received on {govuk_date(referral.received)} recorded: "
            f"{referral.get_outcome_display().lower()}.",
        )
        return redirect("caseloads:demand")
    return _render(request, "caseloads/referral_outcome.html", {"form": form, "referral": referral})


# Team and worker workload -------------------------------------------------------------------


@requires(Capability.VIEW_PEOPLE)
def team_workload(request: HttpRequest, team_id: int) -> HttpResponse:
    scope = scope_of(request)
    team = _team(scope, team_id)
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    workload = selectors.team_workload(team=team, on=on)
    if fmt := requested_format(request):
        name = f"workload-{team.name}-{on.isoformat()}"
        return tables.workload_table(workload).response(fmt, name)
    scheme = measures.scheme_settings(team.authority_id)
    unallocated = measures.unallocated_by_team(
        CaseloadFilter(authority_ids=(team.authority_id,), team_ids=(team.pk,)),
        on,
        threshold_days=scheme.unallocated_threshold_days,
    ).get(team.pk, (0, 0))
    return _render(
        request,
        "caseloads/team_workload.html",
        {
            "form": form,
            "team": team,
            "workload": workload,
            "can_open": scope.openable(Worker, [w.worker_id for w in workload.workers]),
            "unallocated": unallocated,
            "download_query": filters_query(request),
        },
    )


@requires(Capability.VIEW_PEOPLE)
def worker_workload(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = _worker(scope, worker_id)
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    scheme = measures.scheme_settings(worker.authority_id)
    cases = selectors.cases_held_by(worker=worker, on=on)
    fmt = requested_format(request)
    record_access(
        scope=scope,
        path=request.get_full_path(),
        record=worker,
        action=AccessAction.DOWNLOADED if fmt else AccessAction.VIEWED,
    )
    if fmt:
        name = f"cases-held-{worker.staff_number}-{on.isoformat()}"
        return tables.held_table(cases).response(fmt, name)
    loads = selectors.worker_loads(
        authority_ids=[worker.authority_id], on=on, scheme=scheme, worker_ids=[worker.pk]
    )
    return _render(
        request,
        "caseloads/worker_workload.html",
        {
            "form": form,
            "on": on,
            "worker": worker,
            "load": loads[0] if loads else None,
            "cases": cases,
            "supervisions": selectors.recent_supervisions(worker, on),
            "download_query": filters_query(request),
        },
    )


# Unallocated cases and allocating -----------------------------------------------------------


@requires(Capability.VIEW_PEOPLE)
def unallocated(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    team_id = _int(request.GET.get("team_id"))
    where = CaseloadFilter.for_scope(scope, team_id=team_id)
    scheme = measures.scheme_settings(scope.authority.pk)
    cases = selectors.unallocated_cases(
        where=where, on=on, threshold_days=scheme.unallocated_threshold_days
    )
    if fmt := requested_format(request):
        name = f"unallocated-cases-{on.isoformat()}"
        return tables.unallocated_table(cases).response(fmt, name)
    return _render(
        request,
        "caseloads/unallocated.html",
        {
            "form": form,
            "on": on,
            "cases": cases[:500],
            "total": len(cases),
            "escalated": sum(1 for c in cases if c.escalated),
            "threshold": scheme.unallocated_threshold_days,
            "teams": selectors.teams_for(scope),
            "team_id": team_id,
            "download_query": filters_query(request),
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_CASES)
def allocate(request: HttpRequest, case_id: int) -> HttpResponse:
    scope = scope_of(request)
    case = _case(scope, case_id)
    on = dt.date.today()
    if request.method == "POST":
        # The candidates are those free on the date typed; the form names a bad date itself.
        on = read_date(request.POST, "start")[0] or on
    spell = selectors.case_team_on(case, on)
    if spell is not None and not scope.allows_team(spell.team_id):
        raise Http404("Not found in your area.")
    candidates = selectors.candidates(case=case, on=on)
    allocated_before = selectors.allocated_before(case)
    initial = {
        "start": on,
        "reason": AllocationReason.REALLOCATION if allocated_before else AllocationReason.INITIAL,
    }
    form = AllocateForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        worker = _worker(scope, form.cleaned_data["worker"])
        done = submit(
            request,
            form,
            lambda d: services.allocate_case(
                case=case,
                worker=worker,
                start=d["start"],
                reason=d["reason"],
                over_capacity_reason=d["over_capacity_reason"],
            ),
        )
        if done is not None:
            messages.success(request, f"Case {case} allocated to {worker}.")
            if spell is not None:
                return redirect("caseloads:team", team_id=spell.team_id)
            return redirect("caseloads:unallocated")
    return _render(
        request,
        "caseloads/allocate.html",
        {
            "form": form,
            "case": case,
            "on": on,
            "spell": spell,
            "category": selectors.case_category_on(case, on),
            "current": selectors.current_allocation(case, on),
            "candidates": candidates,
        },
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_CASES)
def transfer(request: HttpRequest, case_id: int) -> HttpResponse:
    """Move a case to another team of the authority (Leeds: between area offices)."""
    scope = scope_of(request)
    case = _case(scope, case_id)
    today = dt.date.today()
    spell = selectors.case_team_on(case, today)
    if spell is not None and not scope.allows_team(spell.team_id):
        raise Http404("Not found in your area.")
    teams = selectors.transfer_teams(scope)
    form = TransferForm(request.POST or None, teams=teams, initial={"on": today})
    done = submit(
        request, form, lambda d: services.transfer_case(case=case, to_team=d["to_team"], on=d["on"])
    )
    if done is not None:
        messages.success(request, f"Case {case} transferred to {form.cleaned_data['to_team']}.")
        if spell is not None and scope.allows_team(spell.team_id):
            return redirect("caseloads:team", team_id=spell.team_id)
        return redirect("caseloads:unallocated")
    return _render(
        request,
        "caseloads/transfer.html",
        {
            "form": form,
            "case": case,
            "spell": spell,
            "current": selectors.current_allocation(case, today),
        },
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_CASES)
def close_case(request: HttpRequest, case_id: int) -> HttpResponse:
    """Close a case from a date: its allocation and team spell end then too."""
    scope = scope_of(request)
    case = _case(scope, case_id)
    today = dt.date.today()
    on = min(today, case.end - DAY) if case.end else today
    spell = selectors.case_team_on(case, on)
    if spell is not None and not scope.allows_team(spell.team_id):
        raise Http404("Not found in your area.")
    form = CloseCaseForm(request.POST or None, initial={"closed": today})
    closed = submit(request, form, lambda d: services.close_case(case=case, closed=d["closed"]))
    if closed is not None:
        messages.success(
            request, f"Case {case} closed from {govuk_date(form.cleaned_data['closed'])}."
        )
        if spell is not None:
            return redirect("caseloads:team", team_id=spell.team_id)
        return redirect("caseloads:unallocated")
    return _render(
        request,
        "caseloads/close_case.html",
        {
            "form": form,
            "case": case,
            "spell": spell,
            "current": selectors.current_allocation(case, on) if case.end is None else None,
        },
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_CASES)
def end_allocation(request: HttpRequest, allocation_id: int) -> HttpResponse:
    scope = scope_of(request)
    allocation = scope.get(Allocation.objects.select_related("case", "worker"), pk=allocation_id)
    form = EndAllocationForm(request.POST or None, initial={"end": dt.date.today()})
    ended = submit(
        request, form, lambda d: services.end_allocation(allocation=allocation, end=d["end"])
    )
    if ended is not None:
        messages.success(request, f"{allocation.worker} no longer holds case {allocation.case}.")
        return redirect("caseloads:worker", worker_id=allocation.worker_id)
    return _render(
        request, "caseloads/end_allocation.html", {"form": form, "allocation": allocation}
    )


# Supervision -------------------------------------------------------------------------------


@requires(Capability.VIEW_PEOPLE)
def supervision(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    where = CaseloadFilter.for_scope(scope)
    overdue = selectors.overdue_supervision(where=where, on=on)
    if fmt := requested_format(request):
        name = f"supervision-overdue-{on.isoformat()}"
        return tables.supervision_table(overdue).response(fmt, name)
    return _render(
        request,
        "caseloads/supervision.html",
        {
            "form": form,
            "on": on,
            "overdue": overdue,
            "can_open": scope.openable(Worker, [o.worker_id for o in overdue]),
            "compliance": measures.supervision_compliance(
                where, on, measures.policy_settings(scope.authority.pk)
            ),
            "download_query": filters_query(request),
        },
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_CASES)
def record_supervision(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = _worker(scope, worker_id)
    today = dt.date.today()
    # Only people the user may see: a team manager chooses from their own teams.
    supervisors = selectors.workers_in_post(scope=scope, on=today).exclude(pk=worker.pk)
    form = SupervisionForm(request.POST or None, supervisors=supervisors, initial={"date": today})
    done = submit(
        request,
        form,
        lambda d: services.record_supervision(
            worker=worker, date=d["date"], supervisor=d["supervisor"]
        ),
    )
    if done is not None:
        messages.success(request, f"Supervision of {worker} recorded.")
        return redirect(reverse("caseloads:supervision"))
    return _render(request, "caseloads/record_supervision.html", {"form": form, "worker": worker})
