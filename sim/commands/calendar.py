"""``treaty-sim calendar``: the deadlines of treaties and scenarios as an iCalendar file
(RFC 5545) to import or subscribe to (docs/calendar.md).

For each term in the range: the last day to notify (an all-day event with a reminder), the
notice deadline (the instant from which a notice is too late) and the term's end; for a
scenario file, also each effect of its run: a withdrawal or termination taking effect, the
end of the obligations that survive a withdrawal, and a notice still pending at the horizon.
Every event has a UID made of the treaty or scenario, the term (or the party and the count
of such effects) and the kind, so importing the calendar again updates its events."""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sim.commands.calendar_arguments import DEFAULT_REMIND, add_arguments, parse_remind
from sim.commands.deadlines import with_horizon
from sim.commands.shared import say_written
from sim.core.dates import at_midnight, last_day, local_date, utc, zone
from sim.core.deadlines import deadline_table, notice_rows
from sim.core.model import EventKind
from sim.core.timeline import Timeline
from sim.io.calendar import PRODID, CalendarEntry, to_ics
from sim.render import local
from sim.source import Source, load_source, simulate, usage_error

__all__ = [
    "DEFAULT_REMIND",
    "Years",
    "add_arguments",
    "calendar_entries",
    "cmd_calendar",
    "parse_remind",
    "timeline_entries",
]

UID_DOMAIN = "treaty-sim"


def _key(source: Source, argument: str) -> str:
    """The stable part of a UID naming the treaty or scenario: a built-in treaty's name,
    or the scenario's ``name`` in lower case, words joined by hyphens (a name with no
    letters or digits of ASCII: a hash of it)."""
    if source.loaded is None:
        return argument
    name = source.scenario.name
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def _uid(key: str, *parts: object) -> str:
    return ".".join([key, *(str(part) for part in parts)]) + f"@{UID_DOMAIN}"


def _day(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


@dataclass(frozen=True)
class Years:
    """The years chosen, and today (from which no date here is counted, but which the
    deadline table asks for)."""

    first: int | None
    last: int
    today: date

    def holds(self, day: date) -> bool:
        return (self.first is None or day.year >= self.first) and day.year <= self.last


def _term_entries(
    timeline: Timeline, key: str, title: str, years: Years, remind: timedelta | None
) -> list[CalendarEntry]:
    entries = []
    tz_name = timeline.timezone
    table = deadline_table(timeline, years.today, years.first, years.last)
    for row in table.rows:
        term = row.term
        n = term.number
        deadline = term.notice_deadline
        # A term ended (by agreement) before its notice deadline never reached it.
        reached = deadline is not None and (term.end is None or utc(deadline) < utc(term.end))
        end_words = (
            f"the end of term {n}, {local(term.end)} (last day in force {_day(last_day(term.end))})"
            if term.end is not None
            else f"the end of term {n}"
        )
        if deadline is not None and row.last_day_to_notify is not None and reached:
            entries.append(
                CalendarEntry(
                    uid=_uid(key, f"term-{n}", "last-day-to-notify"),
                    summary=f"{title}: last day to notify (term {n})",
                    description=(
                        f"{timeline.treaty} ({tz_name}): the last day on which a notice "
                        f"stops the renewal at {end_words}. From {local(deadline)} "
                        "a notice is too late."
                    ),
                    start=row.last_day_to_notify,
                    category="last day to notify",
                    remind=remind,
                )
            )
            entries.append(
                CalendarEntry(
                    uid=_uid(key, f"term-{n}", "notice-deadline"),
                    summary=f"{title}: notice deadline (term {n})",
                    description=(
                        f"{timeline.treaty} ({tz_name}): from {local(deadline)} a notice is too "
                        f"late to stop the renewal at {end_words}; the last day to notify "
                        f"was {_day(row.last_day_to_notify)}."
                    ),
                    start=deadline,
                    category="notice deadline",
                )
            )
        if term.end is not None:
            entries.append(
                CalendarEntry(
                    uid=_uid(key, f"term-{n}", "end"),
                    summary=f"{title}: term {n} ends",
                    description=(
                        f"{timeline.treaty} ({tz_name}): term {n} ends at {local(term.end)}; its "
                        f"last day in force is {_day(last_day(term.end))}. In the run: "
                        f"{term.outcome.value}."
                    ),
                    start=term.end,
                    category="term end",
                )
            )
    return entries


_EFFECTS = {
    EventKind.WITHDRAWAL_EFFECTIVE: ("withdrawal", "withdrawal of {by} takes effect"),
    EventKind.TERMINATED: ("termination", "the treaty terminates"),
    EventKind.SURVIVAL_ENDED: (
        "survival-end",
        "the obligations of {by} that survive its withdrawal end",
    ),
}


def _effect_entries(timeline: Timeline, key: str, title: str, years: Years) -> list[CalendarEntry]:
    """The effects of a scenario's run, each with a UID counted per kind and party, so that
    moving an action in the scenario moves its event in the calendar."""
    entries = []
    tz_name = timeline.timezone
    seen: dict[tuple[str, str], int] = {}

    def counted(kind: str, party: str) -> int:
        seen[kind, party] = seen.get((kind, party), 0) + 1
        return seen[kind, party]

    for event in timeline.events:
        if event.kind not in _EFFECTS:
            continue
        kind, words = _EFFECTS[event.kind]
        party = event.by or "all"
        number = counted(kind, party)
        if not years.holds(local_date(event.at)):
            continue
        what = words.format(by=event.by)
        reason = f" ({event.reason})" if event.reason else ""
        entries.append(
            CalendarEntry(
                uid=_uid(key, kind, party, number),
                summary=f"{title}: {what}",
                description=(
                    f"{timeline.treaty} ({tz_name}): {what} at {local(event.at)}{reason}; "
                    f"the last day before it is {_day(last_day(event.at))}."
                ),
                start=event.at,
                category=kind.replace("-", " "),
            )
        )
    for notice in notice_rows(timeline, years.today):
        number = counted("notice-effect", notice.party)
        if notice.outcome != "pending at the horizon":
            continue
        if not years.holds(local_date(notice.effective)):
            continue
        entries.append(
            CalendarEntry(
                uid=_uid(key, "notice-effect", notice.party, number),
                summary=f"{title}: notice by {notice.party} takes effect",
                description=(
                    f"{timeline.treaty} ({tz_name}): the notice given by {notice.party} at "
                    f"{local(notice.given)} takes effect at "
                    f"{local(notice.effective)} (pending at the horizon of the run); "
                    f"{notice.party} is bound through {_day(last_day(notice.effective))}."
                ),
                start=notice.effective,
                category="notice effect",
            )
        )
    return entries


def _when(entry: CalendarEntry, timezone: str) -> datetime:
    """When an entry begins, to order them: a day at its 00:00 in the treaty's zone."""
    if isinstance(entry.start, datetime):
        return utc(entry.start)
    return utc(at_midnight(entry.start, zone(timezone)))


def timeline_entries(
    timeline: Timeline,
    key: str,
    title: str,
    years: Years,
    remind: timedelta | None,
    effects: bool,
) -> list[CalendarEntry]:
    """The calendar's entries for one run, in time order: each term's deadlines and end in
    the years chosen, and with ``effects`` (a scenario's run) each effect of the run."""
    found = _term_entries(timeline, key, title, years, remind)
    if effects:
        found += _effect_entries(timeline, key, title, years)
    found.sort(key=lambda entry: (_when(entry, timeline.timezone), entry.uid))
    return found


def calendar_entries(
    arguments: list[str],
    first_year: int | None,
    last_year: int | None,
    remind: timedelta | None,
    today: date,
) -> tuple[list[CalendarEntry], list[str]]:
    """The calendar's entries for each TREATY|SCENARIO argument, in the order given and in
    time order within each; and the arguments that gave none."""
    entries: list[CalendarEntry] = []
    empty: list[str] = []
    for argument in dict.fromkeys(arguments):
        source = load_source(argument)
        horizon = source.scenario.horizon if source.loaded is not None else None
        default_last = max(today.year + 1, horizon.year if horizon else 0, first_year or 0)
        last = last_year if last_year is not None else default_last
        if first_year is not None and first_year > last:
            raise usage_error("--from", f"--from {first_year} is after --to {last}")
        source = with_horizon(source, last)
        timeline = simulate(source)
        key = _key(source, argument)
        title = source.scenario.name if source.loaded is not None else source.treaty.name
        years = Years(first_year, last, today)
        found = timeline_entries(timeline, key, title, years, remind, source.loaded is not None)
        entries.extend(found)
        if not found:
            empty.append(argument)
    return entries, empty


def _stamp() -> datetime:
    """Every event's DTSTAMP: now, or ``SOURCE_DATE_EPOCH`` (the reproducible-builds
    convention) when set, so that a build can make the same file twice."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


def cmd_calendar(args: argparse.Namespace) -> int:
    """Write the calendar of ``args.sources`` to ``args.output`` or standard output."""
    from sim.io.output import Output  # tempfile and its imports: not at every start-up

    output = None
    if args.output not in (None, "-"):
        marker = f"PRODID:{PRODID}".encode()
        output = Output(args.output, marker, "a calendar", args.sources, args.force)
        output.check()  # before the runs: a mistake costs nothing and leaves no file
    entries, empty = calendar_entries(
        args.sources, args.first_year, args.last_year, args.remind, date.today()
    )
    if not entries:
        raise usage_error(
            args.sources[0],
            "nothing to put in a calendar: no deadline, term end or effect in the years "
            "chosen (a withdrawal clause has no deadline; see `treaty-sim deadlines`)",
        )
    for argument in empty:
        sys.stderr.write(f"treaty-sim calendar: {argument}: no dates in the years chosen\n")
    data = to_ics(entries, "treaty-sim deadlines", _stamp())
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    output.write(data)
    if not args.quiet:
        count = len(entries)
        say_written(args.output, len(data), f"{count} event{'' if count == 1 else 's'}")
    return 0
