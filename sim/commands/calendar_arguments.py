"""`treaty-sim calendar`'s arguments, apart from the command so that building the parser
(every start-up, `--help` and completion) imports nothing heavy: the models and icalendar are
imported only when a calendar is written."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import timedelta

from sim.commands.shared import add_output_arguments
from sim.core.dates import DateError, Duration

__all__ = ["DEFAULT_REMIND", "add_arguments", "parse_remind"]

DEFAULT_REMIND = "14d"


def parse_remind(text: str) -> timedelta | None:
    """``--remind``: days or weeks before the last day to notify (``14d``, ``2w``, ``P14D``),
    or ``none`` for no reminder. A month is not a fixed number of days, and an iCalendar
    reminder is a fixed span (RFC 5545 §3.3.6 has no months), so months and years are
    refused."""
    if text.strip().lower() == "none":
        return None
    try:
        duration = Duration.parse(text)
    except DateError as error:
        raise argparse.ArgumentTypeError(f"{error}, or none") from None
    if duration.months:
        raise argparse.ArgumentTypeError(
            f"{text!r}: a reminder is a fixed number of days; write days or weeks "
            "(e.g. 30d, 4w), or none"
        )
    return timedelta(days=duration.days)


def add_arguments(parser: argparse.ArgumentParser, year: Callable[[str], int]) -> None:
    """The arguments of ``calendar``; ``year`` reads a YEAR as ``deadlines --from`` does."""
    parser.add_argument(
        "sources",
        metavar="TREATY|SCENARIO",
        nargs="+",
        help="one or more built-in treaty names or scenario files",
    )
    add_output_arguments(parser, "calendar")
    parser.add_argument(
        "--from",
        dest="first_year",
        type=year,
        metavar="YEAR",
        help="the first year shown: terms by their last day in force, effects by their date "
        "(default: the first term)",
    )
    parser.add_argument(
        "--to",
        dest="last_year",
        type=year,
        metavar="YEAR",
        help="the last year shown (default: the year after today, or the year of a "
        "scenario's horizon if that is later)",
    )
    parser.add_argument(
        "--remind",
        type=parse_remind,
        default=parse_remind(DEFAULT_REMIND),
        metavar="DURATION",
        help="a reminder this long before each last day to notify: days or weeks (14d, 2w, "
        f"P14D), or none (default: {DEFAULT_REMIND})",
    )
