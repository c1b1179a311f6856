# The README's two commands: `make demo` and `make test`. Each creates .venv and installs
# the project (with its dev tools) on first use, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install chromium demo test lint typecheck pytest scenarios claims docs package-test bench \
	fresh-demo mutation clean

# pip is kept quiet (warnings too: -qq; an error still prints in full), so that set-up shows
# one line per step and nothing else.
PIP := $(BIN)/python -m pip --quiet --quiet --disable-pip-version-check
PIP_INSTALL := $(PIP) install --no-warn-script-location --progress-bar off

$(STAMP): pyproject.toml
	@echo "set-up: creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)
	@echo "set-up: upgrading pip"
	@$(PIP_INSTALL) --upgrade pip
	@echo "set-up: installing treaty-sim and its development tools into $(VENV)"
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

demo: install
	@$(BIN)/treaty-sim run scenarios/gsomia_history.yaml
	@echo
	@$(BIN)/treaty-sim deadlines gsomia --from 2016 --to 2024 --as-of 2019-08-22

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy sim

pytest: install chromium
	$(BIN)/pytest -n 2

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

test: lint typecheck pytest scenarios claims docs package-test

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
