"""``treaty-sim report``: a scenario's timeline as one self-contained HTML page (the picture,
the deadline table, the events), or the picture alone as SVG (docs/report.md)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from sim.commands.shared import INTERPRETATION_CHOICES, interpretations, version

__all__ = ["register", "run"]

FORMATS = ("html", "svg")


def _output(text: str) -> str:
    """``-o FILE``: a file in a folder that exists (checked before the run, so a mistake
    costs nothing and leaves no empty file behind); ``-`` is standard output."""
    if text == "-":
        return text
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a folder, not a file")
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"no folder {str(folder)!r} to write {path.name!r} in")
    return text


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
    report.add_argument(
        "-o",
        "--output",
        type=_output,
        default="-",
        metavar="FILE",
        help="the file to write (default: -, standard output)",
    )
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
    from sim.io.report import html_report, svg_document
    from sim.source import load_source, simulate, usage_error

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
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except OSError as error:
        reason = error.strerror or os.strerror(error.errno or 0)
        raise usage_error(args.output, f"cannot write the report: {reason}") from None
    return 0
