"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Run them alone with `pytest -m browser`; leave them out with `pytest -m "not browser"`.
Screenshots of failing pages are saved under test-artifacts/ (not committed).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run where it
# sees one unless told that this is deliberate. The live server itself runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from workforce.conftest import Personas  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
# Chromium as root needs --no-sandbox; the rest keep it off the network and quick to start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Generator[None, Any, None]:
    outcome: Any = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[FAILED] = report.failed


FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    if request.node.stash.get(FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-120:]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@dataclass
class Seeded:
    personas: Personas
    worker_names: list[str]


@pytest.fixture
def seeded(personas: Personas, reference_data: None) -> Seeded:
    """A small establishment for the personas' authority, built through the services."""
    from workforce.establishment import services
    from workforce.establishment.models import AgencyCover, Role

    authority = personas.own_team.authority
    worker_role = Role.objects.create(
        authority=authority, title="Social worker", org_role="5", case_holding=True, order=5
    )
    manager_role = Role.objects.create(
        authority=authority, title="Team manager", org_role="3", case_holding=False, order=3
    )
    start = dt.date(2023, 4, 1)
    people = iter(
        [("Amara", "Okafor"), ("Bertie", "Lund"), ("Cerys", "Pryce"), ("Gwen", "Halloran")]
        + [("Dmitri", "Sokolov"), ("Efua", "Mensah"), ("Fionn", "Gallagher"), ("Hal", "Brennan")]
    )
    names: list[str] = []
    for number, team in enumerate((personas.own_team, personas.other_team)):
        posts = [
            services.create_post(
                authority=authority,
                team=team,
                role=manager_role if i == 0 else worker_role,
                reference=f"P{number}-{i:02d}",
                fte=Decimal("1.00"),
                start=start,
            )
            for i in range(5)
        ]
        workers = []
        for i in range(4):
            first, last = next(people)
            workers.append(
                services.create_worker(
                    authority=authority,
                    staff_number=f"E{number}{i:03d}",
                    first_name=first,
                    last_name=last,
                )
            )
            names.append(f"{first} {last}")
        for worker, post in zip(workers[:3], posts[:3], strict=True):
            services.appoint_worker(worker=worker, post=post, start=start, fte=Decimal("1.00"))
        services.record_absence(
            worker=workers[2],
            start=dt.date(2024, 1, 8),
            end=dt.date(2024, 1, 13),
            reason="SIC",
            working_days_lost=Decimal("5"),
        )
        services.start_agency_assignment(
            worker=workers[3],
            post=posts[3],
            start=dt.date(2024, 6, 1),
            fte=Decimal("1.00"),
            agency_name="Example Recruitment Ltd",
            charge_rate=Decimal("45.00"),
            covers=AgencyCover.VACANCY,
        )
    return Seeded(personas=personas, worker_names=names)


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if "/account/two-factor/" in page.url:
        # An administrator or workforce lead: the code from their authenticator app (set up on
        # the way if they have none), as the app would show it.
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from workforce.core.tests.signin import code_for

        device = TOTPDevice.objects.filter(user__username=username).latest("id")
        page.get_by_label("Code from your authenticator app").fill(code_for(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()


def fill_date(page: Any, label: str, iso: str) -> None:
    """Type an ISO date into the GOV.UK date input whose legend is `label`."""
    year, month, day = iso.split("-")
    group = page.get_by_role("group", name=label)
    for box, value in (("Day", day), ("Month", month), ("Year", year)):
        group.get_by_label(box).fill(str(int(value)))


_AXE: Any = None


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the current page (WCAG 2.2 A and AA, and best practice)."""
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()
    return list(_AXE.run(page).response.get("violations", []))


def describe(violations: list[dict[str, Any]], where: str) -> str:
    lines = [f"{where}: {len(violations)} accessibility problem(s)"]
    for v in violations:
        lines.append(f"- [{v.get('impact')}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", [])[:5]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)
