"""``treaty-sim explain``: the chain behind a term or an event, run the way a user runs it.

The property that matters most: the chain and the run never disagree. For every scenario in
scenarios/, under each interpretation, every term and every event is explained, and the
chain's result (computed by the shared arithmetic of sim/core/rules.py and sim/core/dates.py)
equals what ``run --format json`` prints for the same term or event.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main
from sim.core.explain import explain_event, explain_term
from sim.core.model import Interpretation
from sim.source import load_source, simulate

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def explain_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code, out, err = cli(["explain", *args, "--format", "json"], capsys)
    assert code == 0, err
    document: dict[str, object] = json.loads(out)
    return document


def run_json(scenario: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code, out, _ = cli(["run", scenario, "--format", "json"], capsys)
    assert code == 0
    document: dict[str, object] = json.loads(out)
    return document


def computations(document: dict[str, object]) -> str:
    steps = document["steps"]
    assert isinstance(steps, list)
    return "\n".join(step["computation"] for step in steps)


def sources(document: dict[str, object]) -> str:
    steps = document["steps"]
    assert isinstance(steps, list)
    return "\n".join(step["source"] for step in steps)


# --- the cases of the issue, each against its source and against run -------------------------


def test_gsomia_term_3_end_and_notice_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    # docs/sources.md, "GSOMIA": in force 23 November 2016, one-year terms, 90 days' notice;
    # term 3 ends at midnight November 23, 2019, Korea time (seeds/001, Arirang), and the
    # last day to notify is 24 August (deadline 00:00 on 25 August).
    scenario = str(SCENARIOS / "gsomia_terms_2019.yaml")
    document = explain_json([scenario, "--term", "3"], capsys)
    assert document["result"] == {
        "end": "2019-11-23T00:00:00+09:00",
        "notice_deadline": "2019-08-25T00:00:00+09:00",
    }
    shown = computations(document)
    assert "2016-11-23 + 3 \u00d7 1y = 2019-11-23" in shown
    assert "00:00 on 2019-11-23 in Asia/Seoul (UTC+09:00) = 2019-11-22T15:00Z" in shown
    assert "2019-11-23T00:00:00+09:00 - 90d = 2019-08-25T00:00:00+09:00" in shown
    assert "falls on 2019-08-24" in shown
    assert '"Time"' in sources(document) and '"Counting"' in sources(document)
    assert "Art. 21(3)" in str(document["article"])
    term = next(t for t in run_json(scenario, capsys)["terms"] if t["number"] == 3)  # type: ignore[attr-defined]
    assert document["run"] == {"end": term["end"], "notice_deadline": term["notice_deadline"]}
    assert document["agrees"] is True


def test_inf_us_notice_takes_effect_six_months_on(capsys: pytest.CaptureFixture[str]) -> None:
    # docs/sources.md, "INF Treaty": US notice 2 February 2019, effect 2 August 2019 (exact
    # counting: 00:00 EST + 6 calendar months = 00:00 EDT).
    scenario = str(SCENARIOS / "inf_us_withdrawal_2019.yaml")
    document = explain_json([scenario, "--event", "2"], capsys)
    assert document["result"] == {
        "at": "2019-02-02T00:00:00-05:00",
        "effective": "2019-08-02T00:00:00-04:00",
    }
    shown = computations(document)
    assert "2019-02-02T00:00:00-05:00 + 6mo = 2019-08-02T00:00:00-04:00" in shown
    assert "America/New_York (UTC-04:00) = 2019-08-02T04:00Z" in shown
    event = run_json(scenario, capsys)["events"][1]  # type: ignore[index]
    assert document["run"] == {"at": event["at"], "effective": event["effective"]}


def test_icsid_bolivia_whole_days(capsys: pytest.CaptureFixture[str]) -> None:
    # scenarios/icsid_denunciations.yaml: received 2 May 2007, "took effect ... on
    # 3 November 2007" (Schreuer et al., art. 71): the day of receipt is not counted.
    scenario = str(SCENARIOS / "icsid_denunciations.yaml")
    document = explain_json([scenario, "--event", "2"], capsys)
    assert document["result"] == {
        "at": "2007-05-02T00:00:00-04:00",
        "effective": "2007-11-03T00:00:00-04:00",
    }
    assert "2007-05-02 + 6mo = 2007-11-02" in computations(document)
    assert "EU Regulation 1182/71, art. 3" in sources(document)
    # the effect itself, event 6 (withdrawal_effective by BO), explained through the notice
    run = run_json(scenario, capsys)
    index = next(
        i
        for i, e in enumerate(run["events"], start=1)  # type: ignore[arg-type]
        if e["kind"] == "withdrawal_effective" and e["by"] == "BO"
    )
    effect = explain_json([scenario, "--event", str(index)], capsys)
    assert effect["result"] == {"at": "2007-11-03T00:00:00-04:00", "effective": None}
    assert effect["agrees"] is True


def test_istanbul_turkey_effect_on_first_of_next_month(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Istanbul Convention art. 80(2): receipt 22 March 2021 + 3 months = 22 June 2021; "the
    # first day of the month following": 1 July 2021 (scenarios/istanbul_turkey_2021.yaml).
    scenario = str(SCENARIOS / "istanbul_turkey_2021.yaml")
    document = explain_json([scenario, "--event", "2"], capsys)
    assert document["result"] == {
        "at": "2021-03-22T00:00:00+01:00",
        "effective": "2021-07-01T00:00:00+02:00",
    }
    shown = computations(document)
    assert "+ 3mo = 2021-06-22T00:00:00+02:00" in shown
    assert "first day of the month after June 2021" in shown
    assert "Effects on a calendar boundary" in sources(document)


def test_npt_north_korea_resumed_under_remaining(capsys: pytest.CaptureFixture[str]) -> None:
    # docs/sources.md, "NPT": notice 12 March 1993, suspended 11 June 1993 "one day before it
    # would have taken effect"; resumed 10 January 2003, effect 11 January 2003 (remaining).
    scenario = str(SCENARIOS / "npt_north_korea_remaining.yaml")
    document = explain_json([scenario, "--event", "4"], capsys)
    assert document["result"] == {
        "at": "2003-01-10T00:00:00+00:00",
        "effective": "2003-01-11T00:00:00+00:00",
    }
    shown = computations(document)
    assert "1993-06-12T00:00:00+00:00 - 1993-06-11T00:00:00+00:00 = 1 day" in shown
    assert "Interpretations of a resumed notice" in sources(document)
    # under immediate the same resumption takes effect at once (the contract)
    immediate = explain_json([scenario, "--event", "4", "--interpretation", "immediate"], capsys)
    assert immediate["result"] == {
        "at": "2003-01-10T00:00:00+00:00",
        "effective": "2003-01-10T00:00:00+00:00",
    }


def test_the_table_shows_the_clause_steps_and_result(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(
        ["explain", str(SCENARIOS / "gsomia_terms_2019.yaml"), "--term", "3"], capsys
    )
    assert code == 0
    assert out.splitlines()[2].startswith('clause: Art. 21(3): "This Agreement shall remain')
    assert "2. end of term 3: in_force + term + (n-1)\u00b7renewal" in out
    assert "result: end 2019-11-23T00:00:00+09:00; notice_deadline 2019-08-25" in out
    assert out.rstrip().endswith("run: agrees")


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_csv_and_markdown_give_one_row_per_step(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = str(SCENARIOS / "inf_us_withdrawal_2019.yaml")
    code, out, _ = cli(["explain", scenario, "--event", "2", "--format", fmt], capsys)
    assert code == 0
    assert "2019-02-02T00:00:00-05:00 + 6mo = 2019-08-02T00:00:00-04:00" in out
    assert "effective 2019-08-02T00:00:00-04:00" in out.splitlines()[-1]


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--term", "4"], "argument --term: no term 4: the run has 3 terms (1 to 3)"),
        (["--event", "99"], "argument --event: no event 99: the run has 5 events (1 to 5)"),
        (["--term", "0"], "argument --term: '0' is not a number from 1"),
        (["--event", "x"], "argument --event: 'x' is not a number from 1"),
        ([], "one of the arguments --term --event is required"),
        (["--term", "1", "--event", "1"], "not allowed with argument"),
    ],
)
def test_out_of_range_or_missing_is_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = str(SCENARIOS / "gsomia_terms_2019.yaml")
    try:
        code, out, err = cli(["explain", scenario, *args], capsys)
    except SystemExit as leave:
        code = int(str(leave.code))
        captured = capsys.readouterr()
        out, err = captured.out, captured.err
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1 and message in err


def test_a_bad_scenario_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ntreaty: gsomia\nhorizn: 2020-01-01\n", encoding="utf-8")
    code, _, err = cli(["explain", str(path), "--term", "1"], capsys)
    assert code == 2
    assert err.startswith(f"{path}:3:9: horizn: unknown field")


# --- the chain and the run never disagree --------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_term_and_event_of_every_scenario_agrees_with_the_run(path: Path) -> None:
    source = load_source(str(path))
    for interpretation in Interpretation:
        timeline = simulate(source, interpretation)
        for number in range(1, len(timeline.terms) + 1):
            explanation = explain_term(source.treaty, timeline, number)
            assert explanation.agrees, (interpretation, number, explanation)
            assert explanation.steps
        for number in range(1, len(timeline.events) + 1):
            explanation = explain_event(source.treaty, timeline, number)
            assert explanation.agrees, (interpretation, number, explanation)
            assert explanation.steps
