"""Template helpers for GOV.UK Design System markup: widgets, numbers and dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms, template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from workforce.core import dates, numbers
from workforce.core.forms import GovukDateInput

register = template.Library()

WIDGET_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "checkbox": "govuk-checkboxes__input",
    "file": "govuk-file-upload",
    "input": "govuk-input",
    "date": "govuk-input",
    "number": "govuk-input govuk-input--width-5",
}


@register.filter
def widget_kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, GovukDateInput | forms.DateInput):
        return "date"
    if isinstance(widget, forms.NumberInput):
        return "number"
    return "input"


@register.filter
def govuk_widget(field: forms.BoundField) -> str:
    kind = widget_kind(field)
    css = WIDGET_CLASSES[kind]
    if field.errors:
        css += {
            "select": " govuk-select--error",
            "textarea": " govuk-textarea--error",
            "checkbox": "",
            "file": " govuk-file-upload--error",
        }.get(kind, " govuk-input--error")
    attrs: dict[str, Any] = {
        "class": (field.field.widget.attrs.get("class", "") + " " + css).strip()
    }
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    # A date's three boxes sit in a fieldset that carries the hint and the error.
    if described and kind != "date":
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def fte(value: Decimal | float | None) -> str:
    """Two decimal places, as council establishment tables print FTE."""
    return numbers.number_text(value, 2)


@register.filter
def bracketed(value: Decimal | float | None) -> str:
    """Negative figures in brackets, as in '(Over)/under establishment'."""
    shown = numbers.rounded(value, 2)
    if shown is None:
        return numbers.DASH
    return f"({-shown:,.2f})" if shown < 0 else f"{shown:,.2f}"


@register.filter
def percent(value: float | Decimal | None, places: int = 1) -> str:
    """A fraction as a percentage, rounded once, half up: 0.22655 is 22.7%."""
    return numbers.percent_text(value, int(places))


@register.filter
def count(value: int | None) -> str:
    """A count with thousands separators: 12,345."""
    return numbers.count_text(value)


@register.filter
def number(value: float | Decimal | None, places: int = 1) -> str:
    """A figure rounded half up to `places` decimals, with thousands separators."""
    return numbers.number_text(value, int(places))


@register.filter
def govuk_date(value: dt.date | None) -> str:
    """1 July 2023."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return dates.day_text(value)


@register.filter
def govuk_datetime(value: dt.datetime | None) -> str:
    """1 July 2023, 2:05pm (local time)."""
    return dates.time_text(value)


@register.filter
def govuk_month(value: dt.date | None) -> str:
    """July 2023."""
    return dates.month_text(value)


@register.simple_tag
def tag(text: str, colour: str = "") -> str:
    css = f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"
    return format_html('<strong class="{}">{}</strong>', css, text)


@register.filter
def audit_action(entry: Any) -> str:
    """An audit entry's action in words: a sign-in event by its name, else create, update..."""
    from workforce.core.signin import event_label

    return event_label(entry) or entry.get_action_display()


# Tables --------------------------------------------------------------------------------------


def _cells_html(cells: list[Any]) -> str:
    out = []
    for i, cell in enumerate(cells):
        text = escape(cell.text)
        if i == 0 and not cell.numeric:
            out.append(f'<th scope="row" class="govuk-table__header">{text}</th>')
        elif cell.numeric:
            out.append(f'<td class="govuk-table__cell govuk-table__cell--numeric">{text}</td>')
        else:
            out.append(f'<td class="govuk-table__cell">{text}</td>')
    return "".join(out)


@register.simple_tag
def table_body_rows(table: Any) -> SafeString:
    """The rows of a table's body (workforce/core/tables.py) and its totals, or its empty
    message: written here rather than by a template loop, which takes a good part of a second
    over the hundreds of rows of a survival curve's table."""
    rows = table.page_rows
    if not rows:
        return format_html(
            '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">{}</td></tr>',
            len(table.page_columns),
            table.empty,
        )
    out = [f'<tr class="govuk-table__row">{_cells_html(row)}</tr>\n' for row in rows]
    totals = table.page_totals
    if totals:
        out.append(f'<tr class="govuk-table__row app-table-total">{_cells_html(totals)}</tr>\n')
    return mark_safe("".join(out))  # noqa: S308  (every text escaped above)
