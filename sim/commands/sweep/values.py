"""The value-by-value path of ``treaty-sim sweep``: the scenario is changed at the varied
field, validated again as a whole and run by the engine, once per value (PRODUCT.md,
"Commands"). It covers any field (``treaty.clause.notice``, ``treaty.in_force``, ``horizon``,
an action's ``do`` or ``period``...); a value the scenario does not accept (a clause that
becomes incoherent, an action after the horizon) is reported on its own row, and the sweep
goes on.

The rows are held (:func:`sweep`, for a table or a JSON document, at most
:data:`MAX_VALUES`) or streamed (:func:`stream_values`: CSV, JSON Lines or Parquet, no cap):
the values are cut into chunks of :data:`CHUNK`, each run in a worker process, and written in
order as they come back, so memory is that of a few chunks.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, TextIO

from sim import library
from sim.commands.sweep.vary import ARGUMENT, Value, Variation, scenario_data
from sim.core.dates import iso
from sim.core.model import Scenario
from sim.errors import InputError, InputErrors
from sim.loader import Loaded, validate
from sim.render import bound_through, dumps, ended, render_rows
from sim.source import Source, check_parties, simulate

__all__ = [
    "CHUNK",
    "MAX_VALUES",
    "SweepResult",
    "SweepRow",
    "render_sweep",
    "stream_values",
    "sweep",
    "sweep_json",
]

MAX_VALUES = 10_000
"""A table or a JSON document holds every row: above this many values, the rows are streamed
(CSV, JSON Lines, Parquet) or summarised (``--summary``)."""

CHUNK = 512
"""Values per chunk of a streamed value-by-value sweep."""

ROW_GROUP = 64 * CHUNK
"""Rows per Parquet row group of a value-by-value sweep (chunks are gathered to this size)."""

STILL_IN_FORCE = "still in force"
STILL_BOUND = "still bound"

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class SweepRow:
    """The outcome of one varied run; ``error`` says why the value could not be run (the
    other fields are then empty)."""

    value: str
    terminated_at: datetime | None = None
    bound_until: dict[str, datetime | None] = field(default_factory=dict)
    rejections: int = 0
    error: str | None = None


@dataclass(frozen=True)
class SweepResult:
    """One row per value of the varied field."""

    scenario: str
    treaty: str
    timezone: str
    field: str
    parties: tuple[str, ...]
    rows: tuple[SweepRow, ...]


def _set(data: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _varied(source: Source, base: dict[str, Any], variation: Variation, value: Value) -> Source:
    """The source with the varied scenario, validated again as a whole."""
    data = copy.deepcopy(base)
    _set(data, variation.path, value.value)
    loaded = Loaded(ARGUMENT, data)
    scenario: Scenario = validate(loaded, Scenario)
    if scenario.treaty == source.scenario.treaty:
        treaty = source.treaty
    else:
        try:
            treaty = library.resolve(scenario)
        except ValueError as error:
            raise InputError(ARGUMENT, 1, 1, "treaty", str(error)) from None
    check_parties(scenario, treaty, loaded)
    return dataclasses.replace(source, scenario=scenario, treaty=treaty)


def run_value(source: Source, base: dict[str, Any], variation: Variation, value: Value) -> SweepRow:
    """The outcome of one value (its error, where the scenario does not accept it)."""
    try:
        timeline = simulate(_varied(source, base, variation, value))
    except (InputError, InputErrors) as error:
        return SweepRow(value.label, error=_problem(error))
    return SweepRow(
        value.label,
        timeline.terminated_at,
        dict(timeline.bound_until),
        len(timeline.rejections),
    )


def _problem(error: InputError | InputErrors) -> str:
    problems = error.errors if isinstance(error, InputErrors) else [error]
    return "; ".join(f"{p.field}: {p.message}" for p in problems)


class _Progress:
    """A one-line progress bar on stderr, shown only once a sweep has run for a second."""

    WIDTH = 30
    DELAY = 1.0
    INTERVAL = 0.1

    def __init__(self, total: int, enabled: bool, stream: TextIO) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream
        self.started = time.monotonic()
        self.drawn_at: float | None = None

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.DELAY:
            return
        if self.drawn_at is not None and now - self.drawn_at < self.INTERVAL:
            return
        filled = self.WIDTH * done // max(1, self.total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\rsweep [{bar}] {done}/{self.total}")
        self.stream.flush()
        self.drawn_at = now

    def close(self) -> None:
        if self.drawn_at is not None:
            self.stream.write("\r" + " " * (self.WIDTH + 30) + "\r")
            self.stream.flush()


def sweep(source: Source, variation: Variation, progress: bool = False) -> SweepResult:
    """Run the scenario once per value of the varied field;
    a value that cannot be run is reported on its row. ``progress`` draws a bar on stderr
    when the sweep takes longer than a second."""
    base = scenario_data(source, variation.path)
    rows: list[SweepRow] = []
    parties: dict[str, None] = dict.fromkeys(source.treaty.party_names)
    bar = _Progress(len(variation.values), progress, sys.stderr)
    try:
        for value in variation.values:
            row = run_value(source, base, variation, value)
            parties.update(dict.fromkeys(row.bound_until))
            rows.append(row)
            bar.update(len(rows))
    finally:
        bar.close()
    return SweepResult(
        scenario=source.scenario.name,
        treaty=source.treaty.name,
        timezone=source.treaty.timezone,
        field=variation.field,
        parties=tuple(parties),
        rows=tuple(rows),
    )


def _instant(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


def sweep_json(result: SweepResult) -> dict[str, Any]:
    """The ``sweep --format json`` document: instants as in ``run``, null while still in
    force or still bound at the horizon."""
    return {
        "scenario": result.scenario,
        "treaty": result.treaty,
        "timezone": result.timezone,
        "field": result.field,
        "rows": [
            {
                "value": row.value,
                "terminated_at": _instant(row.terminated_at),
                "bound_until": {
                    party: _instant(row.bound_until[party])
                    for party in result.parties
                    if party in row.bound_until
                },
                "rejections": row.rejections if row.error is None else None,
                "error": row.error,
            }
            for row in result.rows
        ],
    }


def _cells(row: SweepRow, parties: tuple[str, ...], words: bool) -> list[str]:
    """One row's cells: in tables, instants as ``run`` prints them (``bound_through``,
    ``ended``); in CSV, ISO 8601 as in JSON."""
    if row.error is not None:
        return [row.value, "", *("" for _ in parties), "", row.error]

    def bound(until: datetime | None) -> str:
        if until is None:
            return STILL_BOUND
        return bound_through(until) if words else iso(until)

    bound_cells = [bound(row.bound_until[p]) if p in row.bound_until else "" for p in parties]
    if row.terminated_at is None:
        terminated = STILL_IN_FORCE
    else:
        terminated = ended(row.terminated_at) if words else iso(row.terminated_at)
    return [row.value, terminated, *bound_cells, str(row.rejections), ""]


def render_sweep(result: SweepResult, fmt: str) -> str:
    """``sweep`` output: one row per value, in any of the formats of PRODUCT.md."""
    if fmt == "json":
        return dumps(sweep_json(result))
    headers = [
        result.field,
        "terminated at",
        *(f"{party} bound {'until' if fmt == 'csv' else 'through'}" for party in result.parties),
        "rejections",
        "error",
    ]
    rows = [_cells(row, result.parties, fmt != "csv") for row in result.rows]
    if not any(row.error for row in result.rows):
        headers.pop()
        rows = [cells[:-1] for cells in rows]
    body = render_rows(headers, rows, fmt)
    if fmt == "csv":
        return body
    title = f"{result.scenario}: {result.treaty} ({result.timezone}), varying {result.field}"
    return f"{title}\n\n{body}"


@dataclass(frozen=True)
class _Job:
    source: Source
    variation: Variation
    base: dict[str, Any]


_JOB: _Job | None = None


def _init(job: _Job) -> None:
    global _JOB
    _JOB = job


def _chunk(bounds: tuple[int, int]) -> list[SweepRow]:
    """The rows of values ``begin`` to ``end`` (excluded)."""
    job = _JOB
    assert job is not None
    return [
        run_value(job.source, job.base, job.variation, job.variation.values[index])
        for index in range(*bounds)
    ]


def _csv_line(row: SweepRow, parties: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    import csv

    if row.error is None:
        cells = [row.value, _instant(row.terminated_at) or STILL_IN_FORCE]
        cells += [_instant(row.bound_until.get(p)) or STILL_BOUND for p in parties]
        cells += [str(row.rejections), ""]
    else:
        cells = [row.value, "", *("" for _ in parties), "", row.error]
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def _json_line(row: SweepRow, field_name: str, parties: tuple[str, ...]) -> str:
    failed = row.error is not None
    document = {
        field_name: row.value,
        "terminated_at": _instant(row.terminated_at),
        "bound_until": {p: _instant(row.bound_until.get(p)) for p in parties},
        "rejections": None if failed else row.rejections,
        "error": row.error,
    }
    return json.dumps(document, ensure_ascii=False) + "\n"


def csv_header(fields: list[str], parties: tuple[str, ...]) -> str:
    """The header of a sweep's CSV rows (both paths)."""
    import csv

    buffer = io.StringIO()
    headers = [*fields, "terminated at", *(f"{p} bound until" for p in parties)]
    csv.writer(buffer, lineterminator="\n").writerow([*headers, "rejections", "error"])
    return buffer.getvalue()


def _value_type(pa: Any, variation: Variation) -> Any:
    from sim.commands.sweep.vary import InstantRange

    first = variation.values[0].value if len(variation.values) else None
    if isinstance(variation.values, InstantRange):
        return pa.timestamp("s", tz=variation.values.timezone)
    if isinstance(first, date) and not isinstance(first, datetime):
        return pa.date32()
    return pa.string()


def _arrow_batch(
    pa: Any, rows: list[SweepRow], variation: Variation, parties: tuple[str, ...], timezone: str
) -> Any:
    """A chunk of rows as typed columns (instants as timestamps in the treaty's zone)."""
    moment = pa.timestamp("s", tz=timezone)
    kind = _value_type(pa, variation)
    if kind == pa.string():
        column = pa.array([row.value for row in rows], pa.string())
    elif kind == pa.date32():
        column = pa.array([date.fromisoformat(row.value) for row in rows], kind)
    else:
        column = pa.array([datetime.fromisoformat(row.value) for row in rows], kind)
    data = {
        variation.field: column,
        "terminated_at": pa.array([row.terminated_at for row in rows], moment),
        **{
            f"bound_until.{p}": pa.array([row.bound_until.get(p) for row in rows], moment)
            for p in parties
        },
        "rejections": pa.array([None if row.error else row.rejections for row in rows], pa.int64()),
        "error": pa.array([row.error for row in rows], pa.string()),
    }
    return pa.table(data)


def stream_values(
    source: Source,
    variation: Variation,
    fmt: str,
    out: IO[str] | None,
    parquet: Any = None,
    jobs: int | None = None,
    bar: Any = None,
) -> tuple[int, int]:
    """Run every value, chunk by chunk on ``jobs`` processes, and write the rows in order:
    ``fmt`` ``csv`` or ``jsonl`` to ``out``, or ``parquet`` to the path ``parquet`` (one row
    group per chunk). Returns the count of values and of those that could not be run."""
    from sim.commands.pool import ordered_map

    parties = tuple(source.treaty.party_names)
    job = _Job(source, variation, scenario_data(source, variation.path))
    total = len(variation.values)
    chunks = [(begin, min(begin + CHUNK, total)) for begin in range(0, total, CHUNK)]
    workers = jobs or default_jobs(total, CHUNK)
    writer = None
    if fmt == "csv" and out is not None:
        out.write(csv_header([variation.field], parties))
    errors = 0
    pending: list[SweepRow] = []  # rows for the next Parquet row group
    try:
        for number, rows in enumerate(ordered_map(_init, job, _chunk, chunks, workers)):
            errors += sum(row.error is not None for row in rows)
            if parquet is not None:
                pending += rows
                if len(pending) < ROW_GROUP and number < len(chunks) - 1:
                    continue
                from sim.commands.sweep.files import pyarrow

                pa, pq = pyarrow()
                table = _arrow_batch(pa, pending, variation, parties, source.treaty.timezone)
                if writer is None:
                    writer = pq.ParquetWriter(str(parquet), table.schema)
                writer.write_table(table)
                pending = []
            elif out is not None:
                if fmt == "jsonl":
                    out.write("".join(_json_line(r, variation.field, parties) for r in rows))
                else:
                    out.write("".join(_csv_line(r, parties) for r in rows))
            if bar is not None:
                bar.update(len(rows))
    finally:
        if writer is not None:
            writer.close()
    return total, errors


def default_jobs(total: int, chunk: int) -> int:
    """Worker processes when ``--jobs`` is not given: one per core (at most 8), and one
    process where the values fit in one or two chunks, since starting a worker then costs
    more than it saves."""
    import os

    cores = min(os.cpu_count() or 1, 8)
    return 1 if total <= 2 * chunk else cores
