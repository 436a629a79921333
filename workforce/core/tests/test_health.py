"""The health endpoint: open to monitors, says whether the parts work, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


def test_health_answers_without_signing_in_and_says_each_part_is_ok() -> None:
    response = Client().get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "queue": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_is_unhealthy_when_work_has_waited_too_long_for_the_worker() -> None:
    DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="workforce.imports.tasks.check_upload",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() - dt.timedelta(minutes=40),
        exception_class_path="",
        traceback="",
    )

    response = Client().get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response.json()["queue"] == "work waiting 40 minutes"


def test_health_takes_no_writes() -> None:
    assert Client().post(reverse("health")).status_code == 405
