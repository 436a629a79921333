"""Who carries less than a full caseload on a date, as other apps say, without caseloads
importing them.

An app registers a rule in its `AppConfig.ready()`: given authorities and a date, the share of
their capacity (a percentage) some workers carry then. A worker's capacity is their role's points
times their FTE times that share, in place of the ASYE reduction; when several rules name a
worker, the lowest share applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

CapacityRule = Callable[..., Mapping[int, int]]

_RULES: list[CapacityRule] = []


def register_capacity_rule(rule: CapacityRule) -> CapacityRule:
    """Call `rule(authority_ids=…, on=…)` for each workload worked out (once, however often
    registered): it answers {worker id: percent of capacity}."""
    if rule not in _RULES:
        _RULES.append(rule)
    return rule


def capacity_percents(*, authority_ids: Sequence[int], on: dt.date) -> dict[int, int]:
    """The share of capacity each worker named by a rule carries on `on`."""
    percents: dict[int, int] = {}
    for rule in list(_RULES):
        for worker_id, percent in rule(authority_ids=tuple(authority_ids), on=on).items():
            percents[worker_id] = min(percent, percents.get(worker_id, percent))
    return percents
