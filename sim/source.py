"""A scenario as the commands take it: a scenario file, or a built-in treaty by name, loaded
and run with every error located in the file."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim import library
from sim.core.model import ActionKind, Interpretation, Scenario, Treaty
from sim.core.timeline import Timeline
from sim.engine import RunError, run, timed_actions
from sim.errors import InputError, InputErrors
from sim.loader import Loaded, load_scenario, shown

__all__ = [
    "Source",
    "check_parties",
    "load_source",
    "party_names",
    "simulate",
    "source_of",
    "usage_error",
]


@dataclass
class Source:
    """What a TREATY|SCENARIO argument named: a loaded scenario, or a treaty alone."""

    scenario: Scenario
    treaty: Treaty
    loaded: Loaded | None


def usage_error(argument: str, message: str) -> InputError:
    """A mistake in a command-line argument, as a located one-line error."""
    return InputError(argument, 1, 1, "(argument)", message)


def load_source(argument: str) -> Source:
    """A scenario file, or a built-in treaty's name (a scenario of its own with no actions)."""
    path = Path(argument)
    if argument in library.names() and not path.is_file():
        treaty = library.builtin(argument)
        # Trusted values (a built-in's own name): constructed, not validated, which would
        # build the Scenario validator at start-up (tests/test_startup.py checks equality).
        scenario = Scenario.model_construct(name=treaty.name, treaty=argument)
        return Source(scenario, treaty, None)
    if not path.exists() and path.suffix not in (".yaml", ".yml"):
        raise usage_error(
            argument, library.unknown(argument, "neither a scenario file nor a built-in treaty")
        )
    scenario, loaded = load_scenario(path)
    return source_of(scenario, loaded)


def source_of(scenario: Scenario, loaded: Loaded) -> Source:
    """A loaded scenario with its treaty resolved and its parties checked."""
    treaty = library.resolve(scenario, loaded)
    check_parties(scenario, treaty, loaded)
    return Source(scenario, treaty, loaded)


def party_names(treaty: Treaty) -> list[str]:
    """The codes of the parties listed in the treaty (a party may be written as a code or
    as an entry with its own dates, ``{party: US, in_force: ...}``)."""
    return [str(getattr(entry, "party", entry)) for entry in treaty.parties]


def _unknown_party(name: str, treaty: Treaty) -> str:
    """An unlisted party, with a "did you mean" as an unknown field name gets."""
    listed = party_names(treaty)
    folded = {party.casefold(): party for party in listed}
    close = [folded[name.casefold()]] if name.casefold() in folded else []
    close = close or difflib.get_close_matches(name, listed, n=1, cutoff=0.5)
    hint = f"; did you mean {shown(close[0])}?" if close else ""
    return f"unknown party {shown(name)}{hint} (parties of {treaty.name}: {', '.join(listed)})"


def check_parties(scenario: Scenario, treaty: Treaty, loaded: Loaded) -> None:
    """Every party a scenario names, in ``by:`` of an action or in ``expect:``, is listed in
    the treaty's ``parties``: an unlisted one is a mistake in the file (docs/decisions.md),
    refused at load with every such place located. A listed party that is not, or no longer,
    bound is a matter of time, judged when the run reaches the action (``rejected``)."""
    listed = set(party_names(treaty))
    problems: list[InputError] = []

    def refuse(path: tuple[str | int, ...], name: str) -> None:
        problems.append(loaded.error(path, _unknown_party(name, treaty)))

    for index, action in enumerate(scenario.actions):
        if action.by is not None and action.by not in listed:
            refuse(("actions", index, "by"), action.by)
    for index, message in _conflicts_out_of_order(scenario, treaty):
        problems.append(loaded.error(("actions", index, "do"), message))
    expect = scenario.expect
    if expect is not None:
        for party in expect.bound_until or {}:
            if party not in listed:
                refuse(("expect", "bound_until", party), party)
        for index, event in enumerate(expect.events or []):
            if event.by is not None and event.by not in listed:
                refuse(("expect", "events", index, "by"), event.by)
        entries: Any = getattr(expect, "parties", None)
        for index, entry in enumerate(entries or []):
            name = getattr(entry, "party", None)
            if isinstance(name, str) and name not in listed:
                refuse(("expect", "parties", index, "party"), name)
    if problems:
        problems.sort(key=lambda problem: (problem.line, problem.column))
        raise InputErrors(problems)


def _conflicts_out_of_order(scenario: Scenario, treaty: Treaty) -> list[tuple[int, str]]:
    """Each ``end_armed_conflict`` that does not follow an ``enter_armed_conflict`` by the
    same party (in time order, equal instants in file order): an end before a beginning is a
    mistake in the file (PRODUCT.md 0.3), refused at load."""
    since: dict[str, str] = {}
    problems = []
    for timed in timed_actions(scenario.actions, treaty):
        action = timed.action
        if action.by is None:
            continue
        if action.do is ActionKind.ENTER_ARMED_CONFLICT:
            since[action.by] = str(action.at)
        elif action.do is ActionKind.END_ARMED_CONFLICT and since.pop(action.by, None) is None:
            problems.append(
                (
                    timed.index,
                    f"{action.by} ends an armed conflict it has not entered before "
                    f"{action.at} (give enter_armed_conflict first)",
                )
            )
    return problems


def simulate(source: Source, interpretation: Interpretation | None = None) -> Timeline:
    """Run a loaded scenario; a run error is located at its field in the scenario file."""
    try:
        return run(source.scenario, source.treaty, interpretation)
    except RunError as error:
        if source.loaded is None:
            raise InputError("(treaty)", 1, 1, error.field, error.message) from None
        path = tuple(int(p) if p.isdigit() else p for p in _split(error.field))
        raise source.loaded.error(path, error.message) from None


def _split(field: str) -> list[str]:
    return field.replace("[", ".").replace("]", "").split(".")
