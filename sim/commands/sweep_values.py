"""``sweep`` of a field other than an action's instant (``treaty.in_force``,
``treaty.clause.notice``, ``horizon``, an action's ``period``...) with no cap on the number of
values: one engine run per value, as :mod:`sim.sweep` does, but streamed.

The values are never all held (a range makes each value when asked for it); they are cut into
chunks of :data:`CHUNK`, each run in a worker process (every core, or ``--jobs N``), and the
rows come back in order and are written as CSV or JSON Lines as soon as they come, so memory
is that of a few chunks. The columns are those of the scaled path (sim/commands/sweep.py):
the error column is always there, the parties are the treaty's.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from sim.errors import InputError, InputErrors
from sim.source import Source

__all__ = ["CHUNK", "stream_values"]

CHUNK = 512


@dataclass(frozen=True)
class _Job:
    source: Source
    variation: Any
    base: Any
    parties: tuple[str, ...]
    fmt: str


_JOB: _Job | None = None


def _init(job: _Job) -> None:
    global _JOB
    _JOB = job


def _iso(moment: datetime | None) -> str | None:
    from sim.core.dates import iso

    return None if moment is None else iso(moment)


def _chunk(bounds: tuple[int, int]) -> tuple[str, int]:
    """Rows ``begin`` to ``end`` (excluded) as text, and how many could not be run."""
    from sim.commands.sweep import _csv_cell
    from sim.source import simulate
    from sim.sweep import _problem, _varied

    job = _JOB
    assert job is not None
    out = io.StringIO()
    errors = 0
    for index in range(*bounds):
        value = job.variation.values[index]
        error: str | None = None
        try:
            timeline = simulate(_varied(job.source, job.base, job.variation, value))
        except (InputError, InputErrors) as problem:
            error, errors = _problem(problem), errors + 1
        if job.fmt == "jsonl":
            document: dict[str, Any] = {job.variation.field: value.label}
            if error is None:
                document["terminated_at"] = _iso(timeline.terminated_at)
                document["bound_until"] = {
                    p: _iso(timeline.bound_until.get(p)) for p in job.parties
                }
                document["rejections"] = len(timeline.rejections)
            else:
                document["terminated_at"] = None
                document["bound_until"] = dict.fromkeys(job.parties)
                document["rejections"] = None
            document["error"] = error
            out.write(json.dumps(document, ensure_ascii=False) + "\n")
            continue
        cells = [value.label]
        if error is None:
            cells.append(_iso(timeline.terminated_at) or "still in force")
            cells += [_iso(timeline.bound_until.get(p)) or "still bound" for p in job.parties]
            cells += [str(len(timeline.rejections)), ""]
        else:
            cells += ["", *("" for _ in job.parties), "", error]
        out.write(",".join(_csv_cell(cell) for cell in cells) + "\n")
    return out.getvalue(), errors


def _mapped(job: _Job, chunks: list[tuple[int, int]], workers: int) -> Iterator[tuple[str, int]]:
    from sim.commands.pool import ordered_map

    yield from ordered_map(_init, job, _chunk, chunks, workers)


def stream_values(
    source: Source, variation: Any, fmt: str, out: TextIO, jobs: int | None = None
) -> int:
    """Write the sweep's rows to ``out`` as ``fmt`` (``csv`` or ``jsonl``), chunk by chunk;
    the count of values that could not be run goes to standard error."""
    from sim.commands.sweep import _bar, _csv_cell
    from sim.sweep import _base_data

    parties = tuple(source.treaty.party_names)
    job = _Job(source, variation, _base_data(source, variation.path), parties, fmt)
    total = len(variation.values)
    chunks = [(begin, min(begin + CHUNK, total)) for begin in range(0, total, CHUNK)]
    workers = jobs or min(os.cpu_count() or 1, 8)
    if fmt == "csv":
        headers = [
            variation.field,
            "terminated at",
            *(f"{p} bound until" for p in parties),
            "rejections",
            "error",
        ]
        out.write(",".join(_csv_cell(h) for h in headers) + "\n")
    bar = _bar(total, sys.stderr)
    errors = 0
    try:
        for (begin, end), (text, failed) in zip(chunks, _mapped(job, chunks, workers), strict=True):
            out.write(text)
            errors += failed
            if bar is not None:
                bar.update(end - begin)
    finally:
        if bar is not None:
            bar.close()
    out.flush()
    if errors:
        sys.stderr.write(f"{errors:,} of {total:,} values could not be run\n")
    return 0
