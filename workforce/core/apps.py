from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "workforce.core"
    label = "core"
    verbose_name = "Core"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [
            ("Users", "users", Capability.MANAGE_USERS),
            ("Authorities", "authorities", Capability.MANAGE_AUTHORITIES),
            ("Audit", "audit", Capability.VIEW_AUDIT),
        ]

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_save

        from workforce.core import signin  # noqa: F401  (sign-in events to the audit trail)
        from workforce.core.hooks import authority_saved
        from workforce.core.models import Authority

        if not auditlog.contains(Authority):
            auditlog.register(Authority)
        # Each app gives a new authority its starting records (workforce.core.hooks).
        post_save.connect(authority_saved, sender=Authority, dispatch_uid="core-new-authority")
