"""Running a function over chunks of work, results in order: the one strategy `sweep` and
`sample` share for where the chunks run (here, on this machine's cores, or on a Dask
cluster, sim/commands/cluster.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["chunk_map", "ordered_map"]


def ordered_map(
    setup: Callable[[Any], None],
    shared: Any,
    function: Callable[[Any], Any],
    jobs: list[Any],
    workers: int,
) -> Iterator[Any]:
    """``function`` over ``jobs``, results in the order of ``jobs``: in this process when one
    worker (or one job) will do, else on ``workers`` processes, each first given ``shared``
    by ``setup`` (so it is sent once per process, not once per job). Forked workers inherit
    what this process has already built (a zone's table of offsets)."""
    if workers <= 1 or len(jobs) <= 1:
        setup(shared)
        yield from map(function, jobs)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(min(workers, len(jobs)), initializer=setup, initargs=(shared,)) as pool:
        yield from pool.imap(function, jobs)


def chunk_map(
    setup: Callable[[Any], None],
    shared: Any,
    function: Callable[[Any], Any],
    jobs: list[Any],
    workers: int,
    dask: str | None = None,
) -> Iterator[Any]:
    """:func:`ordered_map`, or on the Dask cluster ``dask`` (an address, or ``local``)."""
    if dask is not None:
        from sim.commands.cluster import dask_map

        return dask_map(setup, shared, function, jobs, dask)
    return ordered_map(setup, shared, function, jobs, workers)
