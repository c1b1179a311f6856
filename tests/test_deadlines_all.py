"""``deadlines --all --as-of DATE --within DURATION``: what is due across treaties, soonest
first (issue 9, point 2). Run through the CLI's entry point, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import cli

ROOT = Path(__file__).resolve().parent.parent


def _due(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = cli(["deadlines", "--all", *args, "--format", "json"], capsys)
    assert (code, err) == (0, "")
    document: dict[str, Any] = json.loads(out)
    return document


def test_gsomia_as_of_the_day_seoul_announced(capsys: pytest.CaptureFixture[str]) -> None:
    document = _due(capsys, "gsomia", "--as-of", "2019-08-22", "--within", "365d")
    assert (document["as_of"], document["within"]) == ("2019-08-22", "365d")
    rows = [(r["kind"], r["at"], r["last_day"], r["days_left"]) for r in document["due"]]
    # GSOMIA art. 21(3), ninety days' notice before the end of term 3 at 00:00 KST on
    # 23 November 2019: deadline 00:00 on 25 August, last day to notify 24 August
    # (docs/sources.md: "the deadline of Aug. 24"); from 22 August three days are left, as
    # docs/index.md says of `deadlines`. 2019-08-22 + 365 days is 2020-08-21 (2020 is a leap
    # year), so the next deadline, 00:00 on 25 August 2020, is outside the window.
    assert rows == [
        ("notice_deadline", "2019-08-25T00:00:00+09:00", "2019-08-24", 3),
        ("term_ends", "2019-11-23T00:00:00+09:00", "2019-11-22", 93),
    ]
    assert {r["treaty"] for r in document["due"]} == {"Korea–Japan GSOMIA"}


def test_the_window_includes_a_deadline_at_its_end_and_not_one_at_its_start(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The window is (00:00 on the as-of date, 00:00 on as-of + within]: a deadline at 00:00
    # on 25 August 2020 (2019-08-22 + 369 days) is in it, its last day to notify being the
    # window's last day; one day less leaves it out.
    kinds = _due(capsys, "gsomia", "--as-of", "2019-08-22", "--within", "369d")["due"]
    assert "2020-08-25T00:00:00+09:00" in [r["at"] for r in kinds]
    kinds = _due(capsys, "gsomia", "--as-of", "2019-08-22", "--within", "368d")["due"]
    assert "2020-08-25T00:00:00+09:00" not in [r["at"] for r in kinds]
    # On 25 August 2019 itself the 2019 deadline has passed (days left 0 is "passed").
    kinds = _due(capsys, "gsomia", "--as-of", "2019-08-25", "--within", "30d")["due"]
    assert kinds[0]["kind"] == "nothing_due"
    assert "next notice deadline Tue 2020-08-25 00:00 +09:00" in kinds[0]["note"]


def test_every_built_in_treaty_soonest_first(capsys: pytest.CaptureFixture[str]) -> None:
    document = _due(capsys, "--as-of", "2019-08-22", "--within", "365d")
    rows = document["due"]
    dated = [r for r in rows if r["at"] is not None]
    instants = [datetime.fromisoformat(r["at"]) for r in dated]
    assert instants == sorted(instants)
    # The rows without a date come after every dated one.
    assert rows[: len(dated)] == dated
    assert dated[0]["treaty"] == "Korea–Japan GSOMIA"
    _, out, _ = cli(["treaties", "--format", "json"], capsys)
    names = {t["treaty"] for t in json.loads(out)["treaties"]}
    assert {r["treaty"] for r in rows} == names
    inf = next(r for r in rows if r["treaty"] == "INF Treaty")
    # INF art. XV(2): withdrawal six months after notice; no renewal notice, so no deadline
    # (the words of `deadlines inf`, docs/index.md).
    assert inf["kind"] == "no_deadline"
    assert inf["note"].startswith("withdrawal takes effect 6 months after notice;")


def test_a_scenario_notice_taking_effect_in_the_window(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(ROOT / "scenarios/paris_us_withdrawal_2019.yaml")
    rows = _due(capsys, scenario, "--as-of", "2019-11-04", "--within", "1y")["due"]
    # docs/sources.md, "Paris Agreement": US notice 4 November 2019, effective 4 November
    # 2020 (00:00 New York): 366 days (2020 is a leap year), at the window's end.
    effect = rows[0]
    assert effect["kind"] == "notice_takes_effect"
    assert (effect["at"], effect["days_left"]) == ("2020-11-04T00:00:00-05:00", 366)
    assert effect["scenario"] == "Paris Agreement, US withdrawal 2019–2020"
    # The clause has no renewal notice: a row says so.
    assert rows[1]["kind"] == "no_deadline"


def test_a_treaty_that_has_ended_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(ROOT / "scenarios/gsomia_notice_late.yaml")
    rows = _due(capsys, scenario, "--as-of", "2021-01-01")["due"]
    # A late notice (25 August 2019) stops the following renewal (PRODUCT.md, late_notice
    # next_term): the agreement ends at 00:00 KST on 23 November 2020.
    assert [(r["kind"], r["note"]) for r in rows] == [
        ("nothing_due", "no longer in force: terminated at Mon 2020-11-23 00:00 +09:00")
    ]


def test_every_format_names_the_treaty_of_each_row(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["deadlines", "--all", "gsomia", "inf", "--as-of", "2019-08-22", "--within", "365d"]
    code, table, _ = cli(args, capsys)
    assert code == 0
    lines = table.splitlines()
    assert lines[0] == (
        "due from Thursday 22 August 2019 through Thursday 20 August 2020 "
        "(365 days; dates local to each treaty)"
    )
    assert any(
        line.startswith("Sun 2019-08-25 00:00 +09:00  3 ") and "Korea–Japan GSOMIA" in line
        for line in lines
    )
    code, markdown, _ = cli([*args, "--format", "markdown"], capsys)
    assert "| Sun 2019-08-25 00:00 +09:00 | 3 " in markdown
    code, text, _ = cli([*args, "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["treaty"], r["kind"], r["due"]) for r in rows] == [
        ("Korea–Japan GSOMIA", "notice_deadline", "2019-08-25T00:00:00+09:00"),
        ("Korea–Japan GSOMIA", "term_ends", "2019-11-23T00:00:00+09:00"),
        ("INF Treaty", "no_deadline", ""),
    ]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--all", "--within", "3x"], "argument --within: '3x' is not a duration"),
        (["--all", "--within", "0d"], "argument --within: '0d' is not a positive duration"),
        (["--all", "--within", "-5d"], "argument --within: expected one argument"),
    ],
)
def test_a_bad_window_is_a_usage_error(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        cli(["deadlines", *args], capsys)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["gsomia", "--within", "30d"],
            "--within:1:1: (argument): --within goes with --all (what is due across treaties)",
        ),
        (
            ["--all", "gsomia", "--from", "2019"],
            "--from:1:1: (argument): --from selects terms by year; with --all use --within",
        ),
        (
            [],
            "deadlines:1:1: (argument): name a built-in treaty or a scenario file, or give --all",
        ),
    ],
)
def test_options_that_do_not_go_together(
    args: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(["deadlines", *args], capsys)
    assert (code, out, err) == (2, "", line + "\n")
