"""The worker processes that run the service's simulations, each request under a time limit
(docs/serve.md, "Safe by default").

Each worker is a process with a pipe to the server. A request takes an idle worker, sends it
the job, and waits for the answer without blocking the server's event loop. A job that runs
past the time limit, or whose client has gone away (a streamed sweep whose connection closed),
has its worker killed and replaced: no work is left running, and the other workers go on.
Workers are forked from a clean forkserver with the simulator preloaded, so a replacement
starts in milliseconds."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import time
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

__all__ = ["TimeLimit", "WorkerPool"]


class TimeLimit(Exception):
    """A job ran past the per-request time limit; its worker was replaced."""


def _serve(connection: Connection) -> None:
    """A worker's loop: run each job it is sent, answer ``(kind, value)``."""
    from sim.serve import jobs

    # No progress bar of a command on the server's terminal.
    with open(os.devnull, "w") as quiet:
        sys.stderr = quiet
        _loop(connection, jobs.perform)


def _loop(connection: Connection, perform: Any) -> None:
    while True:
        try:
            name, arguments = connection.recv()
        except (EOFError, OSError):
            return
        perform(name, arguments, connection.send)


class _Worker:
    def __init__(self, context: BaseContext) -> None:
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child,), daemon=True
        )
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(1)
        self.connection.close()

    async def receive(self, deadline: float) -> tuple[str, Any]:
        """The worker's next answer, waiting at most until ``deadline`` (monotonic)."""
        loop = asyncio.get_running_loop()
        if not self.connection.poll():
            ready: asyncio.Future[None] = loop.create_future()
            descriptor = self.connection.fileno()

            def readable() -> None:
                if not ready.done():
                    ready.set_result(None)

            loop.add_reader(descriptor, readable)
            try:
                await asyncio.wait_for(ready, max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise TimeLimit from None
            finally:
                loop.remove_reader(descriptor)
        answer: tuple[str, Any] = self.connection.recv()
        return answer


class WorkerPool:
    """``size`` worker processes; each job may run ``timeout`` seconds."""

    def __init__(self, size: int, timeout: float) -> None:
        self.size = size
        self.timeout = timeout
        self.running = 0
        """Jobs running now (``/healthz``): back to 0 once every request is answered or gone."""
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["sim.serve.jobs"])
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()

    def _new(self) -> _Worker:
        worker = _Worker(self._context)
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        for _ in range(self.size):
            self._idle.put_nowait(self._new())
        # Each worker answers once before the server says it is ready.
        await asyncio.gather(*(self.call("ping") for _ in range(self.size)))

    def close(self) -> None:
        for worker in list(self._all):
            worker.kill()
        self._all.clear()

    @asynccontextmanager
    async def _worker(self) -> AsyncIterator[_Worker]:
        worker = await self._idle.get()
        self.running += 1
        finished = False
        try:
            yield worker
            finished = True
        finally:
            self.running -= 1
            if not finished:
                worker.kill()
                self._all.discard(worker)
                worker = self._new()
            self._idle.put_nowait(worker)

    async def call(self, name: str, *arguments: Any) -> tuple[str, Any]:
        """Run the job ``name``: its answer ``(kind, value)``; :class:`TimeLimit` if it
        runs past the time limit."""
        async with self._worker() as worker:
            worker.connection.send((name, arguments))
            return await worker.receive(time.monotonic() + self.timeout)

    async def stream(self, name: str, *arguments: Any) -> AsyncGenerator[tuple[str, Any], None]:
        """Run a streamed job: its answers up to and including the last (``done``, or an
        error); stopping early (the client went away) kills the job."""
        async with self._worker() as worker:
            worker.connection.send((name, arguments))
            deadline = time.monotonic() + self.timeout
            while True:
                kind, value = await worker.receive(deadline)
                yield kind, value
                if kind != "chunk":
                    return
