"""The closed-form model (tests/closed_form.py) against the dated facts, and the SimPy
engine against the closed-form model: two independent implementations of PRODUCT.md's rules
that must agree on every term end, notice deadline and end of obligations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import fixtures
import pytest
from closed_form import (
    ClosedOutcome,
    outcome,
    term_end,
    term_ends,
    term_in_force,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import (
    DAY,
    KINDS_02,
    SECOND,
    clauses,
    clauses_02,
    duration_of,
    durations,
    instants,
    reference_add,
    scenarios,
    scenarios_02,
    shifted,
    treaties,
)

from sim.core.dates import Duration, add, at_midnight, iso, zone
from sim.core.model import ActionKind, EventKind, Interpretation, Scenario, Treaty
from sim.core.rules import Schedule
from sim.core.timeline import Timeline
from sim.engine import run
from sim.render import timeline_json

# facts/treaties.md, GSOMIA: KR and JP, Asia/Seoul, in force 23 November 2016; art. 21(3):
# "in force for a period of one year ... automatically extended annually thereafter unless
# either Party notifies the other ... ninety days in advance".
GSOMIA = fixtures.GSOMIA
# facts/treaties.md, INF: in force 1 June 1988; art. XV: unlimited duration, six months' notice.
INF = {"name": "INF", "parties": ["US", "RU"], "in_force": "1988-06-01"}
INF["clause"] = {"withdrawal": "6mo"}
# facts/treaties.md, NPT: in force 5 March 1970, multilateral; art. X(1): three months' notice.
NPT = {
    "name": "NPT",
    "parties": ["US", "GB", "RU", "KP"],
    "in_force": "1970-03-05",
    "clause": {"withdrawal": "3mo"},
}
# facts/treaties.md, Paris Agreement: in force 4 November 2016; art. 28: notice from three
# years after entry into force, effective one year after receipt (Depositary in New York).
PARIS = fixtures.PARIS
# facts/treaties.md, New START: in force 5 February 2011; art. XIV: ten years, extendable by
# agreement; three months' notice of withdrawal.
NEW_START = {
    "name": "New START",
    "parties": ["US", "RU"],
    "in_force": "2011-02-05",
    "clause": {"term": "10y", "withdrawal": "3mo"},
}


def scenario(
    treaty: dict[str, Any] | Treaty,
    actions: list[dict[str, Any]],
    horizon: str | None = None,
    interpretation: str = "remaining",
) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "test",
            "treaty": treaty,
            "horizon": horizon,
            "actions": actions,
            "interpretation": interpretation,
        }
    )


def solve(
    treaty: dict[str, Any],
    actions: list[dict[str, Any]],
    horizon: str | None = None,
    interpretation: str = "remaining",
) -> ClosedOutcome:
    chosen = scenario(treaty, actions, horizon, interpretation)
    assert isinstance(chosen.treaty, Treaty)
    return outcome(chosen, chosen.treaty)


def instant(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


# --- the model against the facts -----------------------------------------------------------


def test_gsomia_term_three_has_its_deadline_on_25_august_2019() -> None:
    # PRODUCT.md, "The timeline": term 3 ends 2019-11-23T00:00+09:00 with notice_deadline
    # 2019-08-25T00:00:00+09:00 (facts/treaties.md, GSOMIA: "24 August" the last day).
    closed = solve(GSOMIA, [], "2020-01-01")
    third = closed.terms[2]
    assert (instant(third.start), instant(third.end), instant(third.notice_deadline)) == (
        "2018-11-23T00:00:00+09:00",
        "2019-11-23T00:00:00+09:00",
        "2019-08-25T00:00:00+09:00",
    )


def test_gsomia_notice_on_24_august_stops_the_2019_renewal() -> None:
    # PRODUCT.md, "Counting": "a notice on 2019-08-24 stops the renewal at
    # 2019-11-23T00:00+09:00".
    closed = solve(GSOMIA, [{"at": "2019-08-24", "by": "KR", "do": "notify"}], "2022-01-01")
    assert instant(closed.terminated_at) == "2019-11-23T00:00:00+09:00"


def test_gsomia_notice_on_25_august_is_late_and_stops_the_next_renewal() -> None:
    # PRODUCT.md, "Counting": "one on 2019-08-25 is late"; late_notice: next_term (the
    # default) "a late notice stops the following renewal".
    closed = solve(GSOMIA, [{"at": "2019-08-25", "by": "KR", "do": "notify"}], "2022-01-01")
    assert instant(closed.terminated_at) == "2020-11-23T00:00:00+09:00"


def test_a_late_notice_under_void_is_rejected() -> None:
    # PRODUCT.md, "The clause": "void: a late notice has no effect (recorded as rejected)".
    void = {**GSOMIA, "clause": {**GSOMIA["clause"], "late_notice": "void"}}
    closed = solve(void, [{"at": "2019-08-25", "by": "KR", "do": "notify"}], "2022-01-01")
    assert closed.terminated_at is None
    assert [(instant(r.at), r.action.value) for r in closed.rejections] == [
        ("2019-08-25T00:00:00+09:00", "notify")
    ]


def test_whole_days_deadline_is_the_day_after_the_last_day_in_time() -> None:
    # PRODUCT.md, "Counting", whole_days: "in time if received on or before the local date
    # (end - notice) - 1 day": for the term ending 2019-11-23, end - 90d = 2019-08-25, so
    # 24 August is the last day and the deadline 00:00 on 25 August (as under exact).
    counted = {**GSOMIA, "clause": {**GSOMIA["clause"], "counting": "whole_days"}}
    closed = solve(counted, [{"at": "2019-08-24T23:59:59", "by": "KR", "do": "notify"}])
    assert instant(closed.terms[2].notice_deadline) == "2019-08-25T00:00:00+09:00"
    assert instant(closed.terminated_at) == "2019-11-23T00:00:00+09:00"


def test_inf_withdrawal_takes_effect_six_months_after_notice() -> None:
    # facts/treaties.md, INF: notice 2 February 2019, effective 2 August 2019.
    closed = solve(INF, [{"at": "2019-02-02", "by": "US", "do": "notify"}])
    assert instant(closed.terminated_at) == "2019-08-02T00:00:00+00:00"


def test_whole_days_withdrawal_does_not_count_the_day_of_notice() -> None:
    # PRODUCT.md, "Counting", whole_days: "a period from an event on local date d ends at
    # 00:00 of the day after d + period": 2 February + 6mo = 2 August, so 3 August 00:00.
    counted = {**INF, "clause": {"withdrawal": "6mo", "counting": "whole_days"}}
    closed = solve(counted, [{"at": "2019-02-02T15:00", "by": "US", "do": "notify"}])
    assert instant(closed.terminated_at) == "2019-08-03T00:00:00+00:00"


@pytest.mark.parametrize(
    ("interpretation", "bound_until"),
    [
        # facts/treaties.md, NPT: "suspended ... one day before it would have taken effect;
        # on 10 January 2003 announced that its withdrawal took effect the next day".
        ("remaining", "2003-01-11T00:00:00+00:00"),
        # "The generally held view ... 10 April 2003, three months after" (fresh).
        ("fresh", "2003-04-10T00:00:00+00:00"),
        # PRODUCT.md, "immediate: it takes effect at resumption".
        ("immediate", "2003-01-10T00:00:00+00:00"),
    ],
)
def test_npt_north_korea_under_each_interpretation(interpretation: str, bound_until: str) -> None:
    actions = [
        {"at": "1993-03-12", "by": "KP", "do": "notify"},
        {"at": "1993-06-11", "by": "KP", "do": "suspend_notice"},
        {"at": "2003-01-10", "by": "KP", "do": "resume_notice"},
    ]
    closed = solve(NPT, actions, "2005-01-01", interpretation)
    # PRODUCT.md, "The treaty": with three or more parties a notice ends only the notifying
    # party's participation.
    assert closed.terminated_at is None
    assert {p: instant(b) for p, b in closed.bound_until} == {
        "US": None,
        "GB": None,
        "RU": None,
        "KP": bound_until,
    }


def test_paris_earliest_notice_is_inclusive() -> None:
    # PRODUCT.md, "The timeline": "earliest_notice is inclusive (a notice exactly at
    # in_force + 3y is accepted)"; facts/treaties.md, Paris: notice 4 November 2019,
    # effective 4 November 2020.
    closed = solve(PARIS, [{"at": "2019-11-04", "by": "US", "do": "notify"}])
    assert closed.bound()["US"] == at_midnight(
        datetime(2020, 11, 4).date(), zone("America/New_York")
    )
    early = solve(PARIS, [{"at": "2019-11-03T23:59:59", "by": "US", "do": "notify"}])
    assert early.bound()["US"] is None
    assert [r.action.value for r in early.rejections] == ["notify"]


def test_new_start_extension_moves_the_end_by_five_years() -> None:
    # facts/treaties.md, New START: "3 February 2021: extended by five years, to 5 February
    # 2026"; PRODUCT.md, "Actions": period is "a duration added to the current end".
    closed = solve(NEW_START, [{"at": "2021-02-03", "do": "extend", "period": "5y"}], "2027-01-01")
    assert [(t.number, instant(t.end), t.outcome.value) for t in closed.terms] == [
        (1, "2021-02-05T00:00:00+00:00", "extended"),
        (2, "2026-02-05T00:00:00+00:00", "expired"),
    ]


def test_a_29_february_anchor_does_not_drift() -> None:
    # PRODUCT.md, "Time": "The end of term n is always computed from the entry-into-force
    # anchor ... so a Feb 29 anchor does not drift".
    leap = {"name": "Leap", "parties": ["A", "B"], "in_force": "2016-02-29"}
    leap["clause"] = {"term": "1y", "renewal": "1y"}
    closed = solve(leap, [], "2021-01-01")
    assert [t.end.date().isoformat() for t in closed.terms if t.end] == [
        "2017-02-28",
        "2018-02-28",
        "2019-02-28",
        "2020-02-29",
        "2021-02-28",
    ]


def test_a_month_from_the_31st_is_clipped_to_the_end_of_the_month() -> None:
    # PRODUCT.md, "Time": "Jan 31 + 1mo = Feb 28 or 29".
    monthly = {"name": "Monthly", "parties": ["A", "B"], "in_force": "2020-01-31"}
    monthly["clause"] = {"term": "1mo", "renewal": "1mo"}
    closed = solve(monthly, [], "2020-05-01")
    assert [t.end.date().isoformat() for t in closed.terms if t.end] == [
        "2020-02-29",
        "2020-03-31",
        "2020-04-30",
        "2020-05-31",
    ]


# --- the engine against the model ----------------------------------------------------------


def engine_facts(timeline: Timeline) -> dict[str, Any]:
    """What the engine says about a scenario, in the model's terms."""
    kinds = (EventKind.NOTICE_GIVEN, EventKind.NOTICE_RESUMED)
    return {
        "terms": [
            (
                t["number"],
                t["start"],
                t["end"],
                t["last_day"],
                t["notice_deadline"],
                t["outcome"],
            )
            for t in timeline_json(timeline)["terms"]
        ],
        "in_force": instant(timeline.in_force),
        "terminated_at": instant(timeline.terminated_at),
        "bound_until": {party: instant(moment) for party, moment in timeline.bound_until.items()},
        "survives_until": {
            party: iso(moment)
            for party, moment in timeline.survives_until.items()
            if moment is not None
        },
        "rejections": sorted(
            (iso(e.at), str(e.action), str(e.by))
            for e in timeline.events
            if e.kind is EventKind.REJECTED
        ),
        "notices": [
            (iso(e.at), e.by, e.kind is EventKind.NOTICE_RESUMED, instant(e.effective))
            for e in timeline.events
            if e.kind in kinds
        ],
        "extensions": [
            (iso(e.at), e.term, instant(e.effective))
            for e in timeline.events
            if e.kind is EventKind.EXTENDED
        ],
        "joins": [
            (iso(e.at), e.by, instant(e.effective))
            for e in timeline.events
            if e.kind is EventKind.JOINED
        ],
    }


def model_facts(closed: ClosedOutcome) -> dict[str, Any]:
    """What the closed-form model says about a scenario."""
    return {
        "terms": [
            (
                t.number,
                iso(t.start),
                instant(t.end),
                t.last_day.isoformat() if t.last_day else None,
                instant(t.notice_deadline),
                t.outcome.value,
            )
            for t in closed.terms
        ],
        "in_force": instant(closed.in_force),
        "terminated_at": instant(closed.terminated_at),
        "bound_until": {party: instant(moment) for party, moment in closed.bound_until},
        "survives_until": {
            party: iso(moment) for party, moment in closed.survives_until if moment is not None
        },
        "rejections": sorted((iso(r.at), r.action.value, str(r.by)) for r in closed.rejections),
        "notices": [(iso(n.at), n.by, n.resumed, instant(n.effective)) for n in closed.notices],
        "extensions": [(iso(at), term, iso(end)) for at, term, end in closed.extensions],
        "joins": [(iso(j.at), j.by, iso(j.bound_from)) for j in closed.joins],
    }


agreeing_scenarios = scenarios(kinds=KINDS_02)
"""Scenarios of the actions the model knows: those of version 0.2 (it is the oracle of that
language; an action a later version adds is the engine's alone until the model learns it)."""


def real(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def agree(chosen: Scenario, interpretation: Interpretation | None = None) -> None:
    assert isinstance(chosen.treaty, Treaty)
    closed = outcome(chosen, chosen.treaty, interpretation)
    engine = engine_facts(run(chosen, chosen.treaty, interpretation))
    model = model_facts(closed)
    for key in engine:
        assert engine[key] == model[key], key


# For any scenario, the engine and the model agree on every term (start, end, notice
# deadline, outcome), on when the treaty ends and each party stops being bound, on which
# actions are rejected, on when each notice given or resumed is due to take effect, and on
# every extension.
@settings(max_examples=max(150, settings.default.max_examples))
@given(agreeing_scenarios)
def test_the_engine_agrees_with_the_closed_form_model(chosen: Scenario) -> None:
    agree(chosen)


# ... under every interpretation of a resumed notice (the same scenario, run three ways).
@settings(max_examples=max(100, settings.default.max_examples))
@given(agreeing_scenarios, st.sampled_from(list(Interpretation)))
def test_the_engine_agrees_with_the_model_under_every_interpretation(
    chosen: Scenario, interpretation: Interpretation
) -> None:
    agree(chosen, interpretation)


# ... and on extensions agreed while a withdrawal is pending, suspended or resumed: the
# extension moves the earliest pending withdrawal's effect when it comes before the term's
# end (docs/decisions.md, 10), else the term's end, else it is rejected.
@settings(max_examples=max(150, settings.default.max_examples))
@given(
    scenarios(
        treaties=treaties(clauses=clauses(exits=("withdrawal",))),
        kinds=(
            ActionKind.NOTIFY,
            ActionKind.EXTEND,
            ActionKind.SUSPEND_NOTICE,
            ActionKind.RESUME_NOTICE,
        ),
    )
)
def test_the_engine_agrees_with_the_model_on_extensions_of_withdrawals(chosen: Scenario) -> None:
    agree(chosen)


# In the whole clause language of version 0.2 (PRODUCT.md, "Additions for version 0.2"):
# notices naming their date, earliest effects, calendar boundaries, survival, notice windows,
# timed suspensions, extension caps, joins, parties with their own dates and entry into force
# by a count of joins, the engine and the model agree on every field above, survives_until,
# entry into force and every join included, to the second.
@settings(max_examples=max(200, settings.default.max_examples))
@given(scenarios_02)
def test_the_engine_agrees_with_the_model_in_the_0_2_language(chosen: Scenario) -> None:
    agree(chosen)


# ... under every interpretation of a resumed notice, a suspension running out by itself
# included.
@settings(max_examples=max(150, settings.default.max_examples))
@given(
    scenarios(
        treaties=treaties(clauses=clauses(exits=("notice", "withdrawal"), extras=True)),
        kinds=(
            ActionKind.NOTIFY,
            ActionKind.SUSPEND_NOTICE,
            ActionKind.RESUME_NOTICE,
            ActionKind.WITHDRAW_NOTICE,
            ActionKind.EXTEND,
        ),
        extras=True,
    ),
    st.sampled_from(list(Interpretation)),
)
def test_the_engine_agrees_with_the_model_on_timed_suspensions(
    chosen: Scenario, interpretation: Interpretation
) -> None:
    agree(chosen, interpretation)


# ... and where parties join: accession delays, re-accession after a withdrawal, parties
# with their own dates, and entry into force after the Nth join.
@settings(max_examples=max(150, settings.default.max_examples))
@given(
    scenarios(
        treaties=treaties(clauses=clauses_02, members=True, parties=(3, 5)),
        kinds=(ActionKind.JOIN, ActionKind.NOTIFY, ActionKind.EXTEND, ActionKind.TERMINATE),
        extras=True,
    )
)
def test_the_engine_agrees_with_the_model_when_parties_join(chosen: Scenario) -> None:
    agree(chosen)


# With no action, the terms are in_force + term + (n-1)·renewal up to the horizon: the
# model's fast path for the deadline table gives the same ends as the full model.
@given(treaties())
def test_the_fast_path_gives_the_same_term_ends(treaty: Treaty) -> None:
    quiet = Scenario(name="quiet", treaty=treaty, horizon=None, actions=[])
    closed = outcome(quiet, treaty)
    ends = term_ends(treaty.clause, treaty.in_force, zone(treaty.timezone), closed.horizon)
    shown = [t.end for t in closed.terms if t.end is not None]
    if treaty.clause.term is None:
        assert ends == [] and shown == []
        return
    # the last term may have ended (a fixed term) or still run at the horizon
    assert ends[: len(shown)] == shown
    assert all(real(end) < real(closed.horizon) for end in ends[:-1])


# The rules' Schedule (the engine's term clock) agrees with the model: every term's end,
# start and notice deadline; the term running at any instant; the number of the last term;
# where a renewal notice at any instant takes effect; when a withdrawal takes effect; and
# where an extension puts the ends (a period added to the current end, or the day after
# `through`, and later terms anchored on the new end).
@given(treaties(), st.data())
def test_the_schedule_agrees_with_the_model(treaty: Treaty, data: st.DataObject) -> None:
    clause, tz = treaty.clause, zone(treaty.timezone)
    in_force = at_midnight(treaty.in_force, tz)
    schedule = Schedule.of(clause, treaty.in_force, tz)
    for number in range(1, 9):
        end = schedule.end(number)
        assert end == term_end(clause, treaty.in_force, tz, number)
        if end is not None:
            assert clause.term is not None
            assert schedule.start(number) == (schedule.end(number - 1) or in_force)
            # the end's date, reckoned by the tests' own calendar (a skipped day included)
            span = clause.term + (clause.renewal or Duration()) * (number - 1)
            end_day = reference_add(treaty.in_force, span.months, span.days)
            assert end == at_midnight(end_day, tz)
            deadline = schedule.deadline(number)
            if clause.notice is None:
                assert deadline is None
            else:
                notice = clause.notice
                before = reference_add(end_day, -notice.months, -notice.days)
                assert deadline == at_midnight(before, tz)
                # a notice at the deadline is late; a second before, it is in time
                late = schedule.renewal_notice_target(deadline, number)
                assert late != number
                assert late is None or late > number
                assert schedule.renewal_notice_target(shifted(deadline, -SECOND), number) == number
        else:
            assert schedule.deadline(number) is None
    assert schedule.start(1) == in_force
    for number in range(1, 9):
        # at a term's end the next term runs (half-open); the second before, this one
        end = schedule.end(number)
        if end is None or schedule.end(number + 1) is None:
            break
        for moment in (end, shifted(end, -SECOND)):
            assert schedule.term_at(moment) == term_in_force(clause, treaty.in_force, tz, moment)
    last = 0 if clause.term is None else (None if clause.renewal is not None else 1)
    assert schedule.last_number() == last
    assert schedule.indefinite == (clause.term is None)

    moment = data.draw(instants(treaty), label="moment")
    running = term_in_force(clause, treaty.in_force, tz, moment)
    last_end = None if last is None else schedule.end(max(last, 1))
    if last_end is None or real(moment) < real(last_end):
        assert schedule.term_at(moment) == running
    if clause.withdrawal is not None:
        # PRODUCT.md, "Counting": t + period (exact), or 00:00 after date(t) + period
        period = clause.withdrawal
        if clause.counting.value == "exact":
            assert schedule.withdrawal_effect(moment) == add(moment, period)
        else:
            counted = reference_add(moment.date(), period.months, period.days)
            assert schedule.withdrawal_effect(moment) == at_midnight(counted + DAY, tz)
    if (
        clause.notice is not None
        and clause.earliest_notice is None
        and real(moment) >= real(in_force)
    ):
        target = schedule.renewal_notice_target(moment, running)
        notice = {"at": moment.isoformat(), "by": treaty.parties[0], "do": "notify"}
        closed = outcome(
            scenario(treaty, [notice], str(moment.date() + DAY)),
            treaty,
        )
        if target is None:
            assert [r.action.value for r in closed.rejections] == ["notify"]
        else:
            assert [n.effective for n in closed.notices] == [schedule.end(target)]

    if clause.term is None:
        return
    number = data.draw(st.integers(1, 4), label="extended term")
    current = schedule.end(number)
    if current is None:
        return
    period = duration_of(data.draw(durations, label="period"))
    by_period = schedule.extended(number, schedule.extension_end(number, period, None))
    new_day = reference_add(current.date(), period.months, period.days)
    assert by_period.end(number + 1) == at_midnight(new_day, tz)
    through = new_day + timedelta(days=data.draw(st.integers(0, 400), label="through"))
    by_date = schedule.extended(number, schedule.extension_end(number, None, through))
    assert by_date.end(number + 1) == at_midnight(through + DAY, tz)
    for extended, anchor in ((by_period, new_day), (by_date, through + DAY)):
        assert extended.end(number) == current
        for steps in range(1, 3):
            following = (
                None
                if clause.renewal is None
                else at_midnight(
                    reference_add(
                        anchor, clause.renewal.months * steps, clause.renewal.days * steps
                    ),
                    tz,
                )
            )
            assert extended.end(number + 1 + steps) == following
