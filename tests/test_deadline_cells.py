"""Every cell of the deadline table, in words, CSV and JSON (PRODUCT.md, "Commands":
``deadlines``), for a renewal clause (GSOMIA), a fixed term without a renewal notice (New
START) and a treaty of indefinite duration (the NPT). Written for issue 12's mutation run,
which found that only a few cells were checked."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from sim.cli import main


def deadlines(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["deadlines", *args]) == 0
    return capsys.readouterr().out


def table_rows(out: str) -> tuple[str, list[list[str]]]:
    """The title and the body rows of a table in words, cells split on runs of spaces."""
    lines = out.splitlines()
    title = lines[0]
    body = lines[lines.index(next(line for line in lines if line.startswith("---"))) + 1 :]
    return title, [re.split(r"\s{2,}", line.strip()) for line in body if line.strip()]


# GSOMIA (facts/treaties.md; art. 21(3)): terms of one year from 23 November 2016, ending at
# 00:00 KST (+09:00) on 23 November; notice 90 days before: deadline 00:00 on 25 August,
# last day to notify 24 August (PRODUCT.md, "Time"; Hankyoreh: "the deadline of Aug. 24").
# As of Thursday 22 August 2019 (the decision, facts/treaties.md), 3 days are left to the
# 2019 deadline and 369 to the 2020 one (2020 is a leap year). Weekdays from the calendar.
GSOMIA_WORDS = [
    [
        "3",
        "Fri 2018-11-23 00:00 +09:00",
        "Sat 2019-11-23 00:00 +09:00",
        "Friday 22 November 2019",
        "Sun 2019-08-25 00:00 +09:00",
        "Saturday 24 August 2019",
        "3",
    ],
    [
        "4",
        "Sat 2019-11-23 00:00 +09:00",
        "Mon 2020-11-23 00:00 +09:00",
        "Sunday 22 November 2020",
        "Tue 2020-08-25 00:00 +09:00",
        "Monday 24 August 2020",
        "369",
    ],
]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_every_cell_of_gsomia_in_words(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    args = ("gsomia", "--from", "2019", "--to", "2020", "--as-of", "2019-08-22")
    out = deadlines(capsys, *args, "--format", fmt)
    title = out.splitlines()[0]
    assert title == "Korea–Japan GSOMIA (Asia/Seoul), days left as of Thursday 22 August 2019"
    if fmt == "table":
        assert table_rows(out)[1] == GSOMIA_WORDS
    else:
        rows = [
            [cell.strip() for cell in line.strip("|").split("|")]
            for line in out.splitlines()
            if line.startswith("|")
        ][2:]
        assert rows == GSOMIA_WORDS


def test_every_cell_of_gsomia_in_csv(capsys: pytest.CaptureFixture[str]) -> None:
    out = deadlines(
        capsys,
        "gsomia",
        "--from",
        "2019",
        "--to",
        "2019",
        "--as-of",
        "2019-08-22",
        "--format",
        "csv",
    )
    rows = list(csv.reader(io.StringIO(out)))
    # issue 10: CSV rows name their treaty, and say what a withdrawal notice would do (GSOMIA
    # has a renewal notice, no withdrawal clause: empty).
    assert rows == [
        [
            "treaty",
            "term",
            "in force from",
            "expires at",
            "last day in force",
            "notice deadline",
            "last day to notify",
            "days left",
            "withdrawal",
            "a notice on the as-of date takes effect",
        ],
        [
            "Korea–Japan GSOMIA",
            "3",
            "2018-11-23T00:00:00+09:00",
            "2019-11-23T00:00:00+09:00",
            "2019-11-22",
            "2019-08-25T00:00:00+09:00",
            "2019-08-24",
            "3",
            "",
            "",
        ],
    ]


# New START (facts/treaties.md): in force 5 February 2011 for ten years, no renewal and so no
# notice deadline (withdrawal is on three months' notice at any time): the deadline cells
# are empty, in words and in CSV, and null in JSON. The term ends at 00:00 UTC on 5 February
# 2021; its last day in force is Thursday 4 February 2021.
def test_a_term_without_a_notice_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    title, rows = table_rows(deadlines(capsys, "new_start", "--as-of", "2020-01-01"))
    assert title == "New START (UTC), days left as of Wednesday 1 January 2020"
    assert rows == [
        [
            "1",
            "Sat 2011-02-05 00:00 +00:00",
            "Fri 2021-02-05 00:00 +00:00",
            "Thursday 4 February 2021",
        ]
    ]
    out = deadlines(capsys, "new_start", "--as-of", "2020-01-01", "--format", "csv")
    # the withdrawal clause, three months' notice (facts/treaties.md): a notice on the as-of
    # date, 2020-01-01, takes effect 2020-04-01 (PRODUCT.md, "Time": calendar months)
    assert list(csv.reader(io.StringIO(out)))[1] == [
        "New START",
        "1",
        "2011-02-05T00:00:00+00:00",
        "2021-02-05T00:00:00+00:00",
        "2021-02-04",
        "",
        "",
        "",
        "3mo",
        "2020-04-01T00:00:00+00:00",
    ]
    out = deadlines(capsys, "new_start", "--as-of", "2020-01-01", "--format", "json")
    [term] = json.loads(out)["terms"]
    assert term["notice_deadline"] is None
    assert term["last_day_to_notify"] is None
    assert term["days_left"] is None
    assert term["last_day"] == "2021-02-04"


# The NPT (facts/treaties.md): in force 5 March 1970, of indefinite duration: one term with
# no end, so every cell but the number and the start is empty.
def test_a_term_without_an_end(capsys: pytest.CaptureFixture[str]) -> None:
    # issue 10: in words, a withdrawal-only treaty says what a notice today would do: NPT
    # art. X(1), three months (facts/treaties.md): 2020-01-01 + 3mo = 2020-04-01, 91 days.
    words = deadlines(capsys, "npt", "--as-of", "2020-01-01")
    assert "no deadline: withdrawal takes effect 3 months after notice" in words
    assert "takes effect on Wed 2020-04-01 00:00 +00:00, in 91 days" in words
    out = deadlines(capsys, "npt", "--as-of", "2020-01-01", "--format", "csv")
    assert list(csv.reader(io.StringIO(out)))[1] == [
        "Treaty on the Non-Proliferation of Nuclear Weapons (NPT)",
        "1",
        "1970-03-05T00:00:00+00:00",
        "",
        "",
        "",
        "",
        "",
        "3mo",
        "2020-04-01T00:00:00+00:00",
    ]
    [term] = json.loads(deadlines(capsys, "npt", "--as-of", "2020-01-01", "--format", "json"))[
        "terms"
    ]
    assert term["end"] is None and term["last_day"] is None


# PRODUCT.md, "Commands": --from and --to select the terms whose last day in force falls in
# those years, inclusive: GSOMIA's terms end on 22 November of 2017, 2018, ... (a term with
# no end, as the NPT's, is always shown).
@pytest.mark.parametrize(
    ("years", "numbers"),
    [(("2017", "2017"), [1]), (("2018", "2019"), [2, 3]), (("2016", "2016"), [])],
)
def test_from_and_to_select_terms_by_their_last_day(
    capsys: pytest.CaptureFixture[str], years: tuple[str, str], numbers: list[int]
) -> None:
    out = deadlines(capsys, "gsomia", "--from", years[0], "--to", years[1], "--format", "json")
    assert [t["number"] for t in json.loads(out)["terms"]] == numbers
    out = deadlines(capsys, "npt", "--from", "2019", "--to", "2019", "--format", "json")
    assert [t["number"] for t in json.loads(out)["terms"]] == [1]
