"""The Python API (PRODUCT.md 0.3, "A Python API"; docs/python.md): load a scenario from a
path, a text or a dict, run it, list its deadlines, sweep, sample, check, read claims, and
write calendars and reports, without the command line.

Results are the models the commands print, each with ``to_dict()`` equal to the command's
``--format json`` document, and ``to_pandas()`` where pandas is installed. A
:class:`Timeline` shows its picture and tables in Jupyter (``_repr_html_``). The command line
(``run``, ``check``, ``treaties``) and ``treaty-sim serve`` call these functions.

Every mistake in what is loaded is an :class:`~sim.errors.InputError` (or
:class:`~sim.errors.InputErrors`, one per problem), located as the command line shows it.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sim.core.deadlines import DeadlineTable
from sim.core.model import Interpretation
from sim.core.timeline import Timeline as _Timeline
from sim.errors import InputError, InputErrors
from sim.source import Source, load_source, simulate, source_of, usage_error

if TYPE_CHECKING:
    from sim.claims import ClaimResult
    from sim.core.model import Treaty

__all__ = [
    "CheckReport",
    "CheckResult",
    "ClaimsReport",
    "DeadlineTable",
    "InputError",
    "InputErrors",
    "Interpretations",
    "Source",
    "SweepResult",
    "Timeline",
    "calendar",
    "check",
    "check_source",
    "claims",
    "deadlines",
    "load",
    "load_dict",
    "loads",
    "report",
    "run",
    "run_all",
    "sample",
    "scenario_files",
    "sweep",
    "sweep_stream",
    "treaties",
]

ScenarioLike = Source | str | Path | Mapping[str, Any]
"""What a function takes as a scenario: a loaded :class:`Source`, a path or a built-in
treaty's name, or the scenario as a dict."""


def _pandas(rows: list[dict[str, Any]]) -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError("to_pandas() needs pandas: pip install pandas") from None
    return pandas.DataFrame(rows)


def _as(cls: type[Any], value: Any, **more: Any) -> Any:
    """``value`` (a dataclass) as its subclass ``cls``, field for field."""
    fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.init}
    return cls(**fields, **more)


# Loading --------------------------------------------------------------------------------


def load(path: str | Path) -> Source:
    """A scenario file, or a built-in treaty's name (a scenario of its own with no actions),
    as ``treaty-sim run`` reads its argument."""
    return load_source(str(path))


def loads(text: str | bytes, file: str = "(text)") -> Source:
    """A scenario given as YAML (or JSON, which is YAML) text; ``file`` is the name its
    errors give. Read with the same safe loader and limits as a file."""
    from sim.loader import parse_bytes, scenario_of

    raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    loaded = parse_bytes(raw, file)
    return source_of(scenario_of(loaded), loaded)


def load_dict(data: Mapping[str, Any], file: str = "(dict)") -> Source:
    """A scenario given as data (what ``yaml.safe_load`` of a scenario file gives); errors
    name the field, at line 1, column 1 of ``file``."""
    from sim.loader import Loaded, scenario_of

    loaded = Loaded(file, dict(data))
    return source_of(scenario_of(loaded), loaded)


def _source(scenario: ScenarioLike) -> Source:
    if isinstance(scenario, Source):
        return scenario
    if isinstance(scenario, Mapping):
        return load_dict(scenario)
    return load(scenario)


# Running --------------------------------------------------------------------------------


@dataclasses.dataclass
class Timeline(_Timeline):
    """The result of a run (:class:`sim.core.timeline.Timeline`), with its treaty, so that it
    can be drawn."""

    treaty_model: Treaty | None = dataclasses.field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The ``run --format json`` document."""
        from sim.render import timeline_json

        return timeline_json(self)

    def to_pandas(self, table: str = "events") -> Any:
        """``events``, ``terms`` or ``parties`` as a pandas DataFrame (as in ``to_dict()``)."""
        return _pandas(list(self.to_dict()[table]))

    def _repr_html_(self) -> str:
        """The report's picture, summary, deadline table and events, for Jupyter."""
        return _html_fragment([self], self.treaty_model)


def _html_fragment(timelines: Sequence[_Timeline], treaty: Treaty | None) -> str:
    """The body of the HTML report (with its style), to show inside another page."""
    from sim.io.report import html_report

    if treaty is None:
        return "<pre>" + repr(timelines[0].scenario) + "</pre>"
    page = html_report(timelines, treaty)
    style = page[page.index("<style>") : page.index("</style>") + len("</style>")]
    body = page[page.index("<body>") + len("<body>") : page.index("</body>")]
    return f'<div class="treaty-sim">{style}{body}</div>'


def run(scenario: ScenarioLike, interpretation: Interpretation | str | None = None) -> Timeline:
    """Run the scenario to its horizon under ``interpretation`` (default: the scenario's)."""
    source = _source(scenario)
    chosen = Interpretation(interpretation) if interpretation is not None else None
    timeline: Timeline = _as(Timeline, simulate(source, chosen), treaty_model=source.treaty)
    return timeline


class Interpretations(dict[str, Timeline]):
    """One timeline per interpretation of a resumed notice, by name (``run
    --interpretation all``)."""

    def to_dict(self) -> dict[str, Any]:
        """The ``run --interpretation all --format json`` document."""
        return {"interpretations": {name: t.to_dict() for name, t in self.items()}}

    def _repr_html_(self) -> str:
        timelines = list(self.values())
        return _html_fragment(timelines, timelines[0].treaty_model)


def run_all(scenario: ScenarioLike) -> Interpretations:
    """Run the scenario once under each interpretation."""
    source = _source(scenario)
    return Interpretations((i.value, run(source, i)) for i in Interpretation)


# Deadlines ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Deadlines(DeadlineTable):
    """A deadline table (:class:`sim.core.deadlines.DeadlineTable`)."""

    def to_dict(self) -> dict[str, Any]:
        """The ``deadlines --format json`` document of one treaty or scenario."""
        from sim.render import deadlines_json

        return deadlines_json(self)

    def to_pandas(self) -> Any:
        """One row per term, as in ``to_dict()["terms"]``."""
        return _pandas(list(self.to_dict()["terms"]))


def deadlines(
    treaty_or_file: str | Path,
    as_of: date | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
) -> Deadlines:
    """The deadline table of a built-in treaty or a scenario file as of a date (default:
    today), terms by their last day in force from ``first_year`` to ``last_year``, as
    ``treaty-sim deadlines`` prints it (the same code: sim/commands/deadlines.py)."""
    from sim.commands.deadlines import deadline_tables

    day = as_of or date.today()
    (table,) = deadline_tables([str(treaty_or_file)], day, first_year, last_year)
    result: Deadlines = _as(Deadlines, table)
    return result


def treaties() -> list[dict[str, Any]]:
    """The built-in treaties, as ``treaty-sim treaties --format json`` lists them."""
    from sim import library

    rows: list[dict[str, Any]] = []
    for name in library.names():
        treaty = library.builtin(name)
        rows.append(
            {
                "name": name,
                "treaty": treaty.name,
                "parties": treaty.party_names,
                "timezone": treaty.timezone,
                "in_force": treaty.in_force.isoformat() if treaty.in_force else None,
                "clause": treaty.clause.model_dump(mode="json", exclude_defaults=True),
            }
        )
    return rows


# Checking -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """The verdict on one scenario's ``expect:``: ``ok``, ``FAIL`` (with the differences)
    or ``no expect:``."""

    file: str
    scenario: str
    verdict: str
    differences: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.verdict != "FAIL"

    def to_dict(self) -> dict[str, Any]:
        """A scenario of ``check --format json``."""
        return {
            "file": self.file,
            "scenario": self.scenario,
            "verdict": self.verdict,
            "differences": "\n".join(self.differences),
        }


@dataclasses.dataclass(frozen=True)
class CheckReport:
    """The verdicts of ``treaty-sim check``, and the files that could not be loaded."""

    results: tuple[CheckResult, ...]
    problems: tuple[InputError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and all(result.ok for result in self.results)

    def to_dict(self) -> dict[str, Any]:
        """The ``check --format json`` document."""
        return {"scenarios": [result.to_dict() for result in self.results]}

    def to_pandas(self) -> Any:
        return _pandas(self.to_dict()["scenarios"])


def scenario_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The scenario files named, folders searched (``*.yaml``, ``*.yml``), in sorted order."""
    for argument in paths:
        path = Path(argument)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
            if not found:
                raise usage_error(str(argument), "no scenario files (*.yaml) in this folder")
            yield from found
        else:
            yield path


def check_source(source: Source, file: str) -> CheckResult:
    """Run a loaded scenario and compare it with its ``expect:``."""
    from sim.check import differences

    timeline = simulate(source)
    if source.scenario.expect is None:
        return CheckResult(file, source.scenario.name, "no expect:")
    found = differences(source.scenario.expect, timeline, source.treaty)
    return CheckResult(file, source.scenario.name, "FAIL" if found else "ok", tuple(found))


def check(paths: str | Path | Iterable[str | Path]) -> CheckReport:
    """``treaty-sim check``: the ``expect:`` of each scenario file (folders searched); a file
    that cannot be loaded or run is listed in ``problems``, the others still checked."""
    named = [paths] if isinstance(paths, (str, Path)) else list(paths)
    results: list[CheckResult] = []
    problems: list[InputError] = []
    for path in scenario_files(named):
        try:
            results.append(check_source(load_source(str(path)), str(path)))
        except InputError as error:
            problems.append(error)
        except InputErrors as errors:
            problems.extend(errors.errors)
    return CheckReport(tuple(results), tuple(problems))


@dataclasses.dataclass(frozen=True)
class ClaimsReport:
    """The verdict on each dated claim (``treaty-sim claims``)."""

    results: tuple[ClaimResult, ...]

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)

    def to_dict(self) -> dict[str, Any]:
        """The ``claims --format json`` document."""
        return {"claims": [result.as_json() for result in self.results]}

    def to_pandas(self) -> Any:
        return _pandas(self.to_dict()["claims"])


def claims(path: str | Path = "seeds") -> ClaimsReport:
    """Check the claims of a claims file, or of a folder's ``claims.yaml`` (default: the
    seeds folder), against their simulated timelines."""
    from sim.claims import check_claims, load_claims

    return ClaimsReport(tuple(check_claims(load_claims(Path(path)))))


# What-if --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SweepResult:
    """One row per value of the varied field: the ``sweep --format json`` document."""

    document: dict[str, Any]

    @property
    def rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.document["rows"]
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The ``sweep --format json`` document."""
        return self.document

    def to_pandas(self) -> Any:
        return _pandas(self.rows)


def _sweep_arguments(scenario: ScenarioLike, argv: list[str]) -> argparse.Namespace:
    """The arguments of ``treaty-sim sweep ARGV``, read by the command's own parser (its
    defaults included); the scenario is named only where it is a file."""
    from sim.commands.sweep.arguments import add_arguments

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--format", default="table")  # every command's (sim/cli.py)
    add_arguments(parser)
    named = str(scenario) if isinstance(scenario, (str, Path)) else ""
    return parser.parse_args([named, *argv])


def _swept(scenario: ScenarioLike, argv: list[str], out: TextIO) -> None:
    """``treaty-sim sweep`` on ``scenario`` (a path, text, dict or loaded source) with the
    options ``argv``, its output written to ``out``: the command's own code, nothing copied."""
    from sim.commands.sweep.run import sweep_source

    args = _sweep_arguments(scenario, argv)
    with contextlib.redirect_stdout(out):
        sweep_source(_source(scenario), args)


def _varies(vary: str | Sequence[str]) -> list[str]:
    return [item for v in ([vary] if isinstance(vary, str) else vary) for item in ("--vary", v)]


def sweep(scenario: ScenarioLike, vary: str, step: str | None = None) -> SweepResult:
    """What-if: one run per value of the varied field (``vary`` as ``--vary``, e.g.
    ``'actions[0].at=2019-08-20..2019-08-28'``), at most 10,000 values."""
    buffer = io.StringIO()
    steps = ["--step", step] if step is not None else []
    _swept(scenario, [*_varies(vary), *steps, "--format", "json"], buffer)
    return SweepResult(json.loads(buffer.getvalue()))


def sweep_stream(
    scenario: ScenarioLike,
    vary: str | Sequence[str],
    out: TextIO,
    step: str | None = None,
    summary: bool = False,
    limit: int | None = None,
    workers: int | None = None,
) -> None:
    """The sweep written to ``out`` as it runs: JSON Lines, one row per value (as ``sweep
    --format jsonl``), or the ranges of equal outcome as a JSON document (``summary``, as
    ``sweep --summary --format json``). ``limit`` caps the number of rows (not the summary's
    values)."""
    from sim.commands.sweep.vary import parse_varies

    varies = [vary] if isinstance(vary, str) else list(vary)
    if not summary and limit is not None:
        variations = parse_varies(varies, step, _source(scenario))
        total = math.prod(len(variation.values) for variation in variations)
        if total > limit:
            raise usage_error(
                "--vary", f"{total:,} values, more than {limit:,}: a shorter range, or summary"
            )
    argv = [*_varies(varies), "--format", "json" if summary else "jsonl"]
    argv += ["--step", step] if step is not None else []
    argv += ["--summary"] if summary else []
    argv += ["--jobs", str(workers)] if workers is not None else []
    _swept(scenario, argv, out)


def sample(
    scenario: ScenarioLike,
    vary: str | Sequence[str],
    n: int = 10_000,
    seed: int = 0,
    workers: int | None = None,
) -> dict[str, Any]:
    """Monte Carlo what-if (``treaty-sim sample``): the distribution of outcomes over ``n``
    draws; the ``sample --format json`` document."""
    from sim.commands.sample import parse_draws
    from sim.commands.sample import sample as draw

    source = _source(scenario)
    if n < 1:
        raise usage_error("-n", f"{n}: draw at least once")
    varies = [vary] if isinstance(vary, str) else list(vary)
    return draw(source, parse_draws(varies, source), n, seed, workers)


# Files ----------------------------------------------------------------------------------


def calendar(
    sources: str | Path | Sequence[str | Path],
    first_year: int | None = None,
    last_year: int | None = None,
    remind: str = "14d",
    path: str | Path | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """The iCalendar file of ``treaty-sim calendar`` for built-in treaties or scenario files;
    written to ``path`` too when given. ``stamp`` is every event's DTSTAMP (default: now, or
    ``SOURCE_DATE_EPOCH``)."""
    from sim.commands.calendar import _stamp, calendar_entries, parse_remind
    from sim.io.calendar import to_ics

    named = [sources] if isinstance(sources, (str, Path)) else list(sources)
    arguments = [str(source) for source in named]
    entries, _ = calendar_entries(
        arguments, first_year, last_year, parse_remind(remind), date.today()
    )
    if not entries:
        raise usage_error(arguments[0], "nothing to put in a calendar in the years chosen")
    data = to_ics(entries, "treaty-sim deadlines", stamp or _stamp())
    if path is not None:
        Path(path).write_bytes(data)
    return data


def report(
    scenario: ScenarioLike,
    interpretation: Interpretation | str | None = None,
    format: str = "html",
    path: str | Path | None = None,
) -> str:
    """``treaty-sim report``: the HTML page (or, ``format="svg"``, the picture alone) of the
    scenario's timeline, under one interpretation or ``"all"``; written to ``path`` too."""
    from sim.io.report import html_report, svg_document

    source = _source(scenario)
    if interpretation == "all":
        timelines: list[Timeline] = list(run_all(source).values())
    else:
        timelines = [run(source, interpretation)]
    if format == "svg":
        text = svg_document(timelines, source.treaty)
    else:
        text = html_report(timelines, source.treaty, description=source.scenario.description)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8", newline="\n")
    return text
