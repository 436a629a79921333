"""The measures, by the DfE census definitions, as a registry built on the engine's components.

A measure says which components it needs and how to get its value from them at one date. The
caseloads app adds its measures (cases held, case-holder FTE, average caseload) by registering a
provider in `engine` and its measures here with `register`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from workforce.core import numbers
from workforce.metrics import engine


class Unit(StrEnum):
    FTE = "fte"
    COUNT = "count"
    RATE = "rate"  # a fraction, shown as a percentage
    YEARS = "years"
    DAYS = "days"


class Better(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"
    NEITHER = ""


def ratio(numerator: Any, denominator: Any) -> Decimal | None:
    """A rate, kept exact (it is rounded once, for display), or None when there is nothing to
    divide by."""
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: Unit
    needs: tuple[str, ...]
    compute: Callable[[Mapping[str, Any]], Any]
    numerator: str = ""
    denominator: str = ""  # a component, or a measure's own word for what it divides by
    better: Better = Better.NEITHER
    description: str = ""
    dfe_field: str = ""  # the column in the DfE published indicators
    units: tuple[str, str] = ("", "")  # what the numerator and denominator count, for people
    denominator_of: Callable[[Mapping[str, Any]], Any] | None = field(default=None)
    places: int | None = None  # decimal places shown, when not the unit's (see PLACES)

    def value(self, parts: Mapping[str, Any]) -> Any:
        return self.compute(parts)

    def counts(self, parts: Mapping[str, Any]) -> dict[str, Any]:
        """The figures this measure is computed from, for analysts to check it."""
        out: dict[str, Any] = {}
        if self.numerator:
            out["numerator"] = parts.get(self.numerator)
            out["numerator_is"] = self.numerator
        if self.denominator_of is not None:
            out["denominator"] = self.denominator_of(parts)
            out["denominator_is"] = self.denominator
        elif self.denominator:
            out["denominator"] = parts.get(self.denominator)
            out["denominator_is"] = self.denominator
        return out

    @property
    def is_rate(self) -> bool:
        return self.unit == Unit.RATE


REGISTRY: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    REGISTRY[measure.key] = measure
    return measure


# Further figures other apps add to the `metrics` command's JSON, each under its own name:
# name -> function(*, authority_ids, team_ids, on) -> a JSON-ready dict.
SECTIONS: dict[str, Callable[..., dict[str, Any]]] = {}


def register_section(name: str, figures: Callable[..., dict[str, Any]]) -> None:
    SECTIONS[name] = figures


def _part(name: str) -> Callable[[Mapping[str, Any]], Any]:
    return lambda parts: parts.get(name)


def _simple(key: str, label: str, unit: Unit, description: str, dfe: str = "") -> None:
    register(Measure(key, label, unit, (key,), _part(key), description=description, dfe_field=dfe))


_simple(
    "in_post_fte",
    "In post FTE",
    Unit.FTE,
    "Authority-employed FTE in post at the date.",
    "inpost_fte",
)
_simple(
    "in_post_headcount",
    "In post headcount",
    Unit.COUNT,
    "Authority-employed people in post at the date.",
    "inpost_headcount",
)
_simple("establishment_fte", "Establishment FTE", Unit.FTE, "Budgeted FTE at the date.")
_simple(
    "starters_fte",
    "Starters FTE",
    Unit.FTE,
    "FTE of people who joined the authority's employment in the year.",
    "starters_fte",
)
_simple(
    "starters_headcount",
    "Starters",
    Unit.COUNT,
    "People who joined the authority's employment in the year.",
    "starters_headcount",
)
_simple(
    "leavers_fte",
    "Leavers FTE",
    Unit.FTE,
    "FTE, on their last day, of people who left the authority's employment in the year.",
    "leavers_fte",
)
_simple(
    "leavers_headcount",
    "Leavers",
    Unit.COUNT,
    "People who left the authority's employment in the year.",
    "leavers_headcount",
)
_simple(
    "early_leavers_headcount",
    "Leavers within 12 months of starting",
    Unit.COUNT,
    "Leavers in the year whose continuous employment had lasted less than 12 months.",
)
_simple(
    "early_leavers_fte",
    "Leavers within 12 months of starting, FTE",
    Unit.FTE,
    "FTE of leavers in the year whose continuous employment had lasted less than 12 months.",
)
_simple("agency_fte", "Agency FTE", Unit.FTE, "Agency workers' FTE at the date.", "agency_fte")
_simple(
    "agency_headcount",
    "Agency headcount",
    Unit.COUNT,
    "Agency workers at the date.",
    "agency_headcount",
)
_simple(
    "agency_vacancy_fte",
    "Agency FTE covering vacancies",
    Unit.FTE,
    "Agency FTE recorded as covering a vacancy.",
    "agency_cover_fte",
)
_simple(
    "vacancy_fte",
    "Vacancy FTE",
    Unit.FTE,
    "Budgeted FTE not filled by authority employees (the establishment table's Vacant total).",
    "vacancy_fte",
)
_simple(
    "sickness_days",
    "Working days lost to sickness",
    Unit.DAYS,
    "Working days lost to sickness by authority employees in the year.",
    "working_days_lost_fte",
)
DAYS_PER_YEAR = Decimal("365.25")


def _service_years(parts: Mapping[str, Any]) -> Decimal | None:
    days, people = parts.get("service_days"), parts.get("in_post_headcount")
    if days is None or not people:
        return None
    return Decimal(days) / people / DAYS_PER_YEAR


register(
    Measure(
        "service_years",
        "Average length of service",
        Unit.YEARS,
        ("service_days", "in_post_headcount"),
        _service_years,
        numerator="service_days",
        denominator="in_post_headcount",
        description=(
            "Average years since the start of continuous employment, of those in post at the "
            "date (days of service summed over the people in post ÷ people ÷ 365.25)."
        ),
        units=("days of service", "people in post"),
    )
)


def _rate(
    key: str,
    label: str,
    numerator: str,
    denominator: str,
    *,
    plus: str = "",
    better: Better = Better.LOWER,
    description: str = "",
    dfe: str = "",
    units: tuple[str, str] = ("", ""),
) -> None:
    """numerator ÷ denominator, or ÷ (denominator + plus) when `plus` is given."""

    def base(parts: Mapping[str, Any]) -> Any:
        d = parts.get(denominator)
        if plus:
            extra = parts.get(plus)
            d = None if d is None or extra is None else d + extra
        return d

    register(
        Measure(
            key,
            label,
            Unit.RATE,
            (numerator, denominator) + ((plus,) if plus else ()),
            lambda parts: ratio(parts.get(numerator), base(parts)),
            numerator=numerator,
            denominator=f"{denominator} + {plus}" if plus else denominator,
            denominator_of=base if plus else None,
            better=better,
            description=description,
            dfe_field=dfe,
            units=units,
        )
    )


_rate(
    "turnover_rate_fte",
    "Turnover rate",
    "leavers_fte",
    "in_post_fte",
    description="Leavers FTE in the year ÷ in post FTE at the date.",
    dfe="turnover_rate_fte",
    units=("leavers FTE", "in post FTE"),
)
_rate(
    "turnover_rate_headcount",
    "Turnover rate (headcount)",
    "leavers_headcount",
    "in_post_headcount",
    description="Leavers in the year ÷ people in post at the date.",
    dfe="turnover_rate_headcount",
    units=("leavers", "people in post"),
)
_rate(
    "agency_rate_fte",
    "Agency rate",
    "agency_fte",
    "in_post_fte",
    plus="agency_fte",
    description="Agency FTE ÷ (agency FTE + in post FTE).",
    dfe="agency_rate_fte",
    units=("agency FTE", "FTE in post and agency"),
)
_rate(
    "agency_rate_headcount",
    "Agency rate (headcount)",
    "agency_headcount",
    "in_post_headcount",
    plus="agency_headcount",
    description="Agency workers ÷ (agency workers + people in post).",
    dfe="agency_rate_headcount",
    units=("agency workers", "people in post and agency"),
)
_rate(
    "permanent_share",
    "Permanent:agency",
    "in_post_fte",
    "in_post_fte",
    plus="agency_fte",
    better=Better.HIGHER,
    description="Authority-employed share of FTE; 80:20 means 80% employed, 20% agency.",
    units=("in post FTE", "FTE in post and agency"),
)
_rate(
    "vacancy_rate_fte",
    "Vacancy rate",
    "vacancy_fte",
    "vacancy_fte",
    plus="in_post_fte",
    description="Vacancy FTE ÷ (vacancy FTE + in post FTE).",
    dfe="vacancy_rate_fte",
    units=("vacant FTE", "FTE vacant and in post"),
)
_rate(
    "agency_cover_rate_fte",
    "Agency cover rate",
    "agency_vacancy_fte",
    "agency_fte",
    better=Better.NEITHER,
    description="Agency FTE covering vacancies ÷ agency FTE.",
    dfe="agency_cover_rate_fte",
    units=("agency FTE covering vacancies", "agency FTE"),
)
_rate(
    "vacancy_agency_cover_rate_fte",
    "Vacancies covered by agency",
    "agency_vacancy_fte",
    "vacancy_fte",
    better=Better.NEITHER,
    description="Agency FTE covering vacancies ÷ vacancy FTE (can pass 100%).",
    dfe="vacancy_agency_cover_rate_fte",
    units=("agency FTE covering vacancies", "vacant FTE"),
)


def _absence_base(parts: Mapping[str, Any]) -> Any:
    fte = parts.get("in_post_fte")
    return None if fte is None else fte * engine.working_days_per_year()


register(
    Measure(
        "absence_rate_fte",
        "Sickness absence rate",
        Unit.RATE,
        ("sickness_days", "in_post_fte"),
        lambda parts: ratio(parts.get("sickness_days"), _absence_base(parts)),
        numerator="sickness_days",
        denominator="in_post_fte × working days per year",
        denominator_of=_absence_base,
        better=Better.LOWER,
        description="Sickness working days lost in the year ÷ (in post FTE × working days).",
        dfe_field="absence_rate_fte",
        units=("days lost", "possible working days"),
    )
)

HEADLINE = (
    "in_post_fte",
    "agency_rate_fte",
    "vacancy_rate_fte",
    "turnover_rate_fte",
    "absence_rate_fte",
    "permanent_share",
    "starters_headcount",
    "leavers_headcount",
    "early_leavers_headcount",
    "service_years",
)
TARGETABLE = (
    "agency_rate_fte",
    "vacancy_rate_fte",
    "turnover_rate_fte",
    "turnover_rate_headcount",
    "absence_rate_fte",
    "permanent_share",
    "agency_cover_rate_fte",
    "in_post_fte",
    "agency_fte",
    "vacancy_fte",
    "early_leavers_headcount",
    "service_years",
)


OPTIONAL_HEADLINE = ("average_caseload",)  # shown once the caseloads app registers it

# Counts of people, and the count each other figure is built on: in board mode a count from 1
# to 4 is withheld, and so is every figure built on it (an FTE or a rate would give it away).
PEOPLE_COUNTS = (
    "in_post_headcount",
    "agency_headcount",
    "starters_headcount",
    "leavers_headcount",
    "early_leavers_headcount",
    "case_holders",
    "children_in_care",
    "three_or_more",
    "supervision_within_policy",
)
BUILT_ON_COUNT = {
    "in_post_fte": "in_post_headcount",
    "service_years": "in_post_headcount",
    "agency_fte": "agency_headcount",
    "agency_rate_fte": "agency_headcount",
    "agency_rate_headcount": "agency_headcount",
    "permanent_share": "agency_headcount",
    "agency_vacancy_fte": "agency_headcount",
    "agency_cover_rate_fte": "agency_headcount",
    "vacancy_agency_cover_rate_fte": "agency_headcount",
    "starters_fte": "starters_headcount",
    "leavers_fte": "leavers_headcount",
    "turnover_rate_fte": "leavers_headcount",
    "turnover_rate_headcount": "leavers_headcount",
    "early_leavers_fte": "early_leavers_headcount",
    "case_holder_fte": "case_holders",
    "average_caseload": "case_holders",
    "three_or_more_rate": "three_or_more",
    "supervision_compliance": "supervision_within_policy",
}


def count_behind(key: str) -> str | None:
    """The count of people a measure is built on (itself for a count), if any."""
    if key in PEOPLE_COUNTS:
        return key
    return BUILT_ON_COUNT.get(key)


def headline_keys() -> list[str]:
    return [k for k in (*HEADLINE, *OPTIONAL_HEADLINE) if k in REGISTRY]


def targetable_keys() -> list[str]:
    return [k for k in (*TARGETABLE, *OPTIONAL_HEADLINE) if k in REGISTRY]


def all_keys() -> list[str]:
    return list(REGISTRY)


def needs(keys: list[str] | tuple[str, ...]) -> list[str]:
    wanted: dict[str, None] = {}
    for key in keys:
        for part in REGISTRY[key].needs:
            wanted[part] = None
    return list(wanted)


# Decimal places each unit is shown to (rates as percentages).
PLACES = {Unit.FTE: 2, Unit.COUNT: 0, Unit.RATE: 1, Unit.YEARS: 1, Unit.DAYS: 1}


def measure_places(measure: Measure) -> int:
    """Decimal places a measure is shown to (of the percentage, for rates)."""
    return measure.places if measure.places is not None else PLACES.get(measure.unit, 2)


def display_value(measure: Measure, value: Any) -> Any:
    """A value in the units people type and read, rounded once, half up, as every page,
    download and JSON shows it: percentages for rates."""
    if value is None:
        return None
    places = measure_places(measure)
    if measure.is_rate:
        return numbers.percentage(value, places)
    if places == 0 and isinstance(value, int):
        return value
    return numbers.rounded(value, places)


def format_value(measure: Measure, value: Any) -> str:
    if value is None:
        return numbers.DASH
    if measure.key == "permanent_share":
        employed = numbers.percentage(value, 0)
        assert employed is not None
        return f"{employed}:{100 - employed}"
    places = measure_places(measure)
    if measure.is_rate:
        return numbers.percent_text(value, places)
    text = numbers.number_text(value, places)
    return f"{text} years" if measure.unit == Unit.YEARS else text
