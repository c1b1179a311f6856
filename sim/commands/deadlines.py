"""``treaty-sim deadlines``: the deadline table of each treaty or scenario named, as of a
date (PRODUCT.md, "Commands"). A clause without a renewal notice has no deadline: its table
says what a notice given on the as-of date would do, and lists the scenario's notices with
their effect and the days left to it (docs/decisions.md, decision 33)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from sim.core.dates import as_instant, at_midnight, utc, whole_days_between, zone
from sim.core.deadlines import DeadlineTable, NoticeAsOf, deadline_table, notice_rows
from sim.core.model import Action, ActionKind, EventKind
from sim.errors import InputError
from sim.source import Source, load_source, party_names, simulate, usage_error

__all__ = ["deadline_tables", "notice_as_of", "with_horizon"]


def with_horizon(source: Source, last_year: int) -> Source:
    """For a built-in treaty or a scenario without a horizon: a run long enough to cover
    the terms up to ``last_year`` (docs/decisions.md, decision 28)."""
    scenario = source.scenario
    if source.loaded is None or scenario.horizon is None:
        tz = zone(source.treaty.timezone)
        wanted = at_midnight(date(last_year + 2, 1, 1), tz)
        latest = [as_instant(a.at, tz) for a in scenario.actions]
        if all(moment < wanted for moment in latest):
            scenario = scenario.model_copy(update={"horizon": wanted.date()})
    return dataclasses.replace(source, scenario=scenario)


def notice_as_of(source: Source, as_of: date) -> NoticeAsOf:
    """What a notice given at 00:00 local on ``as_of`` would do in the scenario: the run is
    repeated with a ``notify`` added then, by the first listed party whose notice is
    accepted; if every party's is rejected, the first party's reason is given."""
    tz = zone(source.treaty.timezone)
    moment = at_midnight(as_of, tz)
    first_reason: str | None = None
    for party in party_names(source.treaty):
        # Trusted values (a date and a listed party): constructed without building the
        # Action validator at start-up (tests/test_startup.py checks it equals the validated).
        action = Action.model_construct(at=as_of, by=party, do=ActionKind.NOTIFY)
        scenario = source.scenario.model_copy(
            update={"actions": [*source.scenario.actions, action], "horizon": None}
        )
        try:
            timeline = simulate(dataclasses.replace(source, scenario=scenario))
        except InputError as error:
            return NoticeAsOf(moment, None, None, error.message, None)
        mine = [
            event
            for event in timeline.events
            if event.by == party
            and utc(event.at) == utc(moment)
            and event.kind in (EventKind.NOTICE_GIVEN, EventKind.REJECTED)
        ]
        accepted = [e for e in mine if e.kind is EventKind.NOTICE_GIVEN]
        if accepted and accepted[-1].effective is not None:
            effective: datetime = accepted[-1].effective
            days = whole_days_between(moment, effective)
            until = timeline.bound_until.get(party)
            sooner = until if until is not None and utc(until) < utc(effective) else None
            first = party == party_names(source.treaty)[0]
            return NoticeAsOf(moment, party, effective, None, days, sooner, first)
        if first_reason is None and mine:
            first_reason = mine[-1].reason
    return NoticeAsOf(moment, None, None, first_reason or "not accepted", None)


def deadline_tables(
    arguments: list[str], as_of: date, first_year: int | None, last_year: int | None
) -> list[DeadlineTable]:
    """One deadline table per TREATY|SCENARIO argument, in the order given."""
    last = last_year if last_year is not None else max(as_of.year + 1, first_year or 0)
    if first_year is not None and first_year > last:
        raise usage_error("--from", f"--from {first_year} is after --to {last}")
    tables = []
    for argument in arguments:
        source = with_horizon(load_source(argument), last)
        timeline = simulate(source)
        table = deadline_table(timeline, as_of, first_year, last)
        clause = source.treaty.clause
        without_deadline = clause.notice is None and clause.allows_exit
        tables.append(
            dataclasses.replace(
                table,
                scenario=source.scenario.name if source.loaded is not None else None,
                renewal_notice=clause.notice is not None,
                withdrawal=clause.withdrawal,
                counting=clause.counting,
                effect_on=clause.effect_on,
                notice_as_of=notice_as_of(source, as_of) if without_deadline else None,
                notices=notice_rows(timeline, as_of),
            )
        )
    return tables
