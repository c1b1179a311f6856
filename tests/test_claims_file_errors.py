# ruff: noqa: E501  (the messages are compared whole)
"""A claims file with a mistake in it is refused with located, one-line errors that name the
field and say what is wrong (PRODUCT.md, "Errors"; docs/claims.md), never run: each case
changes one line of seeds/claims.yaml. Found missing by the mutation run of sim/claims.py."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from sim.claims import check_claims, load_claims
from sim.core.model import Action
from sim.errors import InputError, InputErrors
from sim.library import names

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seeds_with(tmp_path: Path, old: str | None, new: str) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    path = seeds / "claims.yaml"
    text = path.read_text(encoding="utf-8")
    if old is None:
        text = new
    else:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return seeds


def problems(seeds: Path) -> list[tuple[str, str]]:
    with pytest.raises((InputError, InputErrors)) as raised:
        load_claims(seeds)
    error = raised.value
    errors = error.errors if isinstance(error, InputErrors) else [error]
    for each in errors:
        assert each.file.endswith("claims.yaml") and each.line >= 1 and each.column >= 1
    return [(each.field, each.message.replace(str(seeds), "{seeds}")) for each in errors]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "    horizon: 2024-01-01\n",
            "    horizon: 2024-01-01\n    expect: {terminated_at: null}\n",
            [("timelines.history.expect", "not used here: the claims are the expectations")],
            id="expect",
        ),
        pytest.param(
            "    treaty: gsomia\n    interpretation: remaining\n    horizon: 2024-01-01\n",
            "    treaty: gsomia2\n    interpretation: remaining\n    horizon: 2024-01-01\n",
            [
                (
                    "timelines.history.treaty",
                    "unknown treaty 'gsomia2'; did you mean 'gsomia'? "
                    f"(built-in: {', '.join(names())})",
                )
            ],
            id="treaty",
        ),
        pytest.param(
            "  - id: yonhap-invalid-in-november\n",
            "  - id: yonhap-decided-last-week\n",
            [("claims[1].id", "the id 'yonhap-decided-last-week' is used twice")],
            id="dup_id",
        ),
        pytest.param(
            "    timeline: resumed_2020_09_01_immediate\n",
            "    timeline: nowhere\n",
            [
                (
                    "claims[12].timeline",
                    "no timeline 'nowhere' (timelines: history, resumed_2020_08_04_immediate, resumed_2020_08_04_remaining, resumed_2020_09_01_immediate)",
                ),
                ("timelines.resumed_2020_09_01_immediate", "no claim is checked against it"),
            ],
            id="unknown_timeline",
        ),
        pytest.param(
            "    article: 001_d15a1ff814625232.txt\n",
            "    article: 009_x.txt\n",
            [("claims[3].article", "'009_x.txt' is not listed under articles:")],
            id="unknown_article",
        ),
        pytest.param(
            "    quote: GSOMIA expires midnight November 23, Korea time\n",
            "    quote: GSOMIA expires at noon\n",
            [("claims[3].quote", "not found verbatim in 001_d15a1ff814625232.txt")],
            id="quote",
        ),
        pytest.param(
            "    as_of: 2020-08-04\n    weekday: Tuesday\n",
            "    as_of: 2020-08-08\n    weekday: Saturday\n",
            [("claims[10].as_of", "after the article's date 2020-08-07")],
            id="as_of_after",
        ),
        pytest.param(
            "    expected: 1y\n",
            "    expected: soon\n",
            [
                (
                    "claims[13].expected",
                    "for renews_every: 'soon' is not a duration: write 90d, 2w, 6mo, 1y or P90D, P2W, P6M, P1Y",
                )
            ],
            id="bad_duration",
        ),
        pytest.param(
            "    expected: 3\n",
            "    expected: three\n",
            [("claims[8].expected", "for age_in_years: 'three' is not a whole number of years")],
            id="bad_age",
        ),
        pytest.param(
            '    expected: "2019-11-23T00:00:00+09:00"\n',
            '    expected: "2019-11-23T00:00:00"\n',
            [
                (
                    "claims[3].expected",
                    "for notice_effect_at: '2019-11-23T00:00:00' is not an instant with its offset, e.g. 2019-11-23T00:00:00+09:00",
                )
            ],
            id="bad_instant",
        ),
        pytest.param(
            "    expected: 6d\n",
            "    expected: 6mo\n",
            [
                (
                    "claims[6].expected",
                    "for days_to_notice_effect: '6mo': count days or weeks (6d, < 2w), not months or years",
                )
            ],
            id="bad_count",
        ),
        pytest.param(
            "    expected: 6d\n",
            "    expected: [6d]\n",
            [
                (
                    "claims[6].expected",
                    "write the value as the article states it: text, a number or a date",
                )
            ],
            id="bad_text",
        ),
        pytest.param(
            '    weekday: Thursday      # "the defense ministry said Thursday"\n',
            "    weekday: Friday\n",
            [
                (
                    'articles["000_b7f1e4cc074a4794.txt"].weekday',
                    "2019-08-29 is a Thursday, not a Friday",
                )
            ],
            id="article_weekday",
        ),
        pytest.param(
            '    as_of_note: >-\n      "said Tuesday" in an article of Friday 7 August 2020: Tuesday 4 August 2020.\n    asserts: terminated_after_resumption\n    expected: "< 1d"\n    timeline: resumed_2020_08_04_immediate\n',
            '    asserts: terminated_after_resumption\n    expected: "< 1d"\n    timeline: resumed_2020_08_04_immediate\n',
            [("claims[10]", "as_of and as_of_note go together: say how the day was found")],
            id="as_of_note",
        ),
        pytest.param(
            "    timeline: resumed_2020_09_01_immediate\n",
            "    timeline: history\n",
            [("timelines.resumed_2020_09_01_immediate", "no claim is checked against it")],
            id="unused_timeline",
        ),
        pytest.param(
            "  003_f85841c514b5761e.txt:\n",
            "  ../003_f85841c514b5761e.txt:\n",
            [
                (
                    'articles["../003_f85841c514b5761e.txt"]',
                    "no article ../003_f85841c514b5761e.txt in {seeds}",
                ),
                ("articles", "the seed article 003_f85841c514b5761e.txt is not listed"),
                ("claims[4].article", "'003_f85841c514b5761e.txt' is not listed under articles:"),
                ("claims[5].article", "'003_f85841c514b5761e.txt' is not listed under articles:"),
            ],
            id="article_not_file",
        ),
    ],
)
def test_a_mistake_in_the_claims_file_is_named(
    tmp_path: Path, old: str, new: str, expected: list[tuple[str, str]]
) -> None:
    assert problems(seeds_with(tmp_path, old, new)) == expected


def test_a_claims_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    assert problems(seeds_with(tmp_path, None, "- a\n- b\n")) == [
        ("(document)", "a claims file is a mapping (articles:, timelines:, claims:)")
    ]


def test_an_error_is_located_on_its_line(tmp_path: Path) -> None:
    seeds = seeds_with(
        tmp_path, "    horizon: 2024-01-01\n", "    horizon: 2024-01-01\n    expect: {}\n"
    )
    with pytest.raises(InputErrors) as raised:
        load_claims(seeds)
    [error] = raised.value.errors
    lines = (seeds / "claims.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[error.line - 1].strip() == "expect: {}"


def test_an_article_that_is_not_text_is_refused(tmp_path: Path) -> None:
    seeds = seeds_with(tmp_path, "articles:", "articles:")
    (seeds / "000_b7f1e4cc074a4794.txt").write_bytes(b"\xff\xfe\x00bad")
    [(field, message)] = problems(seeds)
    assert field == 'articles["000_b7f1e4cc074a4794.txt"]'
    assert message.startswith("cannot read {seeds}/000_b7f1e4cc074a4794.txt: 'utf-8' codec")


# An action of a timeline at or after its horizon cannot run (PRODUCT.md: the horizon bounds
# the run): the error names the action in the claims file.
def test_a_timeline_that_cannot_run_is_an_error_located_in_the_claims_file() -> None:
    claims = load_claims(SEEDS)
    spec = claims.timelines["history"]
    late = Action.model_validate({"at": "2025-03-21", "by": "KR", "do": "withdraw_notice"})
    scenario = spec.scenario.model_copy(update={"actions": [*spec.scenario.actions[:2], late]})
    timelines = {**claims.timelines, "history": replace(spec, scenario=scenario)}
    with pytest.raises(InputError) as raised:
        check_claims(replace(claims, timelines=timelines))
    assert raised.value.field == "timelines.history.actions[2].at"
    assert raised.value.message.startswith("the action is at or after the horizon 2024-01-01")
    assert raised.value.file.endswith("claims.yaml")
