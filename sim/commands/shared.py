"""Names that several commands share: the installed version and the interpretations a
``--interpretation`` option accepts. They live here, imported by ``sim.cli`` and by each
command module, so that no command imports the command line (no import cycle)."""

from __future__ import annotations

from sim.core.model import Interpretation

__all__ = ["INTERPRETATION_CHOICES", "interpretations", "version"]

INTERPRETATION_CHOICES = (*(i.value for i in Interpretation), "all")
"""What ``--interpretation`` accepts: each interpretation's name, or ``all``."""


def interpretations(value: str | None) -> list[Interpretation | None]:
    """The interpretations ``--interpretation VALUE`` asks for: None (the scenario's own),
    one, or every one with ``all`` (PRODUCT.md, "Interpretations of a resumed notice")."""
    if value is None:
        return [None]
    if value == "all":
        return list(Interpretation)
    return [Interpretation(value)]


def version() -> str:
    """The installed distribution's version (``pyproject.toml``), from its metadata."""
    from importlib import metadata  # scans the installed distributions: only for --version

    try:
        return metadata.version("treaty-sim")
    except metadata.PackageNotFoundError:
        return "(not installed)"
