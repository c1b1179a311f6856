"""Every output is pinned to the run it comes from (issue 18, item 2): over every scenario in
scenarios/ and over generated ones, the calendar feed holds exactly the run's dated events
and deadlines at their instants, the picture draws each event it shows with its instant in
``data-at``, and the HTML tables equal ``run --format json`` cell by cell."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from strategies import scenarios, scenarios_02

from sim.commands.calendar import Years, timeline_entries
from sim.core.model import EventKind, Scenario, Treaty
from sim.core.timeline import Timeline
from sim.engine import run
from sim.io.report import html_report, svg_picture
from sim.render import timeline_json
from sim.source import load_source, simulate

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"


def _from_file(path: Path) -> tuple[Timeline, Treaty]:
    source = load_source(str(path))
    return simulate(source), source.treaty


def _generated(scenario: Scenario) -> tuple[Timeline, Treaty]:
    assert isinstance(scenario.treaty, Treaty)
    return run(scenario, scenario.treaty), scenario.treaty


def _key(moment: datetime) -> str:
    """An instant, to compare across zones: its UTC time to the second."""
    return moment.astimezone(UTC).isoformat()


def _local_day_before(moment: datetime) -> date:
    # PRODUCT.md, "Time": the last day is the local date of the last instant before `end`
    # (and the last day to notify the local date before the notice deadline).
    # Elapsed time, not wall clock: where 00:00 does not exist (Santiago's spring-forward
    # at midnight), the instant before 01:00 is on the day before.
    return (moment.astimezone(UTC) - timedelta(microseconds=1)).astimezone(moment.tzinfo).date()


# --- the calendar ----------------------------------------------------------------------------

_EFFECTS = {
    EventKind.WITHDRAWAL_EFFECTIVE: "withdrawal",
    EventKind.TERMINATED: "termination",
    EventKind.SURVIVAL_ENDED: "survival end",
}
_ENDS_A_NOTICE = (
    EventKind.NOTICE_SUSPENDED,
    EventKind.NOTICE_WITHDRAWN,
    EventKind.WITHDRAWAL_EFFECTIVE,
)


def _expected_calendar(timeline: Timeline) -> Counter[tuple[str, str]]:
    """What the calendar must hold, from the run alone: each term's end; each notice
    deadline the term reaches (before its end), with the last day to notify the local day
    before it; each effect of the run (a withdrawal, the treaty's end, the end of surviving
    obligations); and each notice still pending at the horizon (given, or resumed with an
    effect, and after it neither suspended, withdrawn nor taken effect, nor the treaty
    ended), at its effect."""
    expected: Counter[tuple[str, str]] = Counter()
    for term in timeline.terms:
        if term.end is not None:
            expected["term end", _key(term.end)] += 1
        deadline = term.notice_deadline
        if deadline is not None and (term.end is None or deadline < term.end):
            expected["notice deadline", _key(deadline)] += 1
            expected["last day to notify", _local_day_before(deadline).isoformat()] += 1
    events = timeline.events
    for index, event in enumerate(events):
        if event.kind in _EFFECTS:
            expected[_EFFECTS[event.kind], _key(event.at)] += 1
        notice = event.kind in (EventKind.NOTICE_GIVEN, EventKind.NOTICE_RESUMED)
        if not notice or event.effective is None or event.by is None:
            continue
        later = events[index + 1 :]
        stopped = any(e.by == event.by and e.kind in _ENDS_A_NOTICE for e in later)
        if not stopped and not any(e.kind is EventKind.TERMINATED for e in later):
            expected["notice effect", _key(event.effective)] += 1
    return expected


def _calendar(timeline: Timeline) -> Counter[tuple[str, str]]:
    every_year = Years(None, 9998, date(2000, 1, 1))
    entries = timeline_entries(timeline, "key", "title", every_year, None, True)
    found: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        if isinstance(entry.start, datetime):
            found[entry.category, _key(entry.start)] += 1
        else:
            found[entry.category, entry.start.isoformat()] += 1
    return found


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_the_calendar_holds_exactly_the_runs_dates_of_every_scenario(path: Path) -> None:
    timeline, _ = _from_file(path)
    assert _calendar(timeline) == _expected_calendar(timeline)


# Notices still pending at the horizon, which no file of scenarios/ has: GSOMIA's notice of
# 23 August 2019 (effect 00:00 KST on 23 November, art. 21(3)) with the run stopped on
# 1 October; the US notice on the INF Treaty of 2 February 2019 (effect 2 August, art. XV(2),
# six months) stopped on 1 May; and GSOMIA's notice suspended and resumed under `fresh`.
PENDING = {
    "gsomia": "treaty: gsomia\nhorizon: 2019-10-01\nactions:\n"
    "  - {at: 2019-08-23, by: KR, do: notify}\n",
    "inf": "treaty: inf\nhorizon: 2019-05-01\nactions:\n  - {at: 2019-02-02, by: US, do: notify}\n",
    "resumed": "treaty: gsomia\ninterpretation: fresh\nhorizon: 2020-06-01\nactions:\n"
    "  - {at: 2019-08-23, by: KR, do: notify}\n"
    '  - {at: "2019-11-22T18:00", by: KR, do: suspend_notice}\n'
    "  - {at: 2020-05-01, by: KR, do: resume_notice}\n",
}


@pytest.mark.parametrize("name", PENDING)
def test_a_notice_pending_at_the_horizon_is_in_the_calendar_at_its_effect(
    name: str, tmp_path: Path
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"name: {name}\n{PENDING[name]}", encoding="utf-8")
    timeline, _ = _from_file(path)
    expected = _expected_calendar(timeline)
    assert any(category == "notice effect" for category, _ in expected)
    assert _calendar(timeline) == expected


@given(scenarios() | scenarios_02)
def test_the_calendar_holds_exactly_the_runs_dates_of_generated_scenarios(
    scenario: Scenario,
) -> None:
    timeline, _ = _generated(scenario)
    assert _calendar(timeline) == _expected_calendar(timeline)


# --- the picture -----------------------------------------------------------------------------

_DRAWN = {
    EventKind.NOTICE_GIVEN,
    EventKind.NOTICE_SUSPENDED,
    EventKind.WITHDRAWAL_EFFECTIVE,
    EventKind.TERMINATED,
    EventKind.REJECTED,
    EventKind.EXTENDED,
}
"""The events the picture draws (docs/report.md): the start of each notice's arrow, each
suspension's gap, each effect's arrow head, the treaty's end, and a mark for each rejected
action or extension; and a resumption that gives the notice an effect of its own."""


def _drawn(timeline: Timeline) -> set[int]:
    return {
        index
        for index, event in enumerate(timeline.events)
        if event.kind in _DRAWN
        or (event.kind is EventKind.NOTICE_RESUMED and event.effective is not None)
    }


def _check_picture(timeline: Timeline, treaty: Treaty) -> None:
    root = ET.fromstring(svg_picture([timeline], treaty))
    found: dict[int, list[ET.Element]] = {}
    for element in root.iter():
        if element.get("data-event") is not None:
            found.setdefault(int(element.get("data-event", "")), []).append(element)
    # Every event drawn, and only those, each element with its kind and its instant.
    assert set(found) == _drawn(timeline)
    for index, elements in found.items():
        event = timeline.events[index]
        for element in elements:
            assert element.get("data-kind") == event.kind.value
            assert _key(datetime.fromisoformat(element.get("data-at", ""))) == _key(event.at)
        if event.kind in (EventKind.REJECTED, EventKind.EXTENDED):
            # One mark on the lane of its party, or on every lane for all the parties.
            lanes = 1 if event.by in timeline.parties else len(timeline.parties)
            marks = [e for e in elements if e.get("class") == event.kind.value]
            assert len(marks) == lanes


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_the_picture_draws_the_runs_events_of_every_scenario(path: Path) -> None:
    _check_picture(*_from_file(path))


@given(scenarios() | scenarios_02)
def test_the_picture_draws_the_runs_events_of_generated_scenarios(scenario: Scenario) -> None:
    _check_picture(*_generated(scenario))


# --- the HTML tables -------------------------------------------------------------------------


def _table(page: str, css: str) -> list[list[tuple[str, str]]]:
    """The rows of the page's table of class ``css``: each cell's value and text."""
    match = re.search(rf'<table class="{css}">.*?</table>', page, re.DOTALL)
    assert match is not None
    table = ET.fromstring(match.group(0))
    return [
        [(cell.get("data-value", ""), cell.text or "") for cell in row.iter("td")]
        for row in table.iter("tr")
        if row.find("td") is not None
    ]


def _shows_instant(text: str, value: str) -> bool:
    """A cell's text shows the instant of its value: weekday, local date, time and offset."""
    moment = datetime.fromisoformat(value)
    weekday = moment.date().strftime("%a")
    return text == f"{weekday} {value[:10]} {value[11:16]} {value[19:]}"


def _check_tables(timeline: Timeline, treaty: Treaty) -> None:
    page = html_report([timeline], treaty)
    document: dict[str, Any] = timeline_json(timeline)
    events = _table(page, "events")
    assert len(events) == len(document["events"])
    for row, event in zip(events, document["events"], strict=True):
        wanted = [event["at"], event["kind"], event["by"] or "", str(event["term"] or "")]
        assert [value for value, _ in row[:4]] == wanted
        assert row[4][0] == (event["effective"] or "")
        assert _shows_instant(row[0][1], event["at"])
        assert row[1][1] == event["kind"]
    terms = _table(page, "deadlines")
    assert len(terms) == len(document["terms"])
    for row, term in zip(terms, document["terms"], strict=True):
        values = [value for value, _ in row]
        fields = ("number", "start", "end", "last_day", "notice_deadline")
        assert values[:5] == [str(term[f]) if term[f] is not None else "" for f in fields]
        assert values[6] == term["outcome"]
        deadline = term["notice_deadline"]
        notify = _local_day_before(datetime.fromisoformat(deadline)) if deadline else None
        assert values[5] == (notify.isoformat() if notify else "")
        assert _shows_instant(row[1][1], term["start"])
        if term["end"] is not None:
            assert _shows_instant(row[2][1], term["end"])


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_the_html_tables_equal_the_run_of_every_scenario(path: Path) -> None:
    _check_tables(*_from_file(path))


@given(scenarios() | scenarios_02)
def test_the_html_tables_equal_the_run_of_generated_scenarios(scenario: Scenario) -> None:
    _check_tables(*_generated(scenario))
