"""Demo figures: each demo authority's stored monthly figures, computed once it is built.

Called by the demo generator last of the hooks (`build(authority=..., rng=..., today=...,
scale=...)`), so the first dashboard and the first England-wide series read stored figures
rather than computing them. Nothing random: `rng` is not used.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from workforce.core.models import Authority
from workforce.metrics import stored


def build(*, authority: Authority, rng: Any, today: dt.date, scale: str) -> None:
    stored.refresh(authority.pk, today=today)
