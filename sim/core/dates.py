"""Instants, durations and the counting conventions of PRODUCT.md ("Time").

Every instant is a time-zone-aware ``datetime``; a naive one is refused. Calendar arithmetic
is done on local wall-clock time in the treaty's zone and then resolved to an instant:

- months and years move the calendar month and clip the day to the end of the month
  (Jan 31 + 1mo = Feb 28 or 29), then days move the calendar date;
- a wall-clock time that does not exist (a spring-forward gap) is moved forward by the length
  of the gap, and one that exists twice (a fall-back hour) is the earlier of the two: the
  "compatible" disambiguation of RFC 5545 and of ``zoneinfo`` with ``fold=0``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "Counting",
    "DateError",
    "Duration",
    "add",
    "at_midnight",
    "day_after",
    "ensure_aware",
    "iso",
    "last_day",
    "local_date",
    "missing_day",
    "period_end",
    "shift_date",
    "spoken_span",
    "subtract",
    "utc",
    "wall_clock_difference",
    "whole_days_between",
    "zone",
]

UTC = ZoneInfo("UTC")


class DateError(ValueError):
    """A date, time, duration or zone that cannot be understood."""


class Counting(StrEnum):
    """How a period that runs from an event is counted (clause field ``counting``)."""

    EXACT = "exact"
    """The period ends at ``t + period`` (the default)."""
    WHOLE_DAYS = "whole_days"
    """EU Regulation 1182/71, art. 3: the day of the event is not counted; the period ends
    at 00:00 of the day after ``date(t) + period``."""


_SHORT = re.compile(r"^\s*(\d+)\s*(d|w|mo|y)\s*$")
_ISO = re.compile(r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_MAX_COMPONENT = 100_000


@dataclass(frozen=True, order=True)
class Duration:
    """A calendar duration: whole months (a year is twelve) and whole local days (a week is
    seven). Written ``90d``, ``2w``, ``6mo``, ``1y`` or ISO 8601 ``P90D``, ``P2W``, ``P6M``,
    ``P1Y`` (ISO components may be combined: ``P1Y6M``)."""

    months: int = 0
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read a duration; raise :class:`DateError` with the accepted forms otherwise."""
        short = _SHORT.match(text)
        if short:
            number, unit = int(short.group(1)), short.group(2)
            result = {
                "d": cls(days=number),
                "w": cls(days=7 * number),
                "mo": cls(months=number),
                "y": cls(months=12 * number),
            }[unit]
        else:
            iso_match = _ISO.match(text.strip().upper())
            if not iso_match:
                raise DateError(
                    f"{text!r} is not a duration: write 90d, 2w, 6mo, 1y or P90D, P2W, P6M, P1Y"
                )
            years, months, weeks, days = (int(g) if g else 0 for g in iso_match.groups())
            result = cls(months=12 * years + months, days=7 * weeks + days)
        if result.months > _MAX_COMPONENT or result.days > _MAX_COMPONENT:
            raise DateError(f"{text!r} is too long a duration")
        if result.months == 0 and result.days == 0:
            raise DateError(f"{text!r} is not a positive duration")
        return result

    def __add__(self, other: Duration) -> Duration:
        return Duration(self.months + other.months, self.days + other.days)

    def __mul__(self, factor: int) -> Duration:
        return Duration(self.months * factor, self.days * factor)

    __rmul__ = __mul__

    def __str__(self) -> str:
        if self.months and self.days:
            years, months = divmod(self.months, 12)
            written = (f"{years}Y" if years else "") + (f"{months}M" if months else "")
            return f"P{written}{self.days}D"
        parts = []
        if self.months:
            years, months = divmod(self.months, 12)
            if years and not months:
                parts.append(f"{years}y")
            else:
                parts.append(f"{self.months}mo")
        if self.days:
            parts.append(f"{self.days // 7}w" if self.days % 7 == 0 else f"{self.days}d")
        return "".join(parts) or "0d"


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; :class:`DateError` if there is none by that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise DateError(f"{name!r} is not an IANA time zone (e.g. Asia/Seoul, UTC)") from error


def ensure_aware(moment: datetime) -> datetime:
    """Refuse naive datetimes: every instant in treaty-sim carries its zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DateError(f"{moment!r} has no time zone")
    return moment


def _resolve(wall: datetime, tz: tzinfo, fold: int = 0) -> datetime:
    """A naive local wall-clock time as an instant, with the compatible disambiguation (or,
    with ``fold=1``, the second occurrence of a repeated time)."""
    return wall.replace(tzinfo=tz, fold=fold).astimezone(UTC).astimezone(tz)


def at_midnight(day: date, tz: tzinfo) -> datetime:
    """00:00 local time on ``day``: what a date without a time means (PRODUCT.md, "Time")."""
    return _resolve(datetime.combine(day, time()), tz)


def _shift_months(wall: datetime, months: int) -> datetime:
    month_index = wall.year * 12 + (wall.month - 1) + months
    year, month = divmod(month_index, 12)
    if not 1 <= year <= 9999:
        raise DateError("date out of range (years 1 to 9999)")
    day = min(wall.day, calendar.monthrange(year, month + 1)[1])
    return wall.replace(year=year, month=month + 1, day=day)


def _wall_add(wall: datetime, duration: Duration, sign: int) -> datetime:
    try:
        shifted = _shift_months(wall, sign * duration.months)
        return shifted + timedelta(days=sign * duration.days)
    except OverflowError as error:
        raise DateError("date out of range (years 1 to 9999)") from error


def shift_date(day: date, duration: Duration, sign: int = 1) -> date:
    """``day + duration`` (``- duration`` with ``sign`` -1) on the calendar: months first,
    clipped to the month's end, then days. Term ends, deadlines and the other dates a clause
    counts from a date are reckoned this way, on dates, so a day whose 00:00 does not exist
    (the day began at 01:00) still counts from its start."""
    return _wall_add(datetime.combine(day, time()), duration, sign).date()


def add(moment: datetime, duration: Duration) -> datetime:
    """``moment + duration`` on local wall-clock time: months first (clipped to the month's
    end), then days; the zone is ``moment``'s own."""
    tz = ensure_aware(moment).tzinfo
    assert tz is not None
    return _resolve(_wall_add(moment.replace(tzinfo=None), duration, +1), tz)


def subtract(moment: datetime, duration: Duration) -> datetime:
    """``moment - duration`` on local wall-clock time (months first, clipped, then days)."""
    tz = ensure_aware(moment).tzinfo
    assert tz is not None
    return _resolve(_wall_add(moment.replace(tzinfo=None), duration, -1), tz)


def utc(moment: datetime) -> datetime:
    """The instant in UTC, for comparing instants. Python compares and subtracts two
    datetimes of the same zone by their wall-clock times, which puts 01:45 EDT after 01:15
    EST in a repeated (fall-back) hour although it comes 30 minutes before; in UTC the order
    is that of the instants."""
    return ensure_aware(moment).astimezone(UTC)


def local_date(moment: datetime) -> date:
    """The local calendar date of an instant, in its own zone."""
    return ensure_aware(moment).date()


def day_after(day: date) -> date:
    """The calendar date after ``day``."""
    return day + timedelta(days=1)


def last_day(end: datetime) -> date:
    """The last local date in force of a half-open interval ending at ``end``: the date of the
    last instant before ``end``. An end at 00:00 on 23 November gives 22 November. The step
    back is in real time, so an end just after a midnight gap gives the day before the gap."""
    tz = ensure_aware(end).tzinfo
    return local_date((utc(end) - timedelta(microseconds=1)).astimezone(tz))


def period_end(event: datetime, period: Duration, counting: Counting) -> datetime:
    """When a period that runs from an event at ``event`` ends (PRODUCT.md, "Counting")."""
    if counting is Counting.EXACT:
        return add(event, period)
    tz = event.tzinfo
    assert tz is not None
    counted = at_midnight(local_date(event), tz)
    return at_midnight(day_after(local_date(add(counted, period))), tz)


def notice_deadline(end: datetime, notice: Duration, counting: Counting) -> datetime:
    """The first instant at which a renewal notice is too late to stop the renewal at
    ``end`` (PRODUCT.md, "Counting"): ``end - notice`` under ``exact``; under ``whole_days``
    a notice must be received on or before the date ``(end - notice) - 1 day``, so the
    deadline is 00:00 of the date of ``end - notice``."""
    latest = subtract(end, notice)
    if counting is Counting.EXACT:
        return latest
    tz = end.tzinfo
    assert tz is not None
    return at_midnight(local_date(latest), tz)


def wall_clock_difference(earlier: datetime, later: datetime) -> timedelta:
    """The local wall-clock time from ``earlier`` to ``later`` (both in the same zone): one
    calendar day is one day, even across a daylight-saving change."""
    return later.replace(tzinfo=None) - earlier.replace(tzinfo=None)


def add_wall_clock(moment: datetime, span: timedelta, *, second: bool = False) -> datetime:
    """``moment + span`` on local wall-clock time (the inverse of
    :func:`wall_clock_difference`). A result that exists twice (a fall-back hour) is its
    first occurrence, or with ``second`` its second; ``second`` changes nothing else (a time
    in a spring-forward gap is moved forward by the gap either way)."""
    tz = ensure_aware(moment).tzinfo
    assert tz is not None
    try:
        wall = moment.replace(tzinfo=None) + span
    except OverflowError as error:
        raise DateError("date out of range (years 1 to 9999)") from error
    first = _resolve(wall, tz)
    if second:
        later = _resolve(wall, tz, fold=1)
        if later.replace(tzinfo=None) == wall:
            return later
    return first


def spoken_span(span: timedelta, nothing: str = "no time") -> str:
    """A span of time in words, to the minute: ``6 hours``, ``1 day, 2 hours, 5 minutes``;
    ``nothing`` where it is under a minute."""
    minutes = int(span.total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{n} {unit}{'s' if n != 1 else ''}"
        for n, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if n
    ]
    return ", ".join(parts) or nothing


def whole_days_between(earlier: datetime, later: datetime) -> int:
    """Whole local days from ``earlier`` to ``later``, rounded down (negative when ``later``
    is before ``earlier``)."""
    return wall_clock_difference(earlier, later) // timedelta(days=1)


def iso(moment: datetime) -> str:
    """ISO 8601 with offset and seconds: ``2019-11-23T00:00:00+09:00``."""
    return ensure_aware(moment).isoformat(timespec="seconds")


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?![\d])")


def missing_day(text: str) -> str | None:
    """Why ``text``, written ``YYYY-MM-DD`` (perhaps followed by a time), names a day the
    calendar does not have: ``'2011-02-30' does not exist: February 2011 has 28 days``. None
    when the day exists or the text is not of that form."""
    match = _DAY.match(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    written = match.group(0)
    if year == 0:
        return f"{written!r} does not exist: years run from 0001"
    if not 1 <= month <= 12:
        return f"{written!r} does not exist: there is no month {month:02d} (months are 01 to 12)"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = calendar.month_name[month]
        return f"{written!r} does not exist: {name} {year} has {days} days"
    return None


def parse_local(text: str, tz: tzinfo) -> datetime:
    """A date (``2019-08-23``: 00:00 local) or a local date-time (``2019-11-22T18:00``), or
    an ISO instant with its own offset, as an instant in ``tz``."""
    text = text.strip()
    try:
        if len(text) == 10:
            return at_midnight(date.fromisoformat(text), tz)
        parsed = datetime.fromisoformat(text)
    except ValueError as error:
        impossible = missing_day(text)
        if impossible is not None:
            raise DateError(impossible) from error
        raise DateError(
            f"{text!r} is not a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM[:SS])"
        ) from error
    if parsed.microsecond:
        raise DateError(f"{text!r}: times are to the second")
    if parsed.tzinfo is None:
        return _resolve(parsed, tz)
    return parsed.astimezone(tz)


def as_instant(value: date | datetime | str, tz: tzinfo) -> datetime:
    """A date, a naive local date-time or an aware one, as an instant in ``tz``."""
    if isinstance(value, str):
        return parse_local(value, tz)
    if isinstance(value, datetime):
        if value.microsecond:
            raise DateError(f"{value.isoformat()!r}: times are to the second")
        if value.tzinfo is None:
            return _resolve(value, tz)
        return value.astimezone(tz)
    return at_midnight(value, tz)
