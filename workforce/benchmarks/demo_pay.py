"""The demo authority's pay grades and a few comparator authorities' pay, written through the
services. Called by the demo generator's hook (`workforce.demo.generator.HOOK_MODULES`).

Only the demo authority gets them (other authorities are skipped), at every scale; building
twice adds nothing. Made up for the demo, in the manner of a regional benchmarking exercise
(as Slough's in 2014, and Leeds's comparison with West Yorkshire in 2006): grades for four
roles from 1 April of last year and, after a 3% pay award, from 1 April this year; and what
five neighbouring West Midlands authorities paid on 1 May, with a market supplement, a golden
hello and a retention payment among them.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from workforce.benchmarks import services_pay as services
from workforce.benchmarks.models.pay import ComparatorPay, PayGrade, PayIncentiveKind
from workforce.core.models import Authority
from workforce.establishment.models import Role

DEMO_AUTHORITY_CODE = "990"
PAY_AWARD = Decimal("1.03")

# Role title -> (grade, minimum, maximum, lowest and highest spinal point) from this April.
GRADES: dict[str, tuple[str, int, int, int, int]] = {
    "Social worker (ASYE)": ("SW1", 33_000, 35_500, 25, 28),
    "Social worker": ("SW3", 37_000, 42_500, 29, 34),
    "Advanced practitioner": ("SW4", 43_000, 47_500, 35, 39),
    "Team manager": ("M1", 48_500, 53_000, 40, 44),
}

M = PayIncentiveKind
# Comparator DfE code -> role title -> (their grade, minimum, maximum, incentive, amount).
COMPARATORS: dict[str, dict[str, tuple[str, int, int, str, int]]] = {
    "330": {  # Birmingham
        "Social worker": ("Grade 5", 38_500, 43_000, M.MARKET_SUPPLEMENT, 2_000),
        "Team manager": ("Grade 6", 50_000, 55_500, "", 0),
        "Social worker (ASYE)": ("Grade 4", 33_500, 35_000, "", 0),
    },
    "332": {  # Dudley
        "Social worker": ("Band I", 36_000, 41_000, "", 0),
        "Team manager": ("Band K", 47_000, 51_000, "", 0),
    },
    "333": {  # Sandwell
        "Social worker": ("G", 36_500, 42_000, M.RETENTION, 1_500),
        "Team manager": ("J", 48_000, 52_500, "", 0),
        "Social worker (ASYE)": ("F", 32_000, 34_500, "", 0),
    },
    "335": {  # Walsall
        "Social worker": ("SW2", 37_500, 41_500, M.GOLDEN_HELLO, 1_500),
        "Social worker (ASYE)": ("SW1", 32_500, 34_000, "", 0),
    },
    "336": {  # Wolverhampton
        "Social worker": ("SW", 35_500, 40_500, "", 0),
        "Team manager": ("TM", 49_000, 53_500, "", 0),
    },
}


def _latest(month: int, day: int, today: dt.date) -> dt.date:
    """The latest `day` of `month` on or before today."""
    this_year = dt.date(today.year, month, day)
    return this_year if this_year <= today else dt.date(today.year - 1, month, day)


def _before_award(amount: int) -> Decimal:
    """Last year's salary: this year's before the pay award, to the nearest pound."""
    return (Decimal(amount) / PAY_AWARD).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def build(*, authority: Authority, rng: Any, today: dt.date, scale: str) -> None:
    """Write the demo authority's pay grades and its neighbours' pay as known on `today`."""
    if authority.code != DEMO_AUTHORITY_CODE:
        return
    if PayGrade.objects.filter(authority=authority).exists():
        return
    if ComparatorPay.objects.filter(authority=authority).exists():
        return
    roles = {r.title: r for r in Role.objects.filter(authority=authority)}
    april = _latest(4, 1, today)
    for title, (grade, low, high, first, last) in GRADES.items():
        role = roles.get(title)
        if role is None:
            continue
        for start, minimum, maximum in (
            (april.replace(year=april.year - 1), _before_award(low), _before_award(high)),
            (april, Decimal(low), Decimal(high)),
        ):
            services.add_pay_grade(
                authority=authority,
                role=role,
                grade=grade,
                minimum=minimum,
                maximum=maximum,
                effective_from=start,
                spinal_point_minimum=first,
                spinal_point_maximum=last,
            )
    may = _latest(5, 1, today)
    source = f"Regional benchmarking exercise, {may:%B %Y}"
    comparators = {a.code: a for a in Authority.objects.filter(code__in=COMPARATORS)}
    for code, paid in COMPARATORS.items():
        comparator = comparators.get(code)
        if comparator is None:
            continue
        for title, (grade, low, high, kind, amount) in paid.items():
            role = roles.get(title)
            if role is None:
                continue
            services.add_comparator_pay(
                authority=authority,
                comparator=comparator,
                role=role,
                grade=grade,
                minimum=Decimal(low),
                maximum=Decimal(high),
                applies_on=may,
                source=source,
                incentive_kind=kind,
                incentive_amount=Decimal(amount) if kind else None,
            )
