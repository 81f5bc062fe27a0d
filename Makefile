# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install lint check clean messages

$(STAMP): pyproject.toml package.json package-lock.json
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

test: install
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
