"""``treaty-sim check``: compare a scenario's ``expect:`` with its simulated timeline."""

from __future__ import annotations

from datetime import datetime

from sim.core.dates import as_instant, iso, utc, zone
from sim.core.model import Expect, Treaty
from sim.core.timeline import Timeline

__all__ = ["differences"]


def _show(moment: datetime | None) -> str:
    return iso(moment) if moment is not None else "null (still bound at the horizon)"


def _same(one: datetime | None, other: datetime | None) -> bool:
    """The same instant (compared in UTC: within a fall-back hour, two readings of one wall
    clock time are different instants), or both None."""
    if one is None or other is None:
        return one is other
    return utc(one) == utc(other)


def differences(expect: Expect, timeline: Timeline, treaty: Treaty) -> list[str]:
    """One line per expectation the timeline does not meet, naming the field: empty when
    the scenario passes."""
    tz = zone(treaty.timezone)
    given = expect.model_fields_set
    found: list[str] = []
    if "terminated_at" in given:
        wanted = as_instant(expect.terminated_at, tz) if expect.terminated_at else None
        if not _same(wanted, timeline.terminated_at):
            shown = _show(timeline.terminated_at)
            found.append(f"terminated_at: expected {_show(wanted)}, simulated {shown}")
    for party, value in (expect.bound_until or {}).items():
        if party not in timeline.bound_until:
            found.append(f"bound_until.{party}: {party} is not a party of {treaty.name}")
            continue
        until = as_instant(value, tz) if value is not None else None
        simulated = timeline.bound_until[party]
        if not _same(until, simulated):
            found.append(
                f"bound_until.{party}: expected {_show(until)}, simulated {_show(simulated)}"
            )
    for moment, status in (expect.status_at or {}).items():
        simulated_status = timeline.status_at(as_instant(moment, tz))
        if simulated_status != status:
            found.append(f"status_at.{moment}: expected {status}, simulated {simulated_status}")
    for index, event in enumerate(expect.events or []):
        at = as_instant(event.at, tz)
        matches = [
            e
            for e in timeline.events
            if _same(e.at, at) and e.kind is event.kind and (event.by is None or e.by == event.by)
        ]
        if not matches:
            same_kind = [iso(e.at) for e in timeline.events if e.kind is event.kind]
            nearby = f"; {event.kind.value} at: {', '.join(same_kind)}" if same_kind else ""
            who = f" by {event.by}" if event.by else ""
            found.append(
                f"events[{index}]: expected {event.kind.value}{who} at {iso(at)}, "
                f"not simulated{nearby}"
            )
    return found
