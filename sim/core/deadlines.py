"""The deadline table: for each term, when it ends, its last day in force, its notice
deadline, the last day to notify and the days left as of a date (PRODUCT.md, "Commands");
and, for a clause whose exit is a notice that takes effect a period after it is given (a
withdrawal clause), each notice of the run with its effect and the days left to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sim.core.dates import Counting, Duration, at_midnight, last_day, whole_days_between, zone
from sim.core.model import Boundary, EventKind
from sim.core.timeline import Term, Timeline

__all__ = [
    "DeadlineRow",
    "DeadlineTable",
    "NoticeAsOf",
    "NoticeRow",
    "deadline_table",
    "notice_rows",
]


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
class NoticeRow:
    """A notice of the run: given (or resumed with an effect of its own) by ``party`` at
    ``given``, taking effect at ``effective``; ``days_left`` is whole local days from
    ``as_of`` (00:00) to the effect, rounded down, negative once it has passed; ``outcome``
    is what became of it in the run: ``took effect``, ``suspended DATE``, ``withdrawn DATE``,
    ``treaty ended DATE`` (before its effect) or ``pending at the horizon``."""

    party: str
    given: datetime
    effective: datetime
    days_left: int
    outcome: str
    resumed: bool = False
    """The row is a suspended notice's resumption, with the effect it then has."""


@dataclass(frozen=True)
class NoticeAsOf:
    """What a notice given at 00:00 on the as-of date would do: take effect at
    ``effective`` (given by ``party``), or be rejected for ``reason``. ``ends_first`` is when
    the party stops being bound anyway, if that comes sooner (another party's notice ends a
    two-party treaty, a fixed term expires)."""

    at: datetime
    party: str | None
    effective: datetime | None
    reason: str | None
    days_left: int | None
    ends_first: datetime | None = None
    first_party: bool = True
    """Whether ``party`` is the first listed (else the parties before it could not notify)."""


@dataclass(frozen=True)
class DeadlineTable:
    """The deadline rows of one treaty, as of a date. For a clause without a renewal notice
    there is no deadline: ``withdrawal`` is the clause's period and ``effect_on`` its calendar
    boundary (neither: no unilateral exit),
    ``notice_as_of`` what a notice on the as-of date would do, ``notices`` the run's notices."""

    treaty: str
    timezone: str
    as_of: date
    rows: tuple[DeadlineRow, ...]
    scenario: str | None = None
    renewal_notice: bool = True
    withdrawal: Duration | None = None
    counting: Counting = Counting.EXACT
    effect_on: Boundary | None = None
    """The calendar boundary a withdrawal's effect is moved to (clause ``effect_on``)."""
    notice_as_of: NoticeAsOf | None = None
    notices: tuple[NoticeRow, ...] = field(default=())


_TAKES_EFFECT = (EventKind.WITHDRAWAL_EFFECTIVE, EventKind.TERMINATED)


def _outcome(timeline: Timeline, index: int) -> tuple[str, datetime]:
    """What became of the notice of ``timeline.events[index]``, and its (final) effect: an
    extension agreed meanwhile may have moved it (docs/decisions.md, decision 10)."""
    notice = timeline.events[index]
    assert notice.effective is not None
    for event in timeline.events[index + 1 :]:
        day = event.at.date().isoformat()
        if event.by == notice.by and event.kind is EventKind.NOTICE_SUSPENDED:
            return f"suspended {day}", notice.effective
        if event.by == notice.by and event.kind is EventKind.NOTICE_WITHDRAWN:
            return f"withdrawn {day}", notice.effective
        if event.kind in _TAKES_EFFECT and event.by == notice.by:
            return "took effect", event.at
        if event.kind is EventKind.TERMINATED:
            return f"treaty ended {day}", notice.effective
    return "pending at the horizon", notice.effective


def notice_rows(timeline: Timeline, as_of: date) -> tuple[NoticeRow, ...]:
    """Each notice of the run that has an effect (``notice_given``, and ``notice_resumed``
    where the resumption sets a new effect), in time order."""
    as_of_instant = at_midnight(as_of, zone(timeline.timezone))
    rows = []
    for index, event in enumerate(timeline.events):
        if event.kind not in (EventKind.NOTICE_GIVEN, EventKind.NOTICE_RESUMED):
            continue
        if event.effective is None or event.by is None:
            continue
        outcome, effective = _outcome(timeline, index)
        rows.append(
            NoticeRow(
                party=event.by,
                given=event.at,
                effective=effective,
                days_left=whole_days_between(as_of_instant, effective),
                outcome=outcome,
                resumed=event.kind is EventKind.NOTICE_RESUMED,
            )
        )
    return tuple(rows)


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
