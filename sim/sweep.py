"""What-if sweeps: run a scenario once per value of one field and tabulate the outcomes
(PRODUCT.md, "Commands": ``treaty-sim sweep SCENARIO --vary 'FIELD=SPEC' [--step 1d]``).

``FIELD`` is a path into the scenario as its errors name it: ``actions[0].at``, ``horizon``,
``treaty.in_force``, ``treaty.clause.notice`` (when the scenario names a built-in treaty, the
resolved treaty is varied). ``SPEC`` is one of:

- a range of dates ``2019-08-01..2019-09-30``, both ends included, stepped by ``--step``
  (a duration, default ``1d``); the k-th value is ``start + k·step`` reckoned from the start,
  as term ends are reckoned from entry into force, so a monthly step from 31 January gives
  28/29 February, then 31 March;
- a range of durations ``80d..100d`` (or ``1y..3y`` with ``--step 1y``), both ends included;
- a list of values ``a,b,c``, each written as it would be in the scenario file.

Each varied scenario is validated again as a whole: a value the scenario does not accept (a
clause that becomes incoherent, an action after the horizon) is reported on its own row, and
the sweep goes on.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TextIO

from sim import library
from sim.core.dates import UTC, DateError, Duration, add, at_midnight, iso
from sim.core.model import Scenario
from sim.errors import InputError, InputErrors
from sim.loader import Loaded, field_name, validate
from sim.render import bound_through, dumps, ended, render_rows
from sim.source import Source, check_parties, simulate

__all__ = [
    "MAX_VALUES",
    "SweepResult",
    "SweepRow",
    "Variation",
    "parse_vary",
    "render_sweep",
    "sweep",
    "sweep_json",
]

MAX_VALUES = 10_000
"""A sweep over more values than this is refused: choose a shorter range or a longer step."""

STILL_IN_FORCE = "still in force"
STILL_BOUND = "still bound"

_ARGUMENT = "(command line)"
_FIELD = re.compile(r"^[A-Za-z_]\w*(\[\d+\])*(\.[A-Za-z_]\w*(\[\d+\])*)*$")
_PART = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")
_EXAMPLE = (
    "e.g. --vary 'actions[0].at=2019-08-01..2019-09-30' or --vary 'treaty.clause.notice=80d..100d'"
)

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Value:
    """One value of the varied field: as the rows show it, and as it is given to the
    scenario (a date, a duration, or text as written in a scenario file)."""

    label: str
    value: date | Duration | str


@dataclass(frozen=True)
class Variation:
    """The field a sweep varies (``path`` into the scenario, ``field`` as the user wrote it)
    and its values, in order."""

    field: str
    path: Path_
    values: Sequence[Value]


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


def _vary_error(message: str) -> InputError:
    return InputError(_ARGUMENT, 1, 1, "--vary", message)


def _step_error(message: str) -> InputError:
    return InputError(_ARGUMENT, 1, 1, "--step", message)


def _parse_path(text: str) -> Path_:
    """``actions[0].at`` as ``("actions", 0, "at")``."""
    if not _FIELD.match(text):
        raise _vary_error(
            f"{text!r} is not a field path: write names and indexes such as actions[0].at"
        )
    return tuple(name if name else int(index) for name, index in _PART.findall(text))


def _base_data(source: Source, path: Path_) -> dict[str, Any]:
    """The scenario as plain data, ready to be varied at ``path`` and validated again. A field
    of a built-in treaty is varied on the resolved treaty, written inline."""
    data = source.scenario.model_dump()
    if path[0] == "treaty" and len(path) > 1 and isinstance(source.scenario.treaty, str):
        data["treaty"] = source.treaty.model_dump()
    return data


def _check_path(data: dict[str, Any], path: Path_) -> None:
    """Refuse a path that names no single value of the scenario, with a hint for a typo."""
    current: Any = data
    for depth, part in enumerate(path):
        here = field_name(path[:depth]) if depth else "the scenario"
        if isinstance(part, str):
            if not isinstance(current, dict):
                raise _vary_error(f"{field_name(path[: depth + 1])}: {here} has no fields")
            if part not in current:
                known = list(current)
                close = difflib.get_close_matches(part, known, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise _vary_error(
                    f"unknown field '{part}' in {here}{hint} (known: {', '.join(known)})"
                )
        else:
            if not isinstance(current, list):
                raise _vary_error(f"{field_name(path[: depth + 1])}: {here} is not a list")
            if part >= len(current):
                count = len(current)
                which = f"{here}[0] to {here}[{count - 1}]" if count else "none"
                raise _vary_error(
                    f"{field_name(path[: depth + 1])}: {here} has {count} item(s) ({which})"
                )
        current = current[part]
        if current is None and depth < len(path) - 1:
            raise _vary_error(
                f"{field_name(path)}: {field_name(path[: depth + 1])} is not set in the scenario"
            )
    if isinstance(current, (dict, list)):
        raise _vary_error(
            f"{field_name(path)} is not a single value: vary one of its "
            + ("fields" if isinstance(current, dict) else "items")
        )


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None


def _duration(text: str) -> Duration | None:
    try:
        return Duration.parse(text)
    except DateError:
        return None


def _duration_label(duration: Duration) -> str:
    """A duration in the units a reader counts in (years or months, then days: never weeks,
    so that ``91d`` is not shown as ``13w``)."""
    years, months = divmod(duration.months, 12)
    text = f"{years}y" if years and not months else f"{duration.months}mo" if months else ""
    return text + (f"{duration.days}d" if duration.days else "")


def _parse_step(step: str | None) -> Duration:
    if step is None:
        return Duration(days=1)
    parsed = _duration(step)
    if parsed is None:
        raise _step_error(f"{step!r} is not a duration: write 1d, 1w, 1mo, 1y or P1D")
    return parsed


def _too_many() -> InputError:
    return _vary_error(
        f"more than {MAX_VALUES:,} values: choose a shorter range or a longer --step"
    )


class _Stepped(Sequence[Value]):
    """``first + k·step`` for k below ``count``, each made when asked for: a range of any
    length holds no values (sweep at scale streams them, sim/commands/sweep_values.py)."""

    def __init__(self, first: date | Duration, step: Duration, count: int) -> None:
        self.first, self.step, self.size = first, step, count

    def __len__(self) -> int:
        return self.size

    def value(self, k: int) -> Value:
        if isinstance(self.first, date):
            day = add(at_midnight(self.first, UTC), self.step * k).date()
            return Value(day.isoformat(), day)
        duration = self.first + self.step * k
        return Value(_duration_label(duration), duration)

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return [self.value(i) for i in range(*k.indices(self.size))]
        if not -self.size <= k < self.size:
            raise IndexError(k)
        return self.value(k % self.size)


def _date_range(first: date, last: date, step: Duration, limit: int | None) -> Sequence[Value]:
    """``first + k·step`` for k = 0, 1, ... up to ``last`` included, each reckoned from
    ``first`` (calendar arithmetic, PRODUCT.md "Time"). The count is found by bisection:
    ``first + k·step`` grows with k."""
    if last < first:
        raise _vary_error(f"the range ends ({last}) before it starts ({first})")
    start = at_midnight(first, UTC)

    def within(k: int) -> bool:
        try:
            return add(start, step * k).date() <= last
        except DateError:
            return False

    shortest = step.months * 28 + step.days
    low, high = 0, (last - first).days // max(1, shortest) + 2  # within(low), not within(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if within(middle) else (low, middle)
    if limit is not None and low + 1 > limit:
        raise _too_many()
    return _Stepped(first, step, low + 1)


def _duration_range(
    first: Duration, last: Duration, step: Duration, text: str, limit: int | None
) -> Sequence[Value]:
    """``first + k·step`` up to ``last`` included. Months and days are not interchangeable
    (a month is 28 to 31 days), so each part of the step must carry its own part of the
    range: ``1y..18mo`` needs a step in months, ``80d..100d`` one in days."""
    if last.months <= first.months and last.days <= first.days and last != first:
        raise _vary_error(f"{text}: the range ends before it starts")
    if last.months < first.months or last.days < first.days:
        raise _vary_error(
            f"{text}: months and days cannot be compared (a month is 28 to 31 days): "
            "write both ends in the same unit"
        )
    counts = []
    for span, size, unit in (
        (last.months - first.months, step.months, "months"),
        (last.days - first.days, step.days, "days"),
    ):
        if size:
            counts.append(span // size)
        elif span:
            raise _step_error(
                f"a step of {_duration_label(step)} cannot go from {_duration_label(first)} "
                f"to {_duration_label(last)}: the range differs in {unit}, the step has none"
            )
    count = min(counts) + 1 if counts else 1
    if limit is not None and count > limit:
        raise _too_many()
    return _Stepped(first, step, count)


def _parse_spec(spec: str, step: str | None, limit: int | None) -> Sequence[Value]:
    if ".." in spec:
        start_text, _, end_text = spec.partition("..")
        if ".." in end_text:
            raise _vary_error(f"{spec!r}: a range has one '..' (A..B)")
        increment = _parse_step(step)
        first_day, last_day = _date(start_text), _date(end_text)
        if first_day is not None and last_day is not None:
            return _date_range(first_day, last_day, increment, limit)
        first, last = _duration(start_text), _duration(end_text)
        if first is not None and last is not None:
            return _duration_range(first, last, increment, spec, limit)
        raise _vary_error(
            f"{spec!r} is not a range of dates (2019-08-01..2019-09-30) or of durations (80d..100d)"
        )
    if step is not None:
        raise _step_error("--step applies only to a range A..B, not to a list of values")
    items = [item.strip() for item in spec.split(",")]
    if any(not item for item in items):
        raise _vary_error(f"{spec!r}: an empty value in the list (write a,b,c)")
    if limit is not None and len(items) > limit:
        raise _too_many()
    return [Value(item, item) for item in items]


def parse_vary(
    vary: str, step: str | None, source: Source, limit: int | None = MAX_VALUES
) -> Variation:
    """Read ``--vary 'FIELD=SPEC'`` (and ``--step``) against the scenario it varies; an
    :class:`InputError` on field ``--vary`` (or ``--step``) otherwise, or where there are
    more than ``limit`` values (None: no limit, for a streamed sweep)."""
    name, equals, spec = vary.partition("=")
    name, spec = name.strip(), spec.strip()
    if not equals or not name or not spec:
        raise _vary_error(f"{vary!r}: write FIELD=SPEC, {_EXAMPLE}")
    path = _parse_path(name)
    _check_path(_base_data(source, path), path)
    return Variation(name, path, _parse_spec(spec, step, limit))


def _set(data: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _varied(source: Source, base: dict[str, Any], variation: Variation, value: Value) -> Source:
    """The source with the varied scenario, validated again as a whole."""
    data = copy.deepcopy(base)
    _set(data, variation.path, value.value)
    loaded = Loaded(_ARGUMENT, data)
    scenario: Scenario = validate(loaded, Scenario)
    if scenario.treaty == source.scenario.treaty:
        treaty = source.treaty
    else:
        try:
            treaty = library.resolve(scenario)
        except ValueError as error:
            raise InputError(_ARGUMENT, 1, 1, "treaty", str(error)) from None
    check_parties(scenario, treaty, loaded)
    return dataclasses.replace(source, scenario=scenario, treaty=treaty)


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
    base = _base_data(source, variation.path)
    rows: list[SweepRow] = []
    parties: dict[str, None] = dict.fromkeys(source.treaty.party_names)
    bar = _Progress(len(variation.values), progress, sys.stderr)
    try:
        for value in variation.values:
            try:
                timeline = simulate(_varied(source, base, variation, value))
            except (InputError, InputErrors) as error:
                rows.append(SweepRow(value.label, error=_problem(error)))
            else:
                parties.update(dict.fromkeys(timeline.parties))
                rows.append(
                    SweepRow(
                        value.label,
                        timeline.terminated_at,
                        dict(timeline.bound_until),
                        len(timeline.rejections),
                    )
                )
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
