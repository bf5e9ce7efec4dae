# Two commands: `make run` (development server with demo data) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# `make run PORT=8001` serves on another port.
PORT ?= 8000

.PHONY: run test test-deploy lint messages

.venv/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

.venv/.dev: .venv/.runtime requirements-dev.txt requirements-s3.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	@mkdir -p var
	@echo "准备数据库 / preparing the database …"
	@DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput --verbosity 0
	@if DJANGO_DEBUG=1 $(PY) manage.py help load_demo >/dev/null 2>&1; then DJANGO_DEBUG=1 $(PY) manage.py load_demo; fi
	@DJANGO_DEBUG=1 PORT=$(PORT) $(PY) manage.py ensure_admin
	@DJANGO_DEBUG=1 $(PY) manage.py rebuild_search_index --verbosity 0
	@echo "网站 / site: http://127.0.0.1:$(PORT)/"
	@DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev
	mkdir -p var
	$(PY) -m pytest

# The production arrangement on this machine: nginx, two app servers, PostgreSQL, Redis, a worker
# (deploy/tests/; needs nginx, openssl, PostgreSQL and Redis running — .ci/run provides them).
test-deploy: $(VENV)/.dev
	$(PY) -m pytest deploy/tests -p no:cacheprovider -s

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates */templates

# Refresh the zh_Hans catalogue after changing strings (needs gettext's msgfmt).
messages: $(VENV)/.dev
	DJANGO_DEBUG=1 $(PY) manage.py makemessages --locale zh_Hans --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --locale zh_Hans --ignore '.venv/*'
