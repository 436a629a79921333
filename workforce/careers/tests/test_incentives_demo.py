"""The demo authority's progression, incentives and learning: built through the services, so
every record meets their rules, and building again adds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from workforce.careers import demo_incentives
from workforce.careers.models.incentives import Clawback, Incentive, Progression
from workforce.careers.models.learning import Attendance, Enrolment, LearningProgramme
from workforce.conftest import build_demo, built_once
from workforce.core.models import Authority

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 31)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[Authority]:
    with built_once(django_db_blocker):
        yield build_demo(today=TODAY)


def _counts(authority: Authority) -> dict[str, int]:
    return {
        model.__name__: model.objects.filter(authority=authority).count()
        for model in (Progression, Incentive, Clawback, LearningProgramme, Enrolment, Attendance)
    }


def test_the_demo_has_each_kind_of_record(built: Authority) -> None:
    kinds = set(Incentive.objects.filter(authority=built).values_list("kind", flat=True))
    assert {"golden_hello", "merit_increment"} <= kinds
    assert Progression.objects.filter(authority=built).exists()
    assert LearningProgramme.objects.filter(authority=built).count() == 3
    assert Attendance.objects.filter(authority=built, attended=True).exists()
    assert not Incentive.objects.filter(authority=built, amount__lt=0).exists()
    assert not Incentive.objects.filter(authority=built, paid_on__gt=TODAY).exists()
    assert Clawback.objects.filter(authority=built).count() == 1
    for clawback in Clawback.objects.filter(authority=built):
        assert clawback.amount == clawback.incentive.recovery_on(clawback.leaving.last_day)
        assert clawback.amount > Decimal(0)


def test_building_again_adds_nothing(built: Authority) -> None:
    before = _counts(built)
    demo_incentives.build(authority=built, rng=np.random.default_rng(1), today=TODAY, scale="team")
    assert _counts(built) == before
