"""Which pre-employment checks an application needs: the authority's rules, by role and date.

Each authority keeps its own `RequiredCheckRule`s: a kind of check, the roles it applies to
(every role, the social work roles the census counts, or roles chosen) and the dates it is in
force, `[start, end)`, either end open. An application needs the checks whose rules are in force
on the day it was made (`applied_on`) for its vacancy's role; they are the checks listed when its
pre-employment checks start, and "the checks cleared" means every one of them cleared.

A new authority starts with `DEFAULT_RULES` (connected to `post_save` of `Authority`; migration
0004 gave them to the authorities already recorded): DBS, two references, right to work,
identity, qualifications and occupational health for every role, and for social work roles the
registration with the regulator of the day: the General Social Care Council until 31 July 2012,
the Health and Care Professions Council from 1 August 2012 to 1 December 2019, Social Work
England from 2 December 2019. Changing the rules changes the checks of applications whose checks
start afterwards; checks already listed keep what they were listed with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.db import transaction
from django.db.models import Q, QuerySet

from workforce.core.models import Authority
from workforce.core.templatetags.govuk import govuk_date
from workforce.core.validation import refuse, same_authority
from workforce.establishment.models import Role
from workforce.recruitment.models import Application, CheckKind, RequiredCheckRule, RuleRoles

HCPC_FROM = dt.date(2012, 8, 1)  # the GSCC's register moved to the HCPC on 1 August 2012
SWE_FROM = dt.date(2019, 12, 2)  # Social Work England took over from the HCPC on 2 December 2019


class DefaultRule(NamedTuple):
    kind: str
    applies_to: str
    start: dt.date | None = None
    end: dt.date | None = None


EVERY_ROLE = (
    CheckKind.DBS,
    CheckKind.REFERENCE_1,
    CheckKind.REFERENCE_2,
    CheckKind.RIGHT_TO_WORK,
    CheckKind.IDENTITY,
    CheckKind.QUALIFICATIONS,
    CheckKind.OCCUPATIONAL_HEALTH,
)
DEFAULT_RULES: tuple[DefaultRule, ...] = (
    *(DefaultRule(kind, RuleRoles.ALL) for kind in EVERY_ROLE),
    DefaultRule(CheckKind.GSCC, RuleRoles.REGISTERED, end=HCPC_FROM),
    DefaultRule(CheckKind.HCPC, RuleRoles.REGISTERED, start=HCPC_FROM, end=SWE_FROM),
    DefaultRule(CheckKind.SWE, RuleRoles.REGISTERED, start=SWE_FROM),
)
KIND_ORDER = {kind: i for i, kind in enumerate(CheckKind.values)}


# Reading the rules -----------------------------------------------------------------------------


def in_force_on(day: dt.date) -> Q:
    """Rules in force on `day`."""
    return (Q(start__isnull=True) | Q(start__lte=day)) & (Q(end__isnull=True) | Q(end__gt=day))


def rules_of(authority: Authority | int) -> QuerySet[RequiredCheckRule]:
    return (
        RequiredCheckRule.objects.filter(authority=authority)
        .prefetch_related("roles")
        .order_by("kind", "start", "pk")
    )


def applies_to_role(rule: RequiredCheckRule, role: Role) -> bool:
    if rule.applies_to == RuleRoles.ALL:
        return True
    if rule.applies_to == RuleRoles.REGISTERED:
        return role.census_counted
    return any(r.pk == role.pk for r in rule.roles.all())


def required_kinds(*, authority: Authority | int, role: Role, on: dt.date) -> list[str]:
    """The kinds of check the authority requires for `role` on `on`, in the list's order."""
    return kinds_required_by(rules_of(authority).filter(in_force_on(on)), role=role, on=on)


def kinds_required_by(rules: Iterable[RequiredCheckRule], *, role: Role, on: dt.date) -> list[str]:
    """The kinds `rules` (read once, roles prefetched) require for `role` on `on`."""
    kinds = {
        rule.kind
        for rule in rules
        if (rule.start is None or rule.start <= on)
        and (rule.end is None or on < rule.end)
        and applies_to_role(rule, role)
    }
    return sorted(kinds, key=KIND_ORDER.__getitem__)


def required_for(application: Application) -> list[str]:
    """The checks an application needs: the rules in force on the day it was made, for its
    vacancy's role."""
    return required_kinds(
        authority=application.authority_id,
        role=application.vacancy.role,
        on=application.applied_on,
    )


def period_text(rule: RequiredCheckRule) -> str:
    """ "From 2 December 2019", "Until 1 December 2019", "From … to …", or "Always"."""
    last = rule.end - dt.timedelta(days=1) if rule.end else None
    if rule.start and last:
        return f"From {govuk_date(rule.start)} to {govuk_date(last)}"
    if rule.start:
        return f"From {govuk_date(rule.start)}"
    if last:
        return f"Until {govuk_date(last)}"
    return "Always"


def roles_text(rule: RequiredCheckRule) -> str:
    if rule.applies_to == RuleRoles.CHOSEN:
        return ", ".join(r.title for r in rule.roles.all()) or "No role"
    return rule.get_applies_to_display()


# Changing the rules ----------------------------------------------------------------------------


def seed_rules(authority: Authority) -> int:
    """Give an authority with no rules the default ones; how many were added (0 when it has
    rules already, so that running it again changes nothing)."""
    if RequiredCheckRule.objects.filter(authority=authority).exists():
        return 0
    seed_new_authorities(authorities=[authority])
    return len(DEFAULT_RULES)


def seed_new_authorities(*, authorities: list[Authority]) -> None:
    """New authorities start with the default rules (a hook of workforce.core.hooks)."""
    RequiredCheckRule.objects.bulk_create(
        RequiredCheckRule(
            authority=authority, kind=r.kind, applies_to=r.applies_to, start=r.start, end=r.end
        )
        for authority in authorities
        for r in DEFAULT_RULES
    )


def _validate(
    *,
    authority_id: int,
    kind: str,
    applies_to: str,
    roles: list[Role],
    start: dt.date | None,
    last_day: dt.date | None,
) -> dt.date | None:
    if kind not in CheckKind.values:
        raise refuse("kind", "Choose the check.")
    if applies_to not in RuleRoles.values:
        raise refuse("applies_to", "Choose which roles the rule applies to.")
    if applies_to == RuleRoles.CHOSEN and not roles:
        raise refuse("roles", "Choose at least one role, or choose every role.")
    same_authority(*roles, authority=authority_id)
    if start is not None and last_day is not None and last_day < start:
        raise refuse(
            "last_day", f"The last day must be on or after the first, {govuk_date(start)}."
        )
    return None if last_day is None else last_day + dt.timedelta(days=1)


def _save(
    rule: RequiredCheckRule,
    *,
    kind: str,
    applies_to: str,
    roles: Iterable[Role],
    start: dt.date | None,
    last_day: dt.date | None,
) -> RequiredCheckRule:
    chosen = list(roles) if applies_to == RuleRoles.CHOSEN else []
    rule.end = _validate(
        authority_id=rule.authority_id,
        kind=kind,
        applies_to=applies_to,
        roles=chosen,
        start=start,
        last_day=last_day,
    )
    rule.kind, rule.applies_to, rule.start = kind, applies_to, start
    rule.save()
    rule.roles.set(chosen)
    return rule


@transaction.atomic
def add_rule(
    *,
    authority: Authority,
    kind: str,
    applies_to: str = RuleRoles.ALL,
    roles: Iterable[Role] = (),
    start: dt.date | None = None,
    last_day: dt.date | None = None,
) -> RequiredCheckRule:
    """Require a check for some roles from `start` (empty: always) to `last_day` (empty: on)."""
    rule = RequiredCheckRule(authority=authority)
    return _save(
        rule, kind=kind, applies_to=applies_to, roles=roles, start=start, last_day=last_day
    )


@transaction.atomic
def change_rule(
    *,
    rule: RequiredCheckRule,
    kind: str,
    applies_to: str,
    roles: Iterable[Role] = (),
    start: dt.date | None = None,
    last_day: dt.date | None = None,
) -> RequiredCheckRule:
    return _save(
        rule, kind=kind, applies_to=applies_to, roles=roles, start=start, last_day=last_day
    )


@transaction.atomic
def remove_rule(*, rule: RequiredCheckRule) -> RequiredCheckRule:
    """Stop requiring a check (the audit trail keeps what the rule said). Checks already listed
    for applications stay as they are."""
    rule.delete()
    return rule
