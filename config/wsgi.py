"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Imports, the address map and the templates, before the first request (and, with gunicorn's
# preload_app, before the workers are forked).
from workforce.core.startup import warm_up  # noqa: E402

warm_up()
