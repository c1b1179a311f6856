"""Running a function over chunks of work on every core, results in order: the strategy
`sweep` and `sample` share (one place for how the processes are started)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any


def ordered_map(
    setup: Callable[[Any], None],
    shared: Any,
    function: Callable[[Any], Any],
    jobs: list[Any],
    workers: int,
) -> Iterator[Any]:
    """``function`` over ``jobs``, results in the order of ``jobs``: in this process when one
    worker (or one job) will do, else on ``workers`` processes, each first given ``shared``
    by ``setup`` (so it is sent once per process, not once per job)."""
    if workers <= 1 or len(jobs) <= 1:
        setup(shared)
        yield from map(function, jobs)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(workers, initializer=setup, initargs=(shared,)) as pool:
        yield from pool.imap(function, jobs)


__all__ = ["ordered_map"]
