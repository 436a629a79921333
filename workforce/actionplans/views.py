"""Action-plan pages: thin views that check access, validate, call a service and render.

Everyone of the authority reads the plans; those who may edit (`selectors.may_edit`) change them;
owners record progress on their own actions (`selectors.may_update`). Records are fetched
through `selectors.get_*`, so anything outside the user's authority is not found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from workforce.actionplans import evidence, selectors, services
from workforce.actionplans import forms as f
from workforce.actionplans import tables as t
from workforce.actionplans.models import RAG_TAG, Action, Evidence, Status
from workforce.core.access import Capability, Scope, requires, scope_of
from workforce.core.exports import filters_query, requested_format
from workforce.core.models import User
from workforce.core.pages import form_flow, posted, submit
from workforce.core.tables import Column, Kind, Table
from workforce.core.validation import refuse
from workforce.imports import uploads as arriving


def _today() -> dt.date:
    return timezone.localdate()


def _user(request: HttpRequest) -> Any:
    return request.user


def _must_edit(scope: Scope) -> None:
    if not selectors.may_edit(scope):
        raise PermissionDenied("Only those who manage action plans may change them.")


def _action_name(action: Action) -> str:
    """ "Action 7.2": the recommendation's number and the action's place under it, as the plan
    page numbers them."""
    ids = list(action.recommendation.actions.values_list("pk", flat=True))
    return f"Action {action.recommendation.number}.{ids.index(action.pk) + 1}"


def _plan_url(source_id: int) -> str:
    return reverse("actionplans:plan", kwargs={"source_id": source_id})


def _action_url(action_id: int) -> str:
    return reverse("actionplans:action", kwargs={"action_id": action_id})


# Evidence arriving: sizes checked before a byte is read -------------------------------------


def _size_text(limit: int) -> str:
    megabyte = 1024 * 1024
    return f"{limit // megabyte} MB" if limit >= megabyte else f"{max(limit // 1024, 1)} KB"


def _check_sizes(request: HttpRequest, form: Any) -> None:
    """Say so on the form when a file is too large: stopped as it arrived, or larger than the
    evidence limit (never read then)."""
    if request.method != "POST":
        return
    form.is_valid()  # clean once, so that the size message joins the form's own
    limit = evidence.max_bytes()
    files = request.FILES.getlist("files")
    if arriving.stopped(request) is not None or any((u.size or 0) > limit for u in files):
        form.add_error("files", f"The selected file must be smaller than {_size_text(limit)}.")


def _evidence_given(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The files (read now: their sizes were checked) and the link of a posted form."""
    links = []
    if (data.get("link") or "").strip():
        links.append(services.Link(title=data.get("link_title") or "", url=data["link"]))
    elif (data.get("link_title") or "").strip():
        raise refuse("link", "Enter the link, or leave its title empty.")
    files = [
        services.Upload(name=u.name or "evidence", data=arriving.read(u))
        for u in data.get("files") or []
    ]
    return {"links": links, "uploads": files}


# The list of plans ---------------------------------------------------------------------------


@requires(Capability.VIEW_AGGREGATES)
def plans(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    on = _today()
    form = f.PlanFilterForm(request.GET or None)
    sources = (
        selectors.sources(scope)
        .annotate(n_recommendations=Count("recommendations"))
        .order_by("-issued_on", "title")  # a grouped query drops the model's own ordering
    )
    if kind := form.kind_value():
        sources = sources.filter(kind=kind)
    rows = t.plan_rows(sources, selectors.actions(scope), on)
    table = t.plans_table(rows, on)
    if fmt := requested_format(request):
        return table.response(fmt, f"action-plans-{on.isoformat()}")
    return render(
        request,
        "actionplans/plans.html",
        {
            "form": form,
            "rows": rows,
            "table": table,
            "query": filters_query(request),
            "filtered": bool(kind),
            "any_plans": selectors.sources(scope).exists(),
            "can_edit": selectors.may_edit(scope),
        },
    )


@requires(Capability.MANAGE_ACTION_PLANS)
def source_new(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    _must_edit(scope)
    return form_flow(
        request,
        f.SourceForm(posted(request)),
        lambda d: services.create_source(authority=scope.authority, **d),
        title="Add a plan",
        intro="Record the report the recommendations come from. You add its recommendations "
        "and the actions that answer them next.",
        back_url=reverse("actionplans:plans"),
        done=lambda s: _plan_url(s.pk),
        message="Plan added.",
    )


@requires(Capability.MANAGE_ACTION_PLANS)
def source_change(request: HttpRequest, source_id: int) -> HttpResponse:
    scope = scope_of(request)
    source = selectors.get_source(scope, source_id)
    _must_edit(scope)
    initial = {
        name: getattr(source, name)
        for name in ("kind", "title", "body", "issued_on", "response_due", "link", "summary")
    }
    return form_flow(
        request,
        f.SourceForm(posted(request), initial=initial),
        lambda d: services.change_source(source, **d),
        title="Change the plan's details",
        caption=source.title,
        back_url=_plan_url(source.pk),
        done=lambda s: _plan_url(s.pk),
        message="Plan details saved.",
    )


def _confirm(
    request: HttpRequest, *, title: str, caption: str, intro: str, back_url: str, button: str
) -> HttpResponse:
    return render(
        request,
        "actionplans/confirm.html",
        {
            "title": title,
            "caption": caption,
            "intro": intro,
            "back_url": back_url,
            "button": button,
        },
    )


@requires(Capability.MANAGE_ACTION_PLANS)
def source_delete(request: HttpRequest, source_id: int) -> HttpResponse:
    scope = scope_of(request)
    source = selectors.get_source(scope, source_id)
    _must_edit(scope)
    if request.method == "POST":
        services.delete_source(source)
        messages.success(
            request, f"“{source.title}” deleted, with its recommendations and actions."
        )
        return redirect("actionplans:plans")
    return _confirm(
        request,
        title="Delete this plan?",
        caption=source.title,
        intro="Its recommendations, actions, progress updates and evidence are deleted with it. "
        "Delete a plan only when it was recorded in error.",
        back_url=_plan_url(source.pk),
        button="Delete the plan",
    )


# A plan --------------------------------------------------------------------------------------


@requires(Capability.VIEW_AGGREGATES)
def plan(request: HttpRequest, source_id: int) -> HttpResponse:
    scope = scope_of(request)
    source = selectors.get_source(scope, source_id)
    on = _today()
    recommendations = selectors.plan(scope, source)
    form = f.ActionFilterForm(request.GET or None)
    chosen = form.chosen()
    every = [a for r in recommendations for a in r.actions.all()]
    for action in every:  # the page and the download read the recommendation of each
        action.recommendation = next(r for r in recommendations if r.pk == action.recommendation_id)
    shown = t.filter_actions(every, on, chosen)
    table = t.actions_table(shown, on, title=f"Actions of {source.title}")
    if fmt := requested_format(request):
        return table.response(fmt, f"action-plan-{source.pk}-actions-{on.isoformat()}")
    shown_ids = {a.pk for a in shown}
    groups = [
        (r, [t.line(a, on) for a in r.actions.all() if a.pk in shown_ids]) for r in recommendations
    ]
    if chosen:
        groups = [(r, lines) for r, lines in groups if lines]
    return render(
        request,
        "actionplans/plan.html",
        {
            "source": source,
            "documents": source.documents.all(),
            "groups": groups,
            "counts": t.counts_of(every, on),
            "form": form,
            "filtered": bool(chosen),
            "table": table,
            "query": filters_query(request),
            "can_edit": selectors.may_edit(scope),
            "on": on,
        },
    )


def _upload_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    caption: str,
    back_url: str,
    submit_label: str,
    template: str = "actionplans/upload.html",
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back_url": back_url,
            "submit": submit_label,
            "limit": _size_text(evidence.max_bytes()),
            "accepted": evidence.ACCEPTED,
            **extra,
        },
    )


@requires(Capability.MANAGE_ACTION_PLANS)
def document_new(request: HttpRequest, source_id: int) -> HttpResponse:
    scope = scope_of(request)
    source = selectors.get_source(scope, source_id)
    _must_edit(scope)
    form = f.DocumentForm(posted(request), request.FILES if request.method == "POST" else None)
    _check_sizes(request, form)
    added = submit(
        request,
        form,
        lambda d: services.add_source_documents(
            source=source, user=_user(request), **_evidence_given(request, d)
        ),
        renamed={"file": "files"},
    )
    if added is not None:
        messages.success(request, "Document added." if len(added) == 1 else "Documents added.")
        return redirect(_plan_url(source.pk))
    return _upload_page(
        request,
        form,
        title="Add the report or a document about it",
        caption=source.title,
        back_url=_plan_url(source.pk),
        submit_label="Add",
    )


# Recommendations -----------------------------------------------------------------------------


@requires(Capability.MANAGE_ACTION_PLANS)
def recommendation_new(request: HttpRequest, source_id: int) -> HttpResponse:
    scope = scope_of(request)
    source = selectors.get_source(scope, source_id)
    _must_edit(scope)
    return form_flow(
        request,
        f.RecommendationForm(posted(request)),
        lambda d: services.add_recommendation(source=source, **d),
        title="Add a recommendation",
        caption=source.title,
        back_url=_plan_url(source.pk),
        done=lambda r: _plan_url(source.pk) + f"#recommendation-{r.pk}",
        message=lambda r: f"Recommendation {r.number} added.",
    )


@requires(Capability.MANAGE_ACTION_PLANS)
def recommendation_change(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    scope = scope_of(request)
    recommendation = selectors.get_recommendation(scope, recommendation_id)
    _must_edit(scope)
    initial = {"number": recommendation.number, "text": recommendation.text}
    back = _plan_url(recommendation.source_id)
    return form_flow(
        request,
        f.RecommendationForm(posted(request), initial=initial),
        lambda d: services.change_recommendation(recommendation, **d),
        title=f"Change recommendation {recommendation.number}",
        caption=recommendation.source.title,
        back_url=back,
        done=lambda r: back + f"#recommendation-{r.pk}",
        message=lambda r: f"Recommendation {r.number} saved.",
    )


@requires(Capability.MANAGE_ACTION_PLANS)
def recommendation_delete(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    scope = scope_of(request)
    recommendation = selectors.get_recommendation(scope, recommendation_id)
    _must_edit(scope)
    back = _plan_url(recommendation.source_id)
    if request.method == "POST":
        try:
            services.delete_recommendation(recommendation)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, f"Recommendation {recommendation.number} deleted.")
        return redirect(back)
    return _confirm(
        request,
        title=f"Delete recommendation {recommendation.number}?",
        caption=recommendation.source.title,
        intro=recommendation.text,
        back_url=back,
        button="Delete the recommendation",
    )


# Actions -------------------------------------------------------------------------------------


def _action_initial(action: Action) -> dict[str, Any]:
    names = ("text", "responsibility", "start", "due", "timescale")
    return {**{n: getattr(action, n) for n in names}, "owner": action.owner_id}


@requires(Capability.MANAGE_ACTION_PLANS)
def action_new(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    scope = scope_of(request)
    recommendation = selectors.get_recommendation(scope, recommendation_id)
    _must_edit(scope)
    back = _plan_url(recommendation.source_id) + f"#recommendation-{recommendation.pk}"
    return form_flow(
        request,
        f.ActionForm(posted(request), scope=scope, initial={"start": _today()}),
        lambda d: services.add_action(recommendation=recommendation, **d),
        title=f"Add an action to recommendation {recommendation.number}",
        caption=recommendation.source.title,
        intro=recommendation.text,
        back_url=back,
        done=lambda a: _action_url(a.pk),
        message="Action added.",
    )


@requires(Capability.MANAGE_ACTION_PLANS)
def action_change(request: HttpRequest, action_id: int) -> HttpResponse:
    scope = scope_of(request)
    action = selectors.get_action(scope, action_id)
    _must_edit(scope)
    return form_flow(
        request,
        f.ActionForm(posted(request), scope=scope, initial=_action_initial(action)),
        lambda d: services.change_action(action, **d),
        title="Change the action",
        caption=_action_name(action),
        intro="Its status changes only by recording progress.",
        back_url=_action_url(action.pk),
        done=lambda a: _action_url(a.pk),
        message="Action saved.",
    )


@requires(Capability.MANAGE_ACTION_PLANS)
def action_delete(request: HttpRequest, action_id: int) -> HttpResponse:
    scope = scope_of(request)
    action = selectors.get_action(scope, action_id)
    _must_edit(scope)
    if request.method == "POST":
        source_id = action.recommendation.source_id
        services.delete_action(action)
        messages.success(request, "Action deleted, with its progress updates and evidence.")
        return redirect(_plan_url(source_id))
    return _confirm(
        request,
        title="Delete this action?",
        caption=_action_name(action),
        intro=f"“{action}” is deleted with its progress updates and evidence. Delete an action "
        "only when it was recorded in error; close it without action otherwise.",
        back_url=_action_url(action.pk),
        button="Delete the action",
    )


def _trend_table(impact: selectors.Impact) -> Table:
    return Table(
        f"{impact.measure.label}: figures since the action started",
        [Column("on", "Date", Kind.DATE), Column("value", impact.measure.label)],
        [[p.on, p.text] for p in impact.points],
        empty="No figures yet.",
    )


@requires(Capability.VIEW_AGGREGATES)
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    scope = scope_of(request)
    action = selectors.get_action(scope, action_id)
    on = _today()
    updates = list(
        action.updates.select_related("author").prefetch_related("evidence").order_by("on", "pk")
    )
    impacts = selectors.impacts(scope, action, on)
    entries = list(
        LogEntry.objects.get_for_object(action).select_related("actor").order_by("timestamp", "pk")
    )
    owners = User.objects.filter(pk__in=t.owner_ids(entries))
    people = {str(u.pk): t.person(u) for u in owners}
    rag = action.rag_on(on)
    return render(
        request,
        "actionplans/action.html",
        {
            "action": action,
            "name": _action_name(action),
            "source": action.recommendation.source,
            "rag": rag,
            "rag_tag": RAG_TAG[rag],
            "days_overdue": t.days_overdue(action, on),
            "updates": updates,
            "impacts": [(i, _trend_table(i)) for i in impacts],
            "changes": t.changes(entries, people),
            "can_edit": selectors.may_edit(scope),
            "can_update": selectors.may_update(scope, action),
            "Status": Status,
        },
    )


@requires(Capability.UPDATE_ACTIONS)
def update_new(request: HttpRequest, action_id: int) -> HttpResponse:
    scope = scope_of(request)
    action = selectors.get_action(scope, action_id)
    if not selectors.may_update(scope, action):
        raise PermissionDenied("Only the action's owner, or those who manage plans, record it.")
    form = f.UpdateForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        initial={"on": _today(), "status": action.status},
    )
    _check_sizes(request, form)
    update = submit(
        request,
        form,
        lambda d: services.record_update(
            action=action,
            author=_user(request),
            on=d["on"],
            status=d["status"],
            text=d["text"],
            closed_reason=d["closed_reason"],
            **_evidence_given(request, d),
        ),
    )
    if update is not None:
        messages.success(request, f"Progress recorded: {update.get_status_display().lower()}.")
        return redirect(_action_url(action.pk))
    return _upload_page(
        request,
        form,
        title="Record progress",
        caption=_action_name(action),
        back_url=_action_url(action.pk),
        submit_label="Record progress",
        template="actionplans/update_form.html",
        action=action,
        statuses=Status.choices,
    )


# Measures ------------------------------------------------------------------------------------


@requires(Capability.MANAGE_ACTION_PLANS)
def measure_new(request: HttpRequest, action_id: int) -> HttpResponse:
    scope = scope_of(request)
    action = selectors.get_action(scope, action_id)
    _must_edit(scope)
    return form_flow(
        request,
        f.MeasureForm(posted(request)),
        lambda d: services.link_measure(action=action, **d),
        title="Link a measure",
        caption=_action_name(action),
        intro="A figure the action is meant to move, with its target: for example agency rate "
        "at most 20 by 28 February 2027, or average caseload falling.",
        back_url=_action_url(action.pk),
        done=lambda _: _action_url(action.pk) + "#measures",
        message="Measure linked.",
    )


@requires(Capability.MANAGE_ACTION_PLANS)
def measure_unlink(request: HttpRequest, measure_link_id: int) -> HttpResponse:
    scope = scope_of(request)
    link = selectors.get_measure_link(scope, measure_link_id)
    _must_edit(scope)
    back = _action_url(link.action_id)
    if request.method == "POST":
        services.unlink_measure(link)
        messages.success(request, "Measure unlinked.")
        return redirect(back + "#measures")
    from workforce.metrics.measures import REGISTRY

    label = REGISTRY[link.measure].label if link.measure in REGISTRY else link.measure
    return _confirm(
        request,
        title=f"Unlink {label}?",
        caption=str(link.action),
        intro="The action's page stops showing the measure's trend. The figures are not changed.",
        back_url=back,
        button="Unlink the measure",
    )


# Evidence ------------------------------------------------------------------------------------


@requires(Capability.VIEW_AGGREGATES)
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """A stored file, always as a download that the browser will not run or draw."""
    item: Evidence = selectors.get_evidence(scope_of(request), evidence_id)
    if not item.is_file:
        raise Http404("A link, not a file.")
    try:
        handle = open(evidence.path_of(item.stored_as or ""), "rb")  # noqa: SIM115 (closed by the response)
    except (FileNotFoundError, ValidationError) as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=item.file_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store"
    return response  # type: ignore[return-value]  # streamed: a FileResponse, not HttpResponse


# Lists across plans --------------------------------------------------------------------------


@requires(Capability.UPDATE_ACTIONS)
def my_actions(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    on = _today()
    mine = list(selectors.my_actions(scope).prefetch_related("updates"))
    table = t.my_actions_table(mine, on)
    if fmt := requested_format(request):
        return table.response(fmt, f"my-actions-{on.isoformat()}")
    return render(
        request,
        "actionplans/my_actions.html",
        {
            "open": [t.line(a, on) for a in mine if a.is_open],
            "ended": [t.line(a, on) for a in mine if not a.is_open],
            "table": table,
        },
    )


@requires(Capability.VIEW_AGGREGATES)
def attention(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    on = _today()
    every = list(selectors.needing_attention(scope, on).prefetch_related("updates"))
    plans_seen = {a.recommendation.source_id: a.recommendation.source.title for a in every}
    people = {a.owner_id: t.person(a.owner) for a in every if a.owner_id is not None}
    form = f.AttentionFilterForm(
        request.GET or None,
        plans=sorted(plans_seen.items(), key=lambda p: p[1]),
        people=sorted(people.items(), key=lambda p: p[1]),
    )
    chosen = form.chosen()
    shown = [
        a
        for a in every
        if a.recommendation.source_id == chosen.get("plan", a.recommendation.source_id)
        and ("owner" not in chosen or a.owner_id == chosen["owner"])
    ]
    table = t.attention_table(shown, on)
    if fmt := requested_format(request):
        return table.response(fmt, f"actions-needing-attention-{on.isoformat()}")
    return render(
        request,
        "actionplans/attention.html",
        {
            "form": form,
            "lines": [t.line(a, on) for a in shown],
            "table": table,
            "query": filters_query(request),
            "filtered": bool(chosen),
            "any_found": bool(every),
            "on": on,
        },
    )
