"""Reads for core: the audit trail."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import QuerySet

from workforce.core.access import Scope


def audit_entries(*, scope: Scope, model: str = "", actor: str = "") -> QuerySet[LogEntry]:
    """Changes to records, newest first, optionally for one kind of record or one person."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if model:
        entries = entries.filter(content_type__model=model.lower())
    if actor:
        entries = entries.filter(actor__username=actor)
    return entries
