# `make run` and `make test` are the whole set-up: each creates .venv on first use and installs into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint serve allure report clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/carecheck run

test: lint
	$(BIN)/python -m pytest tests -n 2 --dist worksteal

# Lint, import order and strict types (configured in pyproject.toml), before the tests so a finding fails fast.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/ruff format --check .

serve: $(STAMP)
	$(BIN)/carecheck serve

# The Allure report of a run: one HTML file beside the run's folder that opens from disk (the pack itself stays
# as sealed). Allure 3 is the npm package `allure` (Node.js only, no Java), installed here by `make allure`.
REPORT ?= reports/latest
ALLURE := tools/allure/node_modules/.bin/allure

$(ALLURE): tools/allure/package.json tools/allure/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make: the Allure report needs Node.js and npm (Allure 3 is the npm package allure); $(REPORT)/report.html needs neither"; exit 2; }
	npm ci --prefix tools/allure --no-audit --no-fund --loglevel=error
	touch $(ALLURE)

allure: $(ALLURE)

report: $(STAMP) $(ALLURE)
	$(BIN)/carecheck allure $(REPORT) --allure $(ALLURE)

clean:
	rm -rf $(VENV) tools/allure/node_modules reports/*/ reports/latest
