"""The calendar vocabulary of the seed articles, for ``treaty-sim claims`` (sim/claims.py):
the periods a phrase names ("last week", "November", "Nov. 22", "Saturday") and the counts
of days an article gives ("six days left": ``6d``; "less than two weeks": ``< 2w``).

Each phrase is read on an *as-of date*, the day the statement was made; docs/claims.md
lists the phrases and tests/test_claims_vocabulary.py pins each one on both sides of its
limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sim.core.dates import DateError, Duration

__all__ = ["MONTHS", "WEEKDAYS", "DayCount", "Period", "Weekday", "resolve_period"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Period:
    """The local dates ``first`` to ``last`` (inclusive) that a phrase of an article names."""

    text: str
    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def __str__(self) -> str:
        if self.first == self.last:
            shown = self.first.isoformat()
        elif (self.first.month, self.first.day, self.last.month, self.last.day) == (1, 1, 12, 31):
            shown = str(self.first.year) if self.first.year == self.last.year else ""
        elif self.first.day == 1 and self.last == _month(self.first.year, self.first.month)[1]:
            shown = self.first.isoformat()[:7]
        else:
            shown = ""
        shown = shown or f"{self.first.isoformat()}..{self.last.isoformat()}"
        return shown if shown == self.text else f"{self.text} ({shown})"

    def phrase(self) -> str:
        """The period after a verb: "last week (...)", "on Saturday (...)", "in 2016"."""
        if self.text.split()[0].lower() in ("last", "this", "next"):
            return str(self)
        return f"{'on' if self.first == self.last else 'in'} {self}"


def _month(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def _distance(day: date, first: date, last: date) -> int:
    if day < first:
        return (first - day).days
    if day > last:
        return (day - last).days
    return 0


def _nearest(as_of: date, spans: list[tuple[date, date]]) -> tuple[date, date]:
    return min(spans, key=lambda span: _distance(as_of, *span))


_PHRASE = re.compile(r"^(?P<name>[a-z]+)\.?(?:\s+(?P<day>\d{1,2}))?$")


def resolve_period(text: str, as_of: date) -> Period:
    """The dates an article's phrase names, said on ``as_of``; ValueError if it is none of:

    - ``2019-11-22`` (that day) or ``2016`` (that year);
    - ``last week``, ``this week``, ``next week``: calendar weeks, Monday to Sunday;
    - ``last year``, ``this year``, ``next year``;
    - a month, ``November`` or ``Nov.``: its occurrence nearest to ``as_of``;
    - a day of a month, ``November 22`` or ``Nov. 22``: its occurrence nearest to ``as_of``;
    - a weekday, ``Saturday``: the first such day on or after ``as_of`` (news reports name
      the coming days of the week this way; a past weekday is given as ``as_of`` instead).
    """
    phrase = " ".join(text.strip().lower().split())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", phrase):
        day = date.fromisoformat(phrase)
        return Period(text, day, day)
    if re.fullmatch(r"\d{4}", phrase):
        return Period(text, date(int(phrase), 1, 1), date(int(phrase), 12, 31))
    relative = re.fullmatch(r"(last|this|next) (week|year)", phrase)
    if relative:
        shift = {"last": -1, "this": 0, "next": 1}[relative.group(1)]
        if relative.group(2) == "year":
            year = as_of.year + shift
            return Period(text, date(year, 1, 1), date(year, 12, 31))
        monday = as_of - timedelta(days=as_of.weekday()) + timedelta(weeks=shift)
        return Period(text, monday, monday + timedelta(days=6))
    if phrase in WEEKDAYS:
        ahead = (WEEKDAYS.index(phrase) - as_of.weekday()) % 7
        day = as_of + timedelta(days=ahead)
        return Period(text, day, day)
    named = _PHRASE.fullmatch(phrase)
    month = _month_number(named.group("name")) if named else None
    if named is None or month is None:
        raise ValueError(
            f"{text!r} is not a period: write a date (2019-11-22), a year (2016), last week, "
            "this year, a month (November, Nov.), a day (Nov. 22) or a weekday (Saturday)"
        )
    years = [as_of.year - 1, as_of.year, as_of.year + 1]
    if named.group("day") is None:
        first, last = _nearest(as_of, [_month(year, month) for year in years])
        return Period(text, first, last)
    days = []
    for year in years:
        try:
            days.append(date(year, month, int(named.group("day"))))
        except ValueError:
            continue  # 29 February in a common year: the nearest leap year's is meant
    if not days:
        raise ValueError(f"{text!r} is not a day of that month")
    first, last = _nearest(as_of, [(day, day) for day in days])
    return Period(text, first, last)


def _month_number(name: str) -> int | None:
    for number, month in enumerate(MONTHS, start=1):
        if name == month or (len(name) >= 3 and month.startswith(name)):
            return number
    return None


Bound = Literal["exactly", "fewer_than", "at_most"]


@dataclass(frozen=True)
class DayCount:
    """A number of days as an article counts them: exactly (``6d``: "six days left"), as a
    strict upper bound (``< 2w``: "less than two weeks") or as an inclusive one (``<= 2w``:
    "within two weeks")."""

    text: str
    days: int
    bound: Bound = "exactly"

    @classmethod
    def parse(cls, text: str) -> DayCount:
        """``6d``, ``2w``, ``< 2w``, ``< 1d``, ``<= 2w``; ValueError otherwise."""
        written = text.strip()
        bound: Bound = "exactly"
        if written.startswith("<="):
            bound, written = "at_most", written[2:]
        elif written.startswith("<"):
            bound, written = "fewer_than", written[1:]
        try:
            duration = Duration.parse(written.strip())
        except DateError as error:
            raise ValueError(f"{error}; a bound is written < 2w or <= 2w") from None
        if duration.months:
            raise ValueError(f"{text!r}: count days or weeks (6d, < 2w), not months or years")
        return cls(text, duration.days, bound)

    def accepts(self, days: int) -> bool:
        """Whether a count of whole days agrees."""
        if self.bound == "fewer_than":
            return days < self.days
        if self.bound == "at_most":
            return days <= self.days
        return days == self.days

    def accepts_span(self, span: timedelta) -> bool:
        """Whether a span of time agrees (``< 1d``: less than 24 hours of wall-clock time;
        ``<= 1d``: 24 hours or less; ``1d``: exactly 24 hours)."""
        limit = timedelta(days=self.days)
        if self.bound == "fewer_than":
            return span < limit
        if self.bound == "at_most":
            return span <= limit
        return span == limit

    def __str__(self) -> str:
        days = f"{self.days} day{'s' if self.days != 1 else ''}"
        return {"fewer_than": f"less than {days}", "at_most": f"within {days}"}.get(
            self.bound, days
        )
