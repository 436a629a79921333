"""The metrics app's panels on the home page: today's headline figures for the user's scope,
and for HR, the leavings still to record."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from workforce.core.access import Capability, Scope
from workforce.core.home import HomePanel
from workforce.metrics import selectors

HOME_MEASURES = ("in_post_fte", "agency_rate_fte", "vacancy_rate_fte", "turnover_rate_fte")


def headline_panel(scope: Scope) -> HomePanel:
    headline = selectors.headline(
        where=selectors.filter_for_scope(scope),
        on=dt.date.today(),
        targets=list(selectors.targets_for(scope)),
        keys=HOME_MEASURES,
    )
    return HomePanel(
        template="metrics/_home_headline.html",
        context={"headline": headline},
        stylesheets=("metrics/metrics.css",),
    )


def leavings_panel(scope: Scope) -> HomePanel | None:
    """For those who record leavings: how many people's employment ended with none recorded."""
    if not scope.can(Capability.MANAGE_PEOPLE):
        return None
    count = len(selectors.ended_without_leaving(scope, today=timezone.localdate()))
    if not count:
        return None
    return HomePanel(template="metrics/_home_leavings.html", context={"count": count})
