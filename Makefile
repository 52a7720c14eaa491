# `make run` and `make test` are the whole set-up: each creates .venv on first use and installs into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test serve clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/carecheck run

test: $(STAMP)
	$(BIN)/python -m pytest tests

serve: $(STAMP)
	$(BIN)/carecheck serve

clean:
	rm -rf $(VENV) reports/*/ reports/latest
