"""``treaty-sim sweep`` writing files: ``--format parquet`` (typed columns, one row group per
chunk) read back by pyarrow and DuckDB, ``--summary`` as JSON and CSV, and ``-o FILE`` that
never replaces the scenario and leaves an old file whole when a run fails.

The reference is GSOMIA's 2019 notice (PRODUCT.md, "Counting"): term 3 ends
2019-11-23T00:00+09:00, a notice stops that renewal if received before 2019-11-23 - 90d =
2019-08-25T00:00+09:00, and a later one stops the 2020 renewal (late_notice: next_term).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow.parquet as pq
import pytest

from sim.cli import main

END_2019 = "2019-11-23T00:00:00+09:00"
END_2020 = "2020-11-23T00:00:00+09:00"
DEADLINE = "2019-08-25T00:00:00+09:00"
NOTICE = "scenarios/gsomia_no_suspension.yaml"
SEOUL = ZoneInfo("Asia/Seoul")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_parquet_rows_are_typed_streamed_by_row_group_and_read_by_pyarrow_and_duckdb(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "sweep.parquet"
    # 100 days of minutes, both ends included: more than one chunk of 131,072 rows.
    vary = "actions[0].at=2019-08-01..2019-11-09"
    args = ["sweep", NOTICE, "--vary", vary, "--step", "1min", "--format", "parquet"]
    code, out, err = cli(capsys, *args, "-o", str(target))
    assert (code, out, err) == (0, "", "")
    total = 100 * 24 * 60 + 1
    meta = pq.ParquetFile(target)
    assert meta.metadata.num_rows == total
    assert meta.num_row_groups == 2
    table = pq.read_table(target)
    for name in ("actions[0].at", "terminated_at", "bound_until.KR", "bound_until.JP"):
        kind = table.schema.field(name).type
        assert (kind.tz, str(kind.unit)) == ("Asia/Seoul", "ms"), name  # Parquet: ms at least
    assert str(table.schema.field("rejections").type) == "int64"
    rows = {r["actions[0].at"]: r for r in table.slice(24 * 24 * 60 - 1, 2).to_pylist()}
    last_in_time = datetime(2019, 8, 24, 23, 59, tzinfo=SEOUL)
    assert rows[last_in_time]["terminated_at"].isoformat() == END_2019
    assert rows[datetime.fromisoformat(DEADLINE)]["terminated_at"].isoformat() == END_2020

    # DuckDB reads the same file as typed timestamps: the cliff is at the deadline.
    found = duckdb.sql(
        f"""select min("actions[0].at"), count(*) from '{target}'
            where terminated_at = TIMESTAMPTZ '{END_2020}'"""
    ).fetchall()
    ((first_late, late),) = found
    assert first_late == datetime.fromisoformat(DEADLINE)
    assert late == total - 24 * 24 * 60
    kinds = dict(
        duckdb.sql(f"describe select * from '{target}'").fetchall()[i][:2] for i in range(6)
    )
    assert kinds["terminated_at"] == "TIMESTAMP WITH TIME ZONE"


def test_parquet_of_another_field_types_its_values_and_nulls(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # PRODUCT.md, "Scenario files": the horizon bounds the run: a horizon before the notice
    # takes effect (2019-11-23) leaves the treaty in force at the horizon (null).
    target = tmp_path / "horizon.parquet"
    code, out, err = cli(
        capsys,
        "sweep",
        NOTICE,
        "--vary",
        "horizon=2019-11-22..2019-11-24",
        "--format",
        "parquet",
        "-o",
        str(target),
        "--jobs",
        "1",
    )
    assert (code, out, err) == (0, "", "")
    rows = pq.read_table(target).to_pylist()
    assert [str(r["horizon"]) for r in rows] == ["2019-11-22", "2019-11-23", "2019-11-24"]
    assert [r["terminated_at"] and r["terminated_at"].isoformat() for r in rows] == [
        None,
        None,
        END_2019,
    ]
    kinds = duckdb.sql(f"select typeof(horizon) from '{target}' limit 1").fetchall()
    assert kinds == [("DATE",)]


def test_the_summary_is_a_json_document_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["sweep", NOTICE, "--vary", "actions[0].at=2019-08-20..2019-08-30", "--step", "1min"]
    code, out, err = cli(capsys, *args, "--summary", "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert (document["values"], document["engine_runs"]) == (10 * 24 * 60 + 1, 0)
    assert document["fields"] == ["actions[0].at"]
    early, late = document["ranges"]
    assert early["from"] == {"actions[0].at": "2019-08-20T00:00:00+09:00"}
    assert early["to"] == {"actions[0].at": "2019-08-24T23:59:00+09:00"}
    assert (early["terminated_at"], early["cliff"]) == (END_2019, None)
    assert early["bound_until"] == {"KR": END_2019, "JP": END_2019}
    assert (late["cliff"], late["terminated_at"], late["rejections"]) == (DEADLINE, END_2020, 0)
    assert early["values"] + late["values"] == document["values"]

    code, out, err = cli(capsys, *args, "--summary", "--format", "csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["cliff (actions[0].at)"] for r in rows] == ["", DEADLINE]
    assert [r["terminated at"] for r in rows] == [END_2019, END_2020]
    assert [r["from actions[0].at"] for r in rows] == ["2019-08-20T00:00:00+09:00", DEADLINE]


def test_output_never_replaces_the_scenario_and_an_old_file_survives_a_failed_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = tmp_path / "notice.yaml"
    text = Path(NOTICE).read_text(encoding="utf-8")
    scenario.write_text(text, encoding="utf-8")
    vary = ["--vary", "actions[0].at=2019-08-24..2019-08-25"]
    code, out, err = cli(
        capsys, "sweep", str(scenario), *vary, "--format", "csv", "-o", str(scenario)
    )
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and ": -o: " in err and "the scenario this command reads" in err
    assert scenario.read_text(encoding="utf-8") == text

    target = tmp_path / "rows.csv"
    code, out, err = cli(
        capsys, "sweep", str(scenario), *vary, "--format", "csv", "-o", str(target)
    )
    assert (code, out, err) == (0, "", "")
    written = target.read_text(encoding="utf-8")
    assert f"2019-08-25,{END_2020}" in written

    # a data file carries no marker of treaty-sim's: an existing one is replaced only with
    # --force (sim/io/output.py, the one writer of every -o; issue 18, item 7)
    code, out, err = cli(
        capsys, "sweep", str(scenario), *vary, "--format", "csv", "-o", str(target)
    )
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "--force replaces it" in err
    assert target.read_text(encoding="utf-8") == written

    from sim.commands.sweep import run

    def broken(job: object) -> object:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(run, "_text_job", broken)
    with pytest.raises(RuntimeError):
        main(["sweep", str(scenario), *vary, "--format", "csv", "-o", str(target), "--force"])
    assert target.read_text(encoding="utf-8") == written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice.yaml", "rows.csv"]
