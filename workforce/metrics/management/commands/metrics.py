"""Print every headline measure for a date: `manage.py metrics --date 2025-09-30 --json`."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.core.dates import day_text
from workforce.core.forms import EARLIEST_DATE, LATEST_DATE
from workforce.core.models import Authority
from workforce.establishment.models import Team
from workforce.metrics.engine import MetricsFilter, year_start
from workforce.metrics.measures import REGISTRY, SECTIONS, display_value, format_value
from workforce.metrics.selectors import measures_on


def _day(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be a date like 2025-09-30, not {value!r}.") from exc
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise CommandError("--date must be between 1900-01-01 and 2099-12-31.")
    return day


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Command(BaseCommand):
    help = (
        "Print every workforce measure (DfE census definitions) at a date, with the counts "
        "each is computed from: for analysts checking figures and for scripts. Census-counted "
        "roles only unless --all-roles. Without --authority, every authority in the database "
        "together."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", required=True, type=_day, help="As at, YYYY-MM-DD.")
        parser.add_argument("--authority", help="DfE LA code, for example 999.")
        parser.add_argument("--team", type=int, help="Team id (needs --authority).")
        parser.add_argument(
            "--all-roles", action="store_true", help="Include roles the census does not count."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        on: dt.date = options["date"]
        code = options.get("authority")
        team_id = options.get("team")
        if code:
            authority = Authority.objects.filter(code=code).first()
            if authority is None:
                raise CommandError(f"No authority with code {code!r}.")
            authority_ids: tuple[int, ...] = (authority.pk,)
        else:
            if team_id is not None:
                raise CommandError("--team needs --authority: say which authority it is in.")
            authority_ids = tuple(Authority.objects.order_by("pk").values_list("pk", flat=True))
        if (
            team_id is not None
            and not Team.objects.filter(pk=team_id, authority_id__in=authority_ids).exists()
        ):
            raise CommandError(f"No team {team_id} in authority {code}.")
        where = MetricsFilter(
            authority_ids=authority_ids,
            team_ids=None if team_id is None else (team_id,),
            census_only=not options["all_roles"],
        )
        result = measures_on(where=where, on=on)
        parts = {name: values[0] for name, values in result.parts.items()}
        measures = {}
        for key, measure in REGISTRY.items():
            value = result.values[key][0]
            measures[key] = {
                "label": measure.label,
                "unit": measure.unit.value,
                "value": _plain(value),
                "shown": _plain(display_value(measure, value)),
                **{k: _plain(v) for k, v in measure.counts(parts).items()},
            }
        if options["json"]:
            payload = {
                "date": on.isoformat(),
                "year_from": year_start(on).isoformat(),
                "authority": code or "all",
                "team": team_id,
                "census_only": not options["all_roles"],
                "measures": measures,
                "counts": {k: _plain(v) for k, v in parts.items()},
                **{
                    name: figures(authority_ids=authority_ids, team_ids=where.team_ids, on=on)
                    for name, figures in SECTIONS.items()
                },
            }
            self.stdout.write(json.dumps(payload, indent=2))
            return
        self.stdout.write(
            f"Workforce measures at {day_text(on)} (year from {day_text(year_start(on))})"
        )
        for key, measure in REGISTRY.items():
            value = result.values[key][0]
            self.stdout.write(f"  {measure.label:<45} {format_value(measure, value):>12}")
