"""The providers of components, and `components`, which runs each one a request needs once.

Every measure is built from components (sums and counts over intervals and events). Each
provider runs one query that answers for every date of a `Timeline` at once. The workforce
providers register here; the caseloads app registers its own with `register_provider`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from django.conf import settings

from workforce.metrics.engine.absence import sickness
from workforce.metrics.engine.filters import MANY, MetricsFilter
from workforce.metrics.engine.flows import leavers, starters
from workforce.metrics.engine.inpost import establishment_flows, headcounts
from workforce.metrics.engine.periods import Timeline
from workforce.metrics.engine.sql import AUTHORITY, Component, Provider, fetch, in_list

PROVIDERS: dict[str, Provider] = {}
PROVIDES: dict[str, str] = {}  # component name -> provider name


def register_provider(name: str, provider: Provider, components: Sequence[str]) -> None:
    PROVIDERS[name] = provider
    for component in components:
        PROVIDES[component] = name


register_provider(
    "establishment",
    establishment_flows,
    ("establishment_fte", "in_post_fte", "agency_fte", "agency_vacancy_fte", "vacancy_fte"),
)
register_provider(
    "headcounts", headcounts, ("in_post_headcount", "agency_headcount", "service_days")
)
register_provider("starters", starters, ("starters_fte", "starters_headcount"))
# Providers that, for the whole filter (no grouping), also give other providers' components.
ALSO: dict[str, tuple[str, ...]] = {"headcounts": ("starters_fte", "starters_headcount")}
register_provider(
    "leavers",
    leavers,
    ("leavers_fte", "leavers_headcount", "early_leavers_fte", "early_leavers_headcount"),
)
register_provider("sickness", sickness, ("sickness_days",))


def working_days_per_year() -> int:
    return int(getattr(settings, "WORKING_DAYS_PER_YEAR", 253))


def _widest(where: MetricsFilter) -> MetricsFilter:
    """The filter marked `every_authority` when its ids cover every authority (all of England):
    then no query needs to check each row's authority."""
    if where.every_authority or len(where.authority_ids) <= MANY:
        return where
    ids, params = in_list("auth", where.authority_ids)
    missing = fetch(f"SELECT COUNT(*) FROM {AUTHORITY} WHERE id NOT IN {ids}", params)[0][0]
    return dataclasses.replace(where, every_authority=True) if missing == 0 else where


def components(
    names: Sequence[str], *, where: MetricsFilter, timeline: Timeline, by: str | None = None
) -> Component:
    """Run each provider needed for `names` once and return every component it gives."""
    out: Component = {}
    where = _widest(where)
    providers = list(dict.fromkeys(PROVIDES[name] for name in names))
    if by is None:
        providers.sort(key=lambda provider: provider not in ALSO)
    for provider in providers:
        if all(name in out for name in names if PROVIDES[name] == provider):
            continue  # given already by a provider that works them out on the way
        out.update(PROVIDERS[provider](where, timeline, by))
    return out
