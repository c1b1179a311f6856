"""``treaty-sim sweep``: one row per value of a varied field, with the outcome.

The reference case is GSOMIA's 2019 notice (art. 21(3): "automatically extended annually
thereafter unless either Party notifies the other ... ninety days in advance"). PRODUCT.md,
"Counting": a notice is in time if received before ``end - notice``; "a notice on 2019-08-24
stops the renewal at 2019-11-23T00:00+09:00; one on 2019-08-25 is late", and under
``late_notice: next_term`` (GSOMIA's default) a late notice stops the following renewal, at
2020-11-23T00:00+09:00.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from sim.cli import main
from sim.commands.sweep import values as sweep_module
from sim.commands.sweep.values import MAX_VALUES, render_sweep, sweep
from sim.commands.sweep.vary import parse_vary
from sim.errors import InputError
from sim.source import load_source

# PRODUCT.md, "Counting": the 2019 renewal stops at this end if the notice is in time...
END_2019 = "2019-11-23T00:00:00+09:00"
# ...and a late notice (late_notice: next_term) stops the following renewal, a year later.
END_2020 = "2020-11-23T00:00:00+09:00"

NOTICE_SCENARIO = """\
name: GSOMIA notice
treaty: gsomia
actions:
  - {at: 2019-08-23, by: KR, do: notify}
"""


def scenario_file(tmp_path: Path, text: str = NOTICE_SCENARIO) -> str:
    path = tmp_path / "notice.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def sweep_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code = main(["sweep", *args, "--format", "json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    document: dict[str, Any] = json.loads(out)
    return document


def outcomes(document: dict[str, Any]) -> dict[str, str | None]:
    return {row["value"]: row["terminated_at"] for row in document["rows"]}


def test_notice_by_24_august_2019_ends_gsomia_in_2019_and_from_25_august_in_2020(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md, "Counting": a notice on 2019-08-24 stops the renewal at 2019-11-23T00:00+09:00;
    # one on 2019-08-25 is late, and a late notice stops the following renewal (next_term).
    document = sweep_json(
        capsys, scenario_file(tmp_path), "--vary", "actions[0].at=2019-08-01..2019-09-30"
    )
    days = [date(2019, 8, 1) + timedelta(days=n) for n in range(61)]
    expected = {day.isoformat(): END_2019 if day <= date(2019, 8, 24) else END_2020 for day in days}
    assert outcomes(document) == expected
    assert document["field"] == "actions[0].at"
    for row in document["rows"]:
        # With two parties, a notice that takes effect ends the treaty for both (PRODUCT.md).
        assert row["bound_until"] == {"KR": row["terminated_at"], "JP": row["terminated_at"]}
        assert (row["rejections"], row["error"]) == (0, None)


def test_the_cliff_reads_the_same_in_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md, "Counting": the 24 August notice is in time, the 25 August one is late.
    code = main(
        [
            "sweep",
            scenario_file(tmp_path),
            "--vary",
            "actions[0].at=2019-08-23..2019-08-26",
            "--format",
            "csv",
        ]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    rows = list(csv.reader(io.StringIO(out)))
    # CSV is streamed, with the same columns whatever the number of values: the error
    # column is always there (empty where the value ran).
    assert rows == [
        [
            "actions[0].at",
            "terminated at",
            "KR bound until",
            "JP bound until",
            "rejections",
            "error",
        ],
        ["2019-08-23", END_2019, END_2019, END_2019, "0", ""],
        ["2019-08-24", END_2019, END_2019, END_2019, "0", ""],
        ["2019-08-25", END_2020, END_2020, END_2020, "0", ""],
        ["2019-08-26", END_2020, END_2020, END_2020, "0", ""],
    ]


def test_a_list_of_values_gives_one_row_each_in_the_order_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md, "Counting": 24 August is in time; 25 August and 22 November 18:00 (six hours
    # before the end) are late, so they stop the 2020 renewal instead.
    document = sweep_json(
        capsys,
        scenario_file(tmp_path),
        "--vary",
        "actions[0].at=2019-11-22T18:00, 2019-08-24,2019-08-25",
    )
    assert outcomes(document) == {
        "2019-11-22T18:00": END_2020,
        "2019-08-24": END_2019,
        "2019-08-25": END_2020,
    }
    assert [row["value"] for row in document["rows"]] == [
        "2019-11-22T18:00",
        "2019-08-24",
        "2019-08-25",
    ]


def test_varying_the_notice_period_of_a_built_in_treaty_moves_the_deadline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md, "Counting": deadline = end - notice, and a notice is in time if received
    # before it. End 2019-11-23T00:00+09:00, notice at 2019-08-25T00:00+09:00:
    #   89d: deadline 2019-08-26 00:00, the notice is in time: ends 2019-11-23;
    #   90d: deadline 2019-08-25 00:00, the notice is at the deadline, late: ends 2020-11-23;
    #   91d: deadline 2019-08-24 00:00, late: ends 2020-11-23.
    text = NOTICE_SCENARIO.replace("2019-08-23", "2019-08-25")
    document = sweep_json(
        capsys, scenario_file(tmp_path, text), "--vary", "treaty.clause.notice=89d..91d"
    )
    assert outcomes(document) == {"89d": END_2019, "90d": END_2020, "91d": END_2020}


def test_a_range_of_durations_takes_the_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Same rule as above: with a notice on 2019-08-23, notice periods up to 91d (deadline
    # 2019-08-24 00:00) are met; 92d and more (deadline 2019-08-23 00:00 or before) are not.
    document = sweep_json(
        capsys,
        scenario_file(tmp_path),
        "--vary",
        "treaty.clause.notice=86d..96d",
        "--step",
        "5d",
    )
    assert outcomes(document) == {"86d": END_2019, "91d": END_2019, "96d": END_2020}


def test_a_value_the_scenario_does_not_accept_is_reported_on_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md, "The clause": "notice and withdrawal exclude each other"; durations are
    # written 90d, 2w, 6mo, 1y. The other values run as usual.
    document = sweep_json(
        capsys,
        scenario_file(tmp_path),
        "--vary",
        "treaty.clause.withdrawal=6mo",
    )
    (row,) = document["rows"]
    assert row["terminated_at"] is None
    assert "notice and withdrawal exclude each other" in row["error"]

    document = sweep_json(
        capsys, scenario_file(tmp_path), "--vary", "treaty.clause.notice=90d,soon,95d"
    )
    rows = {row["value"]: row for row in document["rows"]}
    assert rows["90d"]["terminated_at"] == END_2019
    assert rows["95d"]["terminated_at"] == END_2020
    assert rows["soon"]["error"].startswith("treaty.clause.notice: ")
    assert "not a duration" in rows["soon"]["error"]


def test_an_action_moved_past_the_horizon_is_reported_on_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md, "Scenario files": the horizon bounds the run; an action at or after it
    # cannot be run, which is that value's problem, not the sweep's.
    text = NOTICE_SCENARIO + "horizon: 2020-01-01\n"
    document = sweep_json(
        capsys, scenario_file(tmp_path, text), "--vary", "actions[0].at=2019-12-30..2020-01-02"
    )
    errors = {row["value"]: row["error"] for row in document["rows"]}
    assert errors["2019-12-30"] is None
    assert errors["2019-12-31"] is None
    assert errors["2020-01-01"].startswith("actions[0].at: the action is at or after the horizon")
    assert errors["2020-01-02"].startswith("actions[0].at: ")


def test_rejections_are_counted_and_still_in_force_is_written_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md, "Actions": a resume with no suspended notice is not applied (rejected) and
    # the run goes on, so the treaty is still in force at the horizon.
    code = main(
        [
            "sweep",
            scenario_file(tmp_path),
            "--vary",
            "actions[0].do=notify,resume_notice",
            "--format",
            "csv",
        ]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))[1:]
    assert rows == [
        ["notify", END_2019, END_2019, END_2019, "0", ""],
        ["resume_notice", "still in force", "still bound", "still bound", "1", ""],
    ]
    document = sweep_json(capsys, scenario_file(tmp_path), "--vary", "actions[0].do=resume_notice")
    assert document["rows"] == [
        {
            "value": "resume_notice",
            "terminated_at": None,
            "bound_until": {"KR": None, "JP": None},
            "rejections": 1,
            "error": None,
        }
    ]


def test_the_table_names_the_scenario_and_the_varied_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["sweep", scenario_file(tmp_path), "--vary", "actions[0].at=2019-08-24..2019-08-25"]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith("GSOMIA notice: Korea–Japan GSOMIA (Asia/Seoul), varying actions[0].at")
    # The table prints instants as `run` does (issue 10, point 4): END_2019 and END_2020, and
    # each party's last day bound before them (half-open, PRODUCT.md "Time").
    assert "Sat 2019-11-23 00:00 +09:00" in out and "Mon 2020-11-23 00:00 +09:00" in out
    assert "Fri 2019-11-22 (until Sat 2019-11-23 00:00 +09:00)" in out
    assert END_2019 not in out


def test_the_library_sweeps_without_the_command_line(tmp_path: Path) -> None:
    # PRODUCT.md, "Counting", as in the command-line test above.
    source = load_source(scenario_file(tmp_path))
    variation = parse_vary("actions[0].at=2019-08-24..2019-08-25", None, source)
    result = sweep(source, variation, progress=False)
    assert [row.value for row in result.rows] == ["2019-08-24", "2019-08-25"]
    assert [row.terminated_at and row.terminated_at.isoformat() for row in result.rows] == [
        END_2019,
        END_2020,
    ]
    assert result.parties == ("KR", "JP")
    assert json.loads(render_sweep(result, "json"))["rows"][1]["terminated_at"] == END_2020
    assert "| actions[0].at" in render_sweep(result, "markdown")


def test_a_monthly_step_is_reckoned_from_the_start_and_clipped_to_the_month(
    tmp_path: Path,
) -> None:
    # PRODUCT.md, "Time": months are calendar arithmetic, clipped to the end of the month, and
    # reckoned from the anchor so that 31 January does not drift to the 28th.
    source = load_source(scenario_file(tmp_path))
    variation = parse_vary("actions[0].at=2019-01-31..2019-05-31", "1mo", source)
    assert [value.label for value in variation.values] == [
        "2019-01-31",
        "2019-02-28",
        "2019-03-31",
        "2019-04-30",
        "2019-05-31",
    ]


def test_durations_are_labelled_in_days_or_months_never_weeks(tmp_path: Path) -> None:
    source = load_source(scenario_file(tmp_path))
    days = parse_vary("treaty.clause.notice=90d..91d", None, source)
    assert [value.label for value in days.values] == ["90d", "91d"]
    years = parse_vary("treaty.clause.renewal=1y..2y", "6mo", source)
    assert [value.label for value in years.values] == ["1y", "18mo", "2y"]


def test_the_progress_bar_is_drawn_on_stderr_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bar waits a second before it shows; here it shows at once.
    monkeypatch.setattr(sweep_module._Progress, "DELAY", 0.0)
    monkeypatch.setattr(sweep_module._Progress, "INTERVAL", 0.0)
    source = load_source(scenario_file(tmp_path))
    variation = parse_vary("actions[0].at=2019-08-23..2019-08-26", None, source)

    sweep(source, variation, progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "\rsweep [" in err and "4/4" in err
    assert err.endswith("\r")

    sweep(source, variation, progress=False)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("vary", "step", "field", "words"),
    [
        ("actoins[0].at=2019-08-01..2019-09-30", None, "--vary", "did you mean 'actions'"),
        ("actions[3].at=2019-08-01..2019-09-30", None, "--vary", "has 1 item"),
        ("actions[0].doo=notify", None, "--vary", "did you mean 'do'"),
        ("treaty.clause.notise=80d..100d", None, "--vary", "did you mean 'notice'"),
        ("treaty.clause=1y", None, "--vary", "not a single value"),
        ("actions=1", None, "--vary", "not a single value"),
        ("actions[0].at", None, "--vary", "FIELD=SPEC"),
        ("=2019-08-01", None, "--vary", "FIELD=SPEC"),
        ("actions[0]..at=2019-08-01", None, "--vary", "not a field path"),
        ("actions[0].at=2019-09-30..2019-08-01", None, "--vary", "ends"),
        ("actions[0].at=2019-08-01..100d", None, "--vary", "not a range of dates"),
        ("actions[0].at=2019-08-01..2019-02-30", None, "--vary", "not a range of dates"),
        ("actions[0].at=2019-08-01..2019-09-01..2019-10-01", None, "--vary", "one '..'"),
        ("actions[0].at=a,,b", None, "--vary", "empty value"),
        # an action's instant is read as one before anything runs, naming the value
        ("actions[0].at=2019-08-01,soon", None, "--vary", "values '2019-08-01,soon': value 'soon'"),
        ("actions[0].at=2019-08-01,2019-02-30", None, "--vary", "value '2019-02-30'"),
        ("actions[0].at=1900-01-01..2100-01-01", None, "--vary", f"{MAX_VALUES:,}"),
        ("treaty.clause.notice=1d..100000d", None, "--vary", f"{MAX_VALUES:,}"),
        ("treaty.clause.notice=100d..80d", None, "--vary", "ends before it starts"),
        ("treaty.clause.notice=80d..3mo", None, "--vary", "write both ends in the same unit"),
        ("treaty.clause.renewal=1y..18mo", None, "--step", "cannot go from 1y to 18mo"),
        ("actions[0].at=2019-08-01..2019-09-30", "0d", "--step", "not a duration"),
        ("actions[0].at=2019-08-01..2019-09-30", "soon", "--step", "not a duration"),
        ("actions[0].at=2019-08-01,2019-08-02", "1d", "--step", "only to a range"),
    ],
)
def test_a_bad_vary_is_one_line_on_stderr_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    vary: str,
    step: str | None,
    field: str,
    words: str,
) -> None:
    # PRODUCT.md, "Errors": each problem is one line, no traceback, exit code 2.
    args = ["sweep", scenario_file(tmp_path), "--vary", vary]
    if step is not None:
        args += ["--step", step]
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert f": {field}: " in err
    assert words in err
    assert "Traceback" not in err


def test_parse_vary_raises_an_input_error_on_the_vary_field(tmp_path: Path) -> None:
    source = load_source(scenario_file(tmp_path))
    with pytest.raises(InputError) as raised:
        parse_vary("horizn=2030-01-01", None, source)
    assert raised.value.field == "--vary"
    assert "did you mean 'horizon'" in raised.value.message


def test_an_unset_optional_field_can_be_varied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md, "Scenario files": the horizon bounds the run. A horizon before the notice
    # takes effect leaves the treaty in force at the horizon.
    document = sweep_json(
        capsys, scenario_file(tmp_path), "--vary", "horizon=2019-11-23,2019-11-24"
    )
    assert outcomes(document) == {"2019-11-23": None, "2019-11-24": END_2019}


def test_the_treaty_itself_can_be_varied_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An unknown treaty is that value's problem; the built-in one runs as usual.
    document = sweep_json(capsys, scenario_file(tmp_path), "--vary", "treaty=gsomia,nosuch")
    rows = {row["value"]: row for row in document["rows"]}
    assert rows["gsomia"]["terminated_at"] == END_2019
    assert rows["nosuch"]["error"].startswith("treaty: unknown treaty 'nosuch'")
