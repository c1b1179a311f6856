"""Running the command line the way a user does, for the tests: through its entry point,
with what it printed and its exit code; and writing a scenario file to run it on."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import main


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``treaty-sim ARGS``: the exit code, standard output and standard error."""
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def write(tmp_path: Path, text: str) -> str:
    """A scenario file holding ``text``, in ``tmp_path``; its path."""
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)
