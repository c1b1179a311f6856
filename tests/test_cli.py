"""The command line, run the way a user runs it: through its entry point, output and exit
code (PRODUCT.md, "Commands")."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import cli, write

ROOT = Path(__file__).resolve().parent.parent
HISTORY = str(ROOT / "scenarios" / "gsomia_history.yaml")


def test_python_dash_m_is_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sim", "treaties", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "gsomia" in [t["name"] for t in json.loads(done.stdout)["treaties"]]


def test_run_json_has_the_shape_of_product_md(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["run", HISTORY, "--format", "json"], capsys)
    assert code == 0
    document = json.loads(out)
    assert list(document) == [
        "scenario",
        "treaty",
        "timezone",
        "interpretation",
        "horizon",
        "terminated_at",
        "parties",
        "terms",
        "events",
    ]
    # PRODUCT.md's JSON example: the scenario's horizon 2024-01-01 in Asia/Seoul.
    assert document["horizon"] == "2024-01-01T00:00:00+09:00"
    assert document["terminated_at"] is None
    assert document["parties"] == [
        {"party": "KR", "bound_until": None},
        {"party": "JP", "bound_until": None},
    ]
    # PRODUCT.md's JSON example, term 3 verbatim.
    assert document["terms"][2] == {
        "number": 3,
        "start": "2018-11-23T00:00:00+09:00",
        "end": "2019-11-23T00:00:00+09:00",
        "last_day": "2019-11-22",
        "notice_deadline": "2019-08-25T00:00:00+09:00",
        "outcome": "renewed",
    }
    # PRODUCT.md's JSON example, the notice event verbatim, with the field of 0.3 ("Late
    # notices": every notice_given carries late_for; this one is in time, so null).
    notice = next(e for e in document["events"] if e["kind"] == "notice_given")
    assert notice == {
        "at": "2019-08-23T00:00:00+09:00",
        "kind": "notice_given",
        "by": "KR",
        "term": 3,
        "effective": "2019-11-23T00:00:00+09:00",
        "reason": None,
        "late_for": None,
    }


def test_run_table_shows_each_event_with_its_local_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(["run", HISTORY], capsys)
    assert code == 0
    # facts/treaties.md: suspended on 22 November 2019 at about 18:00 KST.
    assert any(
        "2019-11-22 18:00 +09:00" in line and "notice_suspended" in line
        for line in out.splitlines()
    )


def test_deadlines_gsomia_2016_to_2021(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(
        [
            "deadlines",
            "gsomia",
            "--from",
            "2016",
            "--to",
            "2021",
            "--format",
            "json",
            "--as-of",
            "2019-08-22",
        ],
        capsys,
    )
    assert code == 0
    document = json.loads(out)
    assert document["treaty"] == "Korea–Japan GSOMIA"
    assert document["timezone"] == "Asia/Seoul"
    assert document["as_of"] == "2019-08-22"
    terms = document["terms"]
    # In force 2016-11-23, one-year terms (facts/treaties.md): terms ending 2017 to 2021.
    assert [t["number"] for t in terms] == [1, 2, 3, 4, 5]
    for term in terms:
        year = term["end"][:4]
        # Issue 2: each term ends at YYYY-11-23T00:00:00+09:00, last day in force 22 November,
        # notice deadline YYYY-08-25T00:00:00+09:00, last day to notify 24 August.
        assert term["end"] == f"{year}-11-23T00:00:00+09:00"
        assert term["last_day"] == f"{year}-11-22"
        assert term["notice_deadline"] == f"{year}-08-25T00:00:00+09:00"
        assert term["last_day_to_notify"] == f"{year}-08-24"
    # 22 August 2019 (the decision, facts/treaties.md) to 25 August 2019 00:00: three days.
    assert terms[2]["days_left"] == 3


def test_deadlines_table_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["deadlines", "gsomia", "--from", "2019", "--to", "2019"], capsys)
    assert code == 0
    # 22 November 2019 was a Friday, 24 August 2019 a Saturday (the calendar).
    assert "Friday 22 November 2019" in out
    assert "Saturday 24 August 2019" in out


def test_deadlines_csv_is_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(
        [
            "deadlines",
            "gsomia",
            "--from",
            "2020",
            "--to",
            "2020",
            "--format",
            "csv",
            "--as-of",
            "2020-08-04",
        ],
        capsys,
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    # Korea Times, 7 Aug 2020: "It will expire Nov. 22."
    assert rows[0]["last day in force"] == "2020-11-22"
    assert rows[0]["last day to notify"] == "2020-08-24"
    # From Tuesday 4 August 2020 (the spokesman's remark) to 25 August 00:00: 21 days.
    assert rows[0]["days left"] == "21"


def test_markdown_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["treaties", "--format", "markdown"], capsys)
    assert code == 0
    assert out.splitlines()[0].startswith("| name")


def test_interpretation_all_keys_json_by_interpretation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "name: resumed\ntreaty: gsomia\nactions:\n"
        "  - {at: 2019-08-23, by: KR, do: notify}\n"
        '  - {at: "2019-11-22T18:00", by: KR, do: suspend_notice}\n'
        "  - {at: 2020-08-10, by: KR, do: resume_notice}\n",
    )
    code, out, _ = cli(["run", path, "--interpretation", "all", "--format", "json"], capsys)
    assert code == 0
    runs = json.loads(out)["interpretations"]
    assert list(runs) == ["remaining", "immediate", "fresh"]
    # PRODUCT.md, "Interpretations": remaining = the six hours left (suspended 18:00, effect
    # 00:00) after resumption; immediate = at resumption; fresh = a new notice on 2020-08-10,
    # before the 2020-08-25 deadline, stops the renewal at 2020-11-23.
    assert runs["remaining"]["terminated_at"] == "2020-08-10T06:00:00+09:00"
    assert runs["immediate"]["terminated_at"] == "2020-08-10T00:00:00+09:00"
    assert runs["fresh"]["terminated_at"] == "2020-11-23T00:00:00+09:00"
    code, out, _ = cli(["run", path, "--interpretation", "all"], capsys)
    assert code == 0
    header = next(line for line in out.splitlines() if line.startswith("local time"))
    assert all(name in header for name in ("remaining", "immediate", "fresh"))


def test_strict_makes_a_rejection_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md: resume with no suspended notice does not apply; --strict exits 1.
    path = write(
        tmp_path,
        "name: r\ntreaty: gsomia\nactions:\n  - {at: 2019-08-23, by: KR, do: resume_notice}\n",
    )
    code, out, _ = cli(["run", path, "--format", "json"], capsys)
    assert code == 0
    assert [e["kind"] for e in json.loads(out)["events"]].count("rejected") == 1
    code, _, err = cli(["run", path, "--strict"], capsys)
    assert code == 1
    assert "rejected" in err


def test_check_fails_with_a_diff_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Wrong on purpose: with the 2019 notice standing, GSOMIA ends at 2019-11-23T00:00+09:00
    # (PRODUCT.md, "Time"), not a year later.
    path = write(
        tmp_path,
        "name: wrong\ntreaty: gsomia\nactions:\n  - {at: 2019-08-23, by: KR, do: notify}\n"
        "expect:\n  terminated_at: 2020-11-23\n",
    )
    code, out, _ = cli(["check", path], capsys)
    assert code == 1
    assert "FAIL" in out
    assert (
        "terminated_at: expected 2020-11-23T00:00:00+09:00, simulated 2019-11-23T00:00:00+09:00"
        in out
    )


# PRODUCT.md, "Interpretations": under remaining, a resumed notice takes effect after the
# time that was left. New York repeats 01:00-02:00 on 7 November 2021 (IANA tzdata): a one-day
# notice of 1 November suspended at 23:50 (10 minutes left) and resumed at the second 01:30
# (-05:00) ends at the second 01:40. The first 01:40 (-04:00) is another instant, 50 minutes
# before the resumption, and an expectation naming it must fail.
FALL_BACK = """name: fall back
treaty:
  name: t
  parties: [US, RU]
  timezone: America/New_York
  in_force: 1988-06-01
  clause: {withdrawal: 1d}
interpretation: remaining
horizon: 2022-01-01
actions:
  - {at: 2021-11-01, by: US, do: notify}
  - {at: "2021-11-01T23:50", by: US, do: suspend_notice}
  - {at: "2021-11-07T01:30-05:00", by: US, do: resume_notice}
expect:
"""


@pytest.mark.parametrize(
    ("expect", "passes"),
    [
        ('  terminated_at: "2021-11-07T01:40-05:00"\n', True),
        ('  terminated_at: "2021-11-07T01:40-04:00"\n', False),
        ('  status_at: {"2021-11-07T01:45-04:00": in_force}\n', True),
        ('  status_at: {"2021-11-07T01:45-04:00": terminated}\n', False),
        ('  events: [{at: "2021-11-07T01:40-04:00", kind: terminated}]\n', False),
    ],
)
def test_check_tells_the_two_occurrences_of_a_repeated_hour_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], expect: str, passes: bool
) -> None:
    code, out, _ = cli(["check", write(tmp_path, FALL_BACK + expect)], capsys)
    assert code == (0 if passes else 1), out


def test_check_passes_scenarios_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["check", str(ROOT / "scenarios")], capsys)
    assert code == 0, out
    assert "FAIL" not in out


def test_treaties_lists_gsomia(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["treaties", "--format", "json"], capsys)
    assert code == 0
    gsomia = next(t for t in json.loads(out)["treaties"] if t["name"] == "gsomia")
    # facts/treaties.md, GSOMIA: KR and JP, Asia/Seoul, in force 2016-11-23, art. 21(3).
    assert gsomia["parties"] == ["KR", "JP"]
    assert gsomia["timezone"] == "Asia/Seoul"
    assert gsomia["in_force"] == "2016-11-23"
    assert gsomia["clause"] == {"term": "1y", "renewal": "1y", "notice": "90d"}
