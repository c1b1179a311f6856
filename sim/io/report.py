"""The report: a timeline as an SVG picture, and one self-contained HTML page with the picture,
the deadline table and the events (docs/report.md). Pure string building; every text that
comes from the user (a scenario's name, a party, a reason) is escaped.

The picture, left to right in time from the earliest event to the horizon (the right end):

- one lane per party, in the order the treaty lists them; on it, each term as a bar over the
  time the party is bound (from its entry into force to its withdrawal or the treaty's end),
  with a gap where the party suspended its operation;
- each notice as an arrow from the day it is given to its effect, broken where the notice is
  suspended (the suspension is a gap, drawn as a faint dotted line) and ending in a hollow
  head where it never took effect (suspended or withdrawn before its effect);
- each term's notice deadline as a tick across the bars;
- the horizon as a dashed line at the right end, the treaty's end (if any) as a solid one.

A page holds nothing that asks the network: no script, no external style sheet, image or font,
and a Content-Security-Policy that forbids them all.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sim.core.dates import at_midnight, last_day, local_date, utc, zone
from sim.core.model import EventKind, Treaty
from sim.core.timeline import Event, Timeline
from sim.render import EVENT_HEADERS, STILL_BOUND, bound_through, ended, event_rows, local, spoken

__all__ = ["MARKER", "Stroke", "bound_spans", "html_report", "notice_strokes", "svg_picture"]

MARKER = "<!-- written by treaty-sim report -->"
"""Near the start of every page and picture written: how ``report -o`` knows a file it may
replace (sim/io/output.py)."""

WIDTH = 1000
X_LEFT = 110  # where time begins; the lane labels stand to its left
X_RIGHT = 960  # the horizon
TOP = 76  # the captions, the horizon's label, then the row of term-end dates
LANE = 52
AXIS = 34
LEGEND_ROW = 20
PANEL_GAP = 16

TERM_COLOURS = ("#4e79a7", "#7ea6d3")  # alternate, so that each renewal shows
COLOURS = {
    "notice": "#d62728",
    "deadline": "#f28e2b",
    "suspended": "#7f7f7f",
    "horizon": "#222222",
    "ended": "#8c1b1b",
    "rejected": "#8e44ad",
    "extended": "#2ca02c",
    "survival": "#9c755f",
}

DATE_FONT = 11
"""The size of the dates printed on the picture (notices, effects, term ends)."""
CHARACTER = 0.6
"""About how wide a character of the picture's font is, as a share of its size."""

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


Span = tuple[datetime, datetime]


def _member_from(treaty: Treaty, timeline: Timeline) -> dict[str, datetime | None]:
    """When each party would be bound as the treaty is written (None: only once it joins)."""
    tz = zone(timeline.timezone)
    result: dict[str, datetime | None] = {}
    for party in timeline.parties:
        day = treaty.party_in_force(party)
        result[party] = at_midnight(day, tz) if day is not None else None
    return result


def bound_spans(timeline: Timeline, treaty: Treaty) -> dict[str, list[Span]]:
    """Each party's spans of being bound, ``[from, until)``, cut at the horizon: from the
    treaty's entry into force (or the party's own), or from the entry into force for a party
    that joined; until its withdrawal takes effect or the treaty ends (PRODUCT.md 0.2,
    "Parties with their own dates")."""
    waiting = _member_from(treaty, timeline)
    since: dict[str, datetime] = {}
    spans: dict[str, list[Span]] = {party: [] for party in timeline.parties}
    started = False

    def close(party: str, moment: datetime) -> None:
        start = since.pop(party, None)
        if start is not None and utc(moment) > utc(start):
            spans[party].append((start, moment))

    for event in timeline.events:
        kind, party = event.kind, event.by
        if kind is EventKind.JOINED and party is not None and event.effective is not None:
            waiting[party] = event.effective
        elif kind is EventKind.ENTERED_INTO_FORCE:
            started = True
            for name, moment in waiting.items():
                if moment is not None and utc(moment) <= utc(event.at):
                    since.setdefault(name, event.at)
                    waiting[name] = None
        elif kind is EventKind.ENTERED_INTO_FORCE_FOR and party is not None:
            since.setdefault(party, event.at)
            waiting[party] = None
        elif kind is EventKind.WITHDRAWAL_EFFECTIVE and party is not None:
            close(party, event.at)
        elif kind is EventKind.TERMINATED:
            for name in list(since):
                close(name, event.at)
    if started:
        for name in list(since):
            close(name, timeline.horizon)
    return spans


def _operation_gaps(timeline: Timeline) -> dict[str, list[Span]]:
    """Each party's spans of not applying the treaty (``suspend_operation`` to
    ``resume_operation``, or to the horizon)."""
    open_at: dict[str, datetime] = {}
    gaps: dict[str, list[Span]] = {party: [] for party in timeline.parties}
    for event in timeline.events:
        if event.by is None:
            continue
        if event.kind is EventKind.OPERATION_SUSPENDED:
            open_at.setdefault(event.by, event.at)
        elif event.kind is EventKind.OPERATION_RESUMED and event.by in open_at:
            gaps[event.by].append((open_at.pop(event.by), event.at))
    for party, start in open_at.items():
        gaps[party].append((start, timeline.horizon))
    return gaps


def _minus(span: Span, holes: Sequence[Span]) -> list[Span]:
    pieces = [span]
    for hole_start, hole_end in holes:
        cut: list[Span] = []
        for start, end in pieces:
            if utc(hole_end) <= utc(start) or utc(hole_start) >= utc(end):
                cut.append((start, end))
                continue
            if utc(hole_start) > utc(start):
                cut.append((start, hole_start))
            if utc(hole_end) < utc(end):
                cut.append((hole_end, end))
        pieces = cut
    return pieces


def _overlap(a: Span, b: Span) -> Span | None:
    start = a[0] if utc(a[0]) >= utc(b[0]) else b[0]
    end = a[1] if utc(a[1]) <= utc(b[1]) else b[1]
    return (start, end) if utc(end) > utc(start) else None


@dataclass(frozen=True)
class Stroke:
    """A piece of a notice's path on its party's lane: ``notice`` from when it was given (or
    resumed) to ``end``, or ``suspended`` (the gap while it was suspended). ``ending`` says
    how a notice piece ends: ``effect`` (an arrow to its effect), ``suspended``,
    ``withdrawn``, ``treaty ended``, ``horizon`` (still pending there); ``would`` is the
    effect it would have had, where it did not reach it."""

    party: str
    kind: Literal["notice", "suspended"]
    start: datetime
    end: datetime
    ending: str
    would: datetime | None = None
    resumed: bool = False
    begun_by: int | None = None
    """The index in ``timeline.events`` of the event the piece starts at (the notice given,
    resumed or suspended)."""
    ended_by: int | None = None
    """The index of the event it ends at: the effect, a suspension, a withdrawal."""


def notice_strokes(timeline: Timeline) -> list[Stroke]:
    """The paths of every notice of the run, in time order (see :class:`Stroke`)."""
    pending: dict[str, tuple[datetime, datetime | None, bool, int]] = {}
    suspended: dict[str, tuple[datetime, int]] = {}
    strokes: list[Stroke] = []

    def stop(party: str, moment: datetime, ending: str, index: int | None) -> None:
        if party in pending:
            start, effect, resumed, begun = pending.pop(party)
            would = None if ending == "effect" else effect
            strokes.append(
                Stroke(party, "notice", start, moment, ending, would, resumed, begun, index)
            )
        if party in suspended:
            start, begun = suspended.pop(party)
            strokes.append(
                Stroke(party, "suspended", start, moment, ending, begun_by=begun, ended_by=index)
            )

    for index, event in enumerate(timeline.events):
        party = event.by
        if event.kind is EventKind.NOTICE_GIVEN and party is not None:
            pending[party] = (event.at, event.effective, False, index)
        elif event.kind is EventKind.NOTICE_SUSPENDED and party is not None:
            stop(party, event.at, "suspended", index)
            suspended[party] = (event.at, index)
        elif event.kind is EventKind.NOTICE_RESUMED and party is not None:
            if party in suspended:
                start, begun = suspended.pop(party)
                piece = Stroke(party, "suspended", start, event.at, "resumed")
                strokes.append(dataclasses.replace(piece, begun_by=begun, ended_by=index))
            if event.effective is not None:
                pending[party] = (event.at, event.effective, True, index)
        elif event.kind is EventKind.NOTICE_WITHDRAWN and party is not None:
            stop(party, event.at, "withdrawn", index)
        elif event.kind is EventKind.WITHDRAWAL_EFFECTIVE and party is not None:
            stop(party, event.at, "effect", index)
        elif event.kind is EventKind.TERMINATED:
            for name in [p for p in timeline.parties if p in pending or p in suspended]:
                effect = pending[name][1] if name in pending else None
                own = event.by == name or (effect is not None and utc(effect) == utc(event.at))
                stop(name, event.at, "effect" if own else "treaty ended", index)
    for name in [p for p in timeline.parties if p in pending or p in suspended]:
        stop(name, timeline.horizon, "horizon", None)
    strokes.sort(key=lambda s: (utc(s.start), timeline.parties.index(s.party)))
    return strokes


class _Scale:
    """Instants to x: linear in elapsed time, from ``first`` (at ``X_LEFT``) to the horizon
    (at ``X_RIGHT``)."""

    def __init__(self, first: datetime, horizon: datetime) -> None:
        self.first = utc(first)
        self.horizon = utc(horizon)
        self.seconds = max((self.horizon - self.first).total_seconds(), 1.0)

    def x(self, moment: datetime) -> float:
        moment = min(max(utc(moment), self.first), self.horizon)
        share = (moment - self.first).total_seconds() / self.seconds
        return X_LEFT + share * (X_RIGHT - X_LEFT)

    def within(self, moment: datetime) -> bool:
        return self.first <= utc(moment) <= self.horizon


def _first_instant(timeline: Timeline) -> datetime:
    """Where the picture begins: a little before the earliest event (or entry into force)."""
    known = [event.at for event in timeline.events]
    if timeline.in_force is not None:
        known.append(timeline.in_force)
    horizon = utc(timeline.horizon)
    earliest = min((utc(m) for m in known), default=horizon - timedelta(days=365))
    span = max(horizon - earliest, timedelta(days=30))
    return earliest - span / 40


def _ticks(first: datetime, horizon: datetime, timezone: str) -> list[tuple[datetime, str]]:
    """Axis ticks at local 1 January of every year (or every 2, 5, 10, ... years; or at the
    first of the month where the picture spans less than three years), with their labels."""
    tz = zone(timezone)
    start, end = local_date(first.astimezone(tz)), local_date(horizon.astimezone(tz))
    years = end.year - start.year
    ticks: list[tuple[datetime, str]] = []
    if years >= 3:
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if years / s <= 12)
        year = start.year + 1
        year += (-year) % step
        while year <= end.year:
            ticks.append((at_midnight(date(year, 1, 1), tz), str(year)))
            year += step
        return ticks
    months = years * 12 + end.month - start.month
    step = next(s for s in (1, 2, 3, 6, 12) if months / s <= 12)
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        if (month - 1) % step:
            continue
        if (year, month) > (end.year, end.month):
            return ticks
        label = str(year) if month == 1 else date(year, month, 1).strftime("%b %Y")
        ticks.append((at_midnight(date(year, month, 1), tz), label))


def _clip(text: str, characters: int) -> str:
    """A caption cut to about the picture's width (the whole text is in its tooltip)."""
    return text if len(text) <= characters else text[: characters - 1] + "…"


def _title(text: str) -> str:
    return f"<title>{_esc(text)}</title>"


def _event_data(timeline: Timeline, index: int | None) -> str:
    """The attributes that pin an element to the event of the run it draws: its index in
    ``timeline.events``, its kind and its instant (issue 18, item 2; docs/report.md)."""
    if index is None:
        return ""
    event = timeline.events[index]
    return (
        f'data-event="{index}" data-kind="{event.kind.value}" '
        f'data-at="{_esc(event.at.isoformat())}" '
    )


def _panel(timeline: Timeline, treaty: Treaty, top: float) -> tuple[list[str], float]:
    """The picture of one timeline, drawn from ``top``; its SVG elements and its height."""
    first = _first_instant(timeline)
    scale = _Scale(first, timeline.horizon)
    parties = timeline.parties
    lanes_top = top + TOP
    out: list[str] = []
    detail = (
        f"{timeline.treaty} ({timeline.timezone}), interpretation {timeline.interpretation.value}"
    )
    out.append(
        f'<text class="caption" x="12" y="{top + 18:.1f}" font-size="14" font-weight="bold">'
        f"{_esc(_clip(timeline.scenario, 110))}{_title(timeline.scenario)}</text>"
        f'<text class="caption-detail" x="12" y="{top + 34:.1f}" font-size="11" '
        f'fill="#444444">{_esc(_clip(detail, 120))}{_title(detail)}</text>'
    )

    def lane_y(party: str) -> float:
        return lanes_top + parties.index(party) * LANE

    spans = bound_spans(timeline, treaty)
    gaps = _operation_gaps(timeline)
    lanes_bottom = lanes_top + len(parties) * LANE
    for index, party in enumerate(parties):
        y = lane_y(party)
        shade = "#f4f6f9" if index % 2 == 0 else "#ffffff"
        out.append(
            f'<g class="lane" data-party="{_esc(party)}">'
            f'<rect class="lane-band" x="0" y="{y:.1f}" width="{WIDTH}" height="{LANE}" '
            f'fill="{shade}"/>'
            f'<text class="lane-label" x="{X_LEFT - 12}" y="{y + 37:.1f}" font-size="13" '
            f'text-anchor="end">{_esc(party)}</text>'
        )
        for term in timeline.terms:
            end = term.end if term.end is not None else timeline.horizon
            if utc(end) > utc(timeline.horizon):
                end = timeline.horizon
            for span in spans[party]:
                piece = _overlap((term.start, end), span)
                if piece is None:
                    continue
                for start, stop in _minus(piece, gaps[party]):
                    out.append(_term_bar(term.number, party, start, stop, term.outcome, scale, y))
        shown = [g for a in gaps[party] for b in spans[party] if (g := _overlap(a, b))]
        for start, stop in shown:
            x0, x1 = scale.x(start), scale.x(stop)
            out.append(
                f'<rect class="operation-gap" data-party="{_esc(party)}" '
                f'data-start="{_esc(start.isoformat())}" data-end="{_esc(stop.isoformat())}" '
                f'x="{x0:.1f}" '
                f'y="{y + 26:.1f}" width="{max(x1 - x0, 1):.1f}" height="16" fill="none" '
                f'stroke="{COLOURS["suspended"]}" stroke-dasharray="3 2">'
                + _title(f"{party} does not apply the treaty: {local(start)} to {local(stop)}")
                + "</rect>"
            )
        survives = timeline.survives_until.get(party)
        until = timeline.bound_until.get(party)
        if survives is not None and until is not None:
            x0, x1 = scale.x(until), scale.x(survives)
            out.append(
                f'<line class="survival" x1="{x0:.1f}" y1="{y + 34:.1f}" x2="{x1:.1f}" '
                f'y2="{y + 34:.1f}" stroke="{COLOURS["survival"]}" stroke-width="3">'
                + _title(f"{party}: obligations survive until {local(survives)}")
                + "</line>"
            )
        for term in timeline.terms:
            deadline = term.notice_deadline
            if deadline is None or not scale.within(deadline):
                continue
            if not any(utc(a) <= utc(deadline) < utc(b) for a, b in spans[party]):
                continue
            x = scale.x(deadline)
            out.append(
                f'<line class="deadline" data-term="{term.number}" data-party="{_esc(party)}" '
                f'data-at="{_esc(deadline.isoformat())}" x1="{x:.1f}" y1="{y + 20:.1f}" '
                f'x2="{x:.1f}" y2="{y + 48:.1f}" stroke="{COLOURS["deadline"]}" '
                f'stroke-width="2">'
                + _title(
                    f"term {term.number}: notice deadline {local(deadline)} (last day to "
                    f"notify {spoken(last_day(deadline))})"
                )
                + "</line>"
            )
        out.append("</g>")
    for stroke in notice_strokes(timeline):
        out.append(_stroke(stroke, scale, lane_y(stroke.party), timeline))
    for index, event in enumerate(timeline.events):
        out.extend(_marker(event, scale, parties, lane_y, _event_data(timeline, index)))
    if timeline.terminated_at is not None and scale.within(timeline.terminated_at):
        x = scale.x(timeline.terminated_at)
        ending = next(
            (i for i, e in enumerate(timeline.events) if e.kind is EventKind.TERMINATED), None
        )
        out.append(
            f'<line class="ended" {_event_data(timeline, ending)}'
            f'x1="{x:.1f}" y1="{lanes_top - 4:.1f}" x2="{x:.1f}" '
            f'y2="{lanes_bottom + 4:.1f}" stroke="{COLOURS["ended"]}" stroke-width="2">'
            + _title(f"the treaty ends: {ended(timeline.terminated_at)}")
            + "</line>"
        )
        words = f"treaty ends {_day_of(timeline.terminated_at)}"
        # the horizon's label takes the right end of the row
        clear = x + 4 + DATE_FONT * CHARACTER * (len(words) + 20) <= X_RIGHT
        out.append(
            f'<text class="ended-label" x="{x + 4 if clear else x - 4:.1f}" '
            f'y="{lanes_top - 20:.1f}" font-size="{DATE_FONT}" '
            f'text-anchor="{"start" if clear else "end"}" fill="{COLOURS["ended"]}">'
            f"{_esc(words)}</text>"
        )
    out.extend(_term_end_labels(timeline, scale, lanes_top - 5))
    out.extend(_axis(timeline, scale, first, lanes_bottom))
    horizon = timeline.horizon
    out.append(
        f'<line class="horizon" data-at="{_esc(horizon.isoformat())}" x1="{X_RIGHT}" '
        f'y1="{lanes_top - 16:.1f}" x2="{X_RIGHT}" y2="{lanes_bottom + 6:.1f}" '
        f'stroke="{COLOURS["horizon"]}" stroke-width="1.5" stroke-dasharray="6 3">'
        + _title(f"horizon: the run stops at {local(horizon)}")
        + "</line>"
        f'<text class="horizon-label" x="{X_RIGHT}" y="{lanes_top - 20:.1f}" font-size="11" '
        f'text-anchor="end">horizon {_esc(local_date(horizon).isoformat())}</text>'
    )
    legend, legend_height = _legend(lanes_bottom + AXIS)
    out.extend(legend)
    return out, lanes_bottom + AXIS + legend_height - top


def _term_bar(
    number: int,
    party: str,
    start: datetime,
    stop: datetime,
    outcome: object,
    scale: _Scale,
    y: float,
) -> str:
    x0, x1 = scale.x(start), scale.x(stop)
    width = max(x1 - x0 - 1, 1)
    colour = TERM_COLOURS[number % 2]
    label = f"term {number}" if width > 48 else str(number) if width > 14 else ""
    text = (
        f'<text class="term-label" x="{x0 + width / 2:.1f}" y="{y + 38:.1f}" font-size="11" '
        f'fill="#ffffff" text-anchor="middle" pointer-events="none">{label}</text>'
        if label
        else ""
    )
    tip = f"{party}, term {number}: {local(start)} to {local(stop)} ({outcome})"
    return (
        f'<rect class="term" data-term="{number}" data-party="{_esc(party)}" '
        f'data-start="{_esc(start.isoformat())}" data-end="{_esc(stop.isoformat())}" '
        f'x="{x0:.1f}" y="{y + 26:.1f}" width="{width:.1f}" height="16" fill="{colour}">'
        f"{_title(tip)}</rect>{text}"
    )


def _head(x: float, y: float, colour: str, *, hollow: bool, css: str, data: str = "") -> str:
    points = f"{x:.1f},{y:.1f} {x - 8:.1f},{y - 4.5:.1f} {x - 8:.1f},{y + 4.5:.1f}"
    fill = "#ffffff" if hollow else colour
    return (
        f'<polygon class="{css}" {data}points="{points}" fill="{fill}" stroke="{colour}" '
        f'stroke-width="1.2"/>'
    )


def _day_of(moment: datetime) -> str:
    return local_date(moment).isoformat()


def _notice_words(stroke: Stroke) -> str:
    """The dates of a notice, printed beside its arrow: given (or resumed), its effect, and
    what stopped it first: ``notice 2019-08-23, effect 2019-11-23, suspended 2019-11-22``."""
    words = [f"{'resumed' if stroke.resumed else 'notice'} {_day_of(stroke.start)}"]
    if stroke.ending == "effect":
        words.append(f"effect {_day_of(stroke.end)}")
        return ", ".join(words)
    if stroke.would is not None:
        words.append(f"effect {_day_of(stroke.would)}")
    if stroke.ending != "horizon":
        words.append(f"{stroke.ending} {_day_of(stroke.end)}")
    return ", ".join(words)


def _term_end_labels(timeline: Timeline, scale: _Scale, y: float) -> list[str]:
    """Each term's end as a date above the lanes (the local date of the end instant, the
    day after the last day in force), left out where it would run into the one before."""
    out: list[str] = []
    room = 0.0
    for term in timeline.terms:
        if term.end is None or not scale.within(term.end) or utc(term.end) >= utc(timeline.horizon):
            continue
        x = scale.x(term.end)
        text = _day_of(term.end)
        wide = DATE_FONT * CHARACTER * len(text)
        # centred on the end, or ending there where it would cross the horizon's line
        left, anchor = (x - wide / 2, "middle") if x + wide / 2 < X_RIGHT - 3 else (x - wide, "end")
        if left < room:
            continue
        room = left + wide + 6
        out.append(
            f'<text class="term-end-label" data-term="{term.number}" '
            f'data-at="{_esc(term.end.isoformat())}" x="{x:.1f}" y="{y:.1f}" '
            f'font-size="{DATE_FONT}" text-anchor="{anchor}" fill="#333333">{text}'
            + _title(
                f"term {term.number} ends {local(term.end)} (last day in force "
                f"{spoken(last_day(term.end))})"
            )
            + "</text>"
        )
    return out


def _stroke(stroke: Stroke, scale: _Scale, y: float, timeline: Timeline) -> str:
    level = y + 14
    begun = _event_data(timeline, stroke.begun_by)
    x0, x1 = scale.x(stroke.start), scale.x(stroke.end)
    party = _esc(stroke.party)
    if stroke.kind == "suspended":
        return (
            f'<line class="suspension" {begun}data-party="{party}" '
            f'x1="{x0:.1f}" y1="{level:.1f}" '
            f'x2="{x1:.1f}" y2="{level:.1f}" stroke="{COLOURS["suspended"]}" '
            f'stroke-width="1.5" stroke-dasharray="1 4">'
            + _title(
                f"{stroke.party}'s notice suspended from {local(stroke.start)} to "
                f"{local(stroke.end)} ({stroke.ending})"
            )
            + "</line>"
        )
    colour = COLOURS["notice"]
    label = _notice_words(stroke)
    fits = x0 + 5 + DATE_FONT * CHARACTER * len(label) <= X_RIGHT - 4
    label_x, anchor = (x0 + 5, "start") if fits else (x0 - 5, "end")
    tip = f"{stroke.party}'s notice, from {local(stroke.start)}: "
    if stroke.ending == "effect":
        tip += f"takes effect {local(stroke.end)}"
    else:
        tip += f"{stroke.ending} {local(stroke.end)}"
        if stroke.would is not None:
            tip += f"; it would have taken effect {local(stroke.would)}"
    parts = [
        f'<g class="notice" {begun}data-party="{party}" '
        f'data-start="{_esc(stroke.start.isoformat())}" '
        f'data-end="{_esc(stroke.end.isoformat())}" data-ending="{_esc(stroke.ending)}">'
        + _title(tip),
        f'<circle class="notice-given" cx="{x0:.1f}" cy="{level:.1f}" r="3" fill="{colour}"/>',
        f'<text class="notice-label" x="{label_x:.1f}" y="{level - 5:.1f}" '
        f'font-size="{DATE_FONT}" '
        f'text-anchor="{anchor}" fill="{colour}">{_esc(label)}</text>',
        f'<line class="notice-line" x1="{x0:.1f}" y1="{level:.1f}" x2="{x1:.1f}" '
        f'y2="{level:.1f}" stroke="{colour}" stroke-width="2"/>',
    ]
    if stroke.ending == "effect" and scale.within(stroke.end):
        effect = _event_data(timeline, stroke.ended_by)
        parts.append(_head(x1, level, colour, hollow=False, css="notice-head", data=effect))
    elif stroke.would is not None and scale.within(stroke.would):
        parts.append(_head(scale.x(stroke.would), level, colour, hollow=True, css="notice-would"))
    elif stroke.ending in ("suspended", "withdrawn", "treaty ended"):
        parts.append(
            f'<line class="notice-stop" x1="{x1:.1f}" y1="{level - 5:.1f}" x2="{x1:.1f}" '
            f'y2="{level + 5:.1f}" stroke="{colour}" stroke-width="2"/>'
        )
    parts.append("</g>")
    return "".join(parts)


def _marker(
    event: Event,
    scale: _Scale,
    parties: Sequence[str],
    lane_y: Callable[[str], float],
    data: str,
) -> list[str]:
    """A mark for an event the bars and arrows do not show: a rejected action (a cross) or an
    extension (a diamond), on the lane of its party, or on every lane."""
    if event.kind not in (EventKind.REJECTED, EventKind.EXTENDED):
        return []
    on = [event.by] if event.by is not None and event.by in parties else list(parties)
    x = scale.x(event.at)
    marks = []
    for party in on:
        y = lane_y(party) + 34
        if event.kind is EventKind.REJECTED:
            tip = f"rejected: {event.action or 'action'} by {event.by or 'all parties'} at "
            tip += f"{local(event.at)}: {event.reason or ''}"
            c = COLOURS["rejected"]
            marks.append(
                f'<g class="rejected" {data}data-party="{_esc(party)}">{_title(tip)}'
                f'<line x1="{x - 5:.1f}" y1="{y - 5:.1f}" x2="{x + 5:.1f}" y2="{y + 5:.1f}" '
                f'stroke="{c}" stroke-width="2.5"/><line x1="{x - 5:.1f}" y1="{y + 5:.1f}" '
                f'x2="{x + 5:.1f}" y2="{y - 5:.1f}" stroke="{c}" stroke-width="2.5"/></g>'
            )
        else:
            effect = f", new end {local(event.effective)}" if event.effective else ""
            tip = f"extended at {local(event.at)}{effect}"
            points = (
                f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}"
            )
            marks.append(
                f'<polygon class="extended" {data}data-party="{_esc(party)}" points="{points}" '
                f'fill="{COLOURS["extended"]}" stroke="#ffffff">{_title(tip)}</polygon>'
            )
    return marks


def _axis(timeline: Timeline, scale: _Scale, first: datetime, bottom: float) -> list[str]:
    out = [
        f'<line class="axis" x1="{X_LEFT}" y1="{bottom:.1f}" x2="{X_RIGHT}" y2="{bottom:.1f}" '
        f'stroke="#555555"/>'
    ]
    for moment, label in _ticks(first, timeline.horizon, timeline.timezone):
        if not scale.within(moment):
            continue
        x = scale.x(moment)
        out.append(
            f'<line class="axis-tick" x1="{x:.1f}" y1="{bottom:.1f}" x2="{x:.1f}" '
            f'y2="{bottom + 5:.1f}" stroke="#555555"/>'
            f'<text class="axis-label" x="{x:.1f}" y="{bottom + 18:.1f}" font-size="11" '
            f'text-anchor="middle" fill="#333333">{_esc(label)}</text>'
        )
    return out


def _legend(top: float) -> tuple[list[str], float]:
    """The key to the picture, in rows as wide as the picture; its elements and height."""
    items: list[tuple[str, str]] = [
        (
            f'<rect x="0" y="-6" width="22" height="12" fill="{TERM_COLOURS[1]}"/>',
            "term (party bound)",
        ),
        (
            f'<line x1="11" y1="-8" x2="11" y2="8" stroke="{COLOURS["deadline"]}" '
            f'stroke-width="2"/>',
            "notice deadline",
        ),
        (
            f'<line x1="0" y1="0" x2="18" y2="0" stroke="{COLOURS["notice"]}" stroke-width="2"/>'
            f'<polygon points="24,0 16,-4.5 16,4.5" fill="{COLOURS["notice"]}"/>',
            "notice to its effect",
        ),
        (
            f'<line x1="0" y1="0" x2="16" y2="0" stroke="{COLOURS["notice"]}" stroke-width="2"/>'
            f'<polygon points="24,0 16,-4.5 16,4.5" fill="#ffffff" '
            f'stroke="{COLOURS["notice"]}"/>',
            "effect not reached",
        ),
        (
            f'<line x1="0" y1="0" x2="24" y2="0" stroke="{COLOURS["suspended"]}" '
            f'stroke-width="1.5" stroke-dasharray="1 4"/>',
            "notice suspended",
        ),
        (
            f'<rect x="0" y="-6" width="22" height="12" fill="none" '
            f'stroke="{COLOURS["suspended"]}" stroke-dasharray="3 2"/>',
            "not applied by the party",
        ),
        (
            f'<line x1="11" y1="-8" x2="11" y2="8" stroke="{COLOURS["ended"]}" stroke-width="2"/>',
            "treaty ends",
        ),
        (
            f'<line x1="11" y1="-8" x2="11" y2="8" stroke="{COLOURS["horizon"]}" '
            f'stroke-dasharray="4 2"/>',
            "horizon",
        ),
        (
            f'<path d="M7,-5 L17,5 M7,5 L17,-5" stroke="{COLOURS["rejected"]}" '
            f'stroke-width="2.5"/>',
            "rejected",
        ),
    ]
    out = ['<g class="legend" font-size="11" fill="#333333">']
    x, y = float(X_LEFT), top + 14
    for sample, label in items:
        width = 30 + 6.5 * len(label) + 20
        if x + width > WIDTH:
            x, y = float(X_LEFT), y + LEGEND_ROW
        out.append(
            f'<g transform="translate({x:.1f},{y:.1f})">{sample}'
            f'<text x="30" y="4">{_esc(label)}</text></g>'
        )
        x += width
    out.append("</g>")
    return out, y - top + LEGEND_ROW


def svg_picture(timelines: Sequence[Timeline], treaty: Treaty) -> str:
    """One SVG element: the picture of each timeline, one above the other."""
    body: list[str] = []
    top = 0.0
    for timeline in timelines:
        elements, height = _panel(timeline, treaty, top)
        body.append(
            f'<g class="timeline" data-interpretation="{timeline.interpretation.value}">'
            + "".join(elements)
            + "</g>"
        )
        top += height + PANEL_GAP
    height = top - PANEL_GAP
    label = "; ".join(f"{t.scenario}, interpretation {t.interpretation.value}" for t in timelines)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-picture" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'role="img" aria-label="{_esc("timeline: " + label)}" font-family="{FONT}">'
        + "".join(body)
        + "</svg>"
    )


def svg_document(timelines: Sequence[Timeline], treaty: Treaty) -> str:
    """``report --format svg``: the picture alone, as a standalone SVG file."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{MARKER}\n'
        + svg_picture(timelines, treaty)
        + "\n"
    )


STYLE = (
    """
body { font-family: %s; margin: 2rem auto; max-width: 1800px; padding: 0 1rem;
       color: #1d1d1d; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
.description { color: #444; }
dl.summary { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.summary dt { font-weight: 600; }
dl.summary dd { margin: 0; }
figure { margin: 1rem 0; }
svg.timeline-picture { width: 100%%; height: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #eef1f5; }
td.rejected { color: #8e44ad; }
footer { margin-top: 3rem; color: #666; font-size: 0.8rem; }
""".strip()
    % FONT
)  # a % keeps the CSS braces readable


@dataclass(frozen=True)
class Cell:
    """A table cell: the text a reader sees, and the value of the run it shows, written as
    ``run --format json`` writes it (an instant, a date, a number, a name), in the cell's
    ``data-value`` so that a program can read the table (issue 18, item 2)."""

    text: str
    value: str


def _table(css: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    head = "".join(f"<th scope='col'>{_esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td data-value="{_esc(c.value)}">{_esc(c.text)}</td>' for c in row)
        + "</tr>"
        for row in rows
    )
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


DEADLINE_HEADERS = (
    "term",
    "start",
    "end",
    "last day in force",
    "notice deadline",
    "last day to notify",
    "outcome",
)


def _instant(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def deadline_rows(timeline: Timeline) -> list[list[Cell]]:
    """One row per term: its ends and its notice deadline with the last day to notify."""
    rows: list[list[Cell]] = []
    for term in timeline.terms:
        deadline = term.notice_deadline
        end_day = last_day(term.end) if term.end is not None else None
        notify_day = last_day(deadline) if deadline is not None else None
        rows.append(
            [
                Cell(str(term.number), str(term.number)),
                Cell(local(term.start), _instant(term.start)),
                Cell(local(term.end) or "(indefinite)", _instant(term.end)),
                Cell(spoken(end_day), _day(end_day)),
                Cell(local(deadline), _instant(deadline)),
                Cell(spoken(notify_day), _day(notify_day)),
                Cell(term.outcome.value, term.outcome.value),
            ]
        )
    return rows


def event_cells(timeline: Timeline) -> list[list[Cell]]:
    """The events table of :func:`sim.render.event_rows`, each cell with its value: the
    instant, the kind, the party, the term, and (in the note) the effect."""
    return [
        [
            Cell(str(text), value)
            for text, value in zip(
                row,
                (
                    _instant(event.at),
                    event.kind.value,
                    event.by or "",
                    str(event.term or ""),
                    _instant(event.effective),
                ),
                strict=True,
            )
        ]
        for row, event in zip(event_rows(timeline), timeline.events, strict=True)
    ]


def _summary(timeline: Timeline) -> str:
    end = (
        f"terminated at {ended(timeline.terminated_at)}"
        if timeline.terminated_at is not None
        else "in force at the horizon"
    )
    items = [
        ("treaty", f"{timeline.treaty} ({timeline.timezone})"),
        ("interpretation", timeline.interpretation.value),
        ("horizon", local(timeline.horizon)),
        ("end", end),
    ]
    for party, until in timeline.bound_until.items():
        items.append((party, f"bound through {bound_through(until)}" if until else STILL_BOUND))
    body = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in items)
    return f'<dl class="summary">{body}</dl>'


def html_report(
    timelines: Sequence[Timeline],
    treaty: Treaty,
    *,
    description: str | None = None,
    generator: str = "treaty-sim",
) -> str:
    """``report``: one self-contained page: for each timeline (one per interpretation, one
    above the other), a summary, the picture, the deadline table and the events."""
    name = timelines[0].scenario
    sections = []
    for timeline in timelines:
        value = timeline.interpretation.value
        heading = f"Interpretation: {value}" if len(timelines) > 1 else "Timeline"
        sections.append(
            f'<section class="interpretation" id="interpretation-{value}" '
            f'data-interpretation="{value}">'
            f"<h2>{_esc(heading)}</h2>" + f"<figure>{svg_picture([timeline], treaty)}"
            f"<figcaption>Dates in {_esc(timeline.timezone)}: each notice with its effect, "
            "each term's end above the lanes; hover an element for its exact instant."
            "</figcaption></figure>"
            + _summary(timeline)
            + "<h3>Deadlines</h3>"
            + _table("deadlines", DEADLINE_HEADERS, deadline_rows(timeline))
            + "<h3>Events</h3>"
            + _table("events", EVENT_HEADERS, event_cells(timeline))
            + "</section>"
        )
    intro = f'<p class="description">{_esc(description)}</p>' if description else ""
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return (
        f"<!DOCTYPE html>\n{MARKER}\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(name)}: treaty-sim report</title>\n"
        f"<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        f"<header><h1>{_esc(name)}</h1>{intro}</header>\n"
        + "\n".join(sections)
        + f"\n<footer>Made by {_esc(generator)} report.</footer>\n</body>\n</html>\n"
    )
