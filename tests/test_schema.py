"""``treaty-sim schema``: the JSON Schema of the scenario format, for editors.

PRODUCT.md, "Scenario files": "Unknown fields are errors (a typo must never be silently
ignored)": the schema says so too, so an editor flags the typo before the loader does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from sim.cli import main
from sim.core.dates import DateError, Duration
from sim.core.model import DURATION_PATTERN
from sim.schema import DIALECT, scenario_schema

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
TREATIES = sorted((ROOT / "sim" / "treaties").glob("*.yaml"))


def as_json(path: Path) -> Any:
    """A YAML file as an editor's JSON Schema validator sees it: YAML dates as ISO text."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(scenario_schema())


def test_the_schema_is_a_valid_draft_2020_12_schema_without_an_id() -> None:
    schema = scenario_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    assert schema["title"] == "treaty-sim scenario"
    assert "$id" not in schema
    assert schema["additionalProperties"] is False


def test_the_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert json.loads(out) == scenario_schema()


def test_there_are_scenario_files_to_check() -> None:
    assert SCENARIOS


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.name)
def test_every_scenario_file_fits_the_schema(path: Path) -> None:
    validator().validate(as_json(path))


@pytest.mark.parametrize("path", TREATIES, ids=lambda path: path.name)
def test_every_built_in_treaty_fits_the_schema_of_an_inline_treaty(path: Path) -> None:
    schema = scenario_schema()
    treaty_schema = {"$schema": DIALECT, "$defs": schema["$defs"], "$ref": "#/$defs/Treaty"}
    jsonschema.Draft202012Validator(treaty_schema).validate(as_json(path))


def gsomia_notice() -> dict[str, Any]:
    return {
        "name": "GSOMIA notice",
        "treaty": "gsomia",
        "actions": [{"at": "2019-08-23", "by": "KR", "do": "notify"}],
    }


def test_a_minimal_scenario_fits_the_schema() -> None:
    validator().validate(gsomia_notice())


def test_a_typo_at_the_top_level_is_rejected() -> None:
    scenario = gsomia_notice()
    scenario["actoins"] = scenario.pop("actions")
    errors = list(validator().iter_errors(scenario))
    assert errors
    assert any("actoins" in error.message for error in errors)


def test_a_typo_in_an_action_is_rejected() -> None:
    scenario = gsomia_notice()
    scenario["actions"][0]["doo"] = scenario["actions"][0].pop("do")
    messages = [error.message for error in validator().iter_errors(scenario)]
    assert any("doo" in message for message in messages)
    assert any("'do' is a required property" in message for message in messages)


def test_a_typo_in_an_inline_clause_is_rejected() -> None:
    scenario = gsomia_notice()
    scenario["treaty"] = {
        "name": "Korea–Japan GSOMIA",
        "parties": ["KR", "JP"],
        "in_force": "2016-11-23",
        "clause": {"term": "1y", "renewal": "1y", "notise": "90d"},
    }
    messages = [error.message for error in validator().iter_errors(scenario)]
    assert any("notise" in message for message in messages)


@pytest.mark.parametrize(
    ("field", "value"),
    [("horizon", "1 January 2024"), ("interpretation", "eventually")],
)
def test_a_malformed_value_is_rejected(field: str, value: str) -> None:
    scenario = gsomia_notice()
    scenario[field] = value
    assert list(validator().iter_errors(scenario))


def test_a_malformed_duration_is_rejected() -> None:
    # PRODUCT.md, "Time": durations are written 90d, 2w, 6mo, 1y or P90D, P2W, P6M, P1Y.
    scenario = gsomia_notice()
    scenario["actions"].append({"at": "2021-02-03", "do": "extend", "period": "five years"})
    assert list(validator().iter_errors(scenario))
    scenario["actions"][-1]["period"] = "5y"
    validator().validate(scenario)


# The schema's duration pattern accepts exactly what the loader reads as a duration (PRODUCT.md,
# "Time": 90d, 2w, 6mo, 1y or ISO 8601 P90D, P2W, P6M, P1Y, in any case): an editor flags
# what the loader refuses, and nothing it accepts. Zero and over-long durations are read as
# durations and then refused for their size, which a pattern does not try to express.
@given(st.text(alphabet=" \t0123456789dwmoyPpYMWDO", max_size=12))
def test_the_schema_pattern_accepts_what_the_loader_reads_as_a_duration(text: str) -> None:
    try:
        Duration.parse(text)
        reads = True
    except DateError as error:
        reads = "positive" in str(error) or "too long" in str(error)
    assert (re.match(DURATION_PATTERN, text) is not None) == reads
