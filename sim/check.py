"""``treaty-sim check``: compare a scenario's ``expect:`` with its simulated timeline.

Every key ``expect:`` can name is compared when it is given (PRODUCT.md, "Scenario files",
and "Additions for version 0.2": ``events`` with ``effective``, ``terms`` with ``outcome``,
``parties`` with ``bound_until`` and ``survives_until``; ``signed`` and ``in_force``, the
treaty's own dates, and a party's ``in_force``, so that a built-in's dates are pinned); each
difference is one line that begins with the field it is about (``events[2].by: ...``), so a
reader, and a test, can tell which expectation failed.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from sim.core.dates import as_instant, iso, utc, zone
from sim.core.model import Expect, ExpectedEvent, ExpectedParty, ExpectedTerm, Moment, Treaty
from sim.core.timeline import Event, Timeline

__all__ = ["differences"]


def _show(moment: datetime | None) -> str:
    return iso(moment) if moment is not None else "null (still bound at the horizon)"


def _shown(moment: datetime | None) -> str:
    return iso(moment) if moment is not None else "null"


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else "null"


def _same(one: datetime | None, other: datetime | None) -> bool:
    """The same instant (compared in UTC: within a fall-back hour, two readings of one wall
    clock time are different instants), or both None."""
    if one is None or other is None:
        return one is other
    return utc(one) == utc(other)


def _instant(value: Moment | None, tz: tzinfo) -> datetime | None:
    return as_instant(value, tz) if value is not None else None


def differences(expect: Expect, timeline: Timeline, treaty: Treaty) -> list[str]:
    """One line per expectation the timeline does not meet, naming the field: empty when
    the scenario passes."""
    tz = zone(treaty.timezone)
    given = expect.model_fields_set
    found: list[str] = []
    if "terminated_at" in given:
        wanted = _instant(expect.terminated_at, tz)
        if not _same(wanted, timeline.terminated_at):
            shown = _show(timeline.terminated_at)
            found.append(f"terminated_at: expected {_show(wanted)}, simulated {shown}")
    for party, value in (expect.bound_until or {}).items():
        if party not in timeline.bound_until:
            found.append(f"bound_until.{party}: {party} is not a party of {treaty.name}")
            continue
        until = _instant(value, tz)
        simulated = timeline.bound_until[party]
        if not _same(until, simulated):
            found.append(
                f"bound_until.{party}: expected {_show(until)}, simulated {_show(simulated)}"
            )
    for key in ("signed", "in_force"):
        if key in given:
            wanted_day, written = getattr(expect, key), getattr(treaty, key)
            if wanted_day != written:
                has = f"{treaty.name} has {_day(written)}"
                found.append(f"{key}: expected {_day(wanted_day)}, {has}")
    for moment, status in (expect.status_at or {}).items():
        simulated_status = timeline.status_at(as_instant(moment, tz))
        if simulated_status != status:
            found.append(f"status_at.{moment}: expected {status}, simulated {simulated_status}")
    for index, event in enumerate(expect.events or []):
        found.extend(_event_differences(f"events[{index}]", event, timeline, tz))
    for index, term in enumerate(expect.terms or []):
        found.extend(_term_differences(f"terms[{index}]", term, timeline, tz))
    for index, party_entry in enumerate(expect.parties or []):
        found.extend(_party_differences(f"parties[{index}]", party_entry, timeline, treaty, tz))
    return found


def _event_fields(expected: ExpectedEvent, event: Event, tz: tzinfo) -> list[str]:
    """The fields of ``expected`` that ``event`` does not meet, in the order they are
    written (``at``, ``kind``, ``by``, ``effective``, ``late_for``)."""
    wrong = []
    if not _same(event.at, as_instant(expected.at, tz)):
        wrong.append("at")
    if event.kind is not expected.kind:
        wrong.append("kind")
    if expected.by is not None and event.by != expected.by:
        wrong.append("by")
    if "effective" in expected.model_fields_set and not _same(
        event.effective, _instant(expected.effective, tz)
    ):
        wrong.append("effective")
    if "late_for" in expected.model_fields_set and not _same(
        event.late_for, _instant(expected.late_for, tz)
    ):
        wrong.append("late_for")
    return wrong


def _describe(kind: str, by: str | None, at: datetime, effective: datetime | None) -> str:
    who = f" by {by}" if by else ""
    then = f" effective {iso(effective)}" if effective is not None else ""
    return f"{kind}{who} at {iso(at)}{then}"


def _event_differences(
    name: str, expected: ExpectedEvent, timeline: Timeline, tz: tzinfo
) -> list[str]:
    """Nothing if some event meets every field of ``expected``; otherwise one line naming
    the fields in which the nearest events differ (those that meet the most of them: any of
    these fields may be the wrong one)."""
    if not timeline.events:
        return [f"{name}.at: expected {expected.kind.value}, but the timeline has no event"]
    misses = [(_event_fields(expected, event, tz), event) for event in timeline.events]
    fewest = min(len(wrong) for wrong, _ in misses)
    if fewest == 0:
        return []
    nearest = [(wrong, event) for wrong, event in misses if len(wrong) == fewest]
    order = ("at", "kind", "by", "effective", "late_for")
    wrong_fields = [field for field in order if any(field in wrong for wrong, _ in nearest)]
    fields = ", ".join(f"{name}.{field}" for field in wrong_fields)
    effective = _instant(expected.effective, tz)
    wanted = _describe(expected.kind.value, expected.by, as_instant(expected.at, tz), effective)
    if "effective" in expected.model_fields_set and effective is None:
        wanted += " with no date of effect"
    if "late_for" in expected.model_fields_set:
        late = _instant(expected.late_for, tz)
        wanted += f" late for {iso(late)}" if late is not None else " in time"
    shown = "; ".join(
        _describe(event.kind.value, event.by, event.at, event.effective) for _, event in nearest[:3]
    )
    more = f" (and {len(nearest) - 3} more)" if len(nearest) > 3 else ""
    return [f"{fields}: expected {wanted}, not simulated; nearest: {shown}{more}"]


def _term_differences(
    name: str, expected: ExpectedTerm, timeline: Timeline, tz: tzinfo
) -> list[str]:
    terms = [term for term in timeline.terms if term.number == expected.number]
    if not terms:
        numbers = [term.number for term in timeline.terms]
        have = f"terms {numbers[0]} to {numbers[-1]}" if numbers else "no term"
        return [f"{name}.number: no term {expected.number} in the timeline ({have})"]
    term = terms[0]
    found = []
    if expected.outcome is not None and term.outcome.value != expected.outcome:
        found.append(
            f"{name}.outcome: term {term.number} expected {expected.outcome}, "
            f"simulated {term.outcome.value}"
        )
    if "end" in expected.model_fields_set:
        end = _instant(expected.end, tz)
        if not _same(end, term.end):
            found.append(
                f"{name}.end: term {term.number} expected to end {_shown(end)}, "
                f"simulated {_shown(term.end)}"
            )
    return found


def _party_differences(
    name: str, expected: ExpectedParty, timeline: Timeline, treaty: Treaty, tz: tzinfo
) -> list[str]:
    party = expected.party
    if party not in timeline.bound_until:
        return [f"{name}.party: {party} is not a party of {treaty.name}"]
    given = expected.model_fields_set
    found = []
    if "bound_until" in given:
        until = _instant(expected.bound_until, tz)
        simulated = timeline.bound_until[party]
        if not _same(until, simulated):
            found.append(
                f"{name}.bound_until: {party} expected {_show(until)}, simulated {_show(simulated)}"
            )
    if "in_force" in given and expected.in_force != treaty.party_in_force(party):
        written = _day(treaty.party_in_force(party))
        found.append(f"{name}.in_force: {party} expected {_day(expected.in_force)}, {written}")
    if "survives_until" in given:
        survives = _instant(expected.survives_until, tz)
        simulated = timeline.survives_until.get(party)
        if not _same(survives, simulated):
            found.append(
                f"{name}.survives_until: {party} expected {_shown(survives)}, "
                f"simulated {_shown(simulated)}"
            )
    return found
