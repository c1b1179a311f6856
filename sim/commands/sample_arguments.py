"""`treaty-sim sample`'s arguments, apart from the command so that building the parser
imports nothing heavy."""

from __future__ import annotations

from typing import Any

from sim.commands.sweep.arguments import add_output, add_workers

FORMATS = ("table", "markdown", "csv", "json", "parquet")
"""Every format ``sample`` writes: the shares of each distinct outcome and the quantiles as
text or JSON; the distribution as rows (csv, parquet)."""


def add_arguments(parser: Any) -> None:
    """``sample``'s arguments (registered by sim/cli.py)."""
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario file")
    parser.add_argument(
        "--vary",
        required=True,
        action="append",
        metavar="FIELD~DISTRIBUTION",
        help="a field drawn at random (required, repeatable): "
        "'actions[0].at~uniform(2019-08-01,2019-09-30)' or 'actions[1].happens~bernoulli(0.6)'",
    )
    parser.add_argument("-n", type=int, default=10_000, metavar="N", help="draws (default: 10000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    add_output(parser)
    add_workers(parser, "worker processes (default: one per core, up to 8)")
