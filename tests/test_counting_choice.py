"""How to choose `counting` (issue 10, point 3; docs/scenario-format.md, "Choosing
counting"): the Energy Charter Treaty's recorded date needs `whole_days`, the Rome Statute's
needs `exact`; each built-in treaty file says why it uses its counting."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sim import library
from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
ECT = str(ROOT / "scenarios" / "ect_italy_withdrawal_2016.yaml")
ROME = str(ROOT / "scenarios" / "rome_statute_burundi_2017.yaml")


def sweep_counting(path: str, party: str, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    code = main(
        ["sweep", path, "--vary", "treaty.clause.counting=exact,whole_days", "--format", "json"]
    )
    assert code == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    return {row["value"]: row["bound_until"][party] for row in rows}


def test_the_worked_examples_pass_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", ECT, ROME]) == 0
    assert capsys.readouterr().out.count("  ok  ") == 2


def test_energy_charter_treaty_needs_whole_days(capsys: pytest.CaptureFixture[str]) -> None:
    # ECT art. 47(2), Italy: notice received 31 December 2014, effective 1 January 2016
    # (docs/sources.md). PRODUCT.md, "Counting": exact ends at t + 1y = 2015-12-31T00:00;
    # whole_days at 00:00 of the day after 2015-12-31. Lisbon is at +00:00 in winter.
    assert sweep_counting(ECT, "IT", capsys) == {
        "exact": "2015-12-31T00:00:00+00:00",
        "whole_days": "2016-01-01T00:00:00+00:00",
    }


def test_rome_statute_needs_exact(capsys: pytest.CaptureFixture[str]) -> None:
    # Rome Statute art. 127(1), Burundi: notification received 27 October 2016, effective
    # 27 October 2017 (docs/sources.md). exact: 2016-10-27T00:00 + 1y; whole_days: 00:00 of
    # the day after 2017-10-27. New York is at -04:00 until 5 November 2017.
    assert sweep_counting(ROME, "BI", capsys) == {
        "exact": "2017-10-27T00:00:00-04:00",
        "whole_days": "2017-10-28T00:00:00-04:00",
    }


# The built-in treaties of issue 10; a treaty file added since should say the same.
EXISTING = ["gsomia", "inf", "new_start", "npt", "paris"]


@pytest.mark.parametrize("name", EXISTING)
def test_each_builtin_treaty_says_why_it_uses_its_counting(name: str) -> None:
    text = (ROOT / "sim" / "treaties" / f"{name}.yaml").read_text("utf-8")
    said = re.search(r"^# Counting: (\w+)", text, re.MULTILINE)
    assert said is not None, f"{name}.yaml has no '# Counting:' comment"
    assert said.group(1) == library.builtin(name).clause.counting.value
