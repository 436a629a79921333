"""Home page, the audit trail, who read personal records, and user accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from workforce.core import services, signin
from workforce.core.access import SELF, Capability, Scope, requires, scope_of
from workforce.core.exports import filters_query, requested_format
from workforce.core.forms import (
    AccessFilterForm,
    AuditFilterForm,
    AuthorityForm,
    NewUserForm,
    UserAccessForm,
)
from workforce.core.home import home_panels
from workforce.core.models import PersonalDataAccess, User
from workforce.core.pages import form_flow, posted, submit
from workforce.core.selectors import access_records, audit_entries, authorities_for, users_for
from workforce.core.tables import Column, Kind, Table


@requires(Capability.VIEW_AGGREGATES)
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: the panels the apps offer for the user's scope, and the sections."""
    scope = scope_of(request)
    return render(request, "core/home.html", {"scope": scope, "panels": home_panels(scope)})


AUDIT_COLUMNS = [
    Column("when", "When", Kind.DATETIME),
    Column("who", "Who"),
    Column("action", "Action"),
    Column("record", "Record"),
    Column("changes", "Changes (before → after)"),
]


def _change_text(change: Any) -> str:
    if isinstance(change, list | tuple) and len(change) == 2:
        return f"{change[0]} → {change[1]}"
    return str(change)


def _audit_row(entry: LogEntry) -> list[Any]:
    when = timezone.localtime(entry.timestamp).replace(tzinfo=None, microsecond=0)
    changes = "; ".join(
        f"{field}: {_change_text(change)}" for field, change in entry.changes_dict.items()
    )
    record = f"{capfirst(entry.content_type.name)}: {entry.object_repr}"
    action = signin.event_label(entry) or entry.get_action_display()
    if entry.remote_addr and signin.event_label(entry):
        changes = f"From {entry.remote_addr}"
    return [when, str(entry.actor or "System"), action, record, changes]


def _log_page(
    request: HttpRequest,
    form: forms.Form,
    records: Callable[..., QuerySet],
    *,
    template: str,
    name: str,
    title: str,
    columns: list[Column],
    row: Callable[[Any], list[Any]],
) -> HttpResponse:
    """A log filtered by `form` (a message when a filter is wrong), a page at a time, or
    downloaded whole."""
    context: dict[str, Any] = {"form": form, "page": None}
    if form.is_valid():
        entries = records(scope=scope_of(request), **form.cleaned_data)
        if fmt := requested_format(request):
            rows = [row(entry) for entry in entries.iterator(chunk_size=2000)]
            table = Table(title, columns, rows)
            return table.response(fmt, f"{name}-{dt.date.today().isoformat()}")
        context["page"] = Paginator(entries, 50).get_page(request.GET.get("page"))
        context["download_query"] = filters_query(request)
    return render(request, template, context)


@requires(Capability.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    """Changes to records, newest first."""
    return _log_page(
        request,
        AuditFilterForm(request.GET),
        audit_entries,
        template="core/audit.html",
        name="audit-trail",
        title="Audit trail",
        columns=AUDIT_COLUMNS,
        row=_audit_row,
    )


ACCESS_COLUMNS = [
    Column("when", "When", Kind.DATETIME),
    Column("who", "Who"),
    Column("username", "Username"),
    Column("action", "Action"),
    Column("record", "Record"),
    Column("address", "Address"),
]


def _access_row(entry: PersonalDataAccess) -> list[Any]:
    when = timezone.localtime(entry.at).replace(tzinfo=None, microsecond=0)
    who = entry.user.get_full_name() or entry.user.username
    action = entry.get_action_display()
    return [when, who, entry.user.username, action, entry.description, entry.path]


@requires(Capability.VIEW_AUDIT)
def access_log(request: HttpRequest) -> HttpResponse:
    """Who opened a person's record or downloaded a list of people, newest first."""
    return _log_page(
        request,
        AccessFilterForm(request.GET),
        access_records,
        template="core/access_log.html",
        name="personal-data-reads",
        title="Who read personal records",
        columns=ACCESS_COLUMNS,
        row=_access_row,
    )


def _teams(scope: Scope) -> QuerySet:
    """The authority's teams, which a manager's account may be given (core names no app)."""
    team = User._meta.get_field("managed_teams").related_model
    return scope.records(team._default_manager.all(), team=SELF).order_by("name")


USER_COLUMNS = [
    Column("name", "Name"),
    Column("username", "Username"),
    Column("role", "Role"),
    Column("teams", "Teams managed"),
    Column("status", "Status"),
]


@requires(Capability.MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    users = users_for(scope=scope_of(request))
    if fmt := requested_format(request):
        rows = [
            [
                account.get_full_name(),
                account.username,
                account.get_role_display(),
                ", ".join(team.name for team in account.managed_teams.all()),
                "Active" if account.is_active else "Cannot sign in",
            ]
            for account in users
        ]
        table = Table("Users", USER_COLUMNS, rows)
        return table.response(fmt, f"users-{dt.date.today().isoformat()}")
    return render(request, "core/users.html", {"users": users})


@requires(Capability.MANAGE_USERS)
def user_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = NewUserForm(request.POST or None, teams=_teams(scope))
    user = submit(
        request,
        form,
        lambda d: services.create_user(
            authority=scope.authority,
            username=d["username"],
            first_name=d["first_name"],
            last_name=d["last_name"],
            email=d["email"] or "",
            role=d["role"],
            password=d["password"],
            teams=d["teams"],
        ),
    )
    if user is not None:
        messages.success(request, f"{user.get_full_name()} can now sign in as {user.username}.")
        return redirect("users")
    return render(request, "core/user_form.html", {"form": form, "title": "Add a user"})


@requires(Capability.MANAGE_USERS)
def user_access(request: HttpRequest, user_id: int) -> HttpResponse:
    scope = scope_of(request)
    account = get_object_or_404(users_for(scope=scope), pk=user_id)
    initial = {
        "role": account.role,
        "teams": account.managed_teams.all(),
        "is_active": account.is_active,
    }
    form = UserAccessForm(request.POST or None, teams=_teams(scope), initial=initial)
    changed = submit(
        request,
        form,
        lambda d: services.change_user_access(
            user=account,
            role=d["role"],
            teams=d["teams"],
            is_active=d["is_active"],
            by=request.user,
        ),
    )
    if changed is not None:
        messages.success(request, f"Access for {account} updated.")
        return redirect("users")
    return render(
        request,
        "core/user_form.html",
        {
            "form": form,
            "title": f"Access for {account.get_full_name() or account.username}",
            "account": account,
            "locked": signin.is_locked_out(account),
            "two_factor": signin.confirmed_device(account) is not None,
        },
    )


# Authorities: an administrator adds one missing from the reference list, or corrects one -----


@requires(Capability.MANAGE_AUTHORITIES)
def authority_list(request: HttpRequest) -> HttpResponse:
    authorities = authorities_for(scope=scope_of(request))
    return render(request, "core/authorities.html", {"authorities": authorities})


@requires(Capability.MANAGE_AUTHORITIES)
def authority_create(request: HttpRequest) -> HttpResponse:
    form = AuthorityForm(posted(request))
    return form_flow(
        request,
        form,
        lambda d: services.create_authority(
            code=d["code"],
            name=d["name"],
            region=d["region"],
            ons_code=d["ons_code"],
            created_by=request.user,  # type: ignore[arg-type]
        ),
        done=lambda authority: redirect("authorities"),
        message=lambda authority: f"{authority} added. You can now work with it.",
        title="Add an authority",
        caption="Authorities",
        back_url=reverse("authorities"),
        submit="Add authority",
        intro="Only for an authority missing from the DfE list of English local authorities.",
    )


@requires(Capability.MANAGE_AUTHORITIES)
def authority_edit(request: HttpRequest, authority_id: int) -> HttpResponse:
    authority = get_object_or_404(authorities_for(scope=scope_of(request)), pk=authority_id)
    initial = {
        "code": authority.code,
        "name": authority.name,
        "region": authority.region,
        "ons_code": authority.ons_code,
    }
    form = AuthorityForm(posted(request), initial=initial)
    return form_flow(
        request,
        form,
        lambda d: services.update_authority(
            authority=authority,
            code=d["code"],
            name=d["name"],
            region=d["region"],
            ons_code=d["ons_code"],
        ),
        done=lambda saved: redirect("authorities"),
        message=lambda saved: f"{saved} saved.",
        title=f"Change {authority.name}",
        caption="Authorities",
        back_url=reverse("authorities"),
        submit="Save authority",
    )
