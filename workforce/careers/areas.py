"""The careers areas: the one list behind the careers secondary navigation (at the top of every
careers page) and the list of areas on the overview page.

Each area has its landing page, the capability needed to see it (as `requires` on that page's
view), a sentence for the overview, and the addresses that belong to it, as patterns of the path
under the careers root, so that pages added to an area later are marked as in it without being
listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import reverse

from workforce.core.access import Capability, Scope


@dataclass(frozen=True)
class Area:
    label: str
    url_name: str
    capability: Capability
    sentence: str
    paths: str  # a regular expression matched against the path under the careers root

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def holds(self, path: str) -> bool:
        return re.match(self.paths, path) is not None


AREAS: tuple[Area, ...] = (
    Area(
        "Overview",
        "careers:overview",
        Capability.VIEW_AGGREGATES,
        "The headline figures of early careers and retention, each linked to its page.",
        r"$",
    ),
    Area(
        "Early careers",
        "careers:programmes",
        Capability.VIEW_AGGREGATES,
        "Early-career programmes such as the ASYE, their cohorts and reviews, workers above "
        "their protected caseload, and trainees on routes into social work.",
        r"(programmes|stages|reviews|cohorts|members|protected-caseloads|trainees)/",
    ),
    Area(
        "Why people leave",
        "careers:why_people_leave",
        Capability.VIEW_AGGREGATES,
        "The themes leavers gave in their exit interviews, by year or quarter, and former "
        "workers appointed again.",
        r"exits/",
    ),
    Area(
        "Retention",
        "careers:retention",
        Capability.VIEW_AGGREGATES,
        "How long people stay, by starting year and qualification route, turnover by length of "
        "service, team and role, and the stability index.",
        r"retention/",
    ),
    Area(
        "Progression",
        "careers:progression",
        Capability.VIEW_PEOPLE,
        "Who moved up a grade or role, and when.",
        r"(progression/|people/\d+/progression/)",
    ),
    Area(
        "Incentives",
        "careers:incentive_costs",
        Capability.VIEW_AGGREGATES,
        "What recruitment and retention payments cost each year, what was paid back, and who "
        "is inside a clawback period.",
        r"(incentives/|people/\d+/incentives/)",
    ),
    Area(
        "Learning",
        "careers:learning",
        Capability.VIEW_AGGREGATES,
        "Learning and development programmes, their sessions and attendance, and completion by "
        "role and team.",
        r"learning/",
    ),
)


@dataclass(frozen=True)
class AreaLink:
    area: Area
    url: str
    current: str  # "page" on the area's own page, "true" elsewhere in it, "" outside it


def areas_for(scope: Scope, path: str) -> list[AreaLink]:
    """The areas `scope` may open, the one holding `path` (a page's path) marked as current."""
    root = reverse("careers:overview")
    under = path[len(root) :] if path.startswith(root) else None
    links = []
    for area in AREAS:
        if not scope.can(area.capability):
            continue
        url = area.url
        current = ""
        if path == url:
            current = "page"
        elif under is not None and area.holds(under):
            current = "true"
        links.append(AreaLink(area=area, url=url, current=current))
    return links
