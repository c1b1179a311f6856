"""A closed-form model of a scenario's outcome: every term end, notice deadline and end of
obligations, computed straight from the rules of PRODUCT.md with no simulation.

It is the independent oracle of the differential tests, and part of the tests only: nothing
under ``sim/`` imports it (issue 15: it left the product, ``sim/core/closed_form.py``). The
SimPy engine (the reference) and the vectorised path (``sim/engines/vector.py``) are held to
it (tests/test_closed_form.py, tests/test_properties.py, tests/test_vector.py). On purpose it
keeps its own decisions, and its own arithmetic where it has any (the term in force at an
instant by estimate and correction), so that a mistake in the product's kernel is not simply
copied into the oracle. It shares the arithmetic of every rule with the engine, and only
that: term ends, deadlines, a notice's effect, earliest effect, calendar boundaries, survival,
accession and the extension cap are asked of :mod:`sim.core.rules` and :mod:`sim.core.dates`
("One rule, one place", STYLE.md). What
happens when (which action applies in which state, what a notice stops, who is still bound)
is decided here, without the state machine of :mod:`sim.core.machine`. Where PRODUCT.md is
silent it follows docs/decisions.md.

How it works. Nothing happens between two actions but a few dated things, none of which
needs a clock:

- the treaty's entry into force (a date, or ``after`` the ``parties``-th ``join``);
- a timed suspension running out (``suspend_notice`` with ``for`` or ``until``);
- a pending notice taking effect, at one known instant;
- the end of a fixed term (a renewal needs no step: term ``n`` ends at ``in_force + term +
  (n-1)·renewal``, as moved by extensions, and the term in force at an instant is found by
  arithmetic, an estimate from the renewal's length corrected by a step or two, never by
  walking the renewals one by one).

The actions are taken in time order (equal instants in file order, "Actions"); before each
one, the dated things due up to its instant are applied, the earliest first, and at one
instant in this order: entry into force, suspensions running out, effects, the end of a
fixed term, then actions (docs/decisions.md, 24). So a notice effective at a term's end stops
that renewal, and an action at a term's end finds the next term begun.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sim.core import rules
from sim.core.dates import (
    add,
    as_instant,
    at_midnight,
    last_day,
    local_date,
    shift_date,
    utc,
    wall_clock_difference,
    zone,
)
from sim.core.model import Action, ActionKind, Clause, Interpretation, Scenario, Treaty
from sim.core.rules import (
    Schedule,
    bound_from,
    earliest_effect,
    entry_by_count,
    extension_cap,
    moved_effect,
    resumed_effect,
    survives_until,
)
from sim.core.timeline import Outcome

__all__ = [
    "ClosedOutcome",
    "JoinRow",
    "NoticeRow",
    "Rejection",
    "TermRow",
    "default_horizon",
    "outcome",
    "term_end",
    "term_ends",
    "term_in_force",
]


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
    """An action that did not apply (a timed suspension that runs out and cannot resume is
    one too: a ``resume_notice`` by the party, at the instant it ran out)."""

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
class JoinRow:
    """A ``join`` that applied: when, by whom, and from when the party is bound."""

    at: datetime
    by: str
    bound_from: datetime


@dataclass(frozen=True)
class ClosedOutcome:
    """What a scenario comes to: when the treaty entered into force (None: not before the
    horizon), its terms, when each party stops being bound and its surviving obligations end,
    when the treaty ends, and which actions did not apply."""

    in_force: datetime | None
    horizon: datetime
    terms: tuple[TermRow, ...]
    terminated_at: datetime | None
    bound_until: tuple[tuple[str, datetime | None], ...]
    survives_until: tuple[tuple[str, datetime | None], ...]
    rejections: tuple[Rejection, ...]
    notices: tuple[NoticeRow, ...]
    extensions: tuple[tuple[datetime, int, datetime], ...]
    """Each applied extension: when, in which term, and the new end it gives."""
    joins: tuple[JoinRow, ...] = ()

    def bound(self) -> dict[str, datetime | None]:
        """``bound_until`` as a mapping from party to instant (None: bound at the horizon)."""
        return dict(self.bound_until)

    def survives(self) -> dict[str, datetime | None]:
        """``survives_until`` as a mapping from party to instant (None: nothing survives)."""
        return dict(self.survives_until)


def default_horizon(treaty: Treaty, instants: list[datetime]) -> datetime:
    """Three years after the last action's date (or after entry into force, or signature
    where a count of joins brings the treaty into force), 00:00 local."""
    horizon = rules.default_horizon(treaty, instants)
    if horizon is None:
        raise ValueError("the treaty has no in_force date and no actions: give a horizon")
    return horizon


# --- the terms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Terms:
    """The term ends of a clause (the shared :class:`~sim.core.rules.Schedule`), and which
    term runs at an instant, found by arithmetic."""

    schedule: Schedule

    def end(self, number: int) -> datetime | None:
        """The end of term ``number``, or None where there is no such term."""
        return self.schedule.end(number)

    def last(self) -> int | None:
        """The number of the last term when the terms do not renew (None: they renew)."""
        if self.schedule.indefinite:
            return 1
        return self.schedule.last_number()

    def in_force_at(self, moment: datetime, *, ended_at_end: bool) -> int:
        """The number of the term running at ``moment``: the first whose end is after
        ``moment`` (``ended_at_end``: a term ending exactly at ``moment`` is over, as it is
        for an action; otherwise it is still running, as it is for an effect)."""

        def over(number: int) -> bool:
            end = self.end(number)
            if end is None:
                return False
            return utc(end) < utc(moment) or (ended_at_end and utc(end) == utc(moment))

        segments = self.schedule.segments
        renewal = self.schedule.clause.renewal
        if not segments:
            return 1
        for index, segment in enumerate(segments):
            following = segments[index + 1].first if index + 1 < len(segments) else None
            last_here = following - 1 if following is not None else self.last()
            if last_here is not None and over(last_here):
                continue
            if last_here is not None and last_here == segment.first:
                return segment.first
            # Renewals: estimate how many whole renewals fit, then correct by a step or two.
            assert renewal is not None
            start = self.end(segment.first)
            assert start is not None
            length = renewal.months * _DAYS_PER_MONTH + renewal.days
            elapsed = (utc(moment) - utc(start)) / timedelta(days=1)
            number = segment.first + max(0, math.floor(elapsed / length) - 1)
            if last_here is not None:
                number = min(number, last_here)
            while over(number) and (last_here is None or number < last_here):
                number += 1
            while number > segment.first and not over(number - 1):
                number -= 1
            return number
        last = self.last()
        assert last is not None
        return last


def term_ends(clause: Clause, in_force: date, tz: tzinfo, until: datetime) -> list[datetime]:
    """The ends of the terms that begin before ``until`` with no action taken (a fast path
    for the deadline table): ``in_force + term + (n-1)·renewal``."""
    schedule = Schedule.of(clause, in_force, tz)
    ends: list[datetime] = []
    number = 1
    while True:
        end = schedule.end(number)
        if end is None:
            return ends
        ends.append(end)
        if utc(end) >= utc(until):
            return ends
        number += 1


def term_end(clause: Clause, in_force: date, tz: tzinfo, number: int) -> datetime | None:
    """The end of term ``number`` with no extension: 00:00 on ``in_force + term + (number -
    1)·renewal`` (PRODUCT.md, "Time"); None for an indefinite treaty or past a fixed term."""
    return Schedule.of(clause, in_force, tz).end(number)


def term_in_force(clause: Clause, in_force: date, tz: tzinfo, moment: datetime) -> int:
    """The number of the term running at ``moment`` with no extension (a term ending exactly
    at ``moment`` is over: terms are half-open), found by arithmetic, not by walking the
    terms; the last term's number once a fixed term is over."""
    return _Terms(Schedule.of(clause, in_force, tz)).in_force_at(moment, ended_at_end=True)


# --- the notices ---------------------------------------------------------------------------


@dataclass
class _Notice:
    """A party's notice: it stops the renewal at the end of term ``target``, or takes effect
    at ``effect_at``; while suspended it does nothing and keeps the time ``left``, and a
    timed suspension runs out at ``resumes_at``. ``timer`` orders suspensions running out at
    one instant: the one set first runs out first."""

    party: str
    given: datetime
    target: int | None = None
    effect_at: datetime | None = None
    suspended: bool = False
    left: timedelta | None = None
    resumes_at: datetime | None = None
    timer: int = 0


_ENTRY, _RESUME, _EFFECT, _EXPIRY = 1, 3, 4, 5
"""The order of dated things at one instant (docs/decisions.md, 24); actions come last."""


@dataclass
class _State:
    treaty: Treaty
    interpretation: Interpretation
    horizon: datetime
    zone: tzinfo
    in_force: datetime | None
    terms: _Terms | None
    member: dict[str, datetime | None]
    """When each party is (or was last) bound from; None: not a party until it joins."""
    bound: dict[str, datetime | None]
    survives: dict[str, datetime | None]
    started: bool = False
    joined: int = 0
    timers: int = 0
    notices: dict[str, _Notice] = field(default_factory=dict)
    not_operating: set[str] = field(default_factory=set)
    terminated_at: datetime | None = None
    final_term: int | None = None
    final_outcome: Outcome | None = None
    extended_terms: set[int] = field(default_factory=set)
    rejections: list[Rejection] = field(default_factory=list)
    notice_rows: list[NoticeRow] = field(default_factory=list)
    extensions: list[tuple[datetime, int, datetime]] = field(default_factory=list)
    join_rows: list[JoinRow] = field(default_factory=list)

    @property
    def clause(self) -> Clause:
        return self.treaty.clause

    @property
    def schedule(self) -> Schedule:
        assert self.terms is not None
        return self.terms.schedule

    def effect(self, notice: _Notice) -> datetime | None:
        """When a notice takes effect (None while suspended, or if its term never ends)."""
        if notice.suspended:
            return None
        if notice.effect_at is not None:
            return notice.effect_at
        assert notice.target is not None and self.terms is not None
        return self.terms.end(notice.target)

    def running(self, moment: datetime, *, ended_at_end: bool = True) -> int:
        """The term whose end is the treaty's current end at ``moment``: the one running, or
        the extension agreed during it (docs/decisions.md, 11)."""
        assert self.terms is not None
        number = self.terms.in_force_at(moment, ended_at_end=ended_at_end)
        return number + 1 if number in self.extended_terms else number

    def own_in_force(self, party: str) -> date:
        """The date the treaty entered into force for ``party`` (its last joining): what
        ``earliest_notice`` and ``earliest_effect`` count from (PRODUCT.md 0.2)."""
        member = self.member[party]
        assert member is not None
        return local_date(member)

    # --- what happens between actions ----------------------------------------------------

    def next_due(self) -> tuple[datetime, int, int, str, datetime] | None:
        """The first dated thing still to happen: (instant in UTC, rank, order, party or "",
        instant)."""
        due: list[tuple[datetime, int, int, str, datetime]] = []
        if not self.started:
            if self.in_force is not None:
                due.append((utc(self.in_force), _ENTRY, 0, "", self.in_force))
            return min(due, default=None)
        if self.terminated_at is not None:
            return None
        for order, (party, notice) in enumerate(self.notices.items()):
            if notice.suspended:
                if notice.resumes_at is not None:
                    at = notice.resumes_at
                    due.append((utc(at), _RESUME, notice.timer, party, at))
                continue
            when = self.effect(notice)
            if when is not None:
                due.append((utc(when), _EFFECT, order, party, when))
        last = self.terms.last() if self.terms is not None else None
        expiry = self.terms.end(last) if self.terms is not None and last is not None else None
        if expiry is not None:
            due.append((utc(expiry), _EXPIRY, 0, "", expiry))
        return min(due, default=None)

    def run_until(self, moment: datetime, *, inclusive: bool) -> None:
        """Apply, in time order, every dated thing before ``moment`` (or at it)."""
        while True:
            item = self.next_due()
            if item is None:
                return
            instant, rank, _, party, when = item
            limit = utc(moment)
            if instant > limit or (instant == limit and not inclusive):
                return
            if instant >= utc(self.horizon):
                return
            if rank == _ENTRY:
                self.enter_into_force()
            elif rank == _RESUME:
                notice = self.notices[party]
                self.resume(notice, when, expired=True)
            elif rank == _EFFECT:
                self.take_effect(party, when, ended_at_end=False)
            else:
                assert self.terms is not None
                self.end_treaty(when, self.terms.in_force_at(when, ended_at_end=False))
                self.final_outcome = Outcome.EXPIRED

    def enter_into_force(self) -> None:
        """The first term begins; a party bound from an earlier instant is bound from now."""
        assert self.in_force is not None
        self.started = True
        for party, moment in self.member.items():
            if moment is not None and utc(moment) <= utc(self.in_force):
                self.member[party] = self.in_force

    def take_effect(self, party: str, moment: datetime, *, ended_at_end: bool) -> None:
        """A notice takes effect: the party leaves; with two parties, or when fewer than two
        parties would remain bound, the treaty ends (PRODUCT.md, "The treaty";
        docs/decisions.md, 15). Every party it releases keeps the obligations that survive
        the withdrawal until ``survival`` after it (PRODUCT.md 0.2, "Survival").
        ``ended_at_end``: whether a term ending at ``moment`` is over (it is for an action,
        not for an effect)."""
        del self.notices[party]
        still = [
            p for p, until in self.bound.items() if until is None and self.member[p] is not None
        ]
        others = [p for p in still if p != party]
        if self.treaty.multilateral and len(others) >= 2:
            self.bound[party] = moment
            self.not_operating.discard(party)
        else:
            assert self.terms is not None
            self.end_treaty(moment, self.terms.in_force_at(moment, ended_at_end=ended_at_end))
        until = survives_until(self.clause, moment)
        if until is not None:
            for released in still:
                if self.bound[released] is not None:
                    self.survives[released] = until

    def end_treaty(self, moment: datetime, number: int) -> None:
        self.terminated_at = moment
        self.final_term = number
        self.final_outcome = Outcome.TERMINATED
        for party, until in self.bound.items():
            if until is None and self.member[party] is not None:
                self.bound[party] = moment
        self.notices.clear()

    # --- the actions ---------------------------------------------------------------------

    def act(self, action: Action, moment: datetime) -> None:
        if not self.decide(action, moment):
            self.rejections.append(Rejection(moment, action.do, action.by))

    def decide(self, action: Action, moment: datetime) -> bool:
        """Apply ``action`` if it applies (PRODUCT.md, "Actions"); False if it is rejected."""
        party, kind = action.by, action.do
        if party is not None and party not in self.bound:
            return False  # not a party at all
        if self.terminated_at is not None:
            return False  # nothing applies once the treaty has ended, not even a join
        if party is None:
            if not self.started:
                return False
            if kind is ActionKind.TERMINATE:
                assert self.terms is not None
                self.end_treaty(moment, self.terms.in_force_at(moment, ended_at_end=True))
                return True
            return self.extend(action, moment)
        member = self.member[party]
        if member is None or self.bound[party] is not None:
            # not yet a party, or one that has left: it may (re-)join, and do nothing else
            return kind is ActionKind.JOIN and self.join(party, moment)
        if kind is ActionKind.JOIN or not self.started or utc(moment) < utc(member):
            return False  # already a party, or not yet bound
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
            return notice is None and self.notify(action, party, moment)
        if notice is None:
            return False
        if kind is ActionKind.WITHDRAW_NOTICE:
            del self.notices[party]
            return True
        if kind is ActionKind.SUSPEND_NOTICE:
            return self.suspend(action, notice, moment)
        assert kind is ActionKind.RESUME_NOTICE
        return notice.suspended and self.resume(notice, moment, expired=False)

    def join(self, party: str, moment: datetime) -> bool:
        """A party deposits its instrument (PRODUCT.md 0.2, "Parties with their own dates"):
        bound from ``moment`` + ``accession_delay``, never before the treaty's entry into
        force; the ``parties``-th join brings a treaty with ``entry_into_force`` into force
        ``after`` it."""
        self.joined += 1
        if self.in_force is None:
            self.in_force = entry_by_count(self.treaty, self.joined, moment)
            if self.in_force is not None:
                self.terms = _Terms(Schedule.of(self.clause, local_date(self.in_force), self.zone))
        bound = bound_from(self.clause, moment, self.in_force)
        self.member[party] = bound
        self.bound[party] = None
        self.join_rows.append(JoinRow(moment, party, bound))
        return True

    def new_notice(self, party: str, moment: datetime, *, ended_at_end: bool) -> _Notice | None:
        """A notice received at ``moment``: a withdrawal takes effect as the clause counts it
        (``withdrawal``, ``effect_on``, ``earliest_effect``); a renewal notice stops the
        renewal at the treaty's current end if in time, else (``next_term``) at the first later
        end whose deadline it meets (docs/decisions.md, 1), and not at an end before
        ``earliest_effect``; else (``void``) it is None."""
        clause = self.clause
        not_before = earliest_effect(clause, self.own_in_force(party), self.zone)
        if clause.withdrawal is not None or clause.effect_on is not None:
            effect = self.schedule.withdrawal_effect(moment, not_before)
            return _Notice(party, moment, effect_at=effect)
        running = self.running(moment, ended_at_end=ended_at_end)
        target = self.schedule.renewal_notice_target(moment, running, not_before)
        return None if target is None else _Notice(party, moment, target=target)

    def notify(self, action: Action, party: str, moment: datetime) -> bool:
        """PRODUCT.md, "The clause" and its 0.2 additions: exit allowed, not before
        ``earliest_notice`` (from the party's own entry into force, inclusive), not before the
        running term's notice window opens, not void, and a named date not earlier than the
        clause's own effect."""
        clause = self.clause
        if not clause.allows_exit:
            return False
        if clause.earliest_notice is not None:
            first_day = shift_date(self.own_in_force(party), clause.earliest_notice)
            if utc(moment) < utc(at_midnight(first_day, self.zone)):
                return False
        opens = self.schedule.window_opens(self.running(moment))
        if opens is not None and utc(moment) < utc(opens):
            return False
        notice = self.new_notice(party, moment, ended_at_end=True)
        if notice is None:
            return False
        if action.effective is not None:
            named = as_instant(action.effective, self.zone)
            rule = self.effect(notice)
            assert rule is not None
            if utc(named) < utc(rule):
                return False
            notice.effect_at, notice.target = named, None
        self.notices[party] = notice
        self.notice_rows.append(NoticeRow(moment, party, False, self.effect(notice)))
        return True

    def suspend(self, action: Action, notice: _Notice, moment: datetime) -> bool:
        """Suspend a pending notice, keeping the time left before its effect; with ``for``
        or ``until`` the suspension runs out by itself, and a suspended notice may be
        suspended again only so, to re-time it (PRODUCT.md 0.2, "Timed suspension")."""
        if action.for_ is not None:
            ends: datetime | None = add(moment, action.for_)
        elif action.until is not None:
            ends = as_instant(action.until, self.zone)
        else:
            ends = None
        if ends is not None and utc(ends) <= utc(moment):
            return False
        if notice.suspended:
            if ends is None:
                return False
        else:
            when = self.effect(notice)
            assert when is not None
            notice.left = wall_clock_difference(moment, when)
            notice.suspended = True
        if ends is None:
            notice.resumes_at = None
        elif notice.resumes_at is None or utc(notice.resumes_at) != utc(ends):
            self.timers += 1
            notice.resumes_at, notice.timer = ends, self.timers
        return True

    def resume(self, notice: _Notice, moment: datetime, *, expired: bool) -> bool:
        """PRODUCT.md, "Interpretations of a resumed notice", by ``resume_notice`` or (with
        ``expired``) by a timed suspension running out. Under ``fresh`` the resumption is a
        new notice; if that would be void, the notice stays suspended (a suspension that ran
        out is then recorded as a rejected ``resume_notice``; docs/decisions.md, 8)."""
        party = notice.party
        # a suspension running out comes before the term ending at the same instant
        ended_at_end = not expired
        if self.interpretation is Interpretation.FRESH:
            fresh = self.new_notice(party, moment, ended_at_end=ended_at_end)
            if fresh is None:
                if expired:
                    notice.resumes_at = None
                    self.rejections.append(Rejection(moment, ActionKind.RESUME_NOTICE, party))
                return False
            self.notices[party] = fresh
            self.notice_rows.append(NoticeRow(moment, party, True, self.effect(fresh)))
            return True
        if self.interpretation is Interpretation.IMMEDIATE:
            self.notices[party] = _Notice(party, notice.given, effect_at=moment)
            self.notice_rows.append(NoticeRow(moment, party, True, moment))
            self.take_effect(party, moment, ended_at_end=ended_at_end)
            return True
        assert notice.left is not None
        effect = resumed_effect(moment, notice.left)
        self.notices[party] = _Notice(party, notice.given, effect_at=effect)
        self.notice_rows.append(NoticeRow(moment, party, True, effect))
        return True

    def extend(self, action: Action, moment: datetime) -> bool:
        """``extend`` moves the current end (PRODUCT.md, "Actions"): a pending dated notice's
        effect where one comes before the running term's end (the earliest such one), else the
        running term's end, which becomes the end of a new term; never later than the clause's
        ``max_extension`` allows."""
        assert self.terms is not None
        number = self.terms.in_force_at(moment, ended_at_end=True)
        extended_before = number in self.extended_terms
        current_number = number + 1 if extended_before else number
        schedule = self.schedule
        current_end = schedule.end(current_number)
        first: _Notice | None = None
        for notice in self.notices.values():
            # The earliest dated effect; between equal ones, the notice that was given first.
            if notice.suspended or notice.effect_at is None:
                continue
            if first is None or utc(notice.effect_at) < utc(first.effect_at or moment):
                first = notice
        if (
            first is not None
            and first.effect_at is not None
            and (current_end is None or utc(first.effect_at) < utc(current_end))
        ):
            new_effect = self.moved(action, first.effect_at)
            if new_effect is None or not self.within_cap(new_effect, first.effect_at):
                return False
            first.effect_at = new_effect
            self.extensions.append((moment, number, new_effect))
            return True
        if current_end is None:
            return False
        new_day = schedule.extension_end(current_number, action.period, action.through)
        new_end = at_midnight(new_day, self.zone)
        if utc(new_end) <= utc(current_end) or not self.within_cap(new_end, current_end):
            return False
        self.terms = _Terms(schedule.extended(number, new_day))
        if not extended_before:
            # The extension is a new term, numbered after the running one: a renewal notice
            # aimed at this end or a later one now stops the renewal one term further on.
            for notice in self.notices.values():
                if notice.target is not None and notice.target >= number:
                    notice.target += 1
        self.extended_terms.add(number)
        self.extensions.append((moment, number, new_end))
        return True

    def within_cap(self, new_end: datetime, current: datetime) -> bool:
        """PRODUCT.md 0.2, "Extension cap": no later than ``current`` + ``max_extension``."""
        cap = extension_cap(self.clause, current)
        return cap is None or utc(new_end) <= utc(cap)

    def moved(self, action: Action, current: datetime) -> datetime | None:
        """The effect an extension gives a pending notice (``period`` added to the current
        effect, or the day after ``through``); None unless it is later. Under ``whole_days``
        an effect is the start of a day, so the period is added to that day."""
        new = moved_effect(self.clause, current, action.period, action.through)
        return new if utc(new) > utc(current) else None

    # --- the result ----------------------------------------------------------------------

    def rows(self) -> tuple[TermRow, ...]:
        if not self.started:
            return ()
        assert self.terms is not None and self.in_force is not None
        if self.final_term is not None:
            count = self.final_term
        elif self.schedule.indefinite:
            count = 1
        else:
            count = self.terms.in_force_at(self.horizon, ended_at_end=False)
        rows: list[TermRow] = []
        start = self.in_force
        for number in range(1, count + 1):
            end = self.terms.end(number)
            deadline = self.schedule.deadline(number)
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
    in_force = None if treaty.in_force is None else at_midnight(treaty.in_force, tz)
    terms = None
    if treaty.in_force is not None:
        terms = _Terms(Schedule.of(treaty.clause, treaty.in_force, tz))
    member: dict[str, datetime | None] = {}
    for party in treaty.party_names:
        own = treaty.party_in_force(party)
        member[party] = None if own is None else at_midnight(own, tz)
    state = _State(
        treaty=treaty,
        interpretation=interpretation or scenario.interpretation,
        horizon=horizon,
        zone=tz,
        in_force=in_force,
        terms=terms,
        member=member,
        bound=dict.fromkeys(treaty.party_names),
        survives=dict.fromkeys(treaty.party_names),
    )
    for moment, _, action in timed:
        state.run_until(moment, inclusive=True)
        state.act(action, moment)
    state.run_until(horizon, inclusive=False)
    return ClosedOutcome(
        in_force=state.in_force if state.started else None,
        horizon=horizon,
        terms=state.rows(),
        terminated_at=state.terminated_at,
        bound_until=tuple(state.bound.items()),
        survives_until=tuple(state.survives.items()),
        rejections=tuple(state.rejections),
        notices=tuple(state.notice_rows),
        extensions=tuple(state.extensions),
        joins=tuple(state.join_rows),
    )
