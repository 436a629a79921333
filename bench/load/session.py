"""One load run against a throwaway PostgreSQL database; run inside `.ci/with-postgres`, which
starts the cluster, sets DATABASE_URL and removes the cluster afterwards:

    bash .ci/with-postgres .venv/bin/python -m bench.load.session --scale la --out la.json

It builds the demo (or restores the dump of an identical build kept in .bench/), makes the
load-test logins (bench/load/prepare.py), starts gunicorn on 127.0.0.1 with the production
settings (config/gunicorn.py, PRODUCTION=1, throwaway secrets), runs locust headless for a
bounded time, stops gunicorn whatever happens, and writes the figures (bench/load/results.py)
with the failed sign-ins counted afterwards (there must be none: nobody is locked out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / ".bench"
TODAY = "2025-09-30"  # as bench/run.py: a kept dump stays comparable

# Which users each run simulates: every role on the local-authority demo; regional analysts
# at England scale, where every authority's establishment and history is built but not the
# other apps' demo data (caseloads, recruitment, careers), whose England build takes hours.
RUNS: dict[str, dict[str, Any]] = {
    "la": {"classes": [], "regional": False, "seed": []},
    "england": {
        "classes": ["RegionalAnalyst"],
        "regional": True,
        "seed": ["--establishment-only"],
    },
}


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **extra}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _run(args: list[str], **kwargs: Any) -> None:
    subprocess.run(args, cwd=ROOT, env=_env(), check=True, **kwargs)


def _manage(*args: str) -> None:
    _run([sys.executable, str(ROOT / "manage.py"), *args])


def _pg(tool: str) -> str:
    bindirs = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return str(bindirs[-1] / tool)


def build_database(scale: str, seed: int, rebuild: bool) -> str:
    """The demo at `scale` in the empty database DATABASE_URL names: restored from a kept dump
    of the same build, else seeded (and the dump kept for next time)."""
    sys.path.insert(0, str(ROOT))
    from bench.run import _fingerprint

    url = os.environ["DATABASE_URL"]
    dump = OUT / f"load-{scale}.pgdump"
    meta_path = OUT / f"load-{scale}.json"
    options = RUNS[scale]["seed"]
    wanted = {
        "scale": scale,
        "seed": seed,
        "today": TODAY,
        "options": options,
        "fingerprint": _fingerprint(),
    }
    kept = json.loads(meta_path.read_text()) if meta_path.exists() and dump.exists() else {}
    if not rebuild and all(kept.get(k) == v for k, v in wanted.items()):
        print(f"Restoring {dump.relative_to(ROOT)} ...", flush=True)
        _run([_pg("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", url, str(dump)])
        _analyze(url)
        return "restored"
    OUT.mkdir(exist_ok=True)
    print(f"Building the {scale} demo on PostgreSQL ...", flush=True)
    started = time.perf_counter()
    _manage("migrate", "--noinput", "-v0")
    _manage("seed_demo", "--scale", scale, "--seed", str(seed), "--today", TODAY, *options)
    took = round(time.perf_counter() - started, 1)
    _run([_pg("pg_dump"), "--format=custom", "--file", str(dump), url])
    meta_path.write_text(json.dumps({**wanted, "seconds": took}, indent=2))
    _analyze(url)
    return f"seeded in {took} s"


def _analyze(url: str) -> None:
    """The planner's statistics, as autovacuum keeps them on a running database: a database
    just restored or filled has none, and some pages' queries then take many times longer."""
    _run([_pg("vacuumdb"), "--analyze-only", "--quiet", "--dbname", url])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> int:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except OSError:
        return 0


def production_env(port: int, workdir: Path) -> dict[str, str]:
    """The production settings with throwaway secrets, for gunicorn on loopback."""
    return _env(
        PRODUCTION="1",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        CHILD_REF_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        BIND=f"127.0.0.1:{port}",
        STATIC_ROOT=str(workdir / "static"),
        LOG_LEVEL="WARNING",
    )


def load_run(
    scale: str, *, users: int, spawn_rate: int, seconds: int, wait: str, workdir: Path
) -> dict[str, Any]:
    from bench.load import results

    logins = workdir / "logins.json"
    run = RUNS[scale]
    prepare = [sys.executable, "-m", "bench.load.prepare", "--per-role", str(users)]
    prepare += ["--out", str(logins)]
    if run["regional"]:
        prepare += ["--roles", "analyst", "--regional-analysts"]
    _run(prepare)

    port = _free_port()
    env = production_env(port, workdir)
    (workdir / "static").mkdir()
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "config/gunicorn.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    host = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while _get(f"{host}/health/") != 200:
            if gunicorn.poll() is not None or time.monotonic() > deadline:
                tail = (workdir / "gunicorn.log").read_text()[-2000:]
                raise RuntimeError(f"gunicorn did not start:\n{tail}")
            time.sleep(0.5)
        load_before = os.getloadavg()
        started = time.perf_counter()
        command = [str(BIN / "locust"), "-f", str(ROOT / "bench/load/locustfile.py")]
        command += ["--headless", "--host", host, "--users", str(users + 1)]
        command += ["--spawn-rate", str(spawn_rate), "--run-time", f"{seconds}s"]
        command += ["--stop-timeout", "10", "--csv", str(workdir / "locust"), "--only-summary"]
        command += ["--loglevel", "WARNING"]
        if run["classes"]:
            command += [*run["classes"], "HealthProbe"]
        locust_env = _env(
            LOAD_LOGINS=str(logins), LOAD_SAMPLES=str(workdir / "samples.csv"), LOAD_WAIT=wait
        )
        subprocess.run(command, cwd=ROOT, env=locust_env, timeout=seconds + 120)
        took = time.perf_counter() - started
        load_after = os.getloadavg()
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
            gunicorn.wait()
        log.close()

    summary = results.summarise(results.read_samples(workdir / "samples.csv"), took)
    stats = results.read_locust_stats(workdir / "locust_stats.csv")
    return {
        **summary,
        "locust": stats.get("Aggregated", {}),
        "failed_sign_ins": _failed_sign_ins(),
        "users": users,
        "spawn_rate": spawn_rate,
        "seconds": round(took, 1),
        "wait_seconds": wait,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
        "gunicorn_workers": int(env.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2 + 1))),
    }


def _failed_sign_ins() -> int:
    """Failed sign-ins recorded by django-axes: any at all would count towards a lockout."""
    script = (
        "import django; django.setup(); from axes.models import AccessAttempt; "
        "print(sum(a.failures_since_start for a in AccessAttempt.objects.all()))"
    )
    found = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return int(found.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--scale", choices=sorted(RUNS), default="la")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--wait", default="1,5", help="Pause between pages, low,high seconds.")
    parser.add_argument("--rebuild", action="store_true", help="Seed afresh, not from a dump.")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ or not os.environ["DATABASE_URL"].startswith("postgres"):
        print("Run inside .ci/with-postgres: DATABASE_URL must name a throwaway PostgreSQL.")
        return 2
    built = build_database(args.scale, args.seed, args.rebuild)
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        figures = load_run(
            args.scale,
            users=args.users,
            spawn_rate=args.spawn_rate,
            seconds=args.seconds,
            wait=args.wait,
            workdir=Path(tmp),
        )
    figures.update(scale=args.scale, database=built, at=dt.datetime.now(dt.UTC).isoformat())
    Path(args.out).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
