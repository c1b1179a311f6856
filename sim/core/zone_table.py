"""The calendar arithmetic of :mod:`sim.core.dates`, on arrays of instants (NumPy int64, UTC
seconds since 1970), for the vectorised path (sim/engines/vector.py).

The same rules as :mod:`sim.core.dates`, written once more for arrays because a per-instant
Python call is what the vectorised path exists to avoid: calendar arithmetic is done on local
dates (days since 1970) and seconds into the day, then the wall-clock time is resolved to an
instant with one offset look-up in the zone's transitions, with the "compatible"
disambiguation of ``zoneinfo`` (``fold=0``: a time in a spring-forward gap is moved forward by
the gap, a repeated time is its first occurrence). The offsets are ``zoneinfo``'s own: the
zone's data (its TZif file's transitions and, after the last of them, its rule for every year)
only says *where* the offset may change, and ``zoneinfo`` is asked the offset there, so both
paths use one source of truth; the differential tests (tests/test_vector.py) compare them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import UTC as _UTC
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.core.dates import Duration

__all__ = ["DAY", "Instants", "ZoneTable", "shift_days", "zone_table"]

DAY = 86_400
Instants = npt.NDArray[np.int64]


def _offset(tz: tzinfo, second: int) -> int:
    moment = datetime.fromtimestamp(second, _UTC).astimezone(tz)
    offset = moment.utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


@dataclass(frozen=True)
class ZoneTable:
    """A zone's UTC offsets between two years: ``offsets[i]`` holds from ``transitions[i-1]``
    (UTC seconds) to ``transitions[i]``; ``offsets[0]`` before the first transition."""

    transitions: Instants
    offsets: Instants
    walls: tuple[Instants, Instants]
    """Per ``fold``: the wall-clock second from which each transition's new offset applies
    (``zoneinfo``: the later of the two wall readings for fold 0, the earlier for fold 1)."""

    def offset_at(self, instants: Instants) -> Instants:
        """The UTC offset, in seconds, at each instant."""
        return self.offsets[np.searchsorted(self.transitions, instants, side="right")]

    def local(self, instants: Instants) -> Instants:
        """Each instant's local wall-clock reading, in seconds since 1970-01-01T00:00 local."""
        if not len(self.transitions):  # one offset throughout (Seoul since 1988): no look-up
            offset = int(self.offsets[0])
            return instants + offset
        return instants + self.offset_at(instants)

    def resolve(self, walls: Instants, fold: int = 0) -> Instants:
        """Local wall-clock readings as instants (``sim.core.dates._resolve``)."""
        if not len(self.transitions):
            offset = int(self.offsets[0])
            return walls - offset
        index = np.searchsorted(self.walls[fold], walls, side="right")
        return walls - self.offsets[index]

    def midnight(self, days: Instants) -> Instants:
        """00:00 local on each date (days since 1970): ``sim.core.dates.at_midnight``."""
        return self.resolve(days * DAY)


def _candidates_from_data(key: str, start: int, stop: int) -> list[int] | None:
    """Every instant in ``(start, stop]`` (UTC seconds) at which zone ``key``'s offset may
    change, read from the zone's data as ``zoneinfo`` reads it: the transitions of its TZif
    file and, after the last one, the yearly rule of its footer (RFC 8536, section 3.3); each
    UTC year's first second too, since ``zoneinfo`` applies that rule year by year. None where
    the data cannot be read so (a zone made from a file object; a future Python whose private
    helpers differ): the caller then scans day by day."""
    try:
        transitions, rule = _zone_data(key)
    except Exception:  # private helpers of zoneinfo: whatever changed, scan instead
        return None
    found = list(transitions)
    if transitions:
        found.append(transitions[-1] + 1)  # the rule takes over just after the last one
    if rule is not None:
        after = max(transitions[-1] if transitions else start, start)
        for year in range(_year_of(after), _year_of(stop) + 1):
            found.append(int(datetime(year, 1, 1, tzinfo=_UTC).timestamp()))
            for local in rule.transitions(year):
                found.extend(local - offset for offset in rule.offsets)
    return sorted({t for t in found if start < t <= stop})


def _year_of(second: int) -> int:
    return datetime.fromtimestamp(second, _UTC).year


class _Rule:
    """The yearly rule after a zone's last transition (a POSIX TZ string with daylight
    saving): ``transitions(year)`` are the local times at which it starts and ends."""

    def __init__(self, parsed: Any) -> None:
        self._parsed = parsed
        self.offsets = (
            int(parsed.std.utcoff.total_seconds()),
            int(parsed.dst.utcoff.total_seconds()),
        )

    def transitions(self, year: int) -> tuple[int, int]:
        start, end = self._parsed.transitions(year)
        return int(start), int(end)


@lru_cache(maxsize=64)
def _zone_data(key: str) -> tuple[list[int], _Rule | None]:
    """Zone ``key``'s transitions (UTC seconds) and its rule after them (None for a fixed
    offset), from the file ``zoneinfo`` itself would read: the first found on ``TZPATH``,
    else the ``tzdata`` package."""
    common = importlib.import_module("zoneinfo._common")
    tzpath = importlib.import_module("zoneinfo._tzpath")
    parser = importlib.import_module("zoneinfo._zoneinfo")
    path = tzpath.find_tzfile(key)
    with open(path, "rb") if path is not None else common.load_tzdata(key) as file:
        _, transitions, _, _, _, footer = common.load_data(file)
    parsed = parser._parse_tz_str(footer.decode()) if footer else None
    rule = _Rule(parsed) if hasattr(parsed, "transitions") else None
    return [int(t) for t in transitions], rule


def _scanned(tz: tzinfo, start: int, stop: int) -> list[int]:
    """The instants in ``(start, stop]`` where the offset changes, found by asking the offset
    at each day's start and bisecting to the second where it differs: a zone with no data to
    read, and the reference the data's reading is tested against. Two changes less than a day
    apart would be missed; no IANA zone has them in the years treaties are simulated over."""
    changes: list[int] = []
    current = _offset(tz, start)
    second = start
    while second < stop:
        following = second + DAY
        if _offset(tz, following) != current:
            low, high = second, following  # the offset differs at high, not at low
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(tz, middle) == current:
                    low = middle
                else:
                    high = middle
            changes.append(high)
            current = _offset(tz, high)
        second = following
    return changes


def _table(tz: tzinfo, start: int, changes: list[int]) -> ZoneTable:
    """The table of the offsets in force at ``start`` and at each of ``changes`` where the
    offset differs from the one before (a candidate where it does not is dropped)."""
    transitions: list[int] = []
    offsets = [_offset(tz, start)]
    for second in changes:
        offset = _offset(tz, second)
        if offset != offsets[-1]:
            transitions.append(second)
            offsets.append(offset)
    at = np.array(transitions, dtype=np.int64)
    before = np.array(offsets[:-1], dtype=np.int64)
    after = np.array(offsets[1:], dtype=np.int64)
    walls = (at + np.maximum(before, after), at + np.minimum(before, after))
    return ZoneTable(at, np.array(offsets, dtype=np.int64), walls)


def _bounds(first_year: int, last_year: int) -> tuple[int, int]:
    start = int(datetime(first_year, 1, 1, tzinfo=_UTC).timestamp())
    stop = int(datetime(last_year, 1, 1, tzinfo=_UTC).timestamp())
    return start, stop


@lru_cache(maxsize=32)
def zone_table(tz: tzinfo, first_year: int, last_year: int) -> ZoneTable:
    """The transitions of ``tz`` from 1 January ``first_year`` to 1 January ``last_year``
    (UTC), built once per process for each zone and span: from the zone's data in a few
    milliseconds, or day by day (about half a second for 300 years) for a zone without any."""
    start, stop = _bounds(first_year, last_year)
    key = getattr(tz, "key", None)
    candidates = _candidates_from_data(key, start, stop) if isinstance(key, str) else None
    if candidates is None:
        return scanned_zone_table(tz, first_year, last_year)
    return _table(tz, start, candidates)


def scanned_zone_table(tz: tzinfo, first_year: int, last_year: int) -> ZoneTable:
    """:func:`zone_table` built day by day, whatever data the zone has: for a zone without
    data, and as the reference the reading of the data is tested against."""
    start, stop = _bounds(first_year, last_year)
    return _table(tz, start, _scanned(tz, start, stop))


def shift_days(days: Instants, duration: Duration, sign: int = 1) -> Instants:
    """``sim.core.dates.shift_date`` on arrays of dates (days since 1970): months first,
    clipped to the end of the month, then days."""
    if duration.months:
        dates = days.astype("datetime64[D]")
        months = dates.astype("datetime64[M]")
        day_of_month = (dates - months.astype("datetime64[D]")).astype(np.int64)
        target = months + sign * duration.months
        length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
            np.int64
        )
        first = target.astype("datetime64[D]").astype(np.int64)
        days = first + np.minimum(day_of_month, length - 1)
    return days + sign * duration.days


def add(table: ZoneTable, instants: Instants, duration: Duration) -> Instants:
    """``sim.core.dates.add``: on local wall-clock time, months (clipped), then days."""
    wall = table.local(instants)
    day, second = np.divmod(wall, DAY)
    return table.resolve(shift_days(day, duration) * DAY + second)


def local_days(table: ZoneTable, instants: Instants) -> Instants:
    """The local date of each instant, in days since 1970."""
    return np.floor_divide(table.local(instants), DAY)


def as_seconds(moment: datetime) -> int:
    """An aware instant as UTC seconds."""
    return int((moment - datetime(1970, 1, 1, tzinfo=_UTC)) // timedelta(seconds=1))
