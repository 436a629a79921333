"""Recruitment pages: thin views that check access, validate, call a service and render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from workforce.core.access import Capability, Scope, requires, scope_of
from workforce.core.dates import day_text
from workforce.core.exports import FORMATS, requested_format
from workforce.core.forms import AsAtForm
from workforce.core.pages import form_flow, posted, sent
from workforce.core.services import record_access
from workforce.core.tables import Column, Kind, Table
from workforce.recruitment import forms as f
from workforce.recruitment import selectors, services
from workforce.recruitment.models import (
    EXIT_STAGES,
    Application,
    Check,
    Stage,
    Task,
)


def _user(request: HttpRequest) -> Any:
    return request.user


# Campaigns ------------------------------------------------------------------------------------


CAMPAIGNS_COLUMNS = [
    Column("campaign", "Campaign"),
    Column("start", "Starts", Kind.DATE),
    Column("end", "Ends", Kind.DATE),
    Column("applications", "Applications", Kind.COUNT),
    Column("started", "Started", Kind.COUNT),
]


@requires(Capability.VIEW_AGGREGATES)
def campaign_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    campaigns = selectors.campaigns_for(scope, on=on)
    if fmt := requested_format(request):
        rows = [
            [c.name, c.start, c.end, c.applications, c.started]  # type: ignore[attr-defined]
            for c in campaigns
        ]
        table = Table("Recruitment campaigns", CAMPAIGNS_COLUMNS, rows)
        return table.response(fmt, f"recruitment-campaigns-{on.isoformat()}")
    return render(
        request,
        "recruitment/campaigns.html",
        {
            "form": form,
            "on": on,
            "query": f"on={on.isoformat()}",
            "campaigns": campaigns,
            "can_manage": selectors.sees_all_candidates(scope),
        },
    )


@requires(Capability.MANAGE_RECRUITMENT)
def campaign_new(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = f.CampaignForm(posted(request))
    return form_flow(
        request,
        form,
        lambda d: services.create_campaign(authority=scope.authority, **d),
        title="Start a campaign",
        back_url=reverse("recruitment:campaigns"),
        done=lambda c: reverse("recruitment:campaign", kwargs={"campaign_id": c.pk}),
        message="Campaign started.",
    )


@requires(Capability.VIEW_AGGREGATES)
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    scope = scope_of(request)
    campaign = selectors.campaign_for(scope, campaign_id)
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    where = selectors.ReportFilter.for_scope(scope, campaign_id=campaign.pk, on=on)
    return render(
        request,
        "recruitment/campaign.html",
        {
            "campaign": campaign,
            "form": form,
            "on": on,
            "team_limited": scope.is_team_limited,
            "strands": selectors.strands_of(campaign),
            "vacancies": selectors.vacancies_of(campaign, scope=scope),
            "pipeline": selectors.pipeline(
                scope, applications=selectors.campaign_applications(scope, campaign)
            ),
            "progress": selectors.report_table(
                "progress", where, hide=("campaign", "deadline", "summary")
            ),
            "query": f"&campaign={campaign.pk}&on={on.isoformat()}",
            "sentences": _sentences(selectors.report_table("progress", where), campaign=False),
            "can_manage": selectors.sees_all_candidates(scope),
        },
    )


@requires(Capability.MANAGE_RECRUITMENT)
def strand_new(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_for(scope_of(request), campaign_id)
    back = reverse("recruitment:campaign", kwargs={"campaign_id": campaign.pk})
    return form_flow(
        request,
        f.StrandForm(posted(request), initial={"start": campaign.start}),
        lambda d: services.create_strand(campaign=campaign, **d),
        title=f"Add a strand to {campaign}",
        back_url=back,
        done=lambda _: back,
        message="Strand added.",
    )


@requires(Capability.MANAGE_RECRUITMENT)
def target_new(request: HttpRequest, strand_id: int) -> HttpResponse:
    scope = scope_of(request)
    strand = selectors.strand_for(scope, strand_id)
    back = reverse("recruitment:campaign", kwargs={"campaign_id": strand.campaign_id})
    return form_flow(
        request,
        f.TargetForm(posted(request), scope=scope),
        lambda d: services.create_target(strand=strand, **d),
        title=f"Set a target for {strand}",
        back_url=back,
        done=lambda _: back,
        message="Target set.",
    )


@requires(Capability.MANAGE_RECRUITMENT)
def vacancy_new(request: HttpRequest, campaign_id: int) -> HttpResponse:
    scope = scope_of(request)
    campaign = selectors.campaign_for(scope, campaign_id)
    form = f.VacancyForm(posted(request), scope=scope, campaign=campaign)
    return form_flow(
        request,
        form,
        lambda d: services.open_vacancy(authority=scope.authority, **d),
        title=f"Open a vacancy in {campaign}",
        back_url=reverse("recruitment:campaign", kwargs={"campaign_id": campaign.pk}),
        done=lambda v: reverse("recruitment:vacancy", kwargs={"vacancy_id": v.pk}),
        message="Vacancy opened.",
    )


# Vacancies, candidates, applications ---------------------------------------------------------


@requires(Capability.VIEW_AGGREGATES)
def vacancy_detail(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    scope = scope_of(request)
    vacancy = selectors.vacancy_for(scope, vacancy_id)
    applications = selectors.vacancy_applications_in_scope(scope, vacancy)
    return render(
        request,
        "recruitment/vacancy.html",
        {
            "vacancy": vacancy,
            "posts": vacancy.posts.select_related("team").order_by("reference"),
            "pipeline": selectors.pipeline(scope, applications=applications),
            "named": selectors.vacancy_applications(scope, vacancy),
            "can_manage": selectors.sees_all_candidates(scope),
        },
    )


@requires(Capability.MANAGE_RECRUITMENT)
def apply_view(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = selectors.vacancy_for(scope_of(request), vacancy_id)
    return form_flow(
        request,
        f.ApplyForm(posted(request), initial={"applied_on": dt.date.today()}),
        lambda d: services.apply(vacancy=vacancy, by=_user(request), **d),
        title=f"Record an application for {vacancy}",
        back_url=reverse("recruitment:vacancy", kwargs={"vacancy_id": vacancy.pk}),
        done=lambda a: reverse("recruitment:application", kwargs={"application_id": a.pk}),
        message="Application recorded.",
    )


@requires(Capability.VIEW_PEOPLE)
def candidate_detail(request: HttpRequest, candidate_id: int) -> HttpResponse:
    scope = scope_of(request)
    candidate = selectors.candidate_for(scope, candidate_id)
    record_access(scope=scope, path=request.get_full_path(), record=candidate)
    return render(
        request,
        "recruitment/candidate.html",
        {
            "candidate": candidate,
            "applications": selectors.candidate_applications(scope, candidate),
        },
    )


@requires(Capability.VIEW_PEOPLE)
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    scope = scope_of(request)
    application = selectors.application_for(scope, application_id)
    record_access(scope=scope, path=request.get_full_path(), record=application)
    return render(
        request,
        "recruitment/application.html",
        {
            "application": application,
            "transitions": application.transitions.select_related("by").order_by("on", "pk"),
            "checks": application.checks.select_related("owner").order_by("kind"),
            "offers": application.offers.order_by("made_on", "pk"),
            "conditional_to_accept": application.stage in (Stage.RECOMMENDED, Stage.CHECKS)
            and application.offers.filter(kind="conditional", response="pending").exists(),
            "tasks": application.tasks.select_related("owner").order_by("due_on", "pk"),
            "can_manage": selectors.sees_all_candidates(scope),
            "is_open": application.is_open,
            "exit_stages": EXIT_STAGES,
            "today": dt.date.today(),
            "Stage": Stage,
        },
    )


def _application(request: HttpRequest, application_id: int) -> tuple[Application, str]:
    application = selectors.application_for(scope_of(request), application_id)
    return application, reverse(
        "recruitment:application", kwargs={"application_id": application.pk}
    )


@requires(Capability.MANAGE_RECRUITMENT)
def application_advance(request: HttpRequest, application_id: int) -> HttpResponse:
    application, back = _application(request, application_id)
    initial = {"to_stage": application.next_stage, "on": dt.date.today()}
    return form_flow(
        request,
        f.AdvanceForm(posted(request), initial=initial),
        lambda d: services.advance_application(application=application, by=_user(request), **d),
        title="Move the application to its next stage",
        back_url=back,
        done=lambda _: back,
        message="Stage recorded.",
    )


@requires(Capability.MANAGE_RECRUITMENT)
def application_leave(request: HttpRequest, application_id: int) -> HttpResponse:
    application, back = _application(request, application_id)
    return form_flow(
        request,
        f.LeaveForm(posted(request), initial={"on": dt.date.today()}),
        lambda d: services.leave_application(application=application, by=_user(request), **d),
        title="Record that the application left the process",
        intro="Withdrawn: the candidate withdrew. Rejected: we did not take it further. "
        "Declined: the candidate turned down an offer. Pulled out after accepting: the "
        "candidate had accepted an offer and then withdrew (recorded so whichever of withdrawn "
        "or declined is chosen).",
        back_url=back,
        done=lambda _: back,
        message="Outcome recorded.",
    )


@requires(Capability.MANAGE_RECRUITMENT)
def application_contacts(request: HttpRequest, application_id: int) -> HttpResponse:
    scope = scope_of(request)
    application, back = _application(request, application_id)
    initial = {
        "hr_officer": application.hr_officer_id,
        "area_manager": application.area_manager_id,
        "preferred_team": application.preferred_team_id,
    }
    form = f.ContactsForm(posted(request), scope=scope, initial=initial)
    return form_flow(
        request,
        form,
        lambda d: services.assign_contacts(application=application, **sent(form)),
        title="Named contacts and preferred team",
        back_url=back,
        done=lambda _: back,
        message="Contacts saved.",
    )


@requires(Capability.MANAGE_RECRUITMENT)
def application_allocate(request: HttpRequest, application_id: int) -> HttpResponse:
    application, back = _application(request, application_id)
    posts = selectors.posts_to_fill(application)
    suggested = application.post_id or next((p.pk for p in posts if not p.held), None)
    return form_flow(
        request,
        f.AllocateForm(posted(request), posts=posts, initial={"post": suggested}),
        lambda d: services.allocate_post(application=application, **d),
        title="Allocate a post",
        intro="Posts vacant today in the candidate's preferred team come first, then other "
        "vacant posts; the first of them is suggested.",
        back_url=back,
        done=lambda _: back,
        message="Post allocated.",
    )


@requires(Capability.MANAGE_RECRUITMENT)
def check_request(request: HttpRequest, application_id: int) -> HttpResponse:
    scope = scope_of(request)
    application, back = _application(request, application_id)
    initial = {"requested_on": dt.date.today(), "required": True}
    return form_flow(
        request,
        f.RequestCheckForm(posted(request), scope=scope, initial=initial),
        lambda d: services.request_check(application=application, **d),
        title="Request a pre-employment check",
        back_url=back,
        done=lambda _: back,
        message="Check requested.",
    )


@requires(Capability.MANAGE_RECRUITMENT)
def check_result(request: HttpRequest, check_id: int) -> HttpResponse:
    scope = scope_of(request)
    check = _get_check(scope, check_id)
    back = reverse("recruitment:application", kwargs={"application_id": check.application_id})
    return form_flow(
        request,
        f.CheckResultForm(posted(request), initial={"outcome_on": dt.date.today()}),
        lambda d: services.record_check_result(check=check, **d),
        title=f"Record the {check.get_kind_display().lower()} check result",
        back_url=back,
        done=lambda _: back,
        message="Check result recorded.",
    )


def _get_check(scope: Scope, check_id: int) -> Check:
    return scope.get(
        Check.objects.select_related("application"), team="application__post__team", pk=check_id
    )


@requires(Capability.MANAGE_RECRUITMENT)
def offer_make(request: HttpRequest, application_id: int) -> HttpResponse:
    application, back = _application(request, application_id)
    return form_flow(
        request,
        f.OfferForm(posted(request), initial={"on": dt.date.today()}),
        lambda d: services.make_unconditional_offer(
            application=application, by=_user(request), **d
        ),
        title="Make the unconditional offer",
        intro="Only when every required pre-employment check is cleared.",
        back_url=back,
        done=lambda _: back,
        message="Unconditional offer made.",
    )


@requires(Capability.MANAGE_RECRUITMENT)
def conditional_accept(request: HttpRequest, application_id: int) -> HttpResponse:
    application, back = _application(request, application_id)
    return form_flow(
        request,
        f.ConditionalAcceptForm(posted(request), initial={"on": dt.date.today()}),
        lambda d: services.accept_conditional_offer(
            application=application, by=_user(request), **d
        ),
        title="Record the acceptance of the conditional offer",
        intro="The candidate has accepted the conditional offer while the pre-employment checks "
        "run. The unconditional offer follows when every required check is cleared.",
        back_url=back,
        done=lambda _: back,
        message="Acceptance of the conditional offer recorded.",
    )


@requires(Capability.MANAGE_RECRUITMENT)
def offer_accept(request: HttpRequest, application_id: int) -> HttpResponse:
    application, back = _application(request, application_id)
    return form_flow(
        request,
        f.AcceptForm(posted(request), initial={"on": dt.date.today()}),
        lambda d: services.accept_offer(application=application, by=_user(request), **d),
        title="Record the acceptance",
        back_url=back,
        done=lambda _: back,
        message="Acceptance recorded. The start-date letter is due today.",
    )


@requires(Capability.MANAGE_RECRUITMENT, Capability.MANAGE_PEOPLE)
def application_start(request: HttpRequest, application_id: int) -> HttpResponse:
    scope = scope_of(request)
    application, back = _application(request, application_id)
    strand = application.vacancy.strand
    agency = strand is not None and strand.agency_staff
    initial = {
        "start": application.start_date,
        "post": application.post_id,
        "fte": "1.00",
        "end_agency_cover": True,
        "over_establishment_reason": application.over_establishment_reason,
    }
    if agency and strand is not None:
        initial |= {"kind": "agency", "agency_name": strand.partner, "covers": "vacancy"}
    form = f.StartForm(
        posted(request),
        posts=selectors.posts_to_fill(application),
        scope=scope,
        agency=agency,
        initial=initial,
    )
    return form_flow(
        request,
        form,
        lambda d: services.start_application(application=application, by=_user(request), **d),
        title="Record the start",
        intro="This creates the worker and their engagement in the post"
        + (
            ": for an agency worker, the agency assignment (agency, hourly charge rate and "
            "what it covers)."
            if agency
            else "."
        ),
        back_url=back,
        done=lambda _: back,
        message="Start recorded: the post is filled from the start date.",
        submit="Record the start",
    )


# Tasks ----------------------------------------------------------------------------------------


@requires(Capability.MANAGE_RECRUITMENT)
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    scope = scope_of(request)
    task = scope.get(Task.objects.all(), team="application__post__team", pk=task_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = f.TaskDoneForm(request.POST)
    back = request.POST.get("next") or reverse(
        "recruitment:application", kwargs={"application_id": task.application_id}
    )
    # Only back to a page of this site: never "//elsewhere.example" or "https://...".
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = reverse("recruitment:my_tasks")
    if not form.is_valid():
        messages.error(request, "Done on must be a real date, for example 30 September 2025.")
        return redirect(back)
    try:
        services.complete_task(task=task, done_on=form.cleaned_data["done_on"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{task}” marked done.")
    return redirect(back)


TASKS_COLUMNS = [
    Column("list", "List"),
    Column("candidate", "Candidate"),
    Column("task", "Task"),
    Column("due", "Due", Kind.DATE),
]
OWNERS_TABLE = "owners"
OWNERS_COLUMNS = [Column("owner", "Owner"), Column("overdue", "Overdue", Kind.COUNT)]


def _owners_table(by_owner: list[dict[str, Any]]) -> Table:
    return Table(
        "Overdue tasks by HR officer",
        OWNERS_COLUMNS,
        [[r["owner"], r["overdue"]] for r in by_owner],
        empty="No one has overdue tasks.",
    )


WHEN_CHECKS_CLEAR = "When the checks clear"  # what the page shows for a task with no date yet


@requires(Capability.MANAGE_RECRUITMENT)
def my_tasks(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    today = dt.date.today()
    mine = selectors.tasks_for(scope.user, today=today)
    by_owner = selectors.overdue_by_owner(scope, today=today)
    unassigned = selectors.unassigned_overdue(scope, today=today)[:50]
    if fmt := requested_format(request):
        if request.GET.get("table") == OWNERS_TABLE:
            name = f"overdue-tasks-by-owner-{today.isoformat()}"
            return _owners_table(by_owner).response(fmt, name)
        lists = [
            ("Overdue", mine["overdue"]),
            ("Coming up", mine["upcoming"]),
            ("Overdue with no owner", unassigned),
        ]
        rows = [
            [
                label,
                str(t.application.candidate),
                t.get_kind_display(),
                t.due_on or WHEN_CHECKS_CLEAR,
            ]
            for label, tasks in lists
            for t in tasks
        ]
        table = Table("My tasks", TASKS_COLUMNS, rows)
        return table.response(fmt, f"my-tasks-{today.isoformat()}")
    return render(
        request,
        "recruitment/tasks.html",
        {
            **mine,
            "by_owner": by_owner,
            "owners_table": _owners_table(by_owner),
            "unassigned": unassigned,
            "today": today,
        },
    )


# Reports --------------------------------------------------------------------------------------


def _report_filter(request: HttpRequest) -> tuple[f.ReportFilterForm, selectors.ReportFilter]:
    """The campaign, period and date asked for, and the user's teams (a team manager's only)."""
    scope = scope_of(request)
    form = f.ReportFilterForm(request.GET or None, campaigns=selectors.campaigns_visible(scope))
    campaign, on, start = form.chosen()
    where = selectors.ReportFilter.for_scope(
        scope, campaign_id=campaign.pk if campaign else None, on=on, start=start
    )
    return form, where


@requires(Capability.VIEW_AGGREGATES)
def reports(request: HttpRequest) -> HttpResponse:
    form, where = _report_filter(request)
    tables = [
        selectors.report_table(key, where, hide=("deadline", "summary"))
        for key in selectors.REPORTS
        if key != "newly_qualified"
    ]
    newly_qualified = selectors.newly_qualified(where)
    expected_table = newly_qualified.table()
    expected_table.key = "newly_qualified"
    query = f"&start={where.first.isoformat()}&on={where.on.isoformat()}"
    if where.campaign_id:
        query += f"&campaign={where.campaign_id}"
    return render(
        request,
        "recruitment/reports.html",
        {
            "form": form,
            "on": where.on,
            "first": where.first,
            "team_limited": where.team_ids is not None,
            "tables": tables,
            "sentences": _sentences(tables[0]),
            "offered_and_accepted": selectors.offered_and_accepted(where),
            "query": query,
            "dbs": selectors.dbs_turnaround(where),
            "newly_qualified": newly_qualified,
            "expected_table": expected_table,
        },
    )


def _sentences(progress: Table, *, campaign: bool = True) -> list[str]:
    """The progress table as a council report says it, one sentence per strand and role."""
    sentences = []
    for name, strand, role, summary, deadline in zip(
        progress.column("campaign"),
        progress.column("strand"),
        progress.column("role"),
        progress.column("summary"),
        progress.column("deadline"),
        strict=True,
    ):
        where = f"{name}, {strand}" if campaign else strand
        due = f" (deadline {day_text(deadline)})" if isinstance(deadline, dt.date) else ""
        if deadline == selectors.NO_DEADLINE:
            due = " (no date set)"
        sentences.append(f"{where}, {role}: {summary}{due}.")
    return sentences


@requires(Capability.VIEW_AGGREGATES)
def report_download(request: HttpRequest) -> HttpResponse:
    _form, where = _report_filter(request)
    key = request.GET.get("table") or "progress"
    fmt = request.GET.get("format") or "csv"
    if key not in selectors.REPORTS or fmt not in FORMATS:
        raise Http404("No such table or format.")
    name = f"recruitment-{key}-{where.on.isoformat()}"
    if key == "period":
        name = f"recruitment-{key}-{where.first.isoformat()}-to-{where.on.isoformat()}"
    return selectors.report_table(key, where).response(fmt, name)
