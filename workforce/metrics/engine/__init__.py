"""The SQL behind the workforce measures: a few set-based queries for any number of dates.

Every measure is built from *components* (sums and counts over intervals and events). Each
component provider runs one query that answers for every date of a `Timeline` at once:

- `sql`: table names (from the models), dialect expressions, named parameters, rows to values.
- `periods`: `Timeline` (month ends or dates a year apart), the year to a date, buckets.
- `filters`: `MetricsFilter`, which posts a measure covers, as SQL conditions.
- `spells`: spells of employment (a recorded leaving ends one).
- `inpost`: establishment, in post, agency and vacancy FTE; headcounts and length of service.
- `flows`: starters and leavers in the year to each date (census-counted engagements only).
- `absence`: sickness days in the year to each date.
- `registry`: the providers, `register_provider` and `components`.

Everything other code uses is importable from here: `from workforce.metrics import engine`.
"""

from workforce.metrics.engine.absence import sickness
from workforce.metrics.engine.filters import MANY, MetricsFilter
from workforce.metrics.engine.flows import leavers, starters
from workforce.metrics.engine.inpost import establishment_flows, headcounts
from workforce.metrics.engine.periods import (
    Timeline,
    month_end,
    month_ends,
    same_day_last_year,
    year_start,
)
from workforce.metrics.engine.registry import (
    ALSO,
    PROVIDERS,
    PROVIDES,
    components,
    register_provider,
    working_days_per_year,
)
from workforce.metrics.engine.sql import (
    FAR,
    GROUPS,
    Component,
    Params,
    Provider,
    Values,
    _fte,
    _group_expr,
    _groups,
    _in,
    _key,
    placeholders,
)

__all__ = [
    "ALSO",
    "FAR",
    "GROUPS",
    "MANY",
    "PROVIDERS",
    "PROVIDES",
    "Component",
    "MetricsFilter",
    "Params",
    "Provider",
    "Timeline",
    "Values",
    "_fte",
    "_group_expr",
    "_groups",
    "_in",
    "_key",
    "components",
    "establishment_flows",
    "headcounts",
    "leavers",
    "month_end",
    "month_ends",
    "placeholders",
    "register_provider",
    "same_day_last_year",
    "sickness",
    "starters",
    "working_days_per_year",
    "year_start",
]
