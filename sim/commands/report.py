"""``treaty-sim report``: a scenario's timeline as one self-contained HTML page (the picture,
the deadline table, the events), or the picture alone as SVG (docs/report.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sim.commands.shared import (
    INTERPRETATION_CHOICES,
    add_output_arguments,
    interpretations,
    say_written,
    version,
)

__all__ = ["register", "run"]

FORMATS = ("html", "svg")


def register(commands: Any) -> argparse.ArgumentParser:
    """Add ``report`` to the command line's subcommands."""
    text = (
        "the timeline as a picture: one self-contained HTML page (picture, deadline table, "
        "events), or the SVG picture alone"
    )
    report: argparse.ArgumentParser = commands.add_parser(
        "report",
        help=text,
        description=text,
        epilog=(
            "example:\n  treaty-sim report scenarios/gsomia_history.yaml -o report.html\n"
            "  treaty-sim report scenarios/npt_north_korea_remaining.yaml "
            "--interpretation all --format svg -o npt.svg"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="a scenario file, or a built-in treaty's name (run with no actions)",
    )
    add_output_arguments(report, "report")
    report.add_argument(
        "--format",
        choices=FORMATS,
        default="html",
        help="html: the whole page; svg: the picture alone (default: html)",
    )
    report.add_argument(
        "--interpretation",
        choices=INTERPRETATION_CHOICES,
        help="when a resumed notice takes effect: remaining, immediate, fresh, or all one "
        "above the other (default: the scenario's interpretation:, else remaining)",
    )
    report.set_defaults(handler=run)
    return report


def run(args: argparse.Namespace) -> int:
    """Write the report; 0, or an input error (exit 2) raised for the command line."""
    from sim.io.output import Output
    from sim.io.report import MARKER, html_report, svg_document
    from sim.source import load_source, simulate

    output = None
    if args.output not in (None, "-"):
        output = Output(args.output, MARKER.encode(), "a report", [args.scenario], args.force)
        output.check()  # before the run: a mistake costs nothing and leaves no file behind
    source = load_source(args.scenario)
    timelines = [simulate(source, i) for i in interpretations(args.interpretation)]
    if args.format == "svg":
        text = svg_document(timelines, source.treaty)
    else:
        text = html_report(
            timelines,
            source.treaty,
            description=source.scenario.description,
            generator=f"treaty-sim {version()}",
        )
    if output is None:
        sys.stdout.write(text)
        return 0
    data = text.encode("utf-8")
    output.write(data)
    if not args.quiet:
        say_written(args.output, len(data))
    return 0
