"""A fresh clone's ``make demo`` prints the project's output and one line per set-up step,
nothing of pip or setuptools (issue 10, point 6).

The real test clones the repository's committed HEAD into a temporary folder and runs
``make demo`` there, as a newcomer does; it creates a virtual environment and installs from
the package index, so it runs only when asked: ``TREATY_SIM_FRESH_CLONE=1 pytest
tests/test_setup.py`` (``make fresh-demo``). The quick checks below guard the same promise
on every ``make test``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET_UP_STEPS = 2  # creating .venv, installing: the demo's set-up steps


def _rule(target: str) -> tuple[list[str], list[str]]:
    """The prerequisites and the recipe lines of a Makefile target."""
    lines = (ROOT / "Makefile").read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    prerequisites = lines[start].split(":", 1)[1].split()
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line[1:])
    return prerequisites, recipe


def _recipe(target: str) -> list[str]:
    return _rule(target)[1]


def test_set_up_and_demo_do_not_echo_their_commands() -> None:
    # make echoes a recipe line unless it starts with @; only the "set-up:" messages and
    # the demo's own output are to be seen.
    for target in ("$(RUNTIME_STAMP)", "$(STAMP)", "demo"):
        for line in _recipe(target):
            assert line.startswith("@"), f"{target}: {line}"
    messages = [line for line in _recipe("$(RUNTIME_STAMP)") if line.startswith("@echo")]
    assert len(messages) == SET_UP_STEPS


def test_the_demo_installs_the_package_and_its_runtime_dependencies_only() -> None:
    # Issue 16, point 6: `make demo` installs no test, docs or browser tools; `make test`
    # adds them (the dev and dask extras) on top of the same environment.
    assert _rule("demo")[0] == ["$(RUNTIME_STAMP)"]
    installs = [line for line in _recipe("$(RUNTIME_STAMP)") if "$(PIP_INSTALL)" in line]
    assert installs == ["@$(PIP_INSTALL) --no-compile -e ."]
    assert _rule("$(STAMP)")[0] == ["$(RUNTIME_STAMP)"]
    assert any("-e '.[dev,dask]'" in line for line in _recipe("$(STAMP)"))
    assert "install" in _rule("test")[0] and "install" in _rule("check")[0]


def test_make_test_still_runs_everything() -> None:
    # Issue 16, point 5: the groups run side by side, but none is left out; CI runs it.
    (recipe,) = _recipe("test")
    assert recipe.split()[-2:] == ["pytest", "checks"]
    assert _rule("checks")[0] == [
        "lint", "typecheck", "scenarios", "claims", "docs", "package-test"
    ]  # fmt: skip
    assert [line for line in _recipe("pytest") if "pytest" in line] == [
        "$(BIN)/pytest -n 2 --durations=10"
    ]  # no -m: the slow tests too
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()


def test_licence_is_an_spdx_expression() -> None:
    # setuptools deprecates the licence table (a warning printed on every install); PEP 639's
    # SPDX string needs setuptools 77 or later to build.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["license"] == "MIT"
    requires = project["build-system"]["requires"]
    assert any(re.fullmatch(r"setuptools>=(\d+)", r) and int(r[12:]) >= 77 for r in requires)
