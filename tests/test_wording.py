"""Wording a reader cannot misread (issue 10, point 4): a party is "bound through" its last
day, "until" the instant it stops being bound, in every table; `run` and `sweep` print
instants alike; a tab and a day that does not exist are named as such. Through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import cli, write

from sim.cli import main

# Rome Statute art. 127(1): "The withdrawal shall take effect one year after the date of
# receipt of the notification"; Burundi's notification was received on 27 October 2016 and
# its withdrawal took effect on 27 October 2017 (docs/sources.md, "Rome Statute"). The
# Depositary is the UN Secretary-General in New York.
BURUNDI = """\
name: Burundi leaves the Rome Statute
treaty:
  name: Rome Statute of the International Criminal Court
  parties: [BI, DE, FR, JP, ZA]
  timezone: America/New_York
  in_force: 2002-07-01
  clause: {withdrawal: 1y}
horizon: 2019-01-01
actions:
  - {at: 2016-10-27, by: BI, do: notify}
"""
# 27 October 2017 was a Friday; New York kept daylight time (-04:00) until 5 November 2017.
# Half-open (PRODUCT.md, "Time"): bound until 00:00 on the 27th, so bound through Thursday
# the 26th.
BOUND = "Thu 2017-10-26 (until Fri 2017-10-27 00:00 -04:00)"


def test_run_says_bound_through_the_last_day_until_the_instant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(["run", write(tmp_path, BURUNDI)], capsys)
    assert code == 0
    assert f"BI bound through {BOUND}" in out
    assert "bound until" not in out


def test_every_interpretation_side_by_side_says_it_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(["run", write(tmp_path, BURUNDI), "--interpretation", "all"], capsys)
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("BI bound through"))
    # No notice is suspended, so the three interpretations agree (PRODUCT.md,
    # "Interpretations of a resumed notice").
    assert row.count(BOUND) == 3


def test_sweep_prints_instants_as_run_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, BURUNDI)
    code, out, _ = cli(["sweep", path, "--vary", "actions[0].at=2016-10-27"], capsys)
    assert code == 0
    assert "BI bound through" in out
    assert BOUND in out
    _, run_out, _ = cli(["run", path], capsys)
    # The withdrawal's effect, as the run's event table prints it.
    assert "Fri 2017-10-27 00:00 -04:00" in run_out
    assert "2017-10-27T00:00:00" not in out


def test_a_tab_is_named_at_its_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path, "name: x\ntreaty: gsomia\nactions:\n\t- {at: 2019-08-23, by: KR, do: notify}\n"
    )
    code, out, err = cli(["run", path], capsys)
    # PRODUCT.md, "Errors": one located line, exit 2; the tab is line 4, column 1.
    assert (code, out) == (2, "")
    assert err == f"{path}:4:1: (yaml): tabs cannot indent YAML; use spaces\n"


def test_a_day_that_does_not_exist_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "name: x\ntreaty: gsomia\nhorizon: 2011-02-30\n"
        "actions:\n  - {at: '2020-02-30T18:00', by: KR, do: notify}\n",
    )
    code, _, err = cli(["run", path], capsys)
    # The Gregorian calendar: February has 28 days in 2011, 29 in the leap year 2020.
    assert code == 2
    assert err.splitlines() == [
        f"{path}:3:10: horizon: '2011-02-30' does not exist: February 2011 has 28 days",
        f"{path}:5:10: actions[0].at: '2020-02-30' does not exist: February 2020 has 29 days",
    ]


def test_an_as_of_day_that_does_not_exist_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["deadlines", "gsomia", "--as-of", "2019-04-31"])
    # PRODUCT.md, "Errors": usage errors exit 2. April has 30 days.
    assert stop.value.code == 2
    assert "'2019-04-31' does not exist: April 2019 has 30 days" in capsys.readouterr().err
