"""In a real browser: the strict Content-Security-Policy leaves GOV.UK Frontend, htmx and the
Vega charts working, and an administrator signs in with a code from an authenticator app."""

from __future__ import annotations

from typing import Any

from workforce.e2e.conftest import Seeded, sign_in


def _csp_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errors


def test_charts_and_components_work_under_the_content_security_policy(
    page: Any, seeded: Seeded
) -> None:
    errors = _csp_errors(page)
    sign_in(page, seeded.personas.lead.username, seeded.personas.password)
    page.goto("/metrics/")
    page.locator(".app-chart svg").first.wait_for()
    assert page.locator("body.js-enabled.govuk-frontend-supported").count() == 1
    # GOV.UK Frontend's JavaScript started: the details of a chart open and close.
    details = page.locator(".govuk-details").first
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    assert not errors, errors


def test_an_administrator_signs_in_with_a_code_and_reaches_the_users(
    page: Any, seeded: Seeded
) -> None:
    errors = _csp_errors(page)
    sign_in(page, seeded.personas.admin.username, seeded.personas.password)
    page.goto("/users/")
    assert page.get_by_role("heading", level=1).inner_text() == "Users"
    assert not errors, errors
