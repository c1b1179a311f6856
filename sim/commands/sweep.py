"""``treaty-sim sweep`` at scale: the product of several ``--vary`` of action instants, steps
down to one second, no cap on the number of values, rows streamed as they are computed (CSV
or JSON Lines) or only the cliffs (``--summary``), on every core.

The values are never all held: they are numbered in the order of the product (the first
``--vary`` outermost) and cut into chunks of :data:`CHUNK` rows; each chunk is computed by the
vectorised closed form (:mod:`sim.engines.vector`) in a worker process and comes back as text
(or, for ``--summary``, as the few places where the outcome changes), in order. Memory is that
of a few chunks, whatever the number of values.

The cliffs of a ``--summary`` are found to the second: where two neighbouring values of the
last ``--vary`` give different outcomes, the first instant with the new outcome is found by
bisection between them (GSOMIA 2019: ``2019-08-25T00:00:00+09:00``, PRODUCT.md "Counting").
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt

from sim.core.dates import DateError, as_instant, at_midnight, zone
from sim.core.model import Interpretation, Scenario, Treaty
from sim.core.zone_table import DAY, Instants, as_seconds, zone_table
from sim.engines.vector import NONE, BatchOutcome, base_instants, outcomes
from sim.errors import InputError
from sim.source import Source

__all__ = ["CHUNK", "Axis", "Plan", "is_fast", "parse_axes", "run_sweep"]

CHUNK = 1 << 17
_ARGUMENT = "(command line)"
_INSTANT_FIELD = re.compile(r"^actions\[(\d+)\]\.at$")
_SUB_DAY = re.compile(r"^\s*(\d+)\s*(s|min|h)\s*$")
_ISO_TIME = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
_SECONDS = {"s": 1, "min": 60, "h": 3600}


def _vary_error(message: str) -> InputError:
    return InputError(_ARGUMENT, 1, 1, "--vary", message)


def _step_error(message: str) -> InputError:
    return InputError(_ARGUMENT, 1, 1, "--step", message)


@dataclass(frozen=True)
class Axis:
    """One ``--vary`` of an action's instant: its values are ``start + k·step`` seconds
    (``step`` 0: the explicit ``values``), labelled as dates where every value is a day's
    00:00 reached by whole days."""

    field: str
    action: int
    start: int
    step: int
    count: int
    by_days: bool
    values: tuple[int, ...] = ()

    def instants(self, index: npt.NDArray[np.int64], table: Any) -> Instants:
        if self.values:
            return np.asarray(self.values, dtype=np.int64)[index]
        if self.by_days:
            first = self.start // DAY
            return np.asarray(table.midnight(first + index * (self.step // DAY)), dtype=np.int64)
        return self.start + index * self.step


def sub_day_step(text: str | None) -> int | None:
    """A step shorter than a day, in seconds (``1min``, ``30s``, ``2h``, ``PT1M``), or None."""
    if text is None:
        return None
    short = _SUB_DAY.match(text)
    if short:
        return int(short.group(1)) * _SECONDS[short.group(2)]
    iso = _ISO_TIME.match(text.strip().upper())
    if iso and any(iso.groups()):
        hours, minutes, seconds = (int(g) if g else 0 for g in iso.groups())
        return hours * 3600 + minutes * 60 + seconds
    return None


def is_fast(varies: list[str]) -> bool:
    """Whether every ``--vary`` names an action's instant (the scaled path's field)."""
    return all(_INSTANT_FIELD.match(v.partition("=")[0].strip()) for v in varies)


def _moment(text: str, tz: Any) -> int:
    try:
        return as_seconds(as_instant(text.strip(), tz))
    except DateError as error:
        raise _vary_error(f"{text.strip()!r}: {error}") from None


def parse_axes(varies: list[str], step: str | None, source: Source) -> list[Axis]:
    """Each ``--vary 'actions[N].at=FIRST..LAST'`` (dates or local date-times; with a step
    of days, or of seconds, minutes or hours) or ``=A,B,C``; an :class:`InputError` on
    ``--vary`` or ``--step`` otherwise."""
    tz = zone(source.treaty.timezone)
    seconds = sub_day_step(step)
    days = 1
    if step is not None and seconds is None:
        match = re.match(r"^\s*(\d+)\s*(d|w)\s*$", step)
        if not match or int(match.group(1)) == 0:
            raise _step_error(
                f"{step!r} is not a step: write 1min, 30s, 1h, 1d or 1w "
                "(months and years: sweep one --vary without --summary)"
            )
        days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
    if seconds == 0:
        raise _step_error(f"{step!r}: a step must be longer than zero")
    axes: list[Axis] = []
    for vary in varies:
        name, _, spec = vary.partition("=")
        name, spec = name.strip(), spec.strip()
        match = _INSTANT_FIELD.match(name)
        assert match is not None
        index = int(match.group(1))
        if index >= len(source.scenario.actions):
            count = len(source.scenario.actions)
            raise _vary_error(f"{name}: actions has {count} item(s)")
        if ".." not in spec:
            items = [item for item in spec.split(",")]
            if not spec or any(not item.strip() for item in items):
                raise _vary_error(f"{spec!r}: an empty value in the list (write a,b,c)")
            values = tuple(_moment(item, tz) for item in items)
            axes.append(Axis(name, index, 0, 0, len(values), False, values))
            continue
        first_text, _, last_text = spec.partition("..")
        if ".." in last_text:
            raise _vary_error(f"{spec!r}: a range has one '..' (A..B)")
        first, last = _moment(first_text, tz), _moment(last_text, tz)
        if last < first:
            raise _vary_error(f"{spec!r}: the range ends before it starts")
        dated = len(first_text.strip()) == 10 and len(last_text.strip()) == 10
        if seconds is None and dated:
            start_day = date.fromisoformat(first_text.strip())
            end_day = date.fromisoformat(last_text.strip())
            count = (end_day - start_day).days // days + 1
            start = int(datetime.combine(start_day, datetime.min.time(), UTC).timestamp())
            axes.append(Axis(name, index, start, days * DAY, count, True))
        else:
            size = seconds if seconds is not None else days * DAY
            axes.append(Axis(name, index, first, size, (last - first) // size + 1, False))
    return axes


@dataclass(frozen=True)
class Plan:
    """Everything a worker needs to compute a chunk: the scenario, its treaty, the axes and
    the interpretation."""

    scenario: Scenario
    treaty: Treaty
    axes: tuple[Axis, ...]
    interpretation: Interpretation

    @property
    def total(self) -> int:
        return math.prod(axis.count for axis in self.axes)

    def batch(self, begin: int, end: int) -> tuple[list[Instants], BatchOutcome]:
        """The outcomes of values ``begin`` to ``end`` (excluded) of the product."""
        tz = zone(self.treaty.timezone)
        table = zone_table(tz, 1900, 2200)
        index = np.arange(begin, end, dtype=np.int64)
        places = np.unravel_index(index, tuple(axis.count for axis in self.axes))
        base = base_instants(self.scenario, self.treaty)
        at = np.repeat(base[None, :], end - begin, axis=0)
        columns = []
        for axis, place in zip(self.axes, places, strict=True):
            column = axis.instants(np.asarray(place, dtype=np.int64), table)
            at[:, axis.action] = column
            columns.append(column)
        return columns, outcomes(self.scenario, self.treaty, at, None, self.interpretation)


def _iso_strings(seconds: Instants, tz: Any, dated: bool) -> npt.NDArray[np.str_]:
    """ISO 8601 with offset in the treaty's zone (``still`` where NONE is handled by the
    caller), formatted once per distinct value."""
    unique, inverse = np.unique(seconds, return_inverse=True)
    texts = []
    for value in unique:
        if value == NONE:
            texts.append("")
            continue
        moment = datetime.fromtimestamp(int(value), UTC).astimezone(tz)
        texts.append(moment.date().isoformat() if dated else moment.isoformat())
    return np.asarray(texts, dtype=object)[inverse]


def _chunk_text(plan: Plan, begin: int, end: int, fmt: str) -> tuple[str, int, int]:
    """A chunk's rows as CSV or JSON Lines, with the count of rows the engine ran and of
    errors."""
    columns, result = plan.batch(begin, end)
    tz = zone(plan.treaty.timezone)
    labels = [
        _iso_strings(column, tz, axis.by_days)
        for axis, column in zip(plan.axes, columns, strict=True)
    ]
    ended = _iso_strings(result.terminated_at, tz, False)
    bound = [_iso_strings(result.bound_until[:, p], tz, False) for p in range(len(result.parties))]
    rejections = result.rejections
    out = io.StringIO()
    for row in range(end - begin):
        error = result.errors.get(row)
        if fmt == "jsonl":
            document = {
                **{axis.field: label[row] for axis, label in zip(plan.axes, labels, strict=True)},
                "terminated_at": ended[row] or None,
                "bound_until": {p: bound[i][row] or None for i, p in enumerate(result.parties)},
                "rejections": None if error else int(rejections[row]),
                "error": error,
            }
            out.write(json.dumps(document, ensure_ascii=False) + "\n")
        else:
            cells = [label[row] for label in labels]
            if error:
                cells += ["", *("" for _ in result.parties), "", error]
            else:
                cells.append(ended[row] or "still in force")
                cells += [column[row] or "still bound" for column in bound]
                cells += [str(rejections[row]), ""]
            out.write(",".join(_csv_cell(cell) for cell in cells) + "\n")
    return out.getvalue(), result.engine_rows, len(result.errors)


def _csv_cell(cell: str) -> str:
    if any(c in cell for c in ',"\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _keys(result: BatchOutcome) -> npt.NDArray[np.int64]:
    """Each row's outcome as a row of integers (terminated_at, bound_until..., rejections;
    an error is -1 rejections)."""
    rejections = result.rejections.copy()
    for row in result.errors:
        rejections[row] = -1
    return np.column_stack([result.terminated_at, result.bound_until, rejections])


def _chunk_changes(plan: Plan, begin: int, end: int) -> tuple[list[int], list[list[int]], int]:
    """Where the outcome changes in a chunk: the row numbers that start a run (the first row
    always), each run's outcome, and the rows the engine ran."""
    _, result = plan.batch(begin, end)
    keys = _keys(result)
    change = np.flatnonzero((keys[1:] != keys[:-1]).any(axis=1)) + 1
    starts = np.concatenate([[0], change])
    return [begin + int(s) for s in starts], keys[starts].tolist(), result.engine_rows


def _jobs(total: int) -> Iterator[tuple[int, int]]:
    for begin in range(0, total, CHUNK):
        yield begin, min(total, begin + CHUNK)


_PLAN: Plan | None = None


def _init(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan


def _text_job(job: tuple[int, int, str]) -> tuple[str, int, int]:
    assert _PLAN is not None
    return _chunk_text(_PLAN, *job)


def _change_job(job: tuple[int, int]) -> tuple[list[int], list[list[int]], int]:
    assert _PLAN is not None
    return _chunk_changes(_PLAN, *job)


def _mapped(plan: Plan, function: Any, jobs: list[Any], workers: int, dask: str | None) -> Any:
    """The results of ``function`` over ``jobs``, in order: here, on ``workers`` processes,
    or on a Dask cluster (``dask``: an address, or ``local``)."""
    if dask is not None:
        from sim.commands.cluster import dask_map

        yield from dask_map(plan, function, jobs, dask)
        return
    from sim.commands.pool import ordered_map

    yield from ordered_map(_init, plan, function, jobs, workers)


def _bar(total: int, stream: TextIO) -> Any:
    if not stream.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, file=stream, unit="value", unit_scale=True, leave=False)


def run_sweep(
    source: Source,
    axes: list[Axis],
    fmt: str,
    summary: bool,
    out: TextIO,
    workers: int | None = None,
    dask: str | None = None,
    interpretation: Interpretation | None = None,
) -> int:
    """Stream the sweep's rows (``csv`` or ``jsonl``) or its cliffs (``summary``) to ``out``;
    the count of values the engine ran is said at the end (on stderr for rows)."""
    plan = Plan(
        source.scenario,
        source.treaty,
        tuple(axes),
        interpretation or source.scenario.interpretation,
    )
    total = plan.total
    workers = workers or min(os.cpu_count() or 1, 8)
    bar = _bar(total, sys.stderr)
    engine_rows = 0
    try:
        if not summary:
            if fmt == "csv":
                parties = source.treaty.party_names
                headers = [axis.field for axis in axes]
                headers += ["terminated at", *(f"{p} bound until" for p in parties)]
                headers += ["rejections", "error"]
                out.write(",".join(headers) + "\n")
            jobs = [(b, e, fmt) for b, e in _jobs(total)]
            for text, engine, _ in _mapped(plan, _text_job, jobs, workers, dask):
                out.write(text)
                engine_rows += engine
                if bar is not None:
                    bar.update(text.count("\n"))
            if engine_rows:
                sys.stderr.write(f"{engine_rows:,} of {total:,} values run by the engine\n")
            return 0
        starts: list[int] = []
        keys: list[list[int]] = []
        for chunk_starts, chunk_keys, engine in _mapped(
            plan, _change_job, list(_jobs(total)), workers, dask
        ):
            engine_rows += engine
            for start, key in zip(chunk_starts, chunk_keys, strict=True):
                if not keys or key != keys[-1]:
                    starts.append(start)
                    keys.append(key)
            if bar is not None:
                bar.update(CHUNK)
    finally:
        if bar is not None:
            bar.close()
    out.write(_summary(plan, starts, keys, total, engine_rows))
    return 0


def _label(plan: Plan, row: int) -> str:
    tz = zone(plan.treaty.timezone)
    table = zone_table(tz, 1900, 2200)
    places = np.unravel_index(np.array([row]), tuple(axis.count for axis in plan.axes))
    parts = []
    for axis, place in zip(plan.axes, places, strict=True):
        second = int(axis.instants(np.asarray(place, dtype=np.int64), table)[0])
        moment = datetime.fromtimestamp(second, UTC).astimezone(tz)
        parts.append(f"{axis.field}={moment.isoformat()}")
    return ", ".join(parts)


def _outcome_words(plan: Plan, key: list[int]) -> str:
    tz = zone(plan.treaty.timezone)

    def when(second: int) -> str:
        return datetime.fromtimestamp(second, UTC).astimezone(tz).isoformat()

    if key[-1] == -1:
        return "cannot be run (see the rows)"
    ended = "still in force" if key[0] == NONE else f"terminated at {when(key[0])}"
    parties = plan.treaty.party_names
    bound = "; ".join(
        f"{p} {'still bound' if s == NONE else 'bound until ' + when(s)}"
        for p, s in zip(parties, key[1:-1], strict=True)
    )
    return f"{ended}; {bound}; {key[-1]} rejected"


def _boundary(plan: Plan, row: int, key: list[int]) -> str | None:
    """The first instant of the last ``--vary`` at which the outcome becomes ``key``, found by
    bisection between the value before ``row`` and ``row``'s, other fields unchanged."""
    axis = plan.axes[-1]
    if row % axis.count == 0:
        return None
    tz = zone(plan.treaty.timezone)
    table = zone_table(tz, 1900, 2200)
    places = np.unravel_index(np.array([row - 1, row]), tuple(a.count for a in plan.axes))
    base = base_instants(plan.scenario, plan.treaty)
    at = np.repeat(base[None, :], 1, axis=0)
    for each, place in zip(plan.axes, places, strict=True):
        at[0, each.action] = each.instants(np.asarray(place[:1], dtype=np.int64), table)[0]
    low = int(axis.instants(np.asarray(places[-1][:1], dtype=np.int64), table)[0])
    high = int(axis.instants(np.asarray(places[-1][1:], dtype=np.int64), table)[0])
    while high - low > 1:
        middle = (low + high) // 2
        at[0, axis.action] = middle
        result = outcomes(plan.scenario, plan.treaty, at, None, plan.interpretation)
        if _keys(result)[0].tolist() == key:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC).astimezone(tz).isoformat()


def _summary(plan: Plan, starts: list[int], keys: list[list[int]], total: int, engine: int) -> str:
    fields = ", ".join(axis.field for axis in plan.axes)
    lines = [
        f"{plan.scenario.name}: {plan.treaty.name} ({plan.treaty.timezone}), varying {fields}: "
        f"{total:,} values, {len(starts)} range(s) with the same outcome, "
        f"{engine:,} run by the engine"
    ]
    for number, (start, key) in enumerate(zip(starts, keys, strict=True)):
        end = starts[number + 1] - 1 if number + 1 < len(starts) else total - 1
        if number:
            first = _boundary(plan, start, key)
            if first is not None:
                lines.append(f"  cliff: from {plan.axes[-1].field}={first}")
        lines.append(
            f"from {_label(plan, start)} to {_label(plan, end)} ({end - start + 1:,} values): "
            + _outcome_words(plan, key)
        )
    return "\n".join(lines) + "\n"


def midnight_seconds(day: date, tz: Any) -> int:
    return as_seconds(at_midnight(day, tz))


def command(args: Any) -> int:
    """``treaty-sim sweep``: the scaled path where every ``--vary`` is an action's instant and
    the output streams (csv, jsonl, --summary) or there are several ``--vary``, a step under a
    day or more values than a table holds; else one engine run per value (sim/sweep.py)."""
    from sim.source import load_source
    from sim.sweep import MAX_VALUES, parse_vary, render_sweep, sweep

    source = load_source(args.scenario)
    varies: list[str] = args.vary
    scaled = is_fast(varies) and all("=" in v for v in varies)
    simple = (
        len(varies) == 1
        and not args.summary
        and args.format != "jsonl"
        and sub_day_step(args.step) is None
    )
    streamed = args.format in ("csv", "jsonl") and not args.summary
    if simple:
        try:
            variation = parse_vary(varies[0], args.step, source)
        except InputError as error:
            too_many = error.field == "--vary" and f"{MAX_VALUES:,}" in error.message
            if not too_many:
                raise
            if not streamed:
                held = {"json": "a JSON document", "table": "a table"}.get(
                    args.format, f"a {args.format} table"
                )
                raise _vary_error(
                    f"more than {MAX_VALUES:,} values in {held}, which holds every row: choose "
                    "--format csv or jsonl (streamed, no limit), a shorter range or a longer --step"
                ) from None
            if not scaled:
                return _stream_values(source, varies[0], args)
        else:
            progress = args.format in ("table", "markdown") and sys.stderr.isatty()
            result = sweep(source, variation, progress=progress)
            sys.stdout.write(render_sweep(result, args.format).rstrip("\n") + "\n")
            return 0
    if not scaled and len(varies) == 1 and streamed:
        return _stream_values(source, varies[0], args)
    if not scaled:
        raise _vary_error(
            "several --vary, --summary and steps under a day need --vary of "
            "actions' instants (actions[N].at)"
        )
    axes = parse_axes(varies, args.step, source)
    if not args.summary and args.format not in ("csv", "jsonl"):
        total = math.prod(axis.count for axis in axes)
        raise InputError(
            _ARGUMENT,
            1,
            1,
            "--format",
            f"{total:,} values in a {args.format} table: choose --format csv or jsonl "
            "(streamed), or --summary",
        )
    return run_sweep(source, axes, args.format, args.summary, sys.stdout, args.jobs, args.dask)


def _stream_values(source: Source, vary: str, args: Any) -> int:
    """A sweep of any other field, one engine run per value, streamed with no cap
    (sim/commands/sweep_values.py)."""
    from sim.commands.sweep_values import stream_values
    from sim.sweep import parse_vary

    if args.dask is not None:
        raise InputError(
            _ARGUMENT, 1, 1, "--dask", "applies to sweeps of actions' instants (actions[N].at)"
        )
    variation = parse_vary(vary, args.step, source, limit=None)
    return stream_values(source, variation, args.format, sys.stdout, args.jobs)
