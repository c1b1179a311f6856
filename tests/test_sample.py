"""``treaty-sim sample`` (sim/commands/sample.py): Monte Carlo what-ifs over uncertain action
instants and uncertain actions; a seed reproduces the result exactly, whatever the number of
processes.

Expected dates: GSOMIA's term 3 ends 2019-11-23T00:00+09:00 and a notice stops that renewal
if received before its deadline 2019-08-25T00:00+09:00, later ones stop the 2020 renewal
(docs/sources.md; PRODUCT.md, "Counting", late_notice: next_term).
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
HISTORY = "scenarios/gsomia_history.yaml"
NOTICE = "scenarios/gsomia_no_suspension.yaml"


def sample(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    code = main(["sample", *args, "--format", "json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    document: dict = json.loads(out)  # type: ignore[type-arg]
    return document


def test_every_notice_in_time_ends_the_treaty_in_2019(capsys: pytest.CaptureFixture[str]) -> None:
    # Every notice instant drawn is before the deadline: the treaty ends at term 3's end.
    document = sample(
        capsys, NOTICE, "--vary", "actions[0].at~uniform(2019-08-01,2019-08-25)", "-n", "5000"
    )
    for result in document["interpretations"].values():
        assert result["terminated_share"] == 1.0
        assert result["terminated_at"] == [END_2019] * 5
        assert result["bound_until"]["KR"] == [END_2019] * 5


def test_notices_either_side_of_the_deadline_split_the_outcomes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Uniform over 2019-08-15..2019-09-04: half the draws before the 25 August deadline (in
    # time: 2019), half after (late: 2020); the interval contains the true share 0.5.
    document = sample(
        capsys,
        NOTICE,
        "--vary",
        "actions[0].at~uniform(2019-08-15,2019-09-04)",
        "-n",
        "200000",
        "--seed",
        "3",
    )
    result = document["interpretations"]["remaining"]
    assert result["terminated_share"] == 1.0
    assert result["terminated_at"][0] == END_2019 and result["terminated_at"][-1] == END_2020
    assert result["terminated_at"][1] == END_2019 and result["terminated_at"][3] == END_2020


def test_an_uncertain_suspension_leaves_the_treaty_in_force_as_often_as_it_happens(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # gsomia_history: the notice is suspended before expiry (in force; facts/treaties.md);
    # without the suspension it ends the treaty on 2019-11-23. With P = 0 and P = 1 the
    # share is exact, and its interval excludes the other value.
    vary = ["--vary", "actions[0].at~uniform(2019-08-01,2019-08-20)"]
    never = sample(capsys, HISTORY, *vary, "--vary", "actions[1].happens~bernoulli(0)")
    always = sample(capsys, HISTORY, *vary, "--vary", "actions[1].happens~bernoulli(1)")
    assert never["interpretations"]["remaining"]["terminated_share"] == 1.0
    assert always["interpretations"]["remaining"]["terminated_share"] == 0.0
    assert always["interpretations"]["remaining"]["terminated_share_95"][1] < 0.01


def test_a_seed_reproduces_the_result_exactly_on_one_or_several_processes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = [
        HISTORY,
        "--vary",
        "actions[0].at~uniform(2019-08-01,2019-09-30)",
        "--vary",
        "actions[1].happens~bernoulli(0.6)",
        "-n",
        "300000",
        "--seed",
        "7",
    ]
    first = sample(capsys, *args, "--jobs", "1")
    second = sample(capsys, *args, "--jobs", "2")
    assert first == second
    share = first["interpretations"]["remaining"]["terminated_share"]
    low, high = first["interpretations"]["remaining"]["terminated_share_95"]
    assert low < share < high
    other = sample(capsys, *args[:-1], "8")
    assert other["interpretations"]["remaining"]["terminated_share"] != share


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        (["--vary", "actions[0].att~uniform(2019-08-01,2019-09-30)"], "--vary", "write"),
        (["--vary", "actions[0].at~uniform(2019-09-30,2019-08-01)"], "--vary", "ends before"),
        (["--vary", "actions[0].at~normal(2019-08-01,2019-09-30)"], "--vary", "uniform(A,B)"),
        (["--vary", "actions[0].happens~bernoulli(1.5)"], "--vary", "probability"),
        (["--vary", "actions[4].happens~bernoulli(0.5)"], "--vary", "1 item"),
        (["--vary", "actions[0].happens~bernoulli(0.5)", "-n", "0"], "-n", "at least once"),
    ],
)
def test_a_bad_draw_is_one_located_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], field: str, words: str
) -> None:
    # PRODUCT.md, "Errors": one line, no traceback, exit 2.
    code = main(["sample", NOTICE, *args])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert f": {field}: " in err and words in err


def test_a_dask_local_cluster_gives_the_result_of_the_local_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # docs/fast-path.md, "Beyond one machine": each chunk is drawn from a generator seeded by
    # (seed, chunk number), so the same seed gives the same document on a real Dask
    # LocalCluster (two worker processes) as on one process; several chunks go to it.
    args = [
        HISTORY,
        "--vary",
        "actions[0].at~uniform(2019-08-01,2019-09-30)",
        "--vary",
        "actions[1].happens~bernoulli(0.6)",
        "-n",
        "300000",
        "--seed",
        "7",
    ]
    local = sample(capsys, *args, "--jobs", "1")
    cluster = sample(capsys, *args, "--dask", "local")
    assert cluster == local
    assert cluster["interpretations"]["remaining"]["engine_runs"] == 0


def test_few_outcomes_are_shown_as_the_share_of_each_with_its_wilson_interval(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Notices drawn uniformly in [1 August, 30 September 2019) local: those before the
    # deadline 2019-08-25T00:00+09:00 (24 of the 60 days, a share of 0.4) end GSOMIA at term
    # 3's end, the others a year later (PRODUCT.md, "Counting", late_notice: next_term).
    n = 20_000
    document = sample(
        capsys, NOTICE, "--vary", "actions[0].at~uniform(2019-08-01,2019-09-30)", "-n", str(n)
    )
    result = document["interpretations"]["remaining"]
    ended = result["outcomes"]["terminated_at"]
    assert [each["value"] for each in ended] == [END_2019, END_2020]
    assert sum(each["draws"] for each in ended) == n
    early, late = ended
    assert early["share"] == early["draws"] / n
    assert early["share_95"][0] < 0.4 < early["share_95"][1]
    assert late["share_95"][0] < 0.6 < late["share_95"][1]
    # With two parties, a notice that ends the treaty ends it for both (PRODUCT.md).
    assert result["outcomes"]["bound_until"]["KR"] == ended
    # the quantiles stay beside them in JSON
    assert result["terminated_at"][0] == END_2019 and result["terminated_at"][-1] == END_2020

    assert main(["sample", NOTICE, "--vary", "actions[0].at~uniform(2019-08-01,2019-09-30)"]) == 0
    out, _ = capsys.readouterr()
    assert "95% interval" in out and "q50" not in out
    row = next(line for line in out.splitlines() if line.startswith("terminated at"))
    assert END_2019 in row and " to " in row


def test_many_outcomes_are_shown_by_their_quantiles(capsys: pytest.CaptureFixture[str]) -> None:
    # INF art. XV: withdrawal six months after notice (facts/treaties.md). Notices drawn to
    # the second over February 2019 take effect at as many instants, far more than 20: the
    # distribution is shown by quantiles, from 2019-08-01 (2019-02-01 + 6mo) to 2019-09-01
    # (2019-03-01 + 6mo; PRODUCT.md, "Time": calendar months on the wall clock).
    args = ["scenarios/inf_us_withdrawal_2019.yaml", "--vary"]
    args += ["actions[0].at~uniform(2019-02-01,2019-03-01)", "-n", "2000"]
    document = sample(capsys, *args)
    result = document["interpretations"]["remaining"]
    assert result["outcomes"]["terminated_at"] is None
    assert all("2019-08-01" <= q < "2019-09-01" for q in result["terminated_at"])
    assert main(["sample", *args]) == 0
    out, _ = capsys.readouterr()
    assert "q50" in out and "95% interval" not in out


def test_the_wilson_interval_is_newcombes() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, table II: 81 of 263 gives a Wilson
    # score interval of 0.2553 to 0.3662; 0 of 10 gives 0 to 0.2775.
    from sim.commands.sample import _wilson

    low, high = _wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    low, high = _wilson(0, 10)
    assert (round(low, 4), round(high, 4)) == (0.0, 0.2775)


def test_the_distribution_is_written_as_csv_and_parquet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # As above: notices either side of the 25 August 2019 deadline end GSOMIA in 2019 or
    # 2020 (PRODUCT.md, "Counting").
    args = ["sample", NOTICE, "--vary", "actions[0].at~uniform(2019-08-01,2019-09-30)"]
    args += ["-n", "5000", "--seed", "3"]
    assert main([*args, "--format", "csv"]) == 0
    out, _ = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    ended = [
        r for r in rows if (r["interpretation"], r["outcome"]) == ("remaining", "terminated_at")
    ]
    assert [r["value"] for r in ended] == [END_2019, END_2020]
    assert sum(int(r["draws"]) for r in ended) == 5000

    target = tmp_path / "sample.parquet"
    assert main([*args, "--format", "parquet", "-o", str(target)]) == 0
    assert capsys.readouterr() == ("", "")
    import pyarrow.parquet as pq

    table = pq.read_table(target)
    assert str(table.schema.field("value").type) in (
        "timestamp[s, tz=Asia/Seoul]",
        "timestamp[ms, tz=Asia/Seoul]",
    )
    assert table.schema.field("draws").type == "int64"
    read = [r for r in table.to_pylist() if r["outcome"] == "terminated_at"][:2]
    assert [r["value"].isoformat() for r in read] == [END_2019, END_2020]
    assert [r["draws"] for r in read] == [int(r["draws"]) for r in ended]


def test_parquet_needs_a_file_and_never_replaces_the_scenario(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    scenario = tmp_path / "notice.yaml"
    text = Path(NOTICE).read_text(encoding="utf-8")
    scenario.write_text(text, encoding="utf-8")
    args = ["sample", str(scenario), "--vary", "actions[0].happens~bernoulli(0.5)"]
    for extra, words in (
        (["--format", "parquet"], ": -o: --format parquet writes to a file"),
        (["-o", str(scenario)], "is the scenario this command reads"),
    ):
        assert main([*args, *extra]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and words in err
    assert scenario.read_text(encoding="utf-8") == text
