# Two commands set everything up on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Every package of the build with its exact version and hashes (requirements/build.txt), and the
# tests' and developers' tools on top (requirements/dev.txt): `make lock` writes both from pyproject.toml.
BUILD_LOCK := requirements/build.txt
DEV_LOCK := requirements/dev.txt

# What the build needs from Debian: the preflight reads every PDF page with poppler's pdftotext and
# runs EPUBCheck, a Java program, on every EPUB.
BUILD_PACKAGES := poppler-utils default-jre-headless
# What the tests need besides: Chromium for the browser tests, node for the search stemmers,
# hunspell with the three dictionaries for the spelling check, LibreOffice to open the DOCX editions.
DICTIONARIES := hunspell hunspell-lv hunspell-lt hunspell-en-gb
CONTENT_PACKAGES := $(BUILD_PACKAGES) chromium $(DICTIONARIES)
SYSTEM_PACKAGES := $(BUILD_PACKAGES) chromium $(DICTIONARIES) libreoffice-writer-nogui

.PHONY: install lock build test test-fast fuzz check serve bench clean system-packages build-packages install-content

install: $(STAMP)

build: $(STAMP) build-packages
	$(BIN)/guidelines build

# The virtual environment of the build: the locked packages, each checked against its hash, then the
# toolkit itself; redone when pyproject.toml or the lock changes. No test tool is installed here.
$(STAMP): pyproject.toml $(BUILD_LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(BUILD_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The tests' tools (pytest, ruff, Playwright, …), locked the same way, on top of the build's packages.
$(TEST_STAMP): $(STAMP) $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	touch $(TEST_STAMP)

# After changing a version in pyproject.toml: write both locks again (pip-tools, in a venv of its own).
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" .venv-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links -o $(BUILD_LOCK) pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" .venv-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --extra test -o $(DEV_LOCK) pyproject.toml

# The tests start dozens of Python processes (the command line's, the editions' workers); each
# reads the toolkit's compiled code from __pycache__ (ignored by git) instead of compiling it again,
# even where PYTHONDONTWRITEBYTECODE is set, as in many containers.
# Their temporary files (pytest's folders with the fixture's copies and builds, some 18,000 files a
# run; Chromium's and LibreOffice's profiles) go to memory, /dev/shm, where it has 2 GiB free: on
# this machine's disk `make test` took 7 to 13 s longer (three runs, each against one in memory).
SHM_FREE_KB := $(shell df --output=avail -k /dev/shm 2>/dev/null | tail -n 1)
TEST_TMPDIR := $(if $(shell [ -w /dev/shm ] && [ "$(SHM_FREE_KB)" -gt 2097152 ] 2>/dev/null && echo yes),/dev/shm,$(or $(TMPDIR),/tmp))
PYTEST := env -u PYTHONDONTWRITEBYTECODE TMPDIR=$(TEST_TMPDIR) $(BIN)/python -m pytest

# Three processes (pytest-xdist), each given whole test files, so a file's own shared build is made
# once. The browser's files are one unit, run by one process, one Chromium at a time, which mostly
# waits for the pages while the two others keep both cores busy (tests/conftest.py). The fixture's
# one build and the released repository are made by the first process that needs them and read by
# all (made_once).
test: $(TEST_STAMP) system-packages
	$(BIN)/ruff check tools tests
	$(PYTEST) -n 3 --dist loadfile

# Everyday work: the tests that need no build of the fixture's editions, no release and no browser
# (pytest's `slow` marker, set in tests/conftest.py), in two processes, a test file each at a time (the
# files' module fixtures are made once). `make test` runs them all.
test-fast: $(TEST_STAMP)
	$(BIN)/ruff check tools tests
	$(PYTEST) -m "not slow" -q -n 2 --dist loadfile

# The generated-input tests with many new random examples (`make test` replays a fixed set).
fuzz: $(TEST_STAMP)
	HYPOTHESIS_PROFILE=fuzz $(PYTEST) tests/test_generated_markdown.py

build-packages:
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(BUILD_PACKAGES)"

# What a pull request that changes only the text needs (the Pull request workflow): the toolkit with
# the browser check's tools, the build's packages, a browser for the changed pages, the dictionaries.
install-content: $(TEST_STAMP)
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(CONTENT_PACKAGES)"

# A package is skipped where its command is there already: GitHub's Ubuntu runners bring Java and
# Google Chrome (Ubuntu's chromium package is only a stub that installs a snap).
system-packages:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
		case $$package in \
			default-jre-headless) command -v java >/dev/null 2>&1 && continue ;; \
			chromium) { command -v chromium || command -v google-chrome; } >/dev/null 2>&1 && continue ;; \
		esac; \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
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

# The benchmark (bench/README.md): 20 to 25 minutes; prints a report and writes it to bench/results.md.
# One section alone, e.g. the preview: .venv/bin/python bench/run.py --only preview --output /tmp/p.md
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf site .cache $(VENV)
