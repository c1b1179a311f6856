"""The treaty as a state machine: one explicit table of standings, actions and outcomes.

A party's *standing* is the state an action is judged in: for an action ``by`` a party, that
party's standing; for an action by agreement (``extend``, ``terminate``), the treaty's
(``notice_pending`` when any party's notice is pending, ``notice_suspended`` when none is
pending but one is suspended). :data:`TABLE` gives, for every pair
of standing and action, either a transition (with the guards that may still refuse it) or a
rejection with its reason. :class:`TreatyMachine` applies it; it knows nothing of SimPy: the
engine calls it at each instant and asks it what is scheduled next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from enum import StrEnum
from typing import TypeVar

from sim.core import kernel
from sim.core.dates import at_midnight, iso, local_date, spoken_span, utc, zone
from sim.core.kernel import Guard, NoticeBasis, Refusal, SuspensionBasis
from sim.core.model import Action, ActionKind, Interpretation, Treaty
from sim.core.rules import Schedule, survives_until
from sim.core.timeline import Event, EventKind, Outcome, Term

__all__ = ["TABLE", "Go", "Guard", "Reject", "Standing", "TreatyMachine", "Wakeup"]


class Standing(StrEnum):
    """Where a party (or, for actions by agreement, the treaty) stands."""

    NOT_A_PARTY = "not_a_party"
    NOT_YET_IN_FORCE = "not_yet_in_force"
    IN_FORCE = "in_force"
    NOTICE_PENDING = "notice_pending"
    NOTICE_SUSPENDED = "notice_suspended"
    ENDED = "ended"


@dataclass(frozen=True)
class Go:
    """The action applies: the standing becomes ``then`` (None: unchanged) and ``event`` is
    recorded, unless one of ``guards`` refuses it."""

    then: Standing | None
    event: EventKind
    guards: tuple[Guard, ...] = ()


@dataclass(frozen=True)
class Reject:
    """The action does not apply in this standing; the timeline records ``reason``."""

    reason: str


S = Standing
A = ActionKind
E = EventKind

_NOT_YET = Reject("the treaty is not yet in force")
_ENDED = Reject("no longer bound: the treaty has ended for this party")
_NOT_A_PARTY = Reject("not a party: it must join first")
_A_PARTY = Reject("already a party: a party joins only when it is not bound")
_OPERATION = (
    Go(None, E.OPERATION_SUSPENDED, (Guard.OPERATION_RUNNING,)),
    Go(None, E.OPERATION_RESUMED, (Guard.OPERATION_SUSPENDED,)),
)
_CONFLICT = (
    Go(None, E.ARMED_CONFLICT_ENTERED, (Guard.NOT_IN_ARMED_CONFLICT,)),
    Go(None, E.ARMED_CONFLICT_ENDED, (Guard.IN_ARMED_CONFLICT,)),
)
_EXTEND_TERM = Go(
    None, E.EXTENDED, (Guard.END_TO_MOVE, Guard.MOVES_END_LATER, Guard.WITHIN_MAX_EXTENSION)
)
_TERMINATE = Go(S.ENDED, E.TERMINATED)

TABLE: dict[tuple[Standing, ActionKind], Go | Reject] = {
    # notify: a notice of termination (renewal clause) or of withdrawal (withdrawal clause).
    (S.NOT_YET_IN_FORCE, A.NOTIFY): _NOT_YET,
    (S.IN_FORCE, A.NOTIFY): Go(
        S.NOTICE_PENDING,
        E.NOTICE_GIVEN,
        (
            Guard.CLAUSE_ALLOWS_EXIT,
            Guard.NOT_BEFORE_EARLIEST_NOTICE,
            Guard.IN_NOTICE_WINDOW,
            Guard.NOTICE_NOT_VOID,
            Guard.EFFECTIVE_NOT_EARLIER,
        ),
    ),
    (S.NOTICE_PENDING, A.NOTIFY): Reject("a notice by this party is already pending"),
    (S.NOTICE_SUSPENDED, A.NOTIFY): Reject(
        "a notice by this party is suspended: resume or withdraw it"
    ),
    (S.ENDED, A.NOTIFY): _ENDED,
    # suspend_notice: the notice's effect is put on hold; the time left is kept. With `for`
    # or `until` the suspension ends by itself; a timed suspension may be suspended again,
    # which sets its new end.
    (S.NOT_YET_IN_FORCE, A.SUSPEND_NOTICE): _NOT_YET,
    (S.IN_FORCE, A.SUSPEND_NOTICE): Reject("no pending notice by this party"),
    (S.NOTICE_PENDING, A.SUSPEND_NOTICE): Go(
        S.NOTICE_SUSPENDED,
        E.NOTICE_SUSPENDED,
        (Guard.EFFECT_NOT_POSTPONED, Guard.SUSPENSION_ENDS_LATER),
    ),
    (S.NOTICE_SUSPENDED, A.SUSPEND_NOTICE): Go(
        None, E.NOTICE_SUSPENDED, (Guard.TIMED_SUSPENSION, Guard.SUSPENSION_ENDS_LATER)
    ),
    (S.ENDED, A.SUSPEND_NOTICE): _ENDED,
    # resume_notice: the suspended notice runs again, as the interpretation says.
    (S.NOT_YET_IN_FORCE, A.RESUME_NOTICE): _NOT_YET,
    (S.IN_FORCE, A.RESUME_NOTICE): Reject("no suspended notice by this party"),
    (S.NOTICE_PENDING, A.RESUME_NOTICE): Reject("the notice is not suspended"),
    (S.NOTICE_SUSPENDED, A.RESUME_NOTICE): Go(
        S.NOTICE_PENDING, E.NOTICE_RESUMED, (Guard.FRESH_NOTICE_NOT_VOID,)
    ),
    (S.ENDED, A.RESUME_NOTICE): _ENDED,
    # withdraw_notice: the notice is revoked, as if never given.
    (S.NOT_YET_IN_FORCE, A.WITHDRAW_NOTICE): _NOT_YET,
    (S.IN_FORCE, A.WITHDRAW_NOTICE): Reject("no notice by this party to withdraw"),
    (S.NOTICE_PENDING, A.WITHDRAW_NOTICE): Go(S.IN_FORCE, E.NOTICE_WITHDRAWN),
    (S.NOTICE_SUSPENDED, A.WITHDRAW_NOTICE): Go(S.IN_FORCE, E.NOTICE_WITHDRAWN),
    (S.ENDED, A.WITHDRAW_NOTICE): _ENDED,
    # extend (by agreement): the current end moves later: the term's, or a pending notice's.
    (S.NOT_YET_IN_FORCE, A.EXTEND): _NOT_YET,
    (S.IN_FORCE, A.EXTEND): _EXTEND_TERM,
    (S.NOTICE_PENDING, A.EXTEND): _EXTEND_TERM,
    (S.NOTICE_SUSPENDED, A.EXTEND): _EXTEND_TERM,
    (S.ENDED, A.EXTEND): Reject("the treaty has ended: there is nothing to extend"),
    # terminate (by agreement): the treaty ends at once.
    (S.NOT_YET_IN_FORCE, A.TERMINATE): _NOT_YET,
    (S.IN_FORCE, A.TERMINATE): _TERMINATE,
    (S.NOTICE_PENDING, A.TERMINATE): _TERMINATE,
    (S.NOTICE_SUSPENDED, A.TERMINATE): _TERMINATE,
    (S.ENDED, A.TERMINATE): Reject("the treaty has already ended"),
    # suspend_operation / resume_operation: a party stops or restarts applying the treaty;
    # terms and deadlines run on unchanged.
    (S.NOT_YET_IN_FORCE, A.SUSPEND_OPERATION): _NOT_YET,
    (S.IN_FORCE, A.SUSPEND_OPERATION): _OPERATION[0],
    (S.NOTICE_PENDING, A.SUSPEND_OPERATION): _OPERATION[0],
    (S.NOTICE_SUSPENDED, A.SUSPEND_OPERATION): _OPERATION[0],
    (S.ENDED, A.SUSPEND_OPERATION): _ENDED,
    (S.NOT_YET_IN_FORCE, A.RESUME_OPERATION): _NOT_YET,
    (S.IN_FORCE, A.RESUME_OPERATION): _OPERATION[1],
    (S.NOTICE_PENDING, A.RESUME_OPERATION): _OPERATION[1],
    (S.NOTICE_SUSPENDED, A.RESUME_OPERATION): _OPERATION[1],
    (S.ENDED, A.RESUME_OPERATION): _ENDED,
    # enter_armed_conflict / end_armed_conflict: a party is engaged in an armed conflict
    # from one to the other; under effect_not_during: armed_conflict, its withdrawal does
    # not take effect meanwhile, but at the conflict's end (Ottawa Convention art. 20(2)).
    (S.NOT_YET_IN_FORCE, A.ENTER_ARMED_CONFLICT): _NOT_YET,
    (S.IN_FORCE, A.ENTER_ARMED_CONFLICT): _CONFLICT[0],
    (S.NOTICE_PENDING, A.ENTER_ARMED_CONFLICT): _CONFLICT[0],
    (S.NOTICE_SUSPENDED, A.ENTER_ARMED_CONFLICT): _CONFLICT[0],
    (S.ENDED, A.ENTER_ARMED_CONFLICT): _ENDED,
    (S.NOT_YET_IN_FORCE, A.END_ARMED_CONFLICT): _NOT_YET,
    (S.IN_FORCE, A.END_ARMED_CONFLICT): _CONFLICT[1],
    (S.NOTICE_PENDING, A.END_ARMED_CONFLICT): _CONFLICT[1],
    (S.NOTICE_SUSPENDED, A.END_ARMED_CONFLICT): _CONFLICT[1],
    (S.ENDED, A.END_ARMED_CONFLICT): _ENDED,
    # join: a party deposits its instrument; it is bound from then plus the clause's
    # accession_delay (not before the treaty's entry into force); a party that left may
    # join again while the treaty goes on for the others.
    (S.NOT_A_PARTY, A.JOIN): Go(S.NOT_YET_IN_FORCE, E.JOINED),
    (S.NOT_YET_IN_FORCE, A.JOIN): _A_PARTY,
    (S.IN_FORCE, A.JOIN): _A_PARTY,
    (S.NOTICE_PENDING, A.JOIN): _A_PARTY,
    (S.NOTICE_SUSPENDED, A.JOIN): _A_PARTY,
    (S.ENDED, A.JOIN): Go(S.NOT_YET_IN_FORCE, E.JOINED, (Guard.TREATY_GOES_ON,)),
}
for _action in ActionKind:
    if _action is not A.JOIN:
        TABLE[(S.NOT_A_PARTY, _action)] = _NOT_A_PARTY


@dataclass
class Notice:
    """A party's notice. It takes effect at the end of term ``effect_term`` (a renewal
    notice) or at ``effect_at`` (a withdrawal, a notice naming its date, or a resumed notice
    under ``remaining`` or ``immediate``); while suspended it has no effect and keeps the
    time it had left (``suspension``); a timed suspension ends by itself at ``resumes_at``."""

    party: str
    given: datetime
    effect_term: int | None = None
    effect_at: datetime | None = None
    suspended: bool = False
    suspension: SuspensionBasis | None = None
    """The suspension that holds it, with the time it then had left."""
    resumes_at: datetime | None = None
    postponed: bool = False
    """Its effect came while its party was in an armed conflict: it waits for the end."""

    @classmethod
    def of(cls, party: str, given: datetime, basis: NoticeBasis) -> Notice:
        """A notice whose effect the kernel decided: the end of term ``basis.target`` (so an
        extension of that term moves it), or a dated effect."""
        if basis.dated:
            return cls(party, given, effect_at=basis.effect)
        return cls(party, given, effect_term=basis.target)


@dataclass(frozen=True)
class Wakeup:
    """Something the clock must bring about at ``at``: ``kind`` is one of ``entry`` (the
    treaty's entry into force), ``enter`` (its entry into force for ``party``), ``resume``
    (a timed suspension runs out), ``effect`` (a notice takes effect), ``survival`` (the
    obligations that survive a withdrawal end) and ``term`` (the running term ends)."""

    kind: str
    party: str | None
    at: datetime


_T = TypeVar("_T")


class _Refused(Exception):
    """A guard of :data:`TABLE` refused the transition (the kernel's :class:`Refusal`)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.reason)
        self.guard = refusal.guard
        self.reason = refusal.reason


def _accepted(decision: _T | Refusal) -> _T:
    """The kernel's answer, or the refusal raised for :meth:`TreatyMachine.apply`."""
    if isinstance(decision, Refusal):
        raise _Refused(decision)
    return decision


@dataclass
class TreatyMachine:
    """The state of one treaty as a run goes on, and the rules that change it. ``in_force``
    is the treaty's entry into force, or None where a count of ``join`` decides it."""

    treaty: Treaty
    in_force: datetime | None
    interpretation: Interpretation
    schedule: Schedule = field(init=False)
    started: bool = False
    terminated_at: datetime | None = None
    bound_until: dict[str, datetime | None] = field(init=False)
    survives_until: dict[str, datetime | None] = field(init=False)
    member_from: dict[str, datetime | None] = field(init=False)
    """When each party is (or was last) bound from; None: not a party until it joins."""
    announced: set[str] = field(default_factory=set)
    """Parties whose own entry into force has come (or coincided with the treaty's)."""
    survival_over: set[str] = field(default_factory=set)
    joins: int = 0
    notices: dict[str, Notice] = field(default_factory=dict)
    operation_suspended: set[str] = field(default_factory=set)
    in_conflict: dict[str, datetime] = field(default_factory=dict)
    """Parties engaged in an armed conflict, and since when."""
    terms: list[Term] = field(default_factory=list)

    def __post_init__(self) -> None:
        tz = self.zone
        # terms count from the treaty's date even where its 00:00 did not exist
        # (a placeholder, replaced when a count of joins sets the date, and never counted
        # from: any date whose midnight exists in every zone will do)
        anchor = self.treaty.in_force or date(2000, 1, 1)
        self.schedule = Schedule.of(self.treaty.clause, anchor, tz)
        names = self.treaty.party_names
        self.bound_until = dict.fromkeys(names)
        self.survives_until = dict.fromkeys(names)
        self.member_from = {}
        for party in names:
            own = self.treaty.party_in_force(party)
            self.member_from[party] = at_midnight(own, tz) if own is not None else None

    @property
    def zone(self) -> tzinfo:
        """The treaty's time zone, in which its dates are read."""
        return zone(self.treaty.timezone)

    # --- what the engine asks -------------------------------------------------------------

    @property
    def ended(self) -> bool:
        """The treaty has ended for every party."""
        return self.terminated_at is not None

    def current_term(self) -> int:
        """The number of the term now running (the last one started)."""
        return self.terms[-1].number if self.terms else 1

    def running_term(self, moment: datetime) -> int:
        """The term whose end is the treaty's current end at ``moment``
        (:func:`kernel.running_term`)."""
        return kernel.running_term(self.schedule, moment)

    def next_term_end(self) -> datetime | None:
        """When the running term ends, if it ends at all and the treaty is still in force."""
        if not self.started or self.ended:
            return None
        return self.schedule.end(self.current_term())

    def effect_of(self, notice: Notice) -> datetime | None:
        """When a pending notice takes effect (None while it is suspended, or waits for the
        end of an armed conflict)."""
        if notice.suspended or notice.postponed:
            return None
        if notice.effect_at is not None:
            return notice.effect_at
        assert notice.effect_term is not None
        return self.schedule.end(notice.effect_term)

    def pending_effects(self) -> dict[str, datetime]:
        """Each party's pending notice and the instant it takes effect."""
        if self.ended:
            return {}
        effects = {}
        for party, notice in self.notices.items():
            moment = self.effect_of(notice)
            if moment is not None:
                effects[party] = moment
        return effects

    def wakeups(self) -> list[Wakeup]:
        """Everything now due to happen by the clock alone, each with its instant."""
        due: list[Wakeup] = []
        if not self.started:
            if self.in_force is not None:
                due.append(Wakeup("entry", None, self.in_force))
            return due
        for party, moment in self.member_from.items():
            if moment is not None and party not in self.announced and not self.ended:
                due.append(Wakeup("enter", party, moment))
        if not self.ended:
            for party, notice in self.notices.items():
                if notice.suspended and notice.resumes_at is not None:
                    due.append(Wakeup("resume", party, notice.resumes_at))
        due.extend(Wakeup("effect", party, at) for party, at in self.pending_effects().items())
        for party, until in self.survives_until.items():
            if until is not None and party not in self.survival_over:
                due.append(Wakeup("survival", party, until))
        term_end = self.next_term_end()
        if term_end is not None:
            due.append(Wakeup("term", None, term_end))
        return due

    def wake(self, wakeup: Wakeup) -> list[Event]:
        """Bring about ``wakeup`` at its instant."""
        moment, party = wakeup.at, wakeup.party
        if wakeup.kind == "entry":
            return self.enter_into_force()
        if wakeup.kind == "term":
            return self.term_end(moment)
        assert party is not None
        if wakeup.kind == "enter":
            self.announced.add(party)
            return [
                Event(
                    moment,
                    EventKind.ENTERED_INTO_FORCE_FOR,
                    by=party,
                    term=self.current_term(),
                )
            ]
        if wakeup.kind == "resume":
            return self._resume(party, moment, "suspension expired")
        if wakeup.kind == "survival":
            self.survival_over.add(party)
            return [
                Event(
                    moment,
                    EventKind.SURVIVAL_ENDED,
                    by=party,
                    term=self.current_term(),
                    reason="the obligations that survived the withdrawal end",
                )
            ]
        return self._effect_or_wait(party, moment)

    def _effect_or_wait(self, party: str, moment: datetime) -> list[Event]:
        """The notice of ``party`` takes effect at ``moment``, unless its party is in an armed
        conflict (:func:`kernel.effect_waits`): then it waits for the conflict's end."""
        since = self.in_conflict.get(party)
        if kernel.effect_waits(self.treaty.clause, since):
            assert since is not None
            self.notices[party].postponed = True
            return [
                Event(
                    moment,
                    EventKind.EFFECT_POSTPONED,
                    by=party,
                    term=self.current_term(),
                    reason=f"{party} is in an armed conflict (since {iso(since)}): the "
                    "withdrawal takes effect at its end",
                )
            ]
        return self.notice_takes_effect(party, moment)

    def standing(self, party: str | None, moment: datetime) -> Standing:
        """The standing an action is judged in (see the module's docstring)."""
        if party is None:
            if not self.started or self.in_force is None or utc(moment) < utc(self.in_force):
                return Standing.NOT_YET_IN_FORCE
            if self.ended:
                return Standing.ENDED
            if self.pending_effects():
                return Standing.NOTICE_PENDING
            if self.notices:
                return Standing.NOTICE_SUSPENDED
            return Standing.IN_FORCE
        if self.ended or self.bound_until[party] is not None:
            return Standing.ENDED
        member = self.member_from[party]
        if member is None:
            return Standing.NOT_A_PARTY
        if (
            not self.started
            or self.in_force is None
            or utc(moment) < utc(self.in_force)
            or utc(moment) < utc(member)
        ):
            return Standing.NOT_YET_IN_FORCE
        notice = self.notices.get(party)
        if notice is None:
            return Standing.IN_FORCE
        return Standing.NOTICE_SUSPENDED if notice.suspended else Standing.NOTICE_PENDING

    # --- the clock --------------------------------------------------------------------------

    def enter_into_force(self) -> list[Event]:
        """Entry into force: the first term begins."""
        assert self.in_force is not None
        self.started = True
        for party, moment in self.member_from.items():
            if moment is not None and utc(moment) <= utc(self.in_force):
                self.member_from[party] = self.in_force
                self.announced.add(party)
        self._open_term(1, self.in_force)
        return [Event(self.in_force, EventKind.ENTERED_INTO_FORCE, term=1)]

    def _open_term(self, number: int, start: datetime) -> None:
        scheduled = self.schedule.end(number)
        self.terms.append(Term(number, start, scheduled, scheduled, self.schedule.deadline(number)))

    def term_end(self, moment: datetime) -> list[Event]:
        """The running term reaches its end: renewal, or the end of a fixed term."""
        term = self.terms[-1]
        following = self.schedule.end(term.number + 1)
        if following is None:
            return self._terminate(moment, "the term expired", None, Outcome.EXPIRED)
        extended = term.outcome is Outcome.EXTENDED
        if not extended:
            term.outcome = Outcome.RENEWED
        self._open_term(term.number + 1, moment)
        if extended:
            return []
        return [Event(moment, EventKind.RENEWED, term=term.number + 1)]

    def notice_takes_effect(self, party: str, moment: datetime) -> list[Event]:
        """A pending notice reaches its effect: the treaty ends (two parties) or the party
        leaves (three or more); obligations that survive it run on (clause ``survival``)."""
        notice = self.notices.pop(party)
        reason = f"notice of {iso(notice.given)}"
        before = {p for p, until in self.bound_until.items() if until is None}
        events = self._leave(party, moment, reason)
        until = survives_until(self.treaty.clause, moment)
        if until is not None:
            for left in before:
                if self.bound_until[left] is not None and self.member_from[left] is not None:
                    self.survives_until[left] = until
                    self.survival_over.discard(left)
        return events

    def _leave(self, party: str, moment: datetime, reason: str) -> list[Event]:
        remaining = [
            p
            for p, until in self.bound_until.items()
            if until is None and p != party and self.member_from[p] is not None
        ]
        if self.treaty.multilateral and len(remaining) >= 2:
            self.bound_until[party] = moment
            self.operation_suspended.discard(party)
            return [
                Event(
                    moment,
                    EventKind.WITHDRAWAL_EFFECTIVE,
                    by=party,
                    term=self.current_term(),
                    reason=reason,
                )
            ]
        return self._terminate(moment, reason, by=party)

    def _terminate(
        self,
        moment: datetime,
        reason: str,
        by: str | None,
        outcome: Outcome = Outcome.TERMINATED,
    ) -> list[Event]:
        self.terminated_at = moment
        for party, until in self.bound_until.items():
            if until is None and self.member_from[party] is not None:
                self.bound_until[party] = moment
        self.notices.clear()
        if self.terms:
            self.terms[-1].end = moment
            self.terms[-1].outcome = outcome
        return [Event(moment, EventKind.TERMINATED, by=by, term=self.current_term(), reason=reason)]

    # --- the actions ------------------------------------------------------------------------

    def apply(self, action: Action, moment: datetime) -> list[Event]:
        """Apply one scenario action at ``moment``: a transition of :data:`TABLE`, or a
        ``rejected`` event with the reason."""
        by = action.by
        if by is not None and by not in self.bound_until:
            return [self._rejected(action, moment, f"{by} is not a party")]
        outcome = TABLE[(self.standing(by, moment), action.do)]
        if isinstance(outcome, Reject):
            return [self._rejected(action, moment, outcome.reason)]
        try:
            return _HANDLERS[action.do](self, action, moment)
        except _Refused as refused:
            assert refused.guard in outcome.guards, (refused.guard, action.do)
            return [self._rejected(action, moment, refused.reason)]

    def _rejected(self, action: Action, moment: datetime, reason: str) -> Event:
        term = self.current_term() if self.started else None
        return Event(
            moment,
            EventKind.REJECTED,
            by=action.by,
            term=term,
            reason=reason,
            action=action.do.value,
        )

    def _own_in_force(self, party: str) -> date:
        """The date the treaty entered into force for ``party`` (its last joining)."""
        member = self.member_from[party]
        assert member is not None
        return local_date(member)

    def _notify(self, action: Action, moment: datetime) -> list[Event]:
        party = action.by
        assert party is not None
        clause = self.treaty.clause
        own = self._own_in_force(party)
        terms = kernel.terms_for(clause, self.schedule, own, self.zone)
        running = kernel.running_term(terms, moment)
        refused = kernel.may_give_notice(
            clause, terms, moment, running, own, self.zone, local_date(self.schedule.in_force)
        )
        if refused is not None:
            raise _Refused(refused)
        basis = _accepted(self._notice(party, moment))
        if action.effective is not None:
            basis = _accepted(kernel.named_effect(basis, action.effective, self.zone))
        self.notices[party] = Notice.of(party, moment, basis)
        return [
            Event(
                moment,
                EventKind.NOTICE_GIVEN,
                by=party,
                term=self.current_term(),
                effective=basis.effect,
                late_for=basis.late_for,
                basis=basis,
            )
        ]

    def _notice(self, party: str, moment: datetime) -> NoticeBasis | Refusal:
        """A notice by ``party`` received at ``moment``, with its effect under the clause,
        against the terms it goes by (the treaty's, or the party's own)."""
        clause = self.treaty.clause
        own = self._own_in_force(party)
        terms = kernel.terms_for(clause, self.schedule, own, self.zone)
        return kernel.notice(
            clause, terms, moment, kernel.running_term(terms, moment), own, self.zone
        )

    def _suspend_notice(self, action: Action, moment: datetime) -> list[Event]:
        party = action.by
        assert party is not None
        notice = self.notices[party]
        if notice.postponed:
            raise _Refused(
                Refusal(
                    Guard.EFFECT_NOT_POSTPONED,
                    "the notice's effect is due and waits only for the end of the armed conflict",
                )
            )
        effect = None if notice.suspended else self.effect_of(notice)
        basis = _accepted(kernel.suspension(moment, effect, action.for_, action.until, self.zone))
        notice.resumes_at = basis.resumes_at
        if basis.remaining is None:
            assert basis.resumes_at is not None
            reason = f"suspended again, until {iso(basis.resumes_at)}"
        else:
            notice.suspension = basis
            notice.suspended = True
            reason = f"left before its effect: {spoken_span(basis.remaining)}"
            if basis.resumes_at is not None:
                reason += f"; until {iso(basis.resumes_at)}"
        return [
            Event(
                moment,
                EventKind.NOTICE_SUSPENDED,
                by=party,
                term=self.current_term(),
                reason=reason,
                basis=basis,
            )
        ]

    def _resume_notice(self, action: Action, moment: datetime) -> list[Event]:
        assert action.by is not None
        return self._resume(action.by, moment, None)

    def _resume(self, party: str, moment: datetime, why: str | None) -> list[Event]:
        """The suspended notice of ``party`` runs again at ``moment``, as the interpretation
        says; ``why`` is "suspension expired" when a timed suspension ran out."""
        old = self.notices[party]
        fresh = self._notice(party, moment) if self.interpretation is Interpretation.FRESH else None
        assert old.suspension is not None
        decision = kernel.resumption(self.interpretation, moment, old.suspension, fresh)
        if isinstance(decision, Refusal) and why is not None:
            # the suspension ran out, but as a fresh notice it would be void: it stays
            # suspended, as after a resume_notice refused for the same reason
            old.resumes_at = None
            return [
                Event(
                    moment,
                    EventKind.REJECTED,
                    by=party,
                    term=self.current_term(),
                    reason=f"{why}; {decision.reason}",
                    action=ActionKind.RESUME_NOTICE.value,
                )
            ]
        basis = _accepted(decision)
        if basis.fresh is not None:
            notice = Notice.of(party, moment, basis.fresh)
        else:
            notice = Notice(party, old.given, effect_at=basis.effect)
        self.notices[party] = notice
        reason = f"interpretation: {self.interpretation.value}"
        event = Event(
            moment,
            EventKind.NOTICE_RESUMED,
            by=party,
            term=self.current_term(),
            effective=self.effect_of(notice),
            reason=f"{why}; {reason}" if why else reason,
            basis=basis,
        )
        if self.interpretation is Interpretation.IMMEDIATE:
            # its effect is now, and waits like any other for the end of an armed conflict
            return [event, *self._effect_or_wait(party, moment)]
        return [event]

    def _withdraw_notice(self, action: Action, moment: datetime) -> list[Event]:
        assert action.by is not None
        del self.notices[action.by]
        return [Event(moment, EventKind.NOTICE_WITHDRAWN, by=action.by, term=self.current_term())]

    def _extend(self, action: Action, moment: datetime) -> list[Event]:
        """Move the current end (:func:`kernel.extension`): a pending notice's own effect
        where it comes before the running term's end; otherwise the running term's end, by
        a new term. A second extension in the same term moves the end the first one set
        (PRODUCT.md, "Actions": ``period`` is added to the current end)."""
        number = self.current_term()
        running = self.running_term(moment)
        # a notice waiting out an armed conflict has no date until it ends: not moved
        # (docs/decisions.md, 52)
        dated = [
            n for n in self.notices.values() if not n.suspended and not n.postponed and n.effect_at
        ]
        first = min(dated, key=lambda n: utc(n.effect_at or moment), default=None)
        pending = (
            None if first is None or first.effect_at is None else (first.party, first.effect_at)
        )
        basis = _accepted(
            kernel.extension(
                self.treaty.clause,
                self.schedule,
                moment,
                running,
                pending,
                action.period,
                action.through,
            )
        )
        if first is not None and basis.moved:
            first.effect_at = basis.new_end
            return [
                Event(
                    moment,
                    EventKind.EXTENDED,
                    term=number,
                    effective=basis.new_end,
                    reason=f"the notice by {first.party} takes effect later",
                    basis=basis,
                )
            ]
        assert basis.new_day is not None
        self.schedule = self.schedule.extended(number, basis.new_day)
        if running == number:
            # the first extension of this term: notices that stopped a renewal at its end
            # now stop it at the new end (a later extension moves that same end again)
            for notice in self.notices.values():
                if notice.effect_term is not None and notice.effect_term >= number:
                    notice.effect_term += 1
        self.terms[-1].outcome = Outcome.EXTENDED
        return [
            Event(moment, EventKind.EXTENDED, term=number, effective=basis.new_end, basis=basis)
        ]

    def _terminate_by_agreement(self, action: Action, moment: datetime) -> list[Event]:
        return self._terminate(moment, "terminated by agreement", by=None)

    def _suspend_operation(self, action: Action, moment: datetime) -> list[Event]:
        assert action.by is not None
        if action.by in self.operation_suspended:
            raise _Refused(
                Refusal(Guard.OPERATION_RUNNING, "operation is already suspended by this party")
            )
        self.operation_suspended.add(action.by)
        return [
            Event(moment, EventKind.OPERATION_SUSPENDED, by=action.by, term=self.current_term())
        ]

    def _resume_operation(self, action: Action, moment: datetime) -> list[Event]:
        assert action.by is not None
        if action.by not in self.operation_suspended:
            raise _Refused(
                Refusal(Guard.OPERATION_SUSPENDED, "operation is not suspended by this party")
            )
        self.operation_suspended.discard(action.by)
        return [Event(moment, EventKind.OPERATION_RESUMED, by=action.by, term=self.current_term())]

    def _enter_armed_conflict(self, action: Action, moment: datetime) -> list[Event]:
        party = action.by
        assert party is not None
        if party in self.in_conflict:
            raise _Refused(
                Refusal(Guard.NOT_IN_ARMED_CONFLICT, "this party is already in an armed conflict")
            )
        self.in_conflict[party] = moment
        return [Event(moment, EventKind.ARMED_CONFLICT_ENTERED, by=party, term=self.current_term())]

    def _end_armed_conflict(self, action: Action, moment: datetime) -> list[Event]:
        """The party's armed conflict ends; a withdrawal that waited for it takes effect now
        (Ottawa Convention art. 20(2))."""
        party = action.by
        assert party is not None
        since = self.in_conflict.pop(party, None)
        if since is None:
            raise _Refused(
                Refusal(Guard.IN_ARMED_CONFLICT, "this party is not in an armed conflict")
            )
        events = [
            Event(
                moment,
                EventKind.ARMED_CONFLICT_ENDED,
                by=party,
                term=self.current_term(),
                reason=f"in an armed conflict since {iso(since)}",
            )
        ]
        notice = self.notices.get(party)
        if notice is not None and notice.postponed:
            events.extend(self.notice_takes_effect(party, moment))
        return events

    def _join(self, action: Action, moment: datetime) -> list[Event]:
        """A party deposits its instrument (PRODUCT.md 0.2, "Parties with their own dates"):
        bound from ``moment`` + ``accession_delay``, and not before the treaty's entry into
        force; the ``parties``-th join brings a treaty with ``entry_into_force`` into force
        ``after`` it."""
        party = action.by
        assert party is not None
        if self.ended:
            raise _Refused(
                Refusal(Guard.TREATY_GOES_ON, "the treaty has ended: there is nothing to join")
            )
        self.joins += 1
        basis = kernel.joining(self.treaty, self.joins, moment, self.in_force)
        if self.in_force is None and basis.in_force is not None:
            self.in_force = basis.in_force
            self.schedule = Schedule.of(self.treaty.clause, local_date(self.in_force), self.zone)
        self.member_from[party] = basis.bound
        self.bound_until[party] = None
        self.announced.discard(party)
        return [
            Event(
                moment,
                EventKind.JOINED,
                by=party,
                term=self.current_term() if self.started else None,
                effective=basis.bound,
                basis=basis,
            )
        ]


_HANDLERS = {
    ActionKind.NOTIFY: TreatyMachine._notify,
    ActionKind.SUSPEND_NOTICE: TreatyMachine._suspend_notice,
    ActionKind.RESUME_NOTICE: TreatyMachine._resume_notice,
    ActionKind.WITHDRAW_NOTICE: TreatyMachine._withdraw_notice,
    ActionKind.EXTEND: TreatyMachine._extend,
    ActionKind.TERMINATE: TreatyMachine._terminate_by_agreement,
    ActionKind.SUSPEND_OPERATION: TreatyMachine._suspend_operation,
    ActionKind.RESUME_OPERATION: TreatyMachine._resume_operation,
    ActionKind.JOIN: TreatyMachine._join,
    ActionKind.ENTER_ARMED_CONFLICT: TreatyMachine._enter_armed_conflict,
    ActionKind.END_ARMED_CONFLICT: TreatyMachine._end_armed_conflict,
}


def table_markdown() -> str:
    """:data:`TABLE` as a Markdown table, one row per action and one column per standing;
    docs/state-machine.md holds this text, and a test keeps the two the same."""
    header = "| action | " + " | ".join(s.value for s in Standing) + " |"
    rule = "|---" * (len(Standing) + 1) + "|"
    rows = [header, rule]
    for action in ActionKind:
        cells = []
        for standing in Standing:
            outcome = TABLE[(standing, action)]
            if isinstance(outcome, Reject):
                cells.append(f"rejected: {outcome.reason}")
            else:
                then = outcome.then.value if outcome.then else "unchanged"
                guards = f" (if: {', '.join(g.value for g in outcome.guards)})"
                cells.append(f"→ {then}, `{outcome.event.value}`{guards if outcome.guards else ''}")
        rows.append(f"| `{action.value}` | " + " | ".join(cells) + " |")
    return "\n".join(rows)
