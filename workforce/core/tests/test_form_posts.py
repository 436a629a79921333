"""Bad answers sent to every page with a form change nothing.

Each page of the URL catalogue (`test_url_access`) that shows a form sending POST to itself is
opened by the first persona allowed there; hypothesis then fills every box of the form with bad
values (null characters, text far too long, dates that do not exist, choices not offered) and
sends it. The page must answer 200 with the GOV.UK error summary linking to a field whose
message names it, never a 500 or a redirect, and no table (the audit trail included) may gain or
lose a row. (Pages showing a person note the read in the access log: a read, not a change.)
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce.core.models import User
from workforce.core.tests.test_form_errors import DJANGO_WORDINGS, recognisable_names
from workforce.core.tests.test_url_access import (
    OURS,
    Route,
    World,
    allowed,
    route_ids,
    url_for,
)

# The personas tried in turn: the first one the page allows sends the form.
WRITERS = ("lead", "hr", "admin", "manager", "analyst", "board")
BOXES = {"text", "number", "email", "url", "search", "tel", "password", ""}


class FormReader(HTMLParser):
    """The POST forms of a page: their action and their named fields with kind and values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.current = {"action": a.get("action", ""), "fields": {}, "multipart": False}
            self.current["multipart"] = "multipart" in a.get("enctype", "")
            self.forms.append(self.current)
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            self.current["fields"][name] = (kind, a.get("value", ""))
        elif tag == "textarea" and name:
            self.current["fields"][name] = ("textarea", "")
        elif tag == "select" and name:
            self.current["fields"][name] = ("select", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


def post_form(html: str, url: str) -> dict[str, tuple[str, str]] | None:
    """The fields of the page's own form (posting to itself) that takes answers, if any."""
    reader = FormReader()
    reader.feed(html)
    answers = {"text", "textarea", "select", "number", "email", "url", "search", "date", "tel"}
    for form in reader.forms:
        if form["action"] not in ("", url, url.split("?")[0]):
            continue
        fields = form["fields"]
        if any(kind in answers for kind, _ in fields.values()):
            return fields  # type: ignore[no-any-return]
    return None


BAD_TEXT = st.one_of(
    st.text(alphabet="abc ", max_size=5).map(lambda t: f"{t}\x00{t}"),
    st.integers(5_001, 6_000).map(lambda n: "x" * n),
)
BAD_DATE = st.sampled_from(
    [("31", "2", "2025"), ("30", "2", "2024"), ("x", "3", "2025"), ("1", "13", "abc")]
)
BOGUS = st.sampled_from(["bogus", "999999999", "-1"])


def bad_data(fields: dict[str, tuple[str, str]]) -> st.SearchStrategy[dict[str, Any]]:
    """Every box of the form given a bad value; hidden values (the step, the address to go
    back to) are sent as the page gave them."""
    parts: dict[str, st.SearchStrategy[Any]] = {}
    dates = {n[: -len("_day")] for n in fields if n.endswith("_day")}
    for name, (kind, value) in fields.items():
        base = name.rsplit("_", 1)[0]
        if base in dates and name.endswith(("_day", "_month", "_year")):
            continue
        if kind in ("hidden",):
            parts[name] = st.just(value)
        elif kind in ("submit", "button", "file", "image", "reset"):
            continue
        elif kind in ("select", "checkbox", "radio"):
            parts[name] = BOGUS
        else:  # text boxes, text areas, numbers
            parts[name] = BAD_TEXT
    for base in dates:
        parts[f"__date__{base}"] = BAD_DATE
    return st.fixed_dictionaries(parts).map(_spread_dates)


def _spread_dates(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        if key.startswith("__date__"):
            base = key.removeprefix("__date__")
            out.update(
                dict(zip((f"{base}_day", f"{base}_month", f"{base}_year"), value, strict=True))
            )
        else:
            out[key] = value
    return out


# Pages that show a person record that they were read, on every showing: a read, not a change.
READS = {"core.PersonalDataAccess"}


def row_counts() -> dict[str, int]:
    """Rows of every table, the audit trail (auditlog's LogEntry) included."""
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label not in READS
    }


def writer_for(route: Route, world: World) -> User | None:
    people = world.personas.all()
    for label in WRITERS:
        if allowed(people[label], route):
            return people[label]
    return None


@pytest.mark.parametrize("route", OURS, ids=route_ids(OURS))
def test_bad_answers_are_named_and_change_nothing(route: Route, world: World, db: None) -> None:
    user = writer_for(route, world)
    if user is None:
        pytest.skip("no persona may open it")
    url = url_for(route, world.own)
    client = Client()
    client.force_login(user)
    page = client.get(url)
    if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
        pytest.skip("not a page")
    fields = post_form(page.content.decode(errors="replace"), url)
    if fields is None:
        pytest.skip("no form that takes answers")

    @settings(
        max_examples=3,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=bad_data(fields))
    def refused(data: dict[str, Any]) -> None:
        before = row_counts()
        response = client.post(url, data)
        # 200, or 400 where a page says so of a refused form (the imports pages).
        assert response.status_code in (200, 400), (
            f"POST {url}: {response.status_code} for {data!r}"
        )
        text = response.content.decode(errors="replace")
        assert "govuk-error-summary" in text, f"POST {url}: no error summary for {data!r}"
        assert 'href="#id_' in text, f"POST {url}: no field named in the summary for {data!r}"
        form = (response.context or {}).get("form") if response.context else None
        if form is not None:
            for name, messages in form.errors.items():
                if name == "__all__" or name not in form.fields:
                    continue
                wanted = recognisable_names(form, name)
                for message in messages:
                    assert any(w in message.lower() for w in wanted), (
                        f"POST {url}: {name}: “{message}” does not name the field"
                    )
                    assert not any(d.lower() in message.lower() for d in DJANGO_WORDINGS)
        assert row_counts() == before, f"POST {url} changed the data with {data!r}"

    refused()
