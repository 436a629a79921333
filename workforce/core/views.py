"""Home page, the audit trail, who read personal records, and user accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst

from workforce.core import services
from workforce.core.access import Capability, Scope, requires
from workforce.core.exports import filters_query, requested_format, table_response
from workforce.core.forms import (
    AccessFilterForm,
    AuditFilterForm,
    NewUserForm,
    UserAccessForm,
    apply_service_errors,
)
from workforce.core.models import PersonalDataAccess
from workforce.core.selectors import access_records, audit_entries, users_for

HOME_MEASURES = ("in_post_fte", "agency_rate_fte", "vacancy_rate_fte", "turnover_rate_fte")


@requires(Capability.VIEW_AGGREGATES)
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: today's four headline figures for the user's scope, and the sections."""
    # The home page is the one place core reads another app: the figures everyone opens with.
    from workforce.metrics import selectors as metrics

    scope = request.scope  # type: ignore[attr-defined]
    headline = metrics.headline(
        where=metrics.filter_for_scope(scope),
        on=dt.date.today(),
        targets=list(metrics.targets_for(scope)),
        keys=HOME_MEASURES,
    )
    return render(request, "core/home.html", {"scope": scope, "headline": headline})


AUDIT_HEADER = ["When", "Who", "Action", "Record", "Changes (before → after)"]


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
    return [when, str(entry.actor or "System"), entry.get_action_display(), record, changes]


def _log_page(
    request: HttpRequest,
    form: forms.Form,
    records: Callable[..., QuerySet],
    *,
    template: str,
    name: str,
    header: list[str],
    row: Callable[[Any], list[Any]],
) -> HttpResponse:
    """A log filtered by `form` (a message when a filter is wrong), a page at a time, or
    downloaded whole."""
    context: dict[str, Any] = {"form": form, "page": None}
    if form.is_valid():
        entries = records(scope=request.scope, **form.cleaned_data)  # type: ignore[attr-defined]
        if fmt := requested_format(request):
            rows = (row(entry) for entry in entries.iterator(chunk_size=2000))
            return table_response(fmt, f"{name}-{dt.date.today().isoformat()}", header, rows)
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
        header=AUDIT_HEADER,
        row=_audit_row,
    )


ACCESS_HEADER = ["When", "Who", "Username", "Action", "Record", "Address"]


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
        header=ACCESS_HEADER,
        row=_access_row,
    )


def _teams(scope: Scope) -> QuerySet:
    from workforce.establishment.models import Team

    return Team.objects.filter(authority=scope.authority).order_by("name")


@requires(Capability.MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    users = users_for(scope=request.scope)  # type: ignore[attr-defined]
    if fmt := requested_format(request):
        header = ["Name", "Username", "Role", "Teams managed", "Status"]
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
        return table_response(fmt, f"users-{dt.date.today().isoformat()}", header, rows)
    return render(request, "core/users.html", {"users": users})


@requires(Capability.MANAGE_USERS)
def user_create(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    form = NewUserForm(request.POST or None, teams=_teams(scope))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                authority=scope.authority,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"] or "",
                role=data["role"],
                password=data["password"],
                teams=data["teams"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{user.get_full_name()} can now sign in as {user.username}.")
            return redirect("users")
    return render(request, "core/user_form.html", {"form": form, "title": "Add a user"})


@requires(Capability.MANAGE_USERS)
def user_access(request: HttpRequest, user_id: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    account = get_object_or_404(users_for(scope=scope), pk=user_id)
    initial = {
        "role": account.role,
        "teams": account.managed_teams.all(),
        "is_active": account.is_active,
    }
    form = UserAccessForm(request.POST or None, teams=_teams(scope), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if account.pk == request.user.pk and (
            data["role"] != account.role or not data["is_active"]
        ):
            form.add_error("role", "You cannot change your own role or lock yourself out.")
        else:
            try:
                services.change_user_access(
                    user=account,
                    role=data["role"],
                    teams=data["teams"],
                    is_active=data["is_active"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Access for {account} updated.")
                return redirect("users")
    return render(
        request,
        "core/user_form.html",
        {
            "form": form,
            "title": f"Access for {account.get_full_name() or account.username}",
            "account": account,
        },
    )
