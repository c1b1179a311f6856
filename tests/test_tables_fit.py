"""Tables fit the terminal (issue 18, item 5; docs/decisions.md, decision 48): on a terminal,
long cells wrap to ``COLUMNS`` (or the terminal's width); into a pipe every row stays one
full line, for grep and cut. Run as a user runs it, on a real pseudo-terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.render import NARROWEST, fitted_widths

ROOT = Path(__file__).resolve().parent.parent
# seeds/claims.yaml: the first claim's quote, from the first seed article.
QUOTE = "South Korea decided last week to terminate"


def _on_terminal(columns: int, *args: str) -> str:
    """``treaty-sim ARGS`` with its output on a pseudo-terminal ``columns`` wide."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns)}
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", *args], stdout=follower, stderr=follower, env=env, cwd=ROOT
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait() == 0
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.parametrize("columns", [80, 120])
def test_the_claims_table_fits_the_terminal(columns: int) -> None:
    out = _on_terminal(columns, "claims")
    assert max(len(line) for line in out.splitlines()) <= columns
    # Nothing is lost: the first claim's quote is there, word by word, down its column.
    first_column = " ".join(line[: line.find("  ")] for line in out.splitlines()[2:8])
    assert QUOTE in " ".join(first_column.split())


def test_a_pipe_gets_full_lines() -> None:
    env = {**os.environ, "COLUMNS": "80"}
    out = subprocess.run(
        [sys.executable, "-m", "sim", "claims"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    ).stdout
    rows = [line for line in out.splitlines() if line.startswith(QUOTE)]
    assert len(rows) == 1 and len(rows[0]) > 80


def test_a_table_that_fits_is_left_as_it_is() -> None:
    assert fitted_widths(("a", "b"), [["1", "2"]], 80) is None


@given(
    st.lists(
        st.lists(st.text(alphabet="abc -", max_size=60), min_size=3, max_size=3),
        min_size=1,
        max_size=5,
    ),
    st.integers(min_value=3 * NARROWEST + 4 + 6, max_value=200),
)
def test_wrapped_tables_are_no_wider_than_asked(rows: list[list[str]], width: int) -> None:
    # Property: where every column can have its narrowest width, the table drawn with the
    # widths chosen is no wider than the terminal.
    from tabulate import tabulate

    headers = ("first", "second", "third")
    widths = fitted_widths(headers, rows, width)
    drawn = tabulate(
        rows,
        headers=list(headers),
        disable_numparse=True,
        maxcolwidths=widths,  # type: ignore[arg-type]
        maxheadercolwidths=widths,  # type: ignore[arg-type]
    )
    assert max(len(line) for line in drawn.splitlines()) <= width
