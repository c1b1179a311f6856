"""The vectorised closed form: the outcome of a batch of scenarios that share a treaty and
differ in when (and whether) each action happens, computed with NumPy on int64 instants (UTC
seconds), thousands of times faster than running the SimPy engine once per scenario.

It decides what happens when exactly as :mod:`sim.core.closed_form` does (the actions in time
order, equal instants in file order; before each one the dated things due up to it: a pending
notice's effect, then the end of a fixed term; docs/decisions.md, 24), but for every scenario
of the batch at once: a loop over the actions' places, not over the scenarios. The term ends
and notice deadlines, which the batch shares, are asked of :class:`sim.core.rules.Schedule`;
the arithmetic on varied instants (a withdrawal's period, the time left to a suspended
notice, the default horizon) is :mod:`sim.core.zone_table`, the same rules on arrays.

What it does not cover yet, it hands to the SimPy engine (:func:`sim.engine.run`), scenario
by scenario, and says how many went that way (:attr:`BatchOutcome.engine_rows`):

- a whole batch, when the treaty enters into force by a count of ``join`` or a party has its
  own ``in_force``; when the clause uses a 0.2 rule (``earliest_effect``, ``effect_on``,
  ``survival``, ``notice_window``, ``max_extension``, ``accession_delay``); when an action is
  ``extend`` or ``join``, a ``notify`` naming its ``effective`` date, or a timed
  ``suspend_notice`` (``for``/``until``); or when the horizon is more than 20,000 terms away;
- a single scenario, when one of its actions is at or after its horizon (the engine then
  reports the error on that scenario's row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from sim.core.dates import DateError, as_instant, at_midnight, shift_date, utc, zone
from sim.core.model import Action, ActionKind, Interpretation, Scenario, Treaty
from sim.core.rules import Schedule
from sim.core.zone_table import (
    Instants,
    add,
    as_seconds,
    local_days,
    shift_days,
    zone_table,
)

__all__ = ["NONE", "BatchOutcome", "fallback_reason", "outcomes"]

NONE = np.iinfo(np.int64).max
"""An instant that never comes: ``terminated_at`` or ``bound_until`` null (still in force, or
still bound, at the horizon)."""

MAX_TERMS = 20_000
DEFAULT_HORIZON_MONTHS = 36  # PRODUCT.md, "The timeline": three years after the last action

_UNSUPPORTED_CLAUSE = (
    "earliest_effect",
    "effect_on",
    "survival",
    "notice_window",
    "max_extension",
    "accession_delay",
)


@dataclass
class BatchOutcome:
    """What each scenario of a batch comes to, under one interpretation: when the treaty
    ended (``NONE``: in force at the horizon), when each party stopped being bound (columns in
    the order of ``parties``), how many actions were rejected, and why a scenario could not
    be run (``errors``, by row). ``engine_rows`` counts the scenarios the engine ran."""

    interpretation: Interpretation
    parties: tuple[str, ...]
    terminated_at: Instants
    bound_until: Instants
    rejections: npt.NDArray[np.int64]
    horizon: Instants
    errors: dict[int, str] = field(default_factory=dict)
    engine_rows: int = 0
    term_ends: Instants = field(default_factory=lambda: np.zeros(0, np.int64))
    """The term ends the batch shares (term n ends at ``term_ends[n-1]``), with no action."""
    notice_deadlines: Instants = field(default_factory=lambda: np.zeros(0, np.int64))


def fallback_reason(scenario: Scenario, treaty: Treaty) -> str | None:
    """Why a batch of this scenario goes to the engine (None: the vectorised path covers it)."""
    if treaty.in_force is None or treaty.entry_into_force is not None:
        return "the treaty enters into force by a count of joins"
    if any(treaty.party_in_force(p) != treaty.in_force for p in treaty.party_names):
        return "a party has its own in_force date"
    for name in _UNSUPPORTED_CLAUSE:
        if getattr(treaty.clause, name) is not None:
            return f"the clause uses {name}"
    for action in scenario.actions:
        if action.do in (ActionKind.EXTEND, ActionKind.JOIN):
            return f"an action is {action.do.value}"
        if action.effective is not None:
            return "a notice names its effective date"
        if action.for_ is not None or action.until is not None:
            return "a suspension is timed (for/until)"
    return None


def _engine_row(
    scenario: Scenario,
    treaty: Treaty,
    at: Sequence[datetime],
    happens: Sequence[bool],
    interpretation: Interpretation,
    parties: tuple[str, ...],
) -> tuple[int, list[int], int, int, str | None]:
    """One scenario through the SimPy engine: terminated_at, bound_until, rejections,
    horizon, error."""
    from sim.engine import RunError, run

    actions = [
        action.model_copy(update={"at": moment})
        for action, moment, kept in zip(scenario.actions, at, happens, strict=True)
        if kept
    ]
    try:
        timeline = run(scenario.model_copy(update={"actions": actions}), treaty, interpretation)
    except (RunError, DateError) as error:
        message = getattr(error, "message", str(error))
        where = getattr(error, "field", None)
        text = f"{where}: {message}" if where else str(message)
        return NONE, [NONE] * len(parties), 0, NONE, text

    def seconds(moment: datetime | None) -> int:
        return NONE if moment is None else as_seconds(moment)

    return (
        seconds(timeline.terminated_at),
        [seconds(timeline.bound_until.get(p)) for p in parties],
        len(timeline.rejections),
        as_seconds(timeline.horizon),
        None,
    )


def base_instants(scenario: Scenario, treaty: Treaty) -> Instants:
    """The instants of the scenario's own actions (UTC seconds), in file order."""
    tz = zone(treaty.timezone)
    return np.array(
        [as_seconds(as_instant(a.at, tz)) for a in scenario.actions], dtype=np.int64
    ).reshape(len(scenario.actions))


def outcomes(
    scenario: Scenario,
    treaty: Treaty,
    at: Instants,
    happens: npt.NDArray[np.bool_] | None = None,
    interpretation: Interpretation | None = None,
) -> BatchOutcome:
    """The outcome of each scenario of a batch: ``scenario`` with its actions at ``at[i, k]``
    (UTC seconds; row i, action k in file order) and, where ``happens[i, k]`` is False,
    without action k."""
    chosen = interpretation or scenario.interpretation
    rows, count = at.shape
    if happens is None:
        happens = np.ones((rows, count), dtype=bool)
    parties = tuple(treaty.party_names)
    if fallback_reason(scenario, treaty) is not None:
        return _all_engine(scenario, treaty, at, happens, chosen, parties)
    return _Vector(scenario, treaty, at, happens, chosen, parties).run()


def _all_engine(
    scenario: Scenario,
    treaty: Treaty,
    at: Instants,
    happens: npt.NDArray[np.bool_],
    chosen: Interpretation,
    parties: tuple[str, ...],
    only: npt.NDArray[np.int64] | None = None,
    into: BatchOutcome | None = None,
) -> BatchOutcome:
    rows = at.shape[0]
    tz = zone(treaty.timezone)
    result = into or BatchOutcome(
        chosen,
        parties,
        np.full(rows, NONE, np.int64),
        np.full((rows, len(parties)), NONE, np.int64),
        np.zeros(rows, np.int64),
        np.full(rows, NONE, np.int64),
    )
    which = np.arange(rows) if only is None else only
    from datetime import UTC

    for row in which:
        moments = [datetime.fromtimestamp(int(s), UTC).astimezone(tz) for s in at[row]]
        ended, bound, rejected, horizon, error = _engine_row(
            scenario, treaty, moments, list(happens[row]), chosen, parties
        )
        result.terminated_at[row] = ended
        result.bound_until[row] = bound
        result.rejections[row] = rejected
        result.horizon[row] = horizon
        if error is not None:
            result.errors[int(row)] = error
        result.engine_rows += 1
    return result


class _Vector:
    """The state of every scenario of the batch, advanced one action's place at a time."""

    def __init__(
        self,
        scenario: Scenario,
        treaty: Treaty,
        at: Instants,
        happens: npt.NDArray[np.bool_],
        interpretation: Interpretation,
        parties: tuple[str, ...],
    ) -> None:
        self.scenario, self.treaty, self.parties = scenario, treaty, parties
        self.at, self.happens, self.interpretation = at, happens, interpretation
        self.clause = treaty.clause
        self.tz = zone(treaty.timezone)
        assert treaty.in_force is not None
        self.in_force_day = treaty.in_force
        self.in_force = as_seconds(at_midnight(treaty.in_force, self.tz))
        rows, parties_count = at.shape[0], len(parties)
        self.rows = rows
        kept = np.where(happens, at, np.iinfo(np.int64).min)
        last = kept.max(axis=1) if at.shape[1] else np.full(rows, np.iinfo(np.int64).min)
        span = [at.ravel(), np.array([self.in_force], np.int64)]
        if scenario.horizon is not None:
            span.append(np.array([as_seconds(at_midnight(scenario.horizon, self.tz))]))
        first_year, last_year = _years(np.concatenate(span), self._reach())
        self.table = zone_table(self.tz, first_year, last_year)
        self.horizon = self._horizons(last)
        schedule = Schedule.of(self.clause, treaty.in_force, self.tz)
        self.ends, self.deadlines = _terms(schedule, int(self.horizon.max()))
        last_number = schedule.last_number()
        expiry = schedule.end(last_number) if last_number else None
        self.expiry = NONE if expiry is None else as_seconds(expiry)
        self.earliest_notice = np.iinfo(np.int64).min
        if self.clause.earliest_notice is not None:
            first = shift_date(treaty.in_force, self.clause.earliest_notice)
            self.earliest_notice = as_seconds(at_midnight(first, self.tz))
        # the state of each scenario
        self.terminated = np.full(rows, NONE, np.int64)
        self.bound = np.full((rows, parties_count), NONE, np.int64)
        self.notice = np.zeros((rows, parties_count), bool)
        self.suspended = np.zeros((rows, parties_count), bool)
        self.effect = np.full((rows, parties_count), NONE, np.int64)
        self.left = np.zeros((rows, parties_count), np.int64)
        self.order = np.zeros((rows, parties_count), np.int64)
        self.not_operating = np.zeros((rows, parties_count), bool)
        self.rejections = np.zeros(rows, np.int64)
        self.counter = 0

    def _reach(self) -> int:
        """Years beyond an instant that the arithmetic on it may reach."""
        longest = max(
            (d.months // 12 + d.days // 365 + 1 for d in (self.clause.withdrawal,) if d),
            default=0,
        )
        return 4 + longest

    def _horizons(self, last: Instants) -> Instants:
        """The scenario's horizon, or three years after the last action's local date (after
        entry into force where no action happens), 00:00 local (PRODUCT.md)."""
        if self.scenario.horizon is not None:
            value = as_seconds(at_midnight(self.scenario.horizon, self.tz))
            return np.full(self.rows, value, np.int64)
        last = np.where(last == np.iinfo(np.int64).min, self.in_force, last)
        days = local_days(self.table, last)
        from sim.core.dates import Duration

        shifted = shift_days(days, Duration(months=DEFAULT_HORIZON_MONTHS))
        return self.table.midnight(shifted)

    # --- the rules, on arrays ------------------------------------------------------------

    def new_effect(self, moment: Instants) -> tuple[Instants, npt.NDArray[np.bool_]]:
        """When a notice received at each instant takes effect, and whether it is valid
        (``Schedule.withdrawal_effect`` and ``Schedule.renewal_notice_target``)."""
        clause = self.clause
        if clause.withdrawal is not None:
            if clause.counting.value == "exact":
                effect = add(self.table, moment, clause.withdrawal)
            else:
                days = shift_days(local_days(self.table, moment), clause.withdrawal) + 1
                effect = self.table.midnight(days)
            return effect, np.ones(moment.shape, bool)
        if not len(self.ends):
            return np.full(moment.shape, NONE, np.int64), np.zeros(moment.shape, bool)
        running = np.searchsorted(self.ends, moment, side="right")
        in_time = np.searchsorted(self.deadlines, moment, side="right")
        target = np.maximum(running, in_time)
        valid = target < len(self.ends)
        if clause.late_notice.value == "void":
            valid &= target == running
        effect = self.ends[np.minimum(target, len(self.ends) - 1)]
        return effect, valid

    def later_of_wall_clock(self, moment: Instants, left: Instants) -> Instants:
        """``closed_form._later_of_wall_clock``: ``moment + left`` on the wall clock, its
        second occurrence where the first would come before ``moment``."""
        wall = self.table.local(moment) + left
        first = self.table.resolve(wall)
        second = self.table.resolve(wall, fold=1)
        use_second = (first < moment) & (self.table.local(second) == wall)
        return np.where(use_second, second, first)

    # --- what happens --------------------------------------------------------------------

    def end_treaty(self, rows: npt.NDArray[np.bool_], moment: Instants) -> None:
        self.terminated = np.where(rows, moment, self.terminated)
        still = rows[:, None] & (self.bound == NONE)
        self.bound = np.where(still, moment[:, None], self.bound)
        self.notice &= ~rows[:, None]

    def take_effect(self, rows: npt.NDArray[np.bool_], party: Instants, moment: Instants) -> None:
        """A notice takes effect: the party leaves; the treaty ends with two parties, or when
        fewer than two would remain bound (closed_form ``take_effect``)."""
        index = np.arange(self.rows)
        self.notice[index[rows], party[rows]] = False
        still = self.bound == NONE
        others = still.sum(axis=1) - still[index, party]
        if self.treaty.multilateral:
            leaves = rows & (others >= 2)
            self.bound[index[leaves], party[leaves]] = moment[leaves]
            ends = rows & ~leaves
        else:
            ends = rows
        self.end_treaty(ends, moment)

    def run_until(self, limit: Instants, inclusive: bool) -> None:
        """Apply every dated thing before ``limit`` (or at it), the earliest first; at one
        instant a notice's effect before the end of a fixed term."""
        bound = np.minimum(limit if inclusive else limit - 1, self.horizon - 1)
        for _ in range(len(self.parties) + 2):
            alive = self.terminated == NONE
            pending = np.where(self.notice & ~self.suspended, self.effect, NONE)
            best = np.minimum.reduce(pending.T) if pending.shape[1] else np.full(self.rows, NONE)
            effect_due = alive & (best <= bound) & (best <= self.expiry)
            if not effect_due.any() and (
                self.expiry == NONE or not (alive & (self.expiry <= bound)).any()
            ):
                return
            first = np.where(pending == best[:, None], self.order, NONE).argmin(axis=1)
            expiry_due = alive & ~effect_due & (self.expiry <= bound)
            if not effect_due.any() and not expiry_due.any():
                return
            if effect_due.any():
                self.take_effect(effect_due, first, best)
            if expiry_due.any():
                self.end_treaty(expiry_due, np.full(self.rows, self.expiry, np.int64))

    def act(
        self, kind: Action, party: int | None, rows: npt.NDArray[np.bool_], t: Instants
    ) -> None:
        """Apply one action where ``rows``; count a rejection where it does not apply (always,
        by one that is not a party: -1)."""
        if party == -1:
            self.rejections += rows
            return
        ok = rows & (self.terminated == NONE) & (t >= self.in_force)
        if party is None:
            assert kind.do is ActionKind.TERMINATE
            self.end_treaty(ok, t)
            self.rejections += rows & ~ok
            return
        p = party
        ok &= self.bound[:, p] == NONE
        do = kind.do
        if do is ActionKind.SUSPEND_OPERATION:
            ok &= ~self.not_operating[:, p]
            self.not_operating[:, p] |= ok
        elif do is ActionKind.RESUME_OPERATION:
            ok &= self.not_operating[:, p]
            self.not_operating[:, p] &= ~ok
        elif do is ActionKind.NOTIFY:
            ok &= ~self.notice[:, p]
            if not self.clause.allows_exit:
                ok &= False
            ok &= t >= self.earliest_notice
            effect, valid = self.new_effect(t)
            ok &= valid
            self.notice[:, p] |= ok
            self.suspended[:, p] &= ~ok
            self.effect[:, p] = np.where(ok, effect, self.effect[:, p])
            self.counter += 1
            self.order[:, p] = np.where(ok, self.counter, self.order[:, p])
        elif do is ActionKind.WITHDRAW_NOTICE:
            ok &= self.notice[:, p]
            self.notice[:, p] &= ~ok
        elif do is ActionKind.SUSPEND_NOTICE:
            ok &= self.notice[:, p] & ~self.suspended[:, p]
            left = self.table.local(self.effect[:, p]) - self.table.local(t)
            self.left[:, p] = np.where(ok, left, self.left[:, p])
            self.suspended[:, p] |= ok
        else:
            assert do is ActionKind.RESUME_NOTICE
            ok &= self.notice[:, p] & self.suspended[:, p]
            if self.interpretation is Interpretation.FRESH:
                effect, valid = self.new_effect(t)
                ok &= valid
            elif self.interpretation is Interpretation.IMMEDIATE:
                effect = t
            else:
                effect = self.later_of_wall_clock(t, self.left[:, p])
            self.effect[:, p] = np.where(ok, effect, self.effect[:, p])
            self.suspended[:, p] &= ~ok
            if self.interpretation is Interpretation.IMMEDIATE and ok.any():
                self.take_effect(ok, np.full(self.rows, p, np.int64), t)
        self.rejections += rows & ~ok

    def run(self) -> BatchOutcome:
        at, happens = self.at, self.happens
        if len(self.ends) >= MAX_TERMS:
            return _all_engine(
                self.scenario, self.treaty, at, happens, self.interpretation, self.parties
            )
        late = (happens & (at >= self.horizon[:, None])).any(axis=1)
        order = np.argsort(at, axis=1, kind="stable")
        index = np.arange(self.rows)
        actions = self.scenario.actions
        party_of = [
            None if a.by is None else self.parties.index(a.by) if a.by in self.parties else -1
            for a in actions
        ]
        for place in range(at.shape[1]):
            which = order[:, place]
            t = at[index, which]
            self.run_until(t, inclusive=True)
            kept = happens[index, which] & ~late
            for number, action in enumerate(actions):
                rows = kept & (which == number)
                if rows.any():
                    self.act(action, party_of[number], rows, t)
        self.run_until(self.horizon, inclusive=False)
        result = BatchOutcome(
            self.interpretation,
            self.parties,
            self.terminated,
            self.bound,
            self.rejections,
            self.horizon,
            term_ends=self.ends,
            notice_deadlines=self.deadlines,
        )
        if late.any():
            _all_engine(
                self.scenario,
                self.treaty,
                at,
                happens,
                self.interpretation,
                self.parties,
                only=np.flatnonzero(late),
                into=result,
            )
        return result


def _years(instants: Instants, reach: int) -> tuple[int, int]:
    from datetime import UTC

    low = datetime.fromtimestamp(int(instants.min()), UTC).year
    high = datetime.fromtimestamp(int(instants.max()), UTC).year
    return max(1900, low - 2), min(9998, high + reach)


def _terms(schedule: Schedule, until: int) -> tuple[Instants, Instants]:
    """The term ends (and notice deadlines, ``NONE`` where none) up to the first term that
    ends, and whose deadline falls, after ``until`` (UTC seconds), from the shared
    :class:`Schedule`."""
    ends: list[int] = []
    deadlines: list[int] = []
    number = 1
    while len(ends) < MAX_TERMS:
        end = schedule.end(number)
        if end is None:
            break
        deadline = schedule.deadline(number)
        ends.append(as_seconds(end))
        deadlines.append(NONE if deadline is None else as_seconds(utc(deadline)))
        # a notice before the horizon stops the renewal at the first end whose deadline it
        # meets: every term up to the first deadline after the horizon is needed
        if ends[-1] > until and deadlines[-1] > until:
            break
        number += 1
    return np.array(ends, np.int64), np.array(deadlines, np.int64)
