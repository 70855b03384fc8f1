# Two commands set everything up on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test check serve lint bench clean

build: $(STAMP)
	$(BIN)/guidelines build

# The virtual environment, with the project and its pinned dependencies; redone when pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check tools tests
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/guidelines check

serve: $(STAMP)
	$(BIN)/guidelines serve

clean:
	rm -rf site .cache $(VENV)
