"""``deadlines`` for a clause without a renewal notice (a withdrawal clause: INF, NPT, Paris),
and for several treaties at once (issue 10, point 2; docs/decisions.md, decision 33). Run
through the CLI's entry point, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_helpers import cli

ROOT = Path(__file__).resolve().parent.parent


def test_a_withdrawal_treaty_has_no_deadline_and_says_when_a_notice_takes_effect(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(["deadlines", "inf", "--as-of", "2019-02-02"], capsys)
    assert code == 0
    # INF art. XV, six months' notice: the US notice of 2 February 2019 took effect on
    # 2 August 2019 (docs/sources.md, "INF Treaty"), 00:00 EDT in New York. From 2 February to
    # 2 August 2019: 26 + 31 + 30 + 31 + 30 + 31 + 2 = 181 days.
    assert "no deadline: withdrawal takes effect 6 months after notice;" in out
    assert (
        "a notice given on Saturday 2 February 2019 takes effect on "
        "Fri 2019-08-02 00:00 -04:00, in 181 days (bound through Thu 2019-08-01)"
    ) in out
    # No blank row for the one term of indefinite duration.
    assert "last day to notify" not in out


def test_a_notice_before_earliest_notice_would_be_rejected(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(["deadlines", "paris", "--as-of", "2019-01-01"], capsys)
    assert code == 0
    # Paris art. 28(1): notice only "after three years from the date on which this
    # Agreement has entered into force", 4 November 2016 (docs/sources.md), so from
    # 4 November 2019.
    assert "a notice given on Tuesday 1 January 2019 would be rejected: too early" in out
    assert "2019-11-04" in out


def test_json_keeps_the_contract_shape_and_adds_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(["deadlines", "paris", "--as-of", "2019-11-04", "--format", "json"], capsys)
    assert code == 0
    document = json.loads(out)
    # PRODUCT.md, "Commands": {"treaty", "timezone", "as_of", "terms": [...]}, fields added.
    assert list(document)[:4] == ["treaty", "timezone", "as_of", "terms"]
    assert all(term["treaty"] == "Paris Agreement" for term in document["terms"])
    assert document["withdrawal"] == "1y"
    # The US notice of 4 November 2019 took effect on 4 November 2020 (docs/sources.md,
    # "Paris Agreement"); 366 days, as the year runs over 29 February 2020.
    notice = document["notice_as_of"]
    assert notice["effective"] == "2020-11-04T00:00:00-05:00"
    assert notice["last_day_bound"] == "2020-11-03"
    assert notice["days_left"] == 366
    assert notice["rejected"] is None


def test_a_scenario_lists_each_notice_with_its_effect_and_days_left(
    capsys: pytest.CaptureFixture[str],
) -> None:
    scenario = str(ROOT / "scenarios" / "npt_north_korea_fresh.yaml")
    code, out, _ = cli(["deadlines", scenario, "--as-of", "2003-01-10", "--format", "json"], capsys)
    assert code == 0
    notices = json.loads(out)["notices"]
    # docs/sources.md, "NPT": KP's notice of 12 March 1993 would have taken effect three
    # months later, 12 June 1993, and was suspended on 11 June; under `fresh` its resumption
    # on 10 January 2003 is a new notice, effective 10 April 2003: 21 + 28 + 31 + 10 = 90 days
    # after 10 January.
    assert [(n["by"], n["effective"], n["outcome"], n["resumed"]) for n in notices] == [
        ("KP", "1993-06-12T00:00:00+00:00", "suspended 1993-06-11", False),
        ("KP", "2003-04-10T00:00:00+00:00", "took effect", True),
    ]
    assert notices[1]["days_left"] == 90


def test_several_treaties_each_row_names_its_treaty(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["deadlines", "gsomia", "inf", "--as-of", "2019-08-22", "--to", "2019"]
    code, out, _ = cli([*args, "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    # GSOMIA's terms ending in 2017, 2018, 2019 (in force 23 November 2016, one-year terms),
    # then the INF Treaty's one term (docs/sources.md).
    assert [row["treaty"] for row in rows] == ["Korea–Japan GSOMIA"] * 3 + ["INF Treaty"]
    assert rows[2]["last day to notify"] == "2019-08-24"
    assert rows[3]["withdrawal"] == "6mo"
    code, out, _ = cli([*args, "--format", "json"], capsys)
    documents = json.loads(out)["deadlines"]
    assert [d["treaty"] for d in documents] == ["Korea–Japan GSOMIA", "INF Treaty"]
    code, out, _ = cli(args, capsys)
    assert out.index("Korea–Japan GSOMIA (Asia/Seoul)") < out.index("INF Treaty (America")
