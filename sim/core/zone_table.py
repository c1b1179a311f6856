"""The calendar arithmetic of :mod:`sim.core.dates`, on arrays of instants (NumPy int64, UTC
seconds since 1970), for the vectorised path (sim/engines/vector.py).

The same rules as :mod:`sim.core.dates`, written once more for arrays because a per-instant
Python call is what the vectorised path exists to avoid: calendar arithmetic is done on local
dates (days since 1970) and seconds into the day, then the wall-clock time is resolved to an
instant with one offset look-up in the zone's transitions, with the "compatible"
disambiguation of ``zoneinfo`` (``fold=0``: a time in a spring-forward gap is moved forward by
the gap, a repeated time is its first occurrence). The transitions are read from ``zoneinfo``
itself (the offset at each day's start, bisected to the second where it changes), so both
paths use one source of truth; the differential tests (tests/test_vector.py) compare them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC as _UTC
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache

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


@lru_cache(maxsize=32)
def zone_table(tz: tzinfo, first_year: int, last_year: int) -> ZoneTable:
    """The transitions of ``tz`` from 1 January ``first_year`` to 1 January ``last_year``
    (UTC). Two changes less than a day apart would be missed; no IANA zone has them in the
    years treaties are simulated over."""
    start = int(datetime(first_year, 1, 1, tzinfo=_UTC).timestamp())
    stop = int(datetime(last_year, 1, 1, tzinfo=_UTC).timestamp())
    transitions: list[int] = []
    offsets = [_offset(tz, start)]
    second = start
    while second < stop:
        following = second + DAY
        if _offset(tz, following) != offsets[-1]:
            low, high = second, following  # the offset differs at high, not at low
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(tz, middle) == offsets[-1]:
                    low = middle
                else:
                    high = middle
            transitions.append(high)
            offsets.append(_offset(tz, high))
        second = following
    at = np.array(transitions, dtype=np.int64)
    before = np.array(offsets[:-1], dtype=np.int64)
    after = np.array(offsets[1:], dtype=np.int64)
    walls = (at + np.maximum(before, after), at + np.minimum(before, after))
    return ZoneTable(at, np.array(offsets, dtype=np.int64), walls)


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
