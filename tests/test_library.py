"""The library of built-in treaties (issue 19, item 9): at least 40, each documented, each
saying why it counts as it does; the counting advice of docs/scenario-format.md agrees with
the wordings that made it necessary."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from sim import library
from sim.cli import main
from sim.core.model import Clause, MonthAfter, Scenario
from sim.engine import run

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


def test_the_tca_says_the_twelfth_month_in_0_3_and_its_date_matches_the_contract(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # UK-EU TCA art. 779(1), "the first day of the twelfth month following the date of
    # notification"; the contract ("The Nth month") maps it to {first_of_month_after: 12} with
    # no withdrawal period: "a notice of 2025-03-10 takes effect 2026-03-01T00:00".
    clause = library.builtin("uk_eu_tca").clause
    assert isinstance(clause.effect_on, MonthAfter)
    assert clause.effect_on.first_of_month_after == 12
    assert clause.withdrawal is None
    path = str(ROOT / "scenarios" / "uk_eu_tca_notice_hypothetical.yaml")
    assert sweep(path, "actions[0].at=2025-03-10", "GB", capsys) == {
        "2025-03-10": "2026-03-01T00:00:00+01:00"
    }


def _tca_effect(clause: dict[str, object], day: date) -> datetime | None:
    """When a UK notice given on ``day`` ends the TCA, under ``clause``."""
    treaty = library.builtin("uk_eu_tca").model_copy(
        update={"clause": Clause.model_validate(clause)}
    )
    scenario = Scenario.model_validate(
        {
            "name": "TCA",
            "treaty": "uk_eu_tca",
            "horizon": (day + timedelta(days=800)).isoformat(),
            "actions": [{"at": day.isoformat(), "by": "GB", "do": "notify"}],
        }
    )
    return run(scenario, treaty).terminated_at


def test_the_tca_in_0_3_and_its_0_2_equivalent_agree_on_every_day_and_12mo_is_a_month_late() -> (
    None
):
    # Clause language 0.2 could say art. 779(1) only as withdrawal 11mo + first_of_next_month
    # (the month of the notification is month 0, so the twelfth month following is eleven
    # months on, then the first of the next month); issue 19: the literal 12mo is a month
    # late. The two 0.2/0.3 forms must agree for every day of two years, 29 February, the 30th
    # and 31st included (2025-01-31 + 11mo = 2025-12-31 -> 2026-01-01).
    every_day = [date(2024, 1, 1) + timedelta(days=n) for n in range(731)]
    form_0_3 = {"effect_on": {"first_of_month_after": 12}}
    form_0_2 = {"withdrawal": "11mo", "effect_on": "first_of_next_month"}
    for day in every_day:
        effect = _tca_effect(form_0_3, day)
        assert effect is not None
        assert (effect.year, effect.month, effect.day) == (
            day.year + (day.month + 12 - 1) // 12,
            (day.month + 12 - 1) % 12 + 1,
            1,
        ), day
        assert effect == _tca_effect(form_0_2, day), day
    literal = {"withdrawal": "12mo", "effect_on": "first_of_next_month"}
    late = _tca_effect(literal, date(2025, 3, 10))
    assert late is not None and late.date() == date(2026, 4, 1)
