# Binakarya developer tasks. GNU make; needs Python 3.11+ as `python3`.
# `make help` lists the targets.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core, at most 4; TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto
BENCH_ARGS ?=
LOCK_OUT ?= requirements.lock

.DEFAULT_GOAL := help
.PHONY: help venv run serve test lint typecheck format messages bench bench-stock bench-ledger bench-pageload bench-orders bench-consignment bench-dashboards bench-scale bench-all lock

help:
	@echo "make venv          create .venv and install requirements.lock"
	@echo "make run           migrate, load demo data, runserver on HOST:PORT ($(HOST):$(PORT)) and the task worker"
	@echo "make serve         production server: checks the settings, migrates, collectstatic, gunicorn and the task worker (docs/deployment.md)"
	@echo "make test          whole pytest suite, browser tests included (PYTEST_ARGS=...)"
	@echo "make lint          ruff check + ruff format --check"
	@echo "make typecheck     mypy binakarya, with django-stubs (settings in pyproject.toml)"
	@echo "make format        ruff check --fix + ruff format"
	@echo "make messages      makemessages (en, id) and compilemessages"
	@echo "make bench         catalog benchmark, benchmarks/run.py (BENCH_ARGS=...)"
	@echo "make bench-stock   lots and stock benchmark, benchmarks/bench_stock.py (BENCH_ARGS=...)"
	@echo "make bench-ledger  sales and ledger benchmark, benchmarks/bench_ledger.py (BENCH_ARGS=...)"
	@echo "make bench-pageload page load on a phone over Slow 3G, benchmarks/bench_pageload.py (BENCH_ARGS=...)"
	@echo "make bench-orders  order placement over HTTP against pgbench, benchmarks/bench_orders.py (BENCH_ARGS=...)"
	@echo "make bench-consignment outlet CSV import and statements, benchmarks/bench_consignment.py (BENCH_ARGS=...)"
	@echo "make bench-dashboards facility and national dashboards over 10 million journal lines, benchmarks/bench_dashboards.py (BENCH_ARGS=...)"
	@echo "make bench-scale   catalog and orders through nginx: one gunicorn against two and a read replica, benchmarks/bench_scale.py (BENCH_ARGS=...)"
	@echo "make bench-all     the three (no BENCH_ARGS), one after the other"
	@echo "make lock          re-resolve requirements.in into requirements.lock"
	@echo "make backup DIR=… [ARGS=--allow-debug]  manage.py backup DIR: database, media and manifest in a new folder (docs/backups.md)"

venv: $(STAMP)

# The stamp is older than requirements.lock whenever the lock changes, so a
# changed lock is installed again on the next target that needs the venv.
$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.lock
	touch $@

run: venv
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	PYTHON=$(BIN)/python scripts/run.sh $(HOST):$(PORT)

# No demo data and no development settings: scripts/serve.sh refuses DEBUG on, the development SECRET_KEY
# and an empty ALLOWED_HOSTS.
serve: venv
	PYTHON=$(BIN)/python scripts/serve.sh $(HOST):$(PORT)

test: venv
	$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses=4 $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy binakarya

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# compilemessages walks the whole tree, so keep it out of the venv.
messages: venv
	$(BIN)/python manage.py makemessages --domain django -l en -l id --ignore 'var/*' --ignore 'artifacts/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv' --ignore 'var'

bench: venv
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

bench-stock: venv
	$(BIN)/python benchmarks/bench_stock.py $(BENCH_ARGS)

bench-ledger: venv
	$(BIN)/python benchmarks/bench_ledger.py $(BENCH_ARGS)

bench-pageload: venv
	$(BIN)/python benchmarks/bench_pageload.py $(BENCH_ARGS)

bench-orders: venv
	$(BIN)/python benchmarks/bench_orders.py $(BENCH_ARGS)

bench-consignment: venv
	$(BIN)/python benchmarks/bench_consignment.py $(BENCH_ARGS)

bench-dashboards: venv
	$(BIN)/python benchmarks/bench_dashboards.py $(BENCH_ARGS)

bench-scale: venv
	$(BIN)/python benchmarks/bench_scale.py $(BENCH_ARGS)

bench-all: bench bench-stock bench-ledger

# Resolve requirements.in from scratch in a throwaway venv, so the lock holds
# exactly what a fresh install needs and nothing left over in .venv.
lock:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --disable-pip-version-check --quiet -r requirements.in; \
	{ \
	  echo "# Exact pins of every package Binakarya installs, transitive ones included."; \
	  echo "# Generated from requirements.in; do not edit by hand. Regenerate with:"; \
	  echo "#     make lock"; \
	  echo "# which installs requirements.in into a throwaway venv and records pip freeze."; \
	  "$$tmp/venv/bin/python" -m pip freeze --disable-pip-version-check --exclude-editable; \
	} > "$$tmp/requirements.lock"; \
	mv "$$tmp/requirements.lock" $(LOCK_OUT); \
	echo "wrote $(LOCK_OUT)"

.PHONY: backup
# A backup of the database and media the environment names, in a new folder inside DIR (docs/backups.md).
backup: venv
	@test -n "$(DIR)" || { echo "usage: make backup DIR=/var/backups/binakarya"; exit 2; }
	$(BIN)/python manage.py backup "$(DIR)" $(ARGS)
