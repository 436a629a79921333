"""Early-career programme pages: programmes, cohorts and members' progress, recording a
review, workers above their protected caseload, and trainees."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from workforce.careers import selectors_programmes as selectors
from workforce.careers import services_programmes as services
from workforce.careers.forms_programmes import (
    CohortForm,
    MemberForm,
    ProgrammeChangeForm,
    ProgrammeForm,
    QualifiedForm,
    ReviewForm,
    ReviewPointForm,
    StageForm,
    TraineeForm,
    WithdrawalForm,
    WithdrawnForm,
)
from workforce.careers.models.programmes import Trainee
from workforce.caseloads.selectors import workers_in_post
from workforce.core.access import SELF, Capability, requires, scope_of
from workforce.core.dates import day_text
from workforce.core.exports import filters_query, requested_format
from workforce.core.forms import AsAtForm
from workforce.core.models import AccessAction
from workforce.core.pages import form_flow, posted
from workforce.core.services import record_access
from workforce.establishment.models import Team, Worker

T = "careers/programmes/"


def _render(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    scope = scope_of(request)
    context.setdefault("can_see_people", scope.can(Capability.VIEW_PEOPLE))
    context.setdefault("can_record", scope.can(Capability.MANAGE_CASES))
    context.setdefault("can_set_up", scope.can(Capability.MANAGE_POSTS))
    context.setdefault("can_enrol", scope.can(Capability.MANAGE_PEOPLE))
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
    closed = list(selectors.closed_trainees(scope=scope))
    fmt = requested_format(request)
    if request.GET.get("table") == "closed":
        _read_people(request, f"Former trainees ({len(closed)} people)", fmt)
        table = selectors.closed_trainees_table(closed)
    else:
        _read_people(request, f"Trainees ({len(rows)} people)", fmt)
        table = selectors.trainees_table(rows)
    if fmt:
        return table.response(fmt, "former-trainees" if table.key == "closed" else "trainees")
    today = scope.today
    september = dt.date(today.year if today < dt.date(today.year, 9, 1) else today.year + 1, 9, 1)
    return _render(
        request,
        "trainees.html",
        {
            "rows": rows,
            "table": selectors.trainees_table(rows),
            "closed_table": selectors.closed_trainees_table(closed),
            "by_month": selectors.qualifiers_by_month(rows),
            "count": len(rows),
            "september": september,
            "by_september": sum(1 for t in rows if t.expected_qualification < september),
        },
    )


def _trainee_summary(trainee: Trainee) -> list[tuple[str, str]]:
    return [
        ("Route", trainee.get_route_display()),
        ("Team placed with", trainee.team.name),
        ("Started", day_text(trainee.start)),
        ("Expected to qualify", day_text(trainee.expected_qualification)),
    ]


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def trainee_qualified(request: HttpRequest, trainee_id: int) -> HttpResponse:
    found = selectors.trainee(scope=scope_of(request), trainee_id=trainee_id)
    back = reverse("careers:trainees")
    return form_flow(
        request,
        QualifiedForm(posted(request)),
        lambda d: services.record_qualified(trainee=found, on=d["on"]),
        done=lambda _trainee: back,
        message=lambda t: (
            f"{t.worker} recorded as qualified on {day_text(t.qualified_on)}. Their "
            "traineeship is closed; once they are appointed they count as grown our own."
        ),
        title=f"Record that {found.worker} qualified",
        caption="Trainees",
        summary=_trainee_summary(found),
        back_url=back,
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def trainee_withdrawn(request: HttpRequest, trainee_id: int) -> HttpResponse:
    found = selectors.trainee(scope=scope_of(request), trainee_id=trainee_id)
    back = reverse("careers:trainees")
    return form_flow(
        request,
        WithdrawnForm(posted(request)),
        lambda d: services.record_withdrawn(
            trainee=found, on=d["on"], reason=d["reason"], detail=d["detail"]
        ),
        done=lambda _trainee: back,
        message=lambda t: (
            f"{t.worker} recorded as withdrawn on {day_text(t.withdrawn_on)}: they are no "
            "longer expected to qualify."
        ),
        title=f"Record that {found.worker} withdrew",
        caption="Trainees",
        summary=_trainee_summary(found),
        back_url=back,
    )


# Setting up programmes, cohorts and trainees --------------------------------------------------


@requires(Capability.MANAGE_POSTS)
def new_programme(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = ProgrammeForm(request.POST or None)
    return form_flow(
        request,
        form,
        lambda d: services.create_programme(authority=scope.authority, **d),
        done=lambda p: reverse("careers:programme", kwargs={"programme_id": p.pk}),
        message=lambda p: f"{p} set up: add its stages and reviews.",
        title="Set up an early-career programme",
        back_url=reverse("careers:programmes"),
    )


@requires(Capability.MANAGE_POSTS)
def new_stage(request: HttpRequest, programme_id: int) -> HttpResponse:
    found = selectors.programme(scope=scope_of(request), programme_id=programme_id)
    back = reverse("careers:programme", kwargs={"programme_id": found.pk})
    return form_flow(
        request,
        StageForm(request.POST or None),
        lambda d: services.add_stage(programme=found, **d),
        done=lambda _stage: back,
        message=lambda stage: f"Stage {stage.name} added.",
        title="Add a stage",
        caption=found.name,
        intro="Months are counted from a member's start: months 0 to 6 are the first six.",
        back_url=back,
    )


@requires(Capability.MANAGE_POSTS)
def new_review_point(request: HttpRequest, programme_id: int) -> HttpResponse:
    found = selectors.programme(scope=scope_of(request), programme_id=programme_id)
    back = reverse("careers:programme", kwargs={"programme_id": found.pk})
    return form_flow(
        request,
        ReviewPointForm(request.POST or None),
        lambda d: services.add_review_point(programme=found, **d),
        done=lambda _point: back,
        message=lambda point: f"{point} added.",
        title="Add a review",
        caption=found.name,
        back_url=back,
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def new_cohort(request: HttpRequest, programme_id: int) -> HttpResponse:
    found = selectors.programme(scope=scope_of(request), programme_id=programme_id)
    return form_flow(
        request,
        CohortForm(request.POST or None),
        lambda d: services.create_cohort(programme=found, **d),
        done=lambda c: reverse("careers:cohort", kwargs={"cohort_id": c.pk}),
        message=lambda c: f"{c} set up: add its members.",
        title="Start a cohort",
        caption=found.name,
        back_url=reverse("careers:programme", kwargs={"programme_id": found.pk}),
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def new_member(request: HttpRequest, cohort_id: int) -> HttpResponse:
    scope = scope_of(request)
    found = selectors.cohort(scope=scope, cohort_id=cohort_id)
    workers = workers_in_post(scope=scope, on=scope.today)
    back = reverse("careers:cohort", kwargs={"cohort_id": found.pk})
    return form_flow(
        request,
        MemberForm(request.POST or None, workers=workers),
        lambda d: services.add_member(
            cohort=found, worker=d["worker"], start=d["start"], assessor=d["assessor"]
        ),
        done=lambda _member: back,
        message=lambda member: f"{member.worker} added to {found}.",
        title="Add a member",
        caption=found.name,
        back_url=back,
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def new_trainee(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    workers = scope.records(Worker.objects.all()).order_by("last_name", "first_name")
    teams = scope.records(Team.objects.all(), team=SELF).order_by("name")
    return form_flow(
        request,
        TraineeForm(request.POST or None, workers=workers, teams=teams),
        lambda d: services.add_trainee(**d),
        done=lambda _trainee: reverse("careers:trainees"),
        message=lambda trainee: f"{trainee.worker} recorded as a trainee.",
        title="Record a trainee",
        intro="Record the trainee as a worker first (an assistant's record, or a new one).",
        back_url=reverse("careers:trainees"),
    )


# Correcting a programme ------------------------------------------------------------------------

STAGES_RULE = (
    "Stages are not versioned: a stage's months and protected caseload can change only where no "
    "member has lived through a month whose protected caseload the change would alter, so that "
    "members' capacity on past dates stays what it was. The name can always change."
)


def _programme_url(programme_id: int) -> str:
    return reverse("careers:programme", kwargs={"programme_id": programme_id})


def _confirm(
    request: HttpRequest,
    *,
    title: str,
    caption: str,
    intro: str,
    back_url: str,
    button: str,
    refusal: str = "",
) -> HttpResponse:
    """A delete's confirmation page, or, when the delete is refused, why."""
    return render(
        request,
        "careers/confirm.html",
        {
            "title": title,
            "caption": caption,
            "intro": intro,
            "back_url": back_url,
            "button": button,
            "refusal": refusal,
        },
    )


@requires(Capability.MANAGE_POSTS)
def change_programme(request: HttpRequest, programme_id: int) -> HttpResponse:
    found = selectors.programme(scope=scope_of(request), programme_id=programme_id)
    initial = {
        "name": found.name,
        "length_months": found.length_months,
        "description": found.description,
    }
    back = _programme_url(found.pk)
    return form_flow(
        request,
        ProgrammeChangeForm(posted(request), initial=initial),
        lambda d: services.change_programme(programme=found, **d),
        done=lambda _programme: back,
        message=lambda programme: f"{programme} saved.",
        title="Change the programme",
        caption=found.name,
        intro="The length sets members' planned end dates: it can change only while no one has "
        "joined the programme.",
        back_url=back,
    )


@requires(Capability.MANAGE_POSTS)
def change_stage(request: HttpRequest, stage_id: int) -> HttpResponse:
    stage = selectors.stage(scope=scope_of(request), stage_id=stage_id)
    initial = {
        "name": stage.name,
        "from_month": stage.from_month,
        "to_month": stage.to_month,
        "protected_percent": stage.protected_percent,
    }
    back = _programme_url(stage.programme_id)
    return form_flow(
        request,
        StageForm(posted(request), initial=initial),
        lambda d: services.change_stage(stage=stage, **d),
        done=lambda _stage: back,
        message=lambda changed: f"Stage {changed.name} saved.",
        title=f"Change the stage {stage.name}",
        caption=stage.programme.name,
        intro=STAGES_RULE,
        back_url=back,
    )


@requires(Capability.MANAGE_POSTS)
def delete_stage(request: HttpRequest, stage_id: int) -> HttpResponse:
    stage = selectors.stage(scope=scope_of(request), stage_id=stage_id)
    back = _programme_url(stage.programme_id)
    refusal = services.stage_deletion_refusal(stage)
    if request.method == "POST" and not refusal:
        try:
            services.delete_stage(stage=stage)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, f"Stage {stage.name} deleted.")
            return redirect(back)
    return _confirm(
        request,
        title=f"Delete the stage {stage.name}?",
        caption=stage.programme.name,
        intro=f"Months {stage.from_month} to {stage.to_month}, protected caseload "
        f"{stage.protected_percent}% of capacity. Members in these months will carry a full "
        "caseload.",
        back_url=back,
        button="Delete the stage",
        refusal=refusal,
    )


@requires(Capability.MANAGE_POSTS)
def change_review_point(request: HttpRequest, review_point_id: int) -> HttpResponse:
    point = selectors.review_point(scope=scope_of(request), review_point_id=review_point_id)
    initial = {"name": point.name, "month": point.month, "final": point.final}
    back = _programme_url(point.programme_id)
    return form_flow(
        request,
        ReviewPointForm(posted(request), initial=initial),
        lambda d: services.change_review_point(point=point, **d),
        done=lambda _point: back,
        message=lambda changed: f"{changed} saved.",
        title=f"Change the {point.name}",
        caption=point.programme.name,
        intro="Once reviews are recorded against it, only its name can change.",
        back_url=back,
    )


@requires(Capability.MANAGE_POSTS)
def delete_review_point(request: HttpRequest, review_point_id: int) -> HttpResponse:
    point = selectors.review_point(scope=scope_of(request), review_point_id=review_point_id)
    back = _programme_url(point.programme_id)
    refusal = services.review_point_deletion_refusal(point)
    if request.method == "POST" and not refusal:
        try:
            services.delete_review_point(point=point)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, f"{point.name} deleted.")
            return redirect(back)
    return _confirm(
        request,
        title=f"Delete the {point.name}?",
        caption=point.programme.name,
        intro=f"Due {point.month} months after a member's start. Members will no longer be "
        "asked for it.",
        back_url=back,
        button="Delete the review",
        refusal=refusal,
    )


@requires(Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)
def withdraw_member(request: HttpRequest, member_id: int) -> HttpResponse:
    scope = scope_of(request)
    member = selectors.member(scope=scope, member_id=member_id)
    back = reverse("careers:cohort", kwargs={"cohort_id": member.cohort_id})
    record_access(scope=scope, path=request.get_full_path(), record=member)
    return form_flow(
        request,
        WithdrawalForm(posted(request)),
        lambda d: services.withdraw_member(member=member, on=d["on"], reason=d["reason"]),
        done=lambda _member: back,
        message=lambda withdrawn: f"{withdrawn.worker} withdrawn from {member.cohort}.",
        title=f"Withdraw {member.worker} from the programme",
        caption=str(member.cohort),
        summary=[("Joined", day_text(member.start)), ("Status", member.get_status_display())],
        intro="From the date of the withdrawal they have no stage or protected caseload, no "
        "review is due and the census no longer returns them with the programme's CFKSSstatus. "
        "Reviews already recorded stay.",
        back_url=back,
        submit="Withdraw",
    )
