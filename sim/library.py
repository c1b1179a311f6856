"""The built-in treaties: YAML data files shipped in the package (``sim/treaties/``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sim.core.model import Scenario, Treaty
from sim.loader import Loaded, did_you_mean, load_treaty, shown

__all__ = ["builtin", "names", "resolve", "unknown", "unknown_treaty"]


def _folder() -> Path:
    # The package's own folder (importlib.resources would cost its import at start-up).
    return Path(__file__).resolve().parent / "treaties"


@cache
def names() -> tuple[str, ...]:
    """The names of the built-in treaties, sorted."""
    return tuple(sorted(path.stem for path in _folder().glob("*.yaml")))


@cache
def builtin(name: str) -> Treaty:
    """The built-in treaty ``name``; KeyError if there is none."""
    if name not in names():
        raise KeyError(name)
    treaty, _ = load_treaty(_folder() / f"{name}.yaml")
    return treaty


def unknown(name: str, what: str) -> str:
    """The message for a name that is no built-in treaty: ``what`` it is not, the closest
    built-in name, and the list."""
    return f"{what}{did_you_mean(name, names())} (built-in: {', '.join(names())})"


def unknown_treaty(name: str) -> str:
    """The message for a scenario's ``treaty:`` that names no built-in treaty."""
    return unknown(name, f"unknown treaty {shown(name)}")


def resolve(scenario: Scenario, loaded: Loaded | None = None) -> Treaty:
    """The scenario's treaty: inline, or built-in by name (an unknown name is located in the
    scenario file when ``loaded`` is given)."""
    if isinstance(scenario.treaty, Treaty):
        return scenario.treaty
    try:
        return builtin(scenario.treaty)
    except KeyError:
        message = unknown_treaty(scenario.treaty)
        if loaded is None:
            raise ValueError(message) from None
        raise loaded.error(("treaty",), message) from None
