# CSC Workforce. Two commands matter: `make demo` and `make test`. Everything else builds on `make setup`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= la
SEED ?= 1
PYTEST_ARGS ?=
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: setup lock demo serve serve-production test lint typecheck migrations-check pytest test-postgres audit bench browser backup restore clean help

help:
	@echo "make demo           set everything up, build the demo authority and serve it on http://$(HOST):$(PORT)"
	@echo "make test           everything CI checks: lint, types, migrations, the whole test suite with browser tests"
	@echo "make test-postgres  the test suite (but the browser tests) on a throwaway PostgreSQL cluster"
	@echo "make audit          known vulnerabilities in the locked Python and npm packages"
	@echo "make bench          benchmarks at stated scales; writes .bench/latest.json"
	@echo "make serve-production  gunicorn and the worker, for a production machine"
	@echo "make backup         a backup of the database in ./backups (or TO=file)"
	@echo "make restore FILE=f restore a backup into an empty database (REPLACE=1 to overwrite)"

# Python packages come from requirements.lock, every file checked against its hash; the project
# itself is then installed without dependencies. `make lock` writes the lock again after a change
# to the dependencies in pyproject.toml.
$(VENV)/.installed: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

# npm installs exactly what package-lock.json records, checked against its integrity hashes.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lock: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --generate-hashes --extra dev --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

setup: $(VENV)/.installed node_modules/.installed
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_reference_data

# The worker (checking and importing uploaded files) runs beside the web server, and is stopped
# with it.
demo: setup
	$(PY) manage.py seed_demo --scale $(SCALE) --seed $(SEED) --if-empty
	$(PY) manage.py demo_logins
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production on one machine: gunicorn on loopback behind the HTTPS proxy, and the worker beside
# it (docs/operations.md). The environment must say PRODUCTION=1 and carry the settings.
serve-production: setup
	@test "$$PRODUCTION" = 1 || { echo "Set PRODUCTION=1 and the production settings first (docs/operations.md)"; exit 1; }
	$(PY) manage.py check --deploy --fail-level ERROR
	$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(VENV)/bin/gunicorn --config config/gunicorn.py config.wsgi:application

# Debian's Chromium for the browser tests; installed here when missing so a clean machine passes.
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (/usr/bin/chromium) to run the browser tests"; exit 1; fi; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy config workforce bench

migrations-check: setup
	$(PY) manage.py makemigrations --check --dry-run

pytest: setup browser
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

test: lint typecheck migrations-check pytest

# The browser tests check pages and scripts, which do not depend on the database; they run once,
# on SQLite, in `make test`.
test-postgres: setup
	bash .ci/with-postgres $(VENV)/bin/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

# Fails on a known vulnerability; says plainly when an advisory service could not be reached.
audit: setup
	$(PY) .ci/audit.py

bench: setup
	$(PY) bench/run.py

# Backups hold personal data: see docs/operations.md for where to keep them.
backup: $(VENV)/.installed
	$(PY) manage.py backup $(if $(TO),--output $(TO))

restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=backups/csc-workforce-....sqlite3"; exit 1; }
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py restore $(FILE) $(if $(REPLACE),--replace)

clean:
	rm -rf $(VENV) node_modules db.sqlite3* staticfiles .bench
