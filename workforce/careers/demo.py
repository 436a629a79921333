"""The demo authority's early careers and retention records: each part of the app adds its
builder to `PARTS`, called in order by the demo generator's hook."""

from __future__ import annotations

import datetime as dt
import importlib

import numpy as np

from workforce.core.models import Authority

PARTS: tuple[str, ...] = (
    "workforce.careers.demo_programmes",
    "workforce.careers.demo_exits",
    "workforce.careers.demo_incentives",
)


def build(*, authority: Authority, rng: np.random.Generator, today: dt.date, scale: str) -> None:
    for name in PARTS:
        importlib.import_module(name).build(authority=authority, rng=rng, today=today, scale=scale)
