"""`treaty-sim sweep`'s arguments, apart from the command so that building the parser
imports nothing heavy (NumPy is imported only when a sweep runs)."""

from __future__ import annotations

from typing import Any

FORMATS = ("table", "markdown", "csv", "json", "jsonl", "parquet")
"""Every format ``sweep`` writes: table, markdown and json hold every row (one ``--vary``, at
most 10,000 values); csv, jsonl and parquet stream them."""


def add_arguments(sweep: Any) -> None:
    """``sweep``'s arguments (registered by sim/cli.py)."""
    sweep.add_argument("scenario", metavar="SCENARIO", help="a scenario file")
    sweep.add_argument(
        "--vary",
        required=True,
        action="append",
        metavar="FIELD=VALUES",
        help="the field, named as in error messages, and its values: a range FIRST..LAST of "
        "dates, date-times or durations, or a list A,B,C (required); e.g. "
        "'actions[0].at=2019-08-01..2019-09-30'. Repeat it to sweep the product of several "
        "actions' instants",
    )
    sweep.add_argument(
        "--step",
        default=None,
        metavar="DURATION",
        help="the step of a range: 1min, 30s, 1h, 1d, 1w, 1mo (default: 1d)",
    )
    sweep.add_argument(
        "--summary",
        action="store_true",
        help="print only the ranges of values with the same outcome and the exact instant "
        "of each cliff between them, as table, markdown, csv or json (default: every row)",
    )
    add_output(sweep)
    add_workers(
        sweep,
        "worker processes (default: one process for a sweep of actions' instants of up to "
        "2,097,152 values, else one per core, up to 8)",
    )


def add_output(parser: Any) -> None:
    """``-o FILE``, as ``sweep`` and ``sample`` take it (sim/commands/sweep/files.py)."""
    parser.add_argument(
        "-o",
        "--output",
        dest="output",
        default=None,
        metavar="FILE",
        help="write to FILE, replaced only once whole, never the scenario itself, nor an "
        "existing file unless --force; required by --format parquet (default: standard "
        "output)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace FILE if it exists (never the scenario read; default: off)",
    )


def add_workers(parser: Any, jobs_help: str) -> None:
    """``--jobs`` and ``--dask``: where the chunks of ``sweep`` and ``sample`` run."""
    parser.add_argument("--jobs", type=int, default=None, metavar="N", help=jobs_help)
    parser.add_argument(
        "--dask",
        default=None,
        metavar="ADDRESS|local",
        help="send the chunks to a Dask scheduler (needs treaty-sim[dask]); 'local' starts a "
        "LocalCluster (default: this machine)",
    )
