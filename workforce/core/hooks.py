"""Events one app announces and others act on, without the announcing app importing them.

An app registers what it does on an event in its `AppConfig.ready()`; the service that records
the event calls every registered hook inside its own transaction, so a hook that refuses (raises
`ValidationError`) undoes the whole event, and what the hooks write is saved with it or not at
all. Hooks write through their own app's services, which audit every change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


# New authorities -----------------------------------------------------------------------------


class NewAuthoritiesHook(Protocol):
    def __call__(self, *, authorities: list[Any]) -> object: ...


_NEW_AUTHORITIES_HOOKS: list[Callable[..., object]] = []
_gathering: ContextVar[list[Any] | None] = ContextVar("new_authorities", default=None)


def on_authorities_added(hook: NewAuthoritiesHook) -> NewAuthoritiesHook:
    """Call `hook(authorities=[…])` with each new authority, so that an app can give it its
    starting records (once, however often registered)."""
    if hook not in _NEW_AUTHORITIES_HOOKS:
        _NEW_AUTHORITIES_HOOKS.append(hook)
    return hook


def authority_saved(sender: object, instance: Model, created: bool, **kwargs: object) -> None:
    """`post_save` of an authority: a new one goes to the hooks at once, or, while
    `authorities_added_together()` is open, with the others at its end."""
    if not created or kwargs.get("raw"):
        return
    gathered = _gathering.get()
    if gathered is not None:
        gathered.append(instance)
        return
    for hook in list(_NEW_AUTHORITIES_HOOKS):
        hook(authorities=[instance])


@contextmanager
def authorities_added_together() -> Iterator[None]:
    """The authorities created inside go to the hooks in one call each when it closes (the list
    of all authorities in England is loaded so in a few statements rather than hundreds)."""
    gathered: list[Any] = []
    token = _gathering.set(gathered)
    try:
        yield
    finally:
        _gathering.reset(token)
    if gathered:
        for hook in list(_NEW_AUTHORITIES_HOOKS):
            hook(authorities=gathered)
