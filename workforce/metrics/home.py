"""The metrics app's panel on the home page: today's headline figures for the user's scope."""

from __future__ import annotations

import datetime as dt

from workforce.core.access import Scope
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
