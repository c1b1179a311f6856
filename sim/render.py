"""Rendering: timelines and deadline tables as JSON (PRODUCT.md's shapes), tables (tabulate),
Markdown and CSV. Pure functions from results to text."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sim.core.dates import Counting, Duration, iso, last_day, local_date, utc, zone
from sim.core.deadlines import DeadlineRow, DeadlineTable, NoticeAsOf, NoticeRow
from sim.core.kernel import NoticeBasis
from sim.core.rules import boundary_phrase
from sim.core.timeline import Event, EventKind, Term, Timeline

__all__ = [
    "FORMATS",
    "deadlines_json",
    "render_deadline_tables",
    "render_deadlines",
    "render_rows",
    "render_timelines",
    "timeline_json",
]

FORMATS = ("table", "markdown", "csv", "json")


def _instant(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


def term_json(term: Term) -> dict[str, Any]:
    """A term as PRODUCT.md's JSON shows it."""
    return {
        "number": term.number,
        "start": iso(term.start),
        "end": _instant(term.end),
        "last_day": last_day(term.end).isoformat() if term.end is not None else None,
        "notice_deadline": _instant(term.notice_deadline),
        "outcome": term.outcome.value,
    }


def event_json(event: Event) -> dict[str, Any]:
    """An event as PRODUCT.md's JSON shows it; a rejection's reason names the action; a
    ``notice_given`` also ``late_for`` (0.3: the term end the notice came too late to stop, or
    null)."""
    document = {
        "at": iso(event.at),
        "kind": event.kind.value,
        "by": event.by,
        "term": event.term,
        "effective": _instant(event.effective),
        "reason": _reason(event),
    }
    if event.kind is EventKind.NOTICE_GIVEN:
        document["late_for"] = _instant(event.late_for)
    return document


def _reason(event: Event) -> str | None:
    if event.action is None or event.reason is None:
        return event.reason
    return f"{event.action}: {event.reason}"


def _party_json(timeline: Timeline, party: str) -> dict[str, Any]:
    """A party's entry in ``parties[]``: ``survives_until`` only under a clause with
    ``survival`` (PRODUCT.md 0.2), so other documents keep the shape of PRODUCT.md."""
    entry = {"party": party, "bound_until": _instant(timeline.bound_until.get(party))}
    if timeline.survives_until:
        entry["survives_until"] = _instant(timeline.survives_until.get(party))
    return entry


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    """The ``run --format json`` document of PRODUCT.md."""
    return {
        "scenario": timeline.scenario,
        "treaty": timeline.treaty,
        "timezone": timeline.timezone,
        "interpretation": timeline.interpretation.value,
        "horizon": iso(timeline.horizon),
        "terminated_at": _instant(timeline.terminated_at),
        "parties": [_party_json(timeline, party) for party in timeline.parties],
        "terms": [term_json(term) for term in timeline.terms],
        "events": [event_json(event) for event in timeline.events],
    }


def dumps(document: Any) -> str:
    """JSON as treaty-sim prints it: UTF-8 text, two-space indent, stable key order."""
    return json.dumps(document, ensure_ascii=False, indent=2)


def render_rows(headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """A table in the chosen text format (not json)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
        return buffer.getvalue().rstrip("\n")
    style = "github" if fmt == "markdown" else "simple"
    from tabulate import tabulate  # only when a table is drawn (docs/performance.md)

    width = terminal_width() if fmt == "table" else None
    widths = fitted_widths(headers, rows, width) if width is not None else None
    return tabulate(
        rows,
        headers=list(headers),
        tablefmt=style,
        disable_numparse=True,
        maxcolwidths=widths,
        maxheadercolwidths=widths,  # type: ignore[arg-type]
    )


GAP = 2
"""The blank columns tabulate's ``simple`` format puts between two columns."""
WORD = 26
"""A word up to this long (an instant with its offset is 25) is kept whole where it can be."""
NARROWEST = 10
"""No column is wrapped narrower than this (or its header): a table wider than the terminal
at that width is left wider, not made unreadable."""


def terminal_width() -> int | None:
    """The width to fit a table to: ``COLUMNS``, else the terminal's width, when standard
    output is a terminal; None into a pipe or a file, which gets full lines
    (docs/decisions.md, decision 48)."""
    try:
        if not sys.stdout.isatty():
            return None
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return None


def fitted_widths(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], width: int
) -> list[int | None] | None:
    """Each column's widest allowed cell so that the table fits ``width``, or None where
    it fits as it is. The widest columns are narrowed first, to one common width; none below
    its longest word (up to :data:`WORD` characters, so that an instant is not cut) where
    the table then fits, else below :data:`NARROWEST` or its header's longest word."""

    def lines(cell: Any) -> list[str]:
        return str("" if cell is None else cell).split("\n")

    def longest(texts: list[str]) -> int:
        return max([len(text) for text in texts] or [0])

    cells = [
        [line for row in rows if i < len(row) for line in lines(row[i])]
        for i in range(len(headers))
    ]
    heads = [lines(header) for header in headers]

    def shown(i: int, cap: int) -> int:
        # tabulate's simple format pads a header by two (its MIN_PADDING)
        return max(min(longest(cells[i]), cap), min(longest(heads[i]), cap) + 2)

    natural = [shown(i, width * 10) for i in range(len(headers))]
    room = width - GAP * (len(headers) - 1)
    if sum(natural) <= room:
        return None

    def words(texts: list[str]) -> int:
        return longest([word for text in texts for word in text.split()])

    floors = [max(NARROWEST, min(WORD, words(cells[i] + heads[i]))) for i in range(len(headers))]
    if sum(floors) > room:
        floors = [max(NARROWEST, words(heads[i])) for i in range(len(headers))]

    def total(cap: int) -> int:
        return sum(shown(i, max(cap, floors[i])) for i in range(len(headers)))

    cap = max(natural)
    while cap > 1 and total(cap) > room:
        cap -= 1
    return [
        None if shown(i, max(cap, floors[i])) >= natural[i] else max(cap, floors[i])
        for i in range(len(headers))
    ]


def local(moment: datetime | None) -> str:
    """An instant as a reader sees it: local weekday, date, time and offset."""
    if moment is None:
        return ""
    return (
        moment.strftime("%a %Y-%m-%d %H:%M ")
        + moment.strftime("%z")[:3]
        + ":"
        + moment.strftime("%z")[3:]
    )


def bound_through(until: datetime) -> str:
    """The end of a party's being bound as a reader sees it: its last local day bound, then
    the instant it ends (half-open, PRODUCT.md "Time"): ``Thu 2017-10-26 (until Fri
    2017-10-27 00:00 +02:00)``. Written "until Fri 2017-10-27" alone, the day reads as if it
    were included."""
    return f"{_short_day(last_day(until))} (until {local(until)})"


def ended(moment: datetime) -> str:
    """When the treaty ended, as a reader sees it: the instant, and its last day in force."""
    return f"{local(moment)} (last day in force {_short_day(last_day(moment))})"


STILL_BOUND = "still bound"


def spoken(day: date | None) -> str:
    """A date in words: ``Friday 22 November 2019``."""
    if day is None:
        return ""
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def _event_note(event: Event) -> str:
    parts = []
    if event.effective is not None:
        parts.append(f"effective {local(event.effective)}")
    if event.late_for is not None and event.effective is not None:
        parts.append(_late_words(event, event.late_for, event.effective))
    reason = _reason(event)
    if reason:
        parts.append(reason)
    return "; ".join(parts)


def _late_words(event: Event, late_for: datetime, effect: datetime) -> str:
    """A late notice in words (PRODUCT.md 0.3): "late for the end of term 2 (1963-03-31);
    stops the renewal at 1968-03-31"."""
    basis = event.basis
    term = f"term {basis.checks[0].term}" if isinstance(basis, NoticeBasis) else "the term"
    return (
        f"late for the end of {term} ({local_date(late_for)}); stops the renewal at "
        f"{local_date(effect)}"
    )


EVENT_HEADERS = ("local time", "event", "by", "term", "note")
TERM_HEADERS = ("term", "start", "end", "last day in force", "notice deadline", "outcome")


def event_rows(timeline: Timeline) -> list[list[Any]]:
    """One row per event: local time, kind, party, term, what it means."""
    return [
        [local(e.at), e.kind.value, e.by or "", e.term or "", _event_note(e)]
        for e in timeline.events
    ]


def term_rows(timeline: Timeline) -> list[list[Any]]:
    """One row per term."""
    return [
        [
            t.number,
            local(t.start),
            local(t.end) if t.end else "(indefinite)",
            spoken(last_day(t.end)) if t.end else "",
            local(t.notice_deadline),
            t.outcome.value,
        ]
        for t in timeline.terms
    ]


def _summary(timeline: Timeline) -> str:
    end = (
        f"terminated at {ended(timeline.terminated_at)}"
        if timeline.terminated_at
        else f"in force at the horizon {local(timeline.horizon)}"
    )
    bound = "; ".join(
        f"{party} bound through {bound_through(until)}" if until else f"{party} {STILL_BOUND}"
        for party, until in timeline.bound_until.items()
    )
    return (
        f"{timeline.scenario}: {timeline.treaty} ({timeline.timezone}), "
        f"interpretation {timeline.interpretation.value}\n{end}\n{bound}"
    )


def render_timelines(timelines: Sequence[Timeline], fmt: str, *, keyed: bool) -> str:
    """``run`` output: one timeline, or (``keyed``) one per interpretation."""
    if fmt == "json":
        if keyed:
            return dumps(
                {"interpretations": {t.interpretation.value: timeline_json(t) for t in timelines}}
            )
        return dumps(timeline_json(timelines[0]))
    if fmt == "csv":
        headers = ("interpretation", *EVENT_HEADERS)
        rows = [[t.interpretation.value, *row] for t in timelines for row in event_rows(t)]
        return render_rows(headers, rows, fmt)
    if keyed:
        return render_side_by_side(timelines, fmt)
    blocks = []
    for timeline in timelines:
        blocks.append(_summary(timeline))
        blocks.append(render_rows(EVENT_HEADERS, event_rows(timeline), fmt))
        blocks.append(render_rows(TERM_HEADERS, term_rows(timeline), fmt))
    return "\n\n".join(blocks)


def _mark(event: Event) -> str:
    """An event's cell in a side-by-side table: where it happens, and its effect if any."""
    if event.effective is None:
        return "yes"
    return f"effective {local(event.effective)}"


def _event_key(event: Event) -> tuple[datetime, str, str]:
    return (utc(event.at), event.kind.value, event.by or "")


def render_side_by_side(timelines: Sequence[Timeline], fmt: str) -> str:
    """Several interpretations of one scenario, one column each: how it ends, then every
    event of any of them, marked where it happens (with its effect, if any)."""
    names = [t.interpretation.value for t in timelines]
    first = timelines[0]
    summary: list[list[Any]] = [
        [
            "terminated at",
            *(
                ended(t.terminated_at) if t.terminated_at else "in force at horizon"
                for t in timelines
            ),
        ]
    ]
    for party in first.parties:
        untils = [t.bound_until[party] for t in timelines]
        summary.append(
            [
                f"{party} bound through",
                *(bound_through(until) if until else STILL_BOUND for until in untils),
            ]
        )
    # keyed by the instant in UTC: two readings of one wall-clock time in a fall-back hour
    # are different instants, though Python finds them equal
    keys: dict[tuple[datetime, str, str], datetime] = {}
    for timeline in timelines:
        for event in timeline.events:
            keys.setdefault(_event_key(event), event.at)
    rows: list[list[Any]] = []
    for key in sorted(keys, key=lambda key: key[0]):
        _, kind, by = key
        cells = []
        for timeline in timelines:
            found = [e for e in timeline.events if _event_key(e) == key]
            cells.append(_mark(found[0]) if found else "")
        rows.append([local(keys[key]), kind, by, *cells])
    title = f"{first.scenario}: {first.treaty} ({first.timezone}), every interpretation"
    return "\n\n".join(
        [
            title,
            render_rows(("", *names), summary, fmt),
            render_rows(("local time", "event", "by", *names), rows, fmt),
        ]
    )


def deadline_json(row: DeadlineRow, treaty: str | None = None) -> dict[str, Any]:
    """A term of ``deadlines --format json``: a term of ``run`` plus the two fields (and the
    treaty's name, so that rows from several treaties stay apart)."""
    result = term_json(row.term)
    result["last_day_to_notify"] = (
        row.last_day_to_notify.isoformat() if row.last_day_to_notify else None
    )
    result["days_left"] = row.days_left
    if treaty is not None:
        result["treaty"] = treaty
    if row.party is not None:
        result["party"] = row.party
    return result


def _notice_as_of_json(notice: NoticeAsOf | None) -> dict[str, Any] | None:
    if notice is None:
        return None
    return {
        "at": iso(notice.at),
        "by": notice.party,
        "effective": _instant(notice.effective),
        "last_day_bound": last_day(notice.effective).isoformat() if notice.effective else None,
        "days_left": notice.days_left,
        "rejected": notice.reason,
        "bound_until_anyway": _instant(notice.ends_first),
    }


def _notice_json(notice: NoticeRow) -> dict[str, Any]:
    return {
        "by": notice.party,
        "at": iso(notice.given),
        "effective": iso(notice.effective),
        "last_day_bound": last_day(notice.effective).isoformat(),
        "days_left": notice.days_left,
        "outcome": notice.outcome,
        "resumed": notice.resumed,
    }


def deadlines_json(table: DeadlineTable) -> dict[str, Any]:
    """The ``deadlines --format json`` document of PRODUCT.md, with fields added (never
    renamed): the scenario's name, the withdrawal clause, what a notice on the as-of date
    would do, and the run's notices (docs/decisions.md, decision 45)."""
    return {
        "treaty": table.treaty,
        "timezone": table.timezone,
        "as_of": table.as_of.isoformat(),
        "terms": [deadline_json(row, table.treaty) for row in table.rows],
        "scenario": table.scenario,
        "withdrawal": str(table.withdrawal) if table.withdrawal is not None else None,
        "counting": table.counting.value,
        "notice_as_of": _notice_as_of_json(table.notice_as_of),
        "notices": [_notice_json(notice) for notice in table.notices],
    }


DEADLINE_HEADERS = (
    "term",
    "in force from",
    "expires at",
    "last day in force",
    "notice deadline",
    "last day to notify",
    "days left",
)
NOTICE_HEADERS = ("by", "notice given", "takes effect", "last day bound", "days left", "in the run")


def _days(days: int | None) -> str:
    if days is None:
        return ""
    if days <= 0:
        return f"passed ({days})"
    return str(days)


def _days_left(row: DeadlineRow) -> str:
    return _days(row.days_left)


def spoken_duration(duration: Duration) -> str:
    """A duration in words: ``6 months``, ``1 year``, ``90 days``, ``1 year 6 months``."""
    years, months = divmod(duration.months, 12)
    parts = [
        f"{count} {unit}{'' if count == 1 else 's'}"
        for count, unit in ((years, "year"), (months, "month"), (duration.days, "day"))
        if count
    ]
    return " ".join(parts) or "0 days"


def no_deadline(table: DeadlineTable) -> str | None:
    """The line that replaces the deadlines of a clause without a renewal notice: how a
    notice takes effect, and what one given on the as-of date would do."""
    if table.renewal_notice:
        return None
    if table.withdrawal is None and table.effect_on is None:
        return "no deadline: the clause allows no unilateral exit (no notice or withdrawal)"
    counted = (
        " (whole days: the day of notice is not counted)"
        if table.counting is Counting.WHOLE_DAYS
        else ""
    )
    if table.withdrawal is None:
        # UNESCO Constitution art. II(6): no period, only the calendar boundary
        assert table.effect_on is not None
        rule = f"no deadline: withdrawal takes effect {boundary_phrase(table.effect_on, False)}"
    else:
        period = spoken_duration(table.withdrawal)
        rule = f"no deadline: withdrawal takes effect {period} after notice{counted}"
        if table.effect_on is not None:
            rule += f", {boundary_phrase(table.effect_on, True)}"
    notice = table.notice_as_of
    if notice is None:
        return rule
    # today in the treaty's zone, the default --as-of (docs/decisions.md, decision 46)
    when = "today" if table.as_of == datetime.now(zone(table.timezone)).date() else "on"
    by = "" if notice.first_party or notice.party is None else f" by {notice.party}"
    given = f"a notice{by} given {when} {spoken(table.as_of)}"
    if notice.effective is None:
        return f"{rule};\n{given} would be rejected: {notice.reason}"
    effect = (
        f"{rule};\n{given} takes effect on {local(notice.effective)}, "
        f"in {notice.days_left} days (bound through {_short_day(last_day(notice.effective))})"
    )
    if notice.ends_first is not None:
        effect += f", but {notice.party} is bound only until {local(notice.ends_first)} anyway"
    return effect


def _short_day(day: date) -> str:
    return day.strftime("%a %Y-%m-%d")


def _by_party(table: DeadlineTable) -> bool:
    """The rows are each party's own terms (``terms_from: party``, PRODUCT.md 0.3)."""
    return any(row.party is not None for row in table.rows)


def _deadline_rows(table: DeadlineTable, words: bool) -> list[list[Any]]:
    party = _by_party(table)
    return [
        [
            *([row.party] if party else []),
            row.term.number,
            local(row.term.start) if words else iso(row.term.start),
            (local(row.term.end) if words else iso(row.term.end)) if row.term.end else "",
            (spoken(row.last_day) if words else row.last_day.isoformat()) if row.last_day else "",
            (local(row.term.notice_deadline) if words else _instant(row.term.notice_deadline))
            or "",
            (spoken(row.last_day_to_notify) if words else row.last_day_to_notify.isoformat())
            if row.last_day_to_notify
            else "",
            _days_left(row) if words else row.days_left,
        ]
        for row in table.rows
    ]


def _csv_rows(table: DeadlineTable, party: bool = False) -> list[list[Any]]:
    """A table's CSV rows; with ``party``, a party column after the treaty's (empty where the
    terms are the treaty's own)."""
    notice = table.notice_as_of
    effect = _instant(notice.effective) if notice is not None else None
    withdrawal = str(table.withdrawal) if table.withdrawal is not None else ""
    rows = _deadline_rows(table, False)
    if party and not _by_party(table):
        return [[table.treaty, "", *row, withdrawal, effect] for row in rows]
    return [[table.treaty, *row, withdrawal, effect] for row in rows]


CSV_DEADLINE_HEADERS = (
    "treaty",
    *DEADLINE_HEADERS,
    "withdrawal",
    "a notice on the as-of date takes effect",
)


def _deadline_block(table: DeadlineTable, fmt: str) -> str:
    name = f"{table.scenario}: {table.treaty}" if table.scenario else table.treaty
    blocks = [f"{name} ({table.timezone}), days left as of {spoken(table.as_of)}"]
    line = no_deadline(table)
    if line is not None:
        blocks.append(line)
    # A term with neither an end nor a notice deadline (a treaty of indefinite duration)
    # would be a row of blanks: the line above says what there is to know.
    if any(row.term.end is not None or row.term.notice_deadline for row in table.rows):
        headers = ("party", *DEADLINE_HEADERS) if _by_party(table) else DEADLINE_HEADERS
        blocks.append(render_rows(headers, _deadline_rows(table, True), fmt))
    if table.notices:
        rows = [
            [
                notice.party,
                local(notice.given) + (" (resumed)" if notice.resumed else ""),
                local(notice.effective),
                spoken(last_day(notice.effective)),
                _days(notice.days_left),
                notice.outcome,
            ]
            for notice in table.notices
        ]
        blocks.append(f"notices\n\n{render_rows(NOTICE_HEADERS, rows, fmt)}")
    return "\n\n".join(blocks)


def render_deadlines(table: DeadlineTable, fmt: str) -> str:
    """``deadlines`` output for one treaty or scenario."""
    return render_deadline_tables([table], fmt)


def render_deadline_tables(tables: Sequence[DeadlineTable], fmt: str) -> str:
    """``deadlines`` output: one block per treaty or scenario (one JSON document, or
    ``{"deadlines": [...]}`` for several; one CSV whose rows name their treaty)."""
    if fmt == "json":
        if len(tables) == 1:
            return dumps(deadlines_json(tables[0]))
        return dumps({"deadlines": [deadlines_json(table) for table in tables]})
    if fmt == "csv":
        party = any(_by_party(table) for table in tables)
        rows = [row for table in tables for row in _csv_rows(table, party)]
        headers = ("treaty", "party", *CSV_DEADLINE_HEADERS[1:]) if party else CSV_DEADLINE_HEADERS
        return render_rows(headers, rows, fmt)
    return "\n\n".join(_deadline_block(table, fmt) for table in tables)
