"""Navigation for the layout: the sections a signed-in user's role may open.

Each app declares its sections on its AppConfig as `navigation = [(label, url name, capability)]`,
so adding an app adds its menu entries without touching this module.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from workforce.core.access import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.authority_id is None:  # type: ignore[union-attr]
        return {"nav_sections": []}
    scope = getattr(request, "scope", None) or scope_for(user)  # type: ignore[arg-type]
    items = []
    for config in apps.get_app_configs():
        for label, name, capability in getattr(config, "navigation", ()):
            if not scope.can(capability):
                continue
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "active": False})
    # The current section is the one whose address is the longest prefix of this page's.
    matching = [i for i in items if request.path.startswith(i["url"])]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_sections": items, "current_scope": scope}
