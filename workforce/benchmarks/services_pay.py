"""Writes for pay compared: the authority's own pay grades and comparator authorities' pay.

Each function runs in one transaction and either applies completely or raises
`ValidationError({field: message})` naming the field at fault.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from workforce.benchmarks.models.pay import ComparatorPay, PayGrade, PayIncentiveKind
from workforce.core.dates import EARLIEST_DATE, LATEST_DATE, day_text
from workforce.core.models import Authority
from workforce.core.validation import refuse, same_authority
from workforce.establishment.models import Role

TOP_SALARY = Decimal("1000000")  # a year's salary at or above this is a slip of the keyboard
TOP_SPINAL_POINT = 99


def _text(value: str | None, field: str, message: str, *, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise refuse(field, message)
    if len(text) > limit:
        raise refuse(field, f"{message[:-1]} in at most {limit} characters.")
    return text


def _salary(value: Any, field: str, label: str) -> Decimal:
    """A yearly salary in pounds: present, a number, more than nothing, to the penny."""
    if value is None or value == "":
        raise refuse(field, f"Enter the {label} in pounds a year.")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise refuse(field, f"The {label} must be a number of pounds, like 32500.") from exc
    if not amount.is_finite():
        raise refuse(field, f"The {label} must be a number of pounds, like 32500.")
    if amount <= 0:
        raise refuse(field, f"The {label} must be more than £0.")
    if amount != amount.quantize(Decimal("0.01")):
        raise refuse(field, f"The {label} must be in pounds and pence, at most 2 decimal places.")
    if amount >= TOP_SALARY:
        raise refuse(field, f"The {label} must be less than £1,000,000 a year.")
    return amount


def _range(minimum: Any, maximum: Any) -> tuple[Decimal, Decimal]:
    low = _salary(minimum, "minimum", "salary minimum")
    high = _salary(maximum, "maximum", "salary maximum")
    if high < low:
        raise refuse("maximum", f"The salary maximum must be at least the minimum (£{low:,.2f}).")
    return low, high


def _spinal_points(low: int | None, high: int | None) -> tuple[int | None, int | None]:
    for value, field in ((low, "spinal_point_minimum"), (high, "spinal_point_maximum")):
        if value is not None and not 1 <= value <= TOP_SPINAL_POINT:
            raise refuse(field, f"A spinal point is a whole number from 1 to {TOP_SPINAL_POINT}.")
    if (low is None) != (high is None):
        field = "spinal_point_maximum" if high is None else "spinal_point_minimum"
        raise refuse(field, "Enter both the lowest and the highest spinal point, or neither.")
    if low is not None and high is not None and high < low:
        raise refuse("spinal_point_maximum", f"The highest spinal point must be at least {low}.")
    return low, high


def _date(value: dt.date | None, field: str, label: str, *, past_only: bool) -> dt.date:
    if value is None:
        raise refuse(field, f"Enter the {label}.")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise refuse(field, f"The {label} must be between 1 January 1900 and 31 December 2099.")
    today = timezone.localdate()
    if past_only and value > today:
        raise refuse(field, f"The {label} must be today or in the past ({day_text(today)}).")
    return value


def _role(authority: Authority, role: Role | None) -> Role:
    if role is None:
        raise refuse("role", "Choose the role.")
    if role.authority_id != authority.pk:
        raise refuse("role", "Choose one of your authority's roles.")
    return role


# Own pay grades --------------------------------------------------------------------------------


def _grade_fields(
    *,
    authority: Authority,
    role: Role | None,
    grade: str,
    minimum: Any,
    maximum: Any,
    effective_from: dt.date | None,
    spinal_point_minimum: int | None,
    spinal_point_maximum: int | None,
    instead_of: PayGrade | None = None,
) -> dict[str, Any]:
    role = _role(authority, role)
    name = _text(grade, "grade", "Enter the grade's name, for example SW3.", limit=40)
    low, high = _range(minimum, maximum)
    points = _spinal_points(spinal_point_minimum, spinal_point_maximum)
    # A pay award agreed ahead may be entered before it takes effect.
    start = _date(effective_from, "effective_from", "date it takes effect", past_only=False)
    clash = PayGrade.objects.filter(
        authority=authority, role=role, grade__iexact=name, effective_from=start
    )
    if instead_of is not None:
        clash = clash.exclude(pk=instead_of.pk)
    if clash.exists():
        raise refuse(
            "effective_from",
            f"{role} {name} already has a salary range from {day_text(start)}: change that one.",
        )
    return {
        "role": role,
        "grade": name,
        "minimum": low,
        "maximum": high,
        "spinal_point_minimum": points[0],
        "spinal_point_maximum": points[1],
        "effective_from": start,
    }


@transaction.atomic
def add_pay_grade(
    *,
    authority: Authority,
    role: Role | None,
    grade: str,
    minimum: Any,
    maximum: Any,
    effective_from: dt.date | None,
    spinal_point_minimum: int | None = None,
    spinal_point_maximum: int | None = None,
) -> PayGrade:
    """Record one of the authority's grades for a role and its salary range from a date."""
    fields = _grade_fields(
        authority=authority,
        role=role,
        grade=grade,
        minimum=minimum,
        maximum=maximum,
        effective_from=effective_from,
        spinal_point_minimum=spinal_point_minimum,
        spinal_point_maximum=spinal_point_maximum,
    )
    return PayGrade.objects.create(authority=authority, **fields)


@transaction.atomic
def change_pay_grade(
    *,
    pay_grade: PayGrade,
    role: Role | None,
    grade: str,
    minimum: Any,
    maximum: Any,
    effective_from: dt.date | None,
    spinal_point_minimum: int | None = None,
    spinal_point_maximum: int | None = None,
) -> PayGrade:
    """Correct a grade's record (a pay award is a new record: `add_pay_grade`)."""
    fields = _grade_fields(
        authority=pay_grade.authority,
        role=role,
        grade=grade,
        minimum=minimum,
        maximum=maximum,
        effective_from=effective_from,
        spinal_point_minimum=spinal_point_minimum,
        spinal_point_maximum=spinal_point_maximum,
        instead_of=pay_grade,
    )
    for name, value in fields.items():
        setattr(pay_grade, name, value)
    pay_grade.save()
    return pay_grade


@transaction.atomic
def remove_pay_grade(*, pay_grade: PayGrade) -> PayGrade:
    pay_grade.delete()
    return pay_grade


# Comparator authorities' pay -------------------------------------------------------------------


def _entry_fields(
    *,
    authority: Authority,
    comparator: Authority | None,
    role: Role | None,
    grade: str,
    minimum: Any,
    maximum: Any,
    applies_on: dt.date | None,
    source: str,
    incentive_kind: str,
    incentive_amount: Any,
    spinal_point_minimum: int | None,
    spinal_point_maximum: int | None,
) -> dict[str, Any]:
    if comparator is None or not Authority.objects.filter(pk=comparator.pk).exists():
        raise refuse("comparator", "Choose the comparator authority from the list.")
    if comparator.pk == authority.pk:
        raise refuse("comparator", "Choose another authority: this is your own.")
    role = _role(authority, role)
    name = (grade or "").strip()
    if len(name) > 40:
        raise refuse("grade", "Enter their grade in at most 40 characters.")
    low, high = _range(minimum, maximum)
    points = _spinal_points(spinal_point_minimum, spinal_point_maximum)
    day = _date(applies_on, "applies_on", "date the information applies to", past_only=True)
    where = _text(
        source,
        "source",
        "Enter where the information came from, for example a benchmarking exercise or a "
        "web address.",
        limit=300,
    )
    kind = (incentive_kind or "").strip()
    amount: Decimal | None = None
    if kind and kind not in PayIncentiveKind.values:
        raise refuse("incentive_kind", "Choose the kind of incentive from the list.")
    if kind:
        amount = _salary(incentive_amount, "incentive_amount", "incentive amount")
    elif incentive_amount not in (None, ""):
        raise refuse("incentive_kind", "Choose the kind of incentive the amount is for.")
    return {
        "comparator": comparator,
        "role": role,
        "grade": name,
        "minimum": low,
        "maximum": high,
        "spinal_point_minimum": points[0],
        "spinal_point_maximum": points[1],
        "incentive_kind": kind,
        "incentive_amount": amount,
        "applies_on": day,
        "source": where,
    }


@transaction.atomic
def add_comparator_pay(
    *,
    authority: Authority,
    comparator: Authority | None,
    role: Role | None,
    minimum: Any,
    maximum: Any,
    applies_on: dt.date | None,
    source: str,
    grade: str = "",
    incentive_kind: str = "",
    incentive_amount: Any = None,
    spinal_point_minimum: int | None = None,
    spinal_point_maximum: int | None = None,
) -> ComparatorPay:
    """Record what a comparator authority pays for one of the authority's roles."""
    fields = _entry_fields(
        authority=authority,
        comparator=comparator,
        role=role,
        grade=grade,
        minimum=minimum,
        maximum=maximum,
        applies_on=applies_on,
        source=source,
        incentive_kind=incentive_kind,
        incentive_amount=incentive_amount,
        spinal_point_minimum=spinal_point_minimum,
        spinal_point_maximum=spinal_point_maximum,
    )
    same_authority(fields["role"], authority=authority)
    return ComparatorPay.objects.create(authority=authority, **fields)


@transaction.atomic
def change_comparator_pay(
    *,
    entry: ComparatorPay,
    comparator: Authority | None,
    role: Role | None,
    minimum: Any,
    maximum: Any,
    applies_on: dt.date | None,
    source: str,
    grade: str = "",
    incentive_kind: str = "",
    incentive_amount: Any = None,
    spinal_point_minimum: int | None = None,
    spinal_point_maximum: int | None = None,
) -> ComparatorPay:
    fields = _entry_fields(
        authority=entry.authority,
        comparator=comparator,
        role=role,
        grade=grade,
        minimum=minimum,
        maximum=maximum,
        applies_on=applies_on,
        source=source,
        incentive_kind=incentive_kind,
        incentive_amount=incentive_amount,
        spinal_point_minimum=spinal_point_minimum,
        spinal_point_maximum=spinal_point_maximum,
    )
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    return entry


@transaction.atomic
def remove_comparator_pay(*, entry: ComparatorPay) -> ComparatorPay:
    entry.delete()
    return entry
