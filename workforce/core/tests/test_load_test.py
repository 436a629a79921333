"""The load test's parts that can be checked without running it (bench/load/, bench/bench_load.py):
the locustfile loads and simulates every role, every page a role's users open is one the role
may open, their two-factor codes are the ones an authenticator app gives, and the figures are
read correctly from a run's files."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import resolve
from django_otp.oath import TOTP

from bench.bench_load import results_rows
from bench.load import pages, results
from bench.run import Context
from workforce.core.access import GRANTS
from workforce.core.models import UserRole

ROOT = Path(__file__).resolve().parents[3]

LOGIN = {
    "workers": [11, 12],
    "teams": [3],
    "campaigns": [5],
    "reports": [7],
    "plans": [9],
    "areas": ["330", "331"],
}


def test_locustfile_loads_and_has_a_user_class_for_every_role() -> None:
    # In its own process: importing locust patches the standard library for gevent.
    script = (
        "import json; from bench.load import locustfile as f; print(json.dumps({"
        "'roles': {c.__name__: [c.role, c.weight] for c in f.ROLE_USERS}, "
        "'probe': f.HealthProbe.fixed_count}))"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(found.stdout.strip().splitlines()[-1])
    roles = {role for role, _ in loaded["roles"].values()}
    assert roles == set(UserRole.values)
    assert sum(weight for _, weight in loaded["roles"].values()) == 50  # 50 users: one each
    assert loaded["probe"] == 1
    assert set(pages.MIXES) == set(UserRole.values)


@pytest.mark.parametrize("role", UserRole.values)
def test_every_page_of_a_role_is_one_it_may_open(role: str) -> None:
    rng = random.Random(1)
    for _, group, address in pages.MIXES[role]:
        filled = pages.fill(address, LOGIN, rng)
        assert filled is not None, address
        view = resolve(filled.split("?")[0]).func
        required = getattr(view, "required_capabilities", None)
        assert required is not None, f"{group}: {filled} is not a page of ours"
        assert all(role in GRANTS[c] for c in required), f"{role} may not open {group}"


def test_an_address_naming_records_the_login_has_none_of_is_not_chosen() -> None:
    rng = random.Random(1)
    assert pages.fill("/establishment/people/{worker}/", {"workers": []}, rng) is None
    assert pages.fill("/establishment/people/{worker}/", {"workers": [42]}, rng) == (
        "/establishment/people/42/"
    )
    mix = [(1, "person page", "/establishment/people/{worker}/"), (1, "home", "/")]
    assert {pages.choose(mix, {"workers": []}, rng) for _ in range(20)} == {("home", "/")}
    address = pages.fill("/benchmarks/?area={area}&measure={measure}", LOGIN, rng)
    assert address is not None and address.split("area=")[1][:3] in ("330", "331")


def test_two_factor_code_is_the_one_an_authenticator_app_shows() -> None:
    key = "3132333435363738393031323334353637383930"  # RFC 6238's test key
    # RFC 6238, appendix B: at 59 seconds the 8-digit SHA-1 code is 94287082.
    assert pages.totp(key, digits=8, at=59) == "94287082"
    at = 1_700_000_000
    expected = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
    expected.time = at
    assert pages.totp(key, at=at) == f"{expected.token():06d}"


def test_a_page_counts_only_when_it_is_the_page_asked_for() -> None:
    assert pages.page_problem(200, "http://127.0.0.1:8000/metrics/") is None
    assert pages.page_problem(500, "http://127.0.0.1:8000/metrics/") == "status 500"
    assert pages.page_problem(403, "http://127.0.0.1:8000/users/") == "status 403"
    assert pages.page_problem(200, "http://127.0.0.1:8000/sign-in/?next=/metrics/") == (
        "sent to /sign-in/ instead of the page"
    )
    assert pages.page_problem(200, "http://127.0.0.1:8000/account/two-factor/") is not None


# Everyone has signed in by 1000.5 (started at 1000.1, took 400 ms).
SAMPLES = """group,ms,ok,start
home,10.0,1,1000.0
home,20.0,1,1001.0
home,30.0,1,1002.0
home,40.0,0,1003.0
person page,100.0,1,1000.2
sign in: password,400.0,1,1000.1
health (floor),2.0,1,1000.0
health (floor),4.0,1,1001.0
"""

# The first lines of locust 2's PREFIX_stats.csv, as it writes them.
LOCUST_STATS = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,"
    "75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
    "GET,home,4,1,20,25.0,10.0,40.0,5120.0,0.4,0.1,20,30,30,40,40,40,40,40,40,40,40\n"
    "GET,health (floor),2,0,2,3.0,2.0,4.0,49.0,0.2,0.0,2,4,4,4,4,4,4,4,4,4,4\n"
    ",Aggregated,8,1,20,75.75,2.0,400.0,2000.0,0.8,0.1,20,30,40,100,100,400,400,400,400,400,"
    "400\n"
)


def test_figures_from_the_samples(tmp_path: Path) -> None:
    path = tmp_path / "samples.csv"
    path.write_text(SAMPLES)
    summary = results.summarise(results.read_samples(path), seconds=10)
    # Pages: home and the person page (not signing in, not the floor): 10 20 30 40 100.
    assert summary["pages"] == {
        "requests": 5,
        "failures": 1,
        "p50_ms": 30.0,
        "p95_ms": 100.0,
        "p99_ms": 100.0,
        "max_ms": 100.0,
    }
    # Once everyone had signed in: home at 1001, 1002 and 1003.
    assert summary["pages_after_sign_in"]["requests"] == 3
    assert summary["pages_after_sign_in"]["p95_ms"] == 40.0
    assert summary["groups"]["home"]["p50_ms"] == 20.0  # nearest rank: 2nd of 4
    assert summary["groups"]["home"]["p95_ms"] == 40.0
    assert summary["sign_in"]["requests"] == 1
    assert summary["floor"]["p95_ms"] == 4.0
    assert summary["errors"] == 1
    assert summary["pages_per_second"] == 0.5


def test_figures_from_locusts_summary(tmp_path: Path) -> None:
    path = tmp_path / "locust_stats.csv"
    path.write_text(LOCUST_STATS)
    stats = results.read_locust_stats(path)
    assert stats["Aggregated"] == {
        "requests": 8,
        "failures": 1,
        "requests_per_second": 0.8,
        "p50_ms": 20.0,
        "p95_ms": 400.0,
        "p99_ms": 400.0,
    }
    assert stats["home"]["p95_ms"] == 40.0


def test_bench_rows_name_errors_and_compare_with_the_floor(tmp_path: Path) -> None:
    path = tmp_path / "samples.csv"
    path.write_text(SAMPLES)
    figures = results.summarise(results.read_samples(path), seconds=10)
    figures.update(
        scale="la",
        users=50,
        failed_sign_ins=0,
        seconds=10,
        wait_seconds="1,5",
        load_average_before=[1.0, 1.0, 1.0],
        load_average_after=[2.0, 1.0, 1.0],
        gunicorn_workers=5,
        locust={},
    )
    ctx = Context(
        scale="england",
        seed=1,
        today=dt.date(2025, 9, 30),
        repeat=1,
        database=Path(),
        seed_seconds=None,
        seed_rows=0,
    )
    rows = results_rows(ctx, figures)
    overall = rows[0]
    assert overall["name"] == "load la, 50 users (every role): all pages, 1 errors"
    assert overall["seconds"] == 0.1
    assert overall["floor_seconds"] == 0.004
    assert overall["ratio"] == 25.0
    assert overall["within_target"] is True
    assert overall["scale"] == "la"
    assert rows[1]["name"].endswith("pages once all had signed in")
    assert rows[1]["seconds"] == 0.04
    assert rows[2]["name"].endswith("signing in (password, code)")
    assert [r["name"].rsplit(": ", 1)[1] for r in rows[3:]] == ["person page", "home"]


def test_only_load_runs_the_load_section_alone() -> None:
    from bench.run import _modules

    assert _modules("load") == ["bench_load"]  # not also bench_caseloads
    assert "bench_caseloads" in _modules("case")
