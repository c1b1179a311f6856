"""The vectorised closed form: the outcome of a batch of scenarios that share a treaty and
differ in when (and whether) each action happens, computed with NumPy on int64 instants (UTC
seconds), thousands of times faster than running the SimPy engine once per scenario.

It decides what happens when exactly as the engine does (the actions in time order, equal
instants in file order; before each one the dated things due up to it: a pending
notice's effect, then the end of a fixed term; docs/decisions.md, 24), but for every scenario
of the batch at once: a loop over the actions' places, not over the scenarios. The term ends
and notice deadlines, which the batch shares, are asked of :class:`sim.core.rules.Schedule`;
the arithmetic on varied instants (a withdrawal's period, the time left to a suspended
notice, the default horizon) is :mod:`sim.core.zone_table`, the same rules on arrays.

``extend`` gives some scenarios of the batch a schedule of their own: each scenario follows
one of a few :class:`_Plan` (the treaty's schedule, and each one ``Schedule.extended`` makes,
once per distinct running term and new end), and a renewal notice keeps the number of the
term it stops, so it follows its scenario's schedule. A pending dated effect moved by an
extension is ``rules.moved_effect``, asked once per distinct local date (``zone_table.add``
where it is ``dates.add`` of a period).

What it does not cover yet, it hands to the SimPy engine (:func:`sim.engine.run`), scenario
by scenario, and says how many went that way (:attr:`BatchOutcome.engine_rows`):

- a whole batch, when the treaty enters into force by a count of ``join`` or a party has its
  own ``in_force``; when the clause uses a 0.2 rule other than ``max_extension``
  (``earliest_effect``, ``effect_on``, ``survival``, ``notice_window``,
  ``accession_delay``); when an action is ``join``, a ``notify`` naming its ``effective``
  date, or a timed ``suspend_notice`` (``for``/``until``); or when the horizon is more than
  20,000 terms away;
- a single scenario, when an extension would set a date out of the years the arrays cover;
- a single scenario, when one of its actions is at or after its horizon (the engine then
  reports the error on that scenario's row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from sim.core.dates import (
    Counting,
    DateError,
    Duration,
    as_instant,
    at_midnight,
    shift_date,
    utc,
    zone,
)
from sim.core.model import Action, ActionKind, Interpretation, Scenario, Treaty
from sim.core.rules import DEFAULT_HORIZON, Schedule, extension_cap, moved_effect
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

_UNSUPPORTED_CLAUSE = (
    "earliest_effect",
    "effect_on",
    "survival",
    "notice_window",
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
        if action.do is ActionKind.JOIN:
            return "an action is join"
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


def _row_min(values: Instants) -> Instants:
    """The least value of each row: a loop over the few columns (parties or actions), since
    NumPy reduces a short inner axis one row at a time, tens of times slower."""
    if not values.shape[1]:
        return np.full(values.shape[0], NONE, np.int64)
    best = values[:, 0].copy()
    for column in range(1, values.shape[1]):
        np.minimum(best, values[:, column], out=best)
    return best


def _row_count(flags: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """How many values of each row are True."""
    count = np.zeros(flags.shape[0], np.int64)
    for column in range(flags.shape[1]):
        count += flags[:, column]
    return count


def _first_of(chosen: npt.NDArray[np.bool_], order: Instants) -> Instants:
    """``np.where(chosen, order, NONE).argmin(axis=1)``: the column of each row's least
    ``order`` among those chosen (the first column where they tie, 0 where none is)."""
    rows = chosen.shape[0]
    first = np.zeros(rows, np.int64)
    if not chosen.shape[1]:
        return first
    best = np.where(chosen[:, 0], order[:, 0], NONE)
    for column in range(1, chosen.shape[1]):
        value = np.where(chosen[:, column], order[:, column], NONE)
        better = value < best
        first[better] = column
        np.minimum(best, value, out=best)
    return first


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


@dataclass
class _Plan:
    """One schedule of term ends that some scenarios of the batch follow: the treaty's own,
    or one moved by extensions (:meth:`Schedule.extended`, shared with the closed form and the
    engine), with its term ends and notice deadlines as arrays (UTC seconds)."""

    schedule: Schedule
    ends: Instants
    deadlines: Instants
    until: int

    @classmethod
    def of(cls, schedule: Schedule, until: int) -> _Plan:
        ends, deadlines = _terms(schedule, until)
        plan = cls(schedule, ends, deadlines, until)
        # an extension's own term is needed even where the term it follows ends after until
        plan.grow(schedule.segments[-1].first if schedule.segments else 0)
        return plan

    def grow(self, count: int) -> None:
        """Hold at least ``count`` terms (fewer where the terms stop: a fixed term)."""
        ends, deadlines = list(self.ends), list(self.deadlines)
        while len(ends) < count:
            end = self.schedule.end(len(ends) + 1)
            if end is None:
                break
            deadline = self.schedule.deadline(len(ends) + 1)
            ends.append(as_seconds(end))
            deadlines.append(NONE if deadline is None else as_seconds(utc(deadline)))
        if len(ends) > len(self.ends):
            self.ends = np.array(ends, np.int64)
            self.deadlines = np.array(deadlines, np.int64)

    @property
    def extended(self) -> int:
        """The number of the term the last extension followed (0: none): term ``extended +
        1`` is that extension, and its end is the current end while term ``extended`` runs
        (docs/decisions.md, 11)."""
        segments = self.schedule.segments
        return segments[-1].first - 1 if len(segments) > 1 else 0

    @property
    def expiry(self) -> int:
        """When the last term ends, where the terms do not renew (``NONE``: they do)."""
        last = self.schedule.last_number()
        end = self.schedule.end(last) if last else None
        return NONE if end is None else as_seconds(end)

    def end_of(self, numbers: Instants) -> Instants:
        """The end of term ``numbers[i]`` (``NONE`` where there is no such term)."""
        if len(numbers):
            self.grow(int(numbers.max()))
        padded = np.concatenate([self.ends, np.array([NONE], np.int64)])
        index = np.where((numbers >= 1) & (numbers <= len(self.ends)), numbers - 1, len(self.ends))
        return padded[index]


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
        # column by column (Fortran order): the work is on one action's, or one party's,
        # column of every scenario at a time, which is then contiguous
        at, happens = np.asfortranarray(at), np.asfortranarray(happens)
        self.at, self.happens, self.interpretation = at, happens, interpretation
        self.clause = treaty.clause
        self.tz = zone(treaty.timezone)
        assert treaty.in_force is not None
        self.in_force_day = treaty.in_force
        self.in_force = as_seconds(at_midnight(treaty.in_force, self.tz))
        rows, parties_count = at.shape[0], len(parties)
        self.rows = rows
        lowest = np.iinfo(np.int64).min
        last = np.full(rows, lowest, np.int64)
        for k in range(at.shape[1]):
            np.maximum(last, at[:, k], out=last, where=happens[:, k])
        span = [np.array([self.in_force], np.int64)]
        if at.size:
            span.append(np.array([at.min(), at.max()], np.int64))
        if scenario.horizon is not None:
            span.append(np.array([as_seconds(at_midnight(scenario.horizon, self.tz))]))
        for action in scenario.actions:
            if action.through is not None:
                span.append(np.array([as_seconds(at_midnight(action.through, self.tz))]))
        first_year, last_year = _years(np.concatenate(span), self._reach())
        self.table = zone_table(self.tz, first_year, last_year)
        self.horizon = self._horizons(last)
        self.before_horizon = self.horizon - 1
        schedule = Schedule.of(self.clause, treaty.in_force, self.tz)
        first_plan = _Plan.of(schedule, int(self.horizon.max()))
        self.ends, self.deadlines = first_plan.ends, first_plan.deadlines
        # the schedule each scenario follows (an index into plans: extensions move it)
        self.plans = [first_plan]
        self.plan_of: dict[tuple[int, int, int], int] = {}
        self.plan = np.zeros(rows, np.int64)
        self.expiry = np.full(rows, first_plan.expiry, np.int64)
        self.limit = as_seconds(datetime(last_year, 1, 1, tzinfo=UTC))
        self.earliest_notice = np.iinfo(np.int64).min
        if self.clause.earliest_notice is not None:
            first = shift_date(treaty.in_force, self.clause.earliest_notice)
            self.earliest_notice = as_seconds(at_midnight(first, self.tz))
        # the state of each scenario
        self.terminated = np.full(rows, NONE, np.int64)
        shape = (rows, parties_count)
        self.bound = np.full(shape, NONE, np.int64, order="F")
        self.notice = np.zeros(shape, bool, order="F")
        self.suspended = np.zeros(shape, bool, order="F")
        self.effect = np.full(shape, NONE, np.int64, order="F")
        self.target = np.zeros(shape, np.int64, order="F")
        """The term at whose end a renewal notice stops the renewal (0: a dated effect)."""
        self.punt = np.zeros(rows, bool)
        """Scenarios whose dates leave the years the arrays cover: run by the engine."""
        self.left = np.zeros(shape, np.int64, order="F")
        self.order = np.zeros(shape, np.int64, order="F")
        self.not_operating = np.zeros(shape, bool, order="F")
        self.rejections = np.zeros(rows, np.int64)
        self.counter = 0

    def _reach(self) -> int:
        """Years beyond an instant that the arithmetic on it may reach."""

        def years(duration: Duration | None) -> int:
            return 0 if duration is None else duration.months // 12 + duration.days // 365 + 1

        extensions = sum(years(a.period) for a in self.scenario.actions)
        return 4 + years(self.clause.withdrawal) + years(self.clause.max_extension) + extensions

    def _horizons(self, last: Instants) -> Instants:
        """The scenario's horizon, or three years after the last action's local date (after
        entry into force where no action happens), 00:00 local (PRODUCT.md)."""
        if self.scenario.horizon is not None:
            value = as_seconds(at_midnight(self.scenario.horizon, self.tz))
            return np.full(self.rows, value, np.int64)
        last = np.where(last == np.iinfo(np.int64).min, self.in_force, last)
        days = local_days(self.table, last)
        shifted = shift_days(days, DEFAULT_HORIZON)
        return self.table.midnight(shifted)

    # --- the rules, on arrays ------------------------------------------------------------

    def new_effect(self, moment: Instants) -> tuple[Instants, npt.NDArray[np.bool_], Instants]:
        """When a notice received at each instant takes effect, whether it is valid, and the
        term whose end that is (0: a withdrawal's dated effect): ``Schedule.withdrawal_effect``
        and ``Schedule.renewal_notice_target`` against the schedule each scenario follows."""
        clause = self.clause
        if clause.withdrawal is not None:
            if clause.counting.value == "exact":
                effect = add(self.table, moment, clause.withdrawal)
            else:
                days = shift_days(local_days(self.table, moment), clause.withdrawal) + 1
                effect = self.table.midnight(days)
            return effect, np.ones(moment.shape, bool), np.zeros(moment.shape, np.int64)
        effect = np.full(moment.shape, NONE, np.int64)
        valid = np.zeros(moment.shape, bool)
        target = np.zeros(moment.shape, np.int64)
        for _, plan, rows in self.by_plan():
            if not len(plan.ends):
                continue
            at = moment if rows is None else moment[rows]
            running = np.searchsorted(plan.ends, at, side="right")
            # the extension's end is the current end while the extended term runs
            running = np.maximum(running, plan.extended)
            in_time = np.searchsorted(plan.deadlines, at, side="right")
            chosen = np.maximum(running, in_time)
            ok = chosen < len(plan.ends)
            if clause.late_notice.value == "void":
                ok &= chosen == running
            ends = plan.ends[np.minimum(chosen, len(plan.ends) - 1)]
            if rows is None:
                return ends, ok, chosen + 1
            effect[rows], valid[rows], target[rows] = ends, ok, chosen + 1
        return effect, valid, target

    def by_plan(self) -> list[tuple[int, _Plan, npt.NDArray[np.bool_] | None]]:
        """Each schedule followed, with the scenarios that follow it (None: all of them)."""
        if len(self.plans) == 1:
            return [(0, self.plans[0], None)]
        return [(int(n), self.plans[n], self.plan == n) for n in np.unique(self.plan)]

    def later_of_wall_clock(self, moment: Instants, left: Instants) -> Instants:
        """``rules.resumed_effect`` on arrays: ``moment + left`` on the wall clock, its second
        occurrence where the first would come before ``moment`` and no time was owed back
        (``left`` not negative). tests/test_vector.py holds the two to each other on
        resumptions landing in a repeated (fall-back) hour."""
        wall = self.table.local(moment) + left
        first = self.table.resolve(wall)
        second = self.table.resolve(wall, fold=1)
        use_second = (first < moment) & (left >= 0) & (self.table.local(second) == wall)
        return np.where(use_second, second, first)

    # --- what happens --------------------------------------------------------------------

    def end_treaty(self, rows: npt.NDArray[np.bool_], moment: Instants) -> None:
        self.terminated = np.where(rows, moment, self.terminated)
        for p in range(self.bound.shape[1]):
            column = self.bound[:, p]
            np.copyto(column, moment, where=rows & (column == NONE))
            self.notice[:, p] &= ~rows

    def take_effect(self, rows: npt.NDArray[np.bool_], party: Instants, moment: Instants) -> None:
        """A notice takes effect: the party leaves; the treaty ends with two parties, or when
        fewer than two would remain bound (closed_form ``take_effect``)."""
        index = np.arange(self.rows)
        for p in range(self.notice.shape[1]):
            self.notice[:, p] &= ~(rows & (party == p))
        if self.treaty.multilateral:
            still = self.bound == NONE
            others = _row_count(still) - still[index, party]
            leaves = rows & (others >= 2)
            self.bound[index[leaves], party[leaves]] = moment[leaves]
            ends = rows & ~leaves
        else:
            ends = rows
        self.end_treaty(ends, moment)

    def run_until(self, limit: Instants, inclusive: bool) -> None:
        """Apply every dated thing before ``limit`` (or at it), the earliest first; at one
        instant a notice's effect before the end of a fixed term."""
        bound = np.minimum(limit if inclusive else limit - 1, self.before_horizon)
        for _ in range(len(self.parties) + 2):
            alive = self.terminated == NONE
            pending = np.where(self.notice & ~self.suspended, self.effect, NONE)
            best = _row_min(pending)
            effect_due = alive & (best <= bound) & (best <= self.expiry)
            if not effect_due.any() and not (alive & (self.expiry <= bound)).any():
                return
            first = _first_of(pending == best[:, None], self.order)
            expiry_due = alive & ~effect_due & (self.expiry <= bound)
            if not effect_due.any() and not expiry_due.any():
                return
            if effect_due.any():
                self.take_effect(effect_due, first, best)
            if expiry_due.any():
                self.end_treaty(expiry_due, self.expiry)

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
            if kind.do is ActionKind.EXTEND:
                ok = self.extend(kind, ok, t)
            else:
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
            effect, valid, target = self.new_effect(t)
            ok &= valid
            self.notice[:, p] |= ok
            self.suspended[:, p] &= ~ok
            self.effect[:, p] = np.where(ok, effect, self.effect[:, p])
            self.target[:, p] = np.where(ok, target, self.target[:, p])
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
            target = np.zeros(self.rows, np.int64)
            if self.interpretation is Interpretation.FRESH:
                effect, valid, target = self.new_effect(t)
                ok &= valid
            elif self.interpretation is Interpretation.IMMEDIATE:
                effect = t
            else:
                effect = self.later_of_wall_clock(t, self.left[:, p])
            self.effect[:, p] = np.where(ok, effect, self.effect[:, p])
            self.target[:, p] = np.where(ok, target, self.target[:, p])
            self.suspended[:, p] &= ~ok
            if self.interpretation is Interpretation.IMMEDIATE and ok.any():
                self.take_effect(ok, np.full(self.rows, p, np.int64), t)
        self.rejections += rows & ~ok

    def extend(
        self, action: Action, ok: npt.NDArray[np.bool_], t: Instants
    ) -> npt.NDArray[np.bool_]:
        """``extend`` where ``ok`` (closed_form ``_State.extend``; docs/decisions.md, 10-13):
        the earliest pending dated effect is moved where it comes before the current end,
        else the current end is, and becomes the end of a new term; never later than the
        clause's ``max_extension`` allows. Returns where it applied."""
        number = np.ones(self.rows, np.int64)
        current = np.full(self.rows, NONE, np.int64)
        for _, plan, rows in self.by_plan():
            at = t if rows is None else t[rows]
            running = np.searchsorted(plan.ends, at, side="right") + 1
            before = (running == plan.extended) & (plan.extended > 0)
            end = plan.end_of(running + before)
            if rows is None:
                number, current = running, end
            else:
                number[rows], current[rows] = running, end
        dated = self.notice & ~self.suspended & (self.target == 0)
        effects = np.where(dated, self.effect, NONE)
        best = _row_min(effects)
        first = _first_of(dated & (effects == best[:, None]), self.order)
        move = ok & (best != NONE) & (best < current)
        applied = np.zeros(self.rows, bool)
        if move.any():
            picked = np.flatnonzero(move)
            was = best[picked]
            new = self.moved(action, was)
            good = new > was
            far = new >= self.limit
            if self.clause.max_extension is not None:
                cap = add(self.table, was, self.clause.max_extension)
                good &= new <= cap
                far |= cap >= self.limit
            self.punt[picked[far]] = True
            chosen = picked[good & ~far]
            self.effect[chosen, first[chosen]] = new[good & ~far]
            applied[chosen] = True
        term = ok & ~move & (current != NONE)
        if term.any():
            picked = np.flatnonzero(term)
            keys = np.stack([self.plan[picked], number[picked]], axis=1)
            unique, inverse = np.unique(keys, axis=0, return_inverse=True)
            inverse = inverse.ravel()
            for key, (old, term_number) in enumerate(unique.tolist()):
                mine = picked[inverse == key]
                chosen_plan = self.extended_plan(action, old, term_number)
                if chosen_plan is None:
                    continue
                if chosen_plan < 0:
                    self.punt[mine] = True
                    continue
                self.move_term(mine, old, term_number, chosen_plan)
                applied[mine] = True
        return applied

    def extended_plan(self, action: Action, old: int, number: int) -> int | None:
        """The plan once term ``number`` of plan ``old`` is extended by ``action`` (its
        index; None: the extension is rejected, -1: its dates are out of range), from the
        shared ``Schedule.extension_end``, ``Schedule.extended`` and ``extension_cap``."""
        plan = self.plans[old]
        schedule = plan.schedule
        current_number = number + 1 if plan.extended == number else number
        current_end = schedule.end(current_number)
        assert current_end is not None
        try:
            new_day = schedule.extension_end(current_number, action.period, action.through)
            new_end = at_midnight(new_day, self.tz)
            cap = extension_cap(self.clause, current_end)
        except (DateError, OverflowError):
            return -1
        if utc(new_end) <= utc(current_end) or (cap is not None and utc(new_end) > utc(cap)):
            return None
        key = (old, number, new_day.toordinal())
        if key not in self.plan_of:
            self.plans.append(_Plan.of(schedule.extended(number, new_day), plan.until))
            self.plan_of[key] = len(self.plans) - 1
        return self.plan_of[key]

    def move_term(self, rows: npt.NDArray[np.int64], old: int, number: int, new: int) -> None:
        """Scenarios ``rows`` follow plan ``new`` from now on: a first extension of term
        ``number`` is a new term after it, so a renewal notice aimed at its end or a later one
        now stops the renewal one term further on; every such notice takes effect at the
        end of its term in the new plan."""
        plan = self.plans[new]
        pending = self.notice[rows] & (self.target[rows] > 0)
        target = self.target[rows]
        if self.plans[old].extended != number:
            target = np.where(pending & (target >= number), target + 1, target)
        self.target[rows] = target
        ends = plan.end_of(target.ravel()).reshape(target.shape)
        self.effect[rows] = np.where(pending, ends, self.effect[rows])
        self.plan[rows] = new
        self.expiry[rows] = plan.expiry

    def moved(self, action: Action, was: Instants) -> Instants:
        """``rules.moved_effect`` of each pending effect: ``period`` added to the instant
        (:func:`zone_table.add`, ``dates.add`` on arrays) under ``exact``; otherwise a rule of
        the local date, asked of ``rules.moved_effect`` once per distinct date."""
        clause = self.clause
        if action.period is not None and clause.counting is Counting.EXACT:
            return add(self.table, was, action.period)
        days = local_days(self.table, was)
        _, first, inverse = np.unique(days, return_index=True, return_inverse=True)
        values = []
        for i in first:
            moment = datetime.fromtimestamp(int(was[i]), UTC).astimezone(self.tz)
            try:
                values.append(
                    as_seconds(moved_effect(clause, moment, action.period, action.through))
                )
            except (DateError, OverflowError):
                values.append(self.limit)
        return np.array(values, np.int64)[inverse.ravel()]

    def run(self) -> BatchOutcome:
        at, happens = self.at, self.happens
        if len(self.ends) >= MAX_TERMS:
            return _all_engine(
                self.scenario, self.treaty, at, happens, self.interpretation, self.parties
            )
        count = at.shape[1]
        late = np.zeros(self.rows, bool)
        for k in range(count):
            late |= happens[:, k] & (at[:, k] >= self.horizon)
        actions = self.scenario.actions
        party_of = [
            None if a.by is None else self.parties.index(a.by) if a.by in self.parties else -1
            for a in actions
        ]
        if not any((at[:, k + 1] < at[:, k]).any() for k in range(count - 1)):
            # every scenario has its actions in file order (the usual batch): a stable sort
            # would change nothing, and the action at each place is the same for all
            for place, action in enumerate(actions):
                t = at[:, place]
                self.run_until(t, inclusive=True)
                rows = happens[:, place] & ~late
                if rows.any():
                    self.act(action, party_of[place], rows, t)
        else:
            order = np.argsort(at, axis=1, kind="stable")
            for place in range(count):
                which = order[:, place]
                t = np.take_along_axis(at, which[:, None], axis=1)[:, 0]
                self.run_until(t, inclusive=True)
                kept = np.take_along_axis(happens, which[:, None], axis=1)[:, 0] & ~late
                for number, action in enumerate(actions):
                    rows = kept & (which == number)
                    if rows.any():
                        self.act(action, party_of[number], rows, t)
        self.run_until(self.horizon, inclusive=False)
        late |= self.punt
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
