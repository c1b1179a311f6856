"""``treaty-sim sample``: Monte Carlo what-ifs. Each ``--vary`` draws one field of the
scenario at random, ``-n`` times; every draw is run under each interpretation by the
vectorised closed form (sim/engines/vector.py), and the output is the distribution of the
outcomes: the share of draws in which the treaty ended (with a 95% Wilson confidence
interval) and the quantiles of ``terminated_at`` and of each party's ``bound_until``.

Distributions (docs/fast-path.md):

- ``actions[N].at~uniform(A,B)``: an instant uniformly in ``[A, B)``, to the second (a date
  is 00:00 local, PRODUCT.md "Time");
- ``actions[N].happens~bernoulli(P)``: the action happens with probability ``P``.

The draws are made chunk by chunk, each chunk from its own generator seeded by
``(--seed, chunk number)``, so a seed gives the same result whatever the number of processes
or a Dask cluster; only the counts of distinct outcomes are kept, so memory does not grow
with ``-n``.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from sim.core.dates import DateError, as_instant, zone
from sim.core.model import Interpretation, Scenario, Treaty
from sim.core.zone_table import as_seconds
from sim.engines.vector import NONE, base_instants, outcomes
from sim.errors import InputError
from sim.source import Source

__all__ = ["Draw", "parse_draws", "sample"]

CHUNK = 1 << 17
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_ARGUMENT = "(command line)"
_SPEC = re.compile(r"^actions\[(\d+)\]\.(at|happens)\s*~\s*(\w+)\s*\((.*)\)\s*$")


def _vary_error(message: str) -> InputError:
    return InputError(_ARGUMENT, 1, 1, "--vary", message)


@dataclass(frozen=True)
class Draw:
    """One random field: action ``action``'s instant, uniform in ``[low, high)`` UTC seconds,
    or whether it happens, with probability ``p``."""

    text: str
    action: int
    field: str
    low: int = 0
    high: int = 0
    p: float = 1.0


def parse_draws(varies: list[str], source: Source) -> list[Draw]:
    """Each ``--vary 'actions[N].at~uniform(A,B)'`` or ``'actions[N].happens~bernoulli(P)'``;
    an :class:`InputError` on ``--vary`` otherwise."""
    tz = zone(source.treaty.timezone)
    draws = []
    for vary in varies:
        match = _SPEC.match(vary.strip())
        if match is None:
            raise _vary_error(
                f"{vary!r}: write actions[N].at~uniform(A,B) or actions[N].happens~bernoulli(P)"
            )
        index, field, name, arguments = match.groups()
        action = int(index)
        count = len(source.scenario.actions)
        if action >= count:
            raise _vary_error(f"actions[{action}]: actions has {count} item(s)")
        parts = [part.strip() for part in arguments.split(",")]
        if field == "at":
            if name != "uniform" or len(parts) != 2:
                raise _vary_error(f"{vary!r}: an instant is drawn by uniform(A,B)")
            try:
                low, high = (as_seconds(as_instant(part, tz)) for part in parts)
            except DateError as error:
                raise _vary_error(f"{vary!r}: {error}") from None
            if high <= low:
                raise _vary_error(f"{vary!r}: the range ends before it starts")
            draws.append(Draw(vary, action, field, low=low, high=high))
        else:
            if name != "bernoulli" or len(parts) != 1:
                raise _vary_error(f"{vary!r}: whether an action happens is drawn by bernoulli(P)")
            try:
                p = float(parts[0])
            except ValueError:
                p = math.nan
            if not 0.0 <= p <= 1.0:
                raise _vary_error(f"{vary!r}: P is a probability, from 0 to 1")
            draws.append(Draw(vary, action, field, p=p))
    return draws


@dataclass(frozen=True)
class _Plan:
    scenario: Scenario
    treaty: Treaty
    draws: tuple[Draw, ...]
    seed: int
    n: int


Tally = dict[str, Counter[int]]


def _chunk(plan: _Plan, number: int) -> dict[str, Tally]:
    """The counts of each outcome in chunk ``number``, per interpretation."""
    begin = number * CHUNK
    rows = min(plan.n, begin + CHUNK) - begin
    generator = np.random.default_rng([plan.seed, number])
    base = base_instants(plan.scenario, plan.treaty)
    at = np.repeat(base[None, :], rows, axis=0)
    happens = np.ones_like(at, dtype=bool)
    for draw in plan.draws:
        if draw.field == "at":
            at[:, draw.action] = generator.integers(draw.low, draw.high, rows, dtype=np.int64)
        else:
            happens[:, draw.action] = generator.random(rows) < draw.p
    tallies: dict[str, Tally] = {}
    for interpretation in Interpretation:
        result = outcomes(plan.scenario, plan.treaty, at, happens, interpretation)
        tally: Tally = {}
        columns = {"terminated_at": result.terminated_at}
        for index, party in enumerate(result.parties):
            columns[party] = result.bound_until[:, index]
        errors = np.zeros(rows, dtype=bool)
        for row in result.errors:
            errors[row] = True
        for name, column in columns.items():
            values, counts = np.unique(column[~errors], return_counts=True)
            tally[name] = Counter(dict(zip(values.tolist(), counts.tolist(), strict=True)))
        tally["errors"] = Counter({0: int(errors.sum())})
        tally["engine"] = Counter({0: result.engine_rows})
        tallies[interpretation.value] = tally
    return tallies


_PLAN: _Plan | None = None


def _init(plan: _Plan) -> None:
    global _PLAN
    _PLAN = plan


def _job(number: int) -> dict[str, Tally]:
    assert _PLAN is not None
    return _chunk(_PLAN, number)


def _quantiles(counter: Counter[int]) -> list[int | None]:
    """The lower quantiles of the values counted (NONE: still in force or still bound)."""
    total = sum(counter.values())
    ordered = sorted(counter.items())
    result: list[int | None] = []
    for q in QUANTILES:
        rank = max(1, math.ceil(q * total))
        seen = 0
        for value, count in ordered:
            seen += count
            if seen >= rank:
                result.append(None if value == NONE else value)
                break
    return result


def _wilson(successes: int, total: int) -> tuple[float, float]:
    """The 95% Wilson score interval of a share."""
    if total == 0:
        return (0.0, 1.0)
    z = 1.959963984540054
    share = successes / total
    centre = share + z * z / (2 * total)
    margin = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
    denominator = 1 + z * z / total
    return ((centre - margin) / denominator, (centre + margin) / denominator)


FEW = 20
"""Up to this many distinct values, an outcome is shown as the share of each (with its 95%
interval); beyond, by its quantiles."""


def tallies(
    source: Source,
    draws: list[Draw],
    n: int,
    seed: int,
    workers: int | None = None,
    dask: str | None = None,
) -> dict[str, Tally]:
    """How many of the ``n`` draws came to each value of each outcome, per interpretation."""
    plan = _Plan(source.scenario, source.treaty, tuple(draws), seed, n)
    jobs = list(range(math.ceil(n / CHUNK)))
    workers = workers or min(os.cpu_count() or 1, 8)
    merged: dict[str, Tally] = {}
    from sim.commands.pool import chunk_map

    for found in chunk_map(_init, plan, _job, jobs, workers, dask):
        for interpretation, tally in found.items():
            into = merged.setdefault(interpretation, {})
            for name, counter in tally.items():
                into.setdefault(name, Counter()).update(counter)
    return merged


def _shares(counter: Counter[int], when: Any) -> list[dict[str, Any]] | None:
    """Each distinct value's share of the draws that ran, with its 95% Wilson interval, in
    time order (never: last); None where there are more than :data:`FEW`."""
    if len(counter) > FEW:
        return None
    runs = sum(counter.values())
    return [
        {
            "value": when(None if value == NONE else value),
            "draws": count,
            "share": count / runs,
            "share_95": list(_wilson(count, runs)),
        }
        for value, count in sorted(counter.items())
    ]


def sample(
    source: Source,
    draws: list[Draw],
    n: int,
    seed: int,
    workers: int | None = None,
    dask: str | None = None,
) -> dict[str, Any]:
    """The distribution of outcomes of ``n`` draws, per interpretation (a JSON document)."""
    return document(source, draws, n, seed, tallies(source, draws, n, seed, workers, dask))


def _when(source: Source) -> Any:
    tz = zone(source.treaty.timezone)

    def when(value: int | None) -> str | None:
        if value is None:
            return None
        return datetime.fromtimestamp(value, UTC).astimezone(tz).isoformat()

    return when


def document(
    source: Source, draws: list[Draw], n: int, seed: int, merged: dict[str, Tally]
) -> dict[str, Any]:
    """The ``sample --format json`` document: per interpretation, the share of draws in which
    the treaty ended, the share of each distinct outcome where they are few (``outcomes``;
    null where there are more than 20), and the quantiles of each."""
    when = _when(source)
    found: dict[str, Any] = {
        "scenario": source.scenario.name,
        "treaty": source.treaty.name,
        "timezone": source.treaty.timezone,
        "n": n,
        "seed": seed,
        "vary": [draw.text for draw in draws],
        "quantiles": list(QUANTILES),
        "interpretations": {},
    }
    parties = source.treaty.party_names
    for interpretation, tally in merged.items():
        ended = tally["terminated_at"]
        runs = sum(ended.values())
        terminated = runs - ended.get(NONE, 0)
        low, high = _wilson(terminated, runs)
        found["interpretations"][interpretation] = {
            "terminated_share": terminated / runs if runs else None,
            "terminated_share_95": [low, high],
            "outcomes": {
                "terminated_at": _shares(ended, when),
                "bound_until": {party: _shares(tally[party], when) for party in parties},
            },
            "terminated_at": [when(v) for v in _quantiles(ended)],
            "bound_until": {
                party: [when(v) for v in _quantiles(tally[party])] for party in parties
            },
            "errors": tally["errors"][0],
            "engine_runs": tally["engine"][0],
        }
    return found


def _percent(share: float) -> str:
    return f"{share:.2%}"


def render(document: dict[str, Any], fmt: str) -> str:
    """``sample``'s output as JSON or text: per interpretation, the share of each distinct
    outcome with its 95% interval where the values are few, the quantiles where they are
    many."""
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False)
    from sim.render import render_rows

    lines = [
        f"{document['scenario']}: {document['treaty']} ({document['timezone']}), "
        f"{document['n']:,} draws, seed {document['seed']}",
        *(f"  {text}" for text in document["vary"]),
    ]
    quantile_headers = ["", *(f"q{round(q * 100)}" for q in document["quantiles"])]
    for name, result in document["interpretations"].items():
        low, high = result["terminated_share_95"]
        lines += [
            "",
            f"{name}: terminated in {result['terminated_share']:.2%} of draws "
            f"(95% CI {low:.2%} to {high:.2%}); {result['engine_runs']:,} run by the engine, "
            f"{result['errors']:,} could not be run",
        ]
        outcomes = result["outcomes"]
        columns = [("terminated at", "still in force", outcomes["terminated_at"], "terminated_at")]
        columns += [
            (f"{party} bound until", "still bound", outcomes["bound_until"][party], party)
            for party in result["bound_until"]
        ]
        shares = []
        quantiles = []
        for title, never, distinct, key in columns:
            if distinct is None:
                values = (
                    result["terminated_at"]
                    if key == "terminated_at"
                    else result["bound_until"][key]
                )
                quantiles.append([title, *(v or never for v in values)])
                continue
            for each in distinct:
                shares.append(
                    [
                        title,
                        each["value"] or never,
                        f"{each['draws']:,}",
                        _percent(each["share"]),
                        f"{_percent(each['share_95'][0])} to {_percent(each['share_95'][1])}",
                    ]
                )
        if shares:
            headers = ["outcome", "value", "draws", "share", "95% interval"]
            lines.append(render_rows(headers, shares, fmt))
        if quantiles:
            if shares:
                lines.append("")
            lines.append(render_rows(quantile_headers, quantiles, fmt))
    return "\n".join(lines)


def distribution(source: Source, merged: dict[str, Tally]) -> list[tuple[Any, ...]]:
    """Every distinct outcome of every interpretation, as rows (interpretation, outcome,
    value in UTC seconds or None, draws, share, share_low, share_high): the whole
    distribution, for CSV and Parquet."""
    rows: list[tuple[Any, ...]] = []
    for interpretation, tally in merged.items():
        names = [("terminated_at", "terminated_at")]
        names += [(f"bound_until.{p}", p) for p in source.treaty.party_names]
        for outcome, key in names:
            counter = tally[key]
            runs = sum(counter.values())
            for value, count in sorted(counter.items()):
                low, high = _wilson(count, runs)
                moment = None if value == NONE else value
                rows.append((interpretation, outcome, moment, count, count / runs, low, high))
    return rows


DISTRIBUTION = ("interpretation", "outcome", "value", "draws", "share", "share_low", "share_high")


def _write_csv(source: Source, rows: list[tuple[Any, ...]], out: Any) -> None:
    import csv

    when = _when(source)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DISTRIBUTION)
    for interpretation, outcome, value, count, share, low, high in rows:
        writer.writerow([interpretation, outcome, when(value) or "", count, share, low, high])


def _write_parquet(source: Source, rows: list[tuple[Any, ...]], path: Any) -> None:
    from sim.commands.sweep.files import pyarrow

    pa, pq = pyarrow()
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in DISTRIBUTION]
    types = [
        pa.string(),
        pa.string(),
        pa.timestamp("s", tz=source.treaty.timezone),
        pa.int64(),
        pa.float64(),
        pa.float64(),
        pa.float64(),
    ]
    table = pa.table(
        {
            name: pa.array(list(column), type=kind)
            for name, column, kind in zip(DISTRIBUTION, columns, types, strict=True)
        }
    )
    pq.write_table(table, str(path))


def command(args: Any) -> int:
    from sim.commands.sweep.files import output, written
    from sim.source import load_source

    source = load_source(args.scenario)
    if args.n < 1:
        raise InputError(_ARGUMENT, 1, 1, "-n", f"{args.n}: draw at least once")
    if args.format == "parquet" and args.output is None:
        raise InputError(_ARGUMENT, 1, 1, "-o", "--format parquet writes to a file: add -o FILE")
    draws = parse_draws(args.vary, source)
    merged = tallies(source, draws, args.n, args.seed, args.jobs, args.dask)
    if args.format == "parquet":
        with written(args.output, args.scenario, args.force) as temporary:
            _write_parquet(source, distribution(source, merged), temporary)
        return 0
    with output(args.output, args.scenario, args.force) as out:
        if args.format == "csv":
            _write_csv(source, distribution(source, merged), out)
        else:
            text = render(document(source, draws, args.n, args.seed, merged), args.format)
            out.write(text.rstrip("\n") + "\n")
    return 0
