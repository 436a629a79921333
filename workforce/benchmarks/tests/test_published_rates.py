"""Every rate DfE publishes, worked out again from the counts published beside it, agrees within
rounding wherever both are published: so the definitions in `measures.py` are DfE's.

Within rounding: a rate is published to one decimal place (the children looked after share to a
whole number), FTE counts to one decimal place and children in need counts to the nearest ten;
the rate agrees when it lies in the range its rounded counts allow, widened by its own rounding.

Where DfE's rate is not the ratio of its own published counts, the row is listed in `NOT_RATIO`,
exactly: all of them are England or regional rows. DfE works out those rates leaving out the
authorities whose figures it did not publish, while the counts beside them include all of them
(docs/benchmarks.md).

The sickness absence rate is working days lost over the FTE in post times the working days in
the year, which DfE does not publish: every authority's published rate fits 253 working days,
and 254 in 2020 and 2024 (`WORKING_DAYS`).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from workforce.benchmarks import importers, measures
from workforce.benchmarks.models import Publication
from workforce.benchmarks.services import REFERENCE
from workforce.imports.base import Outcome

FILES = Path(__file__).resolve().parent / "files"
STATISTICS = {
    Publication.CSWW: "csww_indicators_2017_to_2025.csv",
    Publication.CIN_B1: "b1_children_in_need_2013_to_2025.csv",
    Publication.CIN_C1: "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    Publication.CLA_SWCOUNT: "la_cla_swcount.csv",
}
# Working days in the census year (October to September) that DfE's absence rate divides by.
WORKING_DAYS = {2020: 254, 2024: 254}
DEFAULT_WORKING_DAYS = 253

# (measure, area code, year): DfE's published rate is not the ratio of its published counts.
NOT_RATIO = {
    ("csww.turnover_rate_fte", "E92000001", 2022),
    ("csww.turnover_rate_fte", "E92000001", 2024),
    ("csww.turnover_rate_fte", "E12000001", 2022),
    ("csww.turnover_rate_fte", "E12000001", 2024),
    ("csww.turnover_rate_headcount", "E92000001", 2022),
    ("csww.turnover_rate_headcount", "E12000001", 2022),
    ("csww.agency_rate_fte", "E92000001", 2023),
    ("csww.agency_rate_fte", "E92000001", 2024),
    ("csww.agency_rate_fte", "E12000005", 2024),
    ("csww.agency_rate_fte", "E12000007", 2023),
    ("csww.agency_rate_fte", "E13000002", 2023),
    ("csww.agency_rate_headcount", "E92000001", 2024),
    ("csww.agency_rate_headcount", "E12000005", 2024),
    ("csww.agency_cover_rate_fte", "E92000001", 2017),
    ("csww.agency_cover_rate_fte", "E92000001", 2023),
    ("csww.agency_cover_rate_fte", "E92000001", 2024),
    ("csww.agency_cover_rate_fte", "E12000005", 2024),
    ("csww.agency_cover_rate_fte", "E12000007", 2017),
    ("csww.agency_cover_rate_fte", "E12000007", 2023),
    ("csww.agency_cover_rate_fte", "E12000008", 2017),
    ("csww.agency_cover_rate_fte", "E13000002", 2017),
    ("csww.agency_cover_rate_fte", "E13000002", 2023),
    ("csww.vacancy_agency_cover_rate_fte", "E92000001", 2017),
    ("csww.vacancy_agency_cover_rate_fte", "E92000001", 2018),
    ("csww.vacancy_agency_cover_rate_fte", "E92000001", 2024),
    ("csww.vacancy_agency_cover_rate_fte", "E12000005", 2024),
    ("csww.vacancy_agency_cover_rate_fte", "E12000007", 2017),
    ("csww.vacancy_agency_cover_rate_fte", "E12000007", 2018),
    ("csww.vacancy_agency_cover_rate_fte", "E12000008", 2017),
    ("csww.vacancy_agency_cover_rate_fte", "E13000002", 2017),
    ("csww.vacancy_agency_cover_rate_fte", "E13000002", 2018),
    ("csww.absence_rate_fte", "E92000001", 2023),
    ("csww.absence_rate_fte", "E92000001", 2024),
    ("csww.absence_rate_fte", "E12000002", 2023),
    ("csww.absence_rate_fte", "E12000005", 2024),
    ("csww.absence_rate_fte", "E12000006", 2023),
    ("csww.absence_rate_fte", "E12000009", 2024),
}

Values = dict[tuple[str, int, str], Decimal | None]


def values_of(path: Path) -> Values:
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    outcome = Outcome()
    parsed = importers.parse(importers.recognise(header), reader, outcome)
    assert not outcome.error_count, outcome.errors[:3]
    return {(code, year, key): value for code, year, key, value, _ in parsed.values}


def half_unit(key: str) -> Decimal:
    """Half the unit a count is published to: the most rounding can have moved it."""
    m = measures.measure(key)
    if m.publication != Publication.CSWW:
        return Decimal(5)  # children in need and looked after counts: to the nearest ten
    return Decimal("0.05") if m.unit in (measures.Unit.FTE, measures.Unit.DAYS) else Decimal(0)


def rate_agrees(
    rate: Decimal, top: Decimal, parts: list[Decimal], keys: tuple[str, ...], m: measures.Measure
) -> bool:
    """Whether `rate` lies in the range the rounded counts allow, widened by its own rounding."""
    bottom = sum(parts, Decimal(0))
    top_slack = half_unit(m.numerator)
    bottom_slack = sum((half_unit(k) for k in keys), Decimal(0))
    scale = 1 if m.unit == measures.Unit.RATIO else 100
    own = Decimal("0.5") if m.publication == Publication.CLA_SWCOUNT else Decimal("0.05")
    low = max(top - top_slack, Decimal(0)) / (bottom + bottom_slack) * scale
    high_bottom = bottom - bottom_slack
    if high_bottom <= 0:
        return True  # the counts allow any rate
    high = (top + top_slack) / high_bottom * scale
    return low - own <= rate <= high + own


def disagreements(values: Values) -> tuple[set[tuple[str, str, int]], int]:
    """The rows where a published rate is not the ratio of its counts, and how many agreed."""
    found, agreed = set(), 0
    for (code, year, key), rate in values.items():
        m = measures.measure(key)
        if rate is None:
            continue
        if key == "csww.absence_rate_fte":
            days = WORKING_DAYS.get(year, DEFAULT_WORKING_DAYS)
            top = values.get((code, year, "csww.working_days_lost_fte"))
            fte = values.get((code, year, "csww.inpost_fte"))
            if top is None or fte is None or not fte:
                continue
            low = (top - Decimal("0.05")) / ((fte + Decimal("0.05")) * days) * 100
            high = (top + Decimal("0.05")) / ((fte - Decimal("0.05")) * days) * 100
            if low - Decimal("0.05") <= rate <= high + Decimal("0.05"):
                agreed += 1
            else:
                found.add((key, code, year))
            continue
        if not m.is_rate:
            continue
        top = values.get((code, year, m.numerator))
        parts = [values.get((code, year, k)) for k in m.denominator]
        if top is None or any(p is None for p in parts):
            continue
        if rate_agrees(rate, top, [p for p in parts if p is not None], m.denominator, m):
            agreed += 1
        else:
            found.add((key, code, year))
    return found, agreed


def test_every_rate_in_dfe_files_is_the_ratio_of_its_counts_but_the_listed_rows() -> None:
    found: set[tuple[str, str, int]] = set()
    agreed = 0
    for name in STATISTICS.values():
        more, n = disagreements(values_of(REFERENCE / name))
        found |= more
        agreed += n
    assert found == NOT_RATIO
    # Every listed row is England or a region: no authority's published rate disagrees.
    assert all(code.startswith("E1") or code.startswith("E9") for _, code, _ in NOT_RATIO)
    assert agreed > 20_000  # the rates checked, so that the test cannot pass by checking none


@pytest.mark.parametrize("name", ["csww_small.csv", "csww_small_revised.csv"])
def test_hand_made_files_rates_are_ratios_of_their_counts(name: str) -> None:
    found, agreed = disagreements(values_of(FILES / name))
    assert found == set()
    assert agreed > 0


def test_every_rate_measure_names_measures_that_exist() -> None:
    for m in measures.MEASURES:
        for key in (m.numerator, *m.denominator):
            if key:
                assert key in measures.BY_KEY, (m.key, key)
    for key in measures.HEADLINES.values():
        assert key in measures.BY_KEY
