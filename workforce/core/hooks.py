"""Events one app announces and others act on, without the announcing app importing them.

An app registers what it does on an event in its `AppConfig.ready()`; the service that records
the event calls every registered hook inside its own transaction, so a hook that refuses (raises
`ValidationError`) undoes the whole event, and what the hooks write is saved with it or not at
all. Hooks write through their own app's services, which audit every change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from django.db.models import Model


class LeaverHook(Protocol):
    def __call__(self, *, worker: Any, last_day: dt.date) -> object: ...


_LEAVER_HOOKS: list[Callable[..., object]] = []


def on_leaver_recorded(hook: LeaverHook) -> LeaverHook:
    """Call `hook(worker=…, last_day=…)` whenever a leaver is recorded (once, however often
    registered)."""
    if hook not in _LEAVER_HOOKS:
        _LEAVER_HOOKS.append(hook)
    return hook


def leaver_recorded(*, worker: Model, last_day: dt.date) -> None:
    """Run the leaver hooks: called by `establishment.services.record_leaver` in its transaction."""
    for hook in list(_LEAVER_HOOKS):
        hook(worker=worker, last_day=last_day)
