"""Which models the audit trail records (django-auditlog: who, when, before and after)."""

from auditlog.registry import auditlog


def register_models() -> None:
    from workforce.establishment import models as m

    for model in (
        m.Team,
        m.Role,
        m.Post,
        m.PostFunding,
        m.Worker,
        m.Engagement,
        m.Leaving,
        m.Absence,
    ):
        if not auditlog.contains(model):
            auditlog.register(model)
