"""A closed-form model of a scenario's outcome: every term end, notice deadline and end of
obligations, computed straight from the rules of PRODUCT.md with no simulation.

It is a second, independent implementation of the decision logic, kept to test the SimPy
engine against (tests/test_closed_form.py, tests/test_properties.py): it shares the date
arithmetic of :mod:`sim.core.dates` and the data models, and nothing of
:mod:`sim.core.rules` or :mod:`sim.core.machine`. Where PRODUCT.md is silent it follows the
engine's documented decisions; where the two readings differ, each place says which rule of
PRODUCT.md it follows.

How it works. Nothing happens between two actions but term ends and the effects of pending
notices, and none of them needs a clock:

- term ``n`` ends at ``in_force + term + (n-1)·renewal`` ("Time"), as moved by extensions, and
  the term in force at an instant is found by arithmetic (an estimate from the renewal's
  length, corrected by a step or two), never by walking the renewals one by one;
- a pending notice takes effect at one known instant, so the next thing that happens is the
  earliest of those instants.

The actions are taken in time order (equal instants in file order, "Actions"); before each
one, the effects and expiries due up to its instant are applied (at one instant: effects,
then term ends, then actions, so a notice effective at a term's end stops that renewal and an
action at a term's end finds the next term begun).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sim.core.dates import (
    Counting,
    Duration,
    add,
    add_wall_clock,
    as_instant,
    at_midnight,
    day_after,
    last_day,
    local_date,
    shift_date,
    utc,
    wall_clock_difference,
    zone,
)
from sim.core.model import Action, ActionKind, Clause, Interpretation, LateNotice, Scenario, Treaty
from sim.core.timeline import Outcome

__all__ = [
    "ClosedOutcome",
    "NoticeRow",
    "Rejection",
    "TermRow",
    "default_horizon",
    "outcome",
    "period_from",
    "term_end",
    "term_ends",
    "term_in_force",
]

NOTHING = Duration()
DEFAULT_HORIZON = Duration(months=36)
"""PRODUCT.md, "The timeline": "by default it is three years after the last action (or after
entry into force)"."""

_DAYS_PER_MONTH = 365.2425 / 12


@dataclass(frozen=True)
class TermRow:
    """A term ``[start, end)`` as the model computes it (the fields of a term in ``run``)."""

    number: int
    start: datetime
    end: datetime | None
    notice_deadline: datetime | None
    outcome: Outcome

    @property
    def last_day(self) -> date | None:
        """The last day in force: the local date of the last instant before ``end``
        (PRODUCT.md, "Time"), reckoned in elapsed time (a second before 01:00 on a day whose
        00:00 did not exist is 23:59:59 the day before)."""
        return None if self.end is None else last_day(self.end)


@dataclass(frozen=True)
class Rejection:
    """An action that did not apply."""

    at: datetime
    action: ActionKind
    by: str | None


@dataclass(frozen=True)
class NoticeRow:
    """A notice given or resumed, and when it is then due to take effect (None: never)."""

    at: datetime
    by: str
    resumed: bool
    effective: datetime | None


@dataclass(frozen=True)
class ClosedOutcome:
    """What a scenario comes to: its terms, when each party stops being bound, when the
    treaty ends, and which actions did not apply."""

    in_force: datetime
    horizon: datetime
    terms: tuple[TermRow, ...]
    terminated_at: datetime | None
    bound_until: tuple[tuple[str, datetime | None], ...]
    rejections: tuple[Rejection, ...]
    notices: tuple[NoticeRow, ...]
    extensions: tuple[tuple[datetime, int, datetime], ...]
    """Each applied extension: when, in which term, and the new end it gives."""

    def bound(self) -> dict[str, datetime | None]:
        """``bound_until`` as a mapping from party to instant (None: bound at the horizon)."""
        return dict(self.bound_until)


# --- the rules of "Time" -------------------------------------------------------------------


def period_from(event: datetime, period: Duration, counting: Counting) -> datetime:
    """When a period that runs from an event ends (PRODUCT.md, "Counting"): ``t + period``
    under ``exact``; under ``whole_days`` the day of the event is not counted, and a period
    from local date ``d`` ends at 00:00 of the day after ``d + period``."""
    if counting is Counting.EXACT:
        return add(event, period)
    tz = _zone_of(event)
    counted_to = local_date(add(at_midnight(local_date(event), tz), period))
    return at_midnight(day_after(counted_to), tz)


def default_horizon(treaty: Treaty, instants: list[datetime]) -> datetime:
    """Three years after the last action's date (or after entry into force), 00:00 local."""
    tz = zone(treaty.timezone)
    assert treaty.in_force is not None
    last = max(instants, key=utc, default=at_midnight(treaty.in_force, tz))
    return at_midnight(shift_date(local_date(last), DEFAULT_HORIZON), tz)


def _zone_of(moment: datetime) -> tzinfo:
    tz = moment.tzinfo
    assert tz is not None
    return tz


def _day_after_through(through: date, tz: tzinfo) -> datetime:
    """``extend: through``: "the new last day in force, inclusive: the new end is 00:00 of the
    following day" (PRODUCT.md, "Actions")."""
    return at_midnight(day_after(through), tz)


def _later_of_wall_clock(moment: datetime, span: timedelta) -> datetime:
    """``moment + span`` on local wall-clock time, never before ``moment``.

    Where the wall-clock result falls in a repeated hour (a fall-back), the compatible
    reading takes its first occurrence; when ``moment`` itself is in the second occurrence
    that would lie before ``moment``, so the second occurrence is taken: a notice resumed
    under ``remaining`` takes effect *after* the time that was left (PRODUCT.md).
    """
    result = add_wall_clock(moment, span)
    if utc(result) >= utc(moment) or span < timedelta(0):
        return result
    return add_wall_clock(moment, span, second=True)


# --- the terms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Anchor:
    """Terms numbered from ``first`` end at 00:00 on the date ``origin + lead + (n -
    first)·renewal``: entry into force and ``term`` for the first anchor, an extended end
    (with no lead) for the others. The anchor is a date, not an instant: "a date without a
    time means 00:00 local time" (PRODUCT.md, "Time"), so a term ends at 00:00 even when
    entry into force, on a day whose midnight did not exist, began at 01:00."""

    first: int
    origin: date
    lead: Duration


@dataclass(frozen=True)
class _Terms:
    """The term ends of a clause, as moved by extensions; no anchor: indefinite duration."""

    renewal: Duration | None
    anchors: tuple[_Anchor, ...]
    zone: tzinfo

    def end(self, number: int) -> datetime | None:
        """The end of term ``number``, or None where there is no such term."""
        day = self.end_date(number)
        return None if day is None else at_midnight(day, self.zone)

    def end_date(self, number: int) -> date | None:
        """The date at whose start term ``number`` ends (a day that never began, skipped by
        the zone, still counts as that date: its end is the first instant after it)."""
        anchor = None
        for candidate in self.anchors:
            if candidate.first <= number:
                anchor = candidate
        if anchor is None:
            return None
        steps = number - anchor.first
        if steps and self.renewal is None:
            return None
        span = anchor.lead + (self.renewal * steps if steps and self.renewal else NOTHING)
        return shift_date(anchor.origin, span)

    def last(self) -> int | None:
        """The number of the last term when the terms do not renew (None: they renew)."""
        if not self.anchors:
            return 1
        if self.renewal is None:
            return self.anchors[-1].first
        return None

    def in_force_at(self, moment: datetime, *, ended_at_end: bool) -> int:
        """The number of the term running at ``moment``: the first whose end is after
        ``moment`` (``ended_at_end``: a term ending exactly at ``moment`` is over, as it is
        for an action; otherwise it is still running, as it is for an effect)."""

        def over(number: int) -> bool:
            end = self.end(number)
            if end is None:
                return False
            return utc(end) < utc(moment) or (ended_at_end and utc(end) == utc(moment))

        if not self.anchors:
            return 1
        for index, anchor in enumerate(self.anchors):
            following = self.anchors[index + 1].first if index + 1 < len(self.anchors) else None
            last_here = following - 1 if following is not None else self.last()
            if last_here is not None and over(last_here):
                continue
            if last_here is not None and last_here == anchor.first:
                return anchor.first
            # Renewals: estimate how many whole renewals fit, then correct by a step or two.
            assert self.renewal is not None
            start = self.end(anchor.first)
            assert start is not None
            length = self.renewal.months * _DAYS_PER_MONTH + self.renewal.days
            elapsed = (utc(moment) - utc(start)) / timedelta(days=1)
            number = anchor.first + max(0, math.floor(elapsed / length) - 1)
            if last_here is not None:
                number = min(number, last_here)
            while over(number) and (last_here is None or number < last_here):
                number += 1
            while number > anchor.first and not over(number - 1):
                number -= 1
            return number
        last = self.last()
        assert last is not None
        return last


def term_ends(clause: Clause, in_force: date, tz: tzinfo, until: datetime) -> list[datetime]:
    """The ends of the terms that begin before ``until`` with no action taken (a fast path
    for the deadline table): ``in_force + term + (n-1)·renewal``."""
    terms = _initial_terms(clause, in_force, tz)
    ends: list[datetime] = []
    number = 1
    while True:
        end = terms.end(number)
        if end is None:
            return ends
        ends.append(end)
        if utc(end) >= utc(until):
            return ends
        number += 1


def term_end(clause: Clause, in_force: date, tz: tzinfo, number: int) -> datetime | None:
    """The end of term ``number`` with no extension: 00:00 on ``in_force + term + (number -
    1)·renewal`` (PRODUCT.md, "Time"); None for an indefinite treaty or past a fixed term."""
    return _initial_terms(clause, in_force, tz).end(number)


def term_in_force(clause: Clause, in_force: date, tz: tzinfo, moment: datetime) -> int:
    """The number of the term running at ``moment`` with no extension (a term ending exactly
    at ``moment`` is over: terms are half-open), found by arithmetic, not by walking the
    terms; the last term's number once a fixed term is over."""
    return _initial_terms(clause, in_force, tz).in_force_at(moment, ended_at_end=True)


def _initial_terms(clause: Clause, in_force: date, tz: tzinfo) -> _Terms:
    if clause.term is None:
        return _Terms(clause.renewal, (), tz)
    return _Terms(clause.renewal, (_Anchor(1, in_force, clause.term),), tz)


# --- the notices ---------------------------------------------------------------------------


@dataclass
class _Notice:
    """A party's notice: it stops the renewal at the end of term ``target``, or takes effect
    at ``effect_at``; while suspended it does nothing and keeps the time ``left``."""

    given: datetime
    target: int | None = None
    effect_at: datetime | None = None
    suspended: bool = False
    left: timedelta | None = None


@dataclass
class _State:
    treaty: Treaty
    interpretation: Interpretation
    in_force: datetime
    horizon: datetime
    terms: _Terms
    bound: dict[str, datetime | None]
    notices: dict[str, _Notice] = field(default_factory=dict)
    not_operating: set[str] = field(default_factory=set)
    terminated_at: datetime | None = None
    final_term: int | None = None
    final_outcome: Outcome | None = None
    extended_terms: set[int] = field(default_factory=set)
    rejections: list[Rejection] = field(default_factory=list)
    notice_rows: list[NoticeRow] = field(default_factory=list)
    extensions: list[tuple[datetime, int, datetime]] = field(default_factory=list)

    @property
    def clause(self) -> Clause:
        return self.treaty.clause

    @property
    def zone(self) -> tzinfo:
        return self.terms.zone

    @property
    def started(self) -> bool:
        return utc(self.in_force) < utc(self.horizon)

    def effect(self, notice: _Notice) -> datetime | None:
        """When a notice takes effect (None while suspended, or if its term never ends)."""
        if notice.suspended:
            return None
        if notice.effect_at is not None:
            return notice.effect_at
        assert notice.target is not None
        return self.terms.end(notice.target)

    def deadline(self, number: int) -> datetime | None:
        """A term's end is a date's 00:00, so ``end - notice`` is 00:00 on the date ``notice``
        before it, under either counting (``whole_days``: the notice is in time through the
        day before that date). Reckoned on dates, so a term ending on a day whose 00:00 did
        not exist (the day began at 01:00) still has its deadline at a day's start."""
        end = self.terms.end_date(number)
        notice = self.clause.notice
        if end is None or notice is None:
            return None
        return at_midnight(shift_date(end, notice, -1), self.zone)

    # --- what happens between actions ----------------------------------------------------

    def run_until(self, moment: datetime, *, inclusive: bool) -> None:
        """Apply, in time order, every effect and expiry before ``moment`` (or at it)."""
        while self.terminated_at is None:
            due: list[tuple[datetime, int, str, datetime]] = []
            for order, party in enumerate(self.treaty.party_names):
                notice = self.notices.get(party)
                if notice is not None:
                    when = self.effect(notice)
                    if when is not None:
                        due.append((utc(when), order, party, when))
            last = self.terms.last()
            expiry = self.terms.end(last) if last is not None else None
            if expiry is not None:
                due.append((utc(expiry), len(self.treaty.parties), "", expiry))
            if not due:
                return
            instant, _, party, when = min(due)
            limit = utc(moment)
            if instant > limit or (instant == limit and not inclusive):
                return
            if instant >= utc(self.horizon):
                return
            if party:
                self.take_effect(party, when, ended_at_end=False)
            else:
                self.end_treaty(when, self.terms.in_force_at(when, ended_at_end=False))
                self.final_outcome = Outcome.EXPIRED

    def take_effect(self, party: str, moment: datetime, *, ended_at_end: bool) -> None:
        """A notice takes effect: the party leaves; with two parties (or fewer than two
        left after it) the treaty ends (PRODUCT.md, "The treaty"). ``ended_at_end``: whether
        a term ending at ``moment`` is over (it is for an action, not for an effect)."""
        del self.notices[party]
        others = [p for p, until in self.bound.items() if until is None and p != party]
        if len(self.treaty.parties) > 2 and len(others) >= 2:
            self.bound[party] = moment
            self.not_operating.discard(party)
            return
        self.end_treaty(moment, self.terms.in_force_at(moment, ended_at_end=ended_at_end))

    def end_treaty(self, moment: datetime, number: int) -> None:
        self.terminated_at = moment
        self.final_term = number
        self.final_outcome = Outcome.TERMINATED
        for party, until in self.bound.items():
            if until is None:
                self.bound[party] = moment
        self.notices.clear()

    # --- the actions ---------------------------------------------------------------------

    def act(self, action: Action, moment: datetime) -> None:
        if not self.decide(action, moment):
            self.rejections.append(Rejection(moment, action.do, action.by))

    def decide(self, action: Action, moment: datetime) -> bool:
        """Apply ``action`` if it applies (PRODUCT.md, "Actions"); False if it is rejected."""
        party = action.by
        if party is not None and party not in self.bound:
            return False
        if not self.started or utc(moment) < utc(self.in_force):
            return False
        if self.terminated_at is not None:
            return False
        if party is not None and self.bound[party] is not None:
            return False
        kind = action.do
        if kind is ActionKind.TERMINATE:
            self.end_treaty(moment, self.terms.in_force_at(moment, ended_at_end=True))
            return True
        if kind is ActionKind.EXTEND:
            return self.extend(action, moment)
        assert party is not None
        if kind is ActionKind.SUSPEND_OPERATION:
            if party in self.not_operating:
                return False
            self.not_operating.add(party)
            return True
        if kind is ActionKind.RESUME_OPERATION:
            if party not in self.not_operating:
                return False
            self.not_operating.discard(party)
            return True
        notice = self.notices.get(party)
        if kind is ActionKind.NOTIFY:
            return notice is None and self.notify(party, moment)
        if notice is None:
            return False
        if kind is ActionKind.WITHDRAW_NOTICE:
            del self.notices[party]
            return True
        if kind is ActionKind.SUSPEND_NOTICE:
            if notice.suspended:
                return False
            when = self.effect(notice)
            assert when is not None
            notice.left = wall_clock_difference(moment, when)
            notice.suspended = True
            return True
        assert kind is ActionKind.RESUME_NOTICE
        if not notice.suspended:
            return False
        return self.resume(party, notice, moment)

    def new_notice(self, moment: datetime) -> _Notice | None:
        """A notice received at ``moment``: a withdrawal takes effect ``withdrawal`` after
        receipt; a renewal notice stops the renewal at the treaty's current end if in time,
        else (``next_term``) at the first later end whose deadline it meets (docs/decisions.md,
        1), else (``void``) it is None."""
        clause = self.clause
        if clause.withdrawal is not None:
            effect = period_from(moment, clause.withdrawal, clause.counting)
            return _Notice(moment, effect_at=effect)
        number = self.terms.in_force_at(moment, ended_at_end=True)
        if number in self.extended_terms:
            # Once an extension is agreed, the treaty's current end is the extension's end
            # (PRODUCT.md, "Actions": extend moves the current end; docs/decisions.md, 11).
            number += 1
        while True:
            deadline = self.deadline(number)
            assert deadline is not None
            if utc(moment) < utc(deadline):
                return _Notice(moment, target=number)
            if clause.late_notice is LateNotice.VOID:
                return None
            number += 1

    def notify(self, party: str, moment: datetime) -> bool:
        clause = self.clause
        if clause.notice is None and clause.withdrawal is None:
            return False
        earliest = clause.earliest_notice
        assert self.treaty.in_force is not None
        first_day = None if earliest is None else shift_date(self.treaty.in_force, earliest)
        if first_day is not None and utc(moment) < utc(at_midnight(first_day, self.zone)):
            # "a notice before in_force + this is rejected"; the instant itself is in time.
            return False
        notice = self.new_notice(moment)
        if notice is None:
            return False
        self.notices[party] = notice
        self.notice_rows.append(NoticeRow(moment, party, False, self.effect(notice)))
        return True

    def resume(self, party: str, notice: _Notice, moment: datetime) -> bool:
        """PRODUCT.md, "Interpretations of a resumed notice"."""
        if self.interpretation is Interpretation.FRESH:
            fresh = self.new_notice(moment)
            if fresh is None:
                return False
            self.notices[party] = fresh
            self.notice_rows.append(NoticeRow(moment, party, True, self.effect(fresh)))
            return True
        if self.interpretation is Interpretation.IMMEDIATE:
            self.notices[party] = _Notice(notice.given, effect_at=moment)
            self.notice_rows.append(NoticeRow(moment, party, True, moment))
            self.take_effect(party, moment, ended_at_end=True)
            return True
        assert notice.left is not None
        resumed = _Notice(notice.given, effect_at=_later_of_wall_clock(moment, notice.left))
        self.notices[party] = resumed
        self.notice_rows.append(NoticeRow(moment, party, True, resumed.effect_at))
        return True

    def extend(self, action: Action, moment: datetime) -> bool:
        """``extend`` moves the current end (PRODUCT.md, "Actions"): a pending withdrawal's
        effect where one comes before the running term's end (the earliest such one), else the
        running term's end, which becomes the end of a new term."""
        tz = zone(self.treaty.timezone)
        number = self.terms.in_force_at(moment, ended_at_end=True)
        extended_before = number in self.extended_terms
        current_number = number + 1 if extended_before else number
        current_end = self.terms.end(current_number)
        first: tuple[datetime, str] | None = None
        for party, notice in self.notices.items():
            # The earliest dated effect; between equal ones, the notice that was given first.
            if notice.suspended or notice.effect_at is None:
                continue
            if first is None or utc(notice.effect_at) < utc(first[0]):
                first = (notice.effect_at, party)
        if first is not None:
            first_effect, first_party = first
            if current_end is None or utc(first_effect) < utc(current_end):
                new_effect = self.moved(action, first_effect, tz, self.clause.counting)
                if new_effect is None:
                    return False
                self.notices[first_party].effect_at = new_effect
                self.extensions.append((moment, number, new_effect))
                return True
        if current_end is None:
            return False
        # The new end is a date: the current end's date plus the period, or the day after
        # ``through``; 00:00 on it (PRODUCT.md, "Actions").
        if action.period is not None:
            current_day = self.terms.end_date(current_number)
            assert current_day is not None
            new_day = shift_date(current_day, action.period)
        else:
            assert action.through is not None
            new_day = day_after(action.through)
        new_end = at_midnight(new_day, tz)
        if utc(new_end) <= utc(current_end):
            return False
        kept = tuple(a for a in self.terms.anchors if a.first <= number)
        anchors = (*kept, _Anchor(number + 1, new_day, NOTHING))
        self.terms = _Terms(self.terms.renewal, anchors, tz)
        if not extended_before:
            # The extension is a new term, numbered after the running one: a renewal notice
            # aimed at this end or a later one now stops the renewal one term further on.
            for notice in self.notices.values():
                if notice.target is not None and notice.target >= number:
                    notice.target += 1
        self.extended_terms.add(number)
        self.extensions.append((moment, number, new_end))
        return True

    @staticmethod
    def moved(action: Action, current: datetime, tz: tzinfo, counting: Counting) -> datetime | None:
        """The end an extension gives (``period`` added to the current end, or the day after
        ``through``); None unless it is later than the current end. Under ``whole_days`` an
        effect is the start of a day, so the period is added to that day."""
        if action.period is not None:
            if counting is Counting.WHOLE_DAYS:
                new = at_midnight(shift_date(local_date(current), action.period), tz)
            else:
                new = add(current, action.period)
        else:
            assert action.through is not None
            new = _day_after_through(action.through, tz)
        return new if utc(new) > utc(current) else None

    # --- the result ----------------------------------------------------------------------

    def rows(self) -> tuple[TermRow, ...]:
        if not self.started:
            return ()
        if self.final_term is not None:
            count = self.final_term
        elif not self.terms.anchors:
            count = 1
        else:
            count = self.terms.in_force_at(self.horizon, ended_at_end=False)
        rows: list[TermRow] = []
        start = self.in_force
        for number in range(1, count + 1):
            end = self.terms.end(number)
            deadline = self.deadline(number)
            if number < count:
                assert end is not None
                kind = Outcome.EXTENDED if number in self.extended_terms else Outcome.RENEWED
                rows.append(TermRow(number, start, end, deadline, kind))
                start = end
                continue
            if self.terminated_at is not None:
                assert self.final_outcome is not None
                ended = self.terminated_at
                rows.append(TermRow(number, start, ended, deadline, self.final_outcome))
            else:
                kind = Outcome.EXTENDED if number in self.extended_terms else Outcome.RUNNING
                rows.append(TermRow(number, start, end, deadline, kind))
        return tuple(rows)


def outcome(
    scenario: Scenario, treaty: Treaty, interpretation: Interpretation | None = None
) -> ClosedOutcome:
    """What ``scenario`` (whose treaty, if named, is ``treaty``) comes to at its horizon.

    Raises :class:`ValueError` for an action at or after the horizon (the engine refuses to
    run such a scenario)."""
    tz = zone(treaty.timezone)
    assert treaty.in_force is not None, "entry into force by a count of joins: not yet modelled"
    in_force = at_midnight(treaty.in_force, tz)
    timed = sorted(
        ((as_instant(a.at, tz), index, a) for index, a in enumerate(scenario.actions)),
        key=lambda item: (utc(item[0]), item[1]),
    )
    instants = [moment for moment, _, _ in timed]
    horizon = (
        at_midnight(scenario.horizon, tz)
        if scenario.horizon is not None
        else default_horizon(treaty, instants)
    )
    if any(utc(moment) >= utc(horizon) for moment in instants):
        raise ValueError("an action is at or after the horizon")
    state = _State(
        treaty=treaty,
        interpretation=interpretation or scenario.interpretation,
        in_force=in_force,
        horizon=horizon,
        terms=_initial_terms(treaty.clause, treaty.in_force, tz),
        bound=dict.fromkeys(treaty.party_names),
    )
    for moment, _, action in timed:
        if state.started:
            state.run_until(moment, inclusive=True)
        state.act(action, moment)
    if state.started:
        state.run_until(horizon, inclusive=False)
    return ClosedOutcome(
        in_force=in_force,
        horizon=horizon,
        terms=state.rows(),
        terminated_at=state.terminated_at,
        bound_until=tuple(state.bound.items()),
        rejections=tuple(state.rejections),
        notices=tuple(state.notice_rows),
        extensions=tuple(state.extensions),
    )
