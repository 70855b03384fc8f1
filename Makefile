# Two commands set everything up on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# What the build needs from Debian: the preflight reads every PDF page with poppler's pdftotext and
# runs EPUBCheck, a Java program, on every EPUB.
BUILD_PACKAGES := poppler-utils default-jre-headless
# What the tests need besides: Chromium for the browser tests, node for the search stemmers,
# hunspell with the three dictionaries for the spelling check, LibreOffice to open the DOCX editions.
SYSTEM_PACKAGES := $(BUILD_PACKAGES) chromium hunspell hunspell-lv hunspell-lt hunspell-en-gb libreoffice-writer-nogui

.PHONY: install build test test-fast fuzz check serve bench clean system-packages build-packages

install: $(STAMP)

build: $(STAMP) build-packages
	$(BIN)/guidelines build

# The virtual environment, with the project and its pinned dependencies; redone when pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

test: $(STAMP) system-packages
	$(BIN)/ruff check tools tests
	$(BIN)/python -m pytest

# Everyday work: the tests that need no build of the fixture's editions, no release and no browser
# (pytest's `slow` marker, set in tests/conftest.py). `make test` runs them all.
test-fast: $(STAMP)
	$(BIN)/ruff check tools tests
	$(BIN)/python -m pytest -m "not slow" -q

# The generated-input tests with many new random examples (`make test` replays a fixed set).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_generated_markdown.py

build-packages:
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(BUILD_PACKAGES)"

system-packages:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# CHECK_OPTIONS: e.g. "--spelling" or "--format github" (pull requests).
check: $(STAMP)
	$(BIN)/guidelines check $(CHECK_OPTIONS)

serve: $(STAMP)
	$(BIN)/guidelines serve

# The benchmark (bench/README.md): 15 to 20 minutes; prints a report and writes it to bench/results.md.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf site .cache $(VENV)
