"""What the start-up of a command loads (issue 8, point 6; issue 16, point 1;
docs/performance.md): heavy
modules only where they are used, no scan of the installed distributions, and validators
built only for what is validated. Checked by what a new process has imported, not by time
(time is `make bench`'s)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sim import library
from sim.core.model import Action, ActionKind, Clause, Scenario, Treaty

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from sim.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
simpy = sys.modules.get("simpy")
loader = sys.modules.get("pydantic.plugin._loader")
facts = {
    "modules": sorted(sys.modules),
    "simpy version looked up": simpy is not None and "__version__" in vars(simpy),
    "plugins scanned": loader is not None and loader._plugins is not None,
}
sys.stderr.write("FACTS " + json.dumps(facts) + "\\n")
"""


def facts(*argv: str) -> dict[str, Any]:
    """What a new ``treaty-sim`` process given ``argv`` imported and did."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={"PATH": "/usr/bin:/bin"},  # no PYDANTIC_DISABLE_PLUGINS of the caller's
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("FACTS "))
    found: dict[str, Any] = json.loads(line.removeprefix("FACTS "))
    return found


DEADLINES = ("deadlines", "gsomia", "--as-of", "2019-08-22")
RUN = ("run", "scenarios/gsomia_history.yaml")


@pytest.mark.parametrize("argv", [DEADLINES, RUN], ids=["deadlines", "run"])
def test_the_everyday_commands_scan_no_installed_distributions(argv: tuple[str, ...]) -> None:
    # PRODUCT.md's two everyday commands: SimPy's version is not looked up (sim/_simpy.py)
    # and pydantic does not scan the entry points for plugins (sim/cli.py).
    found = facts(*argv)
    assert not found["simpy version looked up"]
    assert not found["plugins scanned"]
    assert "simpy.core" in found["modules"]  # the engine ran
    assert "jsonschema" not in found["modules"]  # a development tool only
    assert "icalendar" not in found["modules"]  # only when a calendar is written


def test_json_output_draws_no_table() -> None:
    found = facts(*DEADLINES, "--format", "json")
    assert "tabulate" not in found["modules"]
    assert "tabulate" in facts(*DEADLINES)["modules"]  # the table format draws one


MODELS = ("sim.core.model", "pydantic", "pydantic_core", "yaml", "simpy", "numpy")


@pytest.mark.parametrize(
    "argv",
    [("--help",), ("--version",), ("--print-completion", "bash"), ("run", "--help")],
    ids=["help", "version", "completion", "run-help"],
)
def test_what_needs_no_scenario_imports_no_model(argv: tuple[str, ...]) -> None:
    # Issue 16, point 1: building the parser imports neither the models nor pydantic (nor
    # the YAML reader, the engine or NumPy); each command imports them when it runs.
    modules = facts(*argv)["modules"]
    assert [m for m in modules if m.split(".")[0] in MODELS or m in MODELS] == []


def test_help_and_version_read_no_metadata_until_asked() -> None:
    assert "importlib.metadata" not in facts("--help")["modules"]
    assert "importlib.metadata" in facts("--version")["modules"]


def test_simpy_is_whole_once_used() -> None:
    # Registered without its __init__ by the engine, simpy still completes on first use.
    code = (
        "import sim.engine, simpy; from simpy import Store; "
        "print(simpy.Store is Store, simpy.Environment is sim.engine.Environment, "
        "bool(simpy.__version__))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == ["True", "True", "True"]


# The values the commands construct without validation (to build no validator at start-up)
# equal the validated ones.


def test_the_default_clause_is_the_validated_one() -> None:
    assert Treaty.model_fields["clause"].default == Clause()


@pytest.mark.parametrize("name", library.names())
def test_a_builtin_treatys_own_scenario_is_the_validated_one(name: str) -> None:
    treaty = library.builtin(name)
    built = Scenario.model_construct(name=treaty.name, treaty=name)
    validated = Scenario(name=treaty.name, treaty=name)
    assert built == validated
    assert built.model_fields_set == validated.model_fields_set


@pytest.mark.parametrize("name", library.names())
def test_a_notice_as_of_a_date_is_the_validated_one(name: str) -> None:
    for party in library.builtin(name).party_names:
        day = date(2019, 8, 22)
        built = Action.model_construct(at=day, by=party, do=ActionKind.NOTIFY)
        validated = Action(at=day, by=party, do=ActionKind.NOTIFY)
        assert built == validated
        assert built.model_fields_set == validated.model_fields_set
