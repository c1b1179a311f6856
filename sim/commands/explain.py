"""``treaty-sim explain SCENARIO --term N | --event K``: the chain of rules and arithmetic
behind a term's end and notice deadline, or behind one event, as the run has it
(docs/explain.md). The chain is built by :mod:`sim.core.explain` from the shared arithmetic;
this module parses the arguments, runs the scenario, checks that the chain and the run agree,
and prints."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.core.explain import Explanation

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 1")
    return int(text)


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``explain``."""
    parser.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="a scenario file, or a built-in treaty's name (run with no actions)",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--term",
        type=_positive,
        metavar="N",
        help=(
            "explain term N: its end, last day in force and notice deadline "
            "(no default: give --term or --event)"
        ),
    )
    which.add_argument(
        "--event",
        type=_positive,
        metavar="K",
        help=(
            "explain the K-th event of the run's timeline (1 is the first, as listed by "
            "run; no default: give --term or --event)"
        ),
    )
    parser.add_argument(
        "--interpretation",
        choices=["remaining", "immediate", "fresh"],
        help="when a resumed notice takes effect (default: the scenario's interpretation:, "
        "else remaining)",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Run the scenario, explain the term or event, print; exit 1 if the chain and the run
    disagree (a bug: explain formats what the run recorded)."""
    from sim.core.explain import explain_event, explain_term
    from sim.core.model import Interpretation
    from sim.source import load_source, simulate

    source = load_source(args.scenario)
    chosen = Interpretation(args.interpretation) if args.interpretation else None
    timeline = simulate(source, chosen)
    if args.term is not None:
        count = len(timeline.terms)
        if args.term > count:
            return _out_of_range(
                "--term", f"no term {args.term}: the run has {_range(count, 'term')}"
            )
        explanation = explain_term(source.treaty, timeline, args.term)
    else:
        count = len(timeline.events)
        if args.event > count:
            return _out_of_range(
                "--event", f"no event {args.event}: the run has {_range(count, 'event')}"
            )
        explanation = explain_event(source.treaty, timeline, args.event)
    sys.stdout.write(render(explanation, timeline.scenario, timeline.timezone, args.format))
    sys.stdout.write("\n")
    if not explanation.agrees:
        sys.stderr.write(
            f"explain: the chain gives {explanation.result} but the run gives "
            f"{explanation.run}: a bug, please report it\n"
        )
        return EXIT_FAILED
    return EXIT_OK


def _out_of_range(option: str, message: str) -> int:
    sys.stderr.write(f"treaty-sim explain: error: argument {option}: {message}\n")
    return EXIT_INPUT


def _range(count: int, what: str) -> str:
    if count == 0:
        return f"no {what}s"
    return f"{count} {what}{'s' if count != 1 else ''} (1 to {count})"


def as_json(explanation: Explanation, scenario: str, timezone: str) -> dict[str, object]:
    """The chain as data: ``explain --format json``."""
    return {
        "scenario": scenario,
        "timezone": timezone,
        "subject": explanation.subject,
        "article": explanation.article,
        "steps": [step.as_json() for step in explanation.steps],
        "result": explanation.result,
        "run": explanation.run,
        "agrees": explanation.agrees,
    }


def render(explanation: Explanation, scenario: str, timezone: str, fmt: str) -> str:
    """The chain in a format: numbered paragraphs (table), or rows of steps."""
    from sim.render import dumps, render_rows

    if fmt == "json":
        return dumps(as_json(explanation, scenario, timezone))
    if fmt in ("csv", "markdown"):
        headers = ("step", "rule", "source", "computation", "value")
        rows = [
            [index, step.rule, step.source, step.computation, step.value]
            for index, step in enumerate(explanation.steps, start=1)
        ]
        rows.append(["result", "", "", "", _result(explanation.result)])
        return render_rows(headers, rows, fmt)
    lines = [f"{scenario} ({timezone}): {explanation.subject}", ""]
    if explanation.article:
        lines += ["clause: " + " ".join(explanation.article.split()), ""]
    for index, step in enumerate(explanation.steps, start=1):
        lines.append(f"{index}. {step.rule}")
        lines.append(f"   {step.computation}")
        lines.append(f"   source: {step.source}")
    lines += ["", "result: " + _result(explanation.result)]
    verdict = "agrees" if explanation.agrees else "DISAGREES: " + _result(explanation.run)
    lines.append(f"run: {verdict}")
    return "\n".join(lines)


def _result(values: dict[str, str | None]) -> str:
    return "; ".join(f"{key} {value}" for key, value in values.items() if value is not None)
