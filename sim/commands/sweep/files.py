"""Where ``sweep`` and ``sample`` write: standard output, or ``-o FILE``, and Parquet.

``-o FILE`` is written by the one writer of every ``-o`` (:mod:`sim.io.output`): never the
scenario the command reads, never an existing file unless it is empty or ``--force`` is given
(one located line, exit 2), and to a temporary file in the same folder renamed into place only
once the output is whole, so an interrupted run leaves the old file as it was.

Parquet (the optional extra ``treaty-sim[parquet]``, pyarrow) is written with typed columns
(instants as timestamps with the treaty's zone, null where still in force or still bound,
counts as integers) one row group at a time, as the chunks come.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sim.commands.sweep.vary import ARGUMENT
from sim.errors import InputError
from sim.io.output import Output

__all__ = ["output", "pyarrow", "written"]


@contextmanager
def written(path: str, reads: str, force: bool = False) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed to ``path`` when the block ends without an
    error (removed otherwise), by the one writer of every ``-o`` (:mod:`sim.io.output`):
    never ``reads``, the scenario file read, and never an existing file unless empty or
    ``force``."""
    target = Output(
        path,
        marker=None,
        what="the output",
        inputs=(reads,),
        force=force,
        read="the scenario this command reads",
    )
    with target.replacing() as temporary:
        yield temporary


@contextmanager
def output(path: str | None, reads: str, force: bool = False) -> Iterator[IO[str]]:
    """Text output: standard output, or ``path`` (see :func:`written`)."""
    if path is None:
        yield sys.stdout
        return
    with written(path, reads, force) as temporary, temporary.open("w", encoding="utf-8") as out:
        yield out


def pyarrow() -> Any:
    """pyarrow and pyarrow.parquet, or a one-line error naming the extra."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            ARGUMENT,
            1,
            1,
            "--format",
            "parquet needs the parquet extra: pip install 'treaty-sim[parquet]'",
        ) from None
    return pa, pq
