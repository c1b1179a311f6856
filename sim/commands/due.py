"""``treaty-sim deadlines --all``: what is due, across treaties, within a window after a date
(docs/index.md, "deadlines --all"). One table, soonest first: the renewal notice deadlines
and term ends that fall in the window, and for a scenario the notices that take effect in it;
a treaty whose clause has no renewal notice says so in the words of ``deadlines``; a treaty
with nothing in the window says when its next deadline is, or that it is no longer in force."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sim import library
from sim.commands.deadlines import notice_as_of, with_horizon
from sim.commands.due_arguments import DEFAULT_WITHIN, add_arguments
from sim.core.dates import (
    Duration,
    at_midnight,
    iso,
    last_day,
    shift_date,
    utc,
    whole_days_between,
    zone,
)
from sim.core.deadlines import DeadlineTable, notice_rows
from sim.core.model import EventKind
from sim.core.timeline import Timeline
from sim.render import dumps, local, no_deadline, render_rows, spoken, spoken_duration
from sim.source import Source, load_source, simulate, usage_error

__all__ = ["DEFAULT_WITHIN", "Due", "add_arguments", "cmd_due", "due_rows", "render_due"]

NOTICE_DEADLINE = "notice deadline"
TERM_END = "term ends"
NOTICE_EFFECT = "notice takes effect"
SURVIVAL_END = "survival ends"
NO_DEADLINE = "no deadline"
NOTHING_DUE = "nothing due"


@dataclass(frozen=True)
class Due:
    """One row of the view: what falls due at ``at`` (None for a row that only says there is
    no deadline, or nothing in the window), for which treaty (and scenario), and the local
    date that matters: the last day to notify, the last day in force, the last day bound."""

    treaty: str
    scenario: str | None
    timezone: str
    kind: str
    at: datetime | None
    term: int | None
    last_day: date | None
    days_left: int | None
    note: str


@dataclass(frozen=True)
class _Window:
    """The instants ``(start, end]`` in a treaty's zone: after 00:00 on the as-of date, up to
    00:00 on the date ``as_of + within``; so the local dates before them run from the as-of
    date to the day before ``as_of + within``, as ``days left`` counts them (a deadline at
    00:00 on the as-of date has passed: its last day to notify was the day before)."""

    start: datetime
    end: datetime

    def holds(self, moment: datetime) -> bool:
        return utc(self.start) < utc(moment) <= utc(self.end)


def _timeline_rows(timeline: Timeline, source: Source, window: _Window) -> list[Due]:
    scenario = source.scenario.name if source.loaded is not None else None

    def due(kind: str, at: datetime, term: int | None, day: date, note: str) -> Due:
        days = whole_days_between(window.start, at)
        return Due(timeline.treaty, scenario, timeline.timezone, kind, at, term, day, days, note)

    rows = []
    for term in timeline.terms:
        deadline = term.notice_deadline
        reached = deadline is not None and (term.end is None or utc(deadline) < utc(term.end))
        if deadline is not None and reached and window.holds(deadline):
            day = last_day(deadline)
            end = f" at {local(term.end)}" if term.end is not None else ""
            note = f"last day to notify {spoken(day)}, to stop the renewal{end}"
            rows.append(due(NOTICE_DEADLINE, deadline, term.number, day, note))
        if term.end is not None and window.holds(term.end):
            day = last_day(term.end)
            note = f"last day in force {spoken(day)}; in the run: {term.outcome.value}"
            rows.append(due(TERM_END, term.end, term.number, day, note))
    if source.loaded is not None:
        for notice in notice_rows(timeline, window.start.date()):
            if notice.outcome not in ("took effect", "pending at the horizon"):
                continue
            if window.holds(notice.effective):
                day = last_day(notice.effective)
                note = (
                    f"notice by {notice.party} of {local(notice.given)}; "
                    f"{notice.party} bound through {spoken(day)}"
                )
                rows.append(due(NOTICE_EFFECT, notice.effective, None, day, note))
        for event in timeline.events:
            if event.kind is EventKind.SURVIVAL_ENDED and window.holds(event.at):
                day = last_day(event.at)
                note = f"the obligations of {event.by} that survive its withdrawal end"
                rows.append(due(SURVIVAL_END, event.at, event.term, day, note))
    return rows


def _quiet_row(timeline: Timeline, source: Source, window: _Window, within: Duration) -> Due:
    """The row of a treaty with a renewal notice but nothing in the window."""
    scenario = source.scenario.name if source.loaded is not None else None
    ended = timeline.terminated_at
    if ended is not None and utc(ended) <= utc(window.start):
        note = f"no longer in force: terminated at {local(ended)}"
    else:
        later = [
            term.notice_deadline
            for term in timeline.terms
            if term.notice_deadline is not None and utc(term.notice_deadline) > utc(window.end)
        ]
        note = f"nothing within {spoken_duration(within)}"
        if later:
            note += f"; next notice deadline {local(later[0])}"
    return Due(
        timeline.treaty, scenario, timeline.timezone, NOTHING_DUE, None, None, None, None, note
    )


def _no_deadline_row(source: Source, timeline: Timeline, as_of: date) -> Due:
    """The row of a clause without a renewal notice, worded as ``deadlines`` words it."""
    clause = source.treaty.clause
    table = DeadlineTable(
        timeline.treaty,
        timeline.timezone,
        as_of,
        (),
        renewal_notice=False,
        withdrawal=clause.withdrawal,
        counting=clause.counting,
        notice_as_of=notice_as_of(source, as_of) if clause.withdrawal is not None else None,
    )
    words = no_deadline(table) or ""
    scenario = source.scenario.name if source.loaded is not None else None
    note = " ".join(words.removeprefix("no deadline: ").split())
    return Due(
        timeline.treaty, scenario, timeline.timezone, NO_DEADLINE, None, None, None, None, note
    )


def due_rows(arguments: list[str], as_of: date, within: Duration) -> list[Due]:
    """What is due within ``within`` after ``as_of`` for each argument (every built-in
    treaty if none): dated rows soonest first, then the rows without a date, in the order
    of the arguments."""
    dated: list[Due] = []
    undated: list[Due] = []
    for argument in dict.fromkeys(arguments or library.names()):
        source = load_source(argument)
        tz = zone(source.treaty.timezone)
        until = shift_date(as_of, within)
        window = _Window(at_midnight(as_of, tz), at_midnight(until, tz))
        source = with_horizon(source, until.year)
        timeline = simulate(source)
        found = _timeline_rows(timeline, source, window)
        dated.extend(found)
        if source.treaty.clause.notice is None:
            undated.append(_no_deadline_row(source, timeline, as_of))
        elif not found:
            undated.append(_quiet_row(timeline, source, window, within))
    order = {kind: n for n, kind in enumerate((NOTICE_DEADLINE, NOTICE_EFFECT, TERM_END))}
    dated.sort(
        key=lambda row: (utc(row.at) if row.at else None, order.get(row.kind, 9), row.treaty)
    )
    return dated + undated


def _name(row: Due) -> str:
    return f"{row.scenario}: {row.treaty}" if row.scenario else row.treaty


def _days(days: int | None) -> str:
    return "" if days is None else str(days)


HEADERS = ("due", "days left", "treaty", "what", "term", "note")
CSV_HEADERS = (
    "due",
    "days_left",
    "treaty",
    "scenario",
    "timezone",
    "kind",
    "term",
    "last_day",
    "note",
)


def _json(row: Due) -> dict[str, object]:
    return {
        "treaty": row.treaty,
        "scenario": row.scenario,
        "timezone": row.timezone,
        "kind": row.kind.replace(" ", "_"),
        "term": row.term,
        "at": iso(row.at) if row.at else None,
        "last_day": row.last_day.isoformat() if row.last_day else None,
        "days_left": row.days_left,
        "note": row.note,
    }


def render_due(rows: list[Due], as_of: date, within: Duration, fmt: str) -> str:
    """The view in one of the four formats; in text formats a line above the table says the
    window in local dates."""
    through = shift_date(as_of, within)
    if fmt == "json":
        document = {
            "as_of": as_of.isoformat(),
            "within": str(within),
            "until": through.isoformat(),
            "due": [_json(row) for row in rows],
        }
        return dumps(document)
    if fmt == "csv":
        table = [
            [
                iso(row.at) if row.at else "",
                row.days_left,
                row.treaty,
                row.scenario,
                row.timezone,
                row.kind.replace(" ", "_"),
                row.term,
                row.last_day.isoformat() if row.last_day else "",
                row.note,
            ]
            for row in rows
        ]
        return render_rows(CSV_HEADERS, table, fmt)
    last = date.fromordinal(through.toordinal() - 1)
    heading = (
        f"due from {spoken(as_of)} through {spoken(last)} ({spoken_duration(within)}; "
        "dates local to each treaty)"
    )
    table = [
        [local(row.at), _days(row.days_left), _name(row), row.kind, row.term or "", row.note]
        for row in rows
    ]
    return f"{heading}\n\n{render_rows(HEADERS, table, fmt)}"


def cmd_due(args: argparse.Namespace, as_of: date, show: Callable[[str], None]) -> int:
    """``deadlines --all``: check the options that go with it, print the view."""
    if not args.all:
        raise usage_error("--within", "--within goes with --all (what is due across treaties)")
    for option, value in (("--from", args.first_year), ("--to", args.last_year)):
        if value is not None:
            raise usage_error(option, f"{option} selects terms by year; with --all use --within")
    within: Duration = args.within or Duration.parse(DEFAULT_WITHIN)
    rows = due_rows(args.sources, as_of, within)
    show(render_due(rows, as_of, within, args.format))
    return 0
