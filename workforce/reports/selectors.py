"""Reads for the reports pages: which reports a user may open, and what the records reach."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, QuerySet

from workforce.core.access import AUTHORITY_WIDE, Capability, Scope
from workforce.core.models import Authority
from workforce.reports.document import Audience
from workforce.reports.models import Report, ReportStatus

BOARD_AUDIENCES = [str(a) for a in Audience if a.board_mode]


def reports_for(scope: Scope) -> QuerySet[Report]:
    """The reports this user may open: all of the authority's for those who manage reports,
    otherwise the issued board and committee reports only."""
    reports = scope.records(Report.objects.all(), team=AUTHORITY_WIDE).select_related(
        "created_by", "issued_by"
    )
    if not scope.can(Capability.MANAGE_REPORTS):
        reports = reports.filter(status=ReportStatus.ISSUED, audience__in=BOARD_AUDIENCES)
    return reports


def report_for(scope: Scope, report_id: int) -> Report:
    """One report of the user's authority (404 otherwise). Drafts and internal reports are for
    those who manage reports only."""
    report = scope.get(Report.objects.all(), team=AUTHORITY_WIDE, pk=report_id)
    if not scope.can(Capability.MANAGE_REPORTS) and not (report.is_issued and report.board_mode):
        raise PermissionDenied(
            "Only workforce leads and administrators can open draft and internal reports."
        )
    return report


def first_record_date(authority: Authority) -> dt.date | None:
    """The first day the authority's records cover: the start of its earliest post."""
    from workforce.establishment.models import Post

    found = Post.objects.filter(authority=authority).aggregate(first=Min("start"))["first"]
    return found  # type: ignore[no-any-return]


def latest_change(authority: Authority) -> int:
    """The id of the last audited change to the authority's records, leaving out changes to
    reports themselves (0 when none)."""
    found = (
        LogEntry.objects.filter(additional_data__authority_id=authority.pk)
        .exclude(content_type__app_label="reports")
        .aggregate(last=Max("id"))["last"]
    )
    return int(found or 0)


def changes_since(authority: Authority, entry_id: int) -> int:
    """How many audited changes to the authority's records came after `entry_id`."""
    return (
        LogEntry.objects.filter(additional_data__authority_id=authority.pk, id__gt=entry_id)
        .exclude(content_type__app_label="reports")
        .count()
    )


def records_version(authority: Authority) -> int:
    """The version the database keeps of the authority's workforce records: moved by every
    insert, update and delete, bulk loads included (see the metrics app's `DataVersion`)."""
    from workforce.metrics.models import DataVersion

    found = (
        DataVersion.objects.filter(authority_id=authority.pk)
        .values_list("version", flat=True)
        .first()
    )
    return int(found or 0)
