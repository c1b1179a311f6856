"""A scenario as the commands take it: a scenario file, or a built-in treaty by name, loaded
and run with every error located in the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim import library
from sim.core.model import Interpretation, Scenario, Treaty
from sim.core.timeline import Timeline
from sim.engine import RunError, run
from sim.errors import InputError
from sim.loader import Loaded, load_scenario

__all__ = ["Source", "load_source", "simulate", "usage_error"]


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
        return Source(Scenario(name=treaty.name, treaty=argument), treaty, None)
    if not path.exists() and path.suffix not in (".yaml", ".yml"):
        known = ", ".join(library.names())
        raise usage_error(
            argument, f"neither a scenario file nor a built-in treaty (built-in: {known})"
        )
    scenario, loaded = load_scenario(path)
    return Source(scenario, library.resolve(scenario, loaded), loaded)


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
