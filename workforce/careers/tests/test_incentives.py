"""Progression, incentives and clawback, and learning: the services' refusals, each naming the
field, and figures worked out by hand.

The clawback rule: leaving within the period pays back the amount times the months not served
over the months of the period, counting complete months served from the date paid to the last
day, to the penny rounded half up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from workforce.careers import selectors_incentives as selectors
from workforce.careers import services_incentives as services
from workforce.careers.models.incentives import Incentive, add_months, whole_months
from workforce.careers.models.learning import LearningKind
from workforce.conftest import Personas
from workforce.core.access import scope_for
from workforce.establishment import services as establishment
from workforce.establishment.models import Role, Team, Worker
from workforce.establishment.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


def refused(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def appoint(team: Team, role: Role, number: str, last: str, start: dt.date) -> Worker:
    post = establishment.create_post(
        authority=team.authority,
        team=team,
        role=role,
        reference=f"P-{number}",
        fte=Decimal("1.00"),
        start=dt.date(2020, 1, 1),
    )
    worker = establishment.create_worker(
        authority=team.authority, staff_number=number, first_name="Sam", last_name=last
    )
    establishment.appoint_worker(worker=worker, post=post, start=start, fte=Decimal("1.00"))
    return worker


@pytest.fixture
def role(personas: Personas) -> Role:
    return RoleFactory(authority=personas.own_team.authority, title="Social worker")


@pytest.fixture
def worker(personas: Personas, role: Role, reference_data: None) -> Worker:
    return appoint(personas.own_team, role, "W1", "Ashdown", dt.date(2023, 9, 1))


# The rule's arithmetic -------------------------------------------------------------------------


def test_months_are_added_to_the_same_day_or_the_months_last() -> None:
    assert add_months(dt.date(2024, 1, 1), 24) == dt.date(2026, 1, 1)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2024, 11, 15), 3) == dt.date(2025, 2, 15)


def test_complete_months_count_only_months_fully_served() -> None:
    assert whole_months(dt.date(2024, 1, 1), dt.date(2024, 7, 15)) == 6
    assert whole_months(dt.date(2024, 1, 1), dt.date(2024, 7, 31)) == 6
    assert whole_months(dt.date(2024, 1, 1), dt.date(2024, 8, 1)) == 7
    assert whole_months(dt.date(2024, 1, 31), dt.date(2024, 2, 29)) == 1
    assert whole_months(dt.date(2024, 1, 15), dt.date(2024, 2, 14)) == 0


@pytest.mark.parametrize(
    ("last_day", "expected"),
    [
        (dt.date(2024, 1, 1), "2000.00"),  # nothing served: all of it
        (dt.date(2024, 7, 15), "1500.00"),  # 6 months served, 18 of 24 left: 2000 x 18/24
        (dt.date(2025, 12, 31), "83.33"),  # 23 served, 1 left: 2000 / 24 = 83.333...
        (dt.date(2026, 1, 1), "0.00"),  # the period is over
        (dt.date(2023, 12, 31), "0.00"),  # before the payment
    ],
)
def test_leaving_pays_back_the_months_not_served_pro_rata(last_day: dt.date, expected: str) -> None:
    hello = Incentive(amount=Decimal("2000.00"), paid_on=dt.date(2024, 1, 1), clawback_months=24)
    assert hello.recovery_on(last_day) == Decimal(expected)


def test_the_recovery_is_rounded_half_up_to_the_penny() -> None:
    # 1000 x 11/12 = 916.666...: 916.67
    payment = Incentive(amount=Decimal("1000"), paid_on=dt.date(2024, 1, 31), clawback_months=12)
    assert payment.recovery_on(dt.date(2024, 2, 29)) == Decimal("916.67")
    # 0.50 x 1/4 = 0.125: half up to 0.13, never to even
    small = Incentive(amount=Decimal("0.50"), paid_on=dt.date(2024, 1, 1), clawback_months=4)
    assert small.recovery_on(dt.date(2024, 4, 1)) == Decimal("0.13")


def test_without_a_clawback_period_nothing_is_paid_back() -> None:
    payment = Incentive(amount=Decimal("500"), paid_on=dt.date(2024, 1, 1), clawback_months=0)
    assert payment.recovery_on(dt.date(2024, 1, 2)) == Decimal("0.00")


# Incentives --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Decimal("-1")}, "amount"),
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": None}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"amount": Decimal("10.005")}, "amount"),
        ({"kind": "bonus"}, "kind"),
        ({"clawback_months": -3}, "clawback_months"),
        ({"paid_on": None}, "paid_on"),
    ],
)
def test_a_payment_is_refused_naming_the_field(
    worker: Worker, changes: dict[str, object], field: str
) -> None:
    asked: dict[str, object] = {
        "worker": worker,
        "kind": "golden_hello",
        "amount": Decimal("2000"),
        "paid_on": dt.date(2024, 1, 1),
        "clawback_months": 24,
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        services.record_incentive(**asked)  # type: ignore[arg-type]
    assert list(refused(error)) == [field]
    assert not Incentive.objects.exists()


def test_a_negative_amount_is_refused_by_the_message(worker: Worker) -> None:
    with pytest.raises(ValidationError) as error:
        services.record_incentive(
            worker=worker, kind="retention", amount="-250", paid_on=dt.date(2024, 1, 1)
        )
    assert refused(error) == {"amount": ["Amount must not be negative."]}


def test_a_payment_after_the_last_day_is_refused(worker: Worker) -> None:
    establishment.record_leaver(worker=worker, last_day=dt.date(2024, 3, 31), reason="1")
    with pytest.raises(ValidationError) as error:
        services.record_incentive(
            worker=worker, kind="retention", amount="250", paid_on=dt.date(2024, 4, 1)
        )
    assert list(refused(error)) == ["paid_on"]


def test_a_clawback_on_someone_who_did_not_leave_is_refused(worker: Worker) -> None:
    hello = services.record_incentive(
        worker=worker,
        kind="golden_hello",
        amount="2000",
        paid_on=dt.date(2024, 1, 1),
        clawback_months=24,
    )
    with pytest.raises(ValidationError) as error:
        services.record_clawback(incentive=hello, recorded_on=dt.date(2024, 8, 1))
    assert refused(error) == {
        "leaving": ["Sam Ashdown has not left: a clawback is recorded only on a leaver."]
    }
    assert not hello.clawbacks.exists()


def test_a_clawback_after_the_period_is_refused(worker: Worker) -> None:
    hello = services.record_incentive(
        worker=worker,
        kind="golden_hello",
        amount="2000",
        paid_on=dt.date(2024, 1, 1),
        clawback_months=6,
    )
    establishment.record_leaver(worker=worker, last_day=dt.date(2024, 7, 1), reason="1")
    with pytest.raises(ValidationError) as error:
        services.record_clawback(incentive=hello, recorded_on=dt.date(2024, 8, 1))
    assert list(refused(error)) == ["leaving"]


def test_a_leavers_clawback_defaults_to_the_rule_and_is_recorded_once(worker: Worker) -> None:
    hello = services.record_incentive(
        worker=worker,
        kind="golden_hello",
        amount="2000",
        paid_on=dt.date(2024, 1, 1),
        clawback_months=24,
    )
    leaving = establishment.record_leaver(worker=worker, last_day=dt.date(2024, 7, 15), reason="1")
    clawback = services.record_clawback(incentive=hello, recorded_on=dt.date(2024, 7, 20))
    assert clawback.amount == Decimal("1500.00")
    assert clawback.leaving == leaving
    with pytest.raises(ValidationError) as error:
        services.record_clawback(incentive=hello, recorded_on=dt.date(2024, 7, 21))
    assert list(refused(error)) == ["incentive"]


@pytest.mark.parametrize(("amount", "field"), [("-5", "amount"), ("2000.01", "amount")])
def test_a_clawback_amount_is_refused_naming_the_field(
    worker: Worker, amount: str, field: str
) -> None:
    hello = services.record_incentive(
        worker=worker,
        kind="golden_hello",
        amount="2000",
        paid_on=dt.date(2024, 1, 1),
        clawback_months=24,
    )
    establishment.record_leaver(worker=worker, last_day=dt.date(2024, 7, 15), reason="1")
    with pytest.raises(ValidationError) as error:
        services.record_clawback(incentive=hello, recorded_on=dt.date(2024, 8, 1), amount=amount)
    assert list(refused(error)) == [field]


def test_cost_per_financial_year_by_kind(worker: Worker, personas: Personas) -> None:
    """2023-24: golden hello 2,000 (1 Jan 2024) and retention 1,500 (31 Mar 2024) = 3,500.
    2024-25: merit 750.50 (1 Apr 2024) and relocation 3,000 (15 Jun 2024) = 3,750.50, less the
    golden hello's clawback of 1,500 recorded 20 Jul 2024 (left 15 Jul 2024, 6 of 24 months
    served): net 2,250.50. All years: paid 7,250.50, recovered 1,500, net 5,750.50."""
    hello = services.record_incentive(
        worker=worker,
        kind="golden_hello",
        amount="2000",
        paid_on=dt.date(2024, 1, 1),
        clawback_months=24,
    )
    services.record_incentive(
        worker=worker, kind="retention", amount="1500", paid_on=dt.date(2024, 3, 31)
    )
    services.record_incentive(
        worker=worker, kind="merit_increment", amount="750.50", paid_on=dt.date(2024, 4, 1)
    )
    services.record_incentive(
        worker=worker, kind="relocation", amount="3000", paid_on=dt.date(2024, 6, 15)
    )
    establishment.record_leaver(worker=worker, last_day=dt.date(2024, 7, 15), reason="1")
    services.record_clawback(incentive=hello, recorded_on=dt.date(2024, 7, 20))

    table = selectors.cost_per_year(scope_for(personas.lead))
    assert [c.key for c in table.columns] == [
        "year",
        "golden_hello",
        "retention",
        "market_supplement",
        "merit_increment",
        "relocation",
        "paid",
        "recovered",
        "net",
    ]
    d = Decimal
    assert table.rows == [
        ["2023-24", d("2000"), d("1500"), d("0"), d("0"), d("0"), d("3500"), d("0"), d("3500")],
        [
            "2024-25",
            d("0"),
            d("0"),
            d("0"),
            d("750.50"),
            d("3000"),
            d("3750.50"),
            d("1500"),
            d("2250.50"),
        ],
    ]
    assert table.totals == [
        "All years",
        d("2000"),
        d("1500"),
        d("0"),
        d("750.50"),
        d("3000"),
        d("7250.50"),
        d("1500"),
        d("5750.50"),
    ]


def test_who_is_inside_a_clawback_period_and_what_leaving_would_recover(
    worker: Worker, personas: Personas, role: Role
) -> None:
    """On 1 July 2024: the golden hello (2,000 on 1 Jan 2024, 24 months) has 6 months served:
    2000 x 18/24 = 1,500. The retention payment (1,500 on 31 Mar 2024, 12 months) has 3 served
    (31 Mar to 30 Jun): 1500 x 9/12 = 1,125. The relocation had no clawback period; the other
    team's worker's six-month payment of 1 Jan 2024 ended on 1 Jul 2024."""
    services.record_incentive(
        worker=worker,
        kind="golden_hello",
        amount="2000",
        paid_on=dt.date(2024, 1, 1),
        clawback_months=24,
    )
    services.record_incentive(
        worker=worker,
        kind="retention",
        amount="1500",
        paid_on=dt.date(2024, 3, 31),
        clawback_months=12,
    )
    services.record_incentive(
        worker=worker, kind="relocation", amount="800", paid_on=dt.date(2024, 2, 1)
    )
    other = appoint(personas.other_team, role, "W2", "Blythe", dt.date(2023, 9, 1))
    services.record_incentive(
        worker=other,
        kind="golden_hello",
        amount="1000",
        paid_on=dt.date(2024, 1, 1),
        clawback_months=6,
    )
    rows = selectors.in_clawback(scope_for(personas.lead), dt.date(2024, 7, 1))
    assert [(r.name, r.incentive.kind, r.recovery) for r in rows] == [
        ("Sam Ashdown", "golden_hello", Decimal("1500.00")),
        ("Sam Ashdown", "retention", Decimal("1125.00")),
    ]
    table = selectors.clawback_table(rows, dt.date(2024, 7, 1))
    assert table.totals is not None and table.totals[-1] == Decimal("2625.00")


# Progression ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"from_grade": " "}, "from_grade"),
        ({"to_grade": ""}, "to_grade"),
        ({"to_grade": "f"}, "to_grade"),  # the same band, no change of role
        ({"kind": "sideways"}, "kind"),
        ({"date": dt.date(2023, 8, 31)}, "date"),  # before they started
    ],
)
def test_a_progression_is_refused_naming_the_field(
    worker: Worker, changes: dict[str, object], field: str
) -> None:
    asked: dict[str, object] = {
        "worker": worker,
        "date": dt.date(2024, 9, 1),
        "kind": "band",
        "from_grade": "F",
        "to_grade": "G",
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        services.record_progression(**asked)  # type: ignore[arg-type]
    assert list(refused(error)) == [field]


def test_a_progression_keeps_the_team_and_the_role_when_it_changes(
    worker: Worker, personas: Personas, role: Role
) -> None:
    senior = RoleFactory(authority=role.authority, title="Senior practitioner")
    band = services.record_progression(
        worker=worker, date=dt.date(2024, 9, 1), kind="band", from_grade="F", to_grade="G"
    )
    step = services.record_progression(
        worker=worker,
        date=dt.date(2025, 9, 1),
        kind="senior_practitioner",
        from_grade="G",
        to_grade="G",
        to_role=senior,
    )
    assert (band.team, band.from_role, band.to_role) == (personas.own_team, None, None)
    assert (step.from_role, step.to_role) == (role, senior)
    scope = scope_for(personas.lead)
    assert list(selectors.progressions(scope, year=2024)) == [band]
    assert list(selectors.progressions(scope, year=2025, kind="senior_practitioner")) == [step]
    assert list(selectors.progressions(scope, team_id=personas.other_team.pk)) == []
    assert list(selectors.progressions(scope_for(personas.manager))) == [step, band]


# Learning ---------------------------------------------------------------------------------------


def test_completion_by_role_and_team(worker: Worker, personas: Personas, role: Role) -> None:
    """Own team's social workers: Ashdown and Corrie on the course, Ashdown completed (1 of 2).
    Other team: Blythe on it, not completed (0 of 1). All: 1 of 3."""
    ilm = services.create_programme(
        authority=role.authority, title="ILM level 5", kind=LearningKind.LEADERSHIP
    )
    first = services.add_session(programme=ilm, title="Module 1", date=dt.date(2024, 10, 1))
    second = services.add_session(programme=ilm, title="Module 2", date=dt.date(2024, 11, 1))
    corrie = appoint(personas.own_team, role, "W3", "Corrie", dt.date(2023, 9, 1))
    blythe = appoint(personas.other_team, role, "W2", "Blythe", dt.date(2023, 9, 1))
    for person in (worker, corrie, blythe):
        services.record_attendance(session=first, worker=person)
    services.record_attendance(session=second, worker=worker)
    services.record_attendance(session=second, worker=corrie, attended=False)
    services.record_completion(programme=ilm, worker=worker, completed_on=dt.date(2024, 11, 1))
    assert selectors.attended_sessions(ilm) == {worker.pk: 2, corrie.pk: 1, blythe.pk: 1}

    table = selectors.completion_table(scope_for(personas.lead), on=dt.date(2024, 12, 1))
    third = Decimal(1) / 3
    assert table.rows == [
        ["Social worker", "Assessment North", 2, 1, Decimal("0.5")],
        ["Social worker", "Children in Care South", 1, 0, Decimal(0)],
    ]
    assert table.totals == ["All", "", 3, 1, third]


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"completed_on": dt.date(2024, 9, 30)}, "completed_on"), ({"worker": None}, "worker")],
)
def test_a_completion_is_refused_naming_the_field(
    worker: Worker, role: Role, changes: dict[str, object], field: str
) -> None:
    core = services.create_programme(authority=role.authority, title="Core", kind="core")
    day = services.add_session(programme=core, title="Day 1", date=dt.date(2024, 10, 1))
    services.record_attendance(session=day, worker=worker)
    asked: dict[str, object] = {
        "programme": core,
        "worker": worker,
        "completed_on": dt.date(2024, 10, 1),
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        services.record_completion(**asked)  # type: ignore[arg-type]
    assert list(refused(error)) == [field]


def test_completion_is_refused_for_someone_not_on_the_programme(worker: Worker, role: Role) -> None:
    core = services.create_programme(authority=role.authority, title="Core", kind="core")
    with pytest.raises(ValidationError) as error:
        services.record_completion(programme=core, worker=worker, completed_on=dt.date(2024, 10, 1))
    assert list(refused(error)) == ["worker"]


def test_attendance_is_refused_for_someone_not_in_post_that_day(worker: Worker, role: Role) -> None:
    core = services.create_programme(authority=role.authority, title="Core", kind="core")
    early = services.add_session(programme=core, title="Day 0", date=dt.date(2023, 8, 1))
    with pytest.raises(ValidationError) as error:
        services.record_attendance(session=early, worker=worker)
    assert list(refused(error)) == ["worker"]


def test_a_programme_title_is_not_used_twice(role: Role) -> None:
    services.create_programme(authority=role.authority, title="Core training", kind="core")
    with pytest.raises(ValidationError) as error:
        services.create_programme(authority=role.authority, title="core training", kind="core")
    assert list(refused(error)) == ["title"]
