"""Where ``sweep`` and ``sample`` write: standard output, or ``-o FILE``, and Parquet.

``-o FILE`` never replaces the scenario the command reads (one located line, exit 2), and is
written to a temporary file in the same folder that is renamed into place only once the
output is whole, so an interrupted run leaves the old file as it was.

Parquet (the optional extra ``treaty-sim[parquet]``, pyarrow) is written with typed columns
(instants as timestamps with the treaty's zone, null where still in force or still bound,
counts as integers) one row group at a time, as the chunks come.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sim.commands.sweep.vary import ARGUMENT
from sim.errors import InputError

__all__ = ["output", "pyarrow", "written"]


def _refuse(path: str, message: str) -> InputError:
    return InputError(ARGUMENT, 1, 1, "-o", f"{path}: {message}")


@contextmanager
def written(path: str, reads: str) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed to ``path`` when the block ends without an
    error (removed otherwise); ``path`` may not be ``reads``, the scenario file read."""
    target = Path(path)
    if target.is_dir():
        raise _refuse(path, "is a folder: name a file")
    if not target.parent.is_dir():
        raise _refuse(path, f"no folder {str(target.parent)!r} to write into")
    source = Path(reads)
    if target.exists() and source.exists() and os.path.samefile(target, source):
        raise _refuse(path, "is the scenario this command reads: write the output elsewhere")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def output(path: str | None, reads: str) -> Iterator[IO[str]]:
    """Text output: standard output, or ``path`` (see :func:`written`)."""
    if path is None:
        yield sys.stdout
        return
    with written(path, reads) as temporary, temporary.open("w", encoding="utf-8") as out:
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
