"""``sweep --summary``: the ranges of values with the same outcome and the exact instant of
each cliff between them, as text (a table or markdown), CSV (one row per range) or a JSON
document (the same fields, instants as in ``run``: ISO 8601 with offset, null while still in
force or still bound)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sim.commands.sweep.batch import Plan, Range
from sim.core.dates import zone
from sim.engines.vector import NONE
from sim.render import dumps, render_rows

__all__ = ["document", "render"]

CANNOT_RUN = "cannot be run (see the rows)"


def _when(plan: Plan, second: int | None) -> str | None:
    if second is None or second == NONE:
        return None
    return datetime.fromtimestamp(second, UTC).astimezone(zone(plan.treaty.timezone)).isoformat()


def _values(plan: Plan, row: int) -> dict[str, str | None]:
    return {axis.field: _when(plan, plan.instant(row, n)) for n, axis in enumerate(plan.axes)}


def _outcome(plan: Plan, outcome: tuple[int, ...]) -> dict[str, Any]:
    failed = outcome[-1] == -1
    parties = plan.treaty.party_names
    return {
        "terminated_at": None if failed else _when(plan, outcome[0]),
        "bound_until": {
            p: None if failed else _when(plan, s)
            for p, s in zip(parties, outcome[1:-1], strict=True)
        },
        "rejections": None if failed else outcome[-1],
        "error": CANNOT_RUN if failed else None,
    }


def document(plan: Plan, ranges: list[Range], engine: int) -> dict[str, Any]:
    """The ``--summary --format json`` document."""
    return {
        "scenario": plan.scenario.name,
        "treaty": plan.treaty.name,
        "timezone": plan.treaty.timezone,
        "fields": [axis.field for axis in plan.axes],
        "values": plan.total,
        "engine_runs": engine,
        "ranges": [
            {
                "from": _values(plan, each.first),
                "to": _values(plan, each.last),
                "values": each.last - each.first + 1,
                "cliff": _when(plan, each.cliff),
                **_outcome(plan, each.outcome),
            }
            for each in ranges
        ],
    }


def _words(plan: Plan, outcome: dict[str, Any]) -> str:
    if outcome["error"] is not None:
        return outcome["error"]  # type: ignore[no-any-return]
    ended = outcome["terminated_at"]
    text = "still in force" if ended is None else f"terminated at {ended}"
    bound = "; ".join(
        f"{p} {'still bound' if s is None else 'bound until ' + s}"
        for p, s in outcome["bound_until"].items()
    )
    return f"{text}; {bound}; {outcome['rejections']} rejected"


def render(plan: Plan, ranges: list[Range], engine: int, fmt: str) -> str:
    """The summary in ``fmt``: table (lines of text), markdown or csv (one row per range),
    json."""
    found = document(plan, ranges, engine)
    if fmt == "json":
        return dumps(found) + "\n"
    fields = found["fields"]
    if fmt in ("csv", "markdown"):
        parties = plan.treaty.party_names
        headers = [
            *(f"from {f}" for f in fields),
            *(f"to {f}" for f in fields),
            "values",
            f"cliff ({fields[-1]})",
            "terminated at",
            *(f"{p} bound until" for p in parties),
            "rejections",
            "error",
        ]
        rows = []
        for each in found["ranges"]:
            failed = each["error"] is not None
            rows.append(
                [
                    *(each["from"][f] for f in fields),
                    *(each["to"][f] for f in fields),
                    str(each["values"]),
                    each["cliff"] or "",
                    "" if failed else each["terminated_at"] or "still in force",
                    *("" if failed else each["bound_until"][p] or "still bound" for p in parties),
                    "" if failed else str(each["rejections"]),
                    each["error"] or "",
                ]
            )
        return render_rows(headers, rows, fmt) + "\n"
    lines = [
        f"{found['scenario']}: {found['treaty']} ({found['timezone']}), varying "
        f"{', '.join(fields)}: {found['values']:,} values, {len(ranges)} range(s) with the "
        f"same outcome, {engine:,} run by the engine"
    ]
    for each in found["ranges"]:
        if each["cliff"] is not None:
            lines.append(f"  cliff: from {fields[-1]}={each['cliff']}")

        def label(values: dict[str, str | None]) -> str:
            return ", ".join(f"{f}={values[f]}" for f in fields)

        lines.append(
            f"from {label(each['from'])} to {label(each['to'])} ({each['values']:,} values): "
            + _words(plan, each)
        )
    return "\n".join(lines) + "\n"
