import datetime as dt

import pytest

from workforce.core.periods import month_end, month_ends, month_ends_closing_on


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (dt.date(2025, 1, 1), dt.date(2025, 1, 31)),
        (dt.date(2024, 2, 10), dt.date(2024, 2, 29)),
        (dt.date(2025, 2, 28), dt.date(2025, 2, 28)),
        (dt.date(2025, 4, 30), dt.date(2025, 4, 30)),
        (dt.date(2025, 12, 5), dt.date(2025, 12, 31)),
    ],
)
def test_month_end_is_the_last_day_of_the_month(day, end):
    assert month_end(day) == end


def test_month_ends_run_up_to_and_including_the_end_of_the_month_given():
    assert month_ends(dt.date(2025, 3, 15), 3) == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
    ]


def test_month_ends_cross_a_year_and_a_leap_february():
    assert month_ends(dt.date(2024, 3, 31), 4) == [
        dt.date(2023, 12, 31),
        dt.date(2024, 1, 31),
        dt.date(2024, 2, 29),
        dt.date(2024, 3, 31),
    ]
    assert month_ends(dt.date(2025, 1, 1), 1) == [dt.date(2025, 1, 31)]
    assert len(month_ends(dt.date(2025, 9, 30), 120)) == 120


def test_month_ends_closing_on_end_with_the_date_itself():
    assert month_ends_closing_on(dt.date(2025, 3, 15), 3) == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 15),
    ]
    assert month_ends_closing_on(dt.date(2025, 3, 31), 2) == [
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
    ]
    assert month_ends_closing_on(dt.date(2025, 3, 15), 1) == [dt.date(2025, 3, 15)]
