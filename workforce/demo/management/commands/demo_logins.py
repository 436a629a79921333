"""Print the demo logins: `manage.py demo_logins`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from workforce.core.models import User
from workforce.demo import generator


class Command(BaseCommand):
    help = "Print the demo logins (role, username, password, what they can see)."

    def handle(self, *args: Any, **options: Any) -> None:
        present = {
            u.username: u
            for u in User.objects.filter(
                username__in=[d.username for d in generator.DEMO_USERS]
            ).prefetch_related("managed_teams")
        }
        if not present:
            self.stdout.write("No demo logins yet: run `manage.py seed_demo` first.")
            return
        rows = [("Role", "Username", "Password", "Can see")]
        for demo in generator.DEMO_USERS:
            user = present.get(demo.username)
            if user is None:
                continue
            sees = demo.sees
            teams = [t.name for t in user.managed_teams.all()]
            if teams:
                sees = f"{sees}: {' and '.join(teams)}"
            rows.append((user.get_role_display(), user.username, generator.DEMO_PASSWORD, sees))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        self.stdout.write("Demo logins (for the demo only; every demo user shares this password):")
        for i, row in enumerate(rows):
            line = "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True))
            self.stdout.write(f"  {line}  {row[3]}")
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths) + "  " + "-" * 7)
