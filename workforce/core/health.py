"""The health endpoint a load balancer or monitor polls: is the database reachable, is its
schema up to date, and is the background queue moving. It says nothing about anyone's data."""

from __future__ import annotations

import datetime as dt

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Work waiting longer than this means no worker is taking it (docs/operations.md).
QUEUE_STALE_AFTER = dt.timedelta(minutes=15)


def check() -> dict[str, str]:
    """Each part's state, "ok" or a short reason; no personal data, no stack traces."""
    result: dict[str, str] = {}
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure to reach the database is "unavailable"
        return {"database": "unavailable", "migrations": "unknown", "queue": "unknown"}
    result["database"] = "ok"
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    result["migrations"] = "ok" if not pending else f"{len(pending)} not applied"
    result["queue"] = _queue()
    return result


def _queue() -> str:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=timezone.now())
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if oldest is not None and timezone.now() - oldest > QUEUE_STALE_AFTER:
        minutes = int((timezone.now() - oldest).total_seconds() // 60)
        return f"work waiting {minutes} minutes"
    return "ok"


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    parts = check()
    healthy = all(state == "ok" for state in parts.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **parts}, status=200 if healthy else 503
    )
