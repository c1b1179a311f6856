"""The rule kernel: every decision a clause makes, once, as a plain function of plain values.

Whether a notice is accepted and what it targets, what a suspension, a resumption, an
extension and a join do, and which term is running at an instant: each decision here takes
dates, durations and the clause, and returns either its answer, with the values it was reached
from (a *basis*, recorded on the event so that ``explain`` formats it and replays nothing), or
a :class:`Refusal` naming the guard of the state table that refused and the reason the
timeline records. The date arithmetic underneath is :mod:`sim.core.rules` and
:mod:`sim.core.dates`.

The SimPy engine's state machine (:mod:`sim.core.machine`) keeps the table of standings and
calls these functions; it computes no date itself. The vectorised path
(:mod:`sim.engines.vector`) calls the same scalar rules once per distinct input.
docs/adding-a-clause.md says where a new clause field goes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from sim.core.dates import (
    Duration,
    add,
    as_instant,
    at_midnight,
    iso,
    last_day,
    local_date,
    period_end,
    utc,
    wall_clock_difference,
)
from sim.core.model import (
    Clause,
    EffectNotDuring,
    Interpretation,
    TermsFrom,
    Treaty,
    WindowFrom,
)
from sim.core.rules import (
    Check,
    Schedule,
    bound_from,
    cyclic_window,
    earliest_effect,
    earliest_notice,
    entry_by_count,
    extension_cap,
    moved_effect,
    no_earlier_than,
    on_boundary,
    resumed_effect,
)

__all__ = [
    "Basis",
    "Check",
    "ExtensionBasis",
    "Guard",
    "JoinBasis",
    "NoticeBasis",
    "Refusal",
    "ResumptionBasis",
    "SuspensionBasis",
    "dated_effect",
    "effect_waits",
    "extension",
    "joining",
    "may_give_notice",
    "named_effect",
    "notice",
    "resumption",
    "running_term",
    "suspension",
    "terms_for",
    "time_left",
]


class Guard(StrEnum):
    """A condition, beyond the standing, that a transition of the state table may still
    fail (docs/state-machine.md)."""

    CLAUSE_ALLOWS_EXIT = "clause_allows_exit"
    NOT_BEFORE_EARLIEST_NOTICE = "not_before_earliest_notice"
    NOTICE_NOT_VOID = "notice_not_void"
    FRESH_NOTICE_NOT_VOID = "fresh_notice_not_void"
    END_TO_MOVE = "end_to_move"
    MOVES_END_LATER = "moves_end_later"
    OPERATION_RUNNING = "operation_running"
    OPERATION_SUSPENDED = "operation_suspended"
    IN_NOTICE_WINDOW = "in_notice_window"
    EFFECTIVE_NOT_EARLIER = "effective_not_earlier"
    SUSPENSION_ENDS_LATER = "suspension_ends_later"
    TIMED_SUSPENSION = "timed_suspension"
    WITHIN_MAX_EXTENSION = "within_max_extension"
    TREATY_GOES_ON = "treaty_goes_on"
    NOT_IN_ARMED_CONFLICT = "not_in_armed_conflict"
    IN_ARMED_CONFLICT = "in_armed_conflict"
    EFFECT_NOT_POSTPONED = "effect_not_postponed"


@dataclass(frozen=True)
class Refusal:
    """A decision's refusal: the ``guard`` of the state table that fails, and the ``reason``
    the timeline records on the ``rejected`` event."""

    guard: Guard
    reason: str


# --- which term runs ---------------------------------------------------------------------------


def running_term(schedule: Schedule, moment: datetime) -> int:
    """The term whose end is the treaty's current end at ``moment``: the term in force
    (``Schedule.term_at``), or the one after it where an extension was agreed during it
    (PRODUCT.md, "Actions": extend moves the current end, so notices and further extensions
    go by the new end; docs/decisions.md, 11)."""
    number = schedule.term_at(moment)
    if any(segment.first == number + 1 for segment in schedule.segments[1:]):
        return number + 1
    return number


# --- notices -----------------------------------------------------------------------------------


def dated_effect(clause: Clause) -> bool:
    """Whether a notice takes effect at an instant of its own (a withdrawal clause, or an
    effect on a calendar boundary) rather than at the end of a term (a renewal clause)."""
    return clause.withdrawal is not None or clause.effect_on is not None


def may_give_notice(
    clause: Clause,
    schedule: Schedule,
    moment: datetime,
    running: int,
    party_in_force: date,
    tz: tzinfo,
    treaty_in_force: date | None = None,
) -> Refusal | None:
    """Whether a notice received at ``moment`` may be given at all: the clause allows an exit
    (PRODUCT.md, "The clause"), it is not before ``earliest_notice`` counted from the party's
    own entry into force (inclusive; Paris art. 28(1), "for it"), it is not before the
    renewal-notice window of the running term opens (0.2, "Notice window"), and it falls in a
    window on a fixed cycle (0.3, "Windows on a fixed cycle"; with ``earliest_notice``, both
    must hold). ``schedule`` is the terms the notice goes by (the party's own under
    ``terms_from: party``); a cyclic window ``from: treaty`` counts from ``treaty_in_force``,
    the treaty's own entry into force (by default that of ``schedule``)."""
    if not clause.allows_exit:
        return Refusal(
            Guard.CLAUSE_ALLOWS_EXIT,
            "the clause allows no unilateral exit (no notice or withdrawal)",
        )
    earliest = earliest_notice(clause, party_in_force, tz)
    if earliest is not None and utc(moment) < utc(earliest):
        return Refusal(
            Guard.NOT_BEFORE_EARLIEST_NOTICE,
            f"too early: notice may be given from {iso(earliest)}",
        )
    opens = schedule.window_opens(running)
    if opens is not None and utc(moment) < utc(opens):
        return Refusal(
            Guard.IN_NOTICE_WINDOW,
            f"too early: the notice window for this term opens at {iso(opens)}",
        )
    window = clause.notice_window
    if window is not None and window.cyclic:
        if window.from_ is WindowFrom.PARTY:
            anchor = party_in_force
        else:
            anchor = treaty_in_force or local_date(schedule.in_force)
        opens, _ = cyclic_window(window, anchor, tz, moment)
        if utc(moment) < utc(opens):
            return Refusal(
                Guard.IN_NOTICE_WINDOW,
                f"outside the notice windows (every {window.every} from {anchor}, open for "
                f"{window.open_for}): the next opens at {iso(opens)}",
            )
    return None


@dataclass(frozen=True)
class NoticeBasis:
    """What a notice received at ``given`` during term ``running`` comes to, and the values
    it was reached from.

    A renewal notice: the deadlines it was held against (``checks``, from the running term
    on) and ``target``, the term at whose end it stops the renewal. A dated notice: the end
    of the ``withdrawal`` period (``period_end``; the receipt where there is no period) and
    that instant on the clause's calendar boundary (``boundary``). Either way ``rule_effect``
    is the rule's effect, ``clause_effect`` the later of it and the clause's
    ``earliest_effect`` (``not_before``), and ``named`` a later date the notice names."""

    given: datetime
    running: int
    rule_effect: datetime
    clause_effect: datetime
    target: int | None = None
    checks: tuple[Check, ...] = ()
    period_end: datetime | None = None
    boundary: datetime | None = None
    not_before: datetime | None = None
    named: datetime | None = None
    own_terms: bool = False
    """The terms are the party's own (``terms_from: party``): the effect is that party's term
    end, which an extension of the treaty's terms does not move."""
    late_for: datetime | None = None
    """The end of the term a renewal notice came too late to stop (PRODUCT.md 0.3, "Late
    notices"), or None."""

    @property
    def effect(self) -> datetime:
        """When the notice takes effect (as long as no extension moves it)."""
        return self.named or self.clause_effect

    @property
    def dated(self) -> bool:
        """The notice takes effect at an instant of its own (a withdrawal, or a date it
        names), not at a term's end (which an extension would move)."""
        return self.target is None or self.named is not None or self.own_terms


def terms_for(clause: Clause, schedule: Schedule, party_in_force: date, tz: tzinfo) -> Schedule:
    """The terms a party's notice goes by: the treaty's ``schedule``, or, under ``terms_from:
    party``, terms counted from the party's own entry into force (PRODUCT.md 0.3, "Each
    party's own terms"; European Social Charter of 1961, art. 37(1))."""
    if clause.terms_from is TermsFrom.PARTY:
        return Schedule.of(clause, party_in_force, tz)
    return schedule


def notice(
    clause: Clause,
    schedule: Schedule,
    given: datetime,
    running: int,
    party_in_force: date,
    tz: tzinfo,
) -> NoticeBasis | Refusal:
    """When a notice received at ``given`` during term ``running`` takes effect.

    A dated notice: ``withdrawal`` after receipt, counted by the clause's convention, moved to
    the clause's calendar boundary (``effect_on``). A renewal notice: the end of the running
    term if received before its deadline; if late, the end of the first later term whose
    deadline it meets (``late_notice: next_term``, docs/decisions.md, 1), or refused
    (``void``, decision 2). Never before ``earliest_effect`` (0.2, "Earliest effect")."""
    not_before = earliest_effect(clause, party_in_force, tz)
    if dated_effect(clause):
        reference = (
            given
            if clause.withdrawal is None
            else period_end(given, clause.withdrawal, clause.counting)
        )
        boundary = on_boundary(reference, clause.effect_on)
        return NoticeBasis(
            given,
            running,
            boundary,
            no_earlier_than(boundary, not_before),
            period_end=reference,
            boundary=boundary,
            not_before=not_before,
        )
    checks = schedule.renewal_checks(given, running)
    if not checks:
        raise AssertionError("a renewal notice is given under a clause with notice")
    last = checks[-1]
    if not last.in_time:
        return Refusal(
            Guard.NOTICE_NOT_VOID,
            f"late: the deadline to stop this renewal was {iso(last.deadline)}, "
            "and the clause makes a late notice void",
        )
    rule_end = schedule.end(last.term)
    target = schedule.first_ending_not_before(last.term, not_before)
    end = schedule.end(target)
    assert rule_end is not None and end is not None
    return NoticeBasis(
        given,
        running,
        rule_end,
        end,
        target=target,
        checks=checks,
        not_before=not_before,
        own_terms=clause.terms_from is TermsFrom.PARTY,
        late_for=None if checks[0].in_time else schedule.end(checks[0].term),
    )


def named_effect(
    basis: NoticeBasis, named: date | datetime | str, tz: tzinfo
) -> NoticeBasis | Refusal:
    """A notice that names the date it takes effect (0.2, "Notice naming a later date"): then,
    if that is not earlier than the clause's own effect; otherwise refused."""
    instant = as_instant(named, tz)
    if utc(instant) < utc(basis.effect):
        return Refusal(
            Guard.EFFECTIVE_NOT_EARLIER,
            f"the notice names {iso(instant)}, earlier than the clause allows "
            f"({iso(basis.effect)}): a notice may name a later date only",
        )
    return replace(basis, named=instant)


# --- suspension and resumption -----------------------------------------------------------------


@dataclass(frozen=True)
class SuspensionBasis:
    """A suspension at ``at``: the notice's effect it holds back (``effect``, None when the
    notice was already suspended), the time then left (``remaining``), and when a timed
    suspension ends by itself (``resumes_at``)."""

    at: datetime
    effect: datetime | None
    remaining: timedelta | None
    resumes_at: datetime | None
    lasts: str | None = None
    """How the suspension's end was given: ``<at> + 30d`` or ``until 2020-08-10``."""


def time_left(moment: datetime, effect: datetime) -> timedelta:
    """The time a notice suspended at ``moment`` had left before its ``effect``: local
    wall-clock time (docs/decisions.md, 6)."""
    return wall_clock_difference(moment, effect)


def suspension(
    moment: datetime,
    effect: datetime | None,
    for_: Duration | None,
    until: date | datetime | str | None,
    tz: tzinfo,
) -> SuspensionBasis | Refusal:
    """A suspension of a notice at ``moment`` (0.2, "Timed suspension"). ``effect`` is the
    pending notice's effect, or None where the notice is already suspended: then only a timed
    suspension applies, and it sets the suspension's new end. With ``for`` (added on the wall
    clock) or ``until`` (a date or a time) the suspension ends by itself, which must come after
    it begins."""
    if effect is None and for_ is None and until is None:
        return Refusal(
            Guard.TIMED_SUSPENSION,
            "the notice is already suspended (a new suspension needs 'for' or 'until')",
        )
    end: datetime | None = None
    lasts = None
    if for_ is not None:
        end, lasts = add(moment, for_), f"{iso(moment)} + {for_}"
    elif until is not None:
        end, lasts = as_instant(until, tz), f"until {until!s}"
    if end is not None and utc(end) <= utc(moment):
        return Refusal(
            Guard.SUSPENSION_ENDS_LATER,
            f"the suspension would end at {iso(end)}, not after it begins",
        )
    remaining = None if effect is None else time_left(moment, effect)
    return SuspensionBasis(moment, effect, remaining, end, lasts)


@dataclass(frozen=True)
class ResumptionBasis:
    """A suspended notice resumed at ``at`` under ``interpretation``: it takes effect at
    ``effect``; under ``remaining`` after the time left at its ``suspension``; under
    ``fresh`` as the new notice ``fresh``."""

    at: datetime
    interpretation: Interpretation
    effect: datetime
    suspension: SuspensionBasis | None = None
    fresh: NoticeBasis | None = None


def resumption(
    interpretation: Interpretation,
    moment: datetime,
    suspension: SuspensionBasis,
    fresh: NoticeBasis | Refusal | None,
) -> ResumptionBasis | Refusal:
    """When a notice suspended by ``suspension`` and resumed at ``moment`` takes effect
    (PRODUCT.md, "Interpretations of a resumed notice"): ``immediate``, at once;
    ``remaining``, after the time that was left (``rules.resumed_effect``); ``fresh``, as a
    new notice given now (``fresh`` is :func:`notice` at ``moment``, refused where such a
    notice would be void)."""
    if interpretation is Interpretation.IMMEDIATE:
        return ResumptionBasis(moment, interpretation, moment)
    if interpretation is Interpretation.REMAINING:
        assert suspension.remaining is not None
        effect = resumed_effect(moment, suspension.remaining)
        return ResumptionBasis(moment, interpretation, effect, suspension=suspension)
    assert fresh is not None
    if isinstance(fresh, Refusal):
        return Refusal(Guard.FRESH_NOTICE_NOT_VOID, f"as a fresh notice: {fresh.reason}")
    return ResumptionBasis(moment, interpretation, fresh.effect, fresh=fresh)


# --- extension ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtensionBasis:
    """An extension agreed at ``at`` moves ``current`` (the end it replaces) to ``new_end``:
    a pending withdrawal's effect, that of ``party`` (``moved`` True), or the end of term
    ``running``, which a new term then follows (``new_day``: the date at whose 00:00 it
    ends)."""

    at: datetime
    running: int
    current: datetime
    new_end: datetime
    period: Duration | None
    through: date | None
    party: str | None = None
    new_day: date | None = None

    @property
    def moved(self) -> bool:
        """The extension moved a pending withdrawal's effect rather than a term's end."""
        return self.party is not None


def extension(
    clause: Clause,
    schedule: Schedule,
    moment: datetime,
    running: int,
    first_effect: tuple[str, datetime] | None,
    period: Duration | None,
    through: date | None,
) -> ExtensionBasis | Refusal:
    """What an ``extend`` agreed at ``moment`` moves (PRODUCT.md, "Actions"; docs/decisions.md,
    10-13): the earliest pending dated effect ``first_effect`` (a party and its instant) where
    it comes before the running term's end, by ``rules.moved_effect``; otherwise the running
    term's end, by ``Schedule.extension_end``. Refused where there is nothing to move, where
    the new end is not later, or where it lies past the clause's ``max_extension``."""
    term_end = schedule.end(running)
    if first_effect is not None and (term_end is None or utc(first_effect[1]) < utc(term_end)):
        party, current = first_effect
        new_end = moved_effect(clause, current, period, through)
        refused = _new_end_allowed(clause, current, new_end)
        if refused is not None:
            return refused
        return ExtensionBasis(moment, running, current, new_end, period, through, party=party)
    if term_end is None:
        return Refusal(
            Guard.END_TO_MOVE, "nothing to extend: no term end and no pending withdrawal"
        )
    new_day = schedule.extension_end(running, period, through)
    tz = term_end.tzinfo
    assert tz is not None
    new_end = at_midnight(new_day, tz)
    refused = _new_end_allowed(clause, term_end, new_end)
    if refused is not None:
        return refused
    return ExtensionBasis(moment, running, term_end, new_end, period, through, new_day=new_day)


def _new_end_allowed(clause: Clause, current: datetime, new_end: datetime) -> Refusal | None:
    """An extension must move the end later, and no later than ``max_extension`` allows
    (New START art. XIV(2))."""
    if utc(new_end) <= utc(current):
        return Refusal(
            Guard.MOVES_END_LATER,
            f"an extension must move the end later than {iso(current)} "
            f"(last day {last_day(current)})",
        )
    cap = extension_cap(clause, current)
    if cap is not None and utc(new_end) > utc(cap):
        return Refusal(
            Guard.WITHIN_MAX_EXTENSION,
            f"an extension may move the end {iso(current)} no later than {iso(cap)} "
            f"(max_extension {clause.max_extension})",
        )
    return None


# --- effects that wait ------------------------------------------------------------------------


def effect_waits(clause: Clause, in_conflict_since: datetime | None) -> bool:
    """Whether a notice's effect, due now, waits for the end of an armed conflict that its
    party is in (clause ``effect_not_during: armed_conflict``; Ottawa Convention art. 20(2):
    "the withdrawal shall not take effect before the end of the armed conflict")."""
    return clause.effect_not_during is EffectNotDuring.ARMED_CONFLICT and (
        in_conflict_since is not None
    )


# --- joining -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JoinBasis:
    """A deposit at ``at``, the ``joins``-th: ``delayed`` is the deposit plus
    ``accession_delay``; ``in_force`` the treaty's entry into force as then known (set by this
    join where it is the N-th of ``entry_into_force``; None: not yet known); ``bound`` when
    the party is bound, never before it."""

    at: datetime
    joins: int
    delayed: datetime
    in_force: datetime | None
    bound: datetime


def joining(treaty: Treaty, joins: int, moment: datetime, in_force: datetime | None) -> JoinBasis:
    """When a party that deposits its instrument at ``moment``, the ``joins``-th to do so, is
    bound (0.2, "Parties with their own dates"; ``rules.bound_from``), and when the treaty
    enters into force where this join is the one its ``entry_into_force`` waits for
    (``rules.entry_by_count``)."""
    clause = treaty.clause
    if in_force is None:
        in_force = entry_by_count(treaty, joins, moment)
    return JoinBasis(
        moment,
        joins,
        bound_from(clause, moment, None),
        in_force,
        bound_from(clause, moment, in_force),
    )


Basis = NoticeBasis | SuspensionBasis | ResumptionBasis | ExtensionBasis | JoinBasis
"""What a decision was reached from, as the run records it on its event."""
