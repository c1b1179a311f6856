"""``treaty-sim deadlines``: the deadline table of each treaty or scenario named, as of a
date (PRODUCT.md, "Commands"). A clause without a renewal notice has no deadline: its table
says what a notice given on the as-of date would do, and lists the scenario's notices with
their effect and the days left to it (docs/decisions.md, decision 33)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from sim.core.dates import as_instant, at_midnight, utc, whole_days_between, zone
from sim.core.deadlines import (
    UPCOMING,
    DeadlineTable,
    NoticeAsOf,
    deadline_table,
    notice_rows,
    party_table,
    upcoming_table,
    upcoming_terms,
)
from sim.core.model import Action, ActionKind, EventKind, TermsFrom
from sim.core.timeline import Timeline
from sim.errors import InputError
from sim.source import Source, load_source, party_names, simulate, usage_error

__all__ = ["deadline_tables", "notice_as_of", "today_in", "with_horizon"]


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


def today_in(source: Source) -> date:
    """Today's date in the treaty's zone (the default ``--as-of``): in Seoul it is already
    tomorrow for nine hours of each UTC day."""
    return datetime.now(zone(source.treaty.timezone)).date()


_LONGEST_LOOK_AHEAD = 500
"""Years after the as-of date beyond which no more terms are looked for (a term of more
than a century is no renewal clause we know of)."""


def _upcoming(source: Source, as_of: date, history: bool) -> tuple[Timeline, DeadlineTable]:
    """The run and the table of the running term and the next two, the run made long
    enough to hold them where the scenario sets no horizon of its own."""
    years = 2
    while True:
        last = as_of.year + years
        timeline = simulate(with_horizon(source, last))
        table = upcoming_table(timeline, as_of, history=history)
        short = len(upcoming_terms(timeline, as_of)) < UPCOMING
        may_grow = (
            source.treaty.clause.renewal is not None
            and timeline.terminated_at is None
            and (source.loaded is None or source.scenario.horizon is None)
        )
        if not (short and may_grow) or years >= _LONGEST_LOOK_AHEAD:
            return timeline, table
        years *= 2


def deadline_tables(
    arguments: list[str],
    as_of: date | None,
    first_year: int | None,
    last_year: int | None,
    *,
    history: bool = False,
) -> list[DeadlineTable]:
    """One deadline table per TREATY|SCENARIO argument, in the order given. With neither
    ``first_year`` nor ``last_year``: the term running at ``as_of`` (default: today in the
    treaty's zone) and the next two, and with ``history`` every term before them; with
    either: the terms whose last day in force falls in those years (docs/decisions.md,
    decision 46)."""
    years = first_year is not None or last_year is not None
    if years and history:
        raise usage_error("--history", "--history shows every past term; leave out --from/--to")
    tables = []
    for argument in arguments:
        source = load_source(argument)
        day = as_of if as_of is not None else today_in(source)
        if years:
            last = last_year if last_year is not None else max(day.year + 1, first_year or 0)
            if first_year is not None and first_year > last:
                raise usage_error("--from", f"--from {first_year} is after --to {last}")
            source = with_horizon(source, last)
            timeline = simulate(source)
            table = deadline_table(timeline, day, first_year, last)
        else:
            timeline, table = _upcoming(source, day, history)
            last = timeline.horizon.year
        clause = source.treaty.clause
        if clause.terms_from is TermsFrom.PARTY:
            # PRODUCT.md 0.3: each party's own terms, one block of rows per party
            span = (first_year, last) if years else None
            table = party_table(source.treaty, timeline, day, span, history=history)
        without_deadline = clause.notice is None and clause.allows_exit
        tables.append(
            dataclasses.replace(
                table,
                scenario=source.scenario.name if source.loaded is not None else None,
                renewal_notice=clause.notice is not None,
                withdrawal=clause.withdrawal,
                counting=clause.counting,
                effect_on=clause.effect_on,
                notice_as_of=notice_as_of(source, day) if without_deadline else None,
                notices=notice_rows(timeline, day),
            )
        )
    return tables
