"""Pages for pay compared: thin views that check access, validate a form, call a service or a
selector, and render. Everyone of the authority may read the comparison (it holds no personal
data); workforce leads and HR record grades and comparators' pay."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from workforce.benchmarks import selectors_pay as selectors
from workforce.benchmarks import services_pay as services
from workforce.benchmarks.forms_pay import ComparatorPayForm, PayGradeForm, RoleChoiceForm
from workforce.benchmarks.models.pay import ComparatorPay, PayGrade
from workforce.core.access import AUTHORITY_WIDE, Capability, Scope, requires, scope_of
from workforce.core.dates import day_text
from workforce.core.exports import requested_format
from workforce.core.pages import form_flow

MANAGE = Capability.MANAGE_RECRUITMENT  # workforce leads and HR: recruitment and retention pay


def _grade(scope: Scope, pay_grade_id: int) -> PayGrade:
    return scope.get(PayGrade.objects.select_related("role"), team=AUTHORITY_WIDE, pk=pay_grade_id)


def _entry(scope: Scope, pay_entry_id: int) -> ComparatorPay:
    return scope.get(
        ComparatorPay.objects.select_related("role", "comparator"),
        team=AUTHORITY_WIDE,
        pk=pay_entry_id,
    )


# The comparison ----------------------------------------------------------------------------


@requires(Capability.VIEW_AGGREGATES)
def comparison(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    on = scope.today
    comparisons = selectors.pay_comparison(scope, on=on)
    form = RoleChoiceForm(
        request.GET or None, roles=[(c.role.pk, c.role.title) for c in comparisons]
    )
    chosen = form.cleaned_data.get("role") if form.is_valid() else None
    shown = [c for c in comparisons if chosen is None or c.role.pk == chosen]
    fmt = requested_format(request)
    if fmt and chosen is not None and shown:
        table = selectors.role_table(shown[0], authority=scope.authority, on=on)
        return table.response(fmt, f"pay-{shown[0].role.title}-{on.isoformat()}")
    summary = selectors.summary_table(comparisons, on=on)
    if fmt:
        return summary.response(fmt, f"pay-compared-{on.isoformat()}")
    roles = [
        {
            "comparison": c,
            "table": selectors.role_table(c, authority=scope.authority, on=on),
            "chart": selectors.range_chart(c, authority=scope.authority),
            "summary": selectors.chart_summary(c, authority=scope.authority),
            "query": f"role={c.role.pk}",
            "spec_id": f"{c.slug}-spec",
        }
        for c in shown
    ]
    return render(
        request,
        "benchmarks/pay/comparison.html",
        {
            "on": on,
            "form": form,
            "summary": summary,
            "roles": roles,
            "can_manage": scope.can(MANAGE),
        },
    )


# Our pay grades ----------------------------------------------------------------------------


@requires(Capability.VIEW_AGGREGATES)
def grade_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(
        request,
        "benchmarks/pay/grades.html",
        {"grades": selectors.pay_grades(scope), "can_manage": scope.can(MANAGE)},
    )


def _grade_form(request: HttpRequest, scope: Scope, grade: PayGrade | None) -> PayGradeForm:
    initial: dict[str, Any] = {}
    if grade is not None:
        initial = {
            "role": grade.role_id,
            "grade": grade.grade,
            "minimum": grade.minimum,
            "maximum": grade.maximum,
            "spinal_point_minimum": grade.spinal_point_minimum,
            "spinal_point_maximum": grade.spinal_point_maximum,
            "effective_from": grade.effective_from,
        }
    return PayGradeForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        roles=selectors.roles(scope),
    )


@requires(MANAGE)
def grade_add(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    back = reverse("benchmarks:pay_grades")
    return form_flow(
        request,
        _grade_form(request, scope, None),
        lambda d: services.add_pay_grade(authority=scope.authority, **d),
        done=lambda g: back,
        message=lambda g: f"{g.role} {g.grade} added.",
        title="Add a pay grade",
        back_url=back,
    )


@requires(MANAGE)
def grade_change(request: HttpRequest, pay_grade_id: int) -> HttpResponse:
    scope = scope_of(request)
    grade = _grade(scope, pay_grade_id)
    back = reverse("benchmarks:pay_grades")
    return form_flow(
        request,
        _grade_form(request, scope, grade),
        lambda d: services.change_pay_grade(pay_grade=grade, **d),
        done=lambda g: back,
        message=lambda g: f"{g.role} {g.grade} changed.",
        title="Change a pay grade",
        caption=f"{grade.role}: {grade.grade} from {day_text(grade.effective_from)}",
        back_url=back,
        intro="Correct this entry. For a pay award, add the grade again from the date the award "
        "takes effect, so that the comparison for earlier dates keeps the old range.",
    )


@requires(MANAGE)
def grade_delete(request: HttpRequest, pay_grade_id: int) -> HttpResponse:
    scope = scope_of(request)
    grade = _grade(scope, pay_grade_id)
    if request.method == "POST":
        services.remove_pay_grade(pay_grade=grade)
        messages.success(request, f"{grade.role} {grade.grade} removed.")
        return redirect("benchmarks:pay_grades")
    return render(
        request,
        "benchmarks/pay/delete.html",
        {
            "title": "Remove this pay grade?",
            "what": f"{grade.role}, grade {grade.grade}: £{grade.minimum:,.2f} to "
            f"£{grade.maximum:,.2f} from {day_text(grade.effective_from)}.",
            "button": "Remove pay grade",
            "back_url": reverse("benchmarks:pay_grades"),
        },
    )


# Comparator authorities' pay -----------------------------------------------------------------


@requires(Capability.VIEW_AGGREGATES)
def entry_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(
        request,
        "benchmarks/pay/comparators.html",
        {"entries": selectors.comparator_entries(scope), "can_manage": scope.can(MANAGE)},
    )


def _entry_form(
    request: HttpRequest, scope: Scope, entry: ComparatorPay | None
) -> ComparatorPayForm:
    initial: dict[str, Any] = {}
    if entry is not None:
        initial = {
            "comparator": entry.comparator_id,
            "role": entry.role_id,
            "grade": entry.grade,
            "minimum": entry.minimum,
            "maximum": entry.maximum,
            "spinal_point_minimum": entry.spinal_point_minimum,
            "spinal_point_maximum": entry.spinal_point_maximum,
            "incentive_kind": entry.incentive_kind,
            "incentive_amount": entry.incentive_amount,
            "applies_on": entry.applies_on,
            "source": entry.source,
        }
    return ComparatorPayForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        roles=selectors.roles(scope),
        authorities=selectors.comparator_authorities(scope),
    )


@requires(MANAGE)
def entry_add(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    back = reverse("benchmarks:pay_entries")
    return form_flow(
        request,
        _entry_form(request, scope, None),
        lambda d: services.add_comparator_pay(authority=scope.authority, **d),
        done=lambda e: back,
        message=lambda e: f"{e.comparator.name}'s pay for {e.role} added.",
        title="Add a comparator's pay",
        back_url=back,
        intro="What another authority pays for one of your roles, with the date it applies to "
        "and where it came from.",
    )


@requires(MANAGE)
def entry_change(request: HttpRequest, pay_entry_id: int) -> HttpResponse:
    scope = scope_of(request)
    entry = _entry(scope, pay_entry_id)
    back = reverse("benchmarks:pay_entries")
    return form_flow(
        request,
        _entry_form(request, scope, entry),
        lambda d: services.change_comparator_pay(entry=entry, **d),
        done=lambda e: back,
        message=lambda e: f"{e.comparator.name}'s pay for {e.role} changed.",
        title="Change a comparator's pay",
        caption=f"{entry.comparator.name}: {entry.role}, {day_text(entry.applies_on)}",
        back_url=back,
        intro="Correct this entry. For newer information, add another entry with its own date "
        "and source: the comparison uses each comparator's latest.",
    )


@requires(MANAGE)
def entry_delete(request: HttpRequest, pay_entry_id: int) -> HttpResponse:
    scope = scope_of(request)
    entry = _entry(scope, pay_entry_id)
    what = f"{entry.comparator.name}'s pay for {entry.role}"
    if request.method == "POST":
        services.remove_comparator_pay(entry=entry)
        messages.success(request, f"{what} removed.")
        return redirect("benchmarks:pay_entries")
    return render(
        request,
        "benchmarks/pay/delete.html",
        {
            "title": "Remove this comparator's pay?",
            "what": f"{what}: £{entry.minimum:,.2f} to £{entry.maximum:,.2f} on "
            f"{day_text(entry.applies_on)} ({entry.source}).",
            "button": "Remove entry",
            "back_url": reverse("benchmarks:pay_entries"),
        },
    )
