"""Figures are rounded once, half up, when shown."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workforce.core import numbers
from workforce.core.templatetags import govuk


@pytest.mark.parametrize(
    ("fraction", "places", "shown"),
    [
        (Decimal("0.22655"), 1, "22.7%"),  # not 22.6% (rounding to 4 places first gave 0.2265)
        (Decimal("0.0125"), 1, "1.3%"),  # a half goes up, not to the even 1.2%
        (Decimal("0.00125"), 2, "0.13%"),
        (Decimal("0.5"), 0, "50%"),
        (Decimal("0.845"), 0, "85%"),
        (Decimal("0.8449"), 0, "84%"),  # rounding once: 84.49% is 84%, never 84.5% then 85%
        (Decimal(1) / Decimal(3), 1, "33.3%"),
        (Decimal(-1) / Decimal(2000), 1, "-0.1%"),
        (None, 1, "–"),
    ],
)
def test_percentages_round_once_half_up(fraction, places, shown):
    assert numbers.percent_text(fraction, places) == shown
    assert govuk.percent(fraction, places) == shown


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("1.25"), 1, Decimal("1.3")),
        (Decimal("0.125"), 2, Decimal("0.13")),
        (Decimal("2.5"), 0, Decimal("3")),
        (Decimal("-1.25"), 1, Decimal("-1.3")),  # half away from zero
        (1.25, 1, Decimal("1.3")),  # a float rounds by its shortest text, not its binary value
        (2.675, 2, Decimal("2.68")),
        (Decimal("-0.04"), 1, Decimal("0.0")),
        (None, 1, None),
    ],
)
def test_rounded_is_half_up(value, places, expected):
    result = numbers.rounded(value, places)
    assert result == expected
    if result is not None:
        assert str(result) == str(expected)


def test_counts_and_figures_have_thousands_separators():
    assert numbers.count_text(1234567) == "1,234,567"
    assert govuk.count(12345) == "12,345"
    assert govuk.count(None) == "–"
    assert govuk.number(Decimal("12345.65"), 1) == "12,345.7"
    assert govuk.fte(Decimal("1234.125")) == "1,234.13"
    assert govuk.bracketed(Decimal("-0.125")) == "(0.13)"
