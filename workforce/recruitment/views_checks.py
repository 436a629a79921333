"""Pages for the required-check rules and for recording an application already under way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from workforce.core.access import Capability, requires, scope_of
from workforce.core.pages import form_flow, posted
from workforce.recruitment import backload, checks, selectors
from workforce.recruitment.forms_checks import RuleForm, UnderWayForm
from workforce.recruitment.models import RequiredCheckRule, RuleRoles

RULES = "recruitment:check_rules"


@requires(Capability.MANAGE_RECRUITMENT)
def rule_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    rules = [
        {
            "rule": rule,
            "roles": checks.roles_text(rule),
            "period": checks.period_text(rule),
        }
        for rule in checks.rules_of(scope.authority)
    ]
    return render(
        request,
        "recruitment/check_rules.html",
        {"rules": rules, "can_change": scope.can(Capability.SET_REQUIRED_CHECKS)},
    )


def _rule(request: HttpRequest, rule_id: int) -> RequiredCheckRule:
    return scope_of(request).get(RequiredCheckRule.objects.all(), team=None, pk=rule_id)


@requires(Capability.SET_REQUIRED_CHECKS)
def rule_new(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = RuleForm(posted(request), scope=scope, initial={"applies_to": RuleRoles.ALL})
    return form_flow(
        request,
        form,
        lambda d: checks.add_rule(authority=scope.authority, **d),
        title="Add a required check",
        caption="Pre-employment checks",
        intro="Applications made while the rule is in force, for the roles it applies to, "
        "need this check cleared before the unconditional offer.",
        back_url=reverse(RULES),
        done=lambda _rule: reverse(RULES),
        message=lambda rule: f"{rule.get_kind_display()} is now required.",
        submit="Add the rule",
    )


@requires(Capability.SET_REQUIRED_CHECKS)
def rule_edit(request: HttpRequest, check_rule_id: int) -> HttpResponse:
    scope = scope_of(request)
    rule = _rule(request, check_rule_id)
    initial: dict[str, Any] = {
        "kind": rule.kind,
        "applies_to": rule.applies_to,
        "roles": list(rule.roles.values_list("pk", flat=True)),
        "start": rule.start,
        "last_day": rule.end - dt.timedelta(days=1) if rule.end else None,
    }
    return form_flow(
        request,
        RuleForm(posted(request), scope=scope, initial=initial),
        lambda d: checks.change_rule(rule=rule, **d),
        title=f"Change the rule for {rule.get_kind_display().lower()}",
        caption="Pre-employment checks",
        intro="The change applies to applications whose checks start from now on; checks "
        "already listed stay as they are.",
        back_url=reverse(RULES),
        done=lambda _rule: reverse(RULES),
        message="Rule changed.",
    )


@requires(Capability.SET_REQUIRED_CHECKS)
def rule_remove(request: HttpRequest, check_rule_id: int) -> HttpResponse:
    rule = _rule(request, check_rule_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    checks.remove_rule(rule=rule)
    messages.success(request, f"Rule removed: {rule} ({checks.period_text(rule).lower()}).")
    return redirect(RULES)


@requires(Capability.MANAGE_RECRUITMENT)
def under_way(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    scope = scope_of(request)
    vacancy = selectors.vacancy_for(scope, vacancy_id)
    form = UnderWayForm(posted(request), vacancy=vacancy)
    user: Any = request.user
    return form_flow(
        request,
        form,
        lambda _d: backload.record_under_way(vacancy=vacancy, by=user, **form.service_arguments()),
        title="Record an application already under way",
        caption=str(vacancy),
        intro="For a campaign that was running before the authority used this system: the "
        "stage the application has reached and the day of each stage on the way. The "
        "pre-employment checks the authority's rules require are recorded as cleared on the "
        "day given, or as waiting while they run.",
        back_url=reverse("recruitment:vacancy", kwargs={"vacancy_id": vacancy.pk}),
        done=lambda a: reverse("recruitment:application", kwargs={"application_id": a.pk}),
        message="Application recorded at its stage.",
    )
