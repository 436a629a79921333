"""Writes for the metrics: targets, set by the workforce lead."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from workforce.core.models import Authority
from workforce.establishment.models import Team
from workforce.metrics.measures import REGISTRY, targetable_keys
from workforce.metrics.models import Comparison, Target


def _check(
    *,
    authority: Authority,
    measure: str,
    comparison: str,
    value: Decimal,
    by_date: dt.date,
    team: Team | None,
    ignore: int | None = None,
) -> None:
    if measure not in targetable_keys():
        raise ValidationError({"measure": "Choose a measure from the list."})
    if comparison not in Comparison.values:
        raise ValidationError({"comparison": "Choose at most or at least."})
    if value is None:
        raise ValidationError({"value": "Enter the target, for example 20."})
    if by_date is None:
        raise ValidationError({"by_date": "Enter the date the target should be met by."})
    if value < 0:
        raise ValidationError({"value": "The target cannot be negative."})
    if REGISTRY[measure].is_rate and value > 100:
        raise ValidationError({"value": "A rate target is a percentage from 0 to 100."})
    if team is not None and team.authority_id != authority.pk:
        raise ValidationError({"team": "Choose a team of this authority."})
    clash = Target.objects.filter(authority=authority, measure=measure, team=team, by_date=by_date)
    if ignore is not None:
        clash = clash.exclude(pk=ignore)
    if clash.exists():
        raise ValidationError(
            {"by_date": "There is already a target for this measure and team by that date."}
        )


@transaction.atomic
def set_target(
    *,
    authority: Authority,
    measure: str,
    comparison: str,
    value: Decimal,
    by_date: dt.date,
    team: Team | None = None,
    notes: str = "",
) -> Target:
    _check(
        authority=authority,
        measure=measure,
        comparison=comparison,
        value=value,
        by_date=by_date,
        team=team,
    )
    return Target.objects.create(
        authority=authority,
        measure=measure,
        comparison=comparison,
        value=value,
        by_date=by_date,
        team=team,
        notes=(notes or "").strip(),
    )


@transaction.atomic
def change_target(
    *,
    target: Target,
    measure: str,
    comparison: str,
    value: Decimal,
    by_date: dt.date,
    team: Team | None = None,
    notes: str = "",
) -> Target:
    _check(
        authority=target.authority,
        measure=measure,
        comparison=comparison,
        value=value,
        by_date=by_date,
        team=team,
        ignore=target.pk,
    )
    target.measure, target.comparison, target.value = measure, comparison, value
    target.by_date, target.team, target.notes = by_date, team, (notes or "").strip()
    target.save()
    return target


@transaction.atomic
def remove_target(*, target: Target) -> None:
    target.delete()
