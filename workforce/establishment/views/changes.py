"""Changes to one engagement: hours, agency to permanent, ending it with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from workforce.core.access import Capability, requires, scope_of
from workforce.core.pages import form_flow, form_page, posted, submit
from workforce.core.templatetags.govuk import fte, govuk_date
from workforce.establishment import selectors, services
from workforce.establishment.forms import (
    ChangeHoursForm,
    ConvertForm,
    EndEngagementForm,
)
from workforce.establishment.views.common import (
    _engagement_summary,
    _scoped_engagement,
    _worker_url,
)


@requires(Capability.MANAGE_PEOPLE)
def change_hours(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _scoped_engagement(scope_of(request), engagement_id)
    form = ChangeHoursForm(posted(request))
    return form_flow(
        request,
        form,
        lambda d: services.change_hours(
            engagement=engagement, fte=d["fte"], from_date=d["from_date"]
        ),
        renamed={"start": "from_date", "end": "from_date"},
        done=lambda changed: redirect(_worker_url(engagement.worker)),
        message=lambda changed: (
            f"{engagement.worker.full_name} works {fte(changed.fte)} FTE in post "
            f"{changed.post.reference} from {govuk_date(changed.start)}."
        ),
        title="Change hours",
        caption=engagement.worker.full_name,
        back_url=_worker_url(engagement.worker),
        submit="Change hours",
        summary=_engagement_summary(engagement),
        intro="Same post, new FTE from a date. The earlier FTE stays in their history and in "
        "figures for earlier dates. Not a leaver and not a starter.",
    )


@requires(Capability.MANAGE_PEOPLE)
def convert(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _scoped_engagement(scope_of(request), engagement_id)
    form = ConvertForm(posted(request))
    employed = submit(
        request,
        form,
        lambda d: services.convert_to_permanent(
            engagement=engagement,
            from_date=d["from_date"],
            fte=d["fte"],
            start_origin=d["start_origin"],
        ),
        renamed={"start": "from_date", "end": "from_date", "engagement": "from_date"},
    )
    if employed is not None:
        messages.success(
            request,
            f"{engagement.worker.full_name} is a permanent employee in post "
            f"{employed.post.reference} from {govuk_date(employed.start)}.",
        )
        return redirect(_worker_url(engagement.worker))
    if not engagement.is_agency:
        intro = "This is not an agency assignment: only agency workers are converted this way."
    else:
        intro = (
            "The agency assignment ends the day before and a permanent engagement in the same "
            "post begins. For the census they are a starter (joining the authority's "
            "employment from agency work) and not a leaver."
        )
    return form_page(
        request,
        form,
        title="Make permanent",
        caption=engagement.worker.full_name,
        back_url=_worker_url(engagement.worker),
        submit="Make permanent",
        summary=_engagement_summary(engagement),
        intro=intro,
        warning=not engagement.is_agency,
    )


@requires(Capability.MANAGE_PEOPLE)
def end_engagement(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _scoped_engagement(scope_of(request), engagement_id)
    form = EndEngagementForm(posted(request))
    ended = submit(
        request,
        form,
        lambda d: services.end_engagement_by_hand(
            engagement=engagement, last_day=d["last_day"], reason=d["reason"]
        ),
        renamed={"end": "last_day"},
    )
    if ended is not None:
        return redirect("establishment:engagement_ended", engagement_id=ended.pk)
    return form_page(
        request,
        form,
        title="End in this post",
        caption=engagement.worker.full_name,
        back_url=_worker_url(engagement.worker),
        submit="End engagement",
        summary=_engagement_summary(engagement),
        intro="Ends this one post. To end someone's employment with the authority, record a "
        "leaver; to move them, use “Move to another post”.",
        warning=True,
    )


@requires(Capability.MANAGE_PEOPLE)
def engagement_ended(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """What was recorded, and whether a leaving should be recorded next."""
    engagement = _scoped_engagement(scope_of(request), engagement_id)
    return render(
        request,
        "establishment/engagement_ended.html",
        {
            "engagement": engagement,
            "leaving_needed": selectors.leaving_needed(engagement),
            "worker_url": _worker_url(engagement.worker),
        },
    )
