"""Writing a deadline calendar as iCalendar (RFC 5545), through the ``icalendar`` package.

An entry is either a whole local day (``VALUE=DATE``, as the last day to notify is a date in
the treaty's zone) or an instant, written in UTC (``...Z``): an instant in UTC needs no
``VTIMEZONE`` and is read the same by every client, which shows it in its user's own zone;
the treaty's local wall-clock time is in the description (docs/calendar.md, "Time zones").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # icalendar is imported when a calendar is written, not at start-up
    from icalendar import Event

__all__ = ["PRODID", "CalendarEntry", "to_ics"]

PRODID = "-//treaty-sim//treaty-sim deadline calendar//EN"


@dataclass(frozen=True)
class CalendarEntry:
    """One calendar event. ``start`` is a date (an all-day event, that local date) or an
    aware instant (a point in time, no end: RFC 5545 §3.6.1, "the event ends on the same
    calendar date and time of day specified by the DTSTART"). ``uid`` is stable across runs
    so that a re-import updates the event instead of adding a copy. ``remind``, when given,
    is how long before ``start`` an alarm goes off."""

    uid: str
    summary: str
    description: str
    start: date | datetime
    category: str
    remind: timedelta | None = None


def _event(entry: CalendarEntry, stamp: datetime) -> Event:
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    if isinstance(entry.start, datetime):
        event.add("dtstart", entry.start.astimezone(UTC))
    else:
        event.add("dtstart", entry.start)
        event.add("dtend", entry.start + timedelta(days=1))
    event.add("summary", entry.summary)
    event.add("description", entry.description)
    event.add("categories", [entry.category])
    # A deadline is not a meeting: it does not make its day or hour busy.
    event.add("transp", "TRANSPARENT")
    if entry.remind is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -entry.remind)
        alarm.add("description", entry.summary)
        event.add_component(alarm)
    return event


def to_ics(entries: Sequence[CalendarEntry], name: str, stamp: datetime) -> bytes:
    """The iCalendar document of ``entries`` (CRLF lines, folded at 75 octets), called
    ``name`` in clients that show a calendar's name; ``stamp`` is every event's DTSTAMP."""
    from icalendar import Calendar  # docs/performance.md: not at every command's start-up

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    utc_stamp = stamp.astimezone(UTC).replace(microsecond=0)
    for entry in entries:
        calendar.add_component(_event(entry, utc_stamp))
    data: bytes = calendar.to_ical()
    return data
