"""Real pages in a real browser: signing in per role, a crawl of every reachable page through
axe-core, and keyboard use."""

from __future__ import annotations

import datetime as dt
from collections import deque
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from workforce.core.access import GRANTS
from workforce.core.models import User
from workforce.e2e.conftest import Seeded, axe_violations, describe, sign_in

pytestmark = pytest.mark.browser

CRAWL_LIMIT = 60
# Per path, how many different query strings (filters, dates, pages) to visit.
QUERY_VARIANTS = 2
SKIP_PREFIXES = ("/sign-out/", "/django-admin/", "/assets/", "/static/")
DOWNLOAD_HINTS = ("format=", "download", "export", ".csv", ".xlsx", ".docx", ".pdf", ".xml")


def menu_for(user: User) -> tuple[list[str], list[str]]:
    """The menu labels a role should and should not see, from every app's declared sections."""
    shown: list[str] = []
    hidden: list[str] = []
    for config in apps.get_app_configs():
        for label, name, capability in getattr(config, "navigation", ()):
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            (shown if user.role in GRANTS[capability] else hidden).append(label)
    return shown, [h for h in hidden if h not in shown]


@pytest.mark.parametrize("persona", ["admin", "lead", "hr", "manager", "board", "analyst"])
def test_each_role_signs_in_to_a_home_page_with_its_own_menu(
    page: Any, seeded: Seeded, persona: str
) -> None:
    user = seeded.personas.all()[persona]
    sign_in(page, user.username, seeded.personas.password)

    assert urlsplit(page.url).path == "/"
    assert page.get_by_role("heading", level=1).is_visible()
    menu = page.get_by_role("navigation", name="Menu")
    shown, hidden = menu_for(user)
    for label in shown:
        assert menu.get_by_role("link", name=label, exact=True).count() == 1, label
    for label in hidden:
        assert menu.get_by_role("link", name=label, exact=True).count() == 0, label
    violations = axe_violations(page)
    assert not violations, describe(violations, f"home page for {persona}")


def test_a_wrong_password_is_refused_with_an_accessible_message(page: Any, seeded: Seeded) -> None:
    sign_in(page, seeded.personas.lead.username, "not-the-password")

    assert page.get_by_role("alert").is_visible()
    assert "Enter a correct username and password" in page.content()
    violations = axe_violations(page)
    assert not violations, describe(violations, "sign-in page with an error")


def _same_site_links(page: Any, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        href, _ = urldefrag(href)
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        if parts.path.startswith(SKIP_PREFIXES):
            continue
        if any(hint in href.lower() for hint in DOWNLOAD_HINTS):
            continue
        found.append(href[len(origin) :])
    return found


def crawl(page: Any, start: str, limit: int) -> list[tuple[str, int | None, list[Any]]]:
    """Breadth-first over same-site links from `start`: (address, status, axe violations)."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    queue = deque([start])
    seen = {start}
    variants: dict[str, int] = {}
    visited: list[tuple[str, int | None, list[Any]]] = []
    while queue and len(visited) < limit:
        address = queue.popleft()
        response = page.goto(address)
        status = response.status if response else None
        violations = axe_violations(page) if status == 200 else []
        visited.append((address, status, violations))
        for link in _same_site_links(page, origin):
            path = urlsplit(link).path
            if link in seen:
                continue
            if urlsplit(link).query:
                if variants.get(path, 0) >= QUERY_VARIANTS:
                    continue
                variants[path] = variants.get(path, 0) + 1
            seen.add(link)
            queue.append(link)
    return visited


def demo_lead(seeded: Seeded) -> tuple[str, str]:
    """The demo authority's workforce lead when the demo generator is there (richer pages: cases,
    campaigns, history), else the seeded persona."""
    try:
        from workforce.demo import generator
    except ImportError:
        return seeded.personas.lead.username, seeded.personas.password
    call_command("seed_demo", scale="team", seed=1, today=dt.date(2026, 3, 31), verbosity=0)
    return "lead", generator.DEMO_PASSWORD


def test_every_page_the_workforce_lead_can_reach_passes_axe(page: Any, seeded: Seeded) -> None:
    sign_in(page, *demo_lead(seeded))

    visited = crawl(page, "/", CRAWL_LIMIT)

    print(f"\nCrawled {len(visited)} pages as the workforce lead:")
    for address, status, violations in visited:
        print(f"  {status} {address} ({len(violations)} problems)")
    broken = [f"{status} {address}" for address, status, _ in visited if status != 200]
    problems = [describe(v, address) for address, _, v in visited if v]
    assert len(visited) > 3, "the crawl found almost nothing: are the menu links there?"
    assert not broken, "Pages that did not open:\n" + "\n".join(broken)
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("persona", ["admin", "board"])
def test_the_pages_in_other_roles_menus_pass_axe(page: Any, seeded: Seeded, persona: str) -> None:
    user = seeded.personas.all()[persona]
    sign_in(page, user.username, seeded.personas.password)
    links = page.get_by_role("navigation", name="Menu").get_by_role("link")
    addresses = [links.nth(i).get_attribute("href") for i in range(links.count())]
    if persona == "admin":  # reached from the audit trail, and with a filter to correct
        addresses += [reverse("access_log"), reverse("access_log") + "?record_id=x"]

    problems = []
    for address in addresses:
        response = page.goto(address)
        assert response is not None and response.status == 200, address
        violations = axe_violations(page)
        if violations:
            problems.append(describe(violations, address))
        if persona == "board":
            text = page.content()
            problems += [f"{address} shows {n!r}" for n in seeded.worker_names if n in text]
    assert not problems, "\n\n".join(problems)


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(
    page: Any, seeded: Seeded
) -> None:
    sign_in(page, seeded.personas.lead.username, seeded.personas.password)
    page.goto("/")

    page.keyboard.press("Tab")
    focused = page.evaluate(
        "document.activeElement.className + '|' + document.activeElement.textContent"
    )
    assert "govuk-skip-link" in focused, focused
    assert page.locator(".govuk-skip-link").is_visible()  # visible when focused

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_the_menu_and_sign_out_work_from_the_keyboard(page: Any, seeded: Seeded) -> None:
    sign_in(page, seeded.personas.lead.username, seeded.personas.password)
    page.goto("/")

    sign_out = page.get_by_role("button", name="Sign out")
    sign_out.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert urlsplit(page.url).path == "/sign-in/"
    page.goto("/")
    assert urlsplit(page.url).path == "/sign-in/"
