"""``treaty-sim sample`` (sim/commands/sample.py): Monte Carlo what-ifs over uncertain action
instants and uncertain actions; a seed reproduces the result exactly, whatever the number of
processes.

Expected dates: GSOMIA's term 3 ends 2019-11-23T00:00+09:00 and a notice stops that renewal
if received before its deadline 2019-08-25T00:00+09:00, later ones stop the 2020 renewal
(docs/sources.md; PRODUCT.md, "Counting", late_notice: next_term).
"""

from __future__ import annotations

import json

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
