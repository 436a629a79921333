"""The demo authority's progression, incentives and learning: built through the services, so
every record meets their rules, and building again adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command

from workforce.careers import demo_incentives
from workforce.careers.models.incentives import Clawback, Incentive, Progression
from workforce.careers.models.learning import Attendance, Enrolment, LearningProgramme
from workforce.core.models import Authority

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 31)


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def built(settings: Any) -> Authority:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command(
        "seed_demo", scale="team", seed=3, today=TODAY, without_statistics=True, stdout=_Sink()
    )
    return Authority.objects.get(code="990")


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
