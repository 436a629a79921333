"""Required pre-employment checks by role and date: the authority's rules.

The defaults every authority starts with: DBS, two references, right to work, identity,
qualifications and occupational health for every role; for social work roles (census OrgRole)
GSCC registration until 31 July 2012, HCPC from 1 August 2012 to 1 December 2019, Social Work
England from 2 December 2019.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from workforce.core.tests.factories import AuthorityFactory
from workforce.establishment.tests.factories import PostFactory, RoleFactory
from workforce.recruitment import checks, services
from workforce.recruitment.models import (
    Application,
    CheckKind,
    CheckOutcome,
    RequiredCheckRule,
    RuleRoles,
    Stage,
    Vacancy,
)

D = dt.date
EVERY_ROLE = {
    "dbs",
    "reference_1",
    "reference_2",
    "right_to_work",
    "identity",
    "qualifications",
    "occupational_health",
}


def _vacancy(authority: Any, role: Any, opened_on: dt.date, reference: str) -> Vacancy:
    return services.open_vacancy(
        authority=authority, reference=reference, title="Job", role=role, opened_on=opened_on
    )


def _in_checks(vacancy: Vacancy, applied_on: dt.date, email: str) -> Application:
    application = services.apply(
        vacancy=vacancy, applied_on=applied_on, first_name="A", last_name="B", email=email
    )
    for stage in (Stage.SHORTLISTED, Stage.INTERVIEWED, Stage.RECOMMENDED, Stage.CHECKS):
        services.advance_application(application=application, to_stage=stage, on=applied_on)
    return application


def _kinds(application: Application) -> set[str]:
    return set(application.checks.filter(required=True).values_list("kind", flat=True))


@pytest.fixture
def roles(authority):
    social_worker = RoleFactory(authority=authority, title="Social worker", org_role="5")
    support = RoleFactory(authority=authority, title="Family support worker", org_role="")
    return social_worker, support


def test_a_new_authority_starts_with_the_default_rules(db):
    authority = AuthorityFactory(code="998", name="Newshire")
    rules = {(r.kind, r.applies_to, r.start, r.end) for r in checks.rules_of(authority)}
    assert rules == {
        *((kind, "all", None, None) for kind in EVERY_ROLE),
        ("gscc", "registered", None, D(2012, 8, 1)),
        ("hcpc", "registered", D(2012, 8, 1), D(2019, 12, 2)),
        ("swe", "registered", D(2019, 12, 2), None),
    }
    assert checks.seed_rules(authority) == 0  # again: nothing changes


def test_a_2017_campaign_needs_hcpc_registration_not_social_work_england(authority, roles):
    social_worker, _support = roles
    vacancy = _vacancy(authority, social_worker, D(2017, 6, 1), "V2017")

    application = _in_checks(vacancy, D(2017, 6, 5), "a2017@example.com")

    assert _kinds(application) == EVERY_ROLE | {"hcpc"}
    assert not application.checks.filter(kind=CheckKind.SWE).exists()


def test_a_2024_campaign_needs_social_work_england_registration(authority, roles):
    social_worker, _support = roles
    vacancy = _vacancy(authority, social_worker, D(2024, 3, 1), "V2024")

    application = _in_checks(vacancy, D(2024, 3, 4), "a2024@example.com")

    assert _kinds(application) == EVERY_ROLE | {"swe"}


def test_the_day_of_the_change_of_regulator(authority, roles):
    social_worker, _ = roles
    kinds = checks.required_kinds
    assert "hcpc" in kinds(authority=authority, role=social_worker, on=D(2019, 12, 1))
    assert "swe" not in kinds(authority=authority, role=social_worker, on=D(2019, 12, 1))
    assert "swe" in kinds(authority=authority, role=social_worker, on=D(2019, 12, 2))
    assert "gscc" in kinds(authority=authority, role=social_worker, on=D(2012, 7, 31))
    assert "hcpc" in kinds(authority=authority, role=social_worker, on=D(2012, 8, 1))


def test_a_role_outside_the_registration_rule_needs_no_registration(authority, roles):
    _social_worker, support = roles
    vacancy = _vacancy(authority, support, D(2024, 3, 1), "V-FSW")

    application = _in_checks(vacancy, D(2024, 3, 4), "fsw@example.com")

    assert _kinds(application) == EVERY_ROLE


def test_a_rule_for_chosen_roles_from_a_date(authority, roles):
    social_worker, support = roles
    checks.add_rule(
        authority=authority,
        kind=CheckKind.SWE,
        applies_to=RuleRoles.CHOSEN,
        roles=[support],
        start=D(2025, 1, 1),
    )
    assert "swe" in checks.required_kinds(authority=authority, role=support, on=D(2025, 1, 1))
    assert "swe" not in checks.required_kinds(authority=authority, role=support, on=D(2024, 12, 31))


def test_checks_cleared_means_every_required_check_cleared(authority, roles):
    """A 2017 application: clearing its eight required checks allows the unconditional offer,
    with no Social Work England check asked for."""
    social_worker, _ = roles
    vacancy = _vacancy(authority, social_worker, D(2017, 6, 1), "V-OFFER")
    application = _in_checks(vacancy, D(2017, 6, 5), "offer@example.com")
    for check in application.checks.all():
        check.requested_on = D(2017, 6, 5)
        check.save()
        services.record_check_result(
            check=check, outcome=CheckOutcome.CLEARED, outcome_on=D(2017, 7, 3)
        )

    offer = services.make_unconditional_offer(application=application, on=D(2017, 7, 4))

    assert application.checks.count() == 8
    assert offer.made_on == D(2017, 7, 4)


def test_a_rule_refuses_bad_input_naming_the_field(authority, roles):
    social_worker, _ = roles
    with pytest.raises(ValidationError) as error:
        checks.add_rule(authority=authority, kind="nonsense")
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        checks.add_rule(authority=authority, kind=CheckKind.DBS, applies_to=RuleRoles.CHOSEN)
    assert "roles" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        checks.add_rule(
            authority=authority,
            kind=CheckKind.DBS,
            start=D(2024, 1, 1),
            last_day=D(2023, 12, 31),
        )
    assert "last_day" in error.value.message_dict
    other: Any = RoleFactory()
    with pytest.raises(ValidationError):
        checks.add_rule(
            authority=authority, kind=CheckKind.DBS, applies_to=RuleRoles.CHOSEN, roles=[other]
        )


def test_leads_change_the_rules_on_the_page_and_it_is_audited(client, personas, authority):
    client.force_login(personas.lead)
    page = client.get(reverse("recruitment:check_rules"))
    assert page.status_code == 200
    assert "Social Work England registration" in page.content.decode()
    assert "From 2 December 2019" in page.content.decode()
    rule = RequiredCheckRule.objects.get(authority=authority, kind=CheckKind.SWE)
    before = LogEntry.objects.count()

    response = client.post(
        reverse("recruitment:check_rule_edit", kwargs={"check_rule_id": rule.pk}),
        {"kind": "swe", "applies_to": "registered", "start": "2019-12-02", "last_day": "2030-3-31"},
    )

    assert response.status_code == 302
    assert LogEntry.objects.count() > before
    rule.refresh_from_db()
    assert rule.end == D(2030, 4, 1)
    response = client.post(
        reverse("recruitment:check_rule_new"),
        {"kind": "dbs", "applies_to": "chosen", "start": "2024-01-01", "last_day": "2023-01-01"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one role" in text or "The last day must be on or after" in text
    response = client.post(reverse("recruitment:check_rule_new"), {"kind": "", "start": "junk"})
    assert response.status_code == 200
    assert "Choose the check" in response.content.decode()
    response = client.post(
        reverse("recruitment:check_rule_remove", kwargs={"check_rule_id": rule.pk})
    )
    assert response.status_code == 302
    assert not RequiredCheckRule.objects.filter(pk=rule.pk).exists()


def test_hr_officers_see_the_rules_but_cannot_change_them(client, personas, authority):
    client.force_login(personas.hr)
    page = client.get(reverse("recruitment:check_rules"))
    assert page.status_code == 200
    assert "Add a required check" not in page.content.decode()
    assert client.get(reverse("recruitment:check_rule_new")).status_code == 403


def test_the_page_lists_the_roles_a_rule_chooses(client, personas, authority, roles):
    _social_worker, support = roles
    PostFactory(team=personas.own_team, role=support)
    checks.add_rule(
        authority=authority, kind=CheckKind.SWE, applies_to=RuleRoles.CHOSEN, roles=[support]
    )
    client.force_login(personas.lead)
    assert (
        "Family support worker" in client.get(reverse("recruitment:check_rules")).content.decode()
    )


def test_the_migration_gives_rules_and_frees_checks_of_the_wrong_regulator(authority, roles):
    """Before the rules, every application got a Social Work England check: one of 2017 no
    longer needs it once the rules are given; one of 2024 still does."""
    import importlib

    from django.apps import apps

    from workforce.recruitment.models import Check

    migration = importlib.import_module(
        "workforce.recruitment.migrations.0004_required_check_rules"
    )
    social_worker, _ = roles
    old = _in_checks(
        _vacancy(authority, social_worker, D(2017, 6, 1), "VM17"), D(2017, 6, 5), "m17@example.com"
    )
    new = _in_checks(
        _vacancy(authority, social_worker, D(2024, 3, 1), "VM24"), D(2024, 3, 4), "m24@example.com"
    )
    Check.objects.create(authority=authority, application=old, kind=CheckKind.SWE)
    RequiredCheckRule.objects.filter(authority=authority).delete()

    migration.seed_rules(apps, None)

    assert checks.rules_of(authority).count() == len(checks.DEFAULT_RULES)
    assert not old.checks.get(kind=CheckKind.SWE).required
    assert old.checks.get(kind=CheckKind.HCPC).required
    assert new.checks.get(kind=CheckKind.SWE).required
