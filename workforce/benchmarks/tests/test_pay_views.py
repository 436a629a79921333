"""Pay compared pages: who may read and who may change, refusals shown against the field, the
chart with its table, and the downloads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from workforce.benchmarks import services_pay as services
from workforce.benchmarks.models.pay import ComparatorPay, PayGrade
from workforce.conftest import Personas
from workforce.core.models import Authority, User
from workforce.core.tests.downloads import csv_rows, xlsx_rows
from workforce.core.tests.factories import AuthorityFactory
from workforce.establishment.models import Role
from workforce.establishment.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db

SOURCE = "Regional benchmarking exercise, May 2025"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def role(personas: Personas) -> Role:
    return RoleFactory(authority=personas.lead.authority, title="Social worker")


@pytest.fixture
def neighbour(db: None) -> Authority:
    return AuthorityFactory(code="101", name="Ashford")


@pytest.fixture
def recorded(role: Role, neighbour: Authority) -> tuple[PayGrade, ComparatorPay]:
    grade = services.add_pay_grade(
        authority=role.authority,
        role=role,
        grade="SW3",
        minimum=Decimal("37000"),
        maximum=Decimal("42500"),
        effective_from=dt.date(2025, 4, 1),
    )
    entry = services.add_comparator_pay(
        authority=role.authority,
        comparator=neighbour,
        role=role,
        grade="Band I",
        minimum=Decimal("36000"),
        maximum=Decimal("41000"),
        applies_on=dt.date(2025, 5, 1),
        source=SOURCE,
        incentive_kind="golden_hello",
        incentive_amount=Decimal("1500"),
    )
    return grade, entry


def test_everyone_of_the_authority_reads_the_comparison_with_its_chart_and_sources(
    personas: Personas, recorded: Any
) -> None:
    for user in (personas.board, personas.analyst, personas.manager, personas.hr):
        response = client_for(user).get(reverse("benchmarks:pay"))
        assert response.status_code == 200
        text = response.content.decode()
        assert "Pay compared with other authorities" in text
        assert 'data-spec="role-' in text and "careers/charts.js" in text
        assert SOURCE in text and "1 May 2025" in text
        assert "Ashford" in text and "Exampleshire (us)" in text
        assert "Minimum above, maximum above the median" not in text
        assert "Above the median" in text
        can_add = reverse("benchmarks:pay_entry_add") in text
        assert can_add == (user.role == "hr_officer")


def test_board_members_and_analysts_may_not_change_anything(
    personas: Personas, recorded: tuple[PayGrade, ComparatorPay]
) -> None:
    grade, entry = recorded
    writes = [
        reverse("benchmarks:pay_grade_add"),
        reverse("benchmarks:pay_grade_change", kwargs={"pay_grade_id": grade.pk}),
        reverse("benchmarks:pay_grade_delete", kwargs={"pay_grade_id": grade.pk}),
        reverse("benchmarks:pay_entry_add"),
        reverse("benchmarks:pay_entry_change", kwargs={"pay_entry_id": entry.pk}),
        reverse("benchmarks:pay_entry_delete", kwargs={"pay_entry_id": entry.pk}),
    ]
    for user in (personas.board, personas.analyst, personas.manager):
        client = client_for(user)
        for url in writes:
            assert client.post(url, {"minimum": "1"}).status_code == 403, (user.role, url)
    assert PayGrade.objects.count() == ComparatorPay.objects.count() == 1
    outsider = client_for(personas.outsider)
    assert outsider.get(writes[1]).status_code == 404
    assert outsider.post(writes[5]).status_code == 404
    assert ComparatorPay.objects.count() == 1


def entry_post(role: Role, comparator: Any, /, **changes: str) -> dict[str, Any]:
    return {
        "comparator": str(comparator),
        "role": str(role.pk),
        "grade": "SW2",
        "minimum": "37500",
        "maximum": "41500",
        "incentive_kind": "",
        "incentive_amount": "",
        "applies_on_day": "1",
        "applies_on_month": "5",
        "applies_on_year": "2025",
        "source": "https://example.org/pay-scales",
        **changes,
    }


def test_hr_adds_a_comparators_pay(personas: Personas, role: Role, neighbour: Authority) -> None:
    response = client_for(personas.hr).post(
        reverse("benchmarks:pay_entry_add"),
        entry_post(role, neighbour.pk, incentive_kind="market_supplement", incentive_amount="2000"),
    )
    assert response.status_code == 302
    saved = ComparatorPay.objects.get()
    assert (saved.comparator, saved.minimum, saved.incentive_amount) == (
        neighbour,
        Decimal("37500"),
        Decimal("2000"),
    )
    assert saved.authority == personas.hr.authority


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"minimum": "0"}, "The salary minimum must be more than £0."),
        ({"minimum": "-37500"}, "The salary minimum must be more than £0."),
        ({"maximum": "30000"}, "The salary maximum must be at least the minimum (£37,500.00)."),
        (
            {"applies_on_year": "2099"},
            "The date the information applies to must be today or in the past",
        ),
        ({"source": ""}, "where the information came from"),
        ({"comparator": "999999"}, "Choose the comparator authority from the list."),
        ({"comparator": "nonsense"}, "Choose the comparator authority from the list."),
        ({"comparator": ""}, "Choose the comparator authority."),
        ({"minimum": "lots"}, "The salary minimum must be a number of pounds, like 32500."),
        ({"role": "0"}, "Choose one of your authority&#x27;s roles from the list."),
    ],
)
def test_a_bad_comparator_entry_is_shown_against_its_field(
    personas: Personas, role: Role, neighbour: Authority, changes: dict[str, str], message: str
) -> None:
    response = client_for(personas.lead).post(
        reverse("benchmarks:pay_entry_add"), entry_post(role, neighbour.pk, **changes)
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert message.replace("'", "&#x27;") in text or message in text
    assert not ComparatorPay.objects.exists()


def test_the_own_authority_cannot_be_chosen_as_a_comparator(personas: Personas, role: Role) -> None:
    response = client_for(personas.lead).post(
        reverse("benchmarks:pay_entry_add"), entry_post(role, personas.lead.authority_id)
    )
    assert "Choose the comparator authority from the list." in response.content.decode()
    assert not ComparatorPay.objects.exists()


def test_the_lead_adds_changes_and_removes_a_grade(personas: Personas, role: Role) -> None:
    client = client_for(personas.lead)
    post = {
        "role": str(role.pk),
        "grade": "SW3",
        "minimum": "37000",
        "maximum": "36000",
        "effective_from_day": "1",
        "effective_from_month": "4",
        "effective_from_year": "2025",
    }
    refused = client.post(reverse("benchmarks:pay_grade_add"), post)
    assert (
        "The salary maximum must be at least the minimum (£37,000.00)." in refused.content.decode()
    )
    assert not PayGrade.objects.exists()
    post["maximum"] = "42500"
    assert client.post(reverse("benchmarks:pay_grade_add"), post).status_code == 302
    grade = PayGrade.objects.get()
    change = reverse("benchmarks:pay_grade_change", kwargs={"pay_grade_id": grade.pk})
    assert 'value="37000' in client.get(change).content.decode()
    assert client.post(change, {**post, "maximum": "43000"}).status_code == 302
    grade.refresh_from_db()
    assert grade.maximum == Decimal("43000")
    remove = reverse("benchmarks:pay_grade_delete", kwargs={"pay_grade_id": grade.pk})
    assert "Remove this pay grade?" in client.get(remove).content.decode()
    assert client.post(remove).status_code == 302
    assert not PayGrade.objects.exists()


def test_changes_are_in_the_audit_trail(personas: Personas, recorded: Any) -> None:
    from auditlog.models import LogEntry

    grade, entry = recorded
    assert LogEntry.objects.get_for_object(grade).count() == 1
    client_for(personas.hr).post(
        reverse("benchmarks:pay_entry_delete", kwargs={"pay_entry_id": entry.pk})
    )
    assert LogEntry.objects.filter(object_pk=str(entry.pk), action=LogEntry.Action.DELETE).exists()


def test_the_tables_download(personas: Personas, recorded: Any, role: Role) -> None:
    client = client_for(personas.board)
    rows = csv_rows(client.get(reverse("benchmarks:pay"), {"format": "csv"}))
    assert rows[0][:4] == ["Role", "Our grades", "Our minimum (£)", "Our maximum (£)"]
    assert rows[1] == [
        "Social worker",
        "SW3",
        "37000",
        "42500",
        "1",
        "36000",
        "41000",
        "1000",
        "1500",
        "Above the median",
    ]
    detail = xlsx_rows(client.get(reverse("benchmarks:pay"), {"format": "xlsx", "role": role.pk}))
    assert [r[0] for r in detail] == [
        "Authority",
        "Exampleshire (us)",
        "Ashford",
        "Median of 1 comparator",
    ]
    assert detail[2][5:7] == ["Golden hello", 1500]
    assert detail[2][8] == SOURCE


def test_the_page_for_one_role_and_for_a_role_it_does_not_know(
    personas: Personas, recorded: Any, role: Role
) -> None:
    client = client_for(personas.lead)
    one = client.get(reverse("benchmarks:pay"), {"role": role.pk}).content.decode()
    assert "Social worker: salary ranges on" in one
    unknown = client.get(reverse("benchmarks:pay"), {"role": "12345"})
    assert unknown.status_code == 200
    text = unknown.content.decode()
    assert "Choose the role from the list." in text
    assert "Social worker: salary ranges on" in text  # every role, as with none chosen
