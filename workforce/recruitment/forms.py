"""Forms for recruitment: one per service, rendered with GOV.UK markup by the core renderer."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef

from workforce.core.access import Scope
from workforce.core.forms import AsAtMixin, Form, as_at_field, date_field, fte_field, named
from workforce.core.models import User, UserRole
from workforce.establishment import selectors as establishment
from workforce.establishment.forms import AgencyStartForm
from workforce.establishment.models import (
    EMPLOYED_KINDS,
    Engagement,
    EngagementKind,
    Post,
    Role,
    Team,
)
from workforce.recruitment.models import (
    EXIT_STAGES,
    Campaign,
    CheckKind,
    CheckOutcome,
    ExitReason,
    Stage,
    Strand,
    StrandKind,
)


def money_field(label: str, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        error_messages={
            "invalid": f"{label} must be an amount in pounds, for example 12000.",
            "max_digits": f"{label} must be under £100 million.",
            "max_whole_digits": f"{label} must be under £100 million.",
            "max_decimal_places": f"{label} must be pounds and pence only, like 12000.50.",
            "min_value": f"{label} must be £0 or more.",
        },
    )


def text(label: str, *, required: bool = True, max_length: int = 120, help_text: str = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
    )


def choice(label: str, choices: Any, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "Choose…"), *choices],
        required=required,
    )


def model_choice(label: str, queryset: Any, *, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        empty_label="Choose…",
    )


def _staff(scope: Scope, roles: tuple[str, ...]) -> Any:
    return User.objects.filter(authority=scope.authority, is_active=True, role__in=roles).order_by(
        "last_name", "first_name"
    )


def hr_officers(scope: Scope) -> Any:
    return _staff(scope, (UserRole.HR_OFFICER, UserRole.WORKFORCE_LEAD, UserRole.ADMIN))


def managers(scope: Scope) -> Any:
    return _staff(scope, (UserRole.TEAM_MANAGER, UserRole.WORKFORCE_LEAD))


def _person_label(user: User) -> str:
    return user.get_full_name() or user.username


def _post_label(post: Post) -> str:
    held = getattr(post, "held", None)
    state = "" if held is None else (" (filled today)" if held else " (vacant today)")
    return f"{post.reference} – {post.role}, {post.team}{state}"


class CampaignForm(Form):
    name = text("Campaign name")
    start = date_field("Start date")
    end = date_field("End date", required=False)
    cost = money_field("Cost not tied to a strand (£)")
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StrandForm(Form):
    kind = choice("Kind of strand", StrandKind.choices)
    name = text("Name", required=False, help_text="For example “Sanctuary experienced staff”.")
    partner = text("Recruitment partner or agency", required=False)
    start = date_field("Start date")
    end = date_field("End date", required=False)
    cost = money_field("Cost (£)")
    agency_staff = forms.BooleanField(
        label="Recruits agency workers",
        required=False,
        help_text="Its recruits start as agency workers, supplied and paid through an agency.",
    )


class TargetForm(Form):
    target = forms.IntegerField(
        label="Target",
        min_value=1,
        max_value=10000,
        help_text="How many people to recruit, for example 15.",
        error_messages={
            "invalid": "The target must be a whole number, for example 15.",
            "required": "Enter the target, for example 15.",
            "min_value": "The target must be more than 0.",
            "max_value": "The target must be 10,000 or fewer.",
        },
    )
    deadline = date_field(
        "Deadline",
        required=False,
        help_text="By when they should be recruited. Leave empty if no date is set.",
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "role": model_choice("Role", Role.objects.filter(authority=scope.authority)),
            **self.fields,
        }


class VacancyForm(Form):
    reference = text("Reference", max_length=30)
    title = text("Job title as advertised")
    opened_on = date_field("Opened on")

    def __init__(self, *args: Any, scope: Scope, campaign: Campaign | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        strands = Strand.objects.filter(authority=scope.authority).select_related("campaign")
        if campaign is not None:
            strands = strands.filter(campaign=campaign)
        self.fields["role"] = model_choice("Role", Role.objects.filter(authority=scope.authority))
        self.fields["strand"] = model_choice("Strand", strands, required=False)
        self.fields["strand"].label_from_instance = lambda s: f"{s.campaign}: {s}"  # type: ignore[attr-defined]
        held = Engagement.objects.active_on(dt.date.today()).filter(
            kind__in=EMPLOYED_KINDS, post_id=OuterRef("pk")
        )
        posts = (
            Post.objects.filter(authority=scope.authority, end__isnull=True)
            .annotate(held=Exists(held))
            .select_related("team", "role")
            .order_by("role__order", "held", "team__name", "reference")
        )
        self.fields["posts"] = forms.ModelMultipleChoiceField(
            label="Posts it fills",
            queryset=posts,
            required=False,
            help_text="Choose several for block recruitment. Hold Ctrl or Cmd to choose more.",
            widget=forms.SelectMultiple(attrs={"class": "govuk-select", "size": 8}),
            error_messages={"invalid_choice": "Choose the posts it fills from the list."},
        )
        self.fields["posts"].label_from_instance = _post_label  # type: ignore[attr-defined]


class ApplyForm(Form):
    first_name = text("First name", max_length=60)
    last_name = text("Last name", max_length=60)
    email = forms.EmailField(
        label="Email address",
        help_text="A candidate already known by this email is reused, not duplicated.",
        error_messages={
            "required": "Enter the candidate's email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
    )
    phone = text("Phone", required=False, max_length=30)
    applied_on = date_field("Date they applied")


class AdvanceForm(Form):
    to_stage = forms.ChoiceField(
        label="Move to",
        choices=[(s, label) for s, label in Stage.choices if s not in EXIT_STAGES],
        error_messages={
            "required": "Choose the stage to move to.",
            "invalid_choice": "Choose the stage to move to from the list.",
        },
    )
    on = date_field("Date")
    salary_point = text("Salary point (for a recommendation)", required=False, max_length=20)


class LeaveForm(Form):
    outcome = choice("Outcome", [(s, label) for s, label in Stage.choices if s in EXIT_STAGES])
    reason = choice("Reason", ExitReason.choices)
    note = text("Note", required=False, max_length=300)
    on = date_field("Date")


class ContactsForm(Form):
    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hr_officer"] = model_choice(
            "Named HR officer", hr_officers(scope), required=False
        )
        self.fields["area_manager"] = model_choice(
            "Named area manager", managers(scope), required=False
        )
        for name in ("hr_officer", "area_manager"):
            self.fields[name].label_from_instance = _person_label  # type: ignore[attr-defined]
        self.fields["preferred_team"] = model_choice(
            "Preferred team",
            Team.objects.filter(authority=scope.authority, is_active=True),
            required=False,
        )


def over_establishment_field() -> Any:
    return text(
        "Reason for over-establishment",
        required=False,
        max_length=300,
        help_text="Only if the post is already held and taking on one more is deliberate.",
    )


class AllocateForm(Form):
    def __init__(self, *args: Any, posts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"] = model_choice("Post", posts)
        self.fields["post"].label_from_instance = _post_label  # type: ignore[attr-defined]
        self.fields["over_establishment_reason"] = over_establishment_field()


class RequestCheckForm(Form):
    kind = choice("Check", CheckKind.choices)
    requested_on = date_field("Requested on")
    required = forms.BooleanField(
        label="Required before the unconditional offer", required=False, initial=True
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = model_choice("Owner", hr_officers(scope), required=False)
        self.fields["owner"].label_from_instance = _person_label  # type: ignore[attr-defined]


class CheckResultForm(Form):
    outcome = choice(
        "Outcome", [(v, label) for v, label in CheckOutcome.choices if v != CheckOutcome.PENDING]
    )
    received_on = date_field("Received on", required=False)
    outcome_on = date_field("Cleared or failed on")
    note = text("Note", required=False, max_length=300, help_text="Needed when a check fails.")


class OfferForm(Form):
    on = date_field("Offer made on")
    salary_point = text("Salary point", required=False, max_length=20)
    annual_salary = money_field("Annual salary (£)")


class ConditionalAcceptForm(Form):
    on = date_field("Conditional offer accepted on")


class AcceptForm(Form):
    on = date_field("Accepted on")
    start_date = date_field("Agreed start date", required=False)


class StartForm(Form):
    start = date_field("Start date")
    staff_number = text("Staff number", max_length=20)
    fte = fte_field()
    kind = forms.ChoiceField(
        label="Kind of appointment",
        choices=[(k, label) for k, label in EngagementKind.choices if k != EngagementKind.AGENCY],
        initial=EngagementKind.PERMANENT,
    )
    end = date_field("End date (fixed-term only)", required=False)
    end_agency_cover = forms.BooleanField(
        label="End the agency assignment covering this post the day before",
        required=False,
        initial=True,
    )

    def __init__(
        self, *args: Any, posts: Any, scope: Scope, agency: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"] = model_choice("Post", posts)
        self.fields["post"].label_from_instance = _post_label  # type: ignore[attr-defined]
        self.fields["over_establishment_reason"] = over_establishment_field()
        if not agency:
            return
        # A strand recruiting agency workers: the agency assignment's terms, as the
        # establishment's own agency form asks them.
        kind: Any = self.fields["kind"]
        kind.choices = EngagementKind.choices
        kind.label = "Kind of engagement"
        for name in ("agency_name", "charge_rate", "covers", "covering_for"):
            self.fields[name] = copy.deepcopy(AgencyStartForm.base_fields[name])
        self.fields["agency_name"].required = False
        self.fields["agency_name"].help_text = "For an agency worker."
        self.fields["covers"].required = False
        covering: Any = self.fields["covering_for"]
        covering.queryset = establishment.workers_for(scope)


class TaskDoneForm(Form):
    done_on = date_field("Done on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = dt.date.today()


class ReportFilterForm(AsAtMixin, Form):
    """A campaign (those the user can see, or all), and a period: from a day to the date the
    figures answer for ("To": today when empty; "From": the 12 months to "To" when empty)."""

    start = date_field(
        "From",
        name="the start of the period",
        required=False,
        help_text="The first day of the period. Leave empty for the 12 months to the “To” date.",
    )
    on = as_at_field()

    def __init__(self, *args: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        named(self.fields["on"], "the end of the period").label = "To"
        self.fields["on"].help_text = (
            "The last day of the period: where recruitment stood is counted at this date. "
            "Today when empty."
        )
        self.fields["campaign"] = model_choice("Campaign", campaigns, required=False)
        self.fields["campaign"].empty_label = "All campaigns"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, on = data.get("start"), data.get("on") or dt.date.today()
        if isinstance(start, dt.date) and start > on:
            self.add_error("start", "“From” must be on or before “To”.")
        return data

    def chosen(self) -> tuple[Campaign | None, dt.date, dt.date | None]:
        """The campaign, the date and the period's first day asked for; a field in error
        counts as not given."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        start = None if "start" in self.errors else data.get("start")
        return data.get("campaign"), self.as_at(), start
