"""Dates shown as GOV.UK writes them, and typed in the GOV.UK date input."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.http import QueryDict
from django.template import Context, Template
from django.urls import reverse

from workforce.core import dates
from workforce.core.forms import AsAtForm, date_field, read_date

pytestmark = pytest.mark.django_db


def test_dates_read_as_gov_uk_writes_them():
    assert dates.day_text(dt.date(2023, 7, 1)) == "1 July 2023"
    assert dates.month_text(dt.date(2023, 7, 1)) == "July 2023"
    assert dates.time_text(dt.datetime(2023, 7, 1, 14, 5)) == "1 July 2023, 2:05pm"
    assert dates.time_text(dt.datetime(2023, 7, 1, 12, 0)) == "1 July 2023, midday"
    assert dates.time_text(dt.datetime(2023, 7, 1, 0, 30)) == "1 July 2023, 12:30am"


def test_django_date_filter_uses_the_gov_uk_format():
    html = Template("{{ day|date }}|{{ day }}").render(Context({"day": dt.date(2023, 7, 1)}))
    assert html == "1 July 2023|1 July 2023"


class RecordForm(forms.Form):
    start = date_field("Start date")
    end = date_field("End date", required=False)


def _post(**data: str) -> RecordForm:
    form = RecordForm(data)
    form.is_valid()
    return form


def test_the_three_boxes_make_a_date():
    form = _post(start_day="1", start_month="7", start_year="2023")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == dt.date(2023, 7, 1)
    assert form.cleaned_data["end"] is None


def test_one_iso_value_is_still_taken():
    form = _post(start="2024-03-31")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == dt.date(2024, 3, 31)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"start_day": "31", "start_month": "2", "start_year": "2024"},
            "Start date must be a real date, for example 30 September 2025.",
        ),
        (
            {"start_day": "1", "start_month": "July", "start_year": "2024"},
            "Start date must be a real date, for example 30 September 2025.",
        ),
        (
            {"start_day": "1", "start_month": "7", "start_year": ""},
            "Start date must include a year.",
        ),
        (
            {"start_day": "", "start_month": "", "start_year": "2024"},
            "Start date must include a day and month.",
        ),
        (
            {"start_day": "1", "start_month": "7", "start_year": "0202"},
            "Start date must be between 1 January 1900 and 31 December 2099.",
        ),
        ({"start": "2024-02-31"}, "Start date must be a real date, for example 30 September 2025."),
        ({}, "Enter the start date."),
    ],
)
def test_bad_dates_are_named_plainly(data, message):
    form = _post(**data)
    assert form.errors["start"] == [message]


def test_the_boxes_keep_what_was_typed_and_use_gov_uk_markup():
    form = _post(start_day="31", start_month="2", start_year="2024")
    html = str(form["start"].as_field_group())
    assert 'class="govuk-date-input"' in html
    assert '<legend class="govuk-fieldset__legend' in html
    assert 'name="start_day"' in html and 'value="31"' in html
    assert 'name="start_year"' in html and 'value="2024"' in html
    assert "govuk-input--error" in html
    assert 'type="date"' not in html


def test_as_at_falls_back_to_today_with_a_message():
    form = AsAtForm(QueryDict("on_day=31&on_month=2&on_year=2024"))
    assert form.as_at() == dt.date.today()
    assert form.errors["on"] == [
        "The “as at” date must be a real date, for example 30 September 2025."
    ]
    assert AsAtForm(QueryDict("on=2024-03-31")).as_at() == dt.date(2024, 3, 31)
    assert AsAtForm(QueryDict("on_day=31&on_month=3&on_year=2024")).as_at() == dt.date(2024, 3, 31)
    assert AsAtForm(None).as_at() == dt.date.today()


def test_read_date_gives_the_date_or_a_plain_message():
    assert read_date(QueryDict("start=2024-03-31"), "start") == (dt.date(2024, 3, 31), "")
    assert read_date(QueryDict("start_day=31&start_month=2&start_year=2024"), "start")[1] == (
        "Date must be a real date, for example 30 September 2025."
    )
    assert read_date(QueryDict(""), "start") == (None, "")


@pytest.mark.parametrize(
    "query",
    [
        "on=2024-02-31",
        "on=letters",
        "on_day=31&on_month=2&on_year=2024",
        "on_day=1&on_month=7&on_year=",
        "on_day=x&on_month=y&on_year=z",
    ],
)
@pytest.mark.parametrize(
    "url", ["metrics:dashboard", "establishment:table", "caseloads:overview", "home"]
)
def test_a_bad_as_at_date_is_a_message_on_the_page_never_an_error(client, personas, url, query):
    client.login(username=personas.lead.username, password=personas.password)
    response = client.get(f"{reverse(url)}?{query}")
    assert response.status_code == 200
    if url != "home":
        body = response.content.decode()
        assert "govuk-error-message" in body
