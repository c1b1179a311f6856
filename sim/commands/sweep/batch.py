"""The batch path of ``treaty-sim sweep``: every ``--vary`` names an action's instant
(``actions[N].at``), so each value is a row of instants given to the vectorised path
(:func:`sim.engines.vector.outcomes`), which runs a whole chunk of values at once.

The values are never all held: they are numbered in the order of the product (the first
``--vary`` outermost) and cut into chunks of :data:`CHUNK` rows; each chunk is computed in a
worker process (or here) and comes back, in order, as text (CSV or JSON Lines, written column
by column, :mod:`sim.commands.sweep.columns`), as typed columns (Parquet, one row group per
chunk), or as the few places where the outcome changes (``--summary``). Memory is that of a
few chunks, whatever the number of values.

The cliffs of a ``--summary`` are found to the second: where two neighbouring values of the
last ``--vary`` give different outcomes, the first instant with the new outcome is found by
bisection between them (GSOMIA 2019: ``2019-08-25T00:00:00+09:00``, PRODUCT.md "Counting").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.commands.sweep import columns
from sim.commands.sweep.vary import InstantRange, Stepped, Variation
from sim.core.dates import as_instant, zone
from sim.core.model import Interpretation, Scenario, Treaty
from sim.core.zone_table import DAY, ZoneTable
from sim.engines.vector import BatchOutcome, base_instants, outcomes

__all__ = ["CHUNK", "Axis", "Plan", "Range", "axis_of"]

CHUNK = 1 << 17
STILL_IN_FORCE = "still in force"
STILL_BOUND = "still bound"

Seconds = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Axis:
    """One ``--vary`` of an action's instant: its values are ``start + k·step`` UTC seconds,
    or 00:00 local of ``start``'s date + k·``step`` days (``by_days``), or the explicit
    ``values`` (labelled as written, ``labels``)."""

    field: str
    action: int
    start: int
    step: int
    count: int
    by_days: bool
    values: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()

    def bounds(self) -> tuple[int, int]:
        """The earliest and latest value, in UTC seconds (a day's start for ``by_days``)."""
        if self.values:
            return min(self.values), max(self.values)
        return self.start, self.start + (self.count - 1) * self.step

    def instants(self, index: Seconds, table: ZoneTable) -> Seconds:
        if self.values:
            return np.asarray(self.values, dtype=np.int64)[index]
        if self.by_days:
            first = self.start // DAY
            return np.asarray(table.midnight(first + index * (self.step // DAY)), dtype=np.int64)
        return self.start + index * self.step

    def cells(self, index: Seconds, seconds: Seconds, table: ZoneTable) -> columns.Cells:
        """The labels of the values ``index`` (at ``seconds``), as a column of text."""
        if self.labels:
            return columns.distinct(self.labels, index)
        return columns.iso(seconds, table, dated=self.by_days)


def axis_of(variation: Variation, timezone: str) -> Axis:
    """The batch's reading of a ``--vary`` of ``actions[N].at``."""
    action = variation.action
    assert action is not None
    values = variation.values
    count = len(values)
    if isinstance(values, InstantRange):
        return Axis(variation.field, action, values.first, values.step, count, False)
    if isinstance(values, Stepped) and isinstance(values.first, date) and not values.step.months:
        start = int(datetime.combine(values.first, datetime.min.time(), UTC).timestamp())
        return Axis(variation.field, action, start, values.step.days * DAY, count, True)
    tz = zone(timezone)
    # each value was read as an instant by parse_vary
    seconds = [int(as_instant(value.label, tz).timestamp()) for value in values]
    labels = tuple(value.label for value in values)
    return Axis(variation.field, action, 0, 0, count, False, tuple(seconds), labels)


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

    @property
    def table(self) -> ZoneTable:
        """The zone's offsets over the years of the values, a year either side."""
        low = min(axis.bounds()[0] for axis in self.axes)
        high = max(axis.bounds()[1] for axis in self.axes)
        first = datetime.fromtimestamp(low, UTC).year - 1
        last = datetime.fromtimestamp(high, UTC).year + 2
        return columns.table_of(zone(self.treaty.timezone), first, last)

    def places(self, index: Seconds) -> tuple[Seconds, ...]:
        """Each value's place on each axis."""
        shape = tuple(axis.count for axis in self.axes)
        return tuple(np.asarray(p, dtype=np.int64) for p in np.unravel_index(index, shape))

    def batch(self, begin: int, end: int) -> tuple[list[Seconds], list[Seconds], BatchOutcome]:
        """The places, instants and outcomes of values ``begin`` to ``end`` (excluded)."""
        table = self.table
        places = self.places(np.arange(begin, end, dtype=np.int64))
        base = base_instants(self.scenario, self.treaty)
        at = np.repeat(base[None, :], end - begin, axis=0)
        instants = []
        for axis, place in zip(self.axes, places, strict=True):
            column = axis.instants(place, table)
            at[:, axis.action] = column
            instants.append(column)
        result = outcomes(self.scenario, self.treaty, at, None, self.interpretation)
        return list(places), instants, result

    def instant(self, row: int, axis: int) -> int:
        """The instant of value ``row`` on axis ``axis``."""
        place = self.places(np.array([row], dtype=np.int64))[axis]
        return int(self.axes[axis].instants(place, self.table)[0])


def chunk_text(plan: Plan, begin: int, end: int, fmt: str) -> tuple[str, int, int]:
    """A chunk's rows as CSV or JSON Lines, with the count of rows the engine ran and of
    errors. Every cell but an error is written column by column."""
    places, instants, result = plan.batch(begin, end)
    table = plan.table
    tz = zone(plan.treaty.timezone)
    rows = end - begin
    labels = [
        axis.cells(place, seconds, table)
        for axis, place, seconds in zip(plan.axes, places, instants, strict=True)
    ]
    failed = np.zeros(rows, bool)
    failed[list(result.errors)] = True
    if fmt == "jsonl":
        import json

        def text(piece: str) -> columns.Cells:
            return columns.constant(piece, rows)

        pieces = [text("{")]
        for number, (axis, label) in enumerate(zip(plan.axes, labels, strict=True)):
            pieces += [text(", " * bool(number) + json.dumps(axis.field) + ': "'), label, text('"')]
        pieces += [text(', "terminated_at": '), columns.few(result.terminated_at, tz, "null", '"')]
        pieces.append(text(', "bound_until": {'))
        for number, party in enumerate(result.parties):
            pieces.append(text(", " * bool(number) + json.dumps(party) + ": "))
            pieces.append(columns.few(result.bound_until[:, number], tz, "null", '"'))
        counts = np.where(failed, -1, result.rejections)
        rejected = columns.distinct(*_numbers(counts, {-1: "null"}))
        pieces += [text('}, "rejections": '), rejected, text(', "error": null}')]
        lines = columns.joined(pieces, separator="", end="\n")
        if result.errors:
            lines = _replace_rows(lines, _json_error_rows(plan, places, instants, result))
        return lines, result.engine_rows, len(result.errors)
    ended = columns.few(result.terminated_at, tz, STILL_IN_FORCE)
    bound = [
        columns.few(result.bound_until[:, p], tz, STILL_BOUND) for p in range(len(result.parties))
    ]
    rejections = columns.distinct(*_numbers(result.rejections, {}))
    lines = columns.joined([*labels, ended, *bound, rejections, columns.constant("", rows)])
    if result.errors:
        lines = _replace_rows(lines, _csv_error_rows(plan, places, instants, result))
    return lines, result.engine_rows, len(result.errors)


def _numbers(values: Seconds, words: dict[int, str]) -> tuple[list[str], Seconds]:
    distinct, which = np.unique(values, return_inverse=True)
    texts = [words.get(int(v), str(int(v))) for v in distinct]
    return texts, which.reshape(-1)


def _replace_rows(text: str, replacements: dict[int, str]) -> str:
    lines = text.split("\n")
    for row, line in replacements.items():
        lines[row] = line
    return "\n".join(lines)


def _labels_of(plan: Plan, places: list[Seconds], instants: list[Seconds], row: int) -> list[str]:
    table = plan.table
    index = np.array([row])
    text = [
        columns.joined([axis.cells(place[index], seconds[index], table)], end="")
        for axis, place, seconds in zip(plan.axes, places, instants, strict=True)
    ]
    return text


def _csv_error_rows(
    plan: Plan, places: list[Seconds], instants: list[Seconds], result: BatchOutcome
) -> dict[int, str]:
    import csv
    import io

    out: dict[int, str] = {}
    for row, error in result.errors.items():
        buffer = io.StringIO()
        cells = [*_labels_of(plan, places, instants, row), "", *("" for _ in result.parties)]
        csv.writer(buffer, lineterminator="").writerow([*cells, "", error])
        out[row] = buffer.getvalue()
    return out


def _json_error_rows(
    plan: Plan, places: list[Seconds], instants: list[Seconds], result: BatchOutcome
) -> dict[int, str]:
    import json

    out: dict[int, str] = {}
    for row, error in result.errors.items():
        labels = _labels_of(plan, places, instants, row)
        document = {
            **{axis.field: label for axis, label in zip(plan.axes, labels, strict=True)},
            "terminated_at": None,
            "bound_until": dict.fromkeys(result.parties),
            "rejections": None,
            "error": error,
        }
        out[row] = json.dumps(document, ensure_ascii=False)
    return out


def chunk_columns(plan: Plan, begin: int, end: int) -> tuple[dict[str, Any], int, int]:
    """A chunk as typed columns for Parquet: UTC seconds (``NONE``: null) of each axis, of
    ``terminated_at`` and of each party's ``bound_until``, the rejections (-1 where the
    value could not be run) and the errors by row."""
    _, instants, result = plan.batch(begin, end)
    rejections = result.rejections.copy()
    rejections[list(result.errors)] = -1
    data: dict[str, Any] = {
        "axes": instants,
        "terminated_at": result.terminated_at,
        "bound_until": result.bound_until,
        "rejections": rejections,
        "errors": dict(result.errors),
    }
    return data, result.engine_rows, len(result.errors)


def keys(result: BatchOutcome) -> Seconds:
    """Each row's outcome as a row of integers (terminated_at, bound_until..., rejections;
    an error is -1 rejections)."""
    rejections = result.rejections.copy()
    for row in result.errors:
        rejections[row] = -1
    return np.column_stack([result.terminated_at, result.bound_until, rejections])


def chunk_changes(plan: Plan, begin: int, end: int) -> tuple[list[int], list[list[int]], int]:
    """Where the outcome changes in a chunk: the row numbers that start a run (the first row
    always), each run's outcome, and the rows the engine ran."""
    _, _, result = plan.batch(begin, end)
    found = keys(result)
    change = np.flatnonzero((found[1:] != found[:-1]).any(axis=1)) + 1
    starts = np.concatenate([[0], change])
    return [begin + int(s) for s in starts], found[starts].tolist(), result.engine_rows


@dataclass(frozen=True)
class Range:
    """Values ``first`` to ``last`` (row numbers, included) with the same ``outcome``
    (terminated_at, bound_until..., rejections; -1 rejections: cannot be run), and the
    first instant of the last ``--vary`` with that outcome (``cliff``) where it follows a
    different outcome on the same line of the product."""

    first: int
    last: int
    outcome: tuple[int, ...]
    cliff: int | None


def cliff(plan: Plan, row: int, outcome: list[int]) -> int | None:
    """The first instant of the last ``--vary`` at which the outcome becomes ``outcome``,
    found by bisection between the value before ``row`` and ``row``'s, other fields
    unchanged."""
    axis = plan.axes[-1]
    if row % axis.count == 0:
        return None
    table = plan.table
    places = plan.places(np.array([row - 1, row], dtype=np.int64))
    base = base_instants(plan.scenario, plan.treaty)
    at = np.repeat(base[None, :], 1, axis=0)
    for each, place in zip(plan.axes, places, strict=True):
        at[0, each.action] = each.instants(place[:1], table)[0]
    low = int(axis.instants(places[-1][:1], table)[0])
    high = int(axis.instants(places[-1][1:], table)[0])
    while high - low > 1:
        middle = (low + high) // 2
        at[0, axis.action] = middle
        result = outcomes(plan.scenario, plan.treaty, at, None, plan.interpretation)
        if keys(result)[0].tolist() == outcome:
            high = middle
        else:
            low = middle
    return high


def ranges(plan: Plan, starts: list[int], found: list[list[int]]) -> list[Range]:
    """The runs of values with the same outcome, each with its cliff."""
    total = plan.total
    result = []
    for number, (start, outcome) in enumerate(zip(starts, found, strict=True)):
        last = starts[number + 1] - 1 if number + 1 < len(starts) else total - 1
        edge = cliff(plan, start, outcome) if number else None
        result.append(Range(start, last, tuple(outcome), edge))
    return result
