"""`{% careers_areas as areas %}`: the careers areas the user may open, for the areas list."""

from __future__ import annotations

from typing import Any

from django import template

from workforce.careers.areas import AreaLink, areas_for
from workforce.core.access import scope_of

register = template.Library()


@register.simple_tag(takes_context=True)
def careers_areas(context: dict[str, Any]) -> list[AreaLink]:
    request = context["request"]
    return areas_for(scope_of(request), request.path)
