"""Names that several commands share: the installed version, the interpretations a
``--interpretation`` option accepts, and the options and message of ``-o FILE``. They live
here, imported by ``sim.cli`` and by each command module, so that no command imports the
command line (no import cycle)."""

from __future__ import annotations

import argparse
import sys

from sim.core.interpretation import Interpretation

__all__ = [
    "INTERPRETATION_CHOICES",
    "add_output_arguments",
    "interpretations",
    "say_written",
    "size",
    "version",
]

INTERPRETATION_CHOICES = (*(i.value for i in Interpretation), "all")
"""What ``--interpretation`` accepts: each interpretation's name, or ``all``."""


def interpretations(value: str | None) -> list[Interpretation | None]:
    """The interpretations ``--interpretation VALUE`` asks for: None (the scenario's own),
    one, or every one with ``all`` (PRODUCT.md, "Interpretations of a resumed notice")."""
    if value is None:
        return [None]
    if value == "all":
        return list(Interpretation)
    return [Interpretation(value)]


def version() -> str:
    """The installed distribution's version (``pyproject.toml``), from its metadata."""
    from importlib import metadata  # scans the installed distributions: only for --version

    try:
        return metadata.version("treaty-sim")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def add_output_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    """``-o FILE``, ``--force`` and ``--quiet``, as every command that writes a file takes
    them (sim/io/output.py; docs/decisions.md, decision 47)."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=f"the {what} file to write (default: standard output); never one of the files "
        f"read, nor an existing file treaty-sim did not write as a {what} (see --force)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace FILE even if treaty-sim did not write it (never an input file; default: off)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="say nothing on standard error of the file written (default: one line, "
        "`wrote FILE (SIZE)`)",
    )


def size(count: int) -> str:
    """A file's size for people: ``812 bytes``, ``21 KB`` (1 KB = 1,024 bytes)."""
    if count < 1024:
        return f"{count} byte{'' if count == 1 else 's'}"
    return f"{round(count / 1024)} KB"


def say_written(path: str, count: int, detail: str = "") -> None:
    """The one line on standard error after writing ``-o FILE``: what, where, how big."""
    extra = f", {detail}" if detail else ""
    sys.stderr.write(f"wrote {path} ({size(count)}{extra})\n")
