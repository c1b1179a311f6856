"""``treaty-sim claims CLAIMS.yaml``: a user's own article and claims file (issue 9, point 5),
and what a claim that does not hold says: what the simulation gives instead and how far off.

The worked example is docs/examples/inf_2019/: a CNN article of Friday 2 August 2019 on the
US withdrawal from the INF Treaty, which took effect that day (docs/sources.md, "INF
Treaty": notice 2 February 2019, effect 2 August 2019).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "inf_2019"


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_worked_example_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["claims", str(EXAMPLE / "claims.yaml"), "--format", "json"], capsys)
    assert code == 0
    claims = json.loads(out)["claims"]
    # three claims of the article: effect "Friday" (2 August 2019), notice "in February"
    # (2 February 2019), effect "on August 2"
    assert [c["asserts"] for c in claims] == [
        "notice_effect_in",
        "notice_given_in",
        "notice_effect_in",
    ]
    assert all(c["ok"] and c["off_by"] is None for c in claims)
    assert claims[0]["simulated"] == "notice takes effect Friday 2019-08-02T00:00:00-04:00"


def test_a_misread_claim_says_how_far_off_in_every_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    misread = str(EXAMPLE / "claims_misread.yaml")
    # "take place on August 2" read as the last day bound: the last day in force is 1 August
    # (the effect is 00:00 on 2 August, intervals are half-open: docs/contract.md, "Time"),
    # one day earlier. Read as midnight UTC: midnight in Washington (UTC-04:00 in August) is
    # four hours later.
    off = ["off by 1 day, earlier", "off by 4 hours, later"]
    code, out, _ = cli(["claims", misread, "--format", "json"], capsys)
    assert code == 1
    claims = json.loads(out)["claims"]
    assert [c["off_by"] for c in claims] == off
    assert [c["ok"] for c in claims] == [False, False]
    assert claims[0]["simulated"].startswith("last day in force Thursday 2019-08-01")
    code, out, _ = cli(["claims", misread, "--format", "csv"], capsys)
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["verdict"] for row in rows] == [f"DISAGREES ({o})" for o in off]
    for fmt in ("table", "markdown"):
        code, out, _ = cli(["claims", misread, "--format", fmt], capsys)
        assert code == 1
        assert all(f"DISAGREES ({o})" in out for o in off)


def test_a_folder_still_means_its_claims_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["claims", str(ROOT / "seeds"), "--format", "json"], capsys)
    assert code == 0
    assert {c["article"] for c in json.loads(out)["claims"]} == {
        p.name for p in (ROOT / "seeds").glob("*.txt")
    }


def _copy(tmp_path: Path, text: str) -> str:
    article = "cnn_whnt_2019-08-02.txt"
    (tmp_path / article).write_text((EXAMPLE / article).read_text("utf-8"), encoding="utf-8")
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        # a quote that is not in the article
        (
            "quote: this would take place on August 2",
            "quote: this would take place on August 3",
            ":41:12: claims[2].quote: not found verbatim in cnn_whnt_2019-08-02.txt",
        ),
        # an article that is not in the folder
        (
            "  cnn_whnt_2019-08-02.txt:\n",
            "  missing.txt:\n",
            ':7:5: articles["missing.txt"]: no article missing.txt in ',
        ),
        # a misspelt field
        (
            "    asserts: notice_given_in",
            "    assert: notice_given_in",
            ":34:13: claims[1].assert: unknown field 'assert'; did you mean 'asserts'?",
        ),
    ],
)
def test_a_bad_claims_file_is_one_located_line(
    old: str, new: str, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (EXAMPLE / "claims.yaml").read_text("utf-8")
    assert old in text
    path = _copy(tmp_path, text.replace(old, new, 1))
    code, out, err = cli(["claims", path], capsys)
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert any(line.startswith(path + where) for line in lines), err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("nowhere.yaml", "nowhere.yaml:1:1: (file): cannot read"),
        ("README.md", "README.md:1:1: (argument): not a claims file"),
    ],
)
def test_a_missing_or_wrong_claims_file_is_one_line(
    argument: str, message: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = cli(["claims", argument], capsys)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith(message)
