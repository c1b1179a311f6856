"""The Python API (sim.api, PRODUCT.md 0.3 "A Python API"; docs/python.md): a scenario loaded
from a path, a text or a dict runs alike; every result's ``to_dict()`` is the command line's
JSON for the same input; a Timeline shows its picture in Jupyter; ``import sim`` stays cheap."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from cli_helpers import cli

import sim
from sim import api
from sim.errors import InputErrors

ROOT = Path(__file__).resolve().parent.parent
NO_SUSPENSION = ROOT / "scenarios" / "gsomia_no_suspension.yaml"
HISTORY = ROOT / "scenarios" / "gsomia_history.yaml"


def gsomia_notice(day: str) -> str:
    return f"name: what-if\ntreaty: gsomia\nactions:\n  - {{at: {day}, by: KR, do: notify}}\n"


def cli_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> object:
    code, out, err = cli([*args, "--format", "json"], capsys)
    assert code in (0, 1), err
    return json.loads(out)


def test_a_scenario_runs_alike_from_a_path_a_text_and_a_dict() -> None:
    text = NO_SUSPENSION.read_text(encoding="utf-8")
    from_path = api.run(NO_SUSPENSION).to_dict()
    assert api.run(api.loads(text)).to_dict() == from_path
    assert api.run(yaml.safe_load(text)).to_dict() == from_path
    # facts/treaties.md: "Expiry would have been at midnight between 22 and 23 November
    # 2019, KST" (the scenario's own expect:).
    assert from_path["terminated_at"] == "2019-11-23T00:00:00+09:00"


@pytest.mark.parametrize(
    ("day", "ends"),
    [
        # PRODUCT.md, "Counting": a notice on 2019-08-24 stops the renewal at
        # 2019-11-23T00:00+09:00; one on 2019-08-25 is late ...
        ("2019-08-24", "2019-11-23T00:00:00+09:00"),
        # ... and under late_notice: next_term stops the next one (docs/decisions.md, 1).
        ("2019-08-25", "2020-11-23T00:00:00+09:00"),
    ],
)
def test_gsomia_notice_either_side_of_the_2019_deadline(day: str, ends: str) -> None:
    assert api.run(api.loads(gsomia_notice(day))).terminated_at.isoformat() == ends  # type: ignore[union-attr]


def test_run_to_dict_is_the_clis_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert api.run(HISTORY).to_dict() == cli_json(["run", str(HISTORY)], capsys)


def test_run_all_to_dict_is_the_clis_json(capsys: pytest.CaptureFixture[str]) -> None:
    expected = cli_json(["run", str(HISTORY), "--interpretation", "all"], capsys)
    assert api.run_all(HISTORY).to_dict() == expected


def test_deadlines_to_dict_is_the_clis_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["deadlines", "gsomia", "--from", "2016", "--to", "2021", "--as-of", "2019-08-22"]
    table = api.deadlines("gsomia", date(2019, 8, 22), 2016, 2021)
    assert table.to_dict() == cli_json(args, capsys)
    # README: the notice deadline of the 2019 term is 2019-08-25T00:00:00+09:00, so the last
    # day to notify is 24 August 2019 (PRODUCT.md, "Counting").
    row = next(t for t in table.to_dict()["terms"] if t["last_day"] == "2019-11-22")
    assert row["last_day_to_notify"] == "2019-08-24"


def test_deadlines_of_a_withdrawal_clause_match_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["deadlines", "inf", "--as-of", "2019-02-01"]
    assert api.deadlines("inf", date(2019, 2, 1)).to_dict() == cli_json(args, capsys)


def test_check_to_dict_is_the_clis_json(capsys: pytest.CaptureFixture[str]) -> None:
    folder = ROOT / "scenarios"
    report = api.check(folder)
    assert report.to_dict() == cli_json(["check", str(folder)], capsys)
    assert report.ok
    assert len(report.results) == len(list(folder.glob("*.yaml")))


def test_check_names_a_failing_expectation(tmp_path: Path) -> None:
    wrong = NO_SUSPENSION.read_text(encoding="utf-8").replace(
        "terminated_at: 2019-11-23", "terminated_at: 2020-11-23"
    )
    path = tmp_path / "wrong.yaml"
    path.write_text(wrong, encoding="utf-8")
    result = api.check(path).results[0]
    assert result.verdict == "FAIL"
    assert any("terminated_at" in line for line in result.differences)


def test_claims_to_dict_is_the_clis_json(capsys: pytest.CaptureFixture[str]) -> None:
    seeds = str(ROOT / "seeds")
    report = api.claims(seeds)
    assert report.to_dict() == cli_json(["claims", "--seeds", seeds], capsys)
    assert report.ok


def test_sweep_to_dict_is_the_clis_json(capsys: pytest.CaptureFixture[str]) -> None:
    vary = "actions[0].at=2019-08-22..2019-08-26"
    expected = cli_json(["sweep", str(NO_SUSPENSION), "--vary", vary], capsys)
    result = api.sweep(NO_SUSPENSION, vary)
    assert result.to_dict() == expected
    ends = {row["value"]: row["terminated_at"] for row in result.to_dict()["rows"]}
    # PRODUCT.md, "Counting": 24 August is in time, 25 August late.
    assert ends["2019-08-24"] == "2019-11-23T00:00:00+09:00"
    assert ends["2019-08-25"] == "2020-11-23T00:00:00+09:00"


def test_sweep_stream_writes_the_clis_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    import io

    vary = "actions[0].at=2019-08-22..2019-08-26"
    code, out, _ = cli(
        ["sweep", str(NO_SUSPENSION), "--vary", vary, "--format", "jsonl", "--jobs", "1"], capsys
    )
    assert code == 0
    buffer = io.StringIO()
    api.sweep_stream(NO_SUSPENSION, vary, buffer, workers=1)
    assert buffer.getvalue() == out
    assert len(out.splitlines()) == 5


def test_sample_is_the_clis_json(capsys: pytest.CaptureFixture[str]) -> None:
    vary = "actions[0].at~uniform(2019-08-01,2019-09-30)"
    args = ["sample", str(NO_SUSPENSION), "--vary", vary, "-n", "200", "--seed", "7", "--jobs", "1"]
    assert api.sample(NO_SUSPENSION, vary, n=200, seed=7, workers=1) == cli_json(args, capsys)


def test_a_bad_text_gives_the_clis_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "name: x\ntreaty: gsomia\nactions:\n  - {at: 2019-02-30, by: KR, do: nottify}\n"
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = cli(["run", str(path)], capsys)
    assert code == 2
    with pytest.raises(InputErrors) as raised:
        api.loads(text, file=str(path))
    assert [str(error) for error in raised.value.errors] == err.strip().splitlines()


def test_a_bad_dict_names_the_field() -> None:
    with pytest.raises(InputErrors) as raised:
        api.load_dict({"name": "x", "treaty": "gsomia", "horizn": "2020-01-01"})
    (error,) = raised.value.errors
    assert error.field == "horizn"
    assert "did you mean 'horizon'" in error.message


def test_a_timeline_shows_its_picture_in_jupyter() -> None:
    html = api.run(HISTORY)._repr_html_()
    assert "<svg" in html
    assert '<g class="timeline"' in html
    assert "<table" in html
    # The page's own document structure is not repeated inside a notebook cell.
    assert "<html" not in html and "<body" not in html


def test_report_and_calendar_as_strings_and_files(tmp_path: Path) -> None:
    html = api.report(HISTORY, path=tmp_path / "r.html")
    assert html.startswith("<!DOCTYPE html>")
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == html
    assert api.report(HISTORY, format="svg").lstrip().startswith(("<svg", "<?xml"))
    ics = api.calendar("gsomia", 2019, 2019, path=tmp_path / "g.ics")
    assert ics.startswith(b"BEGIN:VCALENDAR")
    assert (tmp_path / "g.ics").read_bytes() == ics
    # The last day to notify for the 2019 term (README; PRODUCT.md, "Counting").
    assert b"20190824" in ics


def test_to_pandas_needs_pandas_or_says_so() -> None:
    timeline = api.run(NO_SUSPENSION)
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install pandas"):
            timeline.to_pandas()
    else:
        frame = timeline.to_pandas("terms")
        assert list(frame["outcome"])[-1] == timeline.to_dict()["terms"][-1]["outcome"]


def test_the_package_exposes_the_api_lazily() -> None:
    assert sim.run is api.run
    assert "run" in dir(sim)
    with pytest.raises(AttributeError):
        _ = sim.no_such_function  # type: ignore[attr-defined]
    probe = "import sys, sim; print('pydantic' in sys.modules, 'simpy' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == ["False", "False"]
