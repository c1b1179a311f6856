"""Invariants of treaty-sim, each a property test (docs/properties.md lists them all, with
the claims that turned out false and their counterexamples).

The date rules are checked against small reference computations written here, not against
sim/core/dates.py itself; the timeline invariants run the SimPy engine."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from closed_form import outcome
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import (
    DAY,
    OUTSIDER,
    SECOND,
    ZONES,
    ZONES_WITH_DST,
    ZONES_WITHOUT_DST,
    any_dates,
    clauses,
    clock_changes,
    day_durations,
    duration_of,
    durations,
    instants,
    long_durations,
    month_length,
    reference_add,
    scenarios,
    scenarios_02,
    shifted,
    soon,
    treaties,
    written,
)

from sim.core.dates import (
    Counting,
    DateError,
    Duration,
    add,
    add_wall_clock,
    as_instant,
    at_midnight,
    ensure_aware,
    iso,
    last_day,
    local_date,
    notice_deadline,
    parse_local,
    period_end,
    subtract,
    wall_clock_difference,
    whole_days_between,
    zone,
)
from sim.core.model import Action, ActionKind, EventKind, Interpretation, LateNotice, Scenario
from sim.core.timeline import Timeline
from sim.engine import run
from sim.render import dumps, timeline_json

UTC = ZoneInfo("UTC")
ROOT = Path(__file__).resolve().parent.parent


def simulate(scenario: Scenario, interpretation: Interpretation | None = None) -> Timeline:
    assert not isinstance(scenario.treaty, str)
    return run(scenario, scenario.treaty, interpretation)


def output(timeline: Timeline) -> str:
    """The ``run --format json`` document, as bytes would be written."""
    return dumps(timeline_json(timeline))


def moment_of(scenario: Scenario, action: Action) -> datetime:
    assert not isinstance(scenario.treaty, str)
    return as_instant(action.at, zone(scenario.treaty.timezone))


def with_actions(scenario: Scenario, actions: list[Action], horizon: date | None) -> Scenario:
    return scenario.model_copy(update={"actions": actions, "horizon": horizon})


class _NoOffset(tzinfo):
    """A time zone that gives no offset: a date-time with it is as naive as one without."""

    def utcoffset(self, moment: datetime | None) -> timedelta | None:
        return None


def real(moment: datetime) -> datetime:
    """The instant in UTC, for comparing: Python compares two datetimes of one zone by their
    wall clocks, which misorders the two occurrences of a repeated hour."""
    return moment.astimezone(UTC)


def wall(moment: datetime) -> datetime:
    """The local wall-clock reading of an instant."""
    return moment.replace(tzinfo=None)


def exists(local: datetime, tz: ZoneInfo) -> bool:
    """Whether a wall-clock time exists in ``tz`` (it is not in a spring-forward gap)."""
    return wall(local.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)) == local


# --- dates: references written from PRODUCT.md, "Time" ------------------------------------


month_counts = st.integers(0, 40)
day_counts = st.integers(0, 800)
some_zones = st.sampled_from(ZONES)


# Writing a duration as 90d, 2w, 6mo, 1y or their ISO forms gives the months and days they
# say (a week is seven days, a year twelve months), and a duration prints back to a text that
# reads as itself.
@given(st.integers(1, 5000), st.sampled_from(["d", "w", "mo", "y", "D", "W", "M", "Y"]))
def test_a_written_duration_means_what_it_says(count: int, unit: str) -> None:
    text = f"P{count}{unit}" if unit.isupper() else f"{count}{unit}"
    months, days = {"d": (0, 1), "w": (0, 7), "mo": (1, 0), "y": (12, 0)}[
        {"D": "d", "W": "w", "M": "mo", "Y": "y"}.get(unit, unit)
    ]
    parsed = Duration.parse(text)
    assert (parsed.months, parsed.days) == (count * months, count * days)
    assert Duration.parse(str(parsed)) == parsed


# A scenario written out by the models (as JSON data) reads back as the same scenario: every
# duration, date, instant and choice survives the trip.
@given(scenarios())
def test_a_scenario_reads_back_as_itself(scenario: Scenario) -> None:
    data = scenario.model_dump(mode="json")
    assert Scenario.model_validate(data).model_dump(mode="json") == data
    assert simulate(Scenario.model_validate(data)).events == simulate(scenario).events


# A zero, negative or malformed duration is refused with a DateError, never read as something.
@given(st.sampled_from(["0d", "P0D", "-1d", "1x", "", "P", "1.5y", "d1", "P1H", "1 y 2"]))
def test_a_duration_that_is_not_one_is_refused(text: str) -> None:
    try:
        Duration.parse(text)
    except DateError as error:
        assert repr(text) in str(error)  # the message quotes what was written
        return
    raise AssertionError(f"{text!r} was read as a duration")


# A duration of up to 100,000 of a unit is read; one beyond is refused as too long (the
# bound keeps a typo from running for ever), whichever of its components is too long.
@given(
    st.integers(1, 100_000) | st.just(100_000),
    st.sampled_from(["d", "mo", "D", "M"]),
    st.integers(0, 3),
)
def test_a_duration_too_long_is_refused(count: int, unit: str, more: int) -> None:
    text = f"P{count}{unit}" if unit.isupper() else f"{count}{unit}"
    written = Duration.parse(text)
    assert (written.months if unit in ("mo", "M") else written.days) == count
    too_long = f"P{100_001 + more}{unit}" if unit.isupper() else f"{100_001 + more}{unit}"
    try:
        Duration.parse(too_long)
    except DateError as error:
        assert str(error) == f"{too_long!r} is too long a duration"
    else:
        raise AssertionError(f"{too_long} was read")


# A zone that is not an IANA zone, a naive date-time, or text that is not a date is refused
# with a DateError that quotes it.
@given(st.sampled_from(["Mars/Olympus", "", "Asia/Seoul ", "UTC+9", "../etc/passwd"]))
def test_what_is_not_a_zone_or_an_instant_is_refused(name: str) -> None:
    for attempt, quoted in (
        (lambda: zone(name), repr(name)),
        (lambda: parse_local(f"2019-02-3{name}", UTC), repr(f"2019-02-3{name}".strip())),
    ):
        try:
            attempt()
        except DateError as error:
            assert quoted in str(error)
        else:
            raise AssertionError("not refused")
    for naive in (datetime(2019, 8, 23), datetime(2019, 8, 23, tzinfo=_NoOffset())):
        try:
            ensure_aware(naive)
        except DateError as error:
            assert "has no time zone" in str(error)
        else:
            raise AssertionError("a naive date-time was let in")
    for fraction in ("2019-08-23T00:00:00.5", datetime(2019, 8, 23, 0, 0, 0, 5)):
        try:
            as_instant(fraction, UTC)
        except DateError as error:
            assert "times are to the second" in str(error)
        else:
            raise AssertionError("a fraction of a second was let in")


# Adding months and days to a date at 00:00 UTC moves the calendar month first (clipped to
# the end of the month: Jan 31 + 1mo = Feb 28 or 29), then the days; subtracting mirrors it.
@given(any_dates, month_counts, day_counts)
def test_calendar_arithmetic_clips_to_the_end_of_the_month(
    day: date, months: int, days: int
) -> None:
    start = at_midnight(day, UTC)
    moved = add(start, Duration(months, days))
    assert moved == datetime.combine(reference_add(day, months, days), time(), UTC)
    back = subtract(start, Duration(months, days))
    total = day.year * 12 + day.month - 1 - months
    year, month = total // 12, total % 12 + 1
    clipped = date(year, month, min(day.day, month_length(year, month)))
    assert back == datetime.combine(clipped - timedelta(days=days), time(), UTC)


# Calendar arithmetic past the years 1 to 9999 is refused with a DateError that names the
# range (the engine turns it into "choose an earlier horizon"), never an OverflowError.
@given(some_zones, st.integers(0, 86399), st.integers(1, 30), st.booleans())
def test_arithmetic_out_of_range_is_refused_with_the_range(
    zone_name: str, second: int, months: int, by_wall_clock: bool
) -> None:
    tz = ZoneInfo(zone_name)
    late = as_instant(datetime(9999, 12, 1) + timedelta(seconds=second), tz)
    early = as_instant(datetime(1, 1, 31) + timedelta(seconds=second), tz)
    attempts = [
        lambda: add(late, Duration(months, 0)),
        lambda: add(late, Duration(0, 31 * months)),
        lambda: subtract(early, Duration(months, 0)),
        lambda: subtract(early, Duration(0, 31 * months)),
        lambda: add_wall_clock(late, timedelta(days=31 * months)),
    ]
    for attempt in attempts[4:] if by_wall_clock else attempts[:4]:
        try:
            attempt()
        except DateError as error:
            assert str(error) == "date out of range (years 1 to 9999)"
        else:
            raise AssertionError("no DateError")
    # ... while the first and the last year themselves are reachable
    assert add(as_instant(datetime(9998, 12, 1), UTC), Duration(12, 0)).year == 9999
    assert subtract(as_instant(datetime(2, 1, 31), UTC), Duration(12, 0)).year == 1


# Calendar arithmetic keeps the local wall-clock time where it exists; a time that falls in a
# spring-forward gap moves forward by the gap, and one that exists twice is the earlier of
# the two (the "compatible" reading of RFC 5545).
@given(some_zones, any_dates, st.integers(0, 86399), month_counts, day_counts)
def test_calendar_arithmetic_keeps_the_wall_clock(
    zone_name: str, day: date, second: int, months: int, days: int
) -> None:
    tz = ZoneInfo(zone_name)
    start = as_instant(datetime.combine(day, time()) + timedelta(seconds=second), tz)
    moved = add(start, Duration(months, days))
    target = datetime.combine(reference_add(local_date(start), months, days), wall(start).time())
    if exists(target, tz):
        assert wall(moved) == target
        assert real(moved) == real(target.replace(tzinfo=tz, fold=0))
        # a wall-clock time that exists twice is the earlier of the two, whatever its fold
        assert real(as_instant(target.replace(fold=1), tz)) == real(moved)
    else:
        gap = (
            target.replace(tzinfo=tz, fold=1).utcoffset()
            - target.replace(  # type: ignore[operator]
                tzinfo=tz, fold=0
            ).utcoffset()
        )
        assert wall(moved) == target - gap or wall(moved) == target + abs(gap)
        assert moved > target.replace(tzinfo=tz).astimezone(UTC) - abs(gap)


# A wall-clock time that exists twice (the hour before a fall-back) is the earlier of the
# two, whether or not it carries fold=1; the second occurrence is named by its offset.
@given(st.sampled_from(ZONES_WITH_DST), st.data())
def test_a_repeated_wall_clock_time_is_the_first_occurrence(
    zone_name: str, data: st.DataObject
) -> None:
    tz = ZoneInfo(zone_name)
    changes = clock_changes(zone_name)
    fall_backs = [
        c for c in changes if (c - SECOND).astimezone(tz).utcoffset() > c.astimezone(tz).utcoffset()
    ]
    change = data.draw(st.sampled_from(fall_backs))
    before = data.draw(st.integers(1, 1800))
    first = (change - timedelta(seconds=before)).astimezone(tz)
    local = wall(first)
    second = first.replace(fold=1)
    assert real(second) > real(first)  # it does exist twice
    assert real(as_instant(local, tz)) == real(first)
    assert real(as_instant(local.replace(fold=1), tz)) == real(first)
    assert real(parse_local(local.isoformat(), tz)) == real(first)
    assert real(as_instant(second.isoformat(), tz)) == real(second)


# A date without a time means 00:00 local on that date; where 00:00 does not exist (clocks
# jump at midnight) it is the first instant of that date: the instant is on that date and
# the second before it is on the day before. Where the zone skipped the whole date (Samoa,
# 30 December 2011: docs/dates.md), it is the first instant after it: on a later date, the
# second before it on an earlier one.
@given(some_zones, any_dates)
def test_a_date_means_the_first_instant_of_that_local_day(zone_name: str, day: date) -> None:
    tz = ZoneInfo(zone_name)
    midnight = at_midnight(day, tz)
    before = local_date(shifted(midnight, -timedelta(seconds=1)))
    if local_date(midnight) == day:
        assert before == day - DAY
    else:  # a date the zone skipped: it has no instant of its own
        assert local_date(midnight) > day > before
    assert as_instant(day, tz) == midnight
    assert parse_local(day.isoformat(), tz) == midnight


# Counting "exact": a period from an event at t ends at t + period. Counting "whole_days":
# the day of the event is not counted; a period from local date d ends at 00:00 of the day
# after d + period.
@given(some_zones, any_dates, st.integers(0, 86399), month_counts, day_counts)
def test_a_period_ends_as_its_counting_says(
    zone_name: str, day: date, second: int, months: int, days: int
) -> None:
    assume(months or days)
    tz = ZoneInfo(zone_name)
    event = as_instant(datetime.combine(day, time()) + timedelta(seconds=second), tz)
    period = Duration(months, days)
    assert period_end(event, period, Counting.EXACT) == add(event, period)
    counted = period_end(event, period, Counting.WHOLE_DAYS)
    expected_day = reference_add(local_date(event), months, days) + DAY
    assert counted == at_midnight(expected_day, tz)
    assert counted > event


# A renewal notice is in time if received before end - notice (exact), or on or before the
# local date (end - notice) - 1 day (whole_days); the notice deadline is the first instant
# that is too late, so every instant before it is in time and every one from it is late.
@given(
    some_zones,
    any_dates,
    st.sampled_from([0, 0, 1, 3600, 43200, 86399]) | st.integers(0, 86399),
    durations,
    st.integers(-3 * 86400, 3 * 86400),
)
def test_the_notice_deadline_is_the_first_late_instant(
    zone_name: str, day: date, second: int, notice: str, offset: int
) -> None:
    tz = ZoneInfo(zone_name)
    end = as_instant(datetime.combine(day, time()) + timedelta(seconds=second), tz)
    period = duration_of(notice)
    latest = subtract(end, period)
    exact = notice_deadline(end, period, Counting.EXACT)
    assert exact == latest
    whole = notice_deadline(end, period, Counting.WHOLE_DAYS)
    received = shifted(whole, timedelta(seconds=offset))
    in_time = local_date(received) <= local_date(latest) - DAY
    assert (real(received) < real(whole)) == in_time
    assert real(whole) <= real(exact)
    assert local_date(whole) == local_date(latest)


# The last day in force of a term [start, end) is the local date of the last instant before
# end: an end at 00:00 on 23 November gives 22 November.
@given(some_zones, any_dates, st.integers(0, 86399))
def test_the_last_day_is_the_date_of_the_last_instant_before_the_end(
    zone_name: str, day: date, second: int
) -> None:
    tz = ZoneInfo(zone_name)
    end = as_instant(datetime.combine(day, time()) + timedelta(seconds=second), tz)
    before = shifted(end, -timedelta(microseconds=1))
    assert last_day(end) == before.date()
    if end == at_midnight(day, tz):
        assert last_day(end) == day - DAY


# Wall-clock spans: the span from a to b added on the wall clock to a gives back b's wall
# clock; whole days between two instants are the wall-clock days, rounded down.
@given(some_zones, any_dates, st.integers(0, 86399), st.integers(-400 * 86400, 400 * 86400))
def test_wall_clock_spans_add_back(zone_name: str, day: date, second: int, span: int) -> None:
    tz = ZoneInfo(zone_name)
    start = as_instant(datetime.combine(day, time()) + timedelta(seconds=second), tz)
    other = shifted(start, timedelta(seconds=span))
    difference = wall_clock_difference(start, other)
    assert difference == wall(other) - wall(start)
    assert whole_days_between(start, other) == (wall(other) - wall(start)) // DAY
    back = add_wall_clock(start, difference)
    assert wall(back) == wall(other)
    if other.fold == 0:
        assert real(back) == real(other)
    else:
        assert real(add_wall_clock(start, difference, second=True)) == real(other)


# A wall-clock sum that exists twice (the hour before a fall-back) is its first occurrence,
# or its second when asked (a notice resumed in the second occurrence takes effect after
# it); one that exists once, or not at all (a spring-forward gap), is the same either way.
# The occurrences are found with Python's own fold (PEP 495), not with sim.core.dates.
@given(st.sampled_from(ZONES_WITH_DST), st.data())
def test_a_wall_clock_sum_in_a_repeated_hour_is_either_occurrence(
    zone_name: str, data: st.DataObject
) -> None:
    tz = ZoneInfo(zone_name)
    change = data.draw(st.sampled_from(clock_changes(zone_name)), label="change")
    # a wall-clock time near the change: in its gap or its repeated hour, or beside them
    target = wall(change.astimezone(tz)) + timedelta(seconds=data.draw(st.integers(-7200, 7200)))
    before = timedelta(seconds=data.draw(st.integers(0, 400 * 86400)))
    start = shifted(change.astimezone(tz), -before)
    span = target - wall(start)
    occurrences = [target.replace(tzinfo=tz, fold=fold) for fold in (0, 1)]
    exists = [wall(real(o).astimezone(tz)) == target for o in occurrences]
    first, second = add_wall_clock(start, span), add_wall_clock(start, span, second=True)
    if all(exists) and real(occurrences[0]) != real(occurrences[1]):
        assert real(first) == real(occurrences[0])
        assert real(second) == real(occurrences[1])
        assert real(second) > real(first)
    else:
        assert real(second) == real(first)
        if any(exists):
            assert wall(first) == target


# Output instants are ISO 8601 with offset and seconds, and read back as the same instant.
@given(some_zones, any_dates, st.integers(0, 86399))
def test_instants_are_written_with_offset_and_seconds(
    zone_name: str, day: date, second: int
) -> None:
    tz = ZoneInfo(zone_name)
    moment = as_instant(datetime.combine(day, time()) + timedelta(seconds=second), tz)
    text = iso(moment)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d(:\d\d)?", text), text
    # (compared in UTC: Python never finds a time in a repeated hour equal to one in another
    # zone, PEP 495)
    assert real(datetime.fromisoformat(text)) == real(moment)


# --- timelines ------------------------------------------------------------------------------

ordered_scenarios = scenarios()


# Every instant in the output is in the treaty's zone (PRODUCT.md, "Time": "Output instants
# are ISO 8601 with offset ... in the treaty's zone"), whatever zone or form the actions were
# written in.
@given(scenarios() | scenarios_02)
def test_every_instant_is_in_the_treaty_zone(scenario: Scenario) -> None:
    timeline = simulate(scenario)
    tz = ZoneInfo(timeline.timezone)
    moments = [timeline.horizon, timeline.in_force, timeline.terminated_at]
    moments += [*timeline.bound_until.values(), *timeline.survives_until.values()]
    for term in timeline.terms:
        moments += [term.start, term.end, term.notice_deadline]
    for event in timeline.events:
        moments += [event.at, event.effective]
    for moment in moments:
        if moment is not None:
            assert moment.utcoffset() == moment.astimezone(tz).utcoffset()
            assert iso(moment) == iso(moment.astimezone(tz))


# Terms are contiguous and never overlap: term 1 starts at entry into force, each term
# starts where the one before ended, none ends before it starts, and they are numbered 1, 2,
# 3... A term's outcome is "running" or "extended" only for the last one.
@given(scenarios() | scenarios_02)
def test_terms_are_contiguous_and_never_overlap(scenario: Scenario) -> None:
    timeline = simulate(scenario)
    terms = timeline.terms
    assert [t.number for t in terms] == list(range(1, len(terms) + 1))
    if terms:
        assert terms[0].start == timeline.in_force
    for before, after in itertools.pairwise(terms):
        assert before.end == after.start
        assert before.outcome.value in ("renewed", "extended")
    for term in terms:
        assert term.end is None or real(term.start) <= real(term.end)
        assert term.notice_deadline is None or term.scheduled_end is not None
    if timeline.terminated_at is not None:
        assert terms[-1].end == timeline.terminated_at
        assert terms[-1].outcome.value in ("terminated", "expired")


# --- the clause language of version 0.2 ------------------------------------------------------


# Survival (PRODUCT.md 0.2): a party has `survives_until` only where the clause has
# `survival`, and then it is `survival` after the instant a notice took effect and released
# it (its own withdrawal, or the end of the treaty that a notice brought about), with a
# `survival_ended` event then if that is before the horizon. The engine and the closed form
# give the same `survives_until` for every party.
@given(scenarios_02)
def test_obligations_survive_a_withdrawal_for_the_survival_period(scenario: Scenario) -> None:
    assert not isinstance(scenario.treaty, str)
    clause = scenario.treaty.clause
    timeline = simulate(scenario)
    closed = outcome(scenario, scenario.treaty)
    assert {p: v for p, v in timeline.survives_until.items() if v is not None} == {
        p: v for p, v in closed.survives_until if v is not None
    }
    released = {
        (e.by if e.kind is EventKind.WITHDRAWAL_EFFECTIVE else None, e.at)
        for e in timeline.events
        if e.kind in (EventKind.WITHDRAWAL_EFFECTIVE, EventKind.TERMINATED)
        and (e.reason or "").startswith("notice of")
    }
    for party, until in timeline.survives_until.items():
        if until is None:
            continue
        assert clause.survival is not None
        assert any(
            who in (party, None) and add(at, clause.survival) == until for who, at in released
        ), party
        ended = [
            e.at for e in timeline.events if e.kind is EventKind.SURVIVAL_ENDED and e.by == party
        ]
        if real(until) < real(timeline.horizon):
            assert until in ended


# A notice naming its date (PRODUCT.md 0.2, "Notice naming a later date") takes effect then
# when it is accepted, and is accepted only if that date is not earlier than the effect the
# clause would give the same notice without it (which the closed form tells).
@given(scenarios_02)
def test_a_notice_takes_effect_on_the_date_it_names_or_is_rejected(scenario: Scenario) -> None:
    assert not isinstance(scenario.treaty, str)
    tz = zone(scenario.treaty.timezone)
    timeline = simulate(scenario)
    given_ = {
        (e.at, e.by): e.effective for e in timeline.events if e.kind is EventKind.NOTICE_GIVEN
    }
    for action in scenario.actions:
        if action.effective is None:
            continue
        moment, named = as_instant(action.at, tz), as_instant(action.effective, tz)
        twins = [
            a
            for a in scenario.actions
            if a.do is ActionKind.NOTIFY and a.by == action.by and as_instant(a.at, tz) == moment
        ]
        if (moment, action.by) not in given_ or len(twins) > 1:
            continue  # rejected, or not the only notice by that party at that instant
        assert given_[(moment, action.by)] == named
        # the same notice, naming nothing, at the same point of the same scenario
        plain = [
            a.model_copy(update={"effective": None}) if a is action else a for a in scenario.actions
        ]
        rule = [
            n.effective
            for n in outcome(
                with_actions(scenario, plain, scenario.horizon), scenario.treaty
            ).notices
            if n.at == moment and n.by == action.by and not n.resumed
        ]
        assert rule and rule[0] is not None and real(rule[0]) <= real(named)


# Absent extensions, every term that ran its course ended at in_force + term + (n-1)·renewal
# in local time, computed from the anchor (never by adding a renewal to the previous end);
# the notice deadline of every term is that end less the notice, by the clause's counting.
@given(scenarios(kinds=tuple(k for k in ActionKind if k is not ActionKind.EXTEND)))
def test_every_term_end_is_counted_from_entry_into_force(scenario: Scenario) -> None:
    assert not isinstance(scenario.treaty, str)
    timeline = simulate(scenario)
    clause = scenario.treaty.clause
    tz = ZoneInfo(scenario.treaty.timezone)
    for term in timeline.terms:
        if clause.term is None:
            assert term.scheduled_end is None and term.notice_deadline is None
            continue
        steps = term.number - 1
        total = clause.term + (clause.renewal * steps if steps and clause.renewal else Duration())
        local = reference_add(scenario.treaty.in_force, total.months, total.days)
        assert term.scheduled_end == at_midnight(local, tz)
        if term.outcome.value in ("renewed", "running"):
            assert term.end == term.scheduled_end
        if clause.notice is None:
            assert term.notice_deadline is None
        else:
            # counted from the end's date, even on a day that began at 01:00 (or never began)
            notice = clause.notice
            before = reference_add(local, -notice.months, -notice.days)
            assert term.notice_deadline == at_midnight(before, tz)


@st.composite
def single_notices(
    draw: st.DrawFn,
    zones: tuple[str, ...] = ZONES,
    late_notices: tuple[LateNotice, ...] = tuple(LateNotice),
    exits: tuple[str, ...] = ("notice", "withdrawal"),
    parties: tuple[int, int] = (2, 5),
) -> tuple[Scenario, Scenario]:
    """A treaty with an exit clause, and the same scenario without and with one notice by
    its first party, with a horizon long after it."""
    lengths = long_durations if exits == ("notice",) else None
    clause = draw(
        clauses(
            exits=exits, earliest=False, late_notices=late_notices, term=lengths, renewal=lengths
        )
    )
    treaty = draw(treaties(clauses=st.just(clause), zones=zones, parties=parties))
    moment = draw(instants(treaty))
    assume(real(moment) >= real(at_midnight(treaty.in_force, zone(treaty.timezone))))
    notice = Action(at=draw(written(moment)), by=treaty.parties[0], do=ActionKind.NOTIFY)
    horizon = moment.date() + timedelta(days=draw(st.integers(1, 12 * 366)))
    quiet = Scenario(name="no notice", treaty=treaty, horizon=horizon, actions=[])
    return quiet, quiet.model_copy(update={"actions": [notice]})


# A renewal notice received before its term's deadline (end - notice) ends the treaty at
# that term's end; a later one does not: under late_notice: void it is rejected, under
# next_term it ends the treaty at the first later end whose deadline it meets.
@given(single_notices(exits=("notice",), parties=(2, 2)))
def test_a_notice_in_time_ends_the_treaty_at_that_end_and_a_late_one_does_not(
    cases: tuple[Scenario, Scenario],
) -> None:
    quiet, noticed = cases
    assert not isinstance(noticed.treaty, str)
    clause = noticed.treaty.clause
    moment = moment_of(noticed, noticed.actions[0])
    terms = simulate(quiet).terms
    running = [
        t
        for t in terms
        if real(t.start) <= real(moment) and (t.end is None or real(moment) < real(t.end))
    ]
    assume(running)
    ended = simulate(noticed)
    first = running[0]
    assert first.notice_deadline is not None and first.end is not None
    if real(moment) < real(first.notice_deadline):
        expected = first.end if real(first.end) < real(ended.horizon) else None
        assert ended.terminated_at == expected
        return
    if clause.late_notice is LateNotice.VOID:
        assert ended.terminated_at is None
        assert [e.kind for e in ended.events if e.by is not None] == [EventKind.REJECTED]
        return
    later = [t for t in terms if t.number > first.number and t.notice_deadline is not None]
    meets = [t for t in later if real(moment) < real(t.notice_deadline)]  # type: ignore[arg-type]
    if meets and meets[0].end is not None and real(meets[0].end) < real(ended.horizon):
        assert ended.terminated_at == meets[0].end
    else:
        assert ended.terminated_at is None


def ending(timeline: Timeline, party: str) -> datetime:
    """When ``party`` stops being bound (the far future if still bound at the horizon)."""
    bound = timeline.bound_until[party]
    return real(bound) if bound is not None else datetime(9999, 1, 1, tzinfo=UTC)


@st.composite
def two_notice_instants(
    draw: st.DrawFn, zones: tuple[str, ...]
) -> tuple[Scenario, Scenario, Scenario]:
    """A treaty with an exit clause, and one notice by its first party at each of two
    instants, the second no earlier than the first (same horizon)."""
    quiet, first = draw(single_notices(zones=zones, late_notices=(LateNotice.NEXT_TERM,)))
    assert not isinstance(first.treaty, str)
    other = draw(instants(first.treaty))
    one, two = sorted([moment_of(first, first.actions[0]), other], key=real)
    assume(real(one) >= real(at_midnight(first.treaty.in_force, zone(first.treaty.timezone))))
    horizon = max(two.date() + DAY, quiet.horizon or two.date() + DAY)

    def notified(moment: datetime) -> Scenario:
        notice = Action(at=iso(moment), by=first.treaty.parties[0], do=ActionKind.NOTIFY)  # type: ignore[union-attr]
        return first.model_copy(update={"actions": [notice], "horizon": horizon})

    return quiet, notified(one), notified(two)


# Ending is monotone in the notice instant: a later notice never ends the notifying party's
# obligations sooner. It holds exactly for renewal notices and for withdrawals counted in
# whole days; for a withdrawal counted exactly it holds only up to a day where the period
# has months (clipping to the month's end) and up to an hour where clocks change (a gap).
# It is false with earliest_notice (an early notice is rejected, a later one is not) and
# under late_notice: void (a late notice is rejected, one in the next term is in time), so
# neither is generated here (docs/properties.md, "Claims that turned out false", 1).
@given(st.one_of(two_notice_instants(ZONES_WITHOUT_DST), two_notice_instants(ZONES_WITH_DST)))
def test_ending_is_monotone_in_the_notice_instant(
    cases: tuple[Scenario, Scenario, Scenario],
) -> None:
    _, earlier, later = cases
    assert not isinstance(earlier.treaty, str)
    party = earlier.treaty.parties[0]
    sooner, afterwards = ending(simulate(earlier), party), ending(simulate(later), party)
    clause = earlier.treaty.clause
    slack = timedelta(0)
    if clause.withdrawal is not None and clause.counting is Counting.EXACT:
        if clause.withdrawal.months:
            slack += DAY  # 30 Aug 23:59:59 + 1mo = 30 Sep 23:59:59; 31 Aug + 1mo = 30 Sep
        if earlier.treaty.timezone not in ZONES_WITHOUT_DST:
            slack += timedelta(hours=1)  # 02:30 + 1d lands in a gap, 03:30; 03:10 + 1d, 03:10
    assert sooner <= afterwards + slack


@st.composite
def withdrawn_notices(draw: st.DrawFn) -> tuple[Scenario, Scenario, str, datetime, datetime]:
    """A scenario, and the same with a notice by one party given and then withdrawn (the
    two added anywhere in the file), with no other action by that party and no extension
    in between."""
    exits = clauses(exits=("notice", "withdrawal"), earliest=False)
    base = draw(scenarios(treaties=treaties(clauses=exits)))
    assert not isinstance(base.treaty, str)
    party = base.treaty.parties[-1]
    one = draw(instants(base.treaty))
    assume(real(one) >= real(at_midnight(base.treaty.in_force, zone(base.treaty.timezone))))
    two = shifted(one, timedelta(seconds=1) + draw(soon))
    between = [
        a
        for a in base.actions
        if real(one) <= real(moment_of(base, a)) <= real(two)
        and (a.by == party or a.do is ActionKind.EXTEND)
    ]
    assume(not between)
    given_ = Action(at=draw(written(one)), by=party, do=ActionKind.NOTIFY)
    withdrawn = Action(at=draw(written(two)), by=party, do=ActionKind.WITHDRAW_NOTICE)
    actions = list(base.actions)
    actions.insert(draw(st.integers(0, len(actions))), given_)
    actions.insert(draw(st.integers(0, len(actions))), withdrawn)
    horizon = base.horizon
    if horizon is not None and horizon <= two.date():
        horizon = two.date() + DAY
    with_pair = with_actions(base, actions, horizon)
    without = with_actions(base, list(base.actions), horizon or _default_horizon(with_pair))
    return without, with_actions(with_pair, actions, without.horizon), party, one, two


def _default_horizon(scenario: Scenario) -> date:
    return simulate(scenario).horizon.date()


# Withdrawing a notice before its effect gives the same timeline as never giving it, apart
# from the two notice events themselves. (It is false if an extension is agreed in between:
# the extension moves the pending withdrawal's effect rather than the term's end, and the
# withdrawal then takes the extension with it: docs/properties.md, "Claims that turned out
# false", 3. No extension falls in between here.)
@given(withdrawn_notices())
def test_withdrawing_a_notice_is_as_if_it_was_never_given(
    cases: tuple[Scenario, Scenario, str, datetime, datetime],
) -> None:
    without, with_pair, party, one, two = cases
    paired = simulate(with_pair)
    pair = [
        e
        for e in paired.events
        if e.by == party
        and (e.kind, e.at) in ((EventKind.NOTICE_GIVEN, one), (EventKind.NOTICE_WITHDRAWN, two))
    ]
    # the notice was given (the party had none pending) and withdrawn before its effect
    assume(len(pair) == 2)
    plain = simulate(without)
    assert [e for e in paired.events if e not in pair] == plain.events
    assert timeline_json(paired)["terms"] == timeline_json(plain)["terms"]
    assert paired.bound_until == plain.bound_until
    assert paired.terminated_at == plain.terminated_at


@st.composite
def resumptions(
    draw: st.DrawFn,
    zones: tuple[str, ...] = ZONES,
    notices: st.SearchStrategy[str] | None = None,
    countings: tuple[str, ...] = ("exact", "whole_days"),
    exits: tuple[str, ...] = ("notice", "withdrawal"),
) -> Scenario:
    """A notice by the first party, suspended a short while before it would take effect (a
    second to a few days) or at any time after it was given, and resumed later: near a
    clock change (in either occurrence of a repeated hour), a term's end, or anywhere."""
    clause = draw(clauses(exits=exits, earliest=False, notices=notices, countings=countings))
    treaty = draw(treaties(clauses=st.just(clause), zones=zones))
    tz = zone(treaty.timezone)
    party = treaty.parties[0]
    given_at = max(draw(instants(treaty)), at_midnight(treaty.in_force, tz), key=real)
    notice = Action(at=draw(written(given_at)), by=party, do=ActionKind.NOTIFY)
    # when the notice would take effect (the model is only used to aim the suspension)
    due = outcome(Scenario(name="aim", treaty=treaty, actions=[notice]), treaty).notices
    assume(due and due[0].effective is not None)
    effect = due[0].effective
    assert effect is not None
    if draw(st.booleans()):
        before = timedelta(seconds=draw(st.integers(1, 3 * 86400)))
        suspended_at = shifted(effect, -before)
    else:
        fraction = draw(st.floats(0, 1))
        suspended_at = shifted(given_at, (real(effect) - real(given_at)) * fraction)
    suspended_at = max(suspended_at.replace(microsecond=0), shifted(given_at, SECOND), key=real)
    assume(real(suspended_at) < real(effect))
    later = shifted(suspended_at, SECOND + draw(soon))
    resumed_at = max(later, draw(instants(treaty)), key=real)
    actions = [
        notice,
        Action(at=draw(written(suspended_at)), by=party, do=ActionKind.SUSPEND_NOTICE),
        Action(at=iso(resumed_at), by=party, do=ActionKind.RESUME_NOTICE),
    ]
    horizon = resumed_at.date() + timedelta(days=draw(st.integers(1, 3 * 366)))
    return Scenario(name="resumed", treaty=treaty, horizon=horizon, actions=actions)


def notice_events(timeline: Timeline, kind: EventKind) -> list[Any]:
    return [e for e in timeline.events if e.kind is kind]


# Suspending and resuming under `remaining` keeps the time that was left: the resumed notice
# takes effect after the wall-clock span that separated the suspension from the effect it
# would have had (docs/decisions.md, 6), and never before its resumption.
@given(resumptions())
def test_remaining_keeps_the_time_that_was_left(scenario: Scenario) -> None:
    timeline = simulate(scenario, Interpretation.REMAINING)
    given_, suspended, resumed = (
        notice_events(timeline, k)
        for k in (EventKind.NOTICE_GIVEN, EventKind.NOTICE_SUSPENDED, EventKind.NOTICE_RESUMED)
    )
    assume(given_ and suspended and resumed)
    effect, left_at, back_at = given_[0].effective, suspended[0].at, resumed[0].at
    assert effect is not None and resumed[0].effective is not None
    expected = wall(back_at) + (wall(effect) - wall(left_at))
    tz = ZoneInfo(timeline.timezone)
    if exists(expected, tz):
        assert wall(resumed[0].effective) == expected
    assert real(resumed[0].effective) >= real(back_at)


# For the same resumption, `immediate` never ends the party's obligations later than
# `remaining`, nor `remaining` later than `fresh`... the second half is false in general
# (a month's clipping, whole-day counting, or a renewal notice whose remaining time outlasts
# the next deadline: docs/properties.md, "Claims that turned out false", 2). It holds for a
# withdrawal counted in exact days where clocks do not change, which is what is checked
# here; the first half is checked everywhere.
@given(resumptions())
def test_immediate_never_ends_later_than_remaining(scenario: Scenario) -> None:
    assert not isinstance(scenario.treaty, str)
    party = scenario.treaty.parties[0]
    now = simulate(scenario, Interpretation.IMMEDIATE)
    later = simulate(scenario, Interpretation.REMAINING)
    assume(notice_events(later, EventKind.NOTICE_RESUMED))
    assert ending(now, party) <= ending(later, party)


@given(
    resumptions(
        zones=ZONES_WITHOUT_DST, notices=day_durations, countings=("exact",), exits=("withdrawal",)
    )
)
def test_remaining_never_ends_later_than_fresh_for_a_withdrawal_in_days(
    scenario: Scenario,
) -> None:
    assert not isinstance(scenario.treaty, str)
    party = scenario.treaty.parties[0]
    remaining = simulate(scenario, Interpretation.REMAINING)
    fresh = simulate(scenario, Interpretation.FRESH)
    assume(notice_events(remaining, EventKind.NOTICE_RESUMED))
    assert ending(remaining, party) <= ending(fresh, party)


# No event after the end: once the treaty has ended, the only events are rejections; no
# event is at or after the horizon; events come in time order; every party is bound until
# the end at the latest, and all of them until exactly then once it has ended.
@given(ordered_scenarios)
def test_no_event_after_the_end(scenario: Scenario) -> None:
    timeline = simulate(scenario)
    instants_ = [real(e.at) for e in timeline.events]
    assert instants_ == sorted(instants_)
    assert all(real(e.at) < real(timeline.horizon) for e in timeline.events)
    end = timeline.terminated_at
    if end is None:
        assert not any(e.kind is EventKind.TERMINATED for e in timeline.events)
        return
    assert [e.kind for e in timeline.events].count(EventKind.TERMINATED) == 1
    for event in timeline.events:
        if real(event.at) > real(end):
            assert event.kind is EventKind.REJECTED
    for party, bound in timeline.bound_until.items():
        assert bound is not None and real(bound) <= real(end), party
    stayed = [p for p, b in timeline.bound_until.items() if b == end]
    assert len(stayed) >= 2 or len(timeline.parties) == len(stayed)


# In a treaty of three or more parties, a notice taking effect ends only its party's
# participation while at least two others remain bound; the treaty itself ends only by
# agreement, by the end of a fixed term, or when fewer than two parties would remain. A party
# that left may join again (PRODUCT.md 0.2), and leave again: its bound_until is that of its
# last withdrawal, unless it joined again after it.
@given(scenarios(treaties=treaties(parties=(3, 5))))
def test_a_multilateral_treaty_goes_on_while_two_parties_remain(scenario: Scenario) -> None:
    timeline = simulate(scenario)
    left = [e for e in timeline.events if e.kind is EventKind.WITHDRAWAL_EFFECTIVE]
    joined = [e for e in timeline.events if e.kind is EventKind.JOINED]
    if not joined:
        assert len(left) <= len(timeline.parties) - 2
    for index, event in enumerate(timeline.events):
        if event.kind is not EventKind.WITHDRAWAL_EFFECTIVE:
            continue
        assert event.by is not None
        after = timeline.events[index + 1 :]
        if any(e.by == event.by and e.kind is EventKind.JOINED for e in after):
            continue
        if any(e.by == event.by and e.kind is EventKind.WITHDRAWAL_EFFECTIVE for e in after):
            continue
        assert timeline.bound_until[event.by] == event.at
        assert timeline.terminated_at is None or real(event.at) <= real(timeline.terminated_at)


# A termination by agreement that applies (is not rejected) ends the treaty at its own
# instant.
@given(scenarios(kinds=(ActionKind.TERMINATE, ActionKind.NOTIFY, ActionKind.EXTEND)))
def test_termination_by_agreement_ends_the_treaty_at_once(scenario: Scenario) -> None:
    timeline = simulate(scenario)
    refused = {real(e.at) for e in timeline.rejections if e.action == ActionKind.TERMINATE.value}
    agreed = sorted(
        real(moment_of(scenario, a)) for a in scenario.actions if a.do is ActionKind.TERMINATE
    )
    applied = [moment for moment in agreed if moment not in refused]
    if applied:
        assert timeline.terminated_at is not None
        assert real(timeline.terminated_at) == applied[0]


# The same input gives byte-identical output.
@given(scenarios())
def test_the_same_input_gives_the_same_bytes(scenario: Scenario) -> None:
    assert output(simulate(scenario)) == output(simulate(scenario))


# ... and so it does in another process, whatever Python's hash seed: the scenarios of
# scenarios/ run twice, each time in a fresh interpreter.
def test_the_same_input_gives_the_same_bytes_in_another_process() -> None:
    program = (
        "import sys, pathlib\n"
        "from sim import library\n"
        "from sim.engine import run\n"
        "from sim.loader import load_scenario\n"
        "from sim.render import dumps, timeline_json\n"
        "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
        "    scenario, loaded = load_scenario(path)\n"
        "    print(dumps(timeline_json(run(scenario, library.resolve(scenario, loaded)))))\n"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", program, str(ROOT / "scenarios")],
            capture_output=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] and outputs[0] == outputs[1]


# Actions listed in another file order, at distinct instants, give the same timeline.
@given(scenarios(), st.randoms(use_true_random=False))
def test_file_order_does_not_matter_at_distinct_instants(scenario: Scenario, random: Any) -> None:
    moments = [moment_of(scenario, a) for a in scenario.actions]
    assume(len(set(moments)) == len(moments))
    shuffled = list(scenario.actions)
    random.shuffle(shuffled)
    reordered = scenario.model_copy(update={"actions": shuffled})
    assert output(simulate(scenario)) == output(simulate(reordered))


@st.composite
def operation_suspensions(draw: st.DrawFn) -> tuple[Scenario, Scenario]:
    """A scenario, and the same with suspensions and resumptions of operation added
    anywhere in the file (same horizon)."""
    base = draw(scenarios())
    assert not isinstance(base.treaty, str)
    kinds = (ActionKind.SUSPEND_OPERATION, ActionKind.RESUME_OPERATION)
    added = [
        Action(at=draw(written(moment)), by=party, do=kind)
        for moment, party, kind in draw(
            st.lists(
                st.tuples(
                    instants(base.treaty),
                    st.sampled_from(base.treaty.parties),
                    st.sampled_from(kinds),
                ),
                min_size=1,
                max_size=4,
            )
        )
    ]
    actions = list(base.actions)
    for action in added:
        actions.insert(draw(st.integers(0, len(actions))), action)
    horizon = simulate(with_actions(base, actions, None)).horizon.date()
    horizon = max(horizon, base.horizon or horizon)
    return with_actions(base, list(base.actions), horizon), with_actions(base, actions, horizon)


# Suspending or resuming operation changes nothing else: terms, deadlines and notices run on
# unchanged (PRODUCT.md, "Actions"), so adding those actions leaves every other event.
@given(operation_suspensions())
def test_operation_suspensions_change_nothing_else(cases: tuple[Scenario, Scenario]) -> None:
    plain, full = (simulate(scenario) for scenario in cases)
    operation = {ActionKind.SUSPEND_OPERATION.value, ActionKind.RESUME_OPERATION.value}
    skipped = {EventKind.OPERATION_SUSPENDED, EventKind.OPERATION_RESUMED}

    def rest(timeline: Timeline) -> list[Any]:
        return [
            (e.at, e.kind, e.by, e.term, e.effective)
            for e in timeline.events
            if e.kind not in skipped and e.action not in operation
        ]

    assert rest(full) == rest(plain)
    assert timeline_json(full)["terms"] == timeline_json(plain)["terms"]
    assert full.bound_until == plain.bound_until


# A later horizon only adds to a run: every event before the earlier horizon is the same.
@given(scenarios(), st.integers(1, 2000))
def test_a_later_horizon_keeps_what_came_before(scenario: Scenario, more: int) -> None:
    first = simulate(scenario)
    later = simulate(
        scenario.model_copy(update={"horizon": first.horizon.date() + timedelta(days=more)})
    )
    assert [e for e in later.events if real(e.at) < real(first.horizon)] == first.events
    assert first.terminated_at in (None, later.terminated_at)


# An action by one that is not a party is rejected and changes nothing.
@given(scenarios(), st.sampled_from(list(ActionKind)), st.data())
def test_an_outsider_cannot_act(scenario: Scenario, kind: ActionKind, data: st.DataObject) -> None:
    assume(not kind.by_agreement)
    assert not isinstance(scenario.treaty, str)
    moment = data.draw(instants(scenario.treaty))
    horizon = max(simulate(scenario).horizon.date(), moment.date() + DAY)
    outsider = Action(at=iso(moment), by=OUTSIDER, do=kind)
    plain = simulate(scenario.model_copy(update={"horizon": horizon}))
    with_outsider = simulate(with_actions(scenario, [*scenario.actions, outsider], horizon))
    extra = list(with_outsider.events)
    for event in plain.events:
        extra.remove(event)
    assert [(e.kind, e.by, e.at) for e in extra] == [(EventKind.REJECTED, OUTSIDER, moment)]
    assert timeline_json(with_outsider)["terms"] == timeline_json(plain)["terms"]


# An extension that applies moves the current end later: the term after the extended one
# ends at the new end of the last extension of the term's end (one that came later, or at
# the same instant but later in the file, moved it again).
@given(scenarios(kinds=(ActionKind.EXTEND, ActionKind.NOTIFY, ActionKind.SUSPEND_NOTICE)))
def test_an_extension_moves_the_end_later(scenario: Scenario) -> None:
    timeline = simulate(scenario)
    ends = {t.number: t for t in timeline.terms}
    for index, event in enumerate(timeline.events):
        if event.kind is not EventKind.EXTENDED or event.reason is not None:
            continue
        assert event.effective is not None and event.term is not None
        extended = ends[event.term]
        assert extended.scheduled_end is not None
        assert real(event.effective) > real(extended.scheduled_end)
        following = ends.get(event.term + 1)
        later_extension = any(
            e.kind is EventKind.EXTENDED and e.term == event.term and e.reason is None
            for e in timeline.events[index + 1 :]
        )
        if following is not None and not later_extension:
            assert following.scheduled_end == event.effective
