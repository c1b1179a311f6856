"""The deadline table: for each term, when it ends, its last day in force, its notice
deadline, the last day to notify and the days left as of a date (PRODUCT.md, "Commands");
and, for a clause whose exit is a notice that takes effect a period after it is given (a
withdrawal clause), each notice of the run with its effect and the days left to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sim.core.dates import (
    Counting,
    Duration,
    at_midnight,
    last_day,
    utc,
    whole_days_between,
    zone,
)
from sim.core.kernel import terms_for
from sim.core.model import Boundary, EventKind, Treaty
from sim.core.timeline import Outcome, Term, Timeline

__all__ = [
    "UPCOMING",
    "DeadlineRow",
    "DeadlineTable",
    "NoticeAsOf",
    "NoticeRow",
    "deadline_table",
    "notice_rows",
    "party_table",
    "party_terms",
    "term_on",
    "upcoming_table",
    "upcoming_terms",
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
    party: str | None = None
    """Under ``terms_from: party``, whose own term this is (PRODUCT.md 0.3)."""


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


def term_on(timeline: Timeline, moment: datetime) -> Term | None:
    """The term of the run in force at ``moment`` (terms are half-open, ``[start, end)``:
    PRODUCT.md, "Time"), or None before the first and after the last."""
    for term in timeline.terms:
        if term.start <= moment and (term.end is None or moment < term.end):
            return term
    return None


def _row(term: Term, as_of_instant: datetime, party: str | None = None) -> DeadlineRow:
    deadline = term.notice_deadline
    return DeadlineRow(
        term=term,
        last_day=last_day(term.end) if term.end is not None else None,
        last_day_to_notify=last_day(deadline) if deadline else None,
        days_left=whole_days_between(as_of_instant, deadline) if deadline else None,
        party=party,
    )


def party_terms(treaty: Treaty, timeline: Timeline) -> dict[str, tuple[Term, ...]]:
    """Under ``terms_from: party`` (PRODUCT.md 0.3, "Each party's own terms"), each party's own
    terms up to the horizon, from the terms its notices go by (``kernel.terms_for``): the
    last one ends where the party stopped being bound (``terminated``), or runs on at the
    horizon (``running``); the others ``renewed``. A party not bound as the treaty is written
    (it joins later) has none."""
    tz = zone(timeline.timezone)
    if timeline.schedule is None:
        return {}
    horizon = utc(timeline.horizon)
    found: dict[str, tuple[Term, ...]] = {}
    for party in treaty.party_names:
        own = treaty.party_in_force(party)
        if own is None:
            continue
        schedule = terms_for(treaty.clause, timeline.schedule, own, tz)
        until = timeline.bound_until.get(party)
        terms: list[Term] = []
        number = 1
        while True:
            start = schedule.start(number)
            if utc(start) >= horizon or (until is not None and utc(start) >= utc(until)):
                break
            end = schedule.end(number)
            deadline = schedule.deadline(number)
            term = Term(number, start, end, end, deadline)
            if until is not None and (end is None or utc(until) <= utc(end)):
                term.end, term.outcome = until, Outcome.TERMINATED
                terms.append(term)
                break
            if end is None or utc(end) > horizon:
                terms.append(term)
                break
            term.outcome = Outcome.RENEWED
            terms.append(term)
            number += 1
        found[party] = tuple(terms)
    return found


def party_table(
    treaty: Treaty,
    timeline: Timeline,
    as_of: date,
    years: tuple[int | None, int | None] | None,
    *,
    history: bool = False,
) -> DeadlineTable:
    """The deadline rows of each party's own terms (:func:`party_terms`), one block of rows
    per party in the order listed: by default each party's term running at ``as_of`` and the
    next two (every earlier one too with ``history``); with ``years``, its terms whose last
    day in force falls in them."""
    moment = at_midnight(as_of, zone(timeline.timezone))
    rows: list[DeadlineRow] = []
    for party, terms in party_terms(treaty, timeline).items():
        if years is not None:
            shown = tuple(t for t in terms if _in_years(t, *years))
        else:
            begun = [i for i, term in enumerate(terms) if term.start <= moment]
            first = begun[-1] if begun else 0
            shown = terms[0 if history else first : first + UPCOMING]
        rows.extend(_row(term, moment, party) for term in shown)
    return DeadlineTable(timeline.treaty, timeline.timezone, as_of, tuple(rows))


def _in_years(term: Term, first_year: int | None, last_year: int | None) -> bool:
    year = last_day(term.end).year if term.end is not None else None
    if year is not None and first_year is not None and year < first_year:
        return False
    return not (year is not None and last_year is not None and year > last_year)


def deadline_table(
    timeline: Timeline, as_of: date, first_year: int | None, last_year: int | None
) -> DeadlineTable:
    """The deadline rows of the timeline's terms whose last day in force falls in the years
    ``first_year`` to ``last_year`` (inclusive; None: unbounded)."""
    as_of_instant = at_midnight(as_of, zone(timeline.timezone))
    rows = [
        _row(term, as_of_instant)
        for term in timeline.terms
        if _in_years(term, first_year, last_year)
    ]
    return DeadlineTable(timeline.treaty, timeline.timezone, as_of, tuple(rows))


UPCOMING = 3
"""How many terms ``deadlines`` shows by default: the running one and the next two."""


def upcoming_terms(
    timeline: Timeline, as_of: date, count: int = UPCOMING, *, history: bool = False
) -> tuple[Term, ...]:
    """The term in force at 00:00 local on ``as_of`` and the ``count - 1`` after it (before
    entry into force: the first ``count``; after the last term: that last term alone); with
    ``history``, every term since entry into force before them too (docs/decisions.md,
    decision 46)."""
    moment = at_midnight(as_of, zone(timeline.timezone))
    terms = timeline.terms
    begun = [i for i, term in enumerate(terms) if term.start <= moment]
    first = begun[-1] if begun else 0
    return tuple(terms[0 if history else first : first + count])


def upcoming_table(
    timeline: Timeline, as_of: date, count: int = UPCOMING, *, history: bool = False
) -> DeadlineTable:
    """The deadline rows of :func:`upcoming_terms`, days left counted from ``as_of``."""
    as_of_instant = at_midnight(as_of, zone(timeline.timezone))
    shown = upcoming_terms(timeline, as_of, count, history=history)
    rows = tuple(_row(term, as_of_instant) for term in shown)
    return DeadlineTable(timeline.treaty, timeline.timezone, as_of, rows)
