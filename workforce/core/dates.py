"""Dates as GOV.UK writes them, and reading the dates people type.

Pages and the words of downloads say "1 July 2023" (no leading zero, the month in full) and
times "1 July 2023, 2:05pm". CSV and XLSX cells keep real dates (ISO 8601 in CSV).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

# Every date a form takes lies in these years: records, targets and "as at" dates alike. Outside
# them a date is a slip of the keyboard (0202 for 2020), and date arithmetic near year 1 or
# 9999 would overflow.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


def day_text(value: dt.date | None) -> str:
    """`1 July 2023`."""
    if value is None:
        return "–"
    return f"{value.day} {value:%B %Y}"


def time_text(value: dt.datetime | None) -> str:
    """`1 July 2023, 2:05pm` in local time (midday and midnight by name, as GOV.UK does)."""
    if value is None:
        return "–"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    if value.hour == 12 and value.minute == 0:
        clock = "midday"
    elif value.hour == 0 and value.minute == 0:
        clock = "midnight"
    else:
        clock = f"{value.hour % 12 or 12}:{value:%M}{'am' if value.hour < 12 else 'pm'}"
    return f"{day_text(value.date())}, {clock}"


def month_text(value: dt.date | None) -> str:
    """`July 2023`."""
    return "–" if value is None else f"{value:%B %Y}"


def years_before(day: dt.date, years: int) -> dt.date:
    """The same date `years` earlier; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
