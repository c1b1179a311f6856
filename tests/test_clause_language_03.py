"""The clause language of PRODUCT.md's "Additions for version 0.3" built on the rule kernel:
the Nth month (``effect_on: {first_of_month_after: N}``) and the turn of the year
(``effect_on: start_of_year``), through the engine, explain and the command line, with the
located one-line errors for their malformed forms."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from cli_helpers import cli, write

from sim.core.explain import explain_event
from sim.core.model import Action, Scenario, Treaty
from sim.core.timeline import EventKind, Timeline
from sim.engine import run

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = ZoneInfo("UTC")


def simulate(treaty: dict[str, Any], actions: list[dict[str, Any]], horizon: str) -> Timeline:
    subject = Treaty.model_validate(treaty)
    scenario = Scenario(
        name="test",
        treaty=subject,
        horizon=horizon,  # type: ignore[arg-type]
        actions=[Action.model_validate(a) for a in actions],
    )
    return run(scenario, subject)


def effect_of_notice(timeline: Timeline) -> datetime | None:
    return next(e.effective for e in timeline.events if e.kind is EventKind.NOTICE_GIVEN)


# --- the Nth month -------------------------------------------------------------------------

# PRODUCT.md 0.3, "The Nth month": UK–EU TCA art. 779(1), "the first day of the twelfth month
# following the date of notification": {effect_on: {first_of_month_after: 12}}; a notice of
# 2025-03-10 takes effect 2026-03-01T00:00 (in force 1 May 2021: facts/treaties.md).
TCA: dict[str, Any] = {
    "name": "UK–EU Trade and Cooperation Agreement",
    "parties": ["UK", "EU"],
    "timezone": "Europe/Brussels",
    "in_force": "2021-05-01",
    "clause": {"effect_on": {"first_of_month_after": 12}},
}


def test_tca_notice_takes_effect_on_the_first_of_the_twelfth_month() -> None:
    timeline = simulate(TCA, [{"at": "2025-03-10", "by": "UK", "do": "notify"}], "2027-01-01")
    assert effect_of_notice(timeline) == datetime(2026, 3, 1, tzinfo=BRUSSELS)
    assert timeline.terminated_at == datetime(2026, 3, 1, tzinfo=BRUSSELS)


def test_a_notice_on_the_last_day_of_a_month_counts_from_that_month() -> None:
    # the month of receipt is March 2025 whether the notice comes on the 1st or the 31st
    timeline = simulate(TCA, [{"at": "2025-03-31", "by": "UK", "do": "notify"}], "2027-01-01")
    assert effect_of_notice(timeline) == datetime(2026, 3, 1, tzinfo=BRUSSELS)
    timeline = simulate(TCA, [{"at": "2025-04-01", "by": "UK", "do": "notify"}], "2027-01-01")
    assert effect_of_notice(timeline) == datetime(2026, 4, 1, tzinfo=BRUSSELS)


# Istanbul Convention art. 80(2) (scenarios/istanbul_turkey_2021.yaml): notice received
# 22 March 2021, three months end 22 June 2021, "the first day of the month following":
# 1 July 2021. PRODUCT.md 0.3: first_of_next_month is {first_of_month_after: 1}.
ISTANBUL: dict[str, Any] = {
    "name": "Istanbul Convention",
    "parties": ["TR", "FR", "DE"],
    "timezone": "Europe/Paris",
    "in_force": "2014-08-01",
    "clause": {"withdrawal": "3mo", "effect_on": "first_of_next_month"},
}


@pytest.mark.parametrize("effect_on", ["first_of_next_month", {"first_of_month_after": 1}])
def test_first_of_next_month_is_the_first_month_after(effect_on: Any) -> None:
    treaty = {**ISTANBUL, "clause": {**ISTANBUL["clause"], "effect_on": effect_on}}
    timeline = simulate(treaty, [{"at": "2021-03-22", "by": "TR", "do": "notify"}], "2022-01-01")
    assert effect_of_notice(timeline) == datetime(2021, 7, 1, tzinfo=ZoneInfo("Europe/Paris"))


def test_with_a_period_the_month_is_the_one_the_period_ends_in() -> None:
    # 22 March 2021 + 3 months = 22 June 2021 (June); the 2nd month after June: 1 August
    treaty = {**ISTANBUL, "clause": {"withdrawal": "3mo", "effect_on": {"first_of_month_after": 2}}}
    timeline = simulate(treaty, [{"at": "2021-03-22", "by": "TR", "do": "notify"}], "2022-01-01")
    assert effect_of_notice(timeline) == datetime(2021, 8, 1, tzinfo=ZoneInfo("Europe/Paris"))


def test_explain_names_the_twelfth_month() -> None:
    treaty = Treaty.model_validate(TCA)
    timeline = simulate(TCA, [{"at": "2025-03-10", "by": "UK", "do": "notify"}], "2027-01-01")
    explanation = explain_event(treaty, timeline, 2)
    assert explanation.agrees
    shown = [step.computation for step in explanation.steps]
    assert any("the first day of the 12th month after March 2025" in text for text in shown)


# --- the turn of the year ------------------------------------------------------------------

# PRODUCT.md 0.3, "The turn of the year": {withdrawal: 6mo, effect_on: start_of_year}; a
# notice on 1 July 2010 takes effect 2011-01-01T00:00, one on 2 July 2010 on 2012-01-01T00:00.
CALENDAR_YEAR: dict[str, Any] = {
    "name": "a convention with the calendar-year rule",
    "parties": ["A", "B"],
    "timezone": "UTC",
    "in_force": "2000-01-01",
    "clause": {"withdrawal": "6mo", "effect_on": "start_of_year"},
}


@pytest.mark.parametrize(
    ("given", "effect"),
    [
        ("2010-07-01", datetime(2011, 1, 1, tzinfo=UTC)),
        ("2010-07-02", datetime(2012, 1, 1, tzinfo=UTC)),
    ],
)
def test_start_of_year_is_the_first_new_year_at_or_after_the_period(
    given: str, effect: datetime
) -> None:
    timeline = simulate(CALENDAR_YEAR, [{"at": given, "by": "A", "do": "notify"}], "2014-01-01")
    assert effect_of_notice(timeline) == effect
    assert timeline.terminated_at == effect


# --- malformed forms: one located line, exit 2, nothing runs --------------------------------


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("{first_of_month_after: 0}", "first_of_month_after must be a whole number N >= 1, not 0"),
        ("{first_of_month_after: -3}", "must be a whole number N >= 1, not -3"),
        ("{first_of_month_after: 1.5}", "must be a whole number N >= 1, not 1.5"),
        ("{first_of_month_after: twelve}", "must be a whole number N >= 1, not 'twelve'"),
        ("{first_of_month_aftr: 12}", "unknown field 'first_of_month_aftr'"),
        ("first_of_next_mnth", "unknown boundary 'first_of_next_mnth'"),
    ],
)
def test_a_malformed_effect_on_is_one_located_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, message: str
) -> None:
    path = write(
        tmp_path,
        "name: bad\n"
        "treaty:\n"
        "  name: T\n"
        "  parties: [A, B]\n"
        "  in_force: 2021-05-01\n"
        "  clause:\n"
        f"    effect_on: {written}\n"
        "actions: [{at: 2025-03-10, by: A, do: notify}]\n",
    )
    code, out, err = cli(["run", path], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"{path}:7:16: treaty.clause.effect_on: ")
    assert message in err
