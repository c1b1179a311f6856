"""The vectorised path: the outcome of a batch of scenarios that share a treaty and differ in
when (and whether) each action happens, computed with NumPy on int64 instants (UTC seconds),
thousands of times faster than running the SimPy engine once per scenario.

It drives the same rules as the engine (:class:`sim.core.machine.TreatyMachine`), for every
scenario of the batch at once: a loop over the actions' places, not over the scenarios.
Before each action, the dated things due up to it are applied, the earliest first, and at one
instant in the engine's order (docs/decisions.md, 41 and 52): a timed suspension running out,
then the armed conflicts' actions, then notices taking effect (or waiting out their party's
armed conflict), then the end of a fixed term, then the other actions. The treaty's entry into
force by a count of ``join`` and a party's own entry into force change nothing by themselves:
they are the instants from which actions apply (``entry``, ``member``).

Every decision that needs calendar logic is asked of the kernel's scalar rules in
:mod:`sim.core.rules`, once per distinct input (distinct local dates, parties' own dates),
and spread over the rows: term ends, deadlines and notice windows (``Schedule``, once per
schedule the batch follows, and once per party's date under ``terms_from: party`` by
``kernel.terms_for``), ``on_boundary``, ``cyclic_window`` (once per local date and anchor),
``earliest_effect``, ``earliest_notice``, ``moved_effect``, ``extension_cap``; whether a
conflict holds an effect back is ``kernel.effect_waits``. Arithmetic on the varied instants
themselves (a period added to an instant, the time left to a suspended notice, the default
horizon) is :mod:`sim.core.zone_table`, the rules of :mod:`sim.core.dates` on arrays, held to
the scalar ones by tests/test_vector.py.

``extend`` gives some scenarios of the batch a schedule of their own, and so does entry into
force by a count of joins: each scenario follows one of a few :class:`_Plan` (the treaty's
schedule, one per distinct date of entry into force, and each one ``Schedule.extended``
makes, once per distinct running term and new end).

What it covers is stated by :func:`covers` (the clause fields and actions it knows: the whole
language of version 0.3). Inside that, only these rows are handed to the SimPy engine
(:func:`sim.engine.run`), and :attr:`BatchOutcome.engine_rows` counts them: every row of a
batch whose horizon is more than 20,000 terms away (the engine's event limit decides it), and
a row whose extension would set a date out of the years the arrays cover.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo

import numpy as np
import numpy.typing as npt

from sim.core.dates import (
    Counting,
    DateError,
    Duration,
    as_instant,
    at_midnight,
    local_date,
    utc,
    zone,
)
from sim.core.kernel import effect_waits, terms_for
from sim.core.model import (
    Action,
    ActionKind,
    Clause,
    Interpretation,
    Scenario,
    TermsFrom,
    Treaty,
    WindowFrom,
)
from sim.core.rules import (
    DEFAULT_HORIZON,
    Schedule,
    cyclic_window,
    earliest_effect,
    earliest_notice,
    extension_cap,
    moved_effect,
    on_boundary,
)
from sim.core.zone_table import (
    DAY,
    Instants,
    ZoneTable,
    as_seconds,
    local_days,
    shift_days,
    zone_table,
)
from sim.engines.batch import NONE, BatchOutcome, engine_batch, timeline_row

__all__ = [
    "NONE",
    "BatchOutcome",
    "base_instants",
    "covers",
    "engine_rows",
    "outcomes",
    "timeline_row",
]

MAX_TERMS = 20_000

COVERED_CLAUSE = (
    "term",
    "renewal",
    "notice",
    "late_notice",
    "withdrawal",
    "earliest_notice",
    "counting",
    "earliest_effect",
    "effect_on",
    "survival",
    "notice_window",
    "max_extension",
    "accession_delay",
    "effect_not_during",
    "terms_from",
)
"""The clause fields the vectorised path applies, each in every form the model accepts: the
clause language of version 0.3 (``effect_on`` with its 0.3 boundaries, ``notice_window`` on
a fixed cycle too). Any other field of a clause, where it is not left at its default, is not
covered."""

COVERED_ACTIONS = frozenset(
    {
        "notify",
        "suspend_notice",
        "resume_notice",
        "withdraw_notice",
        "extend",
        "terminate",
        "suspend_operation",
        "resume_operation",
        "join",
        "enter_armed_conflict",
        "end_armed_conflict",
    }
)
"""The actions it applies, by name (``for``/``until`` and ``effective`` included)."""

_CONFLICT_ACTIONS = (ActionKind.ENTER_ARMED_CONFLICT, ActionKind.END_ARMED_CONFLICT)
"""Applied at an instant before notices take effect, and before the other actions of that
instant (sim/engine.py, ``_RANK_CONFLICT``): an armed conflict is half-open, [enter, end)."""

_CLAUSE_DEFAULTS = {name: spec.default for name, spec in Clause.model_fields.items()}


def covers(scenario: Scenario, treaty: Treaty) -> str | None:
    """Why the vectorised path does not cover this scenario (None: it does). A plain
    statement of the clause fields and actions it knows, not a trial run."""
    clause = treaty.clause
    for name, default in _CLAUSE_DEFAULTS.items():
        if name not in COVERED_CLAUSE and getattr(clause, name) != default:
            return f"the clause uses {name}"
    for action in scenario.actions:
        if action.do.value not in COVERED_ACTIONS:
            return f"an action is {action.do.value}"
    return None


def outcomes(
    scenario: Scenario,
    treaty: Treaty,
    at: Instants,
    happens: npt.NDArray[np.bool_] | None = None,
    interpretation: Interpretation | None = None,
) -> BatchOutcome:
    """The outcome of each scenario of a batch: ``scenario`` with its actions at ``at[i, k]``
    (UTC seconds; row i, action k in file order) and, where ``happens[i, k]`` is False,
    without action k. The one entry point of a batch: the driver is chosen by
    :func:`covers`, and either gives the same :class:`BatchOutcome`."""
    return _batch(scenario, treaty, at, happens, interpretation, covers(scenario, treaty) is None)


def engine_rows(
    scenario: Scenario,
    treaty: Treaty,
    at: Instants,
    happens: npt.NDArray[np.bool_] | None = None,
    interpretation: Interpretation | None = None,
) -> BatchOutcome:
    """Every row of the batch run by the SimPy engine (for comparison, and where
    :func:`covers` says no)."""
    return _batch(scenario, treaty, at, happens, interpretation, vectorised=False)


def _batch(
    scenario: Scenario,
    treaty: Treaty,
    at: Instants,
    happens: npt.NDArray[np.bool_] | None,
    interpretation: Interpretation | None,
    vectorised: bool,
) -> BatchOutcome:
    chosen = interpretation or scenario.interpretation
    if happens is None:
        happens = np.ones(at.shape, dtype=bool)
    if not vectorised:
        return engine_batch(scenario, treaty, at, happens, chosen)
    return _Vector(scenario, treaty, at, happens, chosen, tuple(treaty.party_names)).run()


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


def _per_day(table_days: Instants, tz: tzinfo, rule: Callable[[date], datetime | None]) -> Instants:
    """``rule`` of each local date (days since 1970), asked once per distinct date and spread
    over the values (``NONE`` where it gives None)."""
    if table_days.size >= 1024:
        low, high = int(table_days.min()), int(table_days.max())
        if high - low <= min(table_days.size // 4, 512):
            # a batch spans a few hundred dates: each date of the range, spread by look-up
            span = np.arange(low, high + 1, dtype=np.int64)
            return _per_day(span, tz, rule)[table_days - low]
    distinct, inverse = np.unique(table_days, return_inverse=True)
    values = []
    for day in distinct.tolist():
        if not _FIRST_DAY <= day <= _LAST_DAY:  # a row not concerned, holding no date
            values.append(NONE)
            continue
        moment = rule(date.fromordinal(int(day) + _EPOCH))
        values.append(NONE if moment is None else as_seconds(moment))
    return np.array(values, np.int64)[inverse.ravel()].reshape(table_days.shape)


def _shift(days: Instants, duration: Duration) -> Instants:
    """``zone_table.shift_days``, asked once per date of the range the values span and
    spread by look-up (a batch spans a few hundred dates; calendar months on NumPy's dates
    cost tens of times more per value than a look-up)."""
    if not duration.months or days.size < 1024:
        return shift_days(days, duration)
    low, high = int(days.min()), int(days.max())
    if high - low > days.size // 4:
        return shift_days(days, duration)
    shifted = shift_days(np.arange(low, high + 1, dtype=np.int64), duration)
    return shifted[days - low]


def add(table: ZoneTable, instants: Instants, duration: Duration) -> Instants:
    """``zone_table.add`` (``dates.add`` on arrays), with the dates shifted by
    :func:`_shift`."""
    day, second = np.divmod(table.local(instants), DAY)
    return table.resolve(_shift(day, duration) * DAY + second)


_EPOCH = date(1970, 1, 1).toordinal()
_FIRST_DAY = date(1900, 1, 1).toordinal() - _EPOCH
_LAST_DAY = date(9998, 12, 31).toordinal() - _EPOCH


def _seconds_of(value: date | datetime | str, tz: tzinfo) -> int:
    return as_seconds(as_instant(value, tz))


class _Plan:
    """One schedule of term ends that some scenarios of the batch follow: the treaty's own (or
    the one a count of joins sets), or one moved by extensions (:meth:`Schedule.extended`,
    shared with the engine), with its term ends, notice deadlines and notice windows' opening
    as arrays (UTC seconds)."""

    def __init__(self, schedule: Schedule, until: int) -> None:
        self.schedule = schedule
        self.until = until
        self.ends = np.zeros(0, np.int64)
        self.deadlines = np.zeros(0, np.int64)
        self.opens = np.zeros(0, np.int64)
        ends: list[int] = []
        number = 1
        while len(ends) < MAX_TERMS:
            end = schedule.end(number)
            if end is None:
                break
            ends.append(as_seconds(end))
            deadline = schedule.deadline(number)
            # a notice before the horizon stops the renewal at the first end whose deadline
            # it meets: every term up to the first deadline after the horizon is needed
            if ends[-1] > until and (deadline is None or as_seconds(utc(deadline)) > until):
                break
            number += 1
        self.grow(len(ends))
        # an extension's own term is needed even where the term it follows ends after until
        self.grow(schedule.segments[-1].first if schedule.segments else 0)

    def grow(self, count: int) -> None:
        """Hold at least ``count`` terms (fewer where the terms stop: a fixed term)."""
        if count <= len(self.ends):
            return
        ends: list[int] = self.ends.tolist()
        deadlines: list[int] = self.deadlines.tolist()
        opens: list[int] = self.opens.tolist()
        schedule = self.schedule
        while len(ends) < count:
            number = len(ends) + 1
            end = schedule.end(number)
            if end is None:
                break
            deadline = schedule.deadline(number)
            window = schedule.window_opens(number)
            ends.append(as_seconds(end))
            deadlines.append(NONE if deadline is None else as_seconds(utc(deadline)))
            opens.append(np.iinfo(np.int64).min if window is None else as_seconds(window))
        self.ends = np.array(ends, np.int64)
        self.deadlines = np.array(deadlines, np.int64)
        self.opens = np.array(opens, np.int64)

    def grow_past(self, moment: int) -> None:
        """Hold every term up to the first that ends at or after ``moment``."""
        while len(self.ends) < MAX_TERMS and (not len(self.ends) or self.ends[-1] < moment):
            before = len(self.ends)
            self.grow(before + 64)
            if len(self.ends) == before:
                return

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

    def running(self, at: Instants) -> Instants:
        """The index (term number - 1) of the term whose end is the current end at each
        instant: the running term, or the extension agreed during it (``running_term``)."""
        return np.maximum(np.searchsorted(self.ends, at, side="right"), self.extended)


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
        self.clause = clause = treaty.clause
        self.tz = tz = zone(treaty.timezone)
        rows = at.shape[0]
        # Only the parties that act have a column of their own. The others can only be bound
        # until the treaty ends (or never, if not parties): they are counted, not tracked,
        # and their columns are written at the end (``passive``).
        acting = {a.by for a in scenario.actions}
        self.columns = tuple(name for name in parties if name in acting)
        passive = [name for name in parties if name not in acting]
        self.passive_members = sum(treaty.party_in_force(name) is not None for name in passive)
        self.ended_by_notice = np.zeros(rows, bool)
        parties_count = len(self.columns)
        self.rows = rows
        self.errors: dict[int, str] = {}
        start = treaty.in_force or treaty.signed
        # terms count from the treaty's date; under a count of joins, from the date each
        # scenario's count sets (the placeholder is never counted from)
        anchor = treaty.in_force or start or date(2000, 1, 1)
        self.anchor_day = anchor.toordinal() - _EPOCH
        actions = scenario.actions
        # the instants an action names for itself: they do not move with its `at`
        self.named = [
            NONE if a.effective is None else _seconds_of(a.effective, tz) for a in actions
        ]
        self.until = [NONE if a.until is None else _seconds_of(a.until, tz) for a in actions]
        lowest = np.iinfo(np.int64).min
        last = np.full(rows, lowest, np.int64)
        for k in range(at.shape[1]):
            np.maximum(last, at[:, k], out=last, where=happens[:, k])
        span = [np.array([as_seconds(at_midnight(anchor, tz))], np.int64)]
        if at.size:
            span.append(np.array([at.min(), at.max()], np.int64))
        fixed = [scenario.horizon, *(a.through for a in actions)]
        fixed += [treaty.party_in_force(p) for p in parties]
        if isinstance(clause.earliest_effect, date):
            fixed.append(clause.earliest_effect)
        for day in fixed:
            if day is not None:
                span.append(np.array([as_seconds(at_midnight(day, tz))], np.int64))
        named = [s for s in (*self.named, *self.until) if s != NONE]
        if named:
            span.append(np.array(named, np.int64))
        first_year, last_year = _years(np.concatenate(span), self._reach())
        self.table = zone_table(tz, first_year, last_year)
        self.horizon = self._horizons(last, start)
        self.before_horizon = self.horizon - 1
        schedule = Schedule.of(clause, anchor, tz)
        first_plan = _Plan(schedule, int(self.horizon.max()))
        self.ends, self.deadlines = first_plan.ends, first_plan.deadlines
        # the schedule each scenario follows (an index into plans: extensions, and a count
        # of joins, move it)
        self.plans = [first_plan]
        self.plan_of: dict[tuple[int, int, int], int] = {}
        self.entry_plan: dict[int, int] = {}
        self.plan = np.zeros(rows, np.int64)
        in_force = NONE
        if treaty.in_force is not None:
            in_force = as_seconds(at_midnight(treaty.in_force, tz))
            self.entry_plan[treaty.in_force.toordinal()] = 0
        self.entry = np.full(rows, in_force, np.int64)
        """When each scenario's treaty entered into force (``NONE``: not yet)."""
        self.expiry = np.full(rows, first_plan.expiry if in_force != NONE else NONE, np.int64)
        self.limit = as_seconds(datetime(last_year, 1, 1, tzinfo=UTC))
        self.joins = np.zeros(rows, np.int64)
        # the state of each scenario
        self.terminated = np.full(rows, NONE, np.int64)
        shape = (rows, parties_count)
        self.bound = np.full(shape, NONE, np.int64, order="F")
        self.survives = np.full(shape, NONE, np.int64, order="F")
        self.member = np.full(shape, NONE, np.int64, order="F")
        """When each party is (or was last) bound from (``NONE`` with ``is_member`` False:
        not a party until it joins)."""
        self.is_member = np.zeros(shape, bool, order="F")
        for p, name in enumerate(self.columns):
            own = treaty.party_in_force(name)
            if own is not None:
                self.member[:, p] = as_seconds(at_midnight(own, tz))
                self.is_member[:, p] = True
        self.notice = np.zeros(shape, bool, order="F")
        self.suspended = np.zeros(shape, bool, order="F")
        self.resumes = np.full(shape, NONE, np.int64, order="F")
        """When a timed suspension ends by itself (``NONE``: not timed)."""
        self.effect = np.full(shape, NONE, np.int64, order="F")
        self.target = np.zeros(shape, np.int64, order="F")
        """The term at whose end a renewal notice stops the renewal (0: a dated effect)."""
        self.punt = np.zeros(rows, bool)
        """Scenarios whose dates leave the years the arrays cover: run by the engine."""
        self.left = np.zeros(shape, np.int64, order="F")
        self.order = np.zeros(shape, np.int64, order="F")
        self.not_operating = np.zeros(shape, bool, order="F")
        self.in_conflict = np.zeros(shape, bool, order="F")
        """Parties engaged in an armed conflict (``enter_armed_conflict`` to
        ``end_armed_conflict``)."""
        self.postponed = np.zeros(shape, bool, order="F")
        """A pending notice whose effect came during its party's armed conflict: it takes
        effect at the conflict's end (meaningful where ``notice`` holds)."""
        # whether a conflict holds an effect back is the kernel's decision, asked once: it
        # depends on the clause alone, for a party in a conflict (since any instant)
        self.waits = effect_waits(clause, datetime(2000, 1, 1, tzinfo=UTC))
        self.own_plans: dict[int, _Plan] = {}
        """Each party's own terms (``terms_from: party``), by the ordinal of its date."""
        self.rejections = np.zeros(rows, np.int64)
        self.counter = 0
        self.timed = any(a.for_ is not None or a.until is not None for a in actions)
        """Whether a suspension may end by itself (else no row has one to run out)."""

    def _reach(self) -> int:
        """Years beyond an instant that the arithmetic on it may reach."""

        def years(duration: Duration | None) -> int:
            return 0 if duration is None else duration.months // 12 + duration.days // 365 + 1

        clause = self.clause
        extensions = sum(years(a.period) + years(a.for_) for a in self.scenario.actions)
        entry = self.treaty.entry_into_force
        waits = [
            clause.withdrawal,
            clause.max_extension,
            clause.survival,
            clause.accession_delay,
            clause.earliest_notice,
            clause.notice_window.opens if clause.notice_window else None,
            clause.earliest_effect if isinstance(clause.earliest_effect, Duration) else None,
            entry.after if entry is not None else None,
        ]
        return 4 + sum(years(w) for w in waits) + extensions

    def _horizons(self, last: Instants, start: date | None) -> Instants:
        """The scenario's horizon, or three years after the last action's local date (after
        entry into force, or signature, where no action happens), 00:00 local (PRODUCT.md;
        ``rules.default_horizon``)."""
        if self.scenario.horizon is not None:
            value = as_seconds(at_midnight(self.scenario.horizon, self.tz))
            return np.full(self.rows, value, np.int64)
        none = last == np.iinfo(np.int64).min
        if start is None:
            for row in np.flatnonzero(none).tolist():
                self.errors[row] = (
                    "horizon: the treaty has no in_force date and no actions: give a horizon"
                )
            start = date(1970, 1, 1)
        # counted from the date itself where no action happens, even where its 00:00 did
        # not exist
        days = np.where(none, start.toordinal() - _EPOCH, local_days(self.table, last))
        shifted = _shift(days, DEFAULT_HORIZON)
        return self.table.midnight(shifted)

    # --- the rules, on arrays ------------------------------------------------------------

    def period_end(self, moment: Instants, period: Duration) -> Instants:
        """``dates.period_end`` on arrays: ``period`` after each instant under ``exact``; 00:00
        of the day after the local date plus ``period`` under ``whole_days``."""
        if self.clause.counting is Counting.EXACT:
            return add(self.table, moment, period)
        # from 00:00 of the event's date, on the wall clock: where that lands on a day the
        # zone skipped (Samoa, 30 December 2011), the count goes on from the day after
        counted = self.table.midnight(_shift(local_days(self.table, moment), period))
        return self.table.midnight(local_days(self.table, counted) + 1)

    def own_days(self, p: int) -> Instants:
        """The local date each scenario's treaty entered into force for party ``p`` (its last
        joining, never before the treaty's own entry into force), in days since 1970."""
        own = np.maximum(self.member[:, p], self.entry)
        known = own != NONE
        return local_days(self.table, np.where(known, own, 0))

    def notice_from(self, p: int) -> Instants:
        """``rules.earliest_notice`` for party ``p`` in each scenario."""
        if self.clause.earliest_notice is None:
            return np.full(self.rows, np.iinfo(np.int64).min, np.int64)
        clause, tz = self.clause, self.tz
        found = _per_day(self.own_days(p), tz, lambda day: earliest_notice(clause, day, tz))
        return np.where(found == NONE, np.iinfo(np.int64).min, found)

    def not_before(self, p: int) -> Instants | None:
        """``rules.earliest_effect`` for party ``p`` in each scenario (None: no such rule)."""
        if self.clause.earliest_effect is None:
            return None
        clause, tz = self.clause, self.tz
        return _per_day(self.own_days(p), tz, lambda day: earliest_effect(clause, day, tz))

    def new_effect(
        self, moment: Instants, p: int
    ) -> tuple[Instants, npt.NDArray[np.bool_], Instants]:
        """When a notice by party ``p`` received at each instant takes effect, whether it is
        valid, and the term whose end that is (0: a dated effect): as ``TreatyMachine.
        _new_notice``, from ``Schedule.withdrawal_effect`` (``on_boundary`` once per local
        date) and ``Schedule.renewal_notice_target`` against the schedule each scenario
        follows, never before ``rules.earliest_effect``."""
        clause = self.clause
        not_before = self.not_before(p)
        # rows not concerned may hold NONE: any instant the arrays cover will do for them
        moment = np.where(moment == NONE, self.entry.min(initial=self.limit - 1), moment)
        if clause.withdrawal is not None or clause.effect_on is not None:
            effect = (
                moment if clause.withdrawal is None else self.period_end(moment, clause.withdrawal)
            )
            if clause.effect_on is not None:
                effect = self.on_boundary(effect)
            if not_before is not None:
                effect = np.where(effect < not_before, not_before, effect)
            return effect, np.ones(moment.shape, bool), np.zeros(moment.shape, np.int64)
        effect = np.full(moment.shape, NONE, np.int64)
        valid = np.zeros(moment.shape, bool)
        target = np.zeros(moment.shape, np.int64)
        own = clause.terms_from is TermsFrom.PARTY
        for plan, rows in self.terms_of(p):
            at = moment if rows is None else moment[rows]
            if not_before is not None:
                limits = not_before if rows is None else not_before[rows]
                known = limits[limits != NONE]
                if len(known):
                    plan.grow_past(int(known.max()))
            if not len(plan.ends):
                continue
            running = plan.running(at)
            in_time = np.searchsorted(plan.deadlines, at, side="right")
            chosen = np.maximum(running, in_time)
            ok = np.ones(at.shape, bool)
            if clause.late_notice.value == "void":
                ok &= chosen == running
            if not_before is not None:
                limits = not_before if rows is None else not_before[rows]
                first = np.searchsorted(plan.ends, limits, side="left")
                chosen = np.where(limits != NONE, np.maximum(chosen, first), chosen)
            ok &= chosen < len(plan.ends)
            ends = plan.ends[np.minimum(chosen, len(plan.ends) - 1)]
            # under the party's own terms the effect is a dated instant (NoticeBasis.dated):
            # no extension of the treaty's terms moves it
            number = np.zeros(at.shape, np.int64) if own else chosen + 1
            if rows is None:
                return ends, ok, number
            effect[rows], valid[rows], target[rows] = ends, ok, number
        return effect, valid, target

    def on_boundary(self, reference: Instants) -> Instants:
        """``rules.on_boundary`` of each instant (clause ``effect_on``), asked once per
        distinct local date: at its 00:00, and, for the instants later in the day (a boundary
        may treat 00:00 itself apart: ``start_of_year``), at the second after it."""
        rule, tz = self.clause.effect_on, self.tz
        days = local_days(self.table, reference)
        moved = _per_day(days, tz, lambda day: on_boundary(at_midnight(day, tz), rule))
        midnight = _per_day(days, tz, lambda day: at_midnight(day, tz))
        later = reference != midnight
        if later.any():

            def after_midnight(day: date) -> datetime:
                second = as_seconds(at_midnight(day, tz)) + 1
                return on_boundary(datetime.fromtimestamp(second, UTC).astimezone(tz), rule)

            moved[later] = _per_day(days[later], tz, after_midnight)
        return moved

    def terms_of(self, p: int) -> list[tuple[_Plan, npt.NDArray[np.bool_] | None]]:
        """The terms a notice by party ``p`` goes by in each scenario, with the scenarios
        that go by them (None: all): the schedule each follows, or under ``terms_from:
        party`` the party's own terms (``kernel.terms_for``, once per distinct date of its
        entry into force)."""
        if self.clause.terms_from is not TermsFrom.PARTY:
            return [(plan, rows) for _, plan, rows in self.by_plan()]
        days = self.party_days(p)
        distinct = np.unique(days)
        groups: list[tuple[_Plan, npt.NDArray[np.bool_] | None]] = []
        for day in distinct.tolist():
            ordinal = int(day) + _EPOCH
            if ordinal not in self.own_plans:
                schedule = terms_for(
                    self.clause, self.plans[0].schedule, date.fromordinal(ordinal), self.tz
                )
                self.own_plans[ordinal] = _Plan(schedule, int(self.horizon.max()))
            groups.append((self.own_plans[ordinal], None if len(distinct) == 1 else days == day))
        return groups

    def party_days(self, p: int) -> Instants:
        """:meth:`own_days`, with the date of the treaty's first schedule where the party is
        not (yet) bound in a scenario (no notice of its is then accepted)."""
        own = np.maximum(self.member[:, p], self.entry)
        return np.where(own != NONE, self.own_days(p), self.anchor_day)

    def in_cycle(self, moment: Instants, p: int) -> npt.NDArray[np.bool_]:
        """Whether a notice by party ``p`` at each instant falls in a notice window on a
        fixed cycle (``kernel.may_give_notice``, by ``rules.cyclic_window``): windows open
        and close at 00:00 on dates, so the window is asked once per distinct (local date,
        anchor), where the anchor is the party's own entry into force (``from: party``) or
        the treaty's (that of the schedule the scenario follows)."""
        window = self.clause.notice_window
        inside = np.ones(moment.shape, bool)
        if window is None or not window.cyclic:
            return inside
        if window.from_ is WindowFrom.PARTY:
            anchors = self.party_days(p)
        else:
            starts = [local_date(plan.schedule.in_force).toordinal() for plan in self.plans]
            anchors = np.array(starts, np.int64)[self.plan] - _EPOCH
        days = local_days(self.table, moment)
        keys = days * (1 << 22) + (anchors + (1 << 21))
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        opens = []
        tz = self.tz
        for index in first.tolist():
            day = date.fromordinal(int(days[index]) + _EPOCH)
            anchor = date.fromordinal(int(anchors[index]) + _EPOCH)
            window_opens, _ = cyclic_window(window, anchor, tz, at_midnight(day, tz))
            opens.append(as_seconds(window_opens))
        opened: Instants = np.array(opens, np.int64)[inverse.ravel()]
        return moment >= opened

    def in_window(self, moment: Instants, p: int) -> npt.NDArray[np.bool_]:
        """Whether a notice at each instant is not before the notice window of the term whose
        end is the current end (``Schedule.window_opens``; docs/decisions.md, 38)."""
        inside = np.ones(moment.shape, bool)
        if self.clause.notice_window is None or self.clause.notice_window.opens is None:
            return inside
        for plan, rows in self.terms_of(p):
            if not len(plan.ends):
                continue
            at = moment if rows is None else moment[rows]
            running = plan.running(at)
            plan.grow(int(running.max()) + 1)
            index = np.minimum(running, len(plan.ends) - 1)
            ok = (running >= len(plan.ends)) | (at >= plan.opens[index])
            if rows is None:
                return ok
            inside[rows] = ok
        return inside

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
        """The treaty ends where ``rows``: every party still bound is bound no longer."""
        self.terminated = np.where(rows, moment, self.terminated)
        for p in range(self.bound.shape[1]):
            column = self.bound[:, p]
            np.copyto(column, moment, where=rows & (column == NONE) & self.is_member[:, p])
            self.notice[:, p] &= ~rows

    def take_effect(self, rows: npt.NDArray[np.bool_], party: Instants, moment: Instants) -> None:
        """A notice takes effect: the party leaves; the treaty ends with two parties, or when
        fewer than two others would remain bound (``TreatyMachine.notice_takes_effect``).
        Those it frees are held by what survives (clause ``survival``)."""
        columns = range(self.notice.shape[1])
        before = (self.bound == NONE) & self.is_member
        mine = [rows & (party == p) for p in columns]
        for p in columns:
            self.notice[:, p] &= ~mine[p]
        if self.treaty.multilateral:
            others = _row_count(before) + self.passive_members
            for p in columns:
                others -= mine[p] & before[:, p]
            leaves = rows & (others >= 2)
            for p in columns:
                gone = leaves & mine[p]
                np.copyto(self.bound[:, p], moment, where=gone)
                self.not_operating[:, p] &= ~gone
            ends = rows & ~leaves
        else:
            ends = rows
        self.end_treaty(ends, moment)
        self.ended_by_notice |= ends
        survival = self.clause.survival
        if survival is not None and rows.any():
            until = add(self.table, np.where(rows, moment, 0), survival)
            freed = before & (self.bound != NONE) & rows[:, None]
            self.survives = np.asfortranarray(np.where(freed, until[:, None], self.survives))

    def run_until(
        self, limit: Instants, inclusive: bool, conflict: bool | npt.NDArray[np.bool_] = False
    ) -> None:
        """Apply every dated thing before ``limit`` (or at it), the earliest first; at one
        instant a timed suspension running out, then a notice's effect, then the end of a
        fixed term (``_RANKS``, sim/engine.py). Before an armed conflict's action at
        ``limit`` (``conflict``), only the timed suspensions running out at ``limit``: the
        conflict's actions come before the effects of their instant."""
        bound = np.minimum(limit if inclusive else limit - 1, self.before_horizon)
        resume_bound = bound
        if np.any(conflict):
            bound = np.where(conflict, np.minimum(limit - 1, self.before_horizon), bound)
        never = np.full(self.rows, NONE, np.int64)
        for _ in range(5 * len(self.columns) + 4):
            alive = self.terminated == NONE
            if self.timed:
                timed = self.notice & self.suspended & (self.resumes != NONE)
                resumes = np.where(timed, self.resumes, NONE)
                soonest = _row_min(resumes)
            else:
                soonest = never
            pending = np.where(self.notice & ~self.suspended & ~self.postponed, self.effect, NONE)
            best = _row_min(pending)
            resume_due = (
                alive & (soonest <= resume_bound) & (soonest <= best) & (soonest <= self.expiry)
            )
            effect_due = alive & ~resume_due & (best <= bound) & (best <= self.expiry)
            expiry_due = alive & ~resume_due & ~effect_due & (self.expiry <= bound)
            if not (resume_due.any() or effect_due.any() or expiry_due.any()):
                return
            if resume_due.any():
                first = _first_of(timed & (resumes == soonest[:, None]), self.order)
                for p in range(len(self.columns)):
                    mine = resume_due & (first == p)
                    if mine.any():
                        self.resume(mine, p, soonest, expired=True)
            if effect_due.any():
                first = _first_of(pending == best[:, None], self.order)
                if self.waits:
                    # kernel.effect_waits: the party is in an armed conflict; its notice
                    # waits for the conflict's end (TreatyMachine.wake, effect_postponed)
                    picked = np.flatnonzero(effect_due)
                    waiting = self.in_conflict[picked, first[picked]]
                    self.postponed[picked[waiting], first[picked[waiting]]] = True
                    effect_due[picked[waiting]] = False
                self.take_effect(effect_due, first, best)
            if expiry_due.any():
                self.end_treaty(expiry_due, self.expiry)
        raise AssertionError("the dated things of a scenario did not settle")

    def resume(
        self, ok: npt.NDArray[np.bool_], p: int, t: Instants, expired: bool
    ) -> npt.NDArray[np.bool_]:
        """The suspended notice of party ``p`` runs again where ``ok``, as the interpretation
        says (``TreatyMachine._resume``); ``expired``: a timed suspension ran out, and a fresh
        notice that would be void is a rejection that leaves it suspended with no end.
        Returns where it resumed."""
        target = np.zeros(self.rows, np.int64)
        if self.interpretation is Interpretation.FRESH:
            effect, valid, target = self.new_effect(t, p)
            if expired:
                void = ok & ~valid
                self.resumes[:, p] = np.where(void, NONE, self.resumes[:, p])
                self.rejections += void
            ok = ok & valid
        elif self.interpretation is Interpretation.IMMEDIATE:
            effect = t
        else:
            effect = self.later_of_wall_clock(t, self.left[:, p])
        self.effect[:, p] = np.where(ok, effect, self.effect[:, p])
        self.target[:, p] = np.where(ok, target, self.target[:, p])
        self.suspended[:, p] &= ~ok
        self.resumes[:, p] = np.where(ok, NONE, self.resumes[:, p])
        if self.interpretation is Interpretation.IMMEDIATE and ok.any():
            due = ok
            if self.waits:
                # its effect is now, and waits like any other for an armed conflict's end
                waiting = ok & self.in_conflict[:, p]
                self.postponed[:, p] |= waiting
                due = ok & ~waiting
            self.take_effect(due, np.full(self.rows, p, np.int64), t)
        return ok

    def act(
        self, kind: Action, number: int, party: int | None, rows: npt.NDArray[np.bool_], t: Instants
    ) -> None:
        """Apply action ``number`` where ``rows``; count a rejection where it does not apply
        (always, by one that is not a party: -1)."""
        if party == -1:
            self.rejections += rows
            return
        alive = self.terminated == NONE
        if party is None:
            ok = rows & alive & (t >= self.entry)
            if kind.do is ActionKind.EXTEND:
                ok = self.extend(kind, ok, t)
            else:
                assert kind.do is ActionKind.TERMINATE
                self.end_treaty(ok, t)
            self.rejections += rows & ~ok
            return
        p = party
        do = kind.do
        if do is ActionKind.JOIN:
            ok = rows & alive & ((self.bound[:, p] != NONE) | ~self.is_member[:, p])
            if ok.any():
                self.join(ok, p, t)
            self.rejections += rows & ~ok
            return
        ok = rows & alive & (t >= self.entry) & self.is_member[:, p]
        ok &= (t >= self.member[:, p]) & (self.bound[:, p] == NONE)
        if do is ActionKind.ENTER_ARMED_CONFLICT:
            ok &= ~self.in_conflict[:, p]
            self.in_conflict[:, p] |= ok
        elif do is ActionKind.END_ARMED_CONFLICT:
            ok &= self.in_conflict[:, p]
            self.in_conflict[:, p] &= ~ok
            # a withdrawal that waited for this conflict takes effect at its end
            due = ok & self.notice[:, p] & self.postponed[:, p]
            if due.any():
                self.postponed[:, p] &= ~due
                self.take_effect(due, np.full(self.rows, p, np.int64), t)
        elif do is ActionKind.SUSPEND_OPERATION:
            ok &= ~self.not_operating[:, p]
            self.not_operating[:, p] |= ok
        elif do is ActionKind.RESUME_OPERATION:
            ok &= self.not_operating[:, p]
            self.not_operating[:, p] &= ~ok
        elif do is ActionKind.NOTIFY:
            ok &= ~self.notice[:, p]
            if not self.clause.allows_exit:
                ok &= False
            if ok.any():
                ok &= t >= self.notice_from(p)
                ok &= self.in_window(t, p)
                ok &= self.in_cycle(t, p)
                effect, valid, target = self.new_effect(t, p)
                ok &= valid
                if kind.effective is not None:
                    named = self.named[number]
                    ok &= effect <= named
                    effect = np.full(self.rows, named, np.int64)
                    target = np.zeros(self.rows, np.int64)
                self.notice[:, p] |= ok
                self.postponed[:, p] &= ~ok
                self.suspended[:, p] &= ~ok
                self.resumes[:, p] = np.where(ok, NONE, self.resumes[:, p])
                self.effect[:, p] = np.where(ok, effect, self.effect[:, p])
                self.target[:, p] = np.where(ok, target, self.target[:, p])
                self.counter += 1
                self.order[:, p] = np.where(ok, self.counter, self.order[:, p])
        elif do is ActionKind.WITHDRAW_NOTICE:
            ok &= self.notice[:, p]
            self.notice[:, p] &= ~ok
            self.postponed[:, p] &= ~ok
        elif do is ActionKind.SUSPEND_NOTICE:
            # a notice whose effect waits out an armed conflict cannot be suspended
            ok &= ~self.postponed[:, p]
            first = ok & self.notice[:, p] & ~self.suspended[:, p]
            again = ok & self.notice[:, p] & self.suspended[:, p]
            if kind.for_ is not None:
                end = add(self.table, t, kind.for_)
            elif kind.until is not None:
                end = np.full(self.rows, self.until[number], np.int64)
            else:
                end = np.full(self.rows, NONE, np.int64)
                again &= False
            # a suspension's end must come after it begins (guard suspension_ends_later)
            first &= end > t
            again &= end > t
            left = self.table.local(self.effect[:, p]) - self.table.local(t)
            self.left[:, p] = np.where(first, left, self.left[:, p])
            self.suspended[:, p] |= first
            self.resumes[:, p] = np.where(first | again, end, self.resumes[:, p])
            ok = first | again
        else:
            assert do is ActionKind.RESUME_NOTICE
            ok &= self.notice[:, p] & self.suspended[:, p]
            ok = self.resume(ok, p, t, expired=False)
        self.rejections += rows & ~ok

    def join(self, ok: npt.NDArray[np.bool_], p: int, t: Instants) -> None:
        """Party ``p`` deposits its instrument where ``ok`` (``TreatyMachine._join``): bound
        from ``t`` + ``accession_delay`` (``rules.bound_from``), and not before the treaty's
        entry into force; the ``parties``-th join brings a treaty with ``entry_into_force``
        into force ``after`` it (``rules.entry_by_count``)."""
        rule = self.treaty.entry_into_force
        self.joins += ok
        if rule is not None:
            newly = ok & (self.entry == NONE) & (self.joins >= rule.parties)
            if newly.any():
                entry = t if rule.after is None else self.period_end(t, rule.after)
                self.entry = np.where(newly, entry, self.entry)
                self.enter(newly)
        delay = self.clause.accession_delay
        bound = t if delay is None else self.period_end(t, delay)
        bound = np.where((self.entry != NONE) & (bound < self.entry), self.entry, bound)
        self.member[:, p] = np.where(ok, bound, self.member[:, p])
        self.is_member[:, p] |= ok
        self.bound[:, p] = np.where(ok, NONE, self.bound[:, p])

    def enter(self, rows: npt.NDArray[np.bool_]) -> None:
        """Scenarios ``rows`` now know their entry into force: each follows the schedule
        counted from its date (``Schedule.of``, once per distinct date)."""
        picked = np.flatnonzero(rows)
        days = local_days(self.table, self.entry[picked])
        for day in np.unique(days).tolist():
            ordinal = int(day) + _EPOCH
            if ordinal not in self.entry_plan:
                schedule = Schedule.of(self.clause, date.fromordinal(ordinal), self.tz)
                self.plans.append(_Plan(schedule, int(self.horizon.max())))
                self.entry_plan[ordinal] = len(self.plans) - 1
            mine = picked[days == day]
            plan = self.entry_plan[ordinal]
            self.plan[mine] = plan
            self.expiry[mine] = self.plans[plan].expiry

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
        # a notice waiting out an armed conflict has no date to move (docs/decisions.md, 52)
        dated = self.notice & ~self.suspended & ~self.postponed & (self.target == 0)
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
            self.plans.append(_Plan(schedule.extended(number, new_day), plan.until))
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
            # the horizon is as many terms away as the engine's event limit allows
            return engine_batch(self.scenario, self.treaty, at, happens, self.interpretation)
        count = at.shape[1]
        late = np.zeros(self.rows, bool)
        for k in range(count):
            late |= happens[:, k] & (at[:, k] >= self.horizon)
        actions = self.scenario.actions
        party_of = [
            None if a.by is None else self.columns.index(a.by) if a.by in self.columns else -1
            for a in actions
        ]
        # the time order of the actions: equal instants in file order, but an armed
        # conflict's actions before the others of their instant (sim/engine.py)
        conflict = [a.do in _CONFLICT_ACTIONS for a in actions]
        key = at
        if any(conflict):
            key = at * 2 + np.array([not c for c in conflict], np.int64)[None, :]
        if not any((key[:, k + 1] < key[:, k]).any() for k in range(count - 1)):
            # every scenario has its actions in file order (the usual batch): a stable sort
            # would change nothing, and the action at each place is the same for all
            for place, action in enumerate(actions):
                t = at[:, place]
                self.run_until(t, inclusive=True, conflict=conflict[place])
                rows = happens[:, place] & ~late
                if rows.any():
                    self.act(action, place, party_of[place], rows, t)
        else:
            order = np.argsort(key, axis=1, kind="stable")
            is_conflict = np.array(conflict, bool)
            for place in range(count):
                which = order[:, place]
                t = np.take_along_axis(at, which[:, None], axis=1)[:, 0]
                self.run_until(t, inclusive=True, conflict=is_conflict[which])
                kept = np.take_along_axis(happens, which[:, None], axis=1)[:, 0] & ~late
                for number, action in enumerate(actions):
                    rows = kept & (which == number)
                    if rows.any():
                        self.act(action, number, party_of[number], rows, t)
        self.run_until(self.horizon, inclusive=False)
        bound, survives = self.every_party()
        result = BatchOutcome(
            self.interpretation,
            self.parties,
            self.terminated,
            bound,
            self.rejections,
            self.horizon,
            term_ends=self.ends,
            notice_deadlines=self.deadlines,
            survives_until=survives,
        )
        for row in np.flatnonzero(late).tolist():
            self.errors[row] = self.too_late(row)
        for row in self.errors:
            result.errors[row] = self.errors[row]
            result.terminated_at[row] = NONE
            result.bound_until[row] = NONE
            result.survives_until[row] = NONE
            result.rejections[row] = 0
            result.horizon[row] = NONE
        punted = self.punt & ~late
        if punted.any():
            engine_batch(
                self.scenario,
                self.treaty,
                at,
                happens,
                self.interpretation,
                only=np.flatnonzero(punted),
                into=result,
            )
        return result

    def every_party(self) -> tuple[Instants, Instants]:
        """``bound_until`` and ``survives_until`` of every party, in the treaty's order: the
        acting parties' columns, and for the others, bound until the treaty ended (if they
        are parties at all), freed into survival where a notice's effect ended it."""
        shape = (self.rows, len(self.parties))
        bound = np.full(shape, NONE, np.int64, order="F")
        survives = np.full(shape, NONE, np.int64, order="F")
        survival = self.clause.survival
        held = None
        if survival is not None and self.ended_by_notice.any():
            ended = np.where(self.ended_by_notice, self.terminated, 0)
            held = np.where(self.ended_by_notice, add(self.table, ended, survival), NONE)
        for index, name in enumerate(self.parties):
            if name in self.columns:
                column = self.columns.index(name)
                bound[:, index] = self.bound[:, column]
                survives[:, index] = self.survives[:, column]
            elif self.treaty.party_in_force(name) is not None:
                bound[:, index] = self.terminated
                if held is not None:
                    survives[:, index] = held
        return bound, survives

    def too_late(self, row: int) -> str:
        """The engine's refusal of a scenario with an action at or after its horizon
        (``sim.engine.run``): the first such action in time order."""
        moments = [
            (int(self.at[row, k]), k)
            for k in range(self.at.shape[1])
            if self.happens[row, k] and self.at[row, k] >= self.horizon[row]
        ]
        _, first = min(moments)
        day = datetime.fromtimestamp(int(self.horizon[row]), UTC).astimezone(self.tz).date()
        return (
            f"actions[{first}].at: the action is at or after the horizon {day}: "
            "move the horizon later"
        )


def _years(instants: Instants, reach: int) -> tuple[int, int]:
    low = datetime.fromtimestamp(int(instants.min()), UTC).year
    high = datetime.fromtimestamp(int(instants.max()), UTC).year
    return max(1900, low - 2), min(9998, high + reach)
