"""``treaty-sim sweep``: what-if, one row per value of a varied field, with the outcome
(PRODUCT.md, "Commands").

- :mod:`~sim.commands.sweep.arguments`: the command line (imports nothing heavy);
- :mod:`~sim.commands.sweep.vary`: the one reading of ``--vary`` and ``--step``;
- :mod:`~sim.commands.sweep.run`: which path runs the values, and where the rows go;
- :mod:`~sim.commands.sweep.batch`: the batch path (actions' instants, vectorised);
- :mod:`~sim.commands.sweep.values`: the value-by-value path (any field, the engine);
- :mod:`~sim.commands.sweep.summary`: ``--summary``;
- :mod:`~sim.commands.sweep.columns`: text written column by column;
- :mod:`~sim.commands.sweep.files`: ``-o FILE`` and Parquet, shared with ``sample``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["command"]


def command(args: Any) -> int:
    """``treaty-sim sweep`` (sim/commands/sweep/run.py)."""
    from sim.commands.sweep.run import command as run

    return run(args)
