import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workforce.recruitment.workdays import (
    add_working_days,
    bank_holidays,
    easter_sunday,
    is_working_day,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2000, D(2000, 4, 23)),
        (2008, D(2008, 3, 23)),
        (2011, D(2011, 4, 24)),
        (2019, D(2019, 4, 21)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_easter_sunday_matches_published_dates(year, easter):
    assert easter_sunday(year) == easter


def test_2024_bank_holidays_are_the_published_eight():
    assert sorted(bank_holidays(2024)) == [
        D(2024, 1, 1),
        D(2024, 3, 29),
        D(2024, 4, 1),
        D(2024, 5, 6),
        D(2024, 5, 27),
        D(2024, 8, 26),
        D(2024, 12, 25),
        D(2024, 12, 26),
    ]


def test_2022_includes_jubilee_moved_spring_holiday_funeral_and_christmas_substitute():
    assert sorted(bank_holidays(2022)) == [
        D(2022, 1, 3),  # New Year's Day was a Saturday
        D(2022, 4, 15),
        D(2022, 4, 18),
        D(2022, 5, 2),
        D(2022, 6, 2),  # spring bank holiday moved
        D(2022, 6, 3),  # Platinum Jubilee
        D(2022, 8, 29),
        D(2022, 9, 19),  # state funeral
        D(2022, 12, 26),  # Boxing Day (Christmas was a Sunday)
        D(2022, 12, 27),  # substitute for Christmas Day
    ]


def test_christmas_on_saturday_moves_both_holidays_to_monday_and_tuesday():
    holidays = bank_holidays(2021)
    assert D(2021, 12, 27) in holidays and D(2021, 12, 28) in holidays
    assert D(2021, 12, 25) not in holidays


def test_christmas_on_friday_moves_boxing_day_to_monday():
    holidays = bank_holidays(2026)
    assert {D(2026, 12, 25), D(2026, 12, 28)} <= holidays
    assert D(2026, 12, 26) not in holidays


def test_new_year_on_sunday_is_taken_on_monday_and_coronation_2023():
    holidays = bank_holidays(2023)
    assert D(2023, 1, 2) in holidays and D(2023, 5, 8) in holidays and len(holidays) == 9


def test_early_may_2020_moved_to_ve_day_friday():
    holidays = bank_holidays(2020)
    assert D(2020, 5, 8) in holidays and D(2020, 5, 4) not in holidays


def test_five_working_days_from_a_friday_skip_the_weekend():
    assert add_working_days(D(2025, 3, 7), 5) == D(2025, 3, 14)


def test_five_working_days_skip_easter():
    # Thursday 17 April 2025; Good Friday 18 and Easter Monday 21 April are holidays.
    assert add_working_days(D(2025, 4, 17), 5) == D(2025, 4, 28)


def test_five_working_days_over_christmas_2026():
    # Wednesday 23 Dec; 24, then 25 and 28 are holidays, 29, 30, 31, and 1 Jan is a holiday.
    assert add_working_days(D(2026, 12, 23), 5) == D(2027, 1, 4)


def test_zero_working_days_is_the_same_day():
    assert add_working_days(D(2025, 5, 5), 0) == D(2025, 5, 5)


def test_weekends_and_holidays_are_not_working_days():
    assert not is_working_day(D(2025, 5, 5))  # early May bank holiday
    assert not is_working_day(D(2025, 5, 10))  # Saturday
    assert is_working_day(D(2025, 5, 6))


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 1)), st.integers(0, 60))
def test_adding_working_days_lands_on_a_working_day_that_many_working_days_later(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)


@given(st.integers(1990, 2060))
def test_every_year_has_at_least_eight_weekday_holidays(year):
    holidays = bank_holidays(year)
    assert len(holidays) >= 8
    assert all(d.weekday() < 5 for d in holidays)
