"""Month ends: the dates every monthly series is built on.

Two kinds of series are used, and the names say which:

- `month_ends(last, months)`: the `months` calendar month ends up to and including the end of
  `last`'s month, oldest first. 15 March 2025 and 3 give 31 January, 28 February, 31 March 2025.
- `month_ends_closing_on(on, months)`: the same months, but the last date is `on` itself (an
  "as at" date part way through its month). 15 March 2025 and 3 give 31 January, 28 February,
  15 March 2025.
"""

from __future__ import annotations

import datetime as dt


def month_end(day: dt.date) -> dt.date:
    """The last day of `day`'s month."""
    if day.month == 12:
        return dt.date(day.year, 12, 31)
    return dt.date(day.year, day.month + 1, 1) - dt.timedelta(days=1)


def month_ends(last: dt.date, months: int) -> list[dt.date]:
    """The `months` month ends up to and including the end of `last`'s month, oldest first."""
    ends = []
    year, month = last.year, last.month
    for _ in range(months):
        ends.append(month_end(dt.date(year, month, 1)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return ends[::-1]


def month_ends_closing_on(on: dt.date, months: int) -> list[dt.date]:
    """The month ends of the `months - 1` months before `on`'s month, then `on` itself."""
    if months < 1:
        return []
    return [*month_ends(on, months)[:-1], on]
