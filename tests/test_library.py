"""The library of built-in treaties (issue 19, item 9): at least 40, each documented, each
saying why it counts as it does; the counting advice of docs/scenario-format.md agrees with
the wordings that made it necessary."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sim import library
from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_the_library_holds_at_least_40_treaties() -> None:
    # Issue 19, "Done when": "treaty-sim treaties lists >= 40".
    assert len(library.names()) >= 40


@pytest.mark.parametrize("name", library.names())
def test_each_builtin_treaty_has_a_page_a_row_and_a_place_in_the_nav(name: str) -> None:
    # Issue 19, item 9: each built-in treaty with "a docs/treaties page"; docs/library.md lists
    # every one; mkdocs --strict refuses a page left out of the nav.
    assert (ROOT / "docs" / "treaties" / f"{name}.md").is_file()
    assert f"| `{name}` |" in (ROOT / "docs" / "library.md").read_text("utf-8")
    assert f"- treaties/{name}.md\n" in (ROOT / "mkdocs.yml").read_text("utf-8")


@pytest.mark.parametrize("name", library.names())
def test_each_builtin_treaty_says_why_it_uses_its_counting(name: str) -> None:
    # docs/scenario-format.md, "Choosing counting": each file says which and why.
    text = (ROOT / "sim" / "treaties" / f"{name}.yaml").read_text("utf-8")
    said = re.search(r"^# Counting:[^\n]*?\b(exact|whole_days)\b", text, re.MULTILINE)
    assert said is not None, f"{name}.yaml has no '# Counting:' comment"
    assert said.group(1) == library.builtin(name).clause.counting.value


def sweep(path: str, field: str, party: str, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    assert main(["sweep", path, "--vary", field, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    return {row["value"]: row["bound_until"][party] for row in rows}


def test_budapest_needs_exact_and_whole_days_is_a_month_late(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Issue 19: "the whole_days advice for 'first day of the month following the expiration
    # of a period of three months after receipt' gives Budapest a month late; notice
    # 31 January 2020 should take effect 1 May 2020". Art. 47(2); contract "Time": 31 January
    # + 3mo = 30 April (clipped): exact ends the period at 00:00 on 30 April (April -> 1 May);
    # whole_days at 00:00 on 1 May, which belongs to May (-> 1 June). Strasbourg is at +02:00.
    path = str(ROOT / "scenarios" / "budapest_denunciations_hypothetical.yaml")
    assert sweep(path, "treaty.clause.counting=exact,whole_days", "FR", capsys) == {
        "exact": "2020-05-01T00:00:00+02:00",
        "whole_days": "2020-06-01T00:00:00+02:00",
    }


def test_the_tca_in_0_2_is_eleven_months_then_the_first_and_twelve_is_a_month_late(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # UK-EU TCA art. 779(1), "the first day of the twelfth month following the date of
    # notification"; the contract's example: a notice of 2025-03-10 takes effect 2026-03-01.
    # The literal 12mo + first_of_next_month gives 2026-03-10 -> 1 April 2026 (issue 19).
    path = str(ROOT / "scenarios" / "uk_eu_tca_notice_hypothetical.yaml")
    assert sweep(path, "treaty.clause.withdrawal=11mo,12mo", "GB", capsys) == {
        "11mo": "2026-03-01T00:00:00+01:00",
        "12mo": "2026-04-01T00:00:00+02:00",
    }
