"""Rounding figures for people to read: once, half up, at the point of display.

Measures keep their figures exact (integers, or Decimals from exact division). Pages, CSV, XLSX
and JSON all round here, so a figure reads the same wherever it appears: 22.655% is 22.7%,
1.25 to one place is 1.3, and 0.125 to two places is 0.13 (halves go up, never to even).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

DASH = "–"  # what an empty figure shows


def exact(value: Any) -> Decimal | None:
    """A value as a Decimal without losing anything (floats through their shortest text)."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def rounded(value: Any, places: int = 0) -> Decimal | None:
    """`value` rounded half up to `places` decimal places (None stays None)."""
    number = exact(value)
    if number is None:
        return None
    result = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return result + 0  # never "-0.0"


def percentage(fraction: Any, places: int = 1) -> Decimal | None:
    """A fraction (0.22655) as a percentage rounded half up (22.7)."""
    number = exact(fraction)
    return None if number is None else rounded(number * 100, places)


def number_text(value: Any, places: int = 0) -> str:
    """A figure with thousands separators, rounded half up: 12,345.7."""
    result = rounded(value, places)
    return DASH if result is None else f"{result:,.{places}f}"


def count_text(value: Any) -> str:
    """A count with thousands separators: 1,234."""
    return number_text(value, 0)


def percent_text(fraction: Any, places: int = 1) -> str:
    """A fraction as a percentage for reading: 0.22655 is "22.7%"."""
    result = percentage(fraction, places)
    return DASH if result is None else f"{result:,.{places}f}%"
