"""A post and its history; creating, changing and closing posts."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from workforce.core.access import Capability, requires, scope_of
from workforce.core.pages import form_flow, form_page, posted, submit
from workforce.core.templatetags.govuk import fte, govuk_date
from workforce.establishment import selectors, services
from workforce.establishment.forms import (
    PostChangeFteForm,
    PostCloseForm,
    PostCreateForm,
)
from workforce.establishment.models import Worker
from workforce.establishment.views.common import _post_summary, _scoped_post


@requires(Capability.VIEW_AGGREGATES)
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    scope = scope_of(request)
    post = _scoped_post(scope, post_id)
    history = selectors.post_history(post)
    today = dt.date.today()
    current = next((f for f in history["funding"] if f.is_active_on(today)), None)
    show_names = scope.can(Capability.VIEW_PEOPLE)
    engagements = history["engagements"]
    return render(
        request,
        "establishment/post.html",
        {
            "post": post,
            "funding": history["funding"],
            # Who held a post, and when and why they left, identifies the holder of a one-off
            # post: only those who may see personal details see it; others see today's state.
            "engagements": engagements if show_names else [],
            "filled_today": sum((e.fte for e in engagements if e.is_active_on(today)), start=0),
            "can_open": scope.openable(Worker, [e.worker_id for e in engagements])
            if show_names
            else set(),
            "current_funding": current,
            "today": today,
            "show_names": show_names,
            "can_manage_posts": scope.can(Capability.MANAGE_POSTS),
        },
    )


# Forms: one helper validates, calls the service and shows refusals against the field -------


@requires(Capability.MANAGE_POSTS)
def post_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = PostCreateForm(posted(request), scope=scope)
    return form_flow(
        request,
        form,
        lambda d: services.create_post(
            authority=scope.authority,
            team=d["team"],
            role=d["role"],
            reference=d["reference"],
            fte=d["fte"],
            start=d["start"],
            end=d["end"],
            grade=d["grade"],
            cost_centre=d["cost_centre"],
        ),
        done=lambda post: redirect("establishment:post", post_id=post.pk),
        message=lambda post: f"Post {post.reference} created.",
        title="Create a post",
        caption="Establishment",
        back_url=reverse("establishment:table"),
        submit="Create post",
    )


@requires(Capability.MANAGE_POSTS)
def post_change_fte(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _scoped_post(scope_of(request), post_id)
    form = PostChangeFteForm(posted(request))
    return form_flow(
        request,
        form,
        lambda d: services.change_post_fte(post=post, fte=d["fte"], from_date=d["from_date"]),
        done=lambda funding: redirect("establishment:post", post_id=post.pk),
        message=lambda funding: (
            f"Post {post.reference} is funded at {fte(funding.fte)} FTE "
            f"from {govuk_date(funding.start)}."
        ),
        title="Change the budgeted FTE",
        caption=f"Post {post.reference}",
        back_url=reverse("establishment:post", kwargs={"post_id": post.pk}),
        submit="Change FTE",
        summary=_post_summary(post),
        intro="The earlier FTE stays in the post's history and in tables for earlier dates.",
    )


@requires(Capability.MANAGE_POSTS)
def post_close(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _scoped_post(scope_of(request), post_id)
    form = PostCloseForm(posted(request))
    closed = submit(request, form, lambda d: services.close_post(post=post, end=d["end"]))
    if closed is not None:
        messages.success(request, f"Post {post.reference} is closed from {govuk_date(closed.end)}.")
        return redirect("establishment:post", post_id=post.pk)
    return form_page(
        request,
        form,
        title="Close the post",
        caption=f"Post {post.reference}",
        back_url=reverse("establishment:post", kwargs={"post_id": post.pk}),
        submit="Close post",
        summary=_post_summary(post),
        intro="Nobody may be in the post on or after the date it closes: move them or end "
        "their engagement first.",
        warning=True,
    )
