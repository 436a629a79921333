"""The Django admin reads no one's personal details: those are only in the pages, where every
read is limited by role and team and recorded."""

from __future__ import annotations

from django.contrib import admin

# Models reached through the admin: reference data, structure, accounts, the queue and the
# sign-in safeguards. A model holding people's details must not be added here.
ALLOWED = {
    "auth.group",
    "core.user",
    "core.authority",
    "core.censuscode",
    "establishment.team",
    "establishment.role",
    "establishment.post",
    "caseloads.workloadscheme",
    "caseloads.supervisionpolicy",
    "django_tasks_database.dbtaskresult",
}
SIGN_IN_SAFEGUARDS = ("axes.", "otp_")


def test_no_model_about_a_person_is_in_the_admin() -> None:
    registered = {model._meta.label_lower for model in admin.site._registry}
    unreviewed = {m for m in registered - ALLOWED if not m.startswith(SIGN_IN_SAFEGUARDS)}

    assert unreviewed == set(), f"In the admin, not reviewed for personal data: {unreviewed}"
