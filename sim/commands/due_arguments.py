"""`treaty-sim deadlines --all`'s arguments, apart from the command so that building the
parser (every start-up, `--help` and completion) imports nothing heavy: the models are
imported only when the deadlines are drawn."""

from __future__ import annotations

import argparse

from sim.core.dates import DateError, Duration

__all__ = ["DEFAULT_WITHIN", "add_arguments"]

DEFAULT_WITHIN = "1y"


def _duration(text: str) -> Duration:
    try:
        return Duration.parse(text)
    except DateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--all`` and ``--within``, on the ``deadlines`` parser."""
    parser.add_argument(
        "--all",
        action="store_true",
        help="one table of what is due, soonest first, for the treaties or scenarios named, "
        "or every built-in treaty if none is named (default: off, one table per treaty)",
    )
    parser.add_argument(
        "--within",
        type=_duration,
        metavar="DURATION",
        help="with --all: the window after --as-of, e.g. 90d, 6mo, 1y, 365d "
        f"(default: {DEFAULT_WITHIN})",
    )
