"""Every measure the comparison of authorities uses, in one place: where DfE publishes it (the
publication and the column of its file), its unit, and whether a higher value is better.

A published value's `measure` key is `"<publication>.<column>"` for the wide files (one column
a measure); the children looked after file is long (one row a measure), and its keys are named
in `CLA_SWCOUNT_ROWS`. A rate's `numerator` and `denominator` name the measures it is worked
out from, as DfE defines it; `tests/test_published_rates.py` checks every published rate
against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from workforce.benchmarks.models import Publication


class Unit(StrEnum):
    PERCENT = "percent"
    FTE = "fte"  # full-time equivalent, to one decimal place
    COUNT = "count"  # people, cases or children
    RATIO = "ratio"  # cases per case-holding social worker
    DAYS = "days"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    publication: Publication
    column: str
    unit: Unit
    # True: higher is better; False: lower is better; None: neither (a count, a size).
    higher_is_better: bool | None
    numerator: str = ""  # for a rate: the measure on top
    denominator: tuple[str, ...] = ()  # ... and those added together underneath
    note: str = ""

    @property
    def is_rate(self) -> bool:
        return bool(self.numerator)


def _csww(
    column: str,
    label: str,
    unit: Unit,
    better: bool | None,
    *,
    numerator: str = "",
    denominator: tuple[str, ...] = (),
    note: str = "",
) -> Measure:
    return Measure(
        f"csww.{column}",
        label,
        Publication.CSWW,
        column,
        unit,
        better,
        numerator,
        denominator,
        note,
    )


def _c1(
    column: str,
    label: str,
    unit: Unit,
    better: bool | None,
    *,
    numerator: str = "",
    denominator: tuple[str, ...] = (),
) -> Measure:
    return Measure(
        f"cin_c1.{column}", label, Publication.CIN_C1, column, unit, better, numerator, denominator
    )


def _b1(column: str, label: str, unit: Unit, better: bool | None) -> Measure:
    return Measure(f"cin_b1.{column}", label, Publication.CIN_B1, column, unit, better)


# The long children looked after file: (sw_stability, column) → measure key.
CLA_SWCOUNT_ROWS = {
    ("Total children", "number"): "cla_swcount.children",
    ("3 or more social workers during the year", "number"): "cla_swcount.three_plus_sw",
    ("3 or more social workers during the year", "percentage"): "cla_swcount.three_plus_sw_rate",
}

MEASURES: tuple[Measure, ...] = (
    # Children's social work workforce (census at 30 September of the year).
    _csww("inpost_fte", "Social workers in post (FTE)", Unit.FTE, None),
    _csww("inpost_headcount", "Social workers in post (headcount)", Unit.COUNT, None),
    _csww("starters_fte", "Starters (FTE)", Unit.FTE, None),
    _csww("starters_headcount", "Starters (headcount)", Unit.COUNT, None),
    _csww("leavers_fte", "Leavers (FTE)", Unit.FTE, None),
    _csww("leavers_headcount", "Leavers (headcount)", Unit.COUNT, None),
    _csww(
        "turnover_rate_fte",
        "Turnover rate (FTE)",
        Unit.PERCENT,
        False,
        numerator="csww.leavers_fte",
        denominator=("csww.inpost_fte",),
        note="Leavers in the year over social workers in post at 30 September.",
    ),
    _csww(
        "turnover_rate_headcount",
        "Turnover rate (headcount)",
        Unit.PERCENT,
        False,
        numerator="csww.leavers_headcount",
        denominator=("csww.inpost_headcount",),
    ),
    _csww("agency_fte", "Agency workers (FTE)", Unit.FTE, None),
    _csww("agency_headcount", "Agency workers (headcount)", Unit.COUNT, None),
    _csww(
        "agency_rate_fte",
        "Agency worker rate (FTE)",
        Unit.PERCENT,
        False,
        numerator="csww.agency_fte",
        denominator=("csww.agency_fte", "csww.inpost_fte"),
        note="Agency workers over agency workers and social workers in post.",
    ),
    _csww(
        "agency_rate_headcount",
        "Agency worker rate (headcount)",
        Unit.PERCENT,
        False,
        numerator="csww.agency_headcount",
        denominator=("csww.agency_headcount", "csww.inpost_headcount"),
    ),
    _csww("agency_cover_fte", "Agency workers covering vacancies (FTE)", Unit.FTE, None),
    _csww(
        "agency_cover_rate_fte",
        "Agency workers covering vacancies, share of agency workers",
        Unit.PERCENT,
        None,
        numerator="csww.agency_cover_fte",
        denominator=("csww.agency_fte",),
    ),
    _csww("vacancy_fte", "Vacancies (FTE)", Unit.FTE, None),
    _csww(
        "vacancy_rate_fte",
        "Vacancy rate (FTE)",
        Unit.PERCENT,
        False,
        numerator="csww.vacancy_fte",
        denominator=("csww.vacancy_fte", "csww.inpost_fte"),
        note="Vacancies over vacancies and social workers in post.",
    ),
    _csww(
        "vacancy_agency_cover_rate_fte",
        "Vacancies covered by agency workers",
        Unit.PERCENT,
        None,
        numerator="csww.agency_cover_fte",
        denominator=("csww.vacancy_fte",),
    ),
    _csww("case_holders_fte", "Case-holding social workers (FTE)", Unit.FTE, None),
    _csww("cases", "Cases held", Unit.COUNT, None),
    _csww(
        "caseload_fte",
        "Average caseload (cases per FTE case holder)",
        Unit.RATIO,
        False,
        numerator="csww.cases",
        denominator=("csww.case_holders_fte",),
    ),
    _csww("working_days_lost_fte", "Working days lost to sickness (FTE)", Unit.DAYS, None),
    _csww(
        "absence_rate_fte",
        "Sickness absence rate",
        Unit.PERCENT,
        False,
        note=(
            "Working days lost over the working days of the FTE in post in the year: DfE's "
            "working days in the year are not published beside it, so it is not worked out "
            "here from its counts (see docs/benchmarks.md)."
        ),
    ),
    # Children in need: referrals (year to 31 March).
    _c1("referral_count", "Referrals", Unit.COUNT, None),
    _c1("rereferral_count", "Re-referrals within 12 months", Unit.COUNT, None),
    _c1(
        "rereferral_percent",
        "Re-referral rate",
        Unit.PERCENT,
        False,
        numerator="cin_c1.rereferral_count",
        denominator=("cin_c1.referral_count",),
    ),
    _c1("referral_child_count", "Children referred", Unit.COUNT, None),
    _c1("rereferral_child_count", "Children re-referred within 12 months", Unit.COUNT, None),
    _c1(
        "rereferral_child_percent",
        "Re-referral rate (children)",
        Unit.PERCENT,
        False,
        numerator="cin_c1.rereferral_child_count",
        denominator=("cin_c1.referral_child_count",),
    ),
    _c1("no_further_action_count", "Referrals with no further action", Unit.COUNT, None),
    _c1(
        "no_further_action_percent",
        "Referrals with no further action (share)",
        Unit.PERCENT,
        None,
        numerator="cin_c1.no_further_action_count",
        denominator=("cin_c1.referral_count",),
    ),
    _c1("not_in_need_count", "Assessed as not in need", Unit.COUNT, None),
    _c1(
        "not_in_need_percent",
        "Assessed as not in need (share of referrals)",
        Unit.PERCENT,
        None,
        numerator="cin_c1.not_in_need_count",
        denominator=("cin_c1.referral_count",),
    ),
    # Children in need: episodes (year to 31 March).
    _b1("Anypoint_episodes", "Children in need episodes in the year", Unit.COUNT, None),
    _b1("Anypoint_child", "Children in need at any point in the year", Unit.COUNT, None),
    _b1("Started_episodes", "Episodes started", Unit.COUNT, None),
    _b1("Started_child", "Children starting an episode", Unit.COUNT, None),
    _b1("Ended_episodes", "Episodes ended", Unit.COUNT, None),
    _b1("Ended_child", "Children ending an episode", Unit.COUNT, None),
    _b1("At31_episodes", "Children in need at 31 March", Unit.COUNT, None),
    _b1("awaiting_assessment", "Awaiting assessment at 31 March", Unit.COUNT, None),
    # Children looked after at 31 March, social workers during the year.
    Measure(
        "cla_swcount.children",
        "Children looked after at 31 March",
        Publication.CLA_SWCOUNT,
        "number",
        Unit.COUNT,
        None,
    ),
    Measure(
        "cla_swcount.three_plus_sw",
        "Children looked after with 3 or more social workers in the year",
        Publication.CLA_SWCOUNT,
        "number",
        Unit.COUNT,
        None,
    ),
    Measure(
        "cla_swcount.three_plus_sw_rate",
        "Children looked after with 3 or more social workers in the year (share)",
        Publication.CLA_SWCOUNT,
        "percentage",
        Unit.PERCENT,
        False,
        numerator="cla_swcount.three_plus_sw",
        denominator=("cla_swcount.children",),
        note="Published as a whole number per cent.",
    ),
)

BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}

# The wide files' measure columns, in file order, for each publication.
COLUMNS: dict[Publication, tuple[str, ...]] = {
    publication: tuple(m.column for m in MEASURES if m.publication == publication)
    for publication in (Publication.CSWW, Publication.CIN_B1, Publication.CIN_C1)
}

# The headline measures the comparison page names, by what a reader asks for.
HEADLINES: dict[str, str] = {
    "turnover": "csww.turnover_rate_fte",
    "agency": "csww.agency_rate_fte",
    "vacancy": "csww.vacancy_rate_fte",
    "caseload": "csww.caseload_fte",
    "absence": "csww.absence_rate_fte",
    "starters": "csww.starters_fte",
    "leavers": "csww.leavers_fte",
    "referrals": "cin_c1.referral_count",
    "rereferrals": "cin_c1.rereferral_percent",
    "three_plus_social_workers": "cla_swcount.three_plus_sw_rate",
}


def measure(key: str) -> Measure:
    return BY_KEY[key]
