"""The background work on uploaded files, run by the worker (`manage.py db_worker`).

Each task takes the run's id and calls its service; the service records on the run what happened,
failures included, so the page never waits on a task that has ended.
"""

from __future__ import annotations

from django_tasks import TaskResultStatus, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

from workforce.imports import services


@task()
def check_file(run_id: int) -> str:
    """Check an uploaded file: a dry run, recorded on the run."""
    return services.run_check(run_id)


@task()
def apply_file(run_id: int) -> str:
    """Import a checked file, all or nothing."""
    return services.run_apply(run_id)


@task()
def undo_file(run_id: int) -> str:
    """Undo an import: every change it made reversed, all or nothing."""
    return services.run_undo(run_id)


def failed(task_id: str) -> bool:
    """Whether the queued task with this id ended in failure (False when it is not known: an
    immediate backend keeps no results)."""
    if not task_id:
        return False
    try:
        result = default_task_backend.get_result(task_id)
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        return False
    return result.status == TaskResultStatus.FAILED
