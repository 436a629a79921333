"""The establishment table's one figure the census measures lack: (over)/under establishment.

Budgeted FTE less authority-employed and agency FTE, from the same components as the other
establishment measures, so the establishment table, the Teams page and the dashboard all read
one registry. Registered on import (by `EstablishmentConfig.ready()` and by the selectors).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workforce.metrics.measures import REGISTRY, Measure, Unit, register

OVER_UNDER = "over_under_fte"


def _over_under(parts: Mapping[str, Any]) -> Any:
    budget, employed, agency = (
        parts.get("establishment_fte"),
        parts.get("in_post_fte"),
        parts.get("agency_fte"),
    )
    if budget is None or employed is None or agency is None:
        return None
    return budget - employed - agency


def register_establishment_measures() -> None:
    if OVER_UNDER in REGISTRY:
        return
    register(
        Measure(
            OVER_UNDER,
            "(Over)/under establishment",
            Unit.FTE,
            ("establishment_fte", "in_post_fte", "agency_fte"),
            _over_under,
            description=(
                "Budgeted FTE less authority-employed and agency FTE at the date; negative "
                "(shown in brackets) when there are more staff than budget."
            ),
        )
    )


register_establishment_measures()
