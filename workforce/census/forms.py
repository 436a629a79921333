from __future__ import annotations

from typing import Any

from django import forms

from workforce.core.forms import Form


class YearForm(Form):
    year = forms.TypedChoiceField(
        label="Census year",
        coerce=int,
        help_text="The year ending 30 September.",
        error_messages={
            "required": "Choose a census year",
            "invalid_choice": "Choose a census year from the list",
        },
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(y, f"1 October {y - 1} to 30 September {y}") for y in years]
