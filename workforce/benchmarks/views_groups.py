"""Comparator groups: the authority's own groups of local authorities to compare with. Everyone
of the authority may read them; workforce leads and administrators create, change and delete."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from workforce.benchmarks import selectors_compare as selectors
from workforce.benchmarks import services, services_groups
from workforce.benchmarks.forms_groups import GroupForm
from workforce.benchmarks.models import ComparatorGroup
from workforce.core.access import Capability, Scope, requires, scope_of
from workforce.core.forms import Form
from workforce.core.pages import form_flow, posted


def _group(scope: Scope, comparator_group_id: int) -> ComparatorGroup:
    return scope.get(ComparatorGroup.objects.all(), team=None, pk=comparator_group_id)


def _list_url() -> str:
    return reverse("benchmarks:groups")


@requires(Capability.VIEW_AGGREGATES)
def group_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    groups = list(
        ComparatorGroup.objects.filter(authority=scope.authority)
        .prefetch_related("members__area")
        .order_by("name")
    )
    return render(
        request,
        "benchmarks/groups.html",
        {"groups": groups, "can_manage": scope.can(Capability.MANAGE_COMPARATOR_GROUPS)},
    )


@requires(Capability.VIEW_AGGREGATES, Capability.MANAGE_COMPARATOR_GROUPS)
def group_new(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = GroupForm(posted(request))
    return form_flow(
        request,
        form,
        lambda d: services.create_group(authority=scope.authority, **d),
        done=lambda g: _list_url(),
        message=lambda g: f"Comparator group {g.name} created.",
        title="Create a comparator group",
        caption="Benchmarking",
        back_url=_list_url(),
        submit="Create group",
    )


@requires(Capability.VIEW_AGGREGATES, Capability.MANAGE_COMPARATOR_GROUPS)
def group_change(request: HttpRequest, comparator_group_id: int) -> HttpResponse:
    scope = scope_of(request)
    group = _group(scope, comparator_group_id)
    initial = {
        "name": group.name,
        "description": group.description,
        "areas": [m.area_id for m in group.members.all()],
    }
    form = GroupForm(posted(request), initial=initial)
    return form_flow(
        request,
        form,
        lambda d: services_groups.change_group(group=group, **d),
        done=lambda g: _list_url(),
        message=lambda g: f"Comparator group {g.name} changed.",
        title=f"Change {group.name}",
        caption="Benchmarking",
        back_url=_list_url(),
    )


@requires(Capability.VIEW_AGGREGATES, Capability.MANAGE_COMPARATOR_GROUPS)
def group_delete(request: HttpRequest, comparator_group_id: int) -> HttpResponse:
    scope = scope_of(request)
    group = _group(scope, comparator_group_id)
    members = selectors.members(group)
    name = group.name

    def delete(_data: object) -> ComparatorGroup:
        services_groups.delete_group(group=group)
        return group

    return form_flow(
        request,
        Form(posted(request)),
        delete,
        done=lambda g: _list_url(),
        message=f"Comparator group {name} deleted.",
        title=f"Delete {name}",
        caption="Benchmarking",
        back_url=_list_url(),
        submit="Delete group",
        warning=True,
        intro=(
            f"The group of {len(members)} authorities will be deleted. The published statistics "
            "are not changed."
        ),
    )
