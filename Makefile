# Two commands do all the set-up: `make run` and `make test`.
# Any Python 3.11 or newer: the first of these that is found (or PYTHON=/path/to/python).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install lint check clean messages chromium

$(STAMP): pyproject.toml package.json package-lock.json
	@test -d $(VENV) || test -n "$(PYTHON)" || { echo "Rumbo needs Python 3.11 or newer" \
	  "(python3.14, python3.13, python3.12, python3.11 or python3); none was found." >&2; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	npm ci --silent --no-audit --no-fund
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/rumbo compilemessages --ignore '.venv' --ignore 'node_modules' -v 0

run: install
	$(BIN)/rumbo migrate --no-input -v 0
	$(BIN)/rumbo demo --if-empty
	$(BIN)/rumbo serve --port $(PORT)

# The browser tests drive Debian's Chromium: installed here when we can (as root,
# or with sudo needing no password); otherwise pytest skips them and says why.
chromium:
	@command -v chromium >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	  else exit 0; fi; echo "Installing Chromium for the browser tests (apt-get)"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	  chromium >/dev/null || echo "Chromium could not be installed; the browser tests will be skipped."; }

test: install chromium
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -n 2 -q

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

messages: install
	cd src/rumbo && ../../$(BIN)/rumbo makemessages -l es --no-obsolete --ignore 'tests' -v 0

clean:
	rm -rf $(VENV) node_modules var
