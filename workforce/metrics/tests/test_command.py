"""`manage.py metrics`: every measure with its counts, and clear refusals of bad arguments."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from workforce.metrics.tests.conftest import CENSUS

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("metrics", *args, stdout=out)
    return out.getvalue()


def test_json_has_every_headline_measure_with_its_counts(world):
    data = json.loads(run("--date", CENSUS.isoformat(), "--authority", "999", "--json"))
    assert data["date"] == "2025-09-30"
    assert data["year_from"] == "2024-10-01"
    m = data["measures"]
    assert m["in_post_fte"]["value"] == 3.0
    assert m["turnover_rate_fte"] == {
        "label": "Turnover rate",
        "unit": "rate",
        "value": float(Decimal("1.3") / Decimal("3.0")),
        "shown": 43.3,  # the percentage every page and download shows
        "numerator": 1.3,
        "numerator_is": "leavers_fte",
        "denominator": 3.0,
        "denominator_is": "in_post_fte",
    }
    assert m["agency_rate_fte"]["denominator"] == 4.6
    assert m["absence_rate_fte"]["denominator"] == 759.0  # 3.0 x 253
    assert data["counts"]["vacancy_fte"] == 2.0


def test_team_and_all_roles(world):
    team = run(
        "--date", "2025-09-30", "--authority", "999", "--team", str(world.team_b.pk), "--json"
    )
    assert json.loads(team)["measures"]["in_post_fte"]["value"] == 2.0
    everyone = json.loads(
        run("--date", "2025-09-30", "--authority", "999", "--all-roles", "--json")
    )
    assert everyone["measures"]["in_post_fte"]["value"] == 4.0


def test_plain_text_lists_the_measures(world):
    text = run("--date", "2025-09-30", "--authority", "999")
    assert "Agency rate" in text and "34.8%" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "30/09/2025"], "--date must be a date"),
        (["--date", "0001-01-31"], "--date must be between 1900-01-01 and 2099-12-31"),
        (["--date", "9999-12-31"], "--date must be between 1900-01-01 and 2099-12-31"),
        (["--date", "2025-09-30", "--authority", "123"], "No authority with code"),
        (["--date", "2025-09-30", "--team", "1"], "--team needs --authority"),
        (["--date", "2025-09-30", "--authority", "999", "--team", "999999"], "No team 999999"),
    ],
)
def test_bad_arguments_are_explained(world, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
