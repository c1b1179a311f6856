"""Chunks of a sweep or a sample sent to a Dask cluster (the optional extra
``treaty-sim[dask]``): ``--dask ADDRESS`` names a running scheduler, ``--dask local`` starts a
LocalCluster for the run. The chunks are the same as on one machine and come back in order,
so the output is identical."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sim.errors import InputError

__all__ = ["dask_map"]


def _call(
    setup: Callable[[Any], None], shared: Any, function: Callable[[Any], Any], job: Any
) -> Any:
    setup(shared)
    return function(job)


def dask_map(
    setup: Callable[[Any], None],
    shared: Any,
    function: Callable[[Any], Any],
    jobs: list[Any],
    address: str,
) -> Iterator[Any]:
    """``function`` over ``jobs`` on the cluster at ``address`` (or a LocalCluster), in
    order, each worker first given ``shared`` by ``setup`` (as :func:`sim.commands.pool.
    ordered_map` does), so the command that asks names its own set-up: no import back."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            "(command line)", 1, 1, "--dask", "needs the dask extra: pip install 'treaty-sim[dask]'"
        ) from None
    cluster = None
    if address == "local":
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2, threads_per_worker=1, processes=True
        )
    try:
        with Client(cluster if cluster is not None else address) as client:  # type: ignore[no-untyped-call]
            scattered = client.scatter(shared, broadcast=True)
            futures = [
                client.submit(_call, setup, scattered, function, job, pure=False) for job in jobs
            ]
            for future in futures:
                yield future.result()
    except OSError as error:
        raise InputError(
            "(command line)", 1, 1, "--dask", f"cannot reach {address}: {error}"
        ) from None
    finally:
        if cluster is not None:
            cluster.close()
