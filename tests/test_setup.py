"""A fresh clone's ``make demo`` prints the project's output and one line per set-up step,
nothing of pip or setuptools (issue 10, point 6).

The real test clones the repository's committed HEAD into a temporary folder and runs
``make demo`` there, as a newcomer does; it creates a virtual environment and installs from
the package index, so it runs only when asked: ``TREATY_SIM_FRESH_CLONE=1 pytest
tests/test_setup.py`` (``make fresh-demo``). The quick checks below guard the same promise
on every ``make test``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SET_UP_STEPS = 3  # creating .venv, upgrading pip, installing: the Makefile's own steps


def _recipe(target: str) -> list[str]:
    """The recipe lines of a Makefile target."""
    lines = (ROOT / "Makefile").read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line[1:])
    return recipe


def test_set_up_and_demo_do_not_echo_their_commands() -> None:
    # make echoes a recipe line unless it starts with @; only the "set-up:" messages and
    # the demo's own output are to be seen.
    for target in ("$(STAMP)", "demo"):
        for line in _recipe(target):
            assert line.startswith("@"), f"{target}: {line}"
    messages = [line for line in _recipe("$(STAMP)") if line.startswith("@echo")]
    assert len(messages) == SET_UP_STEPS


def test_licence_is_an_spdx_expression() -> None:
    # setuptools deprecates the licence table (a warning printed on every install); PEP 639's
    # SPDX string needs setuptools 77 or later to build.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["license"] == "MIT"
    requires = project["build-system"]["requires"]
    assert any(re.fullmatch(r"setuptools>=(\d+)", r) and int(r[12:]) >= 77 for r in requires)


def _expected_demo(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """What the demo's two commands print, run in-process (the Makefile's demo recipe)."""
    assert main(["run", "scenarios/gsomia_history.yaml"]) == 0
    first = capsys.readouterr().out
    deadlines = ["deadlines", "gsomia", "--from", "2016", "--to", "2024", "--as-of", "2019-08-22"]
    assert main(deadlines) == 0
    second = capsys.readouterr().out
    return [*first.splitlines(), "", *second.splitlines()]


@pytest.mark.skipif(
    os.environ.get("TREATY_SIM_FRESH_CLONE") != "1" or shutil.which("git") is None,
    reason="set TREATY_SIM_FRESH_CLONE=1 to clone and install from scratch (slow, needs pip)",
)
def test_fresh_clone_make_demo_prints_only_set_up_lines_and_the_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = tmp_path / "fresh"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    done = subprocess.run(
        ["make", "demo"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    set_up = [line for line in lines if line.startswith("set-up: ")]
    assert set_up == lines[: len(set_up)]
    assert len(set_up) == SET_UP_STEPS
    monkeypatch.chdir(ROOT)
    assert lines[len(set_up) :] == _expected_demo(capsys)
