"""A fresh clone's `make demo` prints one line per set-up step, then the demo and nothing
else (issue 10, point 6), having installed no development tool (issue 16, point 6); it prints
how long `make demo` took. It clones the repository and installs from the package index, so it
is slow and needs the network: `make fresh-demo` runs it; `make test` does not (it is a
script, not a collected test, so nothing is left skipped)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SET_UP_STEPS = 2  # creating .venv, installing: the demo's set-up steps
DEV_TOOLS = ("pytest", "mypy", "ruff", "mkdocs", "playwright")  # `make test` adds these


def expected_demo() -> list[str]:
    """What the demo's two commands print, run in-process (the Makefile's demo recipe)."""
    os.chdir(ROOT)
    printed = []
    for args in (
        ["run", "scenarios/gsomia_history.yaml"],
        ["deadlines", "gsomia", "--from", "2016", "--to", "2024", "--as-of", "2019-08-22"],
    ):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(args) == 0
        printed.append(out.getvalue().splitlines())
    return [*printed[0], "", *printed[1]]


def fresh() -> int:
    with tempfile.TemporaryDirectory() as folder:
        clone = Path(folder) / "fresh"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        # As a newcomer types it: not a sub-make of `make fresh-demo`, which would print
        # "make[1]: Entering directory" around the demo.
        env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
        start = time.perf_counter()
        done = subprocess.run(["make", "demo"], cwd=clone, capture_output=True, text=True, env=env)
        seconds = time.perf_counter() - start
        # issue 16, point 6: the demo installs the package and its runtime dependencies only
        installed = [tool for tool in DEV_TOOLS if (clone / ".venv" / "bin" / tool).exists()]
    problems = []
    if installed:
        problems.append(f"make demo installed development tools: {', '.join(installed)}")
    if done.returncode != 0:
        problems.append(f"make demo exited {done.returncode}")
    if done.stderr:
        problems.append(f"stderr is not empty:\n{done.stderr}")
    lines = done.stdout.splitlines()
    set_up = [line for line in lines if line.startswith("set-up: ")]
    if set_up != lines[: len(set_up)] or len(set_up) != SET_UP_STEPS:
        problems.append(f"expected {SET_UP_STEPS} set-up lines first, got {set_up}")
    if lines[len(set_up) :] != expected_demo():
        problems.append("the demo's output differs from the commands run in-process")
    for problem in problems:
        print(f"fresh-demo: {problem}", file=sys.stderr)
    verdict = "ok" if not problems else "FAILED"
    print(f"fresh-demo: {verdict} ({len(lines)} lines, make demo took {seconds:.1f} s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(fresh())
