"""Production settings: refused without a secret key, Django's deployment checks find nothing,
and gunicorn's settings from the environment are checked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "PRODUCTION": "1",
    "SECRET_KEY": "a-long-random-test-key-" + "x" * 40,
    "ALLOWED_HOSTS": "workforce.example.gov.uk",
    "CSRF_TRUSTED_ORIGINS": "https://workforce.example.gov.uk",
    "CHILD_REF_KEY": "a-test-child-reference-key-0123456789",
    "DEBUG": "0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Not the test run's own settings: the browser tests allow async-unsafe calls, for example.
    ours = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_checks_pass_in_production() -> None:
    result = manage("check", "--deploy", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    found = set(re.findall(r"\((security\.\w+)\)", result.stderr))
    assert found == set(), result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when PRODUCTION=1." in result.stderr


def test_gunicorn_names_a_setting_that_is_not_a_whole_number() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [str(Path(sys.executable).with_name("gunicorn")), "--config", "config/gunicorn.py"]
        + ["--check-config", "config.wsgi:application"],
        cwd=ROOT,
        env={**clean, "GUNICORN_KEEPALIVE": "a minute"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "GUNICORN_KEEPALIVE must be a whole number of at least 1, not 'a minute'." in (
        result.stdout + result.stderr
    )
    assert "Traceback" not in result.stdout + result.stderr
