"""Why a date is what it is: the chain of rules and arithmetic behind a term's end and notice
deadline, or behind one event of a timeline, for a lawyer to audit (``treaty-sim explain``).

Each step names the rule, cites where it is written (the contract, docs/contract.md; the
decisions, docs/decisions.md; EU Regulation 1182/71 art. 3 for ``whole_days``), shows the
arithmetic with the zone and its UTC offset, and gives the value. Every value is computed by
the shared arithmetic of :mod:`sim.core.rules` and :mod:`sim.core.dates`, the functions the
engine itself calls; nothing here re-derives a rule. The chain's result is set beside the
run's (``Explanation.run``) so that the two can be compared: they must never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TypeVar

from sim.core.dates import (
    Counting,
    Duration,
    at_midnight,
    iso,
    last_day,
    local_date,
    spoken_span,
    subtract,
    utc,
    zone,
)
from sim.core.kernel import (
    ExtensionBasis,
    JoinBasis,
    NoticeBasis,
    ResumptionBasis,
    SuspensionBasis,
)
from sim.core.model import Clause, Interpretation, Treaty
from sim.core.rules import Schedule, boundary_text, boundary_words
from sim.core.timeline import Event, EventKind, Timeline

__all__ = ["Explanation", "Step", "explain_event", "explain_term"]

# --- the sources a step cites ----------------------------------------------------------------

DATE_MEANS_MIDNIGHT = (
    'docs/contract.md, "Time": a date without a time means 00:00 local time in the treaty\'s zone'
)
TERM_ANCHOR = (
    'docs/contract.md, "Time": the end of term n is in_force + term + (n-1)·renewal, '
    "computed from the entry-into-force anchor; months and years are calendar arithmetic, "
    "clipped to the end of the month"
)
EXTENSION_ANCHOR = (
    "docs/decisions.md, items 10 and 11: after an extension, later terms are anchored on the "
    "extension's end"
)
EXTENSION_MOVES_NOTICE = (
    "docs/decisions.md, item 10: an extension moves a pending withdrawal's effect when it "
    "comes before the running term's end; period added to the instant (to its date under "
    "whole_days), or 00:00 after through"
)
HALF_OPEN = (
    'docs/contract.md, "Time": intervals are half-open; the last day in force is the local '
    "date of the last instant before the end"
)
EXACT = (
    'docs/contract.md, "Counting", exact: a period that runs from an event at instant t ends '
    "at t + period"
)
EXACT_DEADLINE = (
    'docs/contract.md, "Counting", exact: a renewal notice is in time if received before '
    "end - notice"
)
WHOLE_DAYS = (
    'EU Regulation 1182/71, art. 3 (docs/contract.md, "Counting", whole_days): the day of the '
    "event is not counted; a period from an event on local date d ends at 00:00 of the day "
    "after d + period; a renewal notice is in time if received on or before the date "
    "(end - notice) - 1 day"
)
LATE_NEXT_TERM = (
    "docs/decisions.md, item 1: a late notice under late_notice: next_term takes effect at the "
    "first later term end whose deadline it meets"
)
LATE_VOID = "docs/decisions.md, item 2: under late_notice: void a late notice is rejected"
EFFECT_ON = (
    'docs/contract.md, "Additions for version 0.2", "Effects on a calendar boundary"; '
    "docs/decisions.md, items 32 and 33"
)
EARLIEST_EFFECT = (
    'docs/contract.md, "Additions for version 0.2", "Earliest effect"; docs/decisions.md, '
    "item 34: a notice's effect is the later of the rule's effect and that instant"
)
NAMED_EFFECTIVE = (
    'docs/contract.md, "Additions for version 0.2", "Notice naming a later date"; '
    "docs/decisions.md, item 35"
)
SURVIVAL = (
    'docs/contract.md, "Additions for version 0.2", "Survival"; docs/decisions.md, item 36: '
    "effect + survival on the wall clock, whatever the counting"
)
ACCESSION = (
    'docs/contract.md, "Additions for version 0.2", "Parties with their own dates"; '
    "docs/decisions.md, item 37: bound from the deposit + accession_delay, counted by the "
    "clause's counting, never before the treaty's entry into force"
)
TIMED_SUSPENSION = (
    'docs/contract.md, "Additions for version 0.2", "Timed suspension"; docs/decisions.md, item 39'
)
SUSPENDED_REMAINING = (
    "docs/decisions.md, item 6: the time left is local wall-clock time from the suspension to "
    "the effect the notice would have had"
)
INTERPRETATION = {
    Interpretation.REMAINING: (
        'docs/contract.md, "Interpretations of a resumed notice", remaining: it takes effect '
        "after the time that was left when it was suspended; docs/decisions.md, items 6 and 7"
    ),
    Interpretation.IMMEDIATE: (
        'docs/contract.md, "Interpretations of a resumed notice", immediate: it takes effect '
        "at resumption; docs/decisions.md, item 9"
    ),
    Interpretation.FRESH: (
        'docs/contract.md, "Interpretations of a resumed notice", fresh: it counts as a new '
        "notice given at resumption; docs/decisions.md, item 8"
    ),
}
ENDS_TREATY = (
    'docs/contract.md, "The treaty": with two parties a notice that takes effect ends the '
    "treaty; with three or more it ends only the notifying party's participation; "
    "docs/decisions.md, item 15"
)
ARMED_CONFLICT = (
    'docs/contract.md, "Additions for version 0.3", "Effects that wait out an armed conflict"; '
    "Ottawa Convention art. 20(3)"
)
AT_ONCE = 'docs/contract.md, "Actions": the scenario\'s action, applied at its instant'


@dataclass(frozen=True)
class Step:
    """One link of the chain: ``rule`` in words, its ``source``, the ``computation`` with
    zones and offsets, and the ``value`` it gives."""

    rule: str
    source: str
    computation: str
    value: str

    def as_json(self) -> dict[str, str]:
        """The step as ``explain --format json`` prints it."""
        return {
            "rule": self.rule,
            "source": self.source,
            "computation": self.computation,
            "value": self.value,
        }


@dataclass
class Explanation:
    """The chain behind one term or one event. ``result`` holds what the chain computes;
    ``run`` the same fields as the run gives them (ISO instants or dates, or None)."""

    subject: str
    article: str | None
    steps: list[Step] = field(default_factory=list)
    result: dict[str, str | None] = field(default_factory=dict)
    run: dict[str, str | None] = field(default_factory=dict)

    @property
    def agrees(self) -> bool:
        """The chain and the run give the same values."""
        return self.result == self.run

    def add(self, rule: str, source: str, computation: str, value: str) -> None:
        """Append a step."""
        self.steps.append(Step(rule, source, computation, value))


# --- writing instants and dates ----------------------------------------------------------------


def offset(moment: datetime) -> str:
    """The UTC offset of an instant as ``UTC+09:00``."""
    delta = moment.utcoffset() or timedelta()
    sign = "-" if delta < timedelta() else "+"
    minutes = abs(int(delta.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def zulu(moment: datetime) -> str:
    """An instant in UTC, written ``2019-11-22T15:00Z`` (seconds shown where not zero)."""
    instant = utc(moment)
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ" if instant.second else "%Y-%m-%dT%H:%MZ")


def zoned(moment: datetime, tz_name: str) -> str:
    """A local time read in its zone: ``2019-11-23 00:00 Asia/Seoul (UTC+09:00) =
    2019-11-22T15:00Z``."""
    clock = moment.strftime("%H:%M:%S" if moment.second else "%H:%M")
    return f"{local_date(moment)} {clock} {tz_name} ({offset(moment)}) = {zulu(moment)}"


def _midnight(day: date, tz: tzinfo, tz_name: str) -> str:
    moment = at_midnight(day, tz)
    return f"00:00 on {day} in {tz_name} ({offset(moment)}) = {zulu(moment)}"


# --- the schedule as the run had it ------------------------------------------------------------


def schedule_of(timeline: Timeline) -> Schedule | None:
    """The term schedule the run recorded: the clause's, from entry into force, as moved by
    each extension of a term (decisions 10 and 11); None if the treaty never entered into
    force. A term's end never changes once the term has begun, so the schedule at the end of
    the run gives every term's end as the run had it."""
    return timeline.schedule


# --- terms -------------------------------------------------------------------------------------


def _times(count: int, duration: Duration) -> str:
    return f"{count} \u00d7 {duration}"


def _end_steps(out: Explanation, schedule: Schedule, number: int, tz_name: str) -> datetime:
    """The steps that give the end of term ``number``; returns it."""
    clause = schedule.clause
    segment = None
    for candidate in schedule.segments:
        if candidate.first <= number:
            segment = candidate
    assert segment is not None
    day = schedule.end_date(number)
    end = schedule.end(number)
    assert day is not None and end is not None
    steps = number - segment.first
    if segment.first == 1:
        parts = [str(segment.base)]
        if clause.renewal is not None and clause.term == clause.renewal:
            parts.append(_times(number, clause.renewal))
        else:
            parts.append(str(clause.term))
            if steps and clause.renewal is not None:
                parts.append(_times(steps, clause.renewal))
        formula = "in_force + term" + (" + (n-1)·renewal" if clause.renewal else "")
        out.add(
            f"end of term {number}: {formula}",
            TERM_ANCHOR,
            f"{' + '.join(parts)} = {day}",
            str(day),
        )
    else:
        renewal = clause.renewal
        computation = (
            f"{segment.base} + {_times(steps, renewal)} = {day}"
            if steps and renewal is not None
            else f"the extension ends on {day}"
        )
        out.add(
            f"end of term {number}: the end set by the extension agreed in term "
            f"{segment.first - 1}" + (f", + {steps} renewals" if steps else ""),
            EXTENSION_ANCHOR,
            computation,
            str(day),
        )
    tz = schedule.in_force.tzinfo
    assert tz is not None
    out.add(
        "a date means 00:00 local time", DATE_MEANS_MIDNIGHT, _midnight(day, tz, tz_name), iso(end)
    )
    out.add(
        "last day in force",
        HALF_OPEN,
        f"the last instant before {iso(end)} falls on {last_day(end)}",
        str(last_day(end)),
    )
    return end


def _deadline_steps(out: Explanation, schedule: Schedule, number: int, tz_name: str) -> None:
    clause = schedule.clause
    day = schedule.end_date(number)
    deadline = schedule.deadline(number)
    assert clause.notice is not None and day is not None and deadline is not None
    tz = schedule.in_force.tzinfo
    assert tz is not None
    nominal = at_midnight(day, tz)
    latest = subtract(nominal, clause.notice)
    if clause.counting is Counting.EXACT:
        out.add(
            "notice deadline: end - notice (a notice at or after it is late)",
            EXACT_DEADLINE,
            f"{iso(nominal)} - {clause.notice} = {iso(deadline)}; {zoned(deadline, tz_name)}",
            iso(deadline),
        )
    else:
        out.add(
            "notice deadline: 00:00 on the date of end - notice (in time on or before the day "
            "before it)",
            WHOLE_DAYS,
            f"{day} - {clause.notice} = {local_date(latest)}; "
            f"{_midnight(local_date(latest), tz, tz_name)}",
            iso(deadline),
        )
    out.add(
        "last day to notify",
        HALF_OPEN,
        f"the last instant before {iso(deadline)} falls on {last_day(deadline)}",
        str(last_day(deadline)),
    )
    opens = schedule.window_opens(number)
    if opens is not None and clause.notice_window is not None:
        out.add(
            "the notice window opens: end - opens, on dates",
            "docs/decisions.md, item 38",
            f"{day} - {clause.notice_window.opens}; {zoned(opens, tz_name)}",
            iso(opens),
        )


def explain_term(treaty: Treaty, timeline: Timeline, number: int) -> Explanation:
    """Why term ``number`` of the run ends when it does, and its notice deadline."""
    term = timeline.terms[number - 1]
    out = Explanation(f"term {number}", treaty.article)
    schedule = schedule_of(timeline)
    tz_name = timeline.timezone
    _entry_steps(out, treaty, timeline)
    if schedule is None or term.scheduled_end is None:
        out.add(
            f"term {number} has no end",
            'docs/contract.md, "The clause": a clause without term is of indefinite duration',
            "no term in the clause",
            "none",
        )
        out.result = {"end": None, "notice_deadline": None}
    else:
        end = _end_steps(out, schedule, number, tz_name)
        deadline = None
        if treaty.clause.notice is not None:
            _deadline_steps(out, schedule, number, tz_name)
            deadline = schedule.deadline(number)
        out.result = {"end": iso(end), "notice_deadline": iso(deadline) if deadline else None}
    out.run = {
        "end": iso(term.scheduled_end) if term.scheduled_end else None,
        "notice_deadline": iso(term.notice_deadline) if term.notice_deadline else None,
    }
    if term.end is not None and term.scheduled_end is not None and term.end != term.scheduled_end:
        out.add(
            "in the run, the term ended early",
            "docs/decisions.md, item 19: end is the actual end; the notice deadline stays the "
            "scheduled one",
            f"outcome {term.outcome.value} at {iso(term.end)}",
            iso(term.end),
        )
    return out


def _entry_steps(out: Explanation, treaty: Treaty, timeline: Timeline) -> None:
    if timeline.in_force is None:
        return
    tz = zone(treaty.timezone)
    if treaty.in_force is not None:
        out.add(
            "entry into force",
            "the treaty's in_force; " + DATE_MEANS_MIDNIGHT,
            _midnight(treaty.in_force, tz, timeline.timezone),
            iso(timeline.in_force),
        )
    else:
        rule = treaty.entry_into_force
        assert rule is not None
        out.add(
            f"entry into force: after the {rule.parties}th join"
            + (f", + {rule.after}" if rule.after else ""),
            'docs/contract.md, "Additions for version 0.2", "Parties with their own dates"',
            zoned(timeline.in_force, timeline.timezone),
            iso(timeline.in_force),
        )


# --- events ------------------------------------------------------------------------------------


def explain_event(treaty: Treaty, timeline: Timeline, number: int) -> Explanation:
    """Why event ``number`` (1-based, in the run's order) happens when it does, and, for a
    notice, when it takes effect: the decision the run recorded on the event, in steps."""
    index = number - 1
    event = timeline.events[index]
    who = f" by {event.by}" if event.by else ""
    out = Explanation(f"event {number}: {event.kind.value}{who} at {iso(event.at)}", treaty.article)
    context = _Context(treaty, timeline, index, out)
    context.explain()
    out.run = {
        "at": iso(event.at),
        "effective": iso(event.effective) if event.effective else None,
    }
    return out


_B = TypeVar("_B")


@dataclass
class _Context:
    treaty: Treaty
    timeline: Timeline
    index: int
    out: Explanation

    @property
    def event(self) -> Event:
        return self.timeline.events[self.index]

    @property
    def tz(self) -> tzinfo:
        return zone(self.treaty.timezone)

    @property
    def clause(self) -> Clause:
        return self.treaty.clause

    @property
    def schedule(self) -> Schedule:
        schedule = schedule_of(self.timeline)
        assert schedule is not None
        return schedule

    def zoned(self, moment: datetime) -> str:
        return zoned(moment, self.timeline.timezone)

    def basis(self, kind: type[_B]) -> _B:
        """The decision the run recorded on this event."""
        basis = self.event.basis
        assert isinstance(basis, kind), (self.event, basis)
        return basis

    def explain(self) -> None:
        event = self.event
        handler = {
            EventKind.ENTERED_INTO_FORCE: self._entered,
            EventKind.RENEWED: self._renewed,
            EventKind.NOTICE_GIVEN: self._notice_given,
            EventKind.NOTICE_SUSPENDED: self._suspended,
            EventKind.NOTICE_RESUMED: self._resumed,
            EventKind.WITHDRAWAL_EFFECTIVE: self._ended,
            EventKind.TERMINATED: self._ended,
            EventKind.SURVIVAL_ENDED: self._survival_ended,
            EventKind.JOINED: self._joined,
            EventKind.EXTENDED: self._extended,
        }.get(event.kind, self._action_only)
        at, effective = handler()
        self.out.result = {
            "at": iso(at),
            "effective": iso(effective) if effective is not None else None,
        }

    # each handler adds its steps and returns the event's instant and its effect (or None)

    def _entered(self) -> tuple[datetime, datetime | None]:
        _entry_steps(self.out, self.treaty, self.timeline)
        assert self.timeline.in_force is not None
        return self.timeline.in_force, None

    def _renewed(self) -> tuple[datetime, datetime | None]:
        assert self.event.term is not None
        previous = self.event.term - 1
        _entry_steps(self.out, self.treaty, self.timeline)
        end = _end_steps(self.out, self.schedule, previous, self.timeline.timezone)
        self.out.add(
            f"term {previous} renews at its end",
            'docs/contract.md, "The clause": renewal: automatic renewal after each term, '
            "unless a notice stopped it",
            f"no notice took effect at {iso(end)}",
            iso(end),
        )
        return end, None

    def _notice_given(self) -> tuple[datetime, datetime | None]:
        event = self.event
        self.out.add(
            "the notice is received",
            AT_ONCE,
            self.zoned(event.at),
            iso(event.at),
        )
        basis = self.basis(NoticeBasis)
        effect = self._notice_steps(basis)
        if basis.named is not None:
            self.out.add(
                "the notice names a later date, not earlier than the clause's own effect",
                NAMED_EFFECTIVE,
                f"named {self.zoned(basis.named)}; clause's effect {iso(effect)}",
                iso(basis.named),
            )
            effect = basis.named
        return event.at, effect

    def _notice_steps(self, basis: NoticeBasis) -> datetime:
        """The steps of a notice's effect under the clause, as the run decided it; returns
        the effect before any date the notice names."""
        clause = self.clause
        if basis.period_end is not None:
            reference = basis.period_end
            assert reference is not None and basis.boundary is not None
            self._withdrawal_period(basis.given, reference)
            if clause.effect_on is not None:
                day = local_date(reference)
                what = boundary_words(clause.effect_on, day)
                self.out.add(
                    f"effect_on: {boundary_text(clause.effect_on)}",
                    EFFECT_ON,
                    f"{iso(reference)} falls in {day:%B %Y}: {what}; {self.zoned(basis.boundary)}",
                    iso(basis.boundary),
                )
            self._earliest(basis.boundary, basis.not_before, basis.clause_effect)
            return basis.clause_effect
        source = EXACT_DEADLINE if clause.counting is Counting.EXACT else WHOLE_DAYS
        for check in basis.checks:
            self.out.add(
                f"in time for the end of term {check.term}? received before its notice deadline",
                source if check.term == basis.running else LATE_NEXT_TERM,
                f"{iso(basis.given)} {'<' if check.in_time else '>='} deadline "
                f"{iso(check.deadline)} (last day to notify {last_day(check.deadline)})",
                "in time" if check.in_time else "late",
            )
        target = basis.target
        end = basis.clause_effect
        self.out.add(
            f"the notice stops the renewal at the end of term {target}",
            'docs/contract.md, "The clause": notice: a termination notice received this long '
            "before a term's end stops the renewal at that end",
            f"end of term {target}: {self.zoned(end)}",
            iso(end),
        )
        self._earliest(basis.rule_effect, basis.not_before, end)
        return end

    def _withdrawal_period(self, given: datetime, reference: datetime) -> None:
        clause = self.clause
        if clause.withdrawal is None:
            return
        if clause.counting is Counting.EXACT:
            self.out.add(
                f"the withdrawal takes effect {clause.withdrawal} after receipt, counted exact",
                EXACT,
                f"{iso(given)} + {clause.withdrawal} = {iso(reference)}; {self.zoned(reference)}",
                iso(reference),
            )
        else:
            day = local_date(given)
            shifted = local_date(reference) - timedelta(days=1)
            self.out.add(
                f"the withdrawal takes effect {clause.withdrawal} after receipt, counted in "
                "whole days",
                WHOLE_DAYS,
                f"day of receipt {day} not counted: {day} + {clause.withdrawal} = {shifted}; "
                f"the period ends at 00:00 the day after, "
                f"{_midnight(local_date(reference), self.tz, self.timeline.timezone)}",
                iso(reference),
            )

    def _earliest(self, rule: datetime, not_before: datetime | None, final: datetime) -> None:
        if not_before is None:
            return
        value = self.clause.earliest_effect
        self.out.add(
            f"earliest_effect {value}: the later of the rule's effect and {iso(not_before)}",
            EARLIEST_EFFECT,
            f"later of {iso(rule)} and {iso(not_before)}",
            iso(final),
        )

    def _previous(self, kinds: tuple[EventKind, ...]) -> Event | None:
        for event in reversed(self.timeline.events[: self.index]):
            if event.kind in kinds and event.by == self.event.by:
                return event
        return None

    def _suspended(self) -> tuple[datetime, datetime | None]:
        event = self.event
        self.out.add("the notice is suspended", AT_ONCE, self.zoned(event.at), iso(event.at))
        basis = self.basis(SuspensionBasis)
        if basis.remaining is not None:
            self._time_left(basis, "the time left before its effect is kept", " on the wall clock")
        if basis.lasts is not None:
            self.out.add(
                "a timed suspension: the notice resumes by itself then",
                TIMED_SUSPENSION,
                basis.lasts,
                basis.lasts,
            )
        return event.at, None

    def _time_left(self, basis: SuspensionBasis, rule: str, how: str = "") -> None:
        assert basis.effect is not None and basis.remaining is not None
        self.out.add(
            rule,
            SUSPENDED_REMAINING,
            f"{iso(basis.effect)} - {iso(basis.at)} = {spoken_span(basis.remaining)}{how}",
            spoken_span(basis.remaining),
        )

    def _resumed(self) -> tuple[datetime, datetime | None]:
        event = self.event
        basis = self.basis(ResumptionBasis)
        how = basis.interpretation
        source = AT_ONCE
        if event.reason and event.reason.startswith("suspension expired"):
            source = TIMED_SUSPENSION
        self.out.add("the notice is resumed", source, self.zoned(event.at), iso(event.at))
        if how is Interpretation.IMMEDIATE:
            self.out.add(
                "under immediate, it takes effect at resumption",
                INTERPRETATION[how],
                self.zoned(event.at),
                iso(event.at),
            )
            return event.at, basis.effect
        if how is Interpretation.REMAINING:
            suspension = basis.suspension
            assert suspension is not None and suspension.remaining is not None
            self._time_left(suspension, "the time that was left when the notice was suspended")
            self.out.add(
                "under remaining, it takes effect after the time that was left",
                INTERPRETATION[how],
                f"{iso(event.at)} + {spoken_span(suspension.remaining)} on the wall clock = "
                f"{iso(basis.effect)}; {self.zoned(basis.effect)}",
                iso(basis.effect),
            )
            return event.at, basis.effect
        self.out.add(
            "under fresh, it counts as a new notice given now",
            INTERPRETATION[how],
            self.zoned(event.at),
            iso(event.at),
        )
        assert basis.fresh is not None
        return event.at, self._notice_steps(basis.fresh)

    def _ended(self) -> tuple[datetime, datetime | None]:
        event = self.event
        reason = event.reason or ""
        if event.by is not None and reason.startswith("notice of"):
            notice = self._previous((EventKind.NOTICE_GIVEN, EventKind.NOTICE_RESUMED))
            assert notice is not None and notice.effective is not None
            number = self.timeline.events.index(notice) + 1
            inner = explain_event(self.treaty, self.timeline, number)
            for step in inner.steps:
                self.out.steps.append(step)
            parties = len(self.treaty.parties)
            what = (
                "ends the notifying party's participation"
                if event.kind is EventKind.WITHDRAWAL_EFFECTIVE
                else "ends the treaty"
            )
            effect = notice.effective
            postponed = None
            for later in self.timeline.events[number : self.index]:
                moved = later.basis
                if isinstance(moved, ExtensionBasis) and moved.party == event.by:
                    self._moved(moved)
                    effect = moved.new_end
                if later.by != event.by:
                    continue
                if later.kind is EventKind.EFFECT_POSTPONED:
                    postponed = later
                elif later.kind is EventKind.ARMED_CONFLICT_ENDED and postponed is not None:
                    self.out.add(
                        f"at {iso(postponed.at)} {event.by} was in an armed conflict: the "
                        "withdrawal waits for its end",
                        ARMED_CONFLICT,
                        f"the armed conflict ends at {self.zoned(later.at)}",
                        iso(later.at),
                    )
                    effect = later.at
            self.out.add(
                f"the notice of event {number} takes effect: with {parties} parties it {what}",
                ENDS_TREATY,
                self.zoned(effect),
                iso(effect),
            )
            return effect, None
        if reason == "the term expired":
            assert event.term is not None
            _entry_steps(self.out, self.treaty, self.timeline)
            end = _end_steps(self.out, self.schedule, event.term, self.timeline.timezone)
            self.out.add(
                f"term {event.term} is the last: the clause gives no renewal",
                'docs/contract.md, "The clause": a fixed term ends at its end unless extended',
                f"no term {event.term + 1}",
                iso(end),
            )
            return end, None
        return self._action_only()

    def _moved(self, extended: ExtensionBasis) -> None:
        """A pending withdrawal's effect moved by an agreed extension (decision 10)."""
        how = (
            f"+ {extended.period}"
            + (" on its date" if self.clause.counting is Counting.WHOLE_DAYS else "")
            if extended.period is not None
            else f"through {extended.through}: 00:00 the day after"
        )
        self.out.add(
            f"the extension agreed at {iso(extended.at)} moves the withdrawal's effect",
            EXTENSION_MOVES_NOTICE,
            f"{iso(extended.current)} {how} = {iso(extended.new_end)}; "
            f"{self.zoned(extended.new_end)}",
            iso(extended.new_end),
        )

    def _extended(self) -> tuple[datetime, datetime | None]:
        event = self.event
        basis = event.basis
        if not isinstance(basis, ExtensionBasis) or basis.moved:
            return self._action_only()
        self.out.add("the extension is agreed", AT_ONCE, self.zoned(event.at), iso(event.at))
        day = basis.new_day
        assert day is not None
        how = (
            f"{local_date(basis.current)} + {basis.period} = {day}"
            if basis.period is not None
            else f"the day after {basis.through}: {day}"
        )
        self.out.add(
            f"the end of term {basis.running} moves: a new term follows it and ends on the "
            "new date",
            EXTENSION_ANCHOR + '; docs/contract.md, "Actions": extend',
            f"{how}; {_midnight(day, self.tz, self.timeline.timezone)}",
            iso(basis.new_end),
        )
        return event.at, basis.new_end

    def _survival_ended(self) -> tuple[datetime, datetime | None]:
        left = self._previous((EventKind.WITHDRAWAL_EFFECTIVE, EventKind.TERMINATED))
        if left is None:
            for event in reversed(self.timeline.events[: self.index]):
                if event.kind is EventKind.TERMINATED:
                    left = event
                    break
        assert left is not None
        until = self.event.at
        self.out.add(
            f"obligations survive {self.clause.survival} after the withdrawal's effect",
            SURVIVAL,
            f"{iso(left.at)} + {self.clause.survival} = {iso(until)}; {self.zoned(until)}",
            iso(until),
        )
        return until, None

    def _joined(self) -> tuple[datetime, datetime | None]:
        event = self.event
        basis = self.basis(JoinBasis)
        self.out.add("the instrument is deposited", AT_ONCE, self.zoned(event.at), iso(event.at))
        delay = self.clause.accession_delay
        self.out.add(
            "bound from the deposit + accession_delay",
            ACCESSION,
            f"{iso(event.at)} + {delay}" if delay else "no accession_delay: at once",
            iso(basis.delayed),
        )
        if basis.in_force is not None and utc(basis.bound) != utc(basis.delayed):
            self.out.add(
                "not before the treaty's entry into force",
                ACCESSION,
                self.zoned(basis.bound),
                iso(basis.bound),
            )
        return event.at, basis.bound

    def _action_only(self) -> tuple[datetime, datetime | None]:
        event = self.event
        what = event.action or event.kind.value
        self.out.add(
            f"the scenario's action ({what}) at its instant",
            AT_ONCE,
            self.zoned(event.at),
            iso(event.at),
        )
        if event.reason:
            self.out.add(
                "what the run recorded",
                "docs/state-machine.md: the table of standings, actions and outcomes",
                event.reason,
                event.reason,
            )
        if event.effective is not None:
            self.out.add(
                "its effect, as the run set it",
                "docs/decisions.md, items 10, 11 and 40",
                self.zoned(event.effective),
                iso(event.effective),
            )
        return event.at, event.effective
