"""Regenerate the screenshots in this folder from a freshly built demo authority.

    .venv/bin/python docs/screenshots/make_screenshots.py

It builds the demo in a temporary SQLite database (never your own), serves it on a spare local
port, signs in as the demo workforce lead in Debian's Chromium and captures the pages below.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PAGES = {
    "home": "/",
    "establishment": "/establishment/",
    "teams": "/establishment/teams/",
    "metrics": "/metrics/",
    "caseloads": "/caseloads/",
    "recruitment": "/recruitment/",
    "action-plans": "/action-plans/",
    "careers": "/careers/",
    "retention": "/careers/retention/",
    "benchmarks": "/benchmarks/",  # the demo authority's live figures against its region
}
# Pages reached by following a link from one above: (file name, page, the link's text).
FOLLOWED = [
    (
        "action-plan",
        "/action-plans/",
        "Recruitment, retention and workload of children's social workers",
    ),
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {url}")


def capture(base: str, username: str, password: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(
            base_url=base, viewport={"width": 1280, "height": 900}, locale="en-GB"
        )
        # As the browser tests sign in: the password, then (a workforce lead) the code the
        # authenticator app would show, set up on the way.
        from workforce.e2e.conftest import sign_in

        sign_in(page, username, password)
        for name, address in PAGES.items():
            response = page.goto(address)
            if response is None or response.status != 200:
                print(f"skipped {address}: {response.status if response else 'no answer'}")
                continue
            page.wait_for_load_state("networkidle")
            path = HERE / f"{name}.png"
            page.screenshot(path=str(path), full_page=False)
            print(f"wrote {path.relative_to(ROOT)}")
        for name, address, link in FOLLOWED:
            page.goto(address)
            page.get_by_role("link", name=link).first.click()
            page.wait_for_load_state("networkidle")
            path = HERE / f"{name}.png"
            page.screenshot(path=str(path), full_page=False)
            print(f"wrote {path.relative_to(ROOT)}")
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/screens.sqlite3",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(ROOT),
        }
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_reference_data")
        manage(env, "seed_demo", "--scale", "la", "--seed", "1")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/sign-in/")
            sys.path.insert(0, str(ROOT))
            os.environ.update(env)
            import django

            django.setup()
            from workforce.demo import generator

            capture(base, "lead", generator.DEMO_PASSWORD)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
