"""Colour only on a terminal, never under NO_COLOR (https://no-color.org; issue 9, point 7).

treaty-sim prints no colour at all today (docs/install.md, "Colour"), so the promise is
checked as a user meets it: every command's own example (the one its --help shows, read from
the parser so that a command added later is covered) and every --help print no ANSI escape
sequence, neither into a pipe nor on a real terminal (a pseudo-terminal) under NO_COLOR=1.
All of them run in one process per case, through ``sim.cli.main`` (what the ``treaty-sim``
script calls), with the process's standard streams on the pipe or the terminal: a process
each would cost a second of start-up for every example."""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import _parser

ROOT = Path(__file__).resolve().parent.parent
ESCAPE = "\x1b"  # every ANSI colour or style sequence starts with ESC
MARK = "=== treaty-sim "
# Runs each argument string as the command line would (a "> FILE" redirection leaves out),
# marking where each one's output starts and how it exited.
PROGRAM = f"""
import shlex, sys
from sim.cli import main
for arguments in sys.argv[1:]:
    print({MARK!r} + arguments, flush=True)
    try:
        code = main(shlex.split(arguments.split(" > ")[0]))
    except SystemExit as stop:
        code = stop.code
    sys.stdout.flush()
    sys.stderr.flush()
    print("exit", code, flush=True)
"""


SERVICES = {"serve"}
"""Commands whose example starts a service that runs until it is stopped: their --help is
checked here, their output (the one line a started service prints) by tests/test_serve.py."""


def _examples() -> list[str]:
    """Each command's example from its epilog (but a service's), and every --help, as
    argument strings."""
    parser = _parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = ["--help"]
    for name, sub in action.choices.items():
        example = re.search(r"example:\n  treaty-sim (.*)", sub.epilog or "")
        assert example, f"{name} shows no example"
        found += [f"{name} --help"] if name in SERVICES else [example.group(1), f"{name} --help"]
    return found


def _folder(tmp_path: Path) -> Path:
    for name in ("scenarios", "seeds", "docs"):
        (tmp_path / name).symlink_to(ROOT / name)
    return tmp_path


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return {**env, "COLUMNS": "120", "TERM": "xterm-256color", **extra}


def _on_a_terminal(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run with stdin, stdout and stderr on a pseudo-terminal; its exit code and output."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, cwd=cwd, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(), b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def _outputs(printed: str) -> dict[str, str]:
    """Each example's output (after its mark), by its argument string."""
    parts = printed.split(MARK)[1:]
    return {part.partition("\n")[0]: part.partition("\n")[2] for part in parts}


def _check(printed: str) -> None:
    outputs = _outputs(printed)
    assert list(outputs) == _examples(), printed[:2000]
    for arguments, output in outputs.items():
        assert output.rstrip().endswith("exit 0"), f"{arguments}:\n{output}"
        assert ESCAPE not in output, f"{arguments}: an escape sequence in\n{output!r}"


def test_the_terminal_of_these_tests_is_a_terminal(tmp_path: Path) -> None:
    # The harness itself: a process run by _on_a_terminal sees a terminal on every stream.
    probe = "import sys; print(all(s.isatty() for s in (sys.stdin, sys.stdout, sys.stderr)))"
    code, output = _on_a_terminal([sys.executable, "-c", probe], tmp_path, _environment())
    assert (code, output.strip()) == (0, "True")


def test_no_escape_into_a_pipe(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, *_examples()],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=_folder(tmp_path),
        env=_environment(),
        check=False,
    )
    assert done.returncode == 0, done.stdout
    _check(done.stdout)


@pytest.mark.parametrize("no_color", ["1", "0"])
def test_no_escape_on_a_terminal_under_no_color(no_color: str, tmp_path: Path) -> None:
    # no-color.org: NO_COLOR present and not empty turns colour off, whatever its value
    # ("0" too).
    command = [sys.executable, "-c", PROGRAM, *_examples()]
    code, printed = _on_a_terminal(command, _folder(tmp_path), _environment(NO_COLOR=no_color))
    assert code == 0, printed
    _check(printed)


def test_a_started_service_prints_no_escape_into_a_pipe() -> None:
    # The one line `treaty-sim serve` prints when it listens (its example runs until stopped,
    # so it is started here and stopped once the line has come).
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "serve", "--port", "0", "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready, "the service printed nothing in 60 s"
        line = process.stdout.readline()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    assert line.startswith("treaty-sim serve: http://127.0.0.1:"), line
    assert ESCAPE not in line
