"""An authority's own workload scheme and supervision policy replace the defaults."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from workforce.caseloads import measures
from workforce.caseloads.models import (
    Category,
    SupervisionPolicy,
    WorkloadScheme,
    WorkloadWeight,
)


def test_scheme_settings_use_the_authoritys_own_weights(authority):
    scheme = WorkloadScheme.objects.create(
        authority=authority, asye_capacity_percent=80, unallocated_threshold_days=10
    )
    WorkloadWeight.objects.create(
        authority=authority, scheme=scheme, category=Category.CHILD_IN_NEED, points=3,
        complex_points=5,
    )  # fmt: skip
    settings = measures.scheme_settings(authority.pk)
    assert settings.points(Category.CHILD_IN_NEED, False) == 3
    assert settings.points(Category.CHILD_IN_NEED, True) == 5
    assert settings.points(Category.CHILD_PROTECTION, False) == 6  # default kept
    assert settings.unallocated_threshold_days == 10
    capacity = measures.capacity_points(role_points=100, fte=1, asye=True, scheme=settings)
    assert capacity == 80


def test_policy_settings_use_the_authoritys_own_schedule(authority):
    SupervisionPolicy.objects.create(authority=authority, asye_weekly_weeks=4, standard_days=42)
    policy = measures.policy_settings(authority.pk)
    start = dt.date(2025, 1, 1)
    assert policy.interval_days(dt.date(2025, 1, 30), start) == 14  # past 4 weeks
    assert policy.interval_days(dt.date(2025, 1, 30), None) == 42


def test_administrator_can_open_the_scheme_and_policy_pages(client, personas):
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    for name in (
        "admin:caseloads_workloadscheme_add",
        "admin:caseloads_supervisionpolicy_add",
        "admin:caseloads_workloadscheme_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200
