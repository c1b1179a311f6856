"""The JSON Schema of the scenario format, for editors (PRODUCT.md, "Commands": ``treaty-sim
schema``), generated from the models so that it cannot drift from what the loader accepts.

Unknown fields are refused (``additionalProperties: false``, from the models'
``extra="forbid"``: "a typo must never be silently ignored"). Dates, instants and durations
are strings with the patterns of :mod:`sim.core.model`. The schema checks the shape of a file;
the rules that tie fields together (``notice`` needs ``renewal``, ...) are the loader's.
"""

from __future__ import annotations

from typing import Any

from sim.core.model import Scenario

__all__ = ["DIALECT", "scenario_schema"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect pydantic generates."""


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file, without an ``$id``."""
    generated = Scenario.model_json_schema()
    generated.pop("title", None)
    generated.pop("$id", None)
    return {
        "$schema": DIALECT,
        "title": "treaty-sim scenario",
        **generated,
    }
