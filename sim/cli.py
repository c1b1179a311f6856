"""The ``treaty-sim`` command: a thin layer that parses arguments, calls the library, prints,
and maps errors to exit codes (0 success; 1 a check, claim or ``--strict`` run failed; 2 bad
input or usage)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sim.commands.shared import INTERPRETATION_CHOICES, version
from sim.core.dates import missing_day
from sim.errors import InputError, InputErrors

# Building the parser (every start-up, --help, --version and completion) imports neither the
# models nor pydantic: each command imports what it uses when it runs (docs/performance.md;
# tests/test_startup.py).

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message} (see --help)\n")

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        # A mistyped command, format or interpretation: name the closest choice, as a
        # mistyped field does (argparse's own suggestion arrives only in Python 3.14).
        choices = action.choices
        if choices is None or value in choices:
            return
        from sim.loader import did_you_mean

        names = [str(choice) for choice in choices]
        listed = ", ".join(map(repr, names))
        hint = did_you_mean(str(value), names)
        raise argparse.ArgumentError(
            action, f"invalid choice: {value!r}{hint} (choose from {listed})"
        )


def _print(text: str) -> None:
    sys.stdout.write(text.rstrip("\n") + "\n")


def cmd_run(args: argparse.Namespace) -> int:
    from sim import api
    from sim.render import render_timelines

    source = api.load(args.scenario)
    if args.interpretation == "all":
        timelines: list[Any] = list(api.run_all(source).values())
    else:
        timelines = [api.run(source, args.interpretation)]
    _print(render_timelines(timelines, args.format, keyed=args.interpretation == "all"))
    if args.strict and any(t.rejections for t in timelines):
        for timeline in timelines:
            for event in timeline.rejections:
                sys.stderr.write(
                    f"rejected: {event.action} by {event.by or 'all parties'} "
                    f"at {event.at.isoformat()}: {event.reason}\n"
                )
        return EXIT_FAILED
    return EXIT_OK


def _year(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 9998:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year")
    return int(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        impossible = missing_day(text) if len(text) == len("YYYY-MM-DD") else None
        problem = impossible or f"{text!r} is not a date (YYYY-MM-DD)"
        raise argparse.ArgumentTypeError(problem) from None


def cmd_deadlines(args: argparse.Namespace) -> int:
    from sim.commands.deadlines import deadline_tables
    from sim.render import render_deadline_tables
    from sim.source import usage_error

    if args.all or args.within is not None:
        from sim.commands.due import cmd_due

        return cmd_due(args, args.as_of or date.today(), _print)
    if not args.sources:
        raise usage_error("deadlines", "name a built-in treaty or a scenario file, or give --all")
    tables = deadline_tables(
        args.sources, args.as_of, args.first_year, args.last_year, history=args.history
    )
    _print(render_deadline_tables(tables, args.format))
    return EXIT_OK


def cmd_treaties(args: argparse.Namespace) -> int:
    from sim import api
    from sim.render import dumps, render_rows

    rows = api.treaties()
    if args.format == "json":
        _print(dumps({"treaties": rows}))
        return EXIT_OK
    table = [
        [
            r["name"],
            r["treaty"],
            " ".join(r["parties"]),
            r["timezone"],
            r["in_force"],
            ", ".join(f"{k}: {v}" for k, v in r["clause"].items()),
        ]
        for r in rows
    ]
    headers = ("name", "treaty", "parties", "timezone", "in force", "clause")
    _print(render_rows(headers, table, args.format))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from sim import api
    from sim.render import render_rows

    checked = api.check(args.paths)
    rows = [[r.file, r.scenario, r.verdict, "\n".join(r.differences)] for r in checked.results]
    if args.format == "json":
        from sim.render import dumps

        _print(dumps(checked.to_dict()))
    elif rows:
        for row in rows:
            if args.format == "table":
                _print(f"{row[2]:>4}  {row[0]}  ({row[1]})")
                for line in row[3].splitlines():
                    _print(f"        - {line}")
        if args.format != "table":
            _print(render_rows(("file", "scenario", "verdict", "differences"), rows, args.format))
    if checked.problems:
        raise InputErrors(list(checked.problems))
    return EXIT_OK if all(r.ok for r in checked.results) else EXIT_FAILED


def cmd_claims(args: argparse.Namespace) -> int:
    from sim.claims import check_claims, load_claims
    from sim.render import dumps, render_rows

    results = check_claims(load_claims(Path(args.claims_file or args.seeds)))
    if args.format == "json":
        _print(dumps({"claims": [r.as_json() for r in results]}))
    else:
        headers = ("claim", "article", "asserts", "expected", "simulated", "verdict")
        rows = [
            [
                r.quote,
                r.article,
                r.asserts,
                r.expected,
                r.simulated,
                r.verdict,
            ]
            for r in results
        ]
        _print(render_rows(headers, rows, args.format))
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED


def cmd_schema(args: argparse.Namespace) -> int:
    from sim.render import dumps
    from sim.schema import scenario_schema

    _print(dumps(scenario_schema()))
    return EXIT_OK


def cmd_sweep(args: argparse.Namespace) -> int:
    from sim.commands.sweep import command as sweep_command

    return sweep_command(args)


def cmd_calendar(args: argparse.Namespace) -> int:
    from sim.commands.calendar import cmd_calendar as write_calendar

    return write_calendar(args)


def cmd_sample(args: argparse.Namespace) -> int:
    from sim.commands.sample import command as sample_command

    return sample_command(args)


class _Version(argparse.Action):
    """``--version``: the version is looked up only when asked for, not at every start-up."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any, **__: Any) -> None:
        sys.stdout.write(f"{parser.prog} {version()}\n")
        parser.exit(EXIT_OK)


FORMATS = ("table", "markdown", "csv", "json")


def _format_help(formats: tuple[str, ...]) -> str:
    """``--format``'s help: exactly the formats the command accepts."""
    if len(formats) == 1:
        return f"output format: {formats[0]} only (default: {formats[0]})"
    listed = ", ".join(formats[:-1]) + " or " + formats[-1]
    return f"output format: {listed} (default: {formats[0]})"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="treaty-sim",
        description="Simulate the deadline and renewal rules of treaties.",
        epilog=(
            "example:\n  treaty-sim run scenarios/gsomia_history.yaml\n\n"
            "Each command has its own --help. Exit codes: 0 success; 1 a check, claim or\n"
            "--strict run failed; 2 bad input or usage."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, default=argparse.SUPPRESS, help="print the version"
    )
    from sim.commands.completion import add_completion_option

    add_completion_option(parser)
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, metavar="COMMAND"
    )

    def command(
        name: str, help_text: str, example: str, formats: tuple[str, ...] = FORMATS
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument(
            "--format", choices=formats, default=formats[0], help=_format_help(formats)
        )
        return sub

    run = command(
        "run",
        "the timeline and the term table of a scenario",
        "treaty-sim run scenarios/gsomia_history.yaml --interpretation all",
    )
    run.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="a scenario file, or a built-in treaty's name (run with no actions)",
    )
    run.add_argument(
        "--interpretation",
        choices=INTERPRETATION_CHOICES,
        help="when a resumed notice takes effect: remaining, immediate, fresh, or all side by "
        "side (default: the scenario's interpretation:, else remaining)",
    )
    run.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 if any action is rejected, its reason on standard error (default: off)",
    )
    run.set_defaults(handler=cmd_run)

    deadlines = command(
        "deadlines",
        "one row per term: ends, notice deadlines, days left; for a withdrawal clause, when a "
        "notice takes effect",
        "treaty-sim deadlines gsomia --from 2016 --to 2021 --as-of 2019-08-22",
    )
    deadlines.add_argument(
        "sources",
        metavar="TREATY|SCENARIO",
        nargs="*",
        help="one or more built-in treaty names or scenario files (with --all: none means "
        "every built-in treaty)",
    )
    deadlines.add_argument(
        "--from",
        dest="first_year",
        type=_year,
        metavar="YEAR",
        help="the first year of the terms shown, by their last day in force (default: the "
        "term running at --as-of and the next two)",
    )
    deadlines.add_argument(
        "--to",
        dest="last_year",
        type=_year,
        metavar="YEAR",
        help="the last year of the terms shown (with --from, default: the later of the year "
        "after --as-of and --from)",
    )
    deadlines.add_argument(
        "--history",
        action="store_true",
        help="every term since entry into force, through the running term and the next two "
        "(default: those three only)",
    )
    deadlines.add_argument(
        "--as-of",
        dest="as_of",
        type=_date,
        metavar="DATE",
        help="the date (YYYY-MM-DD) the days left are counted from, and whose running term "
        "is shown first (default: today in the treaty's time zone)",
    )
    from sim.commands.due_arguments import add_arguments as due_arguments

    due_arguments(deadlines)
    deadlines.set_defaults(handler=cmd_deadlines)

    check = command(
        "check",
        "verify the expect: block of scenario files (folders searched)",
        "treaty-sim check scenarios/",
    )
    check.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="scenario files, or folders searched for *.yaml and *.yml",
    )
    check.set_defaults(handler=cmd_check)

    from sim.commands.sweep.arguments import FORMATS as SWEEP_FORMATS
    from sim.commands.sweep.arguments import add_arguments as sweep_arguments

    sweep = command(
        "sweep",
        "what-if: one row per value of a varied field",
        "treaty-sim sweep scenarios/gsomia_no_suspension.yaml "
        "--vary 'actions[0].at=2019-08-20..2019-08-28'",
        SWEEP_FORMATS,
    )

    sweep_arguments(sweep)
    sweep.set_defaults(handler=cmd_sweep)

    from sim.commands.sample_arguments import FORMATS as SAMPLE_FORMATS
    from sim.commands.sample_arguments import add_arguments as sample_arguments

    sample = command(
        "sample",
        "Monte Carlo what-if: the distribution of outcomes over random instants and actions",
        "treaty-sim sample scenarios/gsomia_no_suspension.yaml "
        "--vary 'actions[0].at~uniform(2019-08-01,2019-09-30)' -n 100000 --seed 7",
        SAMPLE_FORMATS,
    )

    sample_arguments(sample)
    sample.set_defaults(handler=cmd_sample)

    claims = command(
        "claims",
        "check the dated claims of the seed articles, or of your own claims file",
        "treaty-sim claims docs/examples/inf_2019/claims.yaml",
    )
    claims.add_argument(
        "claims_file",
        nargs="?",
        metavar="CLAIMS.yaml",
        help="a claims file of your own, its articles in the same folder (default: the seeds "
        "folder's claims.yaml)",
    )
    claims.add_argument(
        "--seeds",
        default="seeds",
        metavar="FOLDER",
        help="the folder of the seed articles and claims.yaml (default: seeds)",
    )
    claims.set_defaults(handler=cmd_claims)

    from sim.commands import explain

    explain.configure(
        command(
            "explain",
            "why a term's end or an event's date is what it is: the clause, the rules and "
            "their sources, each step of arithmetic with its zone",
            "treaty-sim explain scenarios/gsomia_terms_2019.yaml --term 3",
        )
    )

    treaties = command("treaties", "the built-in treaties", "treaty-sim treaties --format json")
    treaties.set_defaults(handler=cmd_treaties)

    calendar = command(
        "calendar",
        "the deadlines, term ends and a scenario's effects as an iCalendar (.ics) file",
        "treaty-sim calendar gsomia --from 2019 --to 2020 -o deadlines.ics",
        formats=("ics",),
    )
    from sim.commands.calendar_arguments import add_arguments as calendar_arguments

    calendar_arguments(calendar, year=_year)
    calendar.set_defaults(handler=cmd_calendar)

    schema = command(
        "schema",
        "the JSON Schema of the scenario format, for editors",
        "treaty-sim schema > scenario.schema.json",
        formats=("json",),
    )
    schema.set_defaults(handler=cmd_schema)

    from sim.commands import report

    report.register(commands)

    serve = command(
        "serve",
        "the simulator as an HTTP service and a page, on this machine (extra: serve)",
        "treaty-sim serve --port 8000",
        formats=("json",),
    )
    from sim import serve as service

    service.add_arguments(serve)
    serve.set_defaults(handler=lambda args: service.command(args))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit code."""
    # No scan of the installed distributions for pydantic plugins (entry points) when the
    # first validator is built: the command uses none (docs/performance.md). A value the
    # user sets is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = _parser().parse_args(argv)
    try:
        code: int = args.handler(args)
        return code
    except InputError as single:
        sys.stderr.write(f"{single}\n")
    except InputErrors as several:
        for problem in several.errors:
            sys.stderr.write(f"{problem}\n")
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_INPUT
