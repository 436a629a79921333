"""What each role's simulated user opens, and how a page's answer is judged (no locust here, so
tests import it without locust's patching of the standard library).

A mix is a list of (weight, group, address). An address may name records, filled from the
login's own lists (bench/load/prepare.py): {worker}, {team}, {campaign}, {report}, {plan},
{area} and {measure}. Every request of a group is timed under the group's name, so the figures
are per kind of page, not per record.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import re
import struct
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

SIGN_IN = "/sign-in/"
TWO_FACTOR = "/account/two-factor/"
HEALTH = "/health/"

Mix = Sequence[tuple[int, str, str]]

# Shared by every role (all have VIEW_AGGREGATES): figures without names.
_FIGURES: list[tuple[int, str, str]] = [
    (6, "home", "/"),
    (5, "metrics dashboard", "/metrics/"),
    (2, "establishment table", "/establishment/"),
    (2, "teams list", "/establishment/teams/"),
    (2, "team page", "/establishment/teams/{team}/"),
    (3, "caseloads overview", "/caseloads/"),
    (2, "caseloads heat map", "/caseloads/teams/"),
    (3, "recruitment campaigns", "/recruitment/"),
    (2, "campaign page", "/recruitment/campaigns/{campaign}/"),
    (2, "recruitment reports", "/recruitment/reports/"),
    (3, "reports list", "/reports/"),
    (1, "report page", "/reports/{report}/"),
    (2, "benchmarks", "/benchmarks/"),
    (1, "pay benchmarks", "/benchmarks/pay/"),
    (2, "careers overview", "/careers/"),
    (1, "retention", "/careers/retention/"),
    (1, "action plans", "/action-plans/"),
    (1, "action plan page", "/action-plans/{plan}/"),
]
# Names: roles with VIEW_PEOPLE.
_PEOPLE: list[tuple[int, str, str]] = [
    (4, "people list", "/establishment/people/"),
    (6, "person page", "/establishment/people/{worker}/"),
    (2, "caseload worker page", "/caseloads/workers/{worker}/"),
    (2, "caseload team page", "/caseloads/teams/{team}/"),
    (2, "unallocated cases", "/caseloads/unallocated/"),
    (2, "supervision", "/caseloads/supervision/"),
]

MIXES: dict[str, Mix] = {
    "workforce_lead": _FIGURES + _PEOPLE + [(1, "imports", "/imports/")],
    "hr_officer": _FIGURES
    + _PEOPLE
    + [
        (3, "recruitment tasks", "/recruitment/tasks/"),
        (1, "early career cohorts", "/careers/cohorts/"),
        (1, "trainees", "/careers/trainees/"),
    ],
    "team_manager": _FIGURES + [(w * 2, g, a) for w, g, a in _PEOPLE],
    "board_member": _FIGURES + [(2, "report page", "/reports/{report}/")],
    "analyst": [
        (3, "home", "/"),
        (3, "metrics dashboard", "/metrics/"),
        (4, "benchmarks", "/benchmarks/"),
        (10, "benchmark comparison", "/benchmarks/?area={area}&measure={measure}"),
        (2, "pay benchmarks", "/benchmarks/pay/"),
        (1, "careers overview", "/careers/"),
        (1, "caseloads overview", "/caseloads/"),
        (1, "recruitment reports", "/recruitment/reports/"),
    ],
    "admin": _FIGURES
    + [
        (2, "users", "/users/"),
        (1, "audit", "/audit/"),
        (1, "imports", "/imports/"),
    ],
}

MEASURES = (
    "turnover",
    "agency",
    "vacancy",
    "caseload",
    "absence",
    "starters",
    "leavers",
    "referrals",
    "rereferrals",
    "three_plus_social_workers",
)
_FIELDS = {
    "worker": "workers",
    "team": "teams",
    "campaign": "campaigns",
    "report": "reports",
    "plan": "plans",
    "area": "areas",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(address: str, login: Mapping[str, Any], rng: random.Random) -> str | None:
    """The address with its records chosen from the login's lists; None if it has none."""
    values: dict[str, str] = {}
    for name in _PLACEHOLDER.findall(address):
        if name == "measure":
            values[name] = rng.choice(MEASURES)
            continue
        choices = login.get(_FIELDS[name]) or []
        if not choices:
            return None
        values[name] = str(rng.choice(choices))
    return address.format(**values)


def choose(mix: Mix, login: Mapping[str, Any], rng: random.Random) -> tuple[str, str]:
    """A (group, address) drawn by weight among the pages this login has records for."""
    usable = [(w, g, a) for w, g, a in mix if fill(a, login, rng) is not None]
    weight, group, address = rng.choices(usable, weights=[w for w, _, _ in usable])[0]
    filled = fill(address, login, rng)
    assert filled is not None
    return group, filled


def page_problem(status: int, url: str) -> str | None:
    """Why an answer is not the page asked for: an error, or sent to sign in again."""
    path = urlsplit(url).path
    if status != 200:
        return f"status {status}"
    if path.startswith((SIGN_IN, TWO_FACTOR)):
        return f"sent to {path} instead of the page"
    return None


def totp(
    key_hex: str, *, step: int = 30, t0: int = 0, digits: int = 6, at: float | None = None
) -> str:
    """The code an authenticator app shows for this key now (RFC 6238, HMAC-SHA1)."""
    counter = int(((time.time() if at is None else at) - t0) // step)
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    (number,) = struct.unpack(">I", mac[offset : offset + 4])
    return f"{(number & 0x7FFFFFFF) % 10**digits:0{digits}d}"
