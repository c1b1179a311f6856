"""The checks: one function per kind of claim, each judging a claim against a simulated
timeline and saying what the simulation shows (``CHECKS``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sim.claims.model import Claim, Kind
from sim.claims_vocabulary import WEEKDAYS, DayCount, Period
from sim.core.dates import (
    Duration,
    add,
    at_midnight,
    iso,
    last_day,
    local_date,
    spoken_span,
    utc,
    wall_clock_difference,
    whole_days_between,
    zone,
)
from sim.core.deadlines import term_on
from sim.core.model import EventKind, Treaty
from sim.core.timeline import Event, Outcome, Timeline

__all__ = ["CHECKS", "Run", "Verdict"]


@dataclass(frozen=True)
class Run:
    timeline: Timeline
    treaty: Treaty
    what_if: str | None
    """The what-if's name, for a hypothetical timeline."""


@dataclass(frozen=True)
class Verdict:
    expected: str
    simulated: str
    ok: bool
    off: str | None = None
    """How far the simulation is from the claim (``off by 1 day, later``), where it
    disagrees and the two can be measured against each other."""


def _first(timeline: Timeline, kind: EventKind) -> Event | None:
    for event in timeline.events:
        if event.kind is kind:
            return event
    return None


def _none_because(timeline: Timeline, action: str, what: str) -> str:
    """What the simulation shows where no event of an action is found: ``no notice
    resumed``, and the reason where that action was rejected."""
    refused = [e for e in timeline.rejections if e.action == action]
    return f"no {what}" + (f": rejected, {refused[0].reason}" if refused else "")


def _span(span: timedelta) -> str:
    return spoken_span(span, "less than a minute")


def _weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()].title()


def _later(later: bool) -> str:
    return "later" if later else "earlier"


def _off_days(day: date, period: Period) -> str | None:
    """How far a simulated date lies outside the period a claim names."""
    if day in period:
        return None
    days = (period.first - day).days if day < period.first else (day - period.last).days
    return f"off by {days} day{'s' if days != 1 else ''}, {_later(day > period.last)}"


def _off_span(difference: timedelta) -> str | None:
    """How far a simulated instant or length is from the claimed one (simulated - claimed)."""
    if not difference:
        return None
    return f"off by {_span(abs(difference))}, {_later(difference > timedelta())}"


def _off_count(days: int, count: DayCount) -> str | None:
    """How far a count of whole days is from what the claim accepts."""
    if count.accepts(days):
        return None
    limit = {"exactly": count.days, "fewer_than": count.days - 1, "at_most": count.days}
    difference = days - limit[count.bound]
    return f"off by {abs(difference)} day{'s' if abs(difference) != 1 else ''}, " + _later(
        difference > 0
    )


def _off_limit(span: timedelta, count: DayCount) -> str | None:
    """How far a span of time is from what the claim accepts (``< 1d``, ``1d``)."""
    if count.accepts_span(span):
        return None
    difference = span - timedelta(days=count.days)
    if not difference:
        days = f"{count.days} day{'s' if count.days != 1 else ''}"
        return f"off: exactly {days}, which the claim excludes"
    return _off_span(difference)


def _off_years(years: int, claimed: int) -> str | None:
    if years == claimed:
        return None
    gap = abs(years - claimed)
    return (
        f"off by {gap} year{'s' if gap != 1 else ''}, {'older' if years > claimed else 'younger'}"
    )


def _effect(timeline: Timeline) -> tuple[Event | None, datetime | None, str]:
    """The first notice, its effect, and what the simulation says where there is none."""
    notice = _first(timeline, EventKind.NOTICE_GIVEN)
    if notice is None:
        refused = [e for e in timeline.rejections if e.action == "notify"]
        why = f": rejected, {refused[0].reason}" if refused else ""
        return None, None, f"no notice given{why}"
    if notice.effective is None:
        return notice, None, f"the notice of {iso(notice.at)} has no date of effect"
    return notice, notice.effective, ""


def _period(claim: Claim) -> Period:
    assert isinstance(claim.expected, Period)
    return claim.expected


def _check_notice_given_in(claim: Claim, run: Run) -> Verdict:
    period = _period(claim)
    notice, _, missing = _effect(run.timeline)
    if notice is None:
        return Verdict(f"notice {period.phrase()}", missing, False)
    day = local_date(notice.at)
    return Verdict(
        f"notice {period.phrase()}",
        f"notice given {_weekday(day)} {day.isoformat()}",
        day in period,
        _off_days(day, period),
    )


def _check_notice_effect_in(claim: Claim, run: Run) -> Verdict:
    period = _period(claim)
    _, effect, missing = _effect(run.timeline)
    if effect is None:
        return Verdict(f"effect {period.phrase()}", missing, False)
    day = local_date(effect)
    return Verdict(
        f"effect {period.phrase()}",
        f"notice takes effect {_weekday(day)} {iso(effect)}",
        day in period,
        _off_days(day, period),
    )


def _check_notice_effect_at(claim: Claim, run: Run) -> Verdict:
    assert isinstance(claim.expected, datetime)
    expected = f"effect at {iso(claim.expected)}"
    _, effect, missing = _effect(run.timeline)
    if effect is None:
        return Verdict(expected, missing, False)
    return Verdict(
        expected,
        f"notice takes effect {iso(effect)}",
        utc(effect) == utc(claim.expected),
        _off_span(utc(effect) - utc(claim.expected)),
    )


def _check_notice_last_day_in(claim: Claim, run: Run) -> Verdict:
    period = _period(claim)
    _, effect, missing = _effect(run.timeline)
    if effect is None:
        return Verdict(f"last day in force {period.phrase()}", missing, False)
    day = last_day(effect)
    return Verdict(
        f"last day in force {period.phrase()}",
        f"last day in force {_weekday(day)} {day.isoformat()} (effect {iso(effect)})",
        day in period,
        _off_days(day, period),
    )


def _check_days_to_notice_effect(claim: Claim, run: Run) -> Verdict:
    assert isinstance(claim.expected, DayCount)
    expected = f"{claim.expected} from {claim.as_of.isoformat()}"
    _, effect, missing = _effect(run.timeline)
    if effect is None:
        return Verdict(expected, missing, False)
    start = at_midnight(claim.as_of, zone(run.timeline.timezone))
    days = whole_days_between(start, effect)
    return Verdict(
        expected,
        f"{days} days from {claim.as_of.isoformat()} to {iso(effect)}",
        claim.expected.accepts(days),
        _off_count(days, claim.expected),
    )


def _check_suspended_before_effect(claim: Claim, run: Run) -> Verdict:
    assert isinstance(claim.expected, DayCount)
    expected = f"suspended {claim.expected} before the effect, then renewed"
    suspended = _first(run.timeline, EventKind.NOTICE_SUSPENDED)
    if suspended is None:
        shown = _none_because(run.timeline, "suspend_notice", "notice suspended")
        return Verdict(expected, shown, False)
    # Only a pending notice can be suspended: the party's last notice before the suspension,
    # which has a date of effect.
    before = run.timeline.events[: run.timeline.events.index(suspended)]
    notice = next(
        e for e in reversed(before) if e.kind is EventKind.NOTICE_GIVEN and e.by == suspended.by
    )
    effect = notice.effective
    assert effect is not None
    span = wall_clock_difference(suspended.at, effect)
    renewed = any(
        e.kind is EventKind.RENEWED and utc(e.at) == utc(effect) for e in run.timeline.events
    )
    then = "renewed then" if renewed else "not renewed then"
    # A suspension is refused once the notice has taken effect, so the span is positive.
    return Verdict(
        expected,
        f"suspended {iso(suspended.at)}, {_span(span)} before {iso(effect)}; {then}",
        claim.expected.accepts_span(span) and renewed,
        _off_limit(span, claim.expected),
    )


def _check_term_last_day_in(claim: Claim, run: Run) -> Verdict:
    period = _period(claim)
    expected = f"last day in force {period.phrase()}"
    moment = at_midnight(claim.as_of, zone(run.timeline.timezone))
    term = term_on(run.timeline, moment)
    if term is None or term.end is None:
        return Verdict(expected, f"no term with an end in force on {claim.as_of}", False)
    day = last_day(term.end)
    return Verdict(
        expected,
        f"term {term.number} ends {iso(term.end)}: last day in force {day.isoformat()}",
        day in period,
        _off_days(day, period),
    )


def _check_renews_every(claim: Claim, run: Run) -> Verdict:
    assert isinstance(claim.expected, Duration)
    length = claim.expected
    expected = f"every term {length}, renewed automatically"
    terms = [t for t in run.timeline.terms if t.scheduled_end is not None]
    for term in terms:
        assert term.scheduled_end is not None
        if utc(add(term.start, length)) != utc(term.scheduled_end):
            return Verdict(
                expected,
                f"term {term.number} runs {iso(term.start)} to {iso(term.scheduled_end)}",
                False,
                _off_span(wall_clock_difference(add(term.start, length), term.scheduled_end)),
            )
    ended = [t for t in run.timeline.terms if t.outcome is not Outcome.RUNNING]
    not_renewed = [t for t in ended if t.outcome not in (Outcome.RENEWED, Outcome.TERMINATED)]
    if not_renewed:
        term = not_renewed[0]
        return Verdict(expected, f"term {term.number}: {term.outcome.value}", False)
    renewals = sum(t.outcome is Outcome.RENEWED for t in ended)
    return Verdict(
        expected,
        f"{renewals} automatic renewals; each of {len(terms)} terms lasts {length}",
        bool(terms) and renewals > 0,
    )


def _check_notice_period(claim: Claim, run: Run) -> Verdict:
    assert isinstance(claim.expected, Duration)
    period = claim.expected
    expected = f"deadline {period} before each term's end"
    terms = [t for t in run.timeline.terms if t.notice_deadline is not None and t.scheduled_end]
    if not terms:
        return Verdict(expected, "no notice deadline (the clause has no renewal notice)", False)
    for term in terms:
        assert term.notice_deadline is not None and term.scheduled_end is not None
        if utc(add(term.notice_deadline, period)) != utc(term.scheduled_end):
            days = whole_days_between(term.notice_deadline, term.scheduled_end)
            return Verdict(
                expected,
                f"term {term.number}: deadline {iso(term.notice_deadline)}, {days} days "
                f"before its end {iso(term.scheduled_end)}",
                False,
                _off_span(
                    wall_clock_difference(add(term.notice_deadline, period), term.scheduled_end)
                ),
            )
    moment = at_midnight(claim.as_of, zone(run.timeline.timezone))
    shown = term_on(run.timeline, moment) or terms[0]
    assert shown.notice_deadline is not None and shown.scheduled_end is not None
    days = whole_days_between(shown.notice_deadline, shown.scheduled_end)
    return Verdict(
        expected,
        f"term {shown.number}: deadline {iso(shown.notice_deadline)}, {days} days before "
        f"{iso(shown.scheduled_end)} (so for all {len(terms)} terms)",
        True,
    )


def _check_terminated_in(claim: Claim, run: Run) -> Verdict:
    period = _period(claim)
    expected = f"ends {period.phrase()}"
    ended = run.timeline.terminated_at
    if ended is None:
        return Verdict(
            expected, f"still in force at the horizon {iso(run.timeline.horizon)}", False
        )
    how = f" (resumed notice read as {run.timeline.interpretation.value})"
    return Verdict(
        expected,
        f"terminated {iso(ended)}{how}",
        local_date(ended) in period,
        _off_days(local_date(ended), period),
    )


def _check_signed_in(claim: Claim, run: Run) -> Verdict:
    period = _period(claim)
    signed = run.treaty.signed
    if signed is None:
        return Verdict(f"signed {period.phrase()}", f"{run.treaty.name}: no signing date", False)
    return Verdict(
        f"signed {period.phrase()}",
        f"signed {signed.isoformat()}",
        signed in period,
        _off_days(signed, period),
    )


def _check_age_in_years(claim: Claim, run: Run) -> Verdict:
    assert isinstance(claim.expected, int)
    in_force = run.timeline.in_force
    assert in_force is not None, "the claims' timeline enters into force"
    moment = at_midnight(claim.as_of, zone(run.timeline.timezone))
    expected = f"{claim.expected} years old on {claim.as_of.isoformat()}"
    if utc(moment) < utc(in_force):
        return Verdict(expected, f"not yet in force (from {iso(in_force)})", False)
    years = 0
    while utc(add(in_force, Duration(months=12 * (years + 1)))) <= utc(moment):
        years += 1
    anniversary = add(in_force, Duration(months=12 * years))
    rounded = years + (utc(add(anniversary, Duration(months=6))) <= utc(moment))
    days = whole_days_between(anniversary, moment)
    return Verdict(
        expected,
        f"{years} years {days} days since {local_date(in_force).isoformat()} "
        f"(nearest whole years: {rounded})",
        rounded == claim.expected,
        _off_years(rounded, claim.expected),
    )


def _check_terminated_after_resumption(claim: Claim, run: Run) -> Verdict:
    assert isinstance(claim.expected, DayCount)
    expected = f"ends {claim.expected} after the notice's resumption"
    resumed = _first(run.timeline, EventKind.NOTICE_RESUMED)
    if resumed is None:
        shown = _none_because(run.timeline, "resume_notice", "notice resumed")
        return Verdict(expected, shown, False)
    ended = run.timeline.terminated_at
    how = f"resumed notice read as {run.timeline.interpretation.value}"
    if ended is None:
        return Verdict(
            expected,
            f"resumed {iso(resumed.at)}; still in force at the horizon "
            f"{iso(run.timeline.horizon)} ({how})",
            False,
        )
    # A resumption is refused once the treaty has ended, so the end is never before it.
    span = wall_clock_difference(resumed.at, ended)
    when = f"{_span(span)} later" if span else "at the resumption"
    return Verdict(
        expected,
        f"resumed {iso(resumed.at)}, terminated {iso(ended)}, {when} ({how})",
        utc(ended) >= utc(resumed.at) and claim.expected.accepts_span(span),
        _off_limit(span, claim.expected),
    )


CHECKS: dict[Kind, Callable[[Claim, Run], Verdict]] = {
    Kind.NOTICE_GIVEN_IN: _check_notice_given_in,
    Kind.NOTICE_EFFECT_IN: _check_notice_effect_in,
    Kind.NOTICE_EFFECT_AT: _check_notice_effect_at,
    Kind.NOTICE_LAST_DAY_IN: _check_notice_last_day_in,
    Kind.DAYS_TO_NOTICE_EFFECT: _check_days_to_notice_effect,
    Kind.SUSPENDED_BEFORE_EFFECT: _check_suspended_before_effect,
    Kind.TERM_LAST_DAY_IN: _check_term_last_day_in,
    Kind.RENEWS_EVERY: _check_renews_every,
    Kind.NOTICE_PERIOD: _check_notice_period,
    Kind.TERMINATED_IN: _check_terminated_in,
    Kind.SIGNED_IN: _check_signed_in,
    Kind.AGE_IN_YEARS: _check_age_in_years,
    Kind.TERMINATED_AFTER_RESUMPTION: _check_terminated_after_resumption,
}
