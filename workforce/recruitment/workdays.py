"""English (England and Wales) bank holidays and working days, as pure functions.

Service levels such as "a training pack within 5 working days of recommendation" count working
days: Monday to Friday, less bank holidays. The rules below give the regular holidays with their
substitute days; `ONE_OFF` and `MOVED` hold the royal and national exceptions.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

DAY = dt.timedelta(days=1)
MONDAY, FRIDAY, SATURDAY, SUNDAY = 0, 4, 5, 6

# Extra holidays declared for one year only.
ONE_OFF: frozenset[dt.date] = frozenset(
    {
        dt.date(1999, 12, 31),  # millennium
        dt.date(2002, 6, 3),  # Golden Jubilee
        dt.date(2011, 4, 29),  # royal wedding
        dt.date(2012, 6, 5),  # Diamond Jubilee
        dt.date(2022, 6, 3),  # Platinum Jubilee
        dt.date(2022, 9, 19),  # state funeral of Queen Elizabeth II
        dt.date(2023, 5, 8),  # coronation of King Charles III
    }
)

# Regular holidays moved in a given year: (year, which) -> the day it was taken instead.
MOVED: dict[tuple[int, str], dt.date] = {
    (1995, "early_may"): dt.date(1995, 5, 8),  # VE Day 50th anniversary
    (2020, "early_may"): dt.date(2020, 5, 8),  # VE Day 75th anniversary
    (2002, "spring"): dt.date(2002, 6, 4),
    (2012, "spring"): dt.date(2012, 6, 4),
    (2022, "spring"): dt.date(2022, 6, 2),
}


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(MONDAY - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - DAY
    return last - dt.timedelta(days=(last.weekday() - MONDAY) % 7)


def _next_weekday(day: dt.date) -> dt.date:
    while day.weekday() >= SATURDAY:
        day += DAY
    return day


@lru_cache(maxsize=256)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """Every bank holiday in England and Wales in `year`, substitute days included."""
    easter = easter_sunday(year)
    days = {
        _next_weekday(dt.date(year, 1, 1)),  # New Year's Day, or the Monday after
        easter - 2 * DAY,  # Good Friday
        easter + DAY,  # Easter Monday
        MOVED.get((year, "early_may"), _first_monday(year, 5)),
        MOVED.get((year, "spring"), _last_monday(year, 5)),
        _last_monday(year, 8),  # summer bank holiday (England and Wales)
    }
    # Christmas Day and Boxing Day: each falling at a weekend moves to the next free weekday.
    for holiday in (dt.date(year, 12, 25), dt.date(year, 12, 26)):
        day = _next_weekday(holiday)
        while day in days:
            day = _next_weekday(day + DAY)
        days.add(day)
    days.update(d for d in ONE_OFF if d.year == year)
    return frozenset(days)


def is_bank_holiday(day: dt.date) -> bool:
    return day in bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and not is_bank_holiday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (`start` itself is day 0).

    "Within 5 working days of Monday 5 May 2025" (a bank holiday) is Monday 12 May.
    """
    if days < 0:
        raise ValueError("days must be 0 or more")
    day = start
    counted = 0
    while counted < days:
        day += DAY
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count = 0
    day = start
    while day < end:
        day += DAY
        if is_working_day(day):
            count += 1
    return count
