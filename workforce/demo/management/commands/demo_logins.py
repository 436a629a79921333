"""Print the demo logins: `manage.py demo_logins`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.core.models import User
from workforce.core.security import two_factor_required
from workforce.core.signin import DEVICE_NAME, confirmed_device, secret_text
from workforce.demo import generator


class Command(BaseCommand):
    help = (
        "Print the demo logins (role, username, password, what they can see), and the "
        "authenticator keys of those whose role needs two-factor sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--code",
            metavar="USERNAME",
            help="Print the two-factor code a demo user's authenticator app would show now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("There are no demo logins when PRODUCTION=1.")
        if options.get("code"):
            self._print_code(options["code"])
            return
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
        self._print_keys(
            [present[d.username] for d in generator.DEMO_USERS if d.username in present]
        )

    def _print_keys(self, users: list[User]) -> None:
        """Demo users whose role must use two-factor sign-in are given an authenticator key
        (the demo's own; a real user sets theirs up on the service)."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        needing = [u for u in users if two_factor_required(u)]
        if not needing:
            return
        self.stdout.write(
            "\nAdministrators and workforce leads also give a code from an authenticator app."
            "\nAdd a key below to any authenticator app (time-based), or print the code now with"
            "\n`manage.py demo_logins --code USERNAME`:"
        )
        for user in needing:
            device = confirmed_device(user) or TOTPDevice.objects.create(
                user=user, name=DEVICE_NAME, confirmed=True
            )
            self.stdout.write(f"  {user.username.ljust(12)}  {secret_text(device)}")

    def _print_code(self, username: str) -> None:
        from django_otp.oath import TOTP

        user = User.objects.filter(
            username=username, username__in=[d.username for d in generator.DEMO_USERS]
        ).first()
        device = confirmed_device(user) if user is not None else None
        if device is None:
            raise CommandError(
                f"{username} is not a demo user with an authenticator key: run "
                "`manage.py demo_logins` first."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():06d}")
