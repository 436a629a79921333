"""The caseload measures in the metrics registry and the `metrics` command."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

from django.core.management import call_command

from workforce.metrics.engine import MetricsFilter, Timeline, components
from workforce.metrics.measures import REGISTRY

D = dt.date(2025, 9, 30)


def test_caseload_measures_are_registered():
    for key in ("cases_held", "case_holders", "case_holder_fte", "average_caseload"):
        assert key in REGISTRY


def test_metrics_command_json_has_the_dfe_caseload_figures(caseload_world):
    out = io.StringIO()
    code = caseload_world["authority"].code
    call_command("metrics", "--date", D.isoformat(), "--authority", code, "--json", stdout=out)
    measures = json.loads(out.getvalue())["measures"]
    assert measures["cases_held"]["value"] == 6
    assert measures["case_holders"]["value"] == 3
    assert measures["case_holder_fte"]["value"] == 2.5
    assert measures["average_caseload"]["value"] == 2.4


def test_metrics_command_json_has_every_caseload_figure(caseload_world):
    out = io.StringIO()
    code = caseload_world["authority"].code
    call_command("metrics", "--date", D.isoformat(), "--authority", code, "--json", stdout=out)
    caseloads = json.loads(out.getvalue())["caseloads"]
    assert caseloads["cases_held"] == 6
    assert caseloads["average_caseload"] == 2.4
    assert sum(caseloads["caseload_distribution"].values()) == caseloads["case_holders"]
    for key in (
        "unallocated_cases",
        "children_in_care_3_plus_social_workers",
        "supervision_compliance",
        "referrals_12_months",
    ):
        assert key in caseloads


def test_components_by_team_follow_the_holders_posts_and_add_up(caseload_world):
    where = MetricsFilter(authority_ids=(caseload_world["authority"].pk,))
    timeline = Timeline.monthly(D, 3)
    whole = components(["cases_held", "case_holder_fte"], where=where, timeline=timeline)
    by_team = components(
        ["cases_held", "case_holder_fte"], where=where, timeline=timeline, by="team"
    )
    assert whole["cases_held"][None] == [7, 6, 6]  # C8 closed on 1 August
    assert by_team["cases_held"][caseload_world["a"].pk] == [6, 5, 5]
    assert by_team["cases_held"][caseload_world["b"].pk] == [1, 1, 1]
    assert by_team["case_holder_fte"][caseload_world["b"].pk][-1] == Decimal("0.50")
