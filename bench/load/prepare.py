"""Sign-ins for the load test, in a throwaway database that holds the demo (`seed_demo`).

    DATABASE_URL=... python -m bench.load.prepare --per-role 50 --out users.json

Each simulated user signs in as a login of its own, so that no two of them share a session or
an authenticator code (a code is accepted once). This makes `--per-role` copies of each demo
login (`load-lead-01`, ...) with the demo's role, authority, teams and password, and for roles
that must use two-factor sign-in a confirmed authenticator device of its own. With
`--regional-analysts` the analysts are spread over the regions of England, each seeing the
authorities of their region. It writes, for the locustfile, each login with its password, its
device's key and the records its pages may open (people, teams, campaigns, reports, areas).
Refuses to run with PRODUCTION=1, as `demo_logins` does.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = 200  # records of each kind a user's pages choose from


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--per-role", type=int, default=50)
    parser.add_argument("--roles", default="", help="Comma-separated roles (default: all).")
    parser.add_argument("--regional-analysts", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    if settings.PRODUCTION:
        print("Load-test logins are for a throwaway database: not with PRODUCTION=1.")
        return 1
    roles = [r for r in args.roles.split(",") if r]
    logins = build_logins(args.per_role, roles, regional=args.regional_analysts)
    Path(args.out).write_text(json.dumps(logins, indent=1))
    print(f"Load-test logins: {len(logins)} ({', '.join(sorted({x['role'] for x in logins}))}).")
    return 0


def build_logins(per_role: int, roles: list[str], *, regional: bool) -> list[dict[str, Any]]:
    from django.db import transaction
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from workforce.core.models import Authority, User, UserRole
    from workforce.core.security import two_factor_required
    from workforce.demo import generator
    from workforce.establishment.models import Team

    demo_users = {
        u.role: u
        for u in User.objects.filter(username__in=[d.username for d in generator.DEMO_USERS])
    }
    wanted = roles or [str(r) for r in UserRole.values]
    regions: list[tuple[Authority, list[Authority]]] = []
    if regional:
        with_teams = Authority.objects.filter(
            Exists(Team.objects.filter(authority=OuterRef("pk")))
        ).order_by("code")
        by_region: dict[str, list[Authority]] = {}
        for authority in with_teams:
            by_region.setdefault(authority.region, []).append(authority)
        regions = [(members[0], members[1:]) for _, members in sorted(by_region.items())]
    logins: list[dict[str, Any]] = []
    with transaction.atomic():
        for role in wanted:
            template = demo_users[role]
            for n in range(1, per_role + 1):
                username = f"load-{template.username}-{n:02d}"
                user, _ = User.objects.update_or_create(
                    username=username,
                    defaults={
                        "first_name": template.first_name,
                        "last_name": f"(load test {n})",
                        "email": f"{username}@demo.invalid",
                        "role": role,
                        "authority": template.authority,
                        "is_staff": template.is_staff,
                        "is_superuser": template.is_superuser,
                        "is_active": True,
                        "password": template.password,  # the demo password, already hashed
                    },
                )
                if role == UserRole.ANALYST and regions:
                    home, others = regions[(n - 1) % len(regions)]
                    user.authority = home
                    user.save(update_fields=["authority"])
                    user.extra_authorities.set(others)
                else:
                    user.extra_authorities.set(template.extra_authorities.all())
                user.managed_teams.set(template.managed_teams.all())
                device = None
                if two_factor_required(user):
                    TOTPDevice.objects.filter(user=user).delete()
                    device = TOTPDevice.objects.create(
                        user=user, name="Authenticator app", confirmed=True
                    )
                logins.append(
                    {
                        "username": username,
                        "password": generator.DEMO_PASSWORD,
                        "role": role,
                        "totp": None
                        if device is None
                        else {
                            "key": device.key,
                            "step": device.step,
                            "t0": device.t0,
                            "digits": device.digits,
                        },
                        **records_for(user, seed=n),
                    }
                )
    return logins


def records_for(user: Any, *, seed: int) -> dict[str, list[Any]]:
    """Records this user's pages may open, as the pages' own scope rules give them."""
    from workforce.actionplans.models import Source
    from workforce.benchmarks.models import Area
    from workforce.core.access import SELF, Capability, scope_for
    from workforce.establishment.models import Team, Worker
    from workforce.recruitment.models import Campaign
    from workforce.reports.models import Report

    scope = scope_for(user)
    rng = random.Random(seed)

    def ids(queryset: Any) -> list[int]:
        values = list(queryset.order_by("pk").values_list("pk", flat=True))
        return sorted(rng.sample(values, min(SAMPLE, len(values))))

    people: list[int] = []
    if scope.can(Capability.VIEW_PEOPLE):
        people = ids(scope.records(Worker.objects.all()))
    authority = {"authority_id": scope.authority.pk}
    return {
        "workers": people,
        "teams": ids(scope.records(Team.objects.all(), team=SELF)),
        "campaigns": ids(Campaign.objects.filter(**authority)),
        "reports": ids(Report.objects.filter(**authority)),
        "plans": ids(Source.objects.filter(**authority)),
        "areas": sorted(
            Area.objects.filter(authority_id__in=scope.authority_ids).values_list("code", flat=True)
        ),
    }


if __name__ == "__main__":
    sys.exit(main())
