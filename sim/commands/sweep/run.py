"""``treaty-sim sweep``: which path runs the values, and where the rows go.

The path is chosen by what each covers, read off the parsed ``--vary`` (never by trying one
and catching its error):

- **batch** (:mod:`sim.commands.sweep.batch`, the vectorised path) covers a sweep whose every
  ``--vary`` names an action's instant, ``actions[N].at``: the product of several, steps down
  to a second, no cap on the number of values, ``--summary``;
- **value by value** (:mod:`sim.commands.sweep.values`, the engine once per value) covers one
  ``--vary`` of any other field.

Where the rows go depends on the format alone: ``table``, ``markdown`` and ``json`` hold every
row (at most :data:`~sim.commands.sweep.values.MAX_VALUES`, one ``--vary``); ``csv``,
``jsonl`` and ``parquet`` stream them, to standard output or ``-o FILE`` (Parquet: ``-o``
only); ``--summary`` prints the ranges of values with the same outcome and the cliffs between
them as a table, markdown, CSV or a JSON document.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import numpy as np

from sim.commands.sweep import batch, summary
from sim.commands.sweep.batch import CHUNK, Plan, axis_of
from sim.commands.sweep.files import output, pyarrow, written
from sim.commands.sweep.values import (
    MAX_VALUES,
    SweepResult,
    SweepRow,
    default_jobs,
    render_sweep,
    stream_values,
    sweep,
)
from sim.commands.sweep.vary import ARGUMENT, Variation, parse_varies
from sim.core.dates import zone
from sim.core.model import Interpretation
from sim.engines.vector import NONE
from sim.errors import InputError
from sim.source import Source, load_source

__all__ = ["HELD", "SUMMARY_FORMATS", "command"]

HELD = ("table", "markdown", "json")
"""Formats that hold every row."""
SUMMARY_FORMATS = ("table", "markdown", "csv", "json")

ONE_PROCESS_UP_TO = 16 * CHUNK
"""Without ``--jobs``, a batch of up to this many values (about 2.1 million) runs in this
process: its vectorised maths takes about 0.15 s per million values, less than starting
workers and sending their rows back costs on 2 cores (docs/performance.md)."""


def _error(option: str, message: str) -> InputError:
    return InputError(ARGUMENT, 1, 1, option, message)


def covered_by_batch(variations: list[Variation]) -> bool:
    """The batch path covers a sweep whose every ``--vary`` names an action's instant."""
    return all(variation.action is not None for variation in variations)


def command(args: Any) -> int:
    """``treaty-sim sweep`` (see the module's docstring for which path runs)."""
    return sweep_source(load_source(args.scenario), args)


def sweep_source(source: Source, args: Any) -> int:
    """``sweep`` of a scenario already loaded (a file, or the text or dict the Python API and
    ``serve`` were given), with the command's arguments ``args``."""
    variations = parse_varies(args.vary, args.step, source)
    fmt: str = args.format
    target: str | None = getattr(args, "output", None)
    fast = covered_by_batch(variations)
    if not fast:
        other = next(v for v in variations if v.action is None)
        if args.summary or len(variations) > 1:
            what = "--summary" if args.summary else "several --vary"
            raise _error(
                "--vary",
                f"{what} needs every --vary to name an action's instant (actions[N].at); "
                f"{other.field!r} is another field: sweep it alone, without --summary",
            )
        if args.dask is not None:
            raise _error("--dask", "applies to sweeps of actions' instants (actions[N].at)")
    if fmt == "parquet" and target is None:
        raise _error("-o", "--format parquet writes to a file: add -o FILE")
    if args.summary:
        if fmt not in SUMMARY_FORMATS:
            raise _error("--format", f"--summary writes {_listed(SUMMARY_FORMATS)}, not {fmt}")
        plan = _plan(source, variations, args)
        found, engine = _changes(plan, args)
        with output(target, args.scenario, args.force) as out:
            out.write(summary.render(plan, batch.ranges(plan, *found), engine, fmt))
        return 0
    if fmt in HELD:
        return _held(source, variations, args, fmt, target)
    if fast:
        return _stream_batch(_plan(source, variations, args), args, fmt, target)
    return _stream_values(source, variations[0], args, fmt, target)


def _listed(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + " or " + names[-1]


def _plan(source: Source, variations: list[Variation], args: Any) -> Plan:
    axes = tuple(axis_of(v, source.treaty.timezone) for v in variations)
    interpretation: Interpretation | None = getattr(args, "interpretation", None)
    return Plan(
        source.scenario, source.treaty, axes, interpretation or source.scenario.interpretation
    )


def _held(
    source: Source, variations: list[Variation], args: Any, fmt: str, target: str | None
) -> int:
    """Every row in a table or a JSON document: one ``--vary``, at most MAX_VALUES values."""
    count = math.prod(len(v.values) for v in variations)
    what = "a JSON document" if fmt == "json" else "a table"
    if len(variations) > 1:
        raise _error(
            "--format",
            f"{count:,} values of {len(variations)} --vary in {what}: choose --format csv, "
            "jsonl or parquet (streamed), or --summary",
        )
    if count > MAX_VALUES:
        raise _error(
            "--vary",
            f"more than {MAX_VALUES:,} values in {what}, which holds every row: choose "
            "--format csv or jsonl (streamed, no limit) or parquet, --summary, a shorter range "
            "or a longer --step",
        )
    (variation,) = variations
    if covered_by_batch(variations):
        result = _batch_result(source, _plan(source, variations, args))
    else:
        progress = fmt != "json" and sys.stderr.isatty()
        result = sweep(source, variation, progress=progress)
    with output(target, args.scenario, args.force) as out:
        out.write(render_sweep(result, fmt).rstrip("\n") + "\n")
    return 0


def _batch_result(source: Source, plan: Plan) -> SweepResult:
    """The rows of a batch (of at most MAX_VALUES values) as the held path shows them."""
    (axis,) = plan.axes
    places, instants, result = plan.batch(0, plan.total)
    from sim.commands.sweep import columns

    labels = columns.joined([axis.cells(places[0], instants[0], plan.table)]).splitlines()
    tz = zone(source.treaty.timezone)
    moments: dict[int, datetime | None] = {NONE: None}

    def moment(second: int) -> datetime | None:
        if second not in moments:
            moments[second] = datetime.fromtimestamp(second, UTC).astimezone(tz)
        return moments[second]

    rows = []
    for row, label in enumerate(labels):
        error = result.errors.get(row)
        if error is not None:
            rows.append(SweepRow(label, error=error))
            continue
        bound = {
            party: moment(int(result.bound_until[row, p])) for p, party in enumerate(result.parties)
        }
        rows.append(
            SweepRow(
                label, moment(int(result.terminated_at[row])), bound, int(result.rejections[row])
            )
        )
    return SweepResult(
        scenario=source.scenario.name,
        treaty=source.treaty.name,
        timezone=source.treaty.timezone,
        field=axis.field,
        parties=tuple(source.treaty.party_names),
        rows=tuple(rows),
    )


@contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A progress bar (tqdm) on standard error where it is a terminal, else None."""
    stream = sys.stderr
    if not stream.isatty():
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=total, file=stream, unit="value", unit_scale=True, leave=False)
    try:
        yield bar
    finally:
        bar.close()


_PLAN: Plan | None = None


def _init(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan


def _text_job(job: tuple[int, int, str]) -> tuple[str, int, int]:
    assert _PLAN is not None
    return batch.chunk_text(_PLAN, *job)


def _columns_job(job: tuple[int, int]) -> tuple[dict[str, Any], int, int]:
    assert _PLAN is not None
    return batch.chunk_columns(_PLAN, *job)


def _change_job(job: tuple[int, int]) -> tuple[list[int], list[list[int]], int]:
    assert _PLAN is not None
    return batch.chunk_changes(_PLAN, *job)


def _chunks(total: int) -> list[tuple[int, int]]:
    return [(begin, min(total, begin + CHUNK)) for begin in range(0, total, CHUNK)]


def _mapped(plan: Plan, function: Any, jobs: list[Any], args: Any) -> Any:
    """``function`` over the chunks, in order, where ``--jobs`` and ``--dask`` say."""
    from sim.commands.pool import chunk_map

    plan.table  # noqa: B018 -- built before the workers fork, so each inherits it
    workers = args.jobs or (
        1 if plan.total <= ONE_PROCESS_UP_TO else default_jobs(plan.total, CHUNK)
    )
    return chunk_map(_init, plan, function, jobs, workers, args.dask)


def _changes(plan: Plan, args: Any) -> tuple[tuple[list[int], list[list[int]]], int]:
    """Where the outcome changes over the whole product, and the rows the engine ran."""
    starts: list[int] = []
    found: list[list[int]] = []
    engine = 0
    with _progress(plan.total) as bar:
        for chunk_starts, chunk_keys, ran in _mapped(plan, _change_job, _chunks(plan.total), args):
            engine += ran
            for start, key in zip(chunk_starts, chunk_keys, strict=True):
                if not found or key != found[-1]:
                    starts.append(start)
                    found.append(key)
            if bar is not None:
                bar.update(CHUNK)
    return (starts, found), engine


def _stream_batch(plan: Plan, args: Any, fmt: str, target: str | None) -> int:
    total = plan.total
    parties = tuple(plan.treaty.party_names)
    engine = 0
    with _progress(total) as bar:
        if fmt == "parquet":
            assert target is not None
            pa, pq = pyarrow()
            with written(target, args.scenario, args.force) as temporary:
                writer = None
                try:
                    for data, ran, _ in _mapped(plan, _columns_job, _chunks(total), args):
                        engine += ran
                        table = _arrow_table(pa, plan, data, parties)
                        if writer is None:
                            # the outcomes repeat, the varied instants do not: a dictionary
                            # only where it pays (about three times faster to write)
                            outcomes = table.column_names[len(plan.axes) :]
                            writer = pq.ParquetWriter(
                                str(temporary), table.schema, use_dictionary=outcomes
                            )
                        writer.write_table(table)
                        if bar is not None:
                            bar.update(table.num_rows)
                finally:
                    if writer is not None:
                        writer.close()
        else:
            from sim.commands.sweep.values import csv_header

            jobs = [(begin, end, fmt) for begin, end in _chunks(total)]
            with output(target, args.scenario, args.force) as out:
                if fmt == "csv":
                    out.write(csv_header([axis.field for axis in plan.axes], parties))
                for text, ran, _ in _mapped(plan, _text_job, jobs, args):
                    out.write(text)
                    engine += ran
                    if bar is not None:
                        bar.update(text.count("\n"))
    if engine:
        sys.stderr.write(f"{engine:,} of {total:,} values run by the engine\n")
    return 0


def _arrow_table(pa: Any, plan: Plan, data: dict[str, Any], parties: tuple[str, ...]) -> Any:
    """A chunk's typed columns: instants as timestamps in the treaty's zone (null: still in
    force, still bound), rejections as integers (null where the value could not be run)."""
    moment = pa.timestamp("s", tz=plan.treaty.timezone)

    def instants(seconds: Any) -> Any:
        return pa.array(seconds, type=moment, mask=seconds == NONE)

    rows = len(data["terminated_at"])
    errors = [None] * rows
    for row, text in data["errors"].items():
        errors[row] = text
    rejections = data["rejections"]
    columns: dict[str, Any] = {
        axis.field: instants(seconds) for axis, seconds in zip(plan.axes, data["axes"], strict=True)
    }
    columns["terminated_at"] = instants(data["terminated_at"])
    for number, party in enumerate(parties):
        bound = np.ascontiguousarray(data["bound_until"][:, number])
        columns[f"bound_until.{party}"] = instants(bound)
    columns["rejections"] = pa.array(rejections, type=pa.int64(), mask=rejections < 0)
    columns["error"] = pa.array(errors, type=pa.string())
    return pa.table(columns)


def _stream_values(
    source: Source, variation: Variation, args: Any, fmt: str, target: str | None
) -> int:
    """One ``--vary`` of any other field, one engine run per value, streamed with no cap."""
    total = len(variation.values)
    with _progress(total) as bar:
        if fmt == "parquet":
            assert target is not None
            with written(target, args.scenario, args.force) as temporary:
                _, errors = stream_values(source, variation, fmt, None, temporary, args.jobs, bar)
        else:
            with output(target, args.scenario, args.force) as out:
                _, errors = stream_values(source, variation, fmt, out, None, args.jobs, bar)
    if errors:
        sys.stderr.write(f"{errors:,} of {total:,} values could not be run\n")
    return 0
