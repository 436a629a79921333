"""Pay compared: the comparison against medians worked out by hand, which grade and which entry
count on a date, the refusals of bad input, and the board report section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from workforce.benchmarks import report_pay
from workforce.benchmarks import selectors_pay as selectors
from workforce.benchmarks import services_pay as services
from workforce.benchmarks.models.pay import ComparatorPay, PayGrade
from workforce.conftest import Personas
from workforce.core.access import scope_for
from workforce.core.models import Authority
from workforce.core.tests.factories import AuthorityFactory
from workforce.establishment.models import Role
from workforce.establishment.tests.factories import RoleFactory
from workforce.reports.document import Audience, Note, Paragraph, TableBlock
from workforce.reports.sections import ReportContext, section_for

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 6, 30)
MAY = dt.date(2025, 5, 1)
SOURCE = "Regional benchmarking exercise, May 2025"


def grade(role: Role, name: str, low: str, high: str, start: dt.date) -> PayGrade:
    return services.add_pay_grade(
        authority=role.authority,
        role=role,
        grade=name,
        minimum=Decimal(low),
        maximum=Decimal(high),
        effective_from=start,
    )


def entry(
    role: Role,
    comparator: Authority,
    low: str,
    high: str,
    on: dt.date = MAY,
    *,
    name: str = "",
    source: str = SOURCE,
    **more: Any,
) -> ComparatorPay:
    return services.add_comparator_pay(
        authority=role.authority,
        comparator=comparator,
        role=role,
        grade=name,
        minimum=Decimal(low),
        maximum=Decimal(high),
        applies_on=on,
        source=source,
        **more,
    )


@pytest.fixture
def neighbours(db: None) -> list[Authority]:
    return [
        AuthorityFactory(code=code, name=name)
        for code, name in (
            ("101", "Ashford"),
            ("102", "Brockley"),
            ("103", "Carrow"),
            ("104", "Dunmore"),
        )
    ]


@pytest.fixture
def social_worker(personas: Personas) -> Role:
    return RoleFactory(authority=personas.lead.authority, title="Social worker", order=50)


@pytest.fixture
def team_manager(personas: Personas) -> Role:
    return RoleFactory(
        authority=personas.lead.authority, title="Team manager", order=30, org_role="3"
    )


@pytest.fixture
def recorded(
    personas: Personas, neighbours: list[Authority], social_worker: Role, team_manager: Role
) -> None:
    """Social worker: ours SW3 £37,000 to £42,500 (an older range and a future one too) and four
    comparators. Team manager: ours M1 £48,500 to £53,000 and three comparators."""
    ashford, brockley, carrow, dunmore = neighbours
    grade(social_worker, "SW3", "35900", "41250", dt.date(2024, 4, 1))  # before the award
    grade(social_worker, "SW3", "37000", "42500", dt.date(2025, 4, 1))
    grade(social_worker, "SW3", "38000", "43500", dt.date(2025, 10, 1))  # not yet in effect
    entry(social_worker, ashford, "36000", "41000")
    entry(
        social_worker,
        brockley,
        "38500",
        "43000",
        incentive_kind="market_supplement",
        incentive_amount=Decimal("2000"),
    )
    entry(social_worker, carrow, "36500", "42000")
    entry(social_worker, dunmore, "37500", "41500")
    entry(social_worker, dunmore, "30000", "33000", dt.date(2023, 5, 1))  # older: history
    entry(social_worker, carrow, "50000", "60000", dt.date(2025, 9, 1))  # after the date
    grade(team_manager, "M1", "48500", "53000", dt.date(2025, 4, 1))
    entry(team_manager, ashford, "47000", "51000")
    entry(team_manager, brockley, "50000", "55500")
    # Carrow gave two grades for team managers on the same date: its range spans both.
    entry(team_manager, carrow, "48000", "50000", name="J")
    entry(team_manager, carrow, "49500", "52500", name="K")


def comparisons(personas: Personas, on: dt.date = ON) -> dict[str, selectors.RoleComparison]:
    found = selectors.pay_comparison(scope_for(personas.lead), on=on)
    return {c.role.title: c for c in found}


def test_the_medians_and_where_we_sit_by_hand(personas: Personas, recorded: None) -> None:
    found = comparisons(personas)
    sw = found["Social worker"]
    # Minimums 36,000 36,500 37,500 38,500: the mean of the middle two is 37,000.
    # Maximums 41,000 41,500 42,000 43,000: the mean of the middle two is 41,750.
    assert [c.authority.name for c in sw.comparators] == [
        "Ashford",
        "Brockley",
        "Carrow",
        "Dunmore",
    ]
    assert (sw.own_minimum, sw.own_maximum) == (Decimal("37000"), Decimal("42500"))
    assert (sw.median_minimum, sw.median_maximum) == (Decimal("37000.00"), Decimal("41750.00"))
    assert (sw.minimum_gap, sw.maximum_gap) == (Decimal("0.00"), Decimal("750.00"))
    assert sw.position == "Minimum at, maximum above the median"
    tm = found["Team manager"]
    # Minimums 47,000 48,000 (Carrow: the lower of J and K) 50,000: the middle is 48,000.
    # Maximums 51,000 52,500 (Carrow: the higher) 55,500: the middle is 52,500.
    assert (tm.median_minimum, tm.median_maximum) == (Decimal("48000.00"), Decimal("52500.00"))
    assert (tm.minimum_gap, tm.maximum_gap) == (Decimal("500.00"), Decimal("500.00"))
    assert tm.position == "Above the median"
    # Roles in their order (team manager 30, social worker 50).
    assert list(found) == ["Team manager", "Social worker"]


def test_an_earlier_date_takes_the_grades_and_entries_in_effect_then(
    personas: Personas, recorded: None
) -> None:
    sw = comparisons(personas, dt.date(2024, 6, 30))["Social worker"]
    assert (sw.own_minimum, sw.own_maximum) == (Decimal("35900"), Decimal("41250"))
    # Only Dunmore's 2023 entry was known then.
    assert [(c.authority.name, c.minimum) for c in sw.comparators] == [
        ("Dunmore", Decimal("30000"))
    ]
    assert sw.position == "Above the median"
    later = comparisons(personas, dt.date(2025, 10, 1))["Social worker"]
    assert (later.own_minimum, later.own_maximum) == (Decimal("38000"), Decimal("43500"))
    carrow = next(c for c in later.comparators if c.authority.name == "Carrow")
    assert (carrow.minimum, carrow.maximum) == (Decimal("50000"), Decimal("60000"))
    # 36,000 37,500 38,500 50,000: (37,500 + 38,500) ÷ 2 = 38,000.
    assert later.median_minimum == Decimal("38000.00")


def test_a_median_is_rounded_to_the_penny_half_up() -> None:
    assert selectors.median([Decimal("36000.01"), Decimal("36000.02")]) == Decimal("36000.02")
    assert selectors.median([Decimal("3"), Decimal("1"), Decimal("2")]) == Decimal("2.00")
    assert selectors.median([]) is None


def test_a_role_with_no_comparator_or_no_grade_says_so(
    personas: Personas, neighbours: list[Authority], social_worker: Role, team_manager: Role
) -> None:
    grade(social_worker, "SW3", "37000", "42500", dt.date(2025, 4, 1))
    entry(team_manager, neighbours[0], "47000", "51000")
    found = comparisons(personas)
    assert found["Social worker"].position == "No comparators"
    assert found["Social worker"].median_minimum is None
    assert found["Team manager"].position == "No grade of ours in effect"
    table = selectors.summary_table(list(found.values()), on=ON)
    assert [cell.text for cell in table.page_rows[1]][:5] == [
        "Social worker",
        "SW3",
        "£37,000",
        "£42,500",
        "0",
    ]


def test_the_tables_show_each_entry_with_its_date_and_source(
    personas: Personas, recorded: None
) -> None:
    sw = comparisons(personas)["Social worker"]
    table = selectors.role_table(sw, authority=personas.lead.authority, on=ON)
    assert table.column("authority") == [
        "Exampleshire (us)",
        "Ashford",
        "Brockley",
        "Carrow",
        "Dunmore",
    ]
    assert table.column("source") == [selectors.OWN_SOURCE] + [SOURCE] * 4
    assert table.column("applies_on") == [dt.date(2025, 4, 1)] + [MAY] * 4
    assert table.column("incentive")[2] == "Market supplement"
    assert table.column("incentive_amount")[2] == Decimal("2000")
    assert table.totals is not None
    assert table.totals[:4] == [
        "Median of 4 comparators",
        None,
        Decimal("37000.00"),
        Decimal("41750.00"),
    ]
    summary = selectors.summary_table(list(comparisons(personas).values()), on=ON)
    row = [cell.text for cell in summary.page_rows[1]]
    assert row == [
        "Social worker",
        "SW3",
        "£37,000",
        "£42,500",
        "4",
        "£37,000",
        "£41,750",
        "£0",
        "£750",
        "Minimum at, maximum above the median",
    ]


def test_the_chart_has_a_bar_for_us_and_each_comparator_and_the_medians(
    personas: Personas, recorded: None
) -> None:
    sw = comparisons(personas)["Social worker"]
    spec = selectors.range_chart(sw, authority=personas.lead.authority)
    bars, rules = spec["layer"]
    assert [v["authority"] for v in bars["data"]["values"]] == [
        "Exampleshire (us)",
        "Ashford",
        "Brockley",
        "Carrow",
        "Dunmore",
    ]
    assert [v["value"] for v in rules["data"]["values"]] == [37000.0, 41750.0]
    assert "the median of 4 comparators is £37,000 to £41,750" in spec["description"]


# Bad input -------------------------------------------------------------------------------------


def refusal(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def grade_kwargs(role: Role, /, **changes: Any) -> dict[str, Any]:
    return {
        "authority": role.authority,
        "role": role,
        "grade": "SW3",
        "minimum": Decimal("37000"),
        "maximum": Decimal("42500"),
        "effective_from": dt.date(2025, 4, 1),
        **changes,
    }


def entry_kwargs(role: Role, comparator: Authority, /, **changes: Any) -> dict[str, Any]:
    return {
        "authority": role.authority,
        "comparator": comparator,
        "role": role,
        "minimum": Decimal("36000"),
        "maximum": Decimal("41000"),
        "applies_on": MAY,
        "source": SOURCE,
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"minimum": Decimal("0")}, "minimum", "more than £0"),
        ({"minimum": Decimal("-100")}, "minimum", "more than £0"),
        ({"maximum": Decimal("-1")}, "maximum", "more than £0"),
        ({"maximum": Decimal("36999.99")}, "maximum", "at least the minimum (£37,000.00)"),
        ({"minimum": None}, "minimum", "Enter the salary minimum"),
        ({"minimum": Decimal("1000000")}, "minimum", "less than £1,000,000"),
        ({"grade": "  "}, "grade", "Enter the grade's name"),
        ({"effective_from": None}, "effective_from", "Enter the date it takes effect"),
        ({"spinal_point_minimum": 29}, "spinal_point_maximum", "both"),
        (
            {"spinal_point_minimum": 34, "spinal_point_maximum": 29},
            "spinal_point_maximum",
            "at least 34",
        ),
        ({"role": None}, "role", "Choose the role"),
    ],
)
def test_a_bad_grade_is_refused_naming_the_field(
    social_worker: Role, changes: dict[str, Any], field: str, words: str
) -> None:
    errors = refusal(services.add_pay_grade, **grade_kwargs(social_worker, **changes))
    assert list(errors) == [field]
    assert words in errors[field][0]
    assert not PayGrade.objects.exists()


def test_a_grade_for_another_authoritys_role_or_twice_on_a_date_is_refused(
    personas: Personas, social_worker: Role, other_authority: Authority
) -> None:
    theirs = RoleFactory(authority=other_authority, title="Social worker")
    errors = refusal(services.add_pay_grade, **grade_kwargs(social_worker, role=theirs))
    assert errors == {"role": ["Choose one of your authority's roles."]}
    services.add_pay_grade(**grade_kwargs(social_worker))
    errors = refusal(services.add_pay_grade, **grade_kwargs(social_worker, grade="sw3"))
    assert "already has a salary range from 1 April 2025" in errors["effective_from"][0]


def test_a_pay_award_ahead_may_be_entered(social_worker: Role) -> None:
    ahead = timezone.localdate() + dt.timedelta(days=60)
    found = services.add_pay_grade(**grade_kwargs(social_worker, effective_from=ahead))
    assert found.effective_from == ahead


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"minimum": Decimal("0")}, "minimum", "more than £0"),
        ({"minimum": Decimal("-36000")}, "minimum", "more than £0"),
        ({"maximum": Decimal("35000")}, "maximum", "at least the minimum"),
        ({"source": ""}, "source", "where the information came from"),
        ({"source": "   "}, "source", "where the information came from"),
        ({"applies_on": None}, "applies_on", "Enter the date the information applies to"),
        ({"comparator": None}, "comparator", "Choose the comparator authority"),
        ({"incentive_kind": "market_supplement"}, "incentive_amount", "Enter the incentive amount"),
        (
            {"incentive_kind": "market_supplement", "incentive_amount": Decimal("0")},
            "incentive_amount",
            "more than £0",
        ),
        (
            {"incentive_amount": Decimal("1500")},
            "incentive_kind",
            "Choose the kind of incentive the amount is for",
        ),
        (
            {"incentive_kind": "bonus", "incentive_amount": Decimal("1500")},
            "incentive_kind",
            "from the list",
        ),
        ({"grade": "x" * 41}, "grade", "at most 40 characters"),
    ],
)
def test_a_bad_comparator_entry_is_refused_naming_the_field(
    social_worker: Role,
    neighbours: list[Authority],
    changes: dict[str, Any],
    field: str,
    words: str,
) -> None:
    errors = refusal(
        services.add_comparator_pay, **entry_kwargs(social_worker, neighbours[0], **changes)
    )
    assert list(errors) == [field]
    assert words in errors[field][0]
    assert not ComparatorPay.objects.exists()


def test_a_comparator_date_in_the_future_or_the_own_authority_is_refused(
    social_worker: Role, neighbours: list[Authority]
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    errors = refusal(
        services.add_comparator_pay,
        **entry_kwargs(social_worker, neighbours[0], applies_on=tomorrow),
    )
    assert "must be today or in the past" in errors["applies_on"][0]
    errors = refusal(
        services.add_comparator_pay, **entry_kwargs(social_worker, social_worker.authority)
    )
    assert errors == {"comparator": ["Choose another authority: this is your own."]}
    unsaved = Authority(code="555", name="Nowhere")
    errors = refusal(services.add_comparator_pay, **entry_kwargs(social_worker, unsaved))
    assert errors == {"comparator": ["Choose the comparator authority from the list."]}


def test_changing_and_removing_keep_to_the_same_rules(
    social_worker: Role, neighbours: list[Authority]
) -> None:
    found = entry(social_worker, neighbours[0], "36000", "41000")
    kwargs = entry_kwargs(social_worker, neighbours[1], maximum=Decimal("40000"))
    del kwargs["authority"]
    changed = services.change_comparator_pay(entry=found, **kwargs)
    assert (changed.comparator, changed.maximum) == (neighbours[1], Decimal("40000"))
    kwargs["maximum"] = Decimal("1")
    errors = refusal(services.change_comparator_pay, entry=found, **kwargs)
    assert list(errors) == ["maximum"]
    found.refresh_from_db()
    assert found.maximum == Decimal("40000")
    services.remove_comparator_pay(entry=found)
    assert not ComparatorPay.objects.exists()
    own = grade(social_worker, "SW3", "37000", "42500", dt.date(2025, 4, 1))
    changed_grade = services.change_pay_grade(
        pay_grade=own,
        **{k: v for k, v in grade_kwargs(social_worker, grade="SW4").items() if k != "authority"},
    )
    assert changed_grade.grade == "SW4"
    services.remove_pay_grade(pay_grade=own)
    assert not PayGrade.objects.exists()


# The report section ----------------------------------------------------------------------------


def report(personas: Personas, audience: Audience, on: dt.date = ON) -> Any:
    section = section_for(report_pay.KEY)
    assert section is not None and section.title == "Pay compared with other authorities"
    return section.build(
        ReportContext(
            authority=personas.lead.authority,
            scope=scope_for(personas.lead),
            report_date=on,
            comparison_date=on.replace(year=on.year - 1),
            audience=audience,
        )
    )


def test_the_report_section_gives_the_table_for_a_board(personas: Personas, recorded: None) -> None:
    internal = report(personas, Audience.INTERNAL)
    board = report(personas, Audience.SCRUTINY_BOARD)
    assert board.figures == internal.figures
    f = board.figures
    assert f["pay.social_worker.median_minimum"] == 37000
    assert f["pay.social_worker.median_maximum"] == 41750
    assert f["pay.social_worker.maximum_gap"] == 750
    assert f["pay.team_manager.comparators"] == 3
    tables = [b.table for b in board.blocks if isinstance(b, TableBlock)]
    assert [t.title for t in tables] == [
        "Salary ranges against comparator authorities on 30 June 2025",
        "Team manager: salary ranges on 30 June 2025",
        "Social worker: salary ranges on 30 June 2025",
    ]
    paragraph = next(b.text for b in board.blocks if isinstance(b, Paragraph))
    assert "Team manager: above the median" in paragraph
    assert "Social worker: minimum at, maximum above the median" in paragraph
    notes = [b.text for b in board.blocks if isinstance(b, Note)]
    assert f"Sources: {SOURCE} (1 May 2025)." in notes


def test_the_report_section_before_anything_was_recorded_says_so(
    personas: Personas, recorded: None
) -> None:
    content = report(personas, Audience.SCRUTINY_BOARD, on=dt.date(2020, 1, 1))
    assert content.empty == (
        "No pay grades or comparator authorities' pay were recorded for 1 January 2020."
    )
