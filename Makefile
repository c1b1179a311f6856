# The README's commands: `make demo`, `make test` and `make check`. Each creates .venv on
# first use, so a fresh clone needs nothing else: `make demo` installs the package and its
# runtime dependencies only; `make test` and `make check` add the development tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-stamp
STAMP := $(VENV)/.installed-stamp

.PHONY: install chromium demo test check checks lint typecheck pytest scenarios claims docs \
	package-test bench fresh-demo mutation clean

# pip is kept quiet (warnings too: -qq; an error still prints in full), so that set-up shows
# one line per step and nothing else.
PIP := $(BIN)/python -m pip --quiet --quiet --disable-pip-version-check
PIP_INSTALL := $(PIP) install --no-warn-script-location --progress-bar off

# What the demo needs: the package and its runtime dependencies (pyproject.toml's
# dependencies), no test, docs or browser tools.
# The pip that venv bundles is enough for it (an editable install of a pyproject.toml); no
# byte-compiling of every installed module (some seconds of CPU): Python compiles what a
# command imports, once, the first time it is imported.
$(RUNTIME_STAMP): pyproject.toml
	@echo "set-up: creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)
	@echo "set-up: installing treaty-sim and its runtime dependencies into $(VENV)"
	@$(PIP_INSTALL) --no-compile -e .
	@touch $(RUNTIME_STAMP)

# The rest, for the tests: a current pip, the development tools and the dask extra.
$(STAMP): $(RUNTIME_STAMP)
	@echo "set-up: upgrading pip"
	@$(PIP_INSTALL) --upgrade pip
	@echo "set-up: installing the development tools (tests, types, docs, dask) into $(VENV)"
	@$(PIP_INSTALL) -e '.[dev,dask]'
	@touch $(STAMP)

install: $(STAMP)

# The report tests drive a real browser: Debian's chromium (docs/report.md). Installed once
# when missing, with apt-get as root (as on CI); quiet: one line, and apt's output on failure.
CHROMIUM := /usr/bin/chromium
APT := DEBIAN_FRONTEND=noninteractive apt-get -qq -o=Dpkg::Use-Pty=0
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "set-up: installing Debian's chromium (for the report tests) with apt-get"; \
	  log=$$(mktemp); \
	  { $(APT) update && $(APT) install -y --no-install-recommends chromium fonts-dejavu-core; } \
	    >"$$log" 2>&1 || { cat "$$log"; rm -f "$$log"; exit 1; }; \
	  rm -f "$$log"; }

demo: $(RUNTIME_STAMP)
	@$(BIN)/treaty-sim run scenarios/gsomia_history.yaml
	@echo
	@$(BIN)/treaty-sim deadlines gsomia --from 2016 --to 2024 --as-of 2019-08-22

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy sim

pytest: install chromium
	$(BIN)/pytest -n 2 --durations=10

scenarios: install
	$(BIN)/treaty-sim check scenarios/

claims: install
	$(BIN)/treaty-sim claims

# The docs site (mkdocs.yml) into site/, git-ignored; --strict fails on a broken link or anchor
# and on a page missing from the nav. Its log is shown only on failure (mkdocs' own --quiet
# would hide the warnings that --strict counts, and pass); NO_MKDOCS_2_WARNING silences the
# theme's banner.
docs: install
	@echo "mkdocs build --strict"
	@log=$$(NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict 2>&1) || { echo "$$log"; exit 1; }

# python -m build, the wheel installed in a fresh venv and run from another folder (~10 s).
package-test: install
	$(BIN)/python tests/wheel_check.py

# Everything: pytest on both cores while the other checks run one after another beside it
# (the wheel's build and mypy wait on one process each, so they fit in pytest's gaps); each
# group's output is shown whole when it finishes (--output-sync). Any failure fails the lot.
test: install chromium
	@$(MAKE) --no-print-directory -j 2 --output-sync=target pytest checks

checks: lint typecheck scenarios claims docs package-test

# The inner loop: lint, types and the fast tests (those not marked slow: no browser, no wheel,
# no docs examples, no multi-process runs), property tests with fewer examples.
check: install
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy sim
	@HYPOTHESIS_PROFILE=quick $(BIN)/pytest -n 2 -m "not slow"

bench: install
	$(BIN)/python tests/bench.py

fuzz: install
	HYPOTHESIS_PROFILE=deep $(BIN)/pytest -n auto --durations=0 --hypothesis-show-statistics tests

# A fresh clone of the committed HEAD runs `make demo`: only set-up lines and the demo's output.
fresh-demo: install
	$(BIN)/python tests/fresh_demo.py

# Not part of `make test`: about an hour on two cores (docs/properties.md, "Mutation testing").
mutation: install
	$(PIP_INSTALL) mutmut==3.8.1
	sh tests/mutation/run.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis site
