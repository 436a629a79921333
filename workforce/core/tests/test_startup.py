"""The work a web process does before its first request (workforce/core/startup.py)."""

from __future__ import annotations

from django.template import engines

from workforce.core.startup import warm_up


def test_warming_up_compiles_the_templates_without_reading_the_database() -> None:
    # No database marker: pytest-django fails any query made here, as a connection opened
    # before gunicorn forks its workers would be shared by all of them.
    compiled = warm_up()
    assert compiled > 100
    engine = engines["django"].engine
    cached = next(loader for loader in engine.template_loaders if hasattr(loader, "get_template"))
    assert "core/_table.html" in {key.split(":")[0] for key in cached.get_template_cache}
