"""Teams and roles, created and changed by the workforce lead or an administrator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from workforce.core.access import SELF, Capability, requires, scope_of
from workforce.core.pages import form_flow, form_page, posted, sent, submit
from workforce.establishment import selectors, services
from workforce.establishment.forms import (
    RoleForm,
    TeamEditForm,
    TeamForm,
)
from workforce.establishment.models import Role, Team
from workforce.establishment.views.common import _team_url


@requires(Capability.MANAGE_POSTS)
def team_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = TeamForm(posted(request))
    return form_flow(
        request,
        form,
        lambda d: services.create_team(
            authority=scope.authority,
            name=d["name"],
            service_area=d["service_area"],
            locality=d["locality"],
        ),
        done=lambda team: redirect(_team_url(team)),
        message=lambda team: f"Team {team.name} created. Now add its posts.",
        title="Create a team",
        caption="Teams",
        back_url=reverse("establishment:teams"),
        submit="Create team",
    )


@requires(Capability.MANAGE_POSTS)
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = scope_of(request).get(Team.objects.all(), team=SELF, pk=team_id)
    initial = {
        "name": team.name,
        "service_area": team.service_area,
        "locality": team.locality,
        "is_active": team.is_active,
    }
    form = TeamEditForm(posted(request), initial=initial)
    return form_flow(
        request,
        form,
        lambda d: services.update_team(team=team, **sent(form)),
        done=lambda changed: redirect(_team_url(changed)),
        message=lambda changed: f"Team {changed.name} saved.",
        title="Change the team",
        caption=team.name,
        back_url=_team_url(team),
        submit="Save team",
    )


@requires(Capability.MANAGE_POSTS)
def role_list(request: HttpRequest) -> HttpResponse:
    roles = selectors.roles_with_posts(scope_of(request))
    return render(request, "establishment/roles.html", {"roles": roles})


ROLE_FIELDS = ("title", "org_role", "grade", "case_holding", "capacity_points", "order")


def _role_values(d: dict[str, Any]) -> dict[str, Any]:
    """The role's fields of those given (a change applies only what the page sent)."""
    return {name: d[name] for name in ROLE_FIELDS if name in d}


@requires(Capability.MANAGE_POSTS)
def role_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = RoleForm(posted(request))
    return form_flow(
        request,
        form,
        lambda d: services.create_role(authority=scope.authority, **_role_values(d)),
        done=lambda role: redirect("establishment:roles"),
        message=lambda role: f"Role {role.title} created.",
        title="Create a role",
        caption="Roles",
        back_url=reverse("establishment:roles"),
        submit="Create role",
    )


@requires(Capability.MANAGE_POSTS)
def role_edit(request: HttpRequest, role_id: int) -> HttpResponse:
    scope = scope_of(request)
    role = scope.get(Role.objects.all(), team=None, pk=role_id)
    initial = {
        "title": role.title,
        "org_role": role.org_role,
        "grade": role.grade,
        "case_holding": role.case_holding,
        "capacity_points": role.capacity_points,
        "order": role.order,
    }
    form = RoleForm(posted(request), initial=initial)
    changed = submit(
        request, form, lambda d: services.update_role(role=role, **_role_values(sent(form)))
    )
    if changed is not None:
        messages.success(request, f"Role {changed.title} saved.")
        return redirect("establishment:roles")
    in_use = selectors.role_in_use(role)
    return form_page(
        request,
        form,
        title="Change the role",
        caption=role.title,
        back_url=reverse("establishment:roles"),
        submit="Save role",
        intro=(
            "This role has posts: its census OrgRole and whether it holds cases are part of "
            "past figures and cannot change. Create a new role for a different OrgRole."
            if in_use
            else ""
        ),
    )
