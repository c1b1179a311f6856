"""The rules of a clause: when each term ends, the notice deadline of each term, and when a
notice takes effect. Pure functions of the clause and the dates (PRODUCT.md, "Time").

GSOMIA art. 21(3), the reference case: "This Agreement shall remain in force for a period of
one year and shall be automatically extended annually thereafter unless either Party notifies
the other in writing through the diplomatic channel ninety days in advance of its intention
to terminate the Agreement."
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo

from sim.core.dates import (
    Counting,
    Duration,
    add,
    add_wall_clock,
    at_midnight,
    day_after,
    local_date,
    notice_deadline,
    period_end,
    shift_date,
    utc,
    zone,
)
from sim.core.model import (
    Boundary,
    Clause,
    EffectOn,
    LateNotice,
    MonthAfter,
    NoticeWindow,
    Treaty,
)

__all__ = [
    "DEFAULT_HORIZON",
    "Check",
    "Schedule",
    "Segment",
    "bound_from",
    "boundary_phrase",
    "boundary_text",
    "boundary_words",
    "cyclic_window",
    "default_horizon",
    "earliest_effect",
    "earliest_notice",
    "entry_by_count",
    "extension_cap",
    "months_after",
    "moved_effect",
    "no_earlier_than",
    "on_boundary",
    "resumed_effect",
    "survives_until",
]

ZERO = Duration()

DEFAULT_HORIZON = Duration(months=36)
"""PRODUCT.md, "The timeline": "by default it is three years after the last action (or after
entry into force)"."""


@dataclass(frozen=True)
class Check:
    """A renewal notice held against the deadline of term ``term``: ``in_time`` if received
    before ``deadline`` (PRODUCT.md, "Counting")."""

    term: int
    deadline: datetime
    in_time: bool


@dataclass(frozen=True)
class Segment:
    """Terms numbered from ``first`` end at 00:00 on the date ``base + offset + (n -
    first)·renewal``.

    The first segment is the entry-into-force anchor (``in_force + term``); an extension by
    agreement starts a new one, so later terms are anchored on the extended end and never
    computed by adding a renewal to the previous end (no drift from a 29 February anchor).
    The base is a date, not an instant: a date means 00:00 (PRODUCT.md, "Time"), and a term
    counted from a day whose 00:00 did not exist still ends at 00:00, not at 01:00.
    """

    base: date
    offset: Duration
    first: int


@dataclass(frozen=True)
class Schedule:
    """The term ends of a treaty: ``in_force + term + (n-1)·renewal`` (PRODUCT.md, "Time"),
    as moved by extensions. Empty for a treaty of indefinite duration (no ``term``)."""

    clause: Clause
    in_force: datetime
    segments: tuple[Segment, ...]
    _ends: dict[int, date | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Term ends already computed: a run asks for the same few again at every step."""

    @classmethod
    def of(cls, clause: Clause, in_force: date, tz: tzinfo) -> Schedule:
        """The schedule the clause gives from entry into force on the date ``in_force``
        (counted from that date even where its 00:00 did not exist in ``tz``)."""
        start = at_midnight(in_force, tz)
        if clause.term is None:
            return cls(clause, start, ())
        return cls(clause, start, (Segment(in_force, clause.term, 1),))

    @property
    def indefinite(self) -> bool:
        """No term: the treaty runs until a withdrawal or an agreement ends it."""
        return not self.segments

    def _segment(self, number: int) -> Segment | None:
        found = None
        for segment in self.segments:
            if segment.first <= number:
                found = segment
        return found

    def end(self, number: int) -> datetime | None:
        """The end of term ``number`` (half-open: no longer in force at this instant), or
        None where there is no such term (indefinite treaty, or after a fixed term)."""
        day = self.end_date(number)
        if day is None:
            return None
        tz = self.in_force.tzinfo
        assert tz is not None
        return at_midnight(day, tz)

    def end_date(self, number: int) -> date | None:
        """The date at whose 00:00 term ``number`` ends (None: no such term)."""
        if number not in self._ends:
            self._ends[number] = self._compute_end(number)
        return self._ends[number]

    def _compute_end(self, number: int) -> date | None:
        segment = self._segment(number)
        if segment is None:
            return None
        steps = number - segment.first
        if steps == 0:
            return shift_date(segment.base, segment.offset)
        if self.clause.renewal is None:
            return None
        return shift_date(segment.base, segment.offset + steps * self.clause.renewal)

    def start(self, number: int) -> datetime:
        """The start of term ``number``: entry into force, or the end of the term before."""
        if number == 1:
            return self.in_force
        previous = self.end(number - 1)
        assert previous is not None
        return previous

    def last_number(self) -> int | None:
        """The number of the last term, where the terms do not renew; None if they do."""
        if self.indefinite:
            return 0
        if self.clause.renewal is not None:
            return None
        return self.segments[-1].first

    def deadline(self, number: int) -> datetime | None:
        """The first instant at which a renewal notice is too late to stop the renewal at
        the end of term ``number`` (None where the clause has no renewal notice)."""
        day = self.end_date(number)
        if day is None or self.clause.notice is None:
            return None
        # From the end's date at 00:00 on the wall clock, even where that reading does not
        # exist: the deadline is a day's start under either counting (docs/dates.md).
        nominal = datetime.combine(day, time(), self.in_force.tzinfo)
        return notice_deadline(nominal, self.clause.notice, self.clause.counting)

    def term_at(self, moment: datetime) -> int:
        """The number of the term in force at ``moment`` (1 before the first end)."""
        if self.indefinite:
            return 1
        number = 1
        while True:
            end = self.end(number)
            if end is None or utc(moment) < utc(end):
                return number
            number += 1

    def renewal_checks(self, given: datetime, current: int) -> tuple[Check, ...]:
        """The notice deadlines a renewal notice received at ``given`` during term ``current``
        is held against: the current term's, and, while it is late, each later term's
        (``late_notice: next_term``) up to the first it meets; under ``void`` only the first.
        The last check is in time unless the notice is void. Empty where the clause has no
        renewal notice."""
        checks: list[Check] = []
        number = current
        while True:
            deadline = self.deadline(number)
            if deadline is None:
                return tuple(checks)
            in_time = utc(given) < utc(deadline)
            checks.append(Check(number, deadline, in_time))
            if in_time or self.clause.late_notice is LateNotice.VOID:
                return tuple(checks)
            number += 1

    def first_ending_not_before(self, number: int, not_before: datetime | None) -> int:
        """The first term from ``number`` on whose end is not before ``not_before`` (clause
        ``earliest_effect``; ``number`` itself where there is none)."""
        while not_before is not None:
            end = self.end(number)
            if end is None or utc(end) >= utc(not_before):
                break
            number += 1
        return number

    def renewal_notice_target(
        self, given: datetime, current: int, not_before: datetime | None = None
    ) -> int | None:
        """The term at whose end a renewal notice received at ``given`` during term
        ``current`` stops the renewal: the current one if in time; if late, the first later
        term whose deadline it meets (``late_notice: next_term``), or None (``void``); and
        of those, the first whose end is not before ``not_before`` (``earliest_effect``)."""
        checks = self.renewal_checks(given, current)
        if not checks or not checks[-1].in_time:
            return None
        return self.first_ending_not_before(checks[-1].term, not_before)

    def withdrawal_effect(self, given: datetime, not_before: datetime | None = None) -> datetime:
        """When a withdrawal notice received at ``given`` takes effect: ``withdrawal`` after
        receipt, counted by the clause's convention, moved to the clause's calendar boundary
        (``effect_on``, from the receipt itself where there is no period), and never before
        ``not_before`` (clause ``earliest_effect``)."""
        clause = self.clause
        reference = (
            given
            if clause.withdrawal is None
            else period_end(given, clause.withdrawal, clause.counting)
        )
        return no_earlier_than(on_boundary(reference, clause.effect_on), not_before)

    def window_opens(self, number: int) -> datetime | None:
        """The first instant at which a renewal notice stopping the renewal at the end of term
        ``number`` may be given (clause ``notice_window.opens`` before that end, on dates), or
        None where the clause sets no window."""
        window = self.clause.notice_window
        day = self.end_date(number)
        if window is None or window.opens is None or day is None:
            return None
        tz = self.in_force.tzinfo
        assert tz is not None
        return at_midnight(shift_date(day, window.opens, -1), tz)

    def extension_end(self, number: int, period: Duration | None, through: date | None) -> date:
        """The date at whose 00:00 an extension of term ``number``'s end ends it: the end's
        date plus ``period``, or the day after ``through`` (the new last day in force).

        PRODUCT.md, "Actions": ``period`` is "a duration added to the current end", so the new
        end is ``end(number) + period`` on the calendar (2017-02-28 + 3y = 2020-02-28), not
        ``in_force + term + period``."""
        if period is not None:
            current = self.end_date(number)
            assert current is not None
            return shift_date(current, period)
        assert through is not None
        return day_after(through)

    def extended(self, number: int, new_end: date) -> Schedule:
        """The schedule once term ``number`` is followed by an extension: a new term
        ``number + 1`` ending at 00:00 on ``new_end``; later terms are anchored on it."""
        kept = tuple(s for s in self.segments if s.first <= number)
        return replace(self, segments=(*kept, Segment(new_end, ZERO, number + 1)))


def on_boundary(reference: datetime, effect_on: Boundary | None) -> datetime:
    """``reference`` moved to the calendar boundary of clause ``effect_on`` (PRODUCT.md 0.2,
    "Effects on a calendar boundary", and 0.3), in ``reference``'s zone. The month or year of
    ``reference`` is that of its local date, so a period ending at 00:00 on a first belongs
    to the month that first begins:

    - ``first_of_next_month``, ``{first_of_month_after: N}``: 00:00 on the first day of the
      Nth month after the month of ``reference`` (N = 1 for the first; Istanbul Convention
      art. 80(2): a period ending 2021-06-22 gives 2021-07-01; UK–EU TCA art. 779(1), N = 12:
      a notice of 2025-03-10 gives 2026-03-01);
    - ``end_of_following_year``: 00:00 on 1 January two years after ``reference``'s year, the
      instant after 31 December of the following year (UNESCO Constitution art. II(6));
    - ``start_of_year``: 00:00 on the first 1 January at or after ``reference`` (a period
      ending 2011-01-01T00:00 gives that instant; one ending 2011-01-02 gives 2012-01-01).
    """
    if effect_on is None:
        return reference
    tz = reference.tzinfo
    assert tz is not None
    day = local_date(reference)
    months = months_after(effect_on)
    if months is not None:
        index = day.year * 12 + day.month - 1 + months
        target = date(index // 12, index % 12 + 1, 1)
    elif effect_on is EffectOn.END_OF_FOLLOWING_YEAR:
        target = date(day.year + 2, 1, 1)
    else:
        new_year = date(day.year, 1, 1)
        if day == new_year and utc(at_midnight(day, tz)) == utc(reference):
            return reference
        target = date(day.year + 1, 1, 1)
    return at_midnight(target, tz)


def months_after(effect_on: Boundary | None) -> int | None:
    """N of an effect on the first day of the Nth month (``first_of_next_month`` is N = 1),
    or None for another boundary."""
    if isinstance(effect_on, MonthAfter):
        return effect_on.first_of_month_after
    if effect_on is EffectOn.FIRST_OF_NEXT_MONTH:
        return 1
    return None


def boundary_words(effect_on: Boundary, reference: date) -> str:
    """The boundary of clause ``effect_on`` after a period ending on ``reference``, in words
    (``explain``, and the deadline table's withdrawal line)."""
    months = months_after(effect_on)
    if months == 1:
        return f"the first day of the month after {reference:%B %Y}"
    if months is not None:
        return f"the first day of the {_ordinal(months)} month after {reference:%B %Y}"
    if effect_on is EffectOn.END_OF_FOLLOWING_YEAR:
        return f"1 January after 31 December {reference.year + 1}"
    return f"the first 1 January at or after {reference}"


def boundary_phrase(effect_on: Boundary, period: bool) -> str:
    """Where clause ``effect_on`` moves an effect, as the deadline table's withdrawal line
    says it: after a ``period`` ("..., on the first day of the month after that"), or after
    the notice itself."""
    months = months_after(effect_on)
    after = "that period ends in" if period else "of the notice"
    if months == 1 and period:
        return "on the first day of the month after that"
    if months is not None:
        nth = "" if months == 1 else f"{_ordinal(months)} "
        return f"on the first day of the {nth}month after the month {after}"
    if effect_on is EffectOn.END_OF_FOLLOWING_YEAR:
        year = "the year that period ends in" if period else "the notice's"
        return f"at the end of the year after {year}"
    return f"on the first 1 January at or after {'that' if period else 'the notice'}"


def boundary_text(effect_on: Boundary) -> str:
    """Clause ``effect_on`` as a scenario writes it."""
    if isinstance(effect_on, MonthAfter):
        return f"{{first_of_month_after: {effect_on.first_of_month_after}}}"
    return effect_on.value


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def no_earlier_than(effect: datetime, not_before: datetime | None) -> datetime:
    """A notice's effect under clause ``earliest_effect``: the later of the rule's
    ``effect`` and ``not_before`` (PRODUCT.md 0.2, "Earliest effect")."""
    if not_before is not None and utc(effect) < utc(not_before):
        return not_before
    return effect


def cyclic_window(
    window: NoticeWindow, anchor: date, tz: tzinfo, moment: datetime
) -> tuple[datetime, datetime]:
    """The window of a notice window on a fixed cycle (PRODUCT.md 0.3, "Windows on a fixed
    cycle") that is open at ``moment``, or else the next one to open: ``[anchor + k·every,
    anchor + k·every + open_for)`` for the least whole k >= 1 whose end is after ``moment``,
    each bound 00:00 on its date, counted from ``anchor`` (never from the window before, so
    a 29 February anchor does not drift). ILO Convention No. 87 art. 16, in force 4 July 1950,
    ``{every: 10y, open_for: 1y}``: the first window is [1960-07-04, 1961-07-04)."""
    every, open_for = window.every, window.open_for
    assert every is not None and open_for is not None
    cycle_days = every.months * 30.436875 + every.days
    elapsed = (local_date(moment) - anchor).days
    k = max(1, int(elapsed / cycle_days) - 1)
    while True:
        closes = at_midnight(shift_date(anchor, k * every + open_for), tz)
        if utc(moment) < utc(closes):
            return at_midnight(shift_date(anchor, k * every), tz), closes
        k += 1


def earliest_effect(clause: Clause, party_in_force: date, tz: tzinfo) -> datetime | None:
    """The first instant at which a notice may take effect (clause ``earliest_effect``: a
    date, or a duration from the party's entry into force; US–Iran Treaty of Amity art.
    XXIII(3), "at the end of the initial ten-year period or at any time thereafter")."""
    value = clause.earliest_effect
    if value is None:
        return None
    if isinstance(value, Duration):
        return at_midnight(shift_date(party_in_force, value), tz)
    return at_midnight(value, tz)


def survives_until(clause: Clause, effect: datetime) -> datetime | None:
    """When obligations that survive a withdrawal effective at ``effect`` end (clause
    ``survival``; Energy Charter Treaty art. 47(3): "for a period of 20 years from the date
    when withdrawal ... takes effect"): ``effect + survival``, a half-open interval."""
    if clause.survival is None:
        return None
    return add(effect, clause.survival)


def bound_from(clause: Clause, joined: datetime, in_force: datetime | None) -> datetime:
    """When a party that deposits its instrument at ``joined`` is bound (clause
    ``accession_delay``, counted by the clause's convention; Paris art. 21(3): "on the
    thirtieth day after the date of deposit"): at once where the clause gives no delay, and
    never before the treaty's entry into force ``in_force`` (None: not yet known)."""
    bound = (
        joined
        if clause.accession_delay is None
        else period_end(joined, clause.accession_delay, clause.counting)
    )
    if in_force is not None and utc(bound) < utc(in_force):
        return in_force
    return bound


def entry_by_count(treaty: Treaty, joined: int, moment: datetime) -> datetime | None:
    """When a treaty with ``entry_into_force: {parties: N, after}`` enters into force, once
    its ``joined``-th instrument is deposited at ``moment``: ``after`` it, counted by the
    clause's convention (Paris art. 21(1): "on the thirtieth day after the date on which at
    least 55 Parties ... have deposited"); None before the N-th."""
    rule = treaty.entry_into_force
    if rule is None or joined < rule.parties:
        return None
    if rule.after is None:
        return moment
    return period_end(moment, rule.after, treaty.clause.counting)


def extension_cap(clause: Clause, current: datetime) -> datetime | None:
    """The latest new end an extension of ``current`` may set (clause ``max_extension``;
    New START art. XIV(2), "for a period of no more than five years"), or None."""
    if clause.max_extension is None:
        return None
    return add(current, clause.max_extension)


def moved_effect(
    clause: Clause, current: datetime, period: Duration | None, through: date | None
) -> datetime:
    """A pending withdrawal's effect ``current``, moved by an extension agreed by all parties
    (docs/decisions.md, 10): ``period`` added to the instant (to its date under ``whole_days``,
    where every effect is a day's start), or 00:00 on the day after ``through``, the new last
    day in force. The caller refuses a result that is not later."""
    tz = current.tzinfo
    assert tz is not None
    if period is not None:
        if clause.counting is Counting.WHOLE_DAYS:
            return at_midnight(shift_date(local_date(current), period), tz)
        return add(current, period)
    assert through is not None
    return at_midnight(day_after(through), tz)


def resumed_effect(moment: datetime, remaining: timedelta) -> datetime:
    """When a notice resumed at ``moment`` under ``remaining`` takes effect: the time that
    was left added on the wall clock (docs/decisions.md, 6), and never before ``moment``.
    Where the sum falls in a repeated (fall-back) hour and ``moment`` is in its second
    occurrence, the first occurrence would come before the resumption: the second is taken."""
    effect = add_wall_clock(moment, remaining)
    if utc(effect) >= utc(moment) or remaining < timedelta(0):
        return effect
    return add_wall_clock(moment, remaining, second=True)


def default_horizon(treaty: Treaty, instants: list[datetime]) -> datetime | None:
    """A scenario's horizon when it gives none: 00:00 local three years after the date of the
    last of ``instants`` (its actions), or after entry into force (or signature, where a count
    of joins brings the treaty into force) if there is none; None where there is nothing to
    count from."""
    tz = zone(treaty.timezone)
    if instants:
        last = local_date(max(instants, key=utc))
    else:
        start = treaty.in_force or treaty.signed
        if start is None:
            return None
        last = start
    return at_midnight(shift_date(last, DEFAULT_HORIZON), tz)


def earliest_notice(clause: Clause, party_in_force: date, tz: tzinfo) -> datetime | None:
    """The first instant at which a party may give notice (clause ``earliest_notice``,
    inclusive, counted on dates from the party's own entry into force: Paris art. 28(1), "at
    any time after three years from the date on which this Agreement has entered into force
    for a Party"), or None where the clause sets no such date."""
    if clause.earliest_notice is None:
        return None
    return at_midnight(shift_date(party_in_force, clause.earliest_notice), tz)
