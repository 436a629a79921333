"""Every field of every form answers bad input with a message that names the field.

The forms are found by walking the `Form` classes of the `workforce` package, so a form added
anywhere is covered. For each field, hypothesis makes bad values suited to its kind (null
characters, text too long, words where a number goes, numbers out of range, dates that do not
exist, choices that are not offered, spaces where an answer is required); the form must refuse
each one against that field, with a message naming it and none of Django's generic wordings.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import string
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workforce
from workforce.conftest import Personas, build_personas, built_once
from workforce.core.access import scope_for
from workforce.core.forms import (
    DATE_PARTS,
    GovukDateField,
    NamedErrorsMixin,
    field_name,
)
from workforce.core.services import load_reference_data
from workforce.core.tests.factories import AuthorityFactory
from workforce.establishment.models import Team
from workforce.establishment.tests.factories import RoleFactory
from workforce.imports.base import importers
from workforce.recruitment.models import Vacancy
from workforce.recruitment.tests.factories import VacancyFactory

# Django's own wordings, none of which names the field.
DJANGO_WORDINGS = (
    "This field is required",
    "Select a valid choice",
    "Null characters are not allowed",
    "Enter a whole number",
    "Enter a number",
    "Enter a valid",
    "Ensure this value",
    "Ensure that there are no more",
    "Ensure this filename",
    "is not one of the available choices",
    "No file was submitted",
)


def _form_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(workforce.__path__, "workforce."):
        last = info.name.rsplit(".", 1)[-1]
        if ".tests" in info.name or ".migrations" in info.name or ".e2e" in info.name:
            continue
        if last.startswith(("forms", "views")) or last in {"account", "pages", "signin"}:
            names.append(info.name)
    return names


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    subclasses: list[type] = cls.__subclasses__()
    for sub in subclasses:
        found.add(sub)
        found |= _subclasses(sub)
    return found


def all_forms() -> list[type[forms.BaseForm]]:
    for name in _form_modules():
        importlib.import_module(name)
    ours = [
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("workforce.") and ".tests" not in cls.__module__
    ]
    return sorted(ours, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORMS = all_forms()


def form_id(cls: type) -> str:
    return f"{cls.__module__.removeprefix('workforce.')}.{cls.__qualname__}"


def build(cls: type[forms.BaseForm], data: dict[str, Any] | None, personas: Personas) -> Any:
    """The form as its views build it: the keyword arguments its `__init__` asks for, filled
    with the lead's scope, an importer, or empty lists of records (a bogus choice is bogus
    whatever is offered)."""
    if cls.__name__ == "GovukPasswordChangeForm":
        return cls(personas.lead, data)
    kwargs: dict[str, Any] = {}
    for name, param in inspect.signature(cls).parameters.items():
        if param.kind is not param.KEYWORD_ONLY or param.default is not param.empty:
            continue
        if name == "scope":
            kwargs[name] = scope_for(personas.lead)
        elif name == "importer":
            kwargs[name] = importers()[0]
        elif name in {"campaign"}:
            kwargs[name] = None
        elif name in {"columns"}:
            kwargs[name] = ()
        elif name == "vacancy":
            kwargs[name] = _vacancy(personas)
        else:
            kwargs[name] = Team.objects.none()
    return cls(data, **kwargs)


def _vacancy(personas: Personas) -> Vacancy:
    """A vacancy of the lead's authority (one, made the first time it is asked for)."""
    authority = personas.own_team.authority
    found = Vacancy.objects.filter(authority=authority).first()
    return found or VacancyFactory(
        strand__campaign__authority=authority,
        role=RoleFactory(authority=authority, title="Social worker"),
    )


# --- Bad values for each kind of field ------------------------------------------------------

TEXT = st.text(alphabet=string.ascii_letters + " ", min_size=0, max_size=8)
WORDS = st.text(alphabet=string.ascii_letters, min_size=1, max_size=8)
SPACES = st.sampled_from([" ", "   ", "\t", " \n "])


def _as_data(name: str, value: Any) -> dict[str, Any]:
    return {name: value}


def _date_parts(name: str, parts: tuple[str, str, str]) -> dict[str, Any]:
    return {f"{name}_{part}": value for part, value in zip(DATE_PARTS, parts, strict=True)}


def bad_values(name: str, field: forms.Field) -> st.SearchStrategy[dict[str, Any]] | None:
    """Form data with one bad value for `field` (None when the field takes anything)."""
    options: list[st.SearchStrategy[dict[str, Any]]] = []
    if isinstance(field, GovukDateField):
        impossible = st.sampled_from(
            [("31", "2", "2025"), ("30", "2", "2024"), ("0", "1", "2025"), ("1", "13", "2025")]
        )
        letters = st.tuples(WORDS, st.just("3"), st.just("2025")) | st.tuples(
            st.just("1"), WORDS, st.just("2025")
        )
        missing = st.sampled_from([("1", "", "2025"), ("", "3", "2025"), ("1", "3", "")])
        out_of_range = st.integers(1000, 1899).map(lambda y: ("1", "1", str(y)))
        nulls = st.just(("1\x00", "3", "2025"))
        options.append(
            (impossible | letters | missing | out_of_range | nulls).map(
                lambda parts: _date_parts(name, parts)
            )
        )
        options.append(WORDS.map(lambda w: _as_data(name, w)))
    elif isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        bogus = WORDS.map(lambda w: f"bogus{w}") | st.integers(10**6, 10**9).map(str)
        options.append(st.lists(bogus, min_size=1, max_size=3).map(lambda v: _as_data(name, v)))
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        bogus = WORDS.map(lambda w: f"bogus{w}") | st.integers(10**6, 10**9).map(str)
        options.append(bogus.map(lambda v: _as_data(name, v)))
    elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        options.append(WORDS.map(lambda w: _as_data(name, w)))
        if field.max_value is not None:
            over = st.integers(1, 10**6).map(lambda n: field.max_value + n)  # type: ignore[operator]
            options.append(over.map(lambda v: _as_data(name, str(v))))
        if field.min_value is not None:
            under = st.integers(1, 10**6).map(lambda n: field.min_value - n)  # type: ignore[operator]
            options.append(under.map(lambda v: _as_data(name, str(v))))
        if isinstance(field, forms.DecimalField) and field.decimal_places is not None:
            places = field.decimal_places
            fine = Decimal(1).scaleb(-(places + 2))
            options.append(st.just(_as_data(name, str(Decimal("0.1") + fine))))
    elif isinstance(field, forms.FileField):
        pass  # files: the upload pages' own tests send bad files
    elif isinstance(field, forms.CharField):
        options.append(TEXT.map(lambda t: _as_data(name, f"{t}\x00{t}")))
        if field.max_length is not None:
            n = field.max_length
            options.append(st.integers(n + 1, n + 50).map(lambda k: _as_data(name, "x" * k)))
    if field.required and not isinstance(field, forms.BooleanField | GovukDateField):
        if isinstance(field, forms.CharField) and not field.strip:
            pass  # passwords: spaces are an answer, checked by the password rules
        elif isinstance(field, forms.CharField | forms.IntegerField | forms.DecimalField):
            options.append(SPACES.map(lambda s: _as_data(name, s)))
        else:
            options.append(st.just(_as_data(name, "")))
    if field.required and isinstance(field, forms.BooleanField | GovukDateField | forms.FileField):
        options.append(st.just({}))
    return st.one_of(options) if options else None


def recognisable_names(form: Any, name: str) -> list[str]:
    field = form.fields[name]
    names = [field_name(field, name)]
    if field.label:
        names.append(str(field.label))
    names += [re.sub(r"\s*\([^)]*\)$", "", n) for n in names]  # "Amount (£)": amount
    return [n.strip(" “”?.:").lower() for n in names if n]


@pytest.fixture(scope="module")
def people(django_db_setup: None, django_db_blocker: Any) -> Iterator[Personas]:
    """Reference data and the personas, built once for the module and rolled back after."""
    with built_once(django_db_blocker):
        load_reference_data()
        yield build_personas(
            AuthorityFactory(code="999", name="Exampleshire", region="West Midlands"),
            AuthorityFactory(code="998", name="Elsewhereshire", region="North West"),
        )


# --- Tests -----------------------------------------------------------------------------------


def test_the_forms_are_found() -> None:
    assert len(FORMS) > 40, [form_id(f) for f in FORMS]


@pytest.mark.parametrize("cls", FORMS, ids=form_id)
def test_every_form_names_its_fields_in_errors(cls: type) -> None:
    assert issubclass(cls, NamedErrorsMixin), (
        f"{form_id(cls)} must be built on workforce.core.forms.Form (or NamedErrorsMixin)"
    )


def check_field(form_class: type, name: str, personas: Personas) -> None:
    """Every bad value hypothesis makes for the field is refused against it, by name."""
    strategy = bad_values(name, build(form_class, None, personas).fields[name])
    if strategy is None:
        return

    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(posted=strategy)
    def refused(posted: dict[str, Any]) -> None:
        form = build(form_class, posted, personas)
        assert not form.is_valid(), f"{name}={posted!r} was accepted"
        assert name in form.errors, (
            f"{name}={posted!r}: no error on the field, only {dict(form.errors)}"
        )
        wanted = recognisable_names(form, name)
        for message in form.errors[name]:
            assert any(w in message.lower() for w in wanted), (
                f"{name}: “{message}” does not name the field ({' or '.join(wanted)})"
            )
            assert not any(d.lower() in message.lower() for d in DJANGO_WORDINGS), message

    refused()


@pytest.mark.parametrize("cls", FORMS, ids=form_id)
def test_bad_values_are_refused_with_a_message_naming_the_field(
    cls: type, people: Personas, db: None
) -> None:
    failures = []
    for name in build(cls, None, people).fields:
        try:
            check_field(cls, name, people)
        except AssertionError as failure:
            failures.append(str(failure).splitlines()[0])
    assert not failures, "\n".join(failures)
