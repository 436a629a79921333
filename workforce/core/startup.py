"""Work a web process would otherwise do on its first requests, done once before it serves.

Without it each gunicorn worker's first request imports every view and builds the map of
addresses (most of a second), and its first request of each kind of page compiles that page's
templates. `config/wsgi.py` calls `warm_up()` when the application is loaded; gunicorn loads it
once before forking its workers (`preload_app`), so every worker starts with it done. Nothing
here reads the database: a connection opened before the fork would be shared by the workers.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver


def warm_up() -> int:
    """Import the views, build the address map and compile the project's own templates; how
    many templates were compiled."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  (imports every view)
    resolver.reverse_dict  # noqa: B018  (the map `reverse` reads)
    ours = (Path(settings.BASE_DIR) / "workforce").resolve()
    compiled = 0
    for engine in engines.all():
        for directory in get_app_template_dirs("templates"):
            root = Path(directory).resolve()
            if ours not in root.parents:
                continue
            for path in sorted(root.rglob("*.html")):
                engine.get_template(path.relative_to(root).as_posix())
                compiled += 1
    return compiled
