"""What the home page shows besides the sections: panels the apps offer, like the navigation.

Each app may declare `home_panels` on its AppConfig: functions taking the user's `Scope` and
returning a `HomePanel` (or None when it has nothing for this user). Core renders them in app
order without knowing any app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from workforce.core.access import Scope


@dataclass(frozen=True)
class HomePanel:
    template: str  # an include rendered with `context` (and the page's own context)
    context: dict[str, Any] = field(default_factory=dict)
    stylesheets: tuple[str, ...] = ()  # static paths the panel needs in the page's head


PanelBuilder = Callable[[Scope], HomePanel | None]


def home_panels(scope: Scope) -> list[HomePanel]:
    panels = []
    for config in apps.get_app_configs():
        for build in getattr(config, "home_panels", ()):
            panel = build(scope)
            if panel is not None:
                panels.append(panel)
    return panels
