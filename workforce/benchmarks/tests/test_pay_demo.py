"""The demo authority's pay grades and its neighbours' pay, built by `seed_demo`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command

from workforce.benchmarks import demo_pay
from workforce.benchmarks import selectors_pay as selectors
from workforce.benchmarks.models.pay import ComparatorPay, PayGrade
from workforce.core.access import scope_for
from workforce.core.models import Authority, UserRole
from workforce.core.tests.factories import UserFactory
from workforce.demo import generator

TODAY = dt.date(2025, 9, 30)


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def demo(reference_data: None, settings: Any) -> tuple[Authority, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", scale="team", seed=3, today=TODAY, stdout=_Sink())
    authority = Authority.objects.get(code=generator.DEMO_CODE)
    lead = UserFactory(username="lead-pay", role=UserRole.WORKFORCE_LEAD, authority=authority)
    return authority, lead


def test_the_demo_compares_its_pay_with_its_neighbours(demo: tuple[Authority, Any]) -> None:
    authority, lead = demo
    # Four roles, each graded from 1 April 2024 and, after the award, from 1 April 2025.
    assert PayGrade.objects.filter(authority=authority).count() == 8
    assert ComparatorPay.objects.filter(authority=authority).count() == 12
    found = {c.role.title: c for c in selectors.pay_comparison(scope_for(lead), on=TODAY)}
    sw = found["Social worker"]
    assert [c.authority.name for c in sw.comparators] == [
        "Birmingham",
        "Dudley",
        "Sandwell",
        "Walsall",
        "Wolverhampton",
    ]
    # Minimums 35,500 36,000 36,500 37,500 38,500; maximums 40,500 41,000 41,500 42,000 43,000.
    assert (sw.median_minimum, sw.median_maximum) == (Decimal("36500.00"), Decimal("41500.00"))
    assert (sw.own_minimum, sw.own_maximum) == (Decimal("37000"), Decimal("42500"))
    assert sw.position == "Above the median"
    assert {c.entries[0].source for c in sw.comparators} == {
        "Regional benchmarking exercise, May 2025"
    }
    # Last year's range was this year's before the 3% award: 37,000 ÷ 1.03 = 35,922.33...
    earlier = {
        c.role.title: c for c in selectors.pay_comparison(scope_for(lead), on=dt.date(2024, 9, 30))
    }
    assert earlier["Social worker"].own_minimum == Decimal("35922")
    assert earlier["Social worker"].comparators == []
    # Building again adds nothing.
    demo_pay.build(authority=authority, rng=np.random.default_rng(1), today=TODAY, scale="team")
    assert PayGrade.objects.filter(authority=authority).count() == 8
