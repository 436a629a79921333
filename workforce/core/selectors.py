"""Reads for core: the audit trail."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import QuerySet

from workforce.core.access import Scope
from workforce.core.models import User


def audit_entries(*, scope: Scope, model: str = "", actor: str = "") -> QuerySet[LogEntry]:
    """Changes to records, newest first, optionally for one kind of record or one person."""
    entries = (
        LogEntry.objects.select_related("actor", "content_type")
        .filter(additional_data__authority_id=scope.authority.pk)
        .order_by("-timestamp")
    )
    if model:
        entries = entries.filter(content_type__model=model.lower())
    if actor:
        entries = entries.filter(actor__username=actor)
    return entries


def users_for(*, scope: Scope) -> QuerySet[User]:
    """The users of the scope's authority, with the teams they manage."""
    return (
        User.objects.filter(authority=scope.authority)
        .prefetch_related("managed_teams")
        .order_by("last_name", "first_name", "username")
    )
