"""The SimPy engine: turns a scenario into a timeline.

Three kinds of process share one SimPy clock, counted in whole seconds from the earliest
instant of the run: the *term clock* (each term's end), the *effects* (when each pending
notice takes effect) and the *actions* (in time order, equal instants in file order). At an
instant they are ordered by rank: entry into force, then effects, then term ends, then
actions: so a notice effective at a term's end stops that renewal, and an action at a term's
end finds the next term already begun (terms are half-open). The engine only orders events in
time; what each one does is asked of :class:`~sim.core.machine.TreatyMachine`.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sim._simpy import Environment, EventPriority
from sim._simpy import Event as SimEvent
from sim.core import rules
from sim.core.dates import DateError, as_instant, at_midnight, utc, zone
from sim.core.machine import TreatyMachine, Wakeup
from sim.core.model import Action, ActionKind, Interpretation, Scenario, Treaty
from sim.core.rules import Schedule
from sim.core.timeline import Event, Term, Timeline

__all__ = ["MAX_EVENTS", "RunError", "default_horizon", "run", "timed_actions"]

MAX_EVENTS = 100_000
"""A run that would produce more events is refused (PRODUCT.md, "The timeline")."""

_RANK_CONFLICT = 4
_RANK_ACTION = 7
_RANKS = {"entry": 1, "enter": 2, "resume": 3, "effect": 5, "survival": 5, "term": 6}
"""At one instant: entry into force (the treaty's, then a party's own), a timed suspension
running out, a party entering or leaving an armed conflict (so that an effect due at that
instant is judged with the conflict as it then stands: a conflict is half-open,
``[enter, end)``; docs/decisions.md), notices taking effect (and survivals ending), term ends,
then the other actions. SimPy's own stop event for ``run(until=...)`` has priority 0
(URGENT), so it comes before every rank here: nothing at the horizon itself is simulated (the
run is half-open)."""
_CONFLICT_ACTIONS = (ActionKind.ENTER_ARMED_CONFLICT, ActionKind.END_ARMED_CONFLICT)


class RunError(Exception):
    """A scenario that cannot be run (a runaway horizon, a date out of range). ``field`` names
    the scenario field at fault."""

    def __init__(self, field: str, message: str) -> None:
        # SimPy re-raises an exception from a process as ``type(error)(*error.args)``: the
        # event limit is reached inside one, so ``args`` must rebuild the error.
        super().__init__(field, message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


class _At(SimEvent):
    """A timeout with an explicit rank among the events of the same instant."""

    def __init__(self, env: Environment, delay: int, rank: int) -> None:
        self.env = env
        self.callbacks = []
        self._value = None
        self._ok = True
        env.schedule(self, EventPriority(rank), delay)


@dataclass(frozen=True)
class TimedAction:
    """An action resolved to an instant in the treaty's zone; ``index`` is its place in the
    file."""

    at: datetime
    index: int
    action: Action


def timed_actions(actions: Iterable[Action], treaty: Treaty) -> list[TimedAction]:
    """The actions as instants, in time order, equal instants in file order."""
    tz = zone(treaty.timezone)
    timed = [TimedAction(as_instant(a.at, tz), i, a) for i, a in enumerate(actions)]
    return sorted(timed, key=lambda item: (utc(item.at), item.index))


def default_horizon(treaty: Treaty, actions: list[TimedAction]) -> datetime:
    """Three years after the last action, or after entry into force (PRODUCT.md)."""
    horizon = rules.default_horizon(treaty, [a.at for a in actions])
    if horizon is None:
        raise RunError("horizon", "the treaty has no in_force date and no actions: give a horizon")
    return horizon


class _Run:
    def __init__(
        self,
        treaty: Treaty,
        interpretation: Interpretation,
        horizon: datetime,
        actions: list[TimedAction],
    ) -> None:
        tz = zone(treaty.timezone)
        self.in_force = at_midnight(treaty.in_force, tz) if treaty.in_force else None
        self.horizon = horizon
        self.actions = actions
        known = [self.in_force] if self.in_force is not None else []
        self.origin = min([*known, *(a.at for a in actions), horizon], key=utc)
        self.env = Environment()
        self.machine = TreatyMachine(treaty, self.in_force, interpretation)
        self.events: list[Event] = []
        self.scheduled: dict[tuple[str, str | None], tuple[datetime, int]] = {}
        self.serial = 0

    def _seconds(self, moment: datetime) -> int:
        """The SimPy clock: elapsed seconds from the origin, in real time."""
        return int((utc(moment) - utc(self.origin)).total_seconds())

    def _wait(self, moment: datetime, rank: int) -> _At:
        return _At(self.env, max(0, self._seconds(moment) - int(self.env.now)), rank)

    def _record(self, events: list[Event]) -> None:
        self.events.extend(events)
        if len(self.events) > MAX_EVENTS:
            raise RunError(
                "horizon",
                f"the run would produce more than {MAX_EVENTS:,} events: choose an earlier horizon",
            )
        self._sync()

    def _sync(self) -> None:
        """Start a process for each wakeup (entry into force, term end, effect, timed
        resumption, end of survival) that is new or has moved. Each process carries a serial
        number: one whose instant has moved, or was withdrawn and given again (even for the
        same instant), finds itself stale when it wakes, and does nothing."""
        scheduled: dict[tuple[str, str | None], tuple[datetime, int]] = {}
        for wakeup in self.machine.wakeups():
            key = (wakeup.kind, wakeup.party)
            current = self.scheduled.get(key)
            if current is not None and utc(current[0]) == utc(wakeup.at):
                scheduled[key] = current
            elif utc(wakeup.at) < utc(self.horizon):
                self.serial += 1
                scheduled[key] = (wakeup.at, self.serial)
                self.env.process(self._await(wakeup, self.serial))
        self.scheduled = scheduled

    def _await(self, wakeup: Wakeup, serial: int) -> Generator[SimEvent, Any, None]:
        key = (wakeup.kind, wakeup.party)
        yield self._wait(wakeup.at, _RANKS[wakeup.kind])
        if self.scheduled.get(key, (wakeup.at, 0))[1] != serial:
            return
        del self.scheduled[key]
        self._record(self.machine.wake(wakeup))

    def _actions(self, conflicts: bool) -> Generator[SimEvent, Any, None]:
        """The scenario's actions in time order (equal instants in file order): the armed
        conflicts' at their own rank, the others at theirs."""
        rank = _RANK_CONFLICT if conflicts else _RANK_ACTION
        for timed in self.actions:
            if (timed.action.do in _CONFLICT_ACTIONS) is conflicts:
                yield self._wait(timed.at, rank)
                self._record(self.machine.apply(timed.action, timed.at))

    def go(self) -> None:
        self._sync()
        self.env.process(self._actions(conflicts=True))
        self.env.process(self._actions(conflicts=False))
        self.env.run(until=max(1, self._seconds(self.horizon)))


def _check_size(treaty: Treaty, horizon: datetime) -> None:
    """Refuse at once a horizon so far away that the terms alone exceed the event limit:
    entry into force and one event per term end before the horizon. Term ``MAX_EVENTS``'s
    end is found by formula (``in_force + term + (n-1)·renewal``), so the check is exact and
    takes no time."""
    if treaty.clause.renewal is None or treaty.in_force is None:
        return
    try:
        end = Schedule.of(treaty.clause, treaty.in_force, zone(treaty.timezone)).end(MAX_EVENTS)
    except DateError:
        return  # beyond the year 9999, so beyond any horizon
    if end is not None and utc(end) < utc(horizon):
        raise RunError(
            "horizon",
            f"the horizon is more than {MAX_EVENTS:,} renewals away: choose an earlier horizon",
        )


def run(
    scenario: Scenario,
    treaty: Treaty,
    interpretation: Interpretation | None = None,
) -> Timeline:
    """Run ``scenario`` (whose treaty, if named, is resolved to ``treaty``) to its horizon."""
    chosen = interpretation or scenario.interpretation
    tz = zone(treaty.timezone)
    try:
        actions = timed_actions(scenario.actions, treaty)
        horizon = (
            at_midnight(scenario.horizon, tz)
            if scenario.horizon is not None
            else default_horizon(treaty, actions)
        )
    except DateError as error:
        raise RunError("horizon", str(error)) from None
    late = [a for a in actions if utc(a.at) >= utc(horizon)]
    if late:
        raise RunError(
            f"actions[{late[0].index}].at",
            f"the action is at or after the horizon {horizon.date()}: move the horizon later",
        )
    _check_size(treaty, horizon)
    state = _Run(treaty, chosen, horizon, actions)
    try:
        state.go()
    except DateError as error:
        raise RunError("horizon", f"{error}: choose an earlier horizon") from None
    machine = state.machine
    terms: list[Term] = list(machine.terms)
    return Timeline(
        scenario=scenario.name,
        treaty=treaty.name,
        timezone=treaty.timezone,
        interpretation=chosen,
        horizon=horizon,
        parties=treaty.party_names,
        in_force=machine.in_force if machine.started else None,
        terminated_at=machine.terminated_at,
        bound_until=dict(machine.bound_until),
        survives_until=dict(machine.survives_until) if treaty.clause.survival else {},
        terms=terms,
        events=state.events,
        schedule=machine.schedule if machine.started else None,
    )
