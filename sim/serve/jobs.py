"""What the service's worker processes run (sim/serve/pool.py): each job calls the Python API
(sim/api.py) and answers plain data, ``("ok", document)``, ``("input", [problem, ...])`` for
a mistake in what was sent, ``("chunk", text)`` pieces of a streamed answer then ``("done",
None)``, or ``("bug", text)`` for anything else."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sim import api
from sim.errors import InputError, InputErrors

__all__ = ["BODY", "perform", "problems"]

BODY = "(body)"
"""The file name that errors give for a scenario sent in a request's body."""


def problems(error: InputError | InputErrors) -> list[dict[str, Any]]:
    """Each located problem as data: file, line, column, field, message and the CLI's line."""
    found = error.errors if isinstance(error, InputErrors) else [error]
    return [
        {
            "file": problem.file,
            "line": problem.line,
            "column": problem.column,
            "field": problem.field,
            "message": problem.message,
            "text": str(problem),
        }
        for problem in found
    ]


def _json(document: Any) -> bytes:
    """A JSON answer, made in the worker (the server only passes the bytes on)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _run(body: bytes, interpretation: str | None) -> bytes:
    source = api.loads(body, BODY)
    if interpretation == "all":
        return _json(api.run_all(source).to_dict())
    return _json(api.run(source, interpretation).to_dict())


def _check(body: bytes) -> bytes:
    result = api.check_source(api.loads(body, BODY), BODY)
    return _json({**api.CheckReport((result,)).to_dict(), "ok": result.ok})


def _deadlines(name: str, as_of: date, first: int | None, last: int | None) -> bytes:
    return _json(api.deadlines(name, as_of, first, last).to_dict())


def _calendar(name: str, first: int | None, last: int | None, stamp: datetime) -> bytes:
    return api.calendar(name, first, last, stamp=stamp)


def _report(body: bytes | None, name: str | None, interpretation: str | None, fmt: str) -> str:
    source = api.loads(body, BODY) if body is not None else api.load(str(name))
    return api.report(source, interpretation, fmt)


class _Chunks:
    """A text stream that sends each write at once as a ``chunk`` answer."""

    def __init__(self, send: Callable[[tuple[str, Any]], None]) -> None:
        self.send = send

    def write(self, text: str) -> int:
        self.send(("chunk", text))
        return len(text)

    def flush(self) -> None:
        pass


def _sweep(
    send: Callable[[tuple[str, Any]], None],
    body: bytes,
    vary: list[str],
    step: str | None,
    summary: bool,
    limit: int,
) -> None:
    source = api.loads(body, BODY)
    out: Any = _Chunks(send)
    api.sweep_stream(source, vary, out, step, summary, None if summary else limit, 1)


_JOBS: dict[str, Callable[..., Any]] = {
    "ping": lambda: "pong",
    "run": _run,
    "check": _check,
    "deadlines": _deadlines,
    "calendar": _calendar,
    "report": _report,
}


def perform(name: str, arguments: tuple[Any, ...], send: Callable[[tuple[str, Any]], None]) -> None:
    """Run one job, sending its answers in order."""
    try:
        if name == "sweep":
            _sweep(send, *arguments)
            send(("done", None))
            return
        send(("ok", _JOBS[name](*arguments)))
    except (InputError, InputErrors) as error:
        send(("input", problems(error)))
    except Exception as error:  # a bug: said in one line, the worker goes on
        send(("bug", f"{type(error).__name__}: {error}"))
