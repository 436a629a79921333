"""gunicorn's settings for `make serve-production` (docs/operations.md, "Running in production").

It listens on loopback behind the HTTPS reverse proxy, which is the only address whose
X-Forwarded-* headers it trusts. Access lines are JSON with the path but not the query string
(which can hold a search for a name) and not the client's address.
"""

import multiprocessing
import os


def _whole_number(name: str, default: int) -> int:
    """A setting from the environment that must be a whole number of at least 1: a plain
    message naming it rather than a traceback."""
    value = os.environ.get(name, str(default)).strip()
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {value!r}.")
    return int(value)


bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = _whole_number("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _whole_number("GUNICORN_THREADS", 2)
timeout = _whole_number("GUNICORN_TIMEOUT", 120)
# Behind the reverse proxy, which keeps connections open to reuse them: gunicorn must keep an idle
# connection longer than the proxy does (nginx's upstream keepalive_timeout is 60 s), or it may
# close one just as the proxy sends a request on it, which then gets no answer at all.
keepalive = _whole_number("GUNICORN_KEEPALIVE", 75)
# The application is loaded (and warmed up: workforce/core/startup.py) once, before the workers
# are forked, rather than by each worker on its first requests.
preload_app = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"logger": "access", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
    '"bytes": "%(B)s", "ms": %(M)s}'
)
