"""Forms for pay compared: the authority's pay grades and comparator authorities' pay. The
services check the rules (more than £0, maximum not below minimum, no future date for what a
comparator pays); the forms only read what was typed."""

from __future__ import annotations

from typing import Any

from django import forms

from workforce.benchmarks.models.pay import PayIncentiveKind
from workforce.core.forms import Form, date_field
from workforce.core.models import Authority
from workforce.establishment.models import Role


def _pounds(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    what = label.lower()
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter the {what} in pounds a year.",
            "invalid": f"The {what} must be a number of pounds, like 32500.",
            "max_decimal_places": f"The {what} must have at most 2 decimal places.",
            "max_digits": f"The {what} must be less than £1,000,000 a year.",
            "max_whole_digits": f"The {what} must be less than £1,000,000 a year.",
        },
    )


def _spinal_point(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={"invalid": f"The {label.lower()} must be a whole number, like 29."},
    )


def _role_field() -> forms.ModelChoiceField[Role]:
    return forms.ModelChoiceField(
        label="Role",
        queryset=Role.objects.none(),
        empty_label="Choose",
        error_messages={
            "required": "Choose the role.",
            "invalid_choice": "Choose one of your authority's roles from the list.",
        },
    )


class PayGradeForm(Form):
    role = _role_field()
    grade = forms.CharField(
        label="Grade",
        max_length=40,
        help_text="The grade's name, for example SW3 or PO1 to PO3.",
        error_messages={
            "required": "Enter the grade's name, for example SW3.",
            "max_length": "Enter the grade's name in at most 40 characters.",
        },
    )
    minimum = _pounds("Salary minimum", help_text="Pounds a year, at the bottom of the grade.")
    maximum = _pounds("Salary maximum", help_text="Pounds a year, at the top of the grade.")
    spinal_point_minimum = _spinal_point("Lowest spinal point")
    spinal_point_maximum = _spinal_point("Highest spinal point")
    effective_from = date_field(
        "Date it takes effect",
        help_text="A pay award is a new entry from the date it takes effect; the earlier one "
        "stays for the past. For example, 1 4 2025.",
    )

    def __init__(self, *args: Any, roles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles  # type: ignore[attr-defined]


class ComparatorPayForm(Form):
    comparator = forms.ModelChoiceField(
        label="Comparator authority",
        queryset=Authority.objects.none(),
        empty_label="Choose",
        error_messages={
            "required": "Choose the comparator authority.",
            "invalid_choice": "Choose the comparator authority from the list.",
        },
    )
    role = _role_field()
    grade = forms.CharField(
        label="Their grade (optional)",
        max_length=40,
        required=False,
        error_messages={"max_length": "Their grade must be 40 characters or fewer."},
    )
    minimum = _pounds("Salary minimum", help_text="Pounds a year, at the bottom of their range.")
    maximum = _pounds("Salary maximum", help_text="Pounds a year, at the top of their range.")
    spinal_point_minimum = _spinal_point("Lowest spinal point")
    spinal_point_maximum = _spinal_point("Highest spinal point")
    incentive_kind = forms.ChoiceField(
        label="Market supplement or other incentive (optional)",
        required=False,
        choices=[("", "None"), *PayIncentiveKind.choices],
        error_messages={
            "invalid_choice": "Choose the market supplement or other incentive from the list."
        },
    )
    incentive_amount = _pounds(
        "Incentive amount",
        required=False,
        help_text="Pounds: a year for a market supplement, once for a payment.",
    )
    applies_on = date_field(
        "Date the information applies to",
        help_text="The date their pay was as entered, for example 1 5 2015.",
    )
    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text="Where it came from: for example 'Regional benchmarking exercise, May 2015' "
        "or the address of their published pay scales.",
        error_messages={
            "required": "Enter the source: where the information came from, for example a "
            "benchmarking exercise or a web address.",
            "max_length": "The source must be 300 characters or fewer.",
        },
    )

    def __init__(self, *args: Any, roles: Any, authorities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles  # type: ignore[attr-defined]
        self.fields["comparator"].queryset = authorities  # type: ignore[attr-defined]


class RoleChoiceForm(Form):
    """Which role's detail the comparison page shows (all when empty or not one of ours)."""

    role = forms.TypedChoiceField(
        label="Role",
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, roles: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "All roles"), *roles]  # type: ignore[attr-defined]
