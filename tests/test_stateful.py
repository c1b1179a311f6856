"""The state machine driven directly, action after action, with its invariants checked after
each step (Hypothesis RuleBasedStateMachine).

The test plays the engine's part: it enters the treaty into force, and before each action
lets happen, in time order, every notice effect and term end that is due (at one instant:
effects before term ends before actions, docs/decisions.md, 24). After each action it checks
that the action did what TABLE says for the standing it was judged in."""

from __future__ import annotations

import itertools
from dataclasses import astuple
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from strategies import OUTSIDER, durations, shifted, treaties

from sim.core.dates import at_midnight, zone
from sim.core.machine import TABLE, Reject, Standing, TreatyMachine
from sim.core.model import Action, ActionKind, EventKind, Interpretation, Treaty
from sim.core.timeline import Event


def real(moment: datetime) -> datetime:
    """The instant in UTC, for comparing (see tests/test_properties.py)."""
    return moment.astimezone(UTC)


steps = st.one_of(
    st.sampled_from([0, 1, 3600, 86400]),
    st.integers(0, 3 * 86400),
    st.integers(0, 400 * 86400),
).map(lambda s: timedelta(seconds=s))
"""How long until the next action: no time at all, a second, an hour, a day, up to a year."""

nudges = st.sampled_from([-86400, -3600, -1, 0, 1, 3600]).map(lambda s: timedelta(seconds=s))
"""Just before, at or just after an instant that matters."""


class TreatyRun(RuleBasedStateMachine):
    """A treaty, its machine, and the clock of the run."""

    machine: TreatyMachine
    now: datetime
    events: list[Event]

    @initialize(treaty=treaties(), interpretation=st.sampled_from(list(Interpretation)))
    def enter_into_force(self, treaty: Treaty, interpretation: Interpretation) -> None:
        in_force = at_midnight(treaty.in_force, zone(treaty.timezone))
        self.machine = TreatyMachine(treaty, in_force, interpretation)
        self.events = self.machine.enter_into_force()
        self.now = in_force

    # --- time passes ----------------------------------------------------------------------

    def due(self) -> list[tuple[datetime, int, str, datetime]]:
        """What is scheduled: each pending effect (rank 2) and the running term's end
        (rank 3), in time order."""
        scheduled = [
            (real(moment), 2, party, moment)
            for party, moment in self.machine.pending_effects().items()
        ]
        term_end = self.machine.next_term_end()
        if term_end is not None:
            scheduled.append((real(term_end), 3, "", term_end))
        return sorted(scheduled)

    def happen_until(self, moment: datetime) -> None:
        """Let every effect and term end up to ``moment`` (inclusive) happen, in order."""
        while True:
            scheduled = self.due()
            if not scheduled or scheduled[0][0] > real(moment):
                return
            _, _, party, when = scheduled[0]
            if party:
                self.events += self.machine.notice_takes_effect(party, when)
            else:
                self.events += self.machine.term_end(when)

    def landmark(self, choice: int) -> datetime | None:
        """An instant that matters now: the running term's end, its notice deadline, or a
        pending effect."""
        options: list[datetime] = []
        term_end = self.machine.next_term_end()
        if term_end is not None:
            options.append(term_end)
        if self.machine.terms and self.machine.terms[-1].notice_deadline is not None:
            options.append(self.machine.terms[-1].notice_deadline)
        options += list(self.machine.pending_effects().values())
        options = [o for o in options if real(o) >= real(self.now)]
        return options[choice % len(options)] if options else None

    def next_moment(self, step: timedelta, aim: int | None, nudge: timedelta) -> datetime:
        target = self.landmark(aim) if aim is not None else None
        moment = shifted(target, nudge) if target is not None else shifted(self.now, step)
        if real(moment) < real(self.now):
            moment = self.now
        return moment.replace(microsecond=0)

    @rule(step=steps)
    def wait(self, step: timedelta) -> None:
        moment = self.next_moment(step, None, timedelta(0))
        self.happen_until(moment)
        self.now = moment

    # --- actions --------------------------------------------------------------------------

    def snapshot(self) -> Any:
        """Everything an action may change."""
        machine = self.machine
        return (
            machine.terminated_at,
            dict(machine.bound_until),
            {party: astuple(notice) for party, notice in machine.notices.items()},
            set(machine.operation_suspended),
            [astuple(term) for term in machine.terms],
            machine.schedule,
        )

    @rule(
        kind=st.sampled_from(list(ActionKind)),
        who=st.integers(0, 5),
        step=steps,
        aim=st.none() | st.integers(0, 3),
        nudge=nudges,
        period=durations,
        through=st.integers(-30, 2000),
    )
    def act(
        self,
        kind: ActionKind,
        who: int,
        step: timedelta,
        aim: int | None,
        nudge: timedelta,
        period: str,
        through: int,
    ) -> None:
        moment = self.next_moment(step, aim, nudge)
        self.happen_until(moment)
        self.now = moment
        parties = self.machine.treaty.parties
        by = None if kind.by_agreement else (parties[who] if who < len(parties) else OUTSIDER)
        fields: dict[str, Any] = {}
        if kind is ActionKind.EXTEND:
            if through % 2:
                fields["period"] = period
            else:
                fields["through"] = moment.date() + timedelta(days=through)
        action = Action(at=moment.isoformat(), by=by, do=kind, **fields)
        if by == OUTSIDER:
            before = self.snapshot()
            events = self.machine.apply(action, moment)
            assert [e.kind for e in events] == [EventKind.REJECTED]
            assert self.snapshot() == before
            return
        self.check_table(action, by, moment)

    @rule(who=st.integers(0, 4), pick=st.integers(0, 2), step=steps)
    def notice_step(self, who: int, pick: int, step: timedelta) -> None:
        """The next step of a party's notice (notify; suspend or withdraw a pending one;
        resume or withdraw a suspended one), so that the transitions are taken often."""
        moment = self.next_moment(step, None, timedelta(0))
        self.happen_until(moment)
        self.now = moment
        parties = self.machine.treaty.parties
        party = parties[who % len(parties)]
        notice = self.machine.notices.get(party)
        if notice is None:
            kind = ActionKind.NOTIFY
        elif notice.suspended:
            kind = (ActionKind.RESUME_NOTICE, ActionKind.WITHDRAW_NOTICE)[pick % 2]
        else:
            kind = (ActionKind.SUSPEND_NOTICE, ActionKind.WITHDRAW_NOTICE)[pick % 2]
        self.check_table(Action(at=moment.isoformat(), by=party, do=kind), party, moment)

    def check_table(self, action: Action, by: str | None, moment: datetime) -> None:
        """The action does what TABLE says for the standing it is judged in: a rejection
        with TABLE's reason, or TABLE's event and new standing (unless a guard refuses it,
        and then nothing changes)."""
        standing = self.machine.standing(by, moment)
        outcome = TABLE[(standing, action.do)]
        before = self.snapshot()
        events = self.machine.apply(action, moment)
        self.events += events
        if isinstance(outcome, Reject):
            assert [(e.kind, e.reason) for e in events] == [(EventKind.REJECTED, outcome.reason)]
            assert self.snapshot() == before
            return
        if events[0].kind is EventKind.REJECTED:
            assert len(events) == 1 and events[0].reason
            assert outcome.guards, "a transition without guards was refused"
            assert self.snapshot() == before
            return
        assert events[0].kind is outcome.event
        assert all(e.at == moment for e in events)
        after = self.machine.standing(by, moment)
        ends = {EventKind.TERMINATED, EventKind.WITHDRAWAL_EFFECTIVE}
        if any(e.kind in ends and (e.by == by or e.kind is EventKind.TERMINATED) for e in events):
            # terminate, or a notice resumed under `immediate`: it takes effect at once
            assert after is Standing.ENDED
        elif action.do is ActionKind.JOIN:
            # bound at once where the clause gives no accession_delay (PRODUCT.md 0.2)
            assert after in (Standing.NOT_YET_IN_FORCE, Standing.IN_FORCE)
        else:
            assert after is (outcome.then or standing)

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def terms_are_contiguous(self) -> None:
        terms = self.machine.terms
        assert [t.number for t in terms] == list(range(1, len(terms) + 1))
        for before, after in itertools.pairwise(terms):
            assert before.end == after.start
        for term in terms:
            assert term.end is None or real(term.start) <= real(term.end)

    @invariant()
    def nothing_is_due_in_the_past(self) -> None:
        # every effect and term end up to now has happened: what is left is in the future
        for instant, _, _, _ in self.due():
            assert instant > real(self.now)

    @invariant()
    def an_ended_treaty_binds_no_one(self) -> None:
        machine = self.machine
        if machine.terminated_at is None:
            bound = [p for p, until in machine.bound_until.items() if until is None]
            assert len(bound) >= 2
            return
        assert machine.ended and not machine.notices and not machine.pending_effects()
        assert machine.next_term_end() is None
        for until in machine.bound_until.values():
            assert until is not None and real(until) <= real(machine.terminated_at)
        assert machine.terms[-1].end == machine.terminated_at

    @invariant()
    def only_bound_parties_hold_notices_or_suspend_operation(self) -> None:
        # (once the treaty has ended, the machine keeps its last operation suspensions: they
        # no longer mean anything, docs/properties.md, "Noticed and left alone")
        machine = self.machine
        holders = [*machine.notices] + ([] if machine.ended else [*machine.operation_suspended])
        for party in holders:
            assert machine.bound_until[party] is None

    @invariant()
    def each_standing_says_where_the_party_stands(self) -> None:
        machine = self.machine
        for party in machine.treaty.parties:
            standing = machine.standing(party, self.now)
            notice = machine.notices.get(party)
            if machine.ended or machine.bound_until[party] is not None:
                assert standing is Standing.ENDED
            elif notice is None:
                assert standing is Standing.IN_FORCE
            else:
                expected = (
                    Standing.NOTICE_SUSPENDED if notice.suspended else Standing.NOTICE_PENDING
                )
                assert standing is expected

    @invariant()
    def events_come_in_time_order(self) -> None:
        instants = [real(e.at) for e in self.events]
        assert instants == sorted(instants)


TreatyRun.TestCase.settings = settings(
    settings.default,
    max_examples=max(20, settings.default.max_examples // 2),
    stateful_step_count=25,
)
test_the_state_machine_keeps_its_invariants = TreatyRun.TestCase
