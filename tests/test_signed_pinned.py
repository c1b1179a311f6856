"""Every date a built-in treaty carries can be pinned by a scenario's ``expect:`` (issue 18,
item 2): ``signed`` and ``in_force`` of the treaty, ``in_force`` of a party; and every
built-in's ``signed`` is pinned by a scenario of scenarios/, from its source (the comment
above each ``signed:`` there), so a date changed in sim/treaties/ fails ``check``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_helpers import cli, write

from sim import library
from sim.check import differences
from sim.core.model import Expect
from sim.source import load_source, simulate

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "scenarios").glob("*.yaml"))


def _expects() -> dict[str, list[dict[str, Any]]]:
    """For each built-in treaty's name, the expect: blocks of the scenarios that use it."""
    found: dict[str, list[dict[str, Any]]] = {}
    for path in FILES:
        data = yaml.safe_load(path.read_text("utf-8"))
        if isinstance(data.get("treaty"), str) and data.get("expect"):
            found.setdefault(data["treaty"], []).append(data["expect"])
    return found


SIGNED = [name for name in library.names() if library.builtin(name).signed is not None]


@pytest.mark.parametrize("name", SIGNED)
def test_every_built_in_signing_date_is_pinned_by_a_scenario(name: str) -> None:
    pinned = [e["signed"] for e in _expects().get(name, []) if "signed" in e]
    assert pinned, f"no scenario of scenarios/ pins the signing date of {name}"
    assert all(day == library.builtin(name).signed for day in pinned)


def test_a_signing_date_moved_by_a_year_fails_the_check() -> None:
    # The survivor of issue 18: Istanbul's `signed` could move by a year with every test
    # green. "DONE at Istanbul, this 11th day of May 2011" (sim/treaties/istanbul.yaml).
    source = load_source(str(ROOT / "scenarios" / "istanbul_turkey_2021.yaml"))
    moved = source.treaty.model_copy(update={"signed": source.treaty.signed.replace(year=2012)})  # type: ignore[union-attr]
    assert source.scenario.expect is not None
    found = differences(source.scenario.expect, simulate(source), moved)
    assert found == [f"signed: expected 2011-05-11, {moved.name} has 2012-05-11"]


@pytest.mark.parametrize(
    ("expect", "problem"),
    [
        # GSOMIA, facts/treaties.md: signed and in force on 23 November 2016.
        ({"signed": "2016-11-23", "in_force": "2016-11-23"}, None),
        (
            {"signed": "2016-11-22"},
            "signed: expected 2016-11-22, Korea–Japan GSOMIA has 2016-11-23",
        ),
        (
            {"in_force": "2017-11-23"},
            "in_force: expected 2017-11-23, Korea–Japan GSOMIA has 2016-11-23",
        ),
        ({"signed": None}, "signed: expected null, Korea–Japan GSOMIA has 2016-11-23"),
    ],
)
def test_expect_names_the_treaty_dates(expect: dict[str, Any], problem: str | None) -> None:
    source = load_source("gsomia")
    found = differences(Expect.model_validate(expect), simulate(source), source.treaty)
    assert found == ([problem] if problem else [])


def test_expect_names_a_party_own_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # sim/treaties/echr.yaml: Russia bound from 5 May 1998 (its ratification), Greece from the
    # Convention's entry into force, 3 September 1953.
    text = (
        "name: ECHR dates\ntreaty: echr\nexpect:\n  parties:\n"
        "    - {party: RU, in_force: 1998-05-05}\n    - {party: GR, in_force: 1953-09-04}\n"
    )
    code, out, _ = cli(["check", write(tmp_path, text)], capsys)
    assert code == 1
    assert "parties[1].in_force: GR expected 1953-09-04, 1953-09-03" in out
    assert "parties[0]" not in out
