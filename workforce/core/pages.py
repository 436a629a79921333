"""The one way a page handles a form: validate, apply through a service, show refusals.

Views stay thin: they build the form, name the service call and say where to go next; this module
does the rest the same way on every page (the GOV.UK error summary at the top, each refusal
against the field the service names, a success message after the change).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from workforce.core.forms import apply_service_errors

Action = Callable[[dict[str, Any]], Any]


def posted(request: HttpRequest) -> Any:
    """Form data when the form was sent (even empty, so that missing answers are reported)."""
    return request.POST if request.method == "POST" else None


def sent(form: forms.Form) -> dict[str, Any]:
    """The cleaned values of the fields the request actually sent: an update applies only these,
    so that a page (or a client) posting some of a record's fields never clears the others.
    A field sent empty is sent (it clears); a field missing from the request is not."""
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name in form.fields
        and not form.fields[name].widget.value_omitted_from_data(
            form.data, form.files, form.add_prefix(name)
        )
    }


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """A service's refusal with its field names translated to the names this form uses."""
    if not names or not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.error_dict.items()})


def submit(
    request: HttpRequest,
    form: forms.Form,
    action: Action,
    *,
    renamed: dict[str, str] | None = None,
) -> Any:
    """Apply a posted form through a service: its result, or None when nothing was applied.

    Services return the record they changed, so None always means "show the form again".
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, _renamed(error, renamed or {}))
        return None


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back_url: str,
    submit: str = "Save",
    caption: str = "",
    summary: Sequence[tuple[str, str]] = (),
    intro: str = "",
    warning: bool = False,
) -> HttpResponse:
    """The page of a form: back link, caption, heading, what it is about, fields and buttons."""
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back_url": back_url,
            "submit": submit,
            "summary": summary,
            "intro": intro,
            "warning": warning,
        },
    )


def form_flow(
    request: HttpRequest,
    form: forms.Form,
    action: Action,
    *,
    done: Callable[[Any], str | HttpResponse],
    message: str | Callable[[Any], str],
    renamed: dict[str, str] | None = None,
    **page: Any,
) -> HttpResponse:
    """A whole form page: apply it, then say what changed and go to `done(result)` (an address,
    or a response such as `redirect(...)`); until then, the form page with `page`'s wording."""
    result = submit(request, form, action, renamed=renamed)
    if result is not None:
        messages.success(request, message(result) if callable(message) else message)
        after = done(result)
        return after if isinstance(after, HttpResponse) else redirect(after)
    return form_page(request, form, **page)
