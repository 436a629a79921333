"""Fixtures for the demo generator: a fixed `today` and fast password hashing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

TODAY = dt.date(2025, 9, 30)


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
