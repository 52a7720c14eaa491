# `make run` and `make test` are the whole set-up: each creates .venv on first use and installs into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test serve report clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/carecheck run

test: $(STAMP)
	$(BIN)/python -m pytest tests -n 2

serve: $(STAMP)
	$(BIN)/carecheck serve

# The Allure results of a run as an HTML site, beside the run's folder (the evidence pack itself stays as sealed).
REPORT ?= reports/latest
report:
	@if ! command -v npx >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then \
		echo "make report: needs npx (Node.js) and java for the Allure command line; $(REPORT)/report.html needs neither"; \
	elif [ ! -d "$(REPORT)/allure-results" ]; then \
		echo "make report: no $(REPORT)/allure-results: run 'make run' first (or set REPORT=reports/<target>/<time>)"; exit 1; \
	else \
		npx --yes allure-commandline generate --clean "$(REPORT)/allure-results" -o "$(REPORT)-allure" && \
		echo "make report: open $(REPORT)-allure/index.html (Allure); $(REPORT)/report.html is carecheck's own report"; \
	fi

clean:
	rm -rf $(VENV) reports/*/ reports/latest
