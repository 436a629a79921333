"""Reads for core: the audit trail, who read personal records, and users."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import QuerySet

from workforce.core.access import Scope
from workforce.core.models import Authority, PersonalDataAccess, User


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


def access_records(
    *, scope: Scope, user: str = "", record_type: str = "", record_id: int | None = None
) -> QuerySet[PersonalDataAccess]:
    """Reads of personal records in the scope's authority, newest first, optionally narrowed
    to one user (by username) or one record."""
    records = PersonalDataAccess.objects.select_related("user").filter(authority=scope.authority)
    if user:
        records = records.filter(user__username=user)
    if record_type:
        records = records.filter(record_type=record_type)
    if record_id is not None:
        records = records.filter(record_id=record_id)
    return records.order_by("-at", "-id")


def authorities_for(*, scope: Scope) -> QuerySet[Authority]:
    """The authorities a user works with: their own and any granted to them."""
    return Authority.objects.filter(pk__in=scope.authority_ids).order_by("name")
