"""Forms for the required-check rules and for recording an application already under way."""

from __future__ import annotations

from typing import Any

from django import forms

from workforce.core.access import Scope
from workforce.core.forms import Form, date_field, named
from workforce.establishment.models import Post, Role
from workforce.recruitment.backload import CHAIN, CONDITIONAL_ACCEPTED, CONDITIONAL_OFFER
from workforce.recruitment.forms import ApplyForm, choice, model_choice, text
from workforce.recruitment.models import STAGE_ORDER, CheckKind, RuleRoles, Stage, Vacancy


class RuleForm(Form):
    kind = choice("Check", CheckKind.choices)
    applies_to = named(
        forms.ChoiceField(
            label="Roles it applies to",
            choices=RuleRoles.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose which roles the rule applies to."},
        ),
        "which roles the rule applies to",
    )
    roles = named(
        forms.ModelMultipleChoiceField(
            label="Roles chosen",
            queryset=Role.objects.none(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Only when the rule applies to the roles chosen.",
        ),
        "the roles chosen for the rule",
    )
    start = date_field(
        "From",
        required=False,
        help_text="The first day it is required. Empty: always before.",
        name="the first day it is required",
    )
    last_day = date_field(
        "Last day", required=False, help_text="The last day it is required. Empty: still required."
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = Role.objects.filter(authority=scope.authority).order_by("order", "title")
        self.fields["roles"].queryset = roles  # type: ignore[attr-defined]


STAGE_CHOICES = [(s, label) for s, label in Stage.choices if s in STAGE_ORDER]


class UnderWayForm(ApplyForm):
    """An application at the stage it has reached, with the day of each stage on the way."""

    field_order = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "stage",
        *(f.name for f in CHAIN[:4]),
        CONDITIONAL_OFFER.name,
        CONDITIONAL_ACCEPTED.name,
        *(f.name for f in CHAIN[4:]),
        "staff_number",
        "post",
        "over_establishment_reason",
    ]
    stage = choice("Stage reached", STAGE_CHOICES)
    staff_number = text(
        "Staff number", required=False, max_length=20, help_text="For a recruit who started."
    )
    over_establishment_reason = text(
        "Reason for over-establishment",
        required=False,
        max_length=300,
        help_text="Only if the post was already held and taking on one more was deliberate.",
    )

    def __init__(self, *args: Any, vacancy: Vacancy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in (*CHAIN, CONDITIONAL_OFFER, CONDITIONAL_ACCEPTED):
            hint = "Empty for a stage not reached."
            if field is CONDITIONAL_OFFER:
                hint = "If not the day of the recommendation."
            elif field is CONDITIONAL_ACCEPTED:
                hint = "If the candidate accepted it while the checks ran."
            elif field.name == "checks_cleared_on":
                hint = "The day the last required check cleared: every required check is "
                hint += "recorded as cleared that day."
            self.fields[field.name] = date_field(
                field.label,
                name=f"the “{field.label.lower()}” date",
                required=field.name == "applied_on",
                help_text=hint,
            )
        posts = vacancy.posts.all()
        if not posts.exists():
            posts = Post.objects.filter(authority_id=vacancy.authority_id, role=vacancy.role)
        self.fields["post"] = model_choice("Post", posts.order_by("reference"), required=False)
        self.fields["post"].help_text = "For a recruit who started and is new to the staff records."
        self.order_fields(self.field_order)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        dates = {
            f.name: data.pop(f.name) for f in (*CHAIN, CONDITIONAL_OFFER, CONDITIONAL_ACCEPTED)
        }
        data.pop("applied_on", None)
        return {**data, "dates": dates}
