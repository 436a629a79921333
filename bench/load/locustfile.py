"""Simulated users of each role: sign in once (with the two-factor code where the role needs
one), then open their role's pages (bench/load/pages.py) with a pause between pages.

Run by bench/load/session.py against gunicorn on loopback; by hand:

    LOAD_LOGINS=logins.json locust -f bench/load/locustfile.py --headless \
        --host http://127.0.0.1:8765 -u 51 -r 10 -t 60s

Environment:
    LOAD_LOGINS   the logins file bench/load/prepare.py wrote (each simulated user takes its own)
    LOAD_SAMPLES  where to write every request's group, time and outcome (CSV) when the run ends
    LOAD_WAIT     the pause between pages, "low,high" seconds (default "1,5")

The service runs as in production behind its HTTPS proxy: each request says so
(X-Forwarded-Proto), and the session cookie, marked Secure, is sent back over loopback as the
proxy would. A page counts as failed unless it answers 200 and is the page asked for (not the
sign-in page).
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, constant, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.load import pages  # noqa: E402

_low, _high = (float(x) for x in os.environ.get("LOAD_WAIT", "1,5").split(","))


def _logins() -> dict[str, list[dict[str, Any]]]:
    path = os.environ.get("LOAD_LOGINS")
    pools: dict[str, list[dict[str, Any]]] = {}
    if path:
        for login in json.loads(Path(path).read_text()):
            pools.setdefault(login["role"], []).append(login)
    return pools


POOLS = _logins()
SAMPLES: list[tuple[str, float, bool, float]] = []


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **kwargs: Any) -> None:
    started = kwargs.get("start_time") or time.time() - response_time / 1000
    SAMPLES.append((name, response_time, exception is None, started))


@events.test_stop.add_listener
def _write_samples(**kwargs: Any) -> None:
    path = os.environ.get("LOAD_SAMPLES")
    if not path:
        return
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["group", "ms", "ok", "start"])
        writer.writerows(
            (name, f"{ms:.1f}", int(ok), f"{start:.3f}") for name, ms, ok, start in SAMPLES
        )


class _Proxied(HttpUser):
    abstract = True

    def on_start(self) -> None:
        # What the HTTPS proxy in front of gunicorn adds; the Secure cookies come back over it.
        client = self.client
        client.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"})
        client.cookies.set_policy(DefaultCookiePolicy(secure_protocols=("https", "http")))
        plain = client.prepare_request

        def prepare_request(request: Any) -> Any:
            # requests copies the cookies into a jar of its default policy, which keeps Secure
            # cookies off plain HTTP: they are taken from the session's own jar instead.
            prepared = plain(request)
            prepared.headers.pop("Cookie", None)
            prepared.prepare_cookies(client.cookies)
            return prepared

        client.prepare_request = prepare_request  # type: ignore[method-assign]

    def referer(self, path: str) -> str:
        return f"https://{urlsplit(str(self.host)).netloc}{path}"

    def open(self, group: str, address: str) -> bool:
        with self.client.get(address, name=group, catch_response=True) as response:
            problem = pages.page_problem(response.status_code, response.url or "")
            if problem:
                if response.status_code == 0:  # no answer: say why (refused, reset, timed out)
                    problem += f" ({type(response.error).__name__}: {str(response.error)[:160]})"
                response.failure(problem)
                return False
            response.success()
            return True


class RoleUser(_Proxied):
    """One login of `role`, signed in once, opening the role's pages until the run ends."""

    abstract = True
    role = ""
    wait_time = between(_low, _high)

    def on_start(self) -> None:
        super().on_start()
        pool = POOLS.get(self.role) or []
        if not pool:
            raise StopUser()
        self.login = pool.pop(0)
        self.rng = random.Random(self.login["username"])
        self.sign_in()

    def post(self, path: str, data: dict[str, str], group: str) -> Any:
        token = self.client.cookies.get("csrftoken", "")
        return self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"Referer": self.referer(path)},
            name=group,
            catch_response=True,
        )

    def sign_in(self) -> None:
        self.client.get(pages.SIGN_IN, name="sign in: form")
        credentials = {"username": self.login["username"], "password": self.login["password"]}
        with self.post(pages.SIGN_IN, credentials, "sign in: password") as response:
            path = urlsplit(response.url or "").path
            if response.status_code != 200 or path == pages.SIGN_IN:
                response.failure(f"password refused (status {response.status_code})")
                raise StopUser()
            response.success()
        if path == pages.TWO_FACTOR:
            device = self.login["totp"] or {}
            code = pages.totp(
                device.get("key", ""),
                step=device.get("step", 30),
                t0=device.get("t0", 0),
                digits=device.get("digits", 6),
            )
            with self.post(pages.TWO_FACTOR, {"code": code}, "sign in: code") as response:
                problem = pages.page_problem(response.status_code, response.url or "")
                if problem:
                    response.failure(f"code refused: {problem}")
                    raise StopUser()
                response.success()

    @task
    def page(self) -> None:
        group, address = pages.choose(pages.MIXES[self.role], self.login, self.rng)
        self.open(group, address)


class WorkforceLead(RoleUser):
    role = "workforce_lead"
    weight = 8


class HROfficer(RoleUser):
    role = "hr_officer"
    weight = 10


class TeamManager(RoleUser):
    role = "team_manager"
    weight = 15


class BoardMember(RoleUser):
    role = "board_member"
    weight = 7


class RegionalAnalyst(RoleUser):
    role = "analyst"
    weight = 6


class Administrator(RoleUser):
    role = "admin"
    weight = 4


class HealthProbe(_Proxied):
    """The floor: the health check, which reads almost nothing, once a second under the same
    load. One of these beside the role users (`fixed_count`)."""

    fixed_count = 1
    wait_time = constant(1)

    @task
    def health(self) -> None:
        self.open("health (floor)", pages.HEALTH)


ROLE_USERS = (WorkforceLead, HROfficer, TeamManager, BoardMember, RegionalAnalyst, Administrator)
