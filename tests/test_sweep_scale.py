"""``treaty-sim sweep`` at scale (sim/commands/sweep.py): steps under a day, the product of
several ``--vary``, rows streamed as CSV or JSON Lines, ``--summary`` with the exact cliff,
several processes and a Dask LocalCluster giving the same rows.

The reference is GSOMIA's 2019 notice (docs/sources.md; PRODUCT.md, "Counting"): term 3 ends
2019-11-23T00:00+09:00 and a notice stops that renewal if received before 2019-11-23 - 90d =
2019-08-25T00:00+09:00; from then on it is late and stops the 2020 renewal (next_term).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from sim.cli import main

END_2019 = "2019-11-23T00:00:00+09:00"
END_2020 = "2020-11-23T00:00:00+09:00"
DEADLINE = "2019-08-25T00:00:00+09:00"

NOTICE = "scenarios/gsomia_no_suspension.yaml"

TWO_ACTIONS = """\
name: GSOMIA notice and its withdrawal
treaty: gsomia
horizon: 2022-01-01
actions:
  - {at: 2019-08-23, by: KR, do: notify}
  - {at: 2019-11-01, by: KR, do: withdraw_notice}
"""


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_minute_step_summary_names_the_cliff_to_the_second(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(
        capsys,
        "sweep",
        NOTICE,
        "--vary",
        "actions[0].at=2019-08-20..2019-08-30",
        "--step",
        "1min",
        "--summary",
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    # 10 days of minutes, both ends included
    assert "14,401 values, 2 range(s)" in lines[0]
    assert lines[1].startswith(
        "from actions[0].at=2019-08-20T00:00:00+09:00 to actions[0].at=2019-08-24T23:59:00+09:00"
    )
    assert f"terminated at {END_2019}" in lines[1]
    assert lines[2] == f"  cliff: from actions[0].at={DEADLINE}"
    assert f"terminated at {END_2020}" in lines[3]


def test_rows_stream_as_csv_and_json_lines_with_the_cliff_between_two_minutes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["sweep", NOTICE, "--vary", "actions[0].at=2019-08-24..2019-08-26", "--step", "1min"]
    code, out, _ = cli(capsys, *args, "--format", "csv")
    assert code == 0
    rows = {row["actions[0].at"]: row for row in csv.DictReader(io.StringIO(out))}
    assert len(rows) == 2 * 24 * 60 + 1
    assert rows["2019-08-24T23:59:00+09:00"]["terminated at"] == END_2019
    assert rows[DEADLINE]["terminated at"] == END_2020
    assert rows[DEADLINE]["KR bound until"] == END_2020
    code, out, _ = cli(capsys, *args, "--format", "jsonl")
    documents = [json.loads(line) for line in out.splitlines()]
    assert len(documents) == len(rows)
    late = next(d for d in documents if d["actions[0].at"] == DEADLINE)
    assert late["terminated_at"] == END_2020
    assert late["bound_until"] == {"KR": END_2020, "JP": END_2020}


def test_several_varies_sweep_their_product(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md, "Actions": a withdrawn notice is as if never given; a withdrawal after the
    # notice took effect (the treaty has ended) is rejected.
    path = tmp_path / "two.yaml"
    path.write_text(TWO_ACTIONS, encoding="utf-8")
    code, out, _ = cli(
        capsys,
        "sweep",
        str(path),
        "--vary",
        "actions[0].at=2019-08-24..2019-08-25",
        "--vary",
        "actions[1].at=2019-11-22,2019-11-24",
        "--format",
        "csv",
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    cells = [
        (r["actions[0].at"], r["actions[1].at"], r["terminated at"], r["rejections"]) for r in rows
    ]
    # a value of a list is labelled as written, as with one --vary
    assert cells == [
        ("2019-08-24", "2019-11-22", "still in force", "0"),
        ("2019-08-24", "2019-11-24", END_2019, "1"),
        ("2019-08-25", "2019-11-22", "still in force", "0"),
        ("2019-08-25", "2019-11-24", "still in force", "0"),
    ]
    # a table holds the rows of one --vary only
    code, out, err = cli(
        capsys,
        "sweep",
        str(path),
        "--vary",
        "actions[0].at=2019-08-24..2019-08-25",
        "--vary",
        "actions[1].at=2019-11-22,2019-11-24",
    )
    assert (code, out) == (2, "")
    assert ": --format: 4 values of 2 --vary in a table: choose --format csv" in err


def test_one_process_several_and_a_dask_local_cluster_give_the_same_rows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["sweep", NOTICE, "--vary", "actions[0].at=2019-08-01..2019-09-30", "--step", "1min"]
    outputs = []
    for extra in (["--jobs", "1"], ["--jobs", "2"], ["--dask", "local"]):
        code, out, _ = cli(capsys, *args, "--format", "csv", *extra)
        assert code == 0
        outputs.append(out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count("\n") == 60 * 24 * 60 + 2


# A field other than an action's instant, over more values than a table holds (10,000):
# streamed, one engine run per value. The notice of 2019-08-23 stops term 3's renewal
# (2019-11-23) if received before 2019-11-23 minus the notice period (PRODUCT.md,
# "Counting"): with 91 days the deadline is 2019-08-24, in time; with 92 days it is
# 2019-08-23T00:00, the notice's own instant, late: it stops the 2020 renewal
# (late_notice: next_term), as does every period under 2020-11-23 - 2019-08-23 = 458 days
# (92 days to 2019-11-23, then 366 with 29 February 2020).
@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_any_other_field_streams_past_the_table_limit(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    vary = "treaty.clause.notice=1d..10001d"
    code, out, err = cli(capsys, "sweep", NOTICE, "--vary", vary, "--format", fmt, "--jobs", "2")
    assert (code, err) == (0, "")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        ended = {row["treaty.clause.notice"]: row["terminated at"] for row in rows}
    else:
        documents = [json.loads(line) for line in out.splitlines()]
        rows = documents
        ended = {d["treaty.clause.notice"]: d["terminated_at"] for d in documents}
    assert len(rows) == 10_001
    assert ended["91d"] == END_2019 and ended["92d"] == END_2020
    assert ended["457d"] == END_2020 and ended["458d"] != END_2020


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        (["--vary", "actions[0].at=2019-09-30..2019-08-01", "--step", "1min"], "--vary", "ends"),
        (["--vary", "actions[0].at=2019-08-01..2019-08-02", "--step", "0min"], "--step", "zero"),
        (
            ["--vary", "actions[0].at=2019-08-01..2019-08-02", "--vary", "treaty.clause.notise=1d"],
            "--vary",
            "the 2nd --vary, 'treaty.clause.notise=1d': field 'treaty.clause.notise': unknown "
            "field 'notise' in treaty.clause; did you mean 'notice'?",
        ),
        (
            ["--vary", "actions[0].at=2019-08-01..2019-08-02", "--vary", "treaty.clause.notice=1d"],
            "--vary",
            "several --vary needs every --vary to name an action's instant",
        ),
        (
            [
                "--vary",
                "actions[0].at=2019-08-01..2019-08-02",
                "--vary",
                "actions[0].at=2019-08-03",
            ],
            "--vary",
            "the 2nd --vary, 'actions[0].at=2019-08-03': field 'actions[0].at': already varied",
        ),
        (["--vary", "actions[5].at=2019-08-01..2019-08-02", "--summary"], "--vary", "1 item"),
        (["--vary", "treaty.clause.notice=1d..10001d"], "--vary", "csv or jsonl (streamed"),
        (["--vary", "treaty.in_force=2000-01-01..2030-01-01", "--format", "json"], "--vary", "csv"),
        (
            ["--vary", "actions[0].at=2019-08-01..2019-08-02", "--step", "5s"],
            "--vary",
            "more than 10,000 values in a table",
        ),
        (["--vary", "actions[0].at=2019-08-01..2019-08-02", "--format", "parquet"], "-o", "FILE"),
        (
            ["--vary", "actions[0].at=2019-08-01..2019-08-02", "--summary", "--format", "jsonl"],
            "--format",
            "--summary writes table, markdown, csv or json, not jsonl",
        ),
        (["--vary", "actions[0].at=2019-08-01..2019-08-02", "-o", NOTICE], "-o", "the scenario"),
    ],
)
def test_a_bad_scaled_sweep_is_one_located_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], field: str, words: str
) -> None:
    # PRODUCT.md, "Errors": one line, no traceback, exit 2.
    code, out, err = cli(capsys, "sweep", NOTICE, *args)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert f": {field}: " in err and words in err
