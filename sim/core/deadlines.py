"""The deadline table: for each term, when it ends, its last day in force, its notice
deadline, the last day to notify and the days left as of a date (PRODUCT.md, "Commands")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sim.core.dates import at_midnight, last_day, whole_days_between, zone
from sim.core.timeline import Term, Timeline

__all__ = ["DeadlineRow", "DeadlineTable", "deadline_table"]


@dataclass(frozen=True)
class DeadlineRow:
    """One term's deadlines. ``last_day_to_notify`` is the local date before the notice
    deadline; ``days_left`` is whole local days from ``as_of`` (00:00) to the notice deadline,
    rounded down: 0 once the deadline is reached, negative after."""

    term: Term
    last_day: date | None
    last_day_to_notify: date | None
    days_left: int | None


@dataclass(frozen=True)
class DeadlineTable:
    """The deadline rows of one treaty, as of a date."""

    treaty: str
    timezone: str
    as_of: date
    rows: tuple[DeadlineRow, ...]


def deadline_table(
    timeline: Timeline, as_of: date, first_year: int | None, last_year: int | None
) -> DeadlineTable:
    """The deadline rows of the timeline's terms whose last day in force falls in the years
    ``first_year`` to ``last_year`` (inclusive; None: unbounded)."""
    as_of_instant = at_midnight(as_of, zone(timeline.timezone))
    rows = []
    for term in timeline.terms:
        end_day = last_day(term.end) if term.end is not None else None
        year = end_day.year if end_day is not None else None
        if year is not None and first_year is not None and year < first_year:
            continue
        if year is not None and last_year is not None and year > last_year:
            continue
        deadline = term.notice_deadline
        rows.append(
            DeadlineRow(
                term=term,
                last_day=end_day,
                last_day_to_notify=last_day(deadline) if deadline else None,
                days_left=whole_days_between(as_of_instant, deadline) if deadline else None,
            )
        )
    return DeadlineTable(timeline.treaty, timeline.timezone, as_of, tuple(rows))
