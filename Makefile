# Onward: two commands on a fresh machine.
#   make run   set up everything (venv, install, migrations, demo data) and serve on :8000
#   make test  install dev tools and run lint, types, security scan and the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install install-dev migrate demo worker clean browser-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The embedded default: SQLite under ./var/, web + worker in one process, plain http locally.
run: export ONWARD_COOKIE_SECURE ?= false
run: export ONWARD_EMBEDDED_WORKER ?= true
# The served address is an accepted Host whatever PORT is (the default list names port 8000 only).
run: export ONWARD_ALLOWED_HOSTS ?= 127.0.0.1,localhost,127.0.0.1:$(PORT),localhost:$(PORT)
run: install
	$(BIN)/onward database upgrade --no-prompt
	$(BIN)/onward taxonomy load-starter
	$(BIN)/onward demo load --size small
	$(BIN)/onward run --host $(HOST) --port $(PORT)

migrate: install
	$(BIN)/onward database upgrade --no-prompt

worker: install
	$(BIN)/onward worker

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check service
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit -q -r service matching skills providers --severity-level high

# Browser tests (tests/e2e): Debian's Chromium, installed when missing and we are root (never
# `playwright install`), and axe-core from package-lock.json. Without them the browser tests
# skip locally and fail under CI=true.
browser-tools:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; fi
	@# Caddy from Debian for the deployment test (tests/integration/system/test_deployment_topology.py).
	@if ! command -v caddy >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy >/dev/null; fi

test: lint browser-tools
	$(BIN)/python -m pytest -q -p no:randomly -n 2 --dist loadfile $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
