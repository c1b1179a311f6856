"""Examples that pin rules no other test held exactly (issue 12, points 5 to 9), and the
numbers of the built-in treaty files that no timeline shows (their signing dates). Each is
run the way a user runs the command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from cli_helpers import write

from sim.cli import main
from sim.library import builtin, names

ROOT = Path(__file__).resolve().parent.parent


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().out


# Point 5. PRODUCT.md, "Time": durations may be ISO 8601 (`P1Y` is `1y`, `P6M` is `6mo`), and
# months and years are calendar arithmetic: `P1Y6M` from 2020-01-01 is 18 months, ending
# 2021-07-01 (twelve months would give 2021-01-01).
@pytest.mark.parametrize("term", ["P1Y6M", "p1y6m", "P18M"])
def test_an_iso_duration_of_years_and_months_counts_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], term: str
) -> None:
    path = write(
        tmp_path,
        "name: eighteen months\n"
        "treaty:\n  name: t\n  parties: [A, B]\n  in_force: 2020-01-01\n"
        f"  clause: {{term: {term}}}\n"
        "horizon: 2022-01-01\n",
    )
    code, out = cli(["run", path, "--format", "json"], capsys)
    assert code == 0, out
    document = json.loads(out)
    assert document["terms"][0]["end"] == "2021-07-01T00:00:00+00:00"
    assert document["terminated_at"] == "2021-07-01T00:00:00+00:00"


# Point 7. PRODUCT.md, "Commands": days_left is negative once the notice deadline has passed;
# the table says so. GSOMIA's 2019 deadline is 00:00 KST on 25 August 2019 (PRODUCT.md,
# "Time"; Hankyoreh: "the deadline of Aug. 24" is the last day to notify): on 24 August one
# day is left, on 25 August none ("passed (0)"), on 26 August "passed (-1)".
@pytest.mark.parametrize(
    ("as_of", "shown", "number"),
    [("2019-08-24", "1", 1), ("2019-08-25", "passed (0)", 0), ("2019-08-26", "passed (-1)", -1)],
)
def test_the_deadline_table_says_when_the_deadline_has_passed(
    capsys: pytest.CaptureFixture[str], as_of: str, shown: str, number: int
) -> None:
    args = ["deadlines", "gsomia", "--from", "2019", "--to", "2019", "--as-of", as_of]
    code, out = cli([*args, "--format", "csv"], capsys)
    assert code == 0
    header, row_cells = (line.split(",") for line in out.strip().splitlines()[:2])
    assert row_cells[header.index("days left")] == str(number)
    code, out = cli(args, capsys)
    assert code == 0
    [row] = [line for line in out.splitlines() if line.lstrip().startswith("3 ")]
    assert row.rstrip().endswith(f"  {shown}"), row
    code, out = cli([*args, "--format", "json"], capsys)
    assert json.loads(out)["terms"][0]["days_left"] == number


# Point 8. PRODUCT.md, "Interpretations": `remaining` is the default. GSOMIA, notice
# 2019-08-23, suspended 2019-11-22T18:00 (facts/treaties.md: six hours before expiry),
# resumed 2020-08-04, no `interpretation:` key: the notice ends the pact six hours after the
# resumption (`fresh` would give 2020-11-23). scenarios/gsomia_resumed_default_interpretation
# .yaml states the same for `treaty-sim check`.
def test_a_scenario_without_an_interpretation_reads_a_resumed_notice_as_remaining(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "name: default\ntreaty: gsomia\nhorizon: 2022-01-01\nactions:\n"
        "  - {at: 2019-08-23, by: KR, do: notify}\n"
        '  - {at: "2019-11-22T18:00", by: KR, do: suspend_notice}\n'
        "  - {at: 2020-08-04, by: KR, do: resume_notice}\n",
    )
    code, out = cli(["run", path, "--format", "json"], capsys)
    assert code == 0
    document = json.loads(out)
    assert document["interpretation"] == "remaining"
    assert document["terminated_at"] == "2020-08-04T06:00:00+09:00"


# Point 9. PRODUCT.md, "Commands": days_left is whole (calendar) days from as_of to the
# notice deadline. In New York, a treaty in force 2020-06-01 with a one-year term and 60 days'
# notice has its deadline at 00:00 EDT on 2 April 2021 (1 June 2021 less 60 days); from 00:00
# EST on 1 March 2021 that is 32 calendar days, though one hour less than 32 days of elapsed
# time (the clocks go forward on 14 March 2021).
def test_days_left_counts_calendar_days_across_a_clock_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "name: dst\ntreaty:\n  name: t\n  parties: [A, B]\n  timezone: America/New_York\n"
        "  in_force: 2020-06-01\n  clause: {term: 1y, renewal: 1y, notice: 60d}\n"
        "horizon: 2022-01-01\n",
    )
    code, out = cli(["deadlines", path, "--as-of", "2021-03-01", "--format", "json"], capsys)
    assert code == 0, out
    [term] = [t for t in json.loads(out)["terms"] if t["number"] == 1]
    assert term["notice_deadline"] == "2021-04-02T00:00:00-04:00"
    assert term["last_day_to_notify"] == "2021-04-01"
    assert term["days_left"] == 32


# The signing dates are in no timeline; facts/treaties.md gives them (GSOMIA: "Signed at
# Seoul on 23 November 2016"; INF: "Signed 8 December 1987"; New START: "Signed 8 April
# 2010"; NPT and Paris: no signing date in the facts). The rest of each file is pinned by
# the scenarios in scenarios/ (docs/properties.md, "The treaty data").
@pytest.mark.parametrize(
    ("name", "signed"),
    [
        ("gsomia", date(2016, 11, 23)),
        ("inf", date(1987, 12, 8)),
        ("new_start", date(2010, 4, 8)),
        ("npt", None),
        ("paris", None),
    ],
)
def test_a_built_in_treaty_was_signed_when_the_facts_say(name: str, signed: date | None) -> None:
    assert builtin(name).signed == signed


def test_the_five_first_built_in_treaties_are_still_there() -> None:
    assert {"gsomia", "inf", "new_start", "npt", "paris"} <= set(names())
