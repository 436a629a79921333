"""Fixtures the URL catalogue's tests share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from workforce.conftest import built_once
from workforce.core.tests.test_url_access import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The catalogue's world of records: built once per module inside a transaction that is
    rolled back afterwards."""
    with built_once(django_db_blocker):
        yield build_world()
