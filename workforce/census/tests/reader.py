"""A reader of a CSWW return that knows only the schema: it counts and sums the worker records
and works out the rates as DfE defines them, to set beside the figures layer's values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lxml import etree

from workforce.census.returns import SUMMARY_KEYS
from workforce.core.numbers import rounded

WORKING_DAYS_PER_YEAR = 253  # the figures layer's default (settings.WORKING_DAYS_PER_YEAR)
# How close the reader's figure must be to the figures layer's. FTEs, counts and cases are
# exact; each record's working days lost is rounded to 2 places in the file, so their sum may
# differ from the figures layer's rounded total by half a hundredth for each record and one more
# for the total's own rounding; rates are
# compared to 6 places, the average caseload to 1 as it is shown.
PLACES = {"average_caseload": 1}
RATES = {"turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte", "absence_rate_fte"}


def _sum(records: list[etree._Element], tag: str) -> Decimal:
    return sum((Decimal(w.findtext(tag) or "0") for w in records), Decimal("0.00"))


def _ratio(top: Decimal, bottom: Decimal) -> Decimal | None:
    return top / bottom if bottom else None


def read_back(xml: bytes, year: int) -> dict[str, Any]:
    root = etree.fromstring(xml)
    first, day = dt.date(year - 1, 10, 1), dt.date(year, 9, 30)

    def in_year(w: etree._Element, tag: str) -> bool:
        text = w.findtext(tag)
        return bool(text) and first <= dt.date.fromisoformat(text) <= day

    workers = root.findall("CSWWWorker")
    employed = [w for w in workers if w.findtext("AgencyWorker") == "0"]
    agency = [w for w in workers if w.findtext("AgencyWorker") == "1"]
    in_post = [w for w in employed if w.find("FTE30") is not None]
    starters = [w for w in employed if w.find("StartOrigin") is not None]
    leavers = [w for w in employed if in_year(w, "RoleEndDate")]
    holders = [
        w for w in workers if w.find("FTE30") is not None and int(w.findtext("Cases30") or 0)
    ]
    in_post_fte = _sum(in_post, "FTE30")
    agency_fte = _sum(agency, "FTE30")
    vacancy_fte = Decimal(root.findtext("LALevelVacancies/NumberOfVacancies") or "0")
    leavers_fte = _sum(leavers, "FTE")
    sickness = _sum(employed, "WorkingDaysLost")
    cases = sum(int(w.findtext("Cases30") or 0) for w in holders)
    holder_fte = _sum(holders, "FTE30")
    return {
        "workers": len(workers),
        "in_post_fte": in_post_fte,
        "in_post_headcount": len(in_post),
        "starters_headcount": len(starters),
        "leavers_headcount": len(leavers),
        "leavers_fte": leavers_fte,
        "turnover_rate_fte": _ratio(leavers_fte, in_post_fte),
        "agency_fte": agency_fte,
        "agency_headcount": len(agency),
        "agency_rate_fte": _ratio(agency_fte, agency_fte + in_post_fte),
        "vacancy_fte": vacancy_fte,
        "vacancy_rate_fte": _ratio(vacancy_fte, vacancy_fte + in_post_fte),
        "cases_held": cases,
        "case_holder_fte": holder_fte,
        "average_caseload": _ratio(Decimal(cases), holder_fte),
        "sickness_days": sickness,
        "absence_rate_fte": _ratio(sickness, in_post_fte * WORKING_DAYS_PER_YEAR),
        # The LA-level agency figures, and whether every starter started in the year.
        "la_agency_fte": Decimal(root.findtext("LALevelVacancies/NoAgencyFTE") or "0"),
        "la_agency_headcount": int(root.findtext("LALevelVacancies/NoAgencyHeadcount") or 0),
        "starters_start_in_year": all(in_year(w, "RoleStartDate") for w in starters),
    }


SICKNESS = ("sickness_days", "absence_rate_fte")


def differences(
    read: dict[str, Any], figures: dict[str, Any], *, leave_out: tuple[str, ...] = ()
) -> dict[str, tuple[Any, Any]]:
    """The summary figures where the reader and the figures layer disagree: {key: (read,
    figures)}; empty when they agree."""
    out = {}
    records = read["workers"]
    for key in SUMMARY_KEYS:
        if key in leave_out:
            continue
        mine, theirs = read[key], figures.get(key)
        if mine is None or theirs is None:
            same = (mine is None or mine == 0) and (theirs is None or theirs == 0)
        elif key == "sickness_days":
            same = abs(Decimal(mine) - Decimal(theirs)) <= Decimal("0.005") * (records + 1)
        elif key == "absence_rate_fte":
            tolerance = Decimal("0.005") * (records + 1) / Decimal(read["in_post_fte"])
            same = abs(Decimal(mine) - Decimal(theirs)) <= tolerance / WORKING_DAYS_PER_YEAR
        elif key in RATES:
            same = rounded(mine, 6) == rounded(theirs, 6)
        elif key in PLACES:
            same = rounded(mine, PLACES[key]) == rounded(theirs, PLACES[key])
        else:
            same = Decimal(mine) == Decimal(theirs)
        if not same:
            out[key] = (mine, theirs)
    return out
