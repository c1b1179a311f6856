"""``--vary 'FIELD=SPEC'`` and ``--step``: the one reading of what a sweep varies, for both
paths of :mod:`sim.commands.sweep`.

``FIELD`` is a path into the scenario as its errors name it: ``actions[0].at``, ``horizon``,
``treaty.in_force``, ``treaty.clause.notice`` (when the scenario names a built-in treaty, the
resolved treaty is varied). ``SPEC`` is one of:

- a range of dates ``2019-08-01..2019-09-30``, both ends included, stepped by ``--step`` (a
  duration, default ``1d``); the k-th value is ``start + k·step`` reckoned from the start, as
  term ends are reckoned from entry into force, so a monthly step from 31 January gives
  28/29 February, then 31 March;
- a range of instants: date-times ``2019-08-24T23:58..2019-08-25T00:01`` (local in the
  treaty's zone), or dates with a step under a day (``--step 1min``, ``30s``, ``2h``,
  ``PT1M``): ``first + k·step`` seconds of elapsed time;
- a range of durations ``80d..100d`` (or ``1y..3y`` with ``--step 1y``), both ends included;
- a list of values ``a,b,c``, each written as it would be in the scenario file.

A range holds no values: each is made when asked for, so a range of any length costs nothing
until it runs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sim.core.dates import UTC, DateError, Duration, add, as_instant, at_midnight, iso, zone
from sim.errors import InputError
from sim.loader import field_name
from sim.source import Source

__all__ = [
    "ARGUMENT",
    "InstantRange",
    "Stepped",
    "Value",
    "Variation",
    "action_instant",
    "duration_label",
    "parse_varies",
    "parse_vary",
    "scenario_data",
]

ARGUMENT = "(command line)"
"""Where a command-line mistake is located (``FILE`` of the one-line error)."""

_FIELD = re.compile(r"^[A-Za-z_]\w*(\[\d+\])*(\.[A-Za-z_]\w*(\[\d+\])*)*$")
_PART = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")
_SUB_DAY = re.compile(r"^\s*(\d+)\s*(s|min|h)\s*$")
_ISO_TIME = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
_SECONDS = {"s": 1, "min": 60, "h": 3600}
_EXAMPLE = (
    "e.g. --vary 'actions[0].at=2019-08-01..2019-09-30' or --vary 'treaty.clause.notice=80d..100d'"
)
_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Value:
    """One value of the varied field: as the rows show it, and as it is given to the
    scenario (a date, an instant, a duration, or text as written in a scenario file)."""

    label: str
    value: date | datetime | Duration | str


@dataclass(frozen=True)
class Variation:
    """The field a sweep varies (``path`` into the scenario, ``field`` as the user wrote it)
    and its values, in order."""

    field: str
    path: Path_
    values: Sequence[Value]

    @property
    def action(self) -> int | None:
        """The action whose instant is varied (``actions[N].at``), or None for any other
        field."""
        return action_instant(self.path)


def action_instant(path: Path_) -> int | None:
    """N where ``path`` is ``actions[N].at``, else None."""
    if len(path) == 3 and path[0] == "actions" and path[2] == "at" and isinstance(path[1], int):
        return path[1]
    return None


class _Problem(Exception):
    """What is wrong with one part of a ``--vary`` (or with ``--step``)."""

    def __init__(self, message: str, option: str = "--vary") -> None:
        super().__init__(message)
        self.message = message
        self.option = option


def duration_label(duration: Duration) -> str:
    """A duration in the units a reader counts in (years or months, then days: never weeks,
    so that ``91d`` is not shown as ``13w``)."""
    years, months = divmod(duration.months, 12)
    text = f"{years}y" if years and not months else f"{duration.months}mo" if months else ""
    return text + (f"{duration.days}d" if duration.days else "")


class _Lazy(Sequence[Value]):
    """Values made when asked for: the k-th by :meth:`value`, for k below ``size``."""

    size: int

    def __len__(self) -> int:
        return self.size

    def value(self, k: int) -> Value:
        raise NotImplementedError

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return [self.value(i) for i in range(*k.indices(self.size))]
        if not -self.size <= k < self.size:
            raise IndexError(k)
        return self.value(k % self.size)


class Stepped(_Lazy):
    """``first + k·step`` for k below ``count``: dates by calendar arithmetic from ``first``
    (PRODUCT.md "Time"), durations by adding the step."""

    def __init__(self, first: date | Duration, step: Duration, count: int) -> None:
        self.first, self.step, self.size = first, step, count

    def value(self, k: int) -> Value:
        if isinstance(self.first, date):
            day = add(at_midnight(self.first, UTC), self.step * k).date()
            return Value(day.isoformat(), day)
        duration = self.first + self.step * k
        return Value(duration_label(duration), duration)


class InstantRange(_Lazy):
    """``first + k·step`` UTC seconds for k below ``count`` (elapsed time, not wall clock),
    each labelled as an ISO 8601 instant in ``timezone``."""

    def __init__(self, first: int, step: int, count: int, timezone: str) -> None:
        self.first, self.step, self.size, self.timezone = first, step, count, timezone

    def value(self, k: int) -> Value:
        moment = datetime.fromtimestamp(self.first + k * self.step, UTC)
        return Value(iso(moment.astimezone(zone(self.timezone))), moment)


def _parse_path(text: str) -> Path_:
    """``actions[0].at`` as ``("actions", 0, "at")``."""
    if not _FIELD.match(text):
        raise _Problem("not a field path: write names and indexes such as actions[0].at")
    return tuple(name if name else int(index) for name, index in _PART.findall(text))


def scenario_data(source: Source, path: Path_) -> dict[str, Any]:
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
                raise _Problem(f"{here} has no fields")
            if part not in current:
                known = list(current)
                close = difflib.get_close_matches(part, known, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                listed = ", ".join(known)
                raise _Problem(f"unknown field '{part}' in {here}{hint} (known: {listed})")
        else:
            if not isinstance(current, list):
                raise _Problem(f"{here} is not a list")
            if part >= len(current):
                count = len(current)
                which = f"{here}[0] to {here}[{count - 1}]" if count else "none"
                raise _Problem(f"{here} has {count} item(s) ({which})")
        current = current[part]
        if current is None and depth < len(path) - 1:
            raise _Problem(f"{field_name(path[: depth + 1])} is not set in the scenario")
    if isinstance(current, (dict, list)):
        raise _Problem(
            "not a single value: vary one of its "
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


def sub_day_step(text: str | None) -> int | None:
    """A step shorter than a day, in seconds (``1min``, ``30s``, ``2h``, ``PT1M``), or None."""
    if text is None:
        return None
    short = _SUB_DAY.match(text)
    if short:
        return int(short.group(1)) * _SECONDS[short.group(2)]
    iso_time = _ISO_TIME.match(text.strip().upper())
    if iso_time and any(iso_time.groups()):
        hours, minutes, seconds = (int(g) if g else 0 for g in iso_time.groups())
        return hours * 3600 + minutes * 60 + seconds
    return None


@dataclass(frozen=True)
class _Step:
    """``--step``: seconds (a step under a day) or a calendar duration (default 1 day)."""

    seconds: int | None
    duration: Duration


def _parse_step(step: str | None) -> _Step:
    if step is None:
        return _Step(None, Duration(days=1))
    seconds = sub_day_step(step)
    if seconds == 0:
        raise _Problem(f"{step!r}: a step must be longer than zero", "--step")
    if seconds is not None:
        return _Step(seconds, Duration(days=1))
    parsed = _duration(step)
    if parsed is None:
        raise _Problem(
            f"{step!r} is not a duration: write 1min, 30s, 1h, 1d, 1w, 1mo, 1y or P1D", "--step"
        )
    return _Step(None, parsed)


def _date_range(first: date, last: date, step: Duration) -> Sequence[Value]:
    """``first + k·step`` for k = 0, 1, ... up to ``last`` included, each reckoned from
    ``first`` (calendar arithmetic, PRODUCT.md "Time"). The count is found by bisection:
    ``first + k·step`` grows with k."""
    if last < first:
        raise _Problem(f"the range ends ({last}) before it starts ({first})")
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
    return Stepped(first, step, low + 1)


def _instant_range(first: int, last: int, step: _Step, timezone: str) -> Sequence[Value]:
    if last < first:
        raise _Problem("the range ends before it starts")
    size = step.seconds
    if size is None:
        if step.duration.months:
            raise _Problem(
                "a range of date-times steps by seconds, minutes, hours, days or weeks "
                "(--step 30s, 1min, 1h, 1d, 1w), not by months",
            )
        size = step.duration.days * 86_400
    return InstantRange(first, size, (last - first) // size + 1, timezone)


def _duration_range(first: Duration, last: Duration, step: Duration) -> Sequence[Value]:
    """``first + k·step`` up to ``last`` included. Months and days are not interchangeable
    (a month is 28 to 31 days), so each part of the step must carry its own part of the
    range: ``1y..18mo`` needs a step in months, ``80d..100d`` one in days."""
    if last.months <= first.months and last.days <= first.days and last != first:
        raise _Problem("the range ends before it starts")
    if last.months < first.months or last.days < first.days:
        raise _Problem(
            "months and days cannot be compared (a month is 28 to 31 days): "
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
            raise _Problem(
                f"a step of {duration_label(step)} cannot go from {duration_label(first)} "
                f"to {duration_label(last)}: the range differs in {unit}, the step has none",
                "--step",
            )
    return Stepped(first, step, min(counts) + 1 if counts else 1)


def _moment(text: str, timezone: str) -> int | None:
    try:
        return int(as_instant(text.strip(), zone(timezone)).timestamp())
    except DateError:
        return None


def _instant_text(text: str, timezone: str) -> None:
    """Refuse a value of an action's instant that is not a date or a date-time."""
    try:
        as_instant(text, zone(timezone))
    except DateError as error:
        raise _Problem(f"value {text!r}: {error}") from None


def _parse_spec(spec: str, step_text: str | None, timezone: str) -> Sequence[Value]:
    if ".." not in spec:
        if step_text is not None:
            raise _Problem("--step applies only to a range A..B, not to a list of values", "--step")
        items = [item.strip() for item in spec.split(",")]
        if any(not item for item in items):
            raise _Problem("an empty value in the list (write a,b,c)")
        return [Value(item, item) for item in items]
    first_text, _, last_text = spec.partition("..")
    if ".." in last_text:
        raise _Problem("a range has one '..' (A..B)")
    step = _parse_step(step_text)
    first_day, last_day = _date(first_text), _date(last_text)
    if first_day is not None and last_day is not None and step.seconds is None:
        return _date_range(first_day, last_day, step.duration)
    first, last = _duration(first_text), _duration(last_text)
    if first is not None and last is not None:
        if step.seconds is not None:
            raise _Problem("a range of durations steps by days, months or years", "--step")
        return _duration_range(first, last, step.duration)
    first_second, last_second = _moment(first_text, timezone), _moment(last_text, timezone)
    if first_second is not None and last_second is not None:
        return _instant_range(first_second, last_second, step, timezone)
    raise _Problem(
        "not a range of dates (2019-08-01..2019-09-30), of date-times "
        "(2019-08-24T23:58..2019-08-25T00:01) or of durations (80d..100d)"
    )


def parse_vary(
    vary: str, step: str | None, source: Source, number: int = 0, taken: Sequence[Path_] = ()
) -> Variation:
    """Read ``--vary 'FIELD=SPEC'`` (and ``--step``) against the scenario it varies, or raise
    one :class:`InputError` on ``--vary`` (or ``--step``) naming the part that is wrong
    (``number``: which ``--vary`` this is, 1 for the first, where there are several;
    ``taken``: the fields the others vary)."""
    which = f"the {_ORDINALS.get(number, f'{number}th')} --vary, " if number else ""
    name, equals, spec = vary.partition("=")
    name, spec = name.strip(), spec.strip()
    part = f"field {name!r}: "
    try:
        if not equals or not name or not spec:
            part = ""
            raise _Problem(f"write FIELD=SPEC, {_EXAMPLE}")
        path = _parse_path(name)
        _check_path(scenario_data(source, path), path)
        if path in taken:
            raise _Problem("already varied by another --vary: vary each field once")
        part = f"values {spec!r}: "
        values = _parse_spec(spec, step, source.treaty.timezone)
        if action_instant(path) is not None and not isinstance(values, _Lazy):
            for value in values:
                _instant_text(value.label, source.treaty.timezone)
    except _Problem as problem:
        if problem.option == "--step":
            raise InputError(ARGUMENT, 1, 1, "--step", f"{which}{problem.message}") from None
        raise InputError(
            ARGUMENT, 1, 1, "--vary", f"{which}{vary!r}: {part}{problem.message}"
        ) from None
    return Variation(name, path, values)


def parse_varies(varies: Sequence[str], step: str | None, source: Source) -> list[Variation]:
    """Every ``--vary``; with several, an error says which one is wrong."""
    if len(varies) == 1:
        return [parse_vary(varies[0], step, source)]
    found: list[Variation] = []
    for number, vary in enumerate(varies, start=1):
        found.append(parse_vary(vary, step, source, number, [v.path for v in found]))
    return found
