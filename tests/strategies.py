"""Hypothesis strategies for treaty-sim, composed from small named pieces.

- durations, as a user writes them (``90d``, ``2w``, ``6mo``, ``1y``, ``P1Y6M``...);
- clauses: every valid combination of term, renewal, notice, late_notice, withdrawal,
  earliest_notice and counting (PRODUCT.md, "The clause");
- treaties: two to five parties, zones with and without daylight saving (some whose clocks
  jump at midnight, so that a date's 00:00 does not exist), entry into force on 29 February,
  on the 31st, at the end of a month or on a day the clocks change;
- instants: any second near the dates that matter (term ends, notice deadlines, clock
  changes, midnight), written as a date, a local date-time or a date-time with its offset
  (the only way to name the second occurrence of a repeated hour);
- actions: any kind, by any party or by one that is not a party, in any order, at any
  instant, whether or not they apply;
- scenarios: a treaty, its actions, an interpretation and a horizon after the last action.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from sim.core.dates import Duration, add, as_instant, at_midnight, subtract, zone
from sim.core.model import (
    Action,
    ActionKind,
    Clause,
    EffectNotDuring,
    EffectOn,
    EntryIntoForce,
    Interpretation,
    LateNotice,
    MonthAfter,
    NoticeWindow,
    Party,
    Scenario,
    TermsFrom,
    Treaty,
    WindowFrom,
)

T = TypeVar("T")

PARTIES = ("KR", "JP", "US", "RU", "KP")
OUTSIDER = "ZZ"
"""A name that is never a party: its actions are rejected."""

ZONES_WITHOUT_DST = ("UTC", "Asia/Seoul", "Asia/Kolkata", "Asia/Kathmandu")
ZONES_WITH_DST = (
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",  # a half-hour change
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/Sao_Paulo",  # until 2019, clocks jumped at midnight: 00:00 did not exist
    "America/Havana",  # clocks jump at midnight
    "Asia/Beirut",  # clocks jump at midnight
    "America/Santiago",  # clocks change at 24:00
    "Pacific/Apia",  # skipped 30 December 2011 entirely (UTC-10 to UTC+14)
)
ZONES = ZONES_WITHOUT_DST + ZONES_WITH_DST

FIRST_YEAR, LAST_YEAR = 1996, 2030


# --- durations -----------------------------------------------------------------------------


def _written(unit: str, low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{n}{unit}")


def _iso(units: str, low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"P{n}{units}")


days = _written("d", 1, 400) | _iso("D", 1, 400)
weeks = _written("w", 1, 60) | _iso("W", 1, 60)
months = _written("mo", 1, 30) | _iso("M", 1, 30)
years = _written("y", 1, 5) | _iso("Y", 1, 5)
mixed = st.builds(
    lambda y, m, d: "P" + (f"{y}Y" if y else "") + (f"{m}M" if m else "") + f"{d}D",
    st.integers(0, 2),
    st.integers(0, 11),
    st.integers(1, 40),
)
durations = days | weeks | months | years | mixed
"""Any duration a user may write."""

day_durations = days | weeks
"""Durations of whole days only (no calendar months)."""

long_single_units = _written("d", 7, 800) | _written("w", 1, 100) | months | years
long_durations = long_single_units | mixed
"""Terms and renewals: at least a week (the run stays small)."""


short_delays = _written("d", 1, 90) | _written("mo", 1, 6) | _iso("D", 1, 60)
"""Accession delays and the wait after the Nth join: a few days to a few months (Paris:
thirty days), so that most of a scenario happens once the parties are bound."""


def duration_of(text: str) -> Duration:
    """The :class:`Duration` a written duration means."""
    return Duration.parse(text)


# --- clauses -------------------------------------------------------------------------------

EXITS = ("notice", "withdrawal", None)


@st.composite
def clauses(
    draw: st.DrawFn,
    exits: tuple[str | None, ...] = EXITS,
    term: st.SearchStrategy[str | None] | None = None,
    renewal: st.SearchStrategy[str | None] | None = None,
    countings: tuple[str, ...] = ("exact", "whole_days"),
    earliest: bool = True,
    late_notices: tuple[LateNotice, ...] = tuple(LateNotice),
    notices: st.SearchStrategy[str] | None = None,
    durations: st.SearchStrategy[str] = durations,
    extras: bool = False,
    extras_03: bool = False,
) -> Clause:
    """A valid clause: ``notice`` needs ``renewal``, ``renewal`` needs ``term``, ``notice``
    and ``withdrawal`` exclude each other (PRODUCT.md, "The clause"). With ``extras``, the
    clause language of version 0.2 too (:func:`clause_extras`); with ``extras_03``, that of
    version 0.3 (:func:`clause_extras_03`)."""
    chosen_term = draw(term if term is not None else st.none() | long_durations)
    chosen_renewal = None
    if chosen_term is not None:
        chosen_renewal = draw(renewal if renewal is not None else st.none() | long_durations)
    periods = notices if notices is not None else durations
    allowed = [e for e in exits if e != "notice" or chosen_renewal is not None]
    # An exit clause three times out of four where there may be one: notices are the story.
    weighted = [e for e in allowed for _ in range(1 if e is None else 3)]
    exit_clause = _pick(draw, weighted) if weighted else None
    fields = {
        "term": chosen_term,
        "renewal": chosen_renewal,
        "notice": draw(periods) if exit_clause == "notice" else None,
        "withdrawal": draw(periods) if exit_clause == "withdrawal" else None,
        "late_notice": _pick(draw, late_notices),
        "earliest_notice": draw(durations) if earliest and draw(st.integers(0, 3)) == 0 else None,
        "counting": _pick(draw, countings),
    }
    if extras:
        fields.update(draw(clause_extras(fields)))
    if extras_03:
        fields.update(draw(clause_extras_03(fields)))
    return Clause.model_validate(fields)


def _sometimes(draw: st.DrawFn, strategy: st.SearchStrategy[T], one_in: int = 3) -> T | None:
    """A value one time in ``one_in``, else None (a clause field left out)."""
    return draw(strategy) if draw(st.integers(0, one_in - 1)) == 0 else None


EFFECTS_ON_02 = tuple(
    effect
    for effect in EffectOn
    if effect.value in {"first_of_next_month", "end_of_following_year"}
)
"""The calendar boundaries of version 0.2, named (a later version adds others)."""


@st.composite
def clause_extras(draw: st.DrawFn, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields PRODUCT.md 0.2 adds to a clause with ``fields`` (FORMAT-0.2.md): an
    earliest effect (a duration; a date is set by :func:`treaties`), a calendar boundary for
    the effect (a withdrawal clause, or a clause whose only exit is the end of the following
    year), survival, a notice window (a renewal notice clause), an extension cap and an
    accession delay; each present some of the time."""
    extra: dict[str, Any] = {
        "earliest_effect": _sometimes(draw, durations | long_durations, 4),
        "survival": _sometimes(draw, durations),
        "max_extension": _sometimes(draw, durations),
        "accession_delay": _sometimes(draw, short_delays),
    }
    if fields["withdrawal"] is not None:
        extra["effect_on"] = _sometimes(draw, st.sampled_from(EFFECTS_ON_02))
    elif fields["notice"] is None and draw(st.integers(0, 2)) == 0:
        extra["effect_on"] = EffectOn.END_OF_FOLLOWING_YEAR  # UNESCO: no withdrawal period
    if fields["notice"] is not None and draw(st.integers(0, 2)) == 0:
        notice = duration_of(fields["notice"])
        more = Duration(months=draw(st.integers(0, 14)), days=draw(st.integers(1, 120)))
        extra["notice_window"] = NoticeWindow(opens=notice + more)
    return extra


EFFECTS_ON_03 = (
    EffectOn.START_OF_YEAR,
    MonthAfter(first_of_month_after=1),
    MonthAfter(first_of_month_after=2),
    MonthAfter(first_of_month_after=12),
    MonthAfter(first_of_month_after=13),
)
"""Calendar boundaries of version 0.3: the turn of the year, the Nth month (the UK–EU TCA's
twelfth, N = 1 as first_of_next_month, and neighbours)."""

cycles = _written("y", 1, 10) | _written("mo", 3, 30)
"""A window's cycle (``every``): ILO conventions count ten years, or five."""
openings = _written("d", 1, 120) | _written("mo", 1, 12)
"""How long a window stays open (``open_for``), at most a cycle (checked when drawn)."""


@st.composite
def cyclic_windows(draw: st.DrawFn) -> NoticeWindow:
    """A notice window on a fixed cycle (PRODUCT.md 0.3, "Windows on a fixed cycle"),
    counted from the treaty's entry into force or the party's own; open for no longer than
    the cycle."""
    every = duration_of(draw(cycles))
    open_for = duration_of(draw(openings))
    every_days = every.months * 31 + every.days
    if open_for.months * 31 + open_for.days > every_days - 62:
        open_for = Duration(days=max(1, min(every_days // 3, 60)))
    return NoticeWindow.model_validate(
        {"every": every, "open_for": open_for, "from": _pick(draw, tuple(WindowFrom))}
    )


@st.composite
def clause_extras_03(draw: st.DrawFn, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields PRODUCT.md 0.3 adds to a clause with ``fields``, each present some of the
    time: a 0.3 boundary for a withdrawal's effect (the Nth month, the turn of the year), a
    notice window on a fixed cycle (an exit clause with no 0.2 window), each party's own
    terms (a clause with terms), and effects that wait out an armed conflict."""
    extra: dict[str, Any] = {}
    if fields["withdrawal"] is not None and draw(st.integers(0, 2)) == 0:
        extra["effect_on"] = _pick(draw, EFFECTS_ON_03)
    exits = fields["withdrawal"] is not None or fields["notice"] is not None
    if exits and fields.get("notice_window") is None and draw(st.integers(0, 2)) == 0:
        extra["notice_window"] = draw(cyclic_windows())
    if fields["term"] is not None and draw(st.integers(0, 1)) == 0:
        extra["terms_from"] = TermsFrom.PARTY
    if draw(st.integers(0, 1)) == 0:
        extra["effect_not_during"] = EffectNotDuring.ARMED_CONFLICT
    return extra


any_clauses = clauses()
renewal_clauses = clauses(exits=("notice",), term=long_durations, renewal=long_durations)
"""Clauses with a renewal notice (GSOMIA's kind)."""

withdrawal_clauses = clauses(exits=("withdrawal",))
"""Clauses with a withdrawal period (the INF Treaty's or the NPT's kind)."""


# --- dates and zones -----------------------------------------------------------------------


@cache
def clock_changes(zone_name: str) -> tuple[datetime, ...]:
    """The instants (UTC) at which the zone's offset changes, from FIRST_YEAR to LAST_YEAR."""
    tz = ZoneInfo(zone_name)
    moment = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
    stop = datetime(LAST_YEAR + 9, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(tz).utcoffset()
    found = []
    while moment < stop:
        following = moment + timedelta(hours=12)
        new_offset = following.astimezone(tz).utcoffset()
        if new_offset != offset:
            low, high = moment, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            found.append(high.replace(microsecond=0))
            offset = new_offset
        moment = following
    return tuple(found)


any_dates = st.dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))
leap_days = st.sampled_from([y for y in range(FIRST_YEAR, LAST_YEAR + 1) if y % 4 == 0]).map(
    lambda y: date(y, 2, 29)
)
thirty_firsts = st.builds(
    lambda y, m: date(y, m, 31),
    st.integers(FIRST_YEAR, LAST_YEAR),
    st.sampled_from([1, 3, 5, 7, 8, 10, 12]),
)
month_ends = st.builds(
    lambda y, m, back: date(y + m // 12, m % 12 + 1, 1) - timedelta(days=back),
    st.integers(FIRST_YEAR, LAST_YEAR - 1),
    st.integers(0, 11),
    st.integers(1, 3),
)


def _pick(draw: st.DrawFn, options: tuple[T, ...] | list[T]) -> T:
    """One of ``options``, drawn as an index (cheaper than a new strategy for each draw,
    and shrinking towards the first)."""
    return options[draw(st.integers(0, len(options) - 1))]


@st.composite
def clock_change_days(draw: st.DrawFn, zone_name: str) -> date:
    """A local date on which the zone's clocks change (any date for a zone without DST)."""
    changes = clock_changes(zone_name)
    if not changes:
        return draw(any_dates)
    tz = ZoneInfo(zone_name)
    skips = [c for c in changes if _local_day(c, tz) - _local_day(c - SECOND, tz) > DAY]
    change = _pick(draw, skips if skips and draw(st.booleans()) else changes)
    before = _local_day(change - SECOND, tz)
    # the day before the change, the day after it began, and the day of the change (the
    # day after the one before, which is a day that never began where a day was skipped)
    return _pick(draw, (before, change.astimezone(tz).date(), before + timedelta(days=1)))


# --- a reference for calendar arithmetic, written independently of sim.core.dates ----------


def month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def reference_add(day: date, months: int, days: int) -> date:
    """Months on the calendar, clipped to the end of the month, then days (both may be
    negative: a subtraction moves the months back first, then the days)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = total // 12, total % 12 + 1
    clipped = date(year, month, min(day.day, month_length(year, month)))
    return date.fromordinal(clipped.toordinal() + days)


def _local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def midnight_exists(day: date, zone_name: str) -> bool:
    """Whether 00:00 on ``day`` exists in the zone (its clocks did not jump over it)."""
    return at_midnight(day, ZoneInfo(zone_name)).time() == time()


@st.composite
def anchor_dates(draw: st.DrawFn, zone_name: str) -> date:
    """Entry into force: any date, 29 February, the 31st, a month's end, a clock change."""
    kind = draw(st.integers(0, 4))
    if kind == 4:
        return draw(clock_change_days(zone_name))
    return draw((any_dates, leap_days, thirty_firsts, month_ends)[kind])


@st.composite
def treaties(
    draw: st.DrawFn,
    clauses: st.SearchStrategy[Clause] | None = None,
    zones: tuple[str, ...] = ZONES,
    parties: tuple[int, int] = (2, 5),
    members: bool = False,
) -> Treaty:
    """A treaty of ``parties`` (two to five) parties in one of the zones. With ``members``
    (PRODUCT.md 0.2, "Parties with their own dates"): some parties bound from their own later
    date, some listed but bound only once they join, or entry into force ``after`` the
    ``parties``-th join (with a date of signature to count the scenario from); and a clause's
    ``earliest_effect`` may be a date."""
    zone_name = _pick(draw, zones)
    count = draw(st.integers(*parties))
    names = list(PARTIES[:count])
    anchor = draw(anchor_dates(zone_name))
    clause = draw(clauses if clauses is not None else any_clauses)
    if not members:
        return Treaty(
            name="Generated treaty",
            parties=names,
            timezone=zone_name,
            in_force=anchor,
            clause=clause,
        )
    if isinstance(clause.earliest_effect, Duration) and draw(st.booleans()):
        dated = anchor + timedelta(days=draw(st.integers(-30, 3000)))
        clause = clause.model_copy(update={"earliest_effect": dated})
    by_count = draw(st.integers(0, 2)) == 0
    entries: list[str | Party] = []
    for name in names:
        kind = draw(st.integers(0, 3))
        if kind == 1:
            entries.append(Party(party=name, in_force=None))
        elif kind == 2:
            later = anchor + timedelta(days=draw(st.integers(0, 400)))
            entries.append(Party(party=name, in_force=later))
        else:
            entries.append(name)
    if by_count:
        rule = EntryIntoForce(
            parties=draw(st.integers(1, count)),
            after=_sometimes(draw, short_delays.map(duration_of), 2),
        )
        return Treaty(
            name="Generated treaty",
            parties=entries,
            timezone=zone_name,
            signed=anchor,
            entry_into_force=rule,
            clause=clause,
        )
    return Treaty(
        name="Generated treaty",
        parties=entries,
        timezone=zone_name,
        in_force=anchor,
        clause=clause,
    )


def anchor_of(treaty: Treaty) -> date:
    """The date a generated treaty's instants are drawn around: entry into force, or
    signature where a count of joins brings the treaty into force."""
    anchor = treaty.in_force or treaty.signed
    assert anchor is not None
    return anchor


any_treaties = treaties()

# --- instants ------------------------------------------------------------------------------


def shifted(moment: datetime, span: timedelta) -> datetime:
    """The instant ``span`` after ``moment`` (elapsed time, not wall clock), in its zone.
    (Adding a timedelta to a zoned datetime moves its wall clock, and may land in a gap.)"""
    return (moment.astimezone(UTC) + span).astimezone(moment.tzinfo)


SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)
small_shifts = st.one_of(
    st.sampled_from(
        [timedelta(0), SECOND, -SECOND, DAY, -DAY, timedelta(hours=-6), timedelta(hours=1)]
    ),
    st.integers(-2 * 3600, 2 * 3600).map(lambda s: timedelta(seconds=s)),
    st.integers(-20 * 86400, 20 * 86400).map(lambda s: timedelta(seconds=s)),
)
"""From a second to a few weeks either way: the instant itself, just before, just after."""


soon = st.one_of(
    st.integers(0, 3600),
    st.integers(0, 40 * 86400),
    st.integers(0, 400 * 86400),
).map(lambda s: timedelta(seconds=s))
"""A short while later: from no time at all to about a year."""


def _scheduled_ends(clause: Clause, in_force: datetime, count: int) -> list[datetime]:
    if clause.term is None:
        return []
    ends = [add(in_force, clause.term)]
    if clause.renewal is not None:
        ends += [add(in_force, clause.term + clause.renewal * k) for k in range(1, count)]
    return ends


@cache
def _landmarks(
    zone_name: str, in_force_day: date, clause: Clause
) -> tuple[tuple[datetime, ...], tuple[datetime, ...]]:
    tz = zone(zone_name)
    in_force = at_midnight(in_force_day, tz)
    ends = _scheduled_ends(clause, in_force, 8)
    choices: list[datetime] = [in_force, *ends]
    window = clause.notice_window.opens if clause.notice_window is not None else None
    for period in (clause.notice, clause.earliest_notice, window):
        if period is not None:
            choices += [subtract(end, period) for end in ends]
    for period in (clause.earliest_notice, clause.accession_delay):
        if period is not None:
            choices.append(add(in_force, period))
    if isinstance(clause.earliest_effect, Duration):
        choices.append(add(in_force, clause.earliest_effect))
    elif clause.earliest_effect is not None:
        choices.append(at_midnight(clause.earliest_effect, tz))
    if clause.notice_window is not None and clause.notice_window.cyclic:
        every, open_for = clause.notice_window.every, clause.notice_window.open_for
        assert every is not None and open_for is not None
        for k in (1, 2, 3):
            choices.append(add(in_force, every * k))
            choices.append(add(in_force, every * k + open_for))
    if clause.withdrawal is not None and clause.effect_on is not None:
        # a receipt whose period ends on the first of a month or on 1 January
        choices += [
            subtract(at_midnight(date(in_force_day.year + y, 1, 1), tz), clause.withdrawal)
            for y in (2, 3)
        ]
    changes = [c.astimezone(tz) for c in clock_changes(zone_name)]
    nearby = [c for c in changes if in_force - 60 * DAY < c < in_force + 3000 * DAY]
    return tuple(choices), tuple(nearby)


@st.composite
def landmarks(draw: st.DrawFn, treaty: Treaty) -> datetime:
    """An instant that matters to the treaty: entry into force, a term's end, a notice
    deadline, the first day a notice may be given, a clock change, or any instant within
    eight years of entry into force."""
    choices, nearby = _landmarks(treaty.timezone, anchor_of(treaty), treaty.clause)
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return _pick(draw, choices)
    if kind == 1 and nearby:
        return _pick(draw, nearby)
    seconds = draw(st.integers(-60 * 86400, 3000 * 86400))
    return shifted(
        at_midnight(anchor_of(treaty), zone(treaty.timezone)), timedelta(seconds=seconds)
    )


@st.composite
def instants(draw: st.DrawFn, treaty: Treaty) -> datetime:
    """Any instant near a landmark, to the second, in the treaty's zone (either occurrence
    of a repeated, fall-back, hour included)."""
    tz = zone(treaty.timezone)
    moment = shifted(draw(landmarks(treaty)), draw(small_shifts)).astimezone(tz)
    return moment.replace(microsecond=0)


@st.composite
def written(draw: st.DrawFn, moment: datetime) -> str | date | datetime:
    """``moment`` as a scenario gives it: a date (at 00:00 local), a local date-time, or a
    date-time with its offset (the only way to name the second of a repeated hour), as text
    or as the date and date-time values YAML reads from unquoted ones."""
    local = moment.replace(tzinfo=None)
    forms = ["offset", "aware value"]
    if not moment.fold:
        forms += ["local", "naive value"]
        if local.time() == time() and moment.utcoffset() == _midnight_offset(moment):
            forms += ["date", "date value"]
    form = _pick(draw, forms)
    if form == "date":
        return local.date().isoformat()
    if form == "date value":
        return local.date()
    if form == "local":
        return local.isoformat(timespec="seconds")
    if form == "naive value":
        return local
    offset = moment.utcoffset()
    assert offset is not None
    if form == "aware value":
        return moment.astimezone(timezone(offset))
    return moment.isoformat(timespec="seconds")


def _midnight_offset(moment: datetime) -> timedelta | None:
    assert moment.tzinfo is not None
    return at_midnight(moment.date(), moment.tzinfo).utcoffset()


# --- actions and scenarios -----------------------------------------------------------------

NOTICE_LIFE = {
    "none": (ActionKind.NOTIFY,),
    "pending": (ActionKind.SUSPEND_NOTICE, ActionKind.WITHDRAW_NOTICE, ActionKind.NOTIFY),
    "suspended": (ActionKind.RESUME_NOTICE, ActionKind.WITHDRAW_NOTICE, ActionKind.SUSPEND_NOTICE),
}
"""The next steps of a notice's life, and where each leads (a story the actions tell)."""
AFTER = {
    ActionKind.NOTIFY: "pending",
    ActionKind.SUSPEND_NOTICE: "suspended",
    ActionKind.RESUME_NOTICE: "pending",
    ActionKind.WITHDRAW_NOTICE: "none",
    ActionKind.JOIN: "none",
}


@st.composite
def action_at(
    draw: st.DrawFn,
    treaty: Treaty,
    kind: ActionKind,
    party: str,
    moment: datetime,
    extension_periods: st.SearchStrategy[str],
    extras: bool = False,
) -> Action:
    """An action of ``kind`` at ``moment``; ``party`` acts unless the parties agree. With
    ``extras`` (PRODUCT.md 0.2), a notice may name the date it takes effect (before or after
    the clause's own effect) and a suspension may last ``for`` a while or ``until`` an instant."""
    at = draw(written(moment))
    if kind is ActionKind.TERMINATE:
        return Action(at=at, do=kind)
    if kind is ActionKind.EXTEND:
        if draw(st.booleans()):
            return Action(at=at, do=kind, period=draw(extension_periods))
        through = moment.date() + timedelta(days=draw(st.integers(-30, 1500)))
        return Action(at=at, do=kind, through=through)
    # A named date or a suspension's end at or before the action is refused at load
    # (docs/decisions.md), so they come at least two days after it: however each is written
    # (a date, a local time, an instant with an offset), it reads as later.
    if extras and kind is ActionKind.NOTIFY and draw(st.integers(0, 2)) == 0:
        named = shifted(moment, timedelta(seconds=draw(st.integers(2 * 86400, 1500 * 86400))))
        if draw(st.booleans()):
            named = at_midnight(named.date(), named.tzinfo or UTC)
        return Action(at=at, by=party, do=kind, effective=draw(written(named)))
    if extras and kind is ActionKind.SUSPEND_NOTICE and draw(st.integers(0, 2)):
        if draw(st.booleans()):
            return Action(at=at, by=party, do=kind, for_=draw(durations))
        until = shifted(moment, draw(soon) + timedelta(days=2))
        return Action(at=at, by=party, do=kind, until=draw(written(until)))
    return Action(at=at, by=party, do=kind)


@st.composite
def stories(
    draw: st.DrawFn,
    treaty: Treaty,
    kinds: tuple[ActionKind, ...] = tuple(ActionKind),
    max_actions: int = 8,
    extension_periods: st.SearchStrategy[str] = durations,
    extras: bool = False,
    conflicts: bool = False,
) -> list[Action]:
    """Up to ``max_actions`` actions at instants near the treaty's landmarks, in any file
    order. Most follow a notice's life (notify, suspend, resume or withdraw, by one or two
    parties; with ``extras``, join again once gone) so that many apply; the others are of any
    kind in ``kinds``, by any party or by one that is not a party, and may well be rejected.
    Where ``join`` is a kind, parties not yet bound may join first, near the treaty's dates
    (entry into force by a count of joins included)."""
    count = draw(st.integers(0, max_actions))
    moments: list[datetime] = []
    for _ in range(count):
        if moments and draw(st.integers(0, 2)):
            # soon after the one before: a suspension before the notice takes effect, ...
            moments.append(shifted(moments[-1], draw(soon)))
        else:
            moments.append(draw(instants(treaty)))
    moments.sort(key=lambda moment: moment.astimezone(UTC))
    names = treaty.party_names
    steps = []
    outside = [p for p in names if treaty.party_in_force(p) is None]
    joiners: list[str] = []
    if outside and ActionKind.JOIN in kinds:
        joiners = list(draw(st.permutations(outside)))
        if draw(st.integers(0, 3)) == 0:
            joiners = joiners[: draw(st.integers(0, len(joiners)))]
        start = at_midnight(anchor_of(treaty), zone(treaty.timezone))
        for party in joiners:
            early = draw(st.integers(-90 * 86400, 60 * 86400) | st.integers(0, 400 * 86400))
            moment = shifted(start, timedelta(seconds=early))
            steps.append(draw(action_at(treaty, ActionKind.JOIN, party, moment, durations)))
    actors = joiners or names
    actors = actors[: draw(st.integers(1, 2))]
    life = dict.fromkeys(actors, "none")
    notices: dict[str, list[datetime]] = {}
    for moment in moments:
        party = _pick(draw, actors)
        follow = [k for k in NOTICE_LIFE[life[party]] if k in kinds]
        if extras and life[party] == "pending" and ActionKind.JOIN in kinds:
            follow.append(ActionKind.JOIN)  # once the withdrawal has taken effect
        if follow and draw(st.integers(0, 2)):
            kind = _pick(draw, follow)
            life[party] = AFTER[kind]
        else:
            kind = _pick(draw, kinds)
            party = OUTSIDER if draw(st.integers(0, 19)) == 0 else _pick(draw, names)
        steps.append(draw(action_at(treaty, kind, party, moment, extension_periods, extras)))
        if kind is ActionKind.NOTIFY:
            notices.setdefault(party, []).append(moment)
    if conflicts:
        steps += draw(armed_conflicts(treaty, actors, moments, notices))
    if (count > 1 or (conflicts and len(steps) > 1)) and draw(st.booleans()):
        steps = list(draw(st.permutations(steps)))
    return steps


@st.composite
def armed_conflicts(
    draw: st.DrawFn,
    treaty: Treaty,
    actors: list[str],
    moments: list[datetime],
    notices: dict[str, list[datetime]],
) -> list[Action]:
    """For some of the acting parties, an armed conflict (PRODUCT.md 0.3, "Effects that wait
    out an armed conflict"): ``enter_armed_conflict`` near the story's instants (often just
    before or at a notice's effect), and ``end_armed_conflict`` a while later, or never, or
    (rarely) an end with no beginning."""
    steps = []
    for party in actors:
        if draw(st.integers(0, 2)) == 0:
            continue
        period = treaty.clause.withdrawal
        given = notices.get(party, [])
        if given and period is not None and draw(st.integers(0, 3)):
            # around the effect of the party's notice (a withdrawal's period after it)
            effect = add(_pick(draw, given), period)
            begin = shifted(effect, -draw(soon) + draw(small_shifts))
        elif moments and draw(st.booleans()):
            begin = shifted(_pick(draw, moments), draw(soon))
        else:
            begin = draw(instants(treaty))
        kinds = [ActionKind.ENTER_ARMED_CONFLICT, ActionKind.END_ARMED_CONFLICT]
        if draw(st.integers(0, 5)) == 0:
            kinds = kinds[1:]
        for kind in kinds:
            steps.append(draw(action_at(treaty, kind, party, begin, durations)))
            begin = shifted(begin, draw(soon))
        if draw(st.integers(0, 3)) == 0:
            steps.pop()  # a conflict that has not ended by the horizon
    return steps


@st.composite
def horizons(draw: st.DrawFn, treaty: Treaty, acts: list[Action]) -> date | None:
    """None (three years after the last action) or a date after every action."""
    if draw(st.booleans()):
        return None
    tz = zone(treaty.timezone)
    moments = [as_instant(a.at, tz) for a in acts] or [at_midnight(anchor_of(treaty), tz)]
    last = max(moments, key=lambda moment: moment.astimezone(UTC)).date()
    return last + timedelta(days=draw(st.integers(1, 1500)))


INTERPRETATIONS = tuple(Interpretation)


@st.composite
def scenarios(
    draw: st.DrawFn,
    treaties: st.SearchStrategy[Treaty] | None = None,
    kinds: tuple[ActionKind, ...] = tuple(ActionKind),
    max_actions: int = 8,
    extension_periods: st.SearchStrategy[str] = durations,
    interpretations: tuple[Interpretation, ...] = INTERPRETATIONS,
    extras: bool = False,
    conflicts: bool = False,
) -> Scenario:
    """A scenario: a treaty, a story of actions, an interpretation and a horizon (with
    ``extras``, actions in the 0.2 language: see :func:`action_at`)."""
    treaty = draw(treaties if treaties is not None else any_treaties)
    acts = draw(stories(treaty, kinds, max_actions, extension_periods, extras, conflicts))
    return Scenario(
        name="Generated scenario",
        treaty=treaty,
        interpretation=_pick(draw, interpretations),
        horizon=draw(horizons(treaty, acts)),
        actions=acts,
    )


# --- the clause language of version 0.2 ----------------------------------------------------

clauses_02 = clauses(extras=True)
"""Any clause, with the fields PRODUCT.md 0.2 adds (earliest_effect, effect_on, survival,
notice_window, max_extension, accession_delay), each some of the time."""

treaties_02 = treaties(clauses=clauses_02, members=True)
"""Treaties whose parties may have their own dates or join, or that enter into force by a
count of joins, with 0.2 clauses."""

KINDS_02 = tuple(
    kind
    for kind in ActionKind
    if kind.value
    in {
        "notify",
        "suspend_notice",
        "resume_notice",
        "withdraw_notice",
        "extend",
        "terminate",
        "suspend_operation",
        "resume_operation",
        "join",
    }
)
"""The actions of version 0.2 (PRODUCT.md, "Actions" and 0.2), named, so that an action a
later version adds is not drawn into a 0.2 scenario."""

scenarios_02 = scenarios(treaties=treaties_02, kinds=KINDS_02, extras=True)
"""Scenarios in the whole 0.2 language: 0.2 treaties, notices naming their date, timed
suspensions, joins and re-accessions, under every interpretation, counting and zone."""

notice_stories_02 = scenarios(
    treaties=treaties_02,
    kinds=(
        ActionKind.NOTIFY,
        ActionKind.SUSPEND_NOTICE,
        ActionKind.SUSPEND_NOTICE,
        ActionKind.RESUME_NOTICE,
        ActionKind.WITHDRAW_NOTICE,
        ActionKind.EXTEND,
        ActionKind.JOIN,
    ),
    extras=True,
)
"""Scenarios in the 0.2 language rich in a notice's life: timed suspensions (``for`` or
``until``) that run out, are re-timed by a second one, or are overtaken by a resumption or a
withdrawal; notices naming their date; extensions; joins."""


# --- the clause language of version 0.3 ----------------------------------------------------

clauses_03 = clauses(extras=True, extras_03=True)
"""Any clause, with the fields PRODUCT.md 0.2 and 0.3 add, each some of the time: the Nth
month and the turn of the year, windows on a fixed cycle, each party's own terms, effects
that wait out an armed conflict."""

treaties_03 = treaties(clauses=clauses_03, members=True)
"""Treaties in the 0.3 language, whose parties may have their own dates or join."""

scenarios_03 = scenarios(treaties=treaties_03, kinds=KINDS_02, extras=True, conflicts=True)
"""Scenarios in the whole 0.3 language: 0.3 treaties, the 0.2 actions (notices naming their
date, timed suspensions, joins) and armed conflicts entered and ended around them."""

conflict_treaties = treaties(
    clauses=clauses(exits=("withdrawal",), extras=True, extras_03=True).map(
        lambda clause: clause.model_copy(
            update={"effect_not_during": EffectNotDuring.ARMED_CONFLICT}
        )
    ),
    zones=ZONES,
)
"""Treaties with a withdrawal clause whose effects wait out an armed conflict (Ottawa
Convention art. 20(3)), otherwise in the whole 0.3 language."""

conflict_stories = scenarios(
    treaties=conflict_treaties,
    kinds=(
        ActionKind.NOTIFY,
        ActionKind.SUSPEND_NOTICE,
        ActionKind.RESUME_NOTICE,
        ActionKind.WITHDRAW_NOTICE,
        ActionKind.EXTEND,
    ),
    extras=True,
    conflicts=True,
)
"""Withdrawals and their life (timed suspensions, resumptions, withdrawals, extensions) with
armed conflicts entered and ended around their effects."""
