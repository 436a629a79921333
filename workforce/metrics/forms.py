"""Dashboard filters (kept in the address) and the target form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from workforce.core.access import Scope
from workforce.core.forms import AsAtMixin, Form, as_at_field, date_field, named
from workforce.establishment.models import OrgRole, ServiceArea
from workforce.metrics import selectors
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.measures import REGISTRY, targetable_keys
from workforce.metrics.models import Comparison

YEARS = [(str(n), f"{n} year{'s' if n > 1 else ''}") for n in (1, 2, 3, 5, 10)]
DEFAULT_YEARS = 3


def _choices(field: forms.Field) -> forms.ChoiceField:
    assert isinstance(field, forms.ChoiceField)
    return field


class DashboardFilterForm(AsAtMixin, Form):
    """Every filter of the dashboard; bad values give a message and the default is used."""

    on = as_at_field()
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    service_area = forms.ChoiceField(
        label="Service area",
        required=False,
        choices=[("", "All service areas"), *ServiceArea.choices],
    )
    role = forms.TypedChoiceField(label="Role", required=False, coerce=int, empty_value=None)
    org_role = forms.ChoiceField(
        label="Census OrgRole",
        required=False,
        choices=[("", "All OrgRoles"), *OrgRole.choices],
    )
    roles = forms.ChoiceField(
        label="Roles counted",
        required=False,
        choices=[("census", "Census-counted roles"), ("all", "All roles")],
    )
    years = named(
        forms.ChoiceField(
            label="Trend over", required=False, initial=str(DEFAULT_YEARS), choices=YEARS
        ),
        "the length of the trend",
    )

    def __init__(self, data: Any, *, scope: Scope) -> None:
        if data is not None:
            data = data.copy()
            defaults = (
                ("on", dt.date.today().isoformat()),
                ("years", str(DEFAULT_YEARS)),
                ("roles", "census"),
            )
            for name, default in defaults:
                if not data.get(name):
                    data[name] = default
        super().__init__(data)
        self.scope = scope
        teams = selectors.teams_in(scope)
        _choices(self.fields["team"]).choices = [
            ("", "All teams" if not scope.is_team_limited else "All my teams")
        ] + [(str(t.pk), t.name) for t in teams]
        _choices(self.fields["role"]).choices = [("", "All roles")] + [
            (str(r.pk), r.title) for r in selectors.roles_in(scope)
        ]

    def _clean(self, name: str, default: Any) -> Any:
        if not self.is_bound or name in self.errors:
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    @property
    def on_date(self) -> dt.date:
        return self.as_at()

    @property
    def years_value(self) -> int:
        return int(self._clean("years", DEFAULT_YEARS))

    @property
    def series_end(self) -> dt.date:
        """The last month end on or before the as-at date."""
        return selectors.series_end(self.on_date)

    @property
    def team_id(self) -> int | None:
        return self._clean("team", None)

    def metrics_filter(self) -> MetricsFilter:
        return selectors.filter_for_scope(
            self.scope,
            team_id=self.team_id,
            service_area=self._clean("service_area", ""),
            role_id=self._clean("role", None),
            org_role=self._clean("org_role", ""),
            census_only=self._clean("roles", "census") != "all",
        )

    def query(self, **changes: str) -> str:
        """The current filters as a query string, for links that keep them."""
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for name in self.fields:
            if not self.is_bound or name in self.errors:
                continue
            # A date may have come as three boxes: the link carries it whole, as ISO.
            value = self.cleaned_data.get(name) if name == "on" else self.data.get(name, "")
            if isinstance(value, dt.date):
                value = value.isoformat()
            if value:
                query[name] = value
        for name, value in changes.items():
            query[name] = value
        return query.urlencode()


class TargetForm(Form):
    measure = forms.ChoiceField(
        label="Measure",
        choices=lambda: [("", "Choose…")] + [(k, REGISTRY[k].label) for k in targetable_keys()],
        error_messages={
            "required": "Choose a measure.",
        },
    )
    comparison = forms.ChoiceField(
        label="The figure should be",
        choices=Comparison.choices,
        error_messages={
            "required": "Say whether the figure should be at most or at least the target.",
        },
    )
    value = forms.DecimalField(
        label="Target",
        max_digits=9,
        decimal_places=2,
        help_text="A percentage for rates (20 for 20%), otherwise FTE, people or years.",
        widget=forms.NumberInput(attrs={"step": "0.1"}),
        error_messages={
            "required": "Enter the target, for example 20.",
            "invalid": "The target must be a number, for example 20.",
            "max_decimal_places": "The target can have at most two decimal places.",
            "max_digits": "The target is too large.",
            "max_whole_digits": "The target is too large.",
        },
    )
    by_date = date_field("Target date", help_text="The date the target should be met by.")
    team = forms.TypedChoiceField(
        label="Team",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Leave as the whole authority unless this target is for one team.",
    )
    notes = forms.CharField(label="Notes", required=False, max_length=200)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["team"]).choices = [("", "Whole authority")] + [
            (str(t.pk), t.name) for t in selectors.teams_in(scope)
        ]
