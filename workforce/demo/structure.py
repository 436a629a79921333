"""The shape of a synthetic authority: its roles, and its teams scaled to a size.

A "size" of 1.0 is a mid-sized metropolitan borough: about 200 FTE of social work establishment
over eleven service teams plus a leadership team and an independent reviewing service.
"""

from __future__ import annotations

from dataclasses import dataclass

from workforce.establishment.models import ServiceArea


@dataclass(frozen=True)
class RoleSpec:
    key: str
    title: str
    grade: str
    org_role: str  # census OrgRole, empty for roles the census does not count
    case_holding: bool
    capacity_points: int
    order: int
    rate: tuple[float, float]  # agency hourly charge rate range (£)
    qualified: bool = True


ROLES: tuple[RoleSpec, ...] = (
    RoleSpec("hos", "Head of service", "HOS", "1", False, 0, 10, (60.0, 70.0)),
    RoleSpec("sm", "Service manager", "M3", "2", False, 0, 20, (52.0, 60.0)),
    RoleSpec("tm", "Team manager", "M1", "3", False, 0, 30, (45.0, 50.0)),
    RoleSpec("asp", "Advanced practitioner", "SW4", "4", True, 80, 40, (40.0, 46.0)),
    RoleSpec("sw", "Social worker", "SW3", "5", True, 100, 50, (35.0, 42.0)),
    RoleSpec("asye", "Social worker (ASYE)", "SW1", "5", True, 80, 60, (35.0, 38.0)),
    RoleSpec("iro", "Independent reviewing officer", "SW4", "6", False, 0, 70, (40.0, 46.0)),
    RoleSpec("swa", "Social work assistant", "SCO3", "", False, 0, 80, (22.0, 26.0), False),
    RoleSpec("fsw", "Family support worker", "SCO2", "", False, 0, 90, (20.0, 24.0), False),
)
ROLE_BY_KEY = {r.key: r for r in ROLES}
MANAGER_ROLES = frozenset({"hos", "sm", "tm"})


@dataclass(frozen=True)
class TeamSpec:
    name: str
    service_area: str
    locality: str
    posts: dict[str, int]  # role key -> number of posts
    code: str  # short prefix for post references


SA = ServiceArea
# One authority at size 1.0. Teams of the same service area are scaled together.
BASE_TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec("Service Leadership", SA.MANAGEMENT, "", {"hos": 1, "sm": 4}, "LDR"),
    TeamSpec(
        "Front Door and MASH",
        SA.FRONT_DOOR,
        "",
        {"tm": 1, "asp": 2, "sw": 13, "asye": 2, "swa": 2},
        "MASH",
    ),
    TeamSpec(
        "Assessment North",
        SA.ASSESSMENT,
        "North",
        {"tm": 1, "asp": 2, "sw": 12, "asye": 3, "swa": 1},
        "ASN",
    ),
    TeamSpec(
        "Assessment South",
        SA.ASSESSMENT,
        "South",
        {"tm": 1, "asp": 2, "sw": 12, "asye": 3, "swa": 1},
        "ASS",
    ),
    TeamSpec(
        "Child Protection North",
        SA.CHILD_PROTECTION,
        "North",
        {"tm": 1, "asp": 3, "sw": 13, "asye": 2, "fsw": 2},
        "CPN",
    ),
    TeamSpec(
        "Child Protection Central",
        SA.CHILD_PROTECTION,
        "Central",
        {"tm": 1, "asp": 3, "sw": 13, "asye": 2, "fsw": 2},
        "CPC",
    ),
    TeamSpec(
        "Child Protection South",
        SA.CHILD_PROTECTION,
        "South",
        {"tm": 1, "asp": 3, "sw": 13, "asye": 2, "fsw": 2},
        "CPS",
    ),
    TeamSpec(
        "Children in Care North",
        SA.CHILDREN_IN_CARE,
        "North",
        {"tm": 1, "asp": 2, "sw": 11, "asye": 2, "fsw": 1},
        "CICN",
    ),
    TeamSpec(
        "Children in Care South",
        SA.CHILDREN_IN_CARE,
        "South",
        {"tm": 1, "asp": 2, "sw": 11, "asye": 2, "fsw": 1},
        "CICS",
    ),
    TeamSpec("Care Leavers", SA.CARE_LEAVERS, "", {"tm": 1, "asp": 1, "sw": 6, "swa": 3}, "CL"),
    TeamSpec(
        "Disabled Children",
        SA.DISABLED_CHILDREN,
        "",
        {"tm": 1, "asp": 2, "sw": 9, "asye": 1, "fsw": 1},
        "DCT",
    ),
    TeamSpec(
        "Fostering and Adoption", SA.FOSTERING_ADOPTION, "", {"tm": 1, "asp": 2, "sw": 9}, "FA"
    ),
    TeamSpec(
        "Independent Reviewing Service", SA.QUALITY_ASSURANCE, "", {"tm": 1, "iro": 10}, "IRO"
    ),
)

# The `team` scale: a small authority of two teams.
SMALL_TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec(
        "Assessment", SA.ASSESSMENT, "", {"tm": 1, "asp": 1, "sw": 6, "asye": 1, "swa": 1}, "AS"
    ),
    TeamSpec(
        "Child Protection",
        SA.CHILD_PROTECTION,
        "",
        {"tm": 1, "asp": 1, "sw": 6, "asye": 1, "fsw": 1},
        "CP",
    ),
)

# Created by the restructure: posts closed in child protection reopen here.
RESTRUCTURE_TEAM = TeamSpec("Edge of Care", SA.CHILD_PROTECTION, "", {"tm": 1, "fsw": 2}, "EOC")

LOCALITIES = (
    "North",
    "South",
    "East",
    "West",
    "Central",
    "North East",
    "North West",
    "South East",
    "South West",
    "Riverside",
    "Hillside",
    "Valley",
)
AREA_NAMES: dict[str, str] = {
    SA.FRONT_DOOR: "Front Door and MASH",
    SA.ASSESSMENT: "Assessment",
    SA.CHILD_PROTECTION: "Child Protection",
    SA.CHILDREN_IN_CARE: "Children in Care",
    SA.CARE_LEAVERS: "Care Leavers",
    SA.DISABLED_CHILDREN: "Disabled Children",
    SA.FOSTERING_ADOPTION: "Fostering and Adoption",
    SA.QUALITY_ASSURANCE: "Independent Reviewing Service",
}


def scaled_teams(size: float) -> list[TeamSpec]:
    """The base teams at `size` (1.0 is the base): more or fewer teams per service area."""
    if abs(size - 1.0) < 1e-9:
        return list(BASE_TEAMS)
    by_area: dict[str, list[TeamSpec]] = {}
    for spec in BASE_TEAMS:
        by_area.setdefault(spec.service_area, []).append(spec)
    teams: list[TeamSpec] = []
    for area, specs in by_area.items():
        if area == SA.MANAGEMENT:
            spec = specs[0]
            teams.append(
                TeamSpec(spec.name, area, "", {"hos": 1, "sm": max(1, round(4 * size))}, spec.code)
            )
            continue
        wanted = len(specs) * size
        count = max(1, round(wanted))
        per_team = wanted / count  # how much of one base team each scaled team carries
        base = specs[0]
        for i in range(count):
            if count == 1:
                name, locality = AREA_NAMES[area], ""
            elif count <= len(LOCALITIES):
                name, locality = f"{AREA_NAMES[area]} {LOCALITIES[i]}", LOCALITIES[i]
            else:
                name, locality = f"{AREA_NAMES[area]} {i + 1}", ""
            posts = {}
            for role, n in base.posts.items():
                posts[role] = (
                    1
                    if role == "tm"
                    else max(1 if role in ("sw", "iro") else 0, round(n * per_team))
                )
            teams.append(
                TeamSpec(
                    name,
                    area,
                    locality,
                    {k: v for k, v in posts.items() if v},
                    f"{base.code}{i + 1}",
                )
            )
    return teams
