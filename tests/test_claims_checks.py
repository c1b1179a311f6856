"""Each check of ``treaty-sim claims`` fails when the simulation disagrees, on both sides of
its limit (issue 12, points 3, 4, 10, 11 and 12): the seed claims are re-run with one of
their values, or one action of their timeline, changed."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from sim.claims import ClaimResult, Claims, check_claims, load_claims
from sim.claims_vocabulary import DayCount, resolve_period
from sim.cli import main
from sim.core.dates import ensure_aware
from sim.core.model import Action, Interpretation
from sim.errors import InputErrors

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CLAIMS = load_claims(SEEDS)

# facts/treaties.md, "GSOMIA": notice delivered 23 August 2019; it would have ended the pact
# at 00:00 KST on 23 November 2019 (art. 21(3), 90 days; PRODUCT.md, "Time").
NOTICE = {"at": "2019-08-23", "by": "KR", "do": "notify"}


def with_history(*actions: dict[str, Any]) -> Claims:
    """The claims, with the record timeline's actions replaced."""
    spec = CLAIMS.timelines["history"]
    scenario = spec.scenario.model_copy(
        update={"actions": [Action.model_validate(a) for a in actions]}
    )
    return replace(
        CLAIMS, timelines={**CLAIMS.timelines, "history": replace(spec, scenario=scenario)}
    )


def verdict(claim_id: str, claims: Claims = CLAIMS, **changes: Any) -> ClaimResult:
    """The verdict on one claim, with some of its fields changed."""
    [claim] = [c for c in claims.claims if c.id == claim_id]
    [result] = check_claims(replace(claims, claims=(replace(claim, **changes),)))
    return result


# --- point 3: "at the last minute" is less than a day ---------------------------------------


# Korea Times, 7 Aug 2020: "decided to extend the GSOMIA at the last minute", `< 1d`. The
# suspension came at about 18:00 KST on 22 November 2019 (facts/treaties.md). A suspension
# exactly one day before the effect (00:00 on 22 November) is not less than a day; one a
# second later is.
@pytest.mark.parametrize(
    ("suspended", "agrees"),
    [
        ("2019-11-22T18:00", True),
        ("2019-11-22T00:00:01", True),
        ("2019-11-22T00:00", False),
        ("2019-11-21T23:59:59", False),
    ],
)
def test_last_minute_means_less_than_a_day(suspended: str, agrees: bool) -> None:
    claims = with_history(NOTICE, {"at": suspended, "by": "KR", "do": "suspend_notice"})
    result = verdict("koreatimes-extended-at-the-last-minute", claims)
    assert result.ok is agrees, result


# --- point 11: "then renewed" -----------------------------------------------------------------


# The same claim says the pact was renewed instead of ending. If, after the suspension at
# 18:00, the notice is resumed at 20:00 under `immediate` (PRODUCT.md, "Interpretations"), the
# pact ends at 20:00 and is never renewed: the claim must fail, though the suspension was six
# hours before the effect.
def test_last_minute_needs_the_renewal_too() -> None:
    claims = with_history(
        NOTICE,
        {"at": "2019-11-22T18:00", "by": "KR", "do": "suspend_notice"},
        {"at": "2019-11-22T20:00", "by": "KR", "do": "resume_notice"},
    )
    spec = claims.timelines["history"]
    scenario = spec.scenario.model_copy(update={"interpretation": Interpretation.IMMEDIATE})
    claims = replace(
        claims, timelines={**claims.timelines, "history": replace(spec, scenario=scenario)}
    )
    result = verdict("koreatimes-extended-at-the-last-minute", claims)
    assert not result.ok, result
    assert result.simulated == (
        "suspended 2019-11-22T18:00:00+09:00, 6 hours before 2019-11-23T00:00:00+09:00; "
        "not renewed then"
    )


# PRODUCT.md, "Actions": a termination by agreement takes effect at once: agreed at 20:00 on
# 22 November, after the suspension, the pact ends then and is not renewed at midnight.
def test_last_minute_fails_when_the_pact_ends_otherwise() -> None:
    claims = with_history(
        NOTICE,
        {"at": "2019-11-22T18:00", "by": "KR", "do": "suspend_notice"},
        {"at": "2019-11-22T20:00", "do": "terminate"},
    )
    assert not verdict("koreatimes-extended-at-the-last-minute", claims).ok


def test_last_minute_fails_without_a_suspension() -> None:
    result = verdict("koreatimes-extended-at-the-last-minute", with_history(NOTICE))
    assert not result.ok and result.simulated == "no notice suspended"


# --- point 4, and "six days left": counts of days on both sides ------------------------------


# KBS, 12 Nov 2019: "less than two weeks" before the expiry at 00:00 KST on 23 November
# 2019: said on 10 November, 13 whole days remain (agrees); on 9 November, 14 (disagrees).
@pytest.mark.parametrize(
    ("as_of", "agrees"),
    [(date(2019, 11, 12), True), (date(2019, 11, 10), True), (date(2019, 11, 9), False)],
)
def test_less_than_two_weeks_before_the_expiry(as_of: date, agrees: bool) -> None:
    result = verdict("kbs-less-than-two-weeks", as_of=as_of)
    assert result.ok is agrees, result


# Yonhap (Bangkok), Sunday 17 Nov 2019: "six days left" to 00:00 KST on 23 November: on the
# 16th seven days were left, on the 18th five.
@pytest.mark.parametrize(
    ("as_of", "agrees"),
    [(date(2019, 11, 16), False), (date(2019, 11, 17), True), (date(2019, 11, 18), False)],
)
def test_six_days_left(as_of: date, agrees: bool) -> None:
    assert verdict("bangkok-six-days-left", as_of=as_of).ok is agrees


def test_within_two_weeks_includes_the_fourteenth_day() -> None:
    # 9 November 2019 to 00:00 KST on 23 November: 14 whole days, within two weeks.
    within = DayCount.parse("<= 2w")
    assert verdict("kbs-less-than-two-weeks", as_of=date(2019, 11, 9), expected=within).ok
    assert not verdict("kbs-less-than-two-weeks", as_of=date(2019, 11, 8), expected=within).ok


# Yonhap (Bangkok), Sunday 17 Nov 2019: "to expire on Saturday" (23 November). Read on the
# Sunday after (24 November), "Saturday" is 30 November: it must disagree.
@pytest.mark.parametrize(
    ("as_of", "agrees"),
    [(date(2019, 11, 17), True), (date(2019, 11, 23), True), (date(2019, 11, 24), False)],
)
def test_expire_on_saturday(as_of: date, agrees: bool) -> None:
    result = verdict("bangkok-expire-on-saturday", expected=resolve_period("Saturday", as_of))
    assert result.ok is agrees, result


# --- point 10: "midnight November 23, Korea time" is an instant ----------------------------


# Arirang, 18 Nov 2019: "GSOMIA expires midnight November 23, Korea time": 00:00 at UTC+9.
# The same date at 09:00, or a second either side of midnight, is another instant; the same
# instant written in UTC agrees.
@pytest.mark.parametrize(
    ("written", "agrees"),
    [
        ("2019-11-23T00:00:00+09:00", True),
        ("2019-11-22T15:00:00+00:00", True),
        ("2019-11-23T09:00:00+09:00", False),
        ("2019-11-23T00:00:01+09:00", False),
        ("2019-11-22T23:59:59+09:00", False),
        ("2019-11-23T00:00:00+00:00", False),
    ],
)
def test_midnight_korea_time_is_compared_as_an_instant(written: str, agrees: bool) -> None:
    expected = ensure_aware(datetime.fromisoformat(written))
    result = verdict("arirang-expires-midnight-november-23", expected=expected)
    assert result.ok is agrees, result


def test_an_instant_without_its_offset_is_refused(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    path = seeds / "claims.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('expected: "2019-11-23T00:00:00+09:00"', 'expected: "2019-11-23T00:00:00"'),
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as raised:
        load_claims(seeds)
    assert [e.field for e in raised.value.errors] == ["claims[3].expected"]


# --- point 12: a claim resting on a hypothetical says so, and can fail ---------------------

ANY_TIME = (
    "koreatimes-any-time-immediate",
    "koreatimes-any-time-remaining",
    "koreatimes-any-time-after-deadline",
)


def test_the_any_time_claims_rest_on_what_ifs_and_say_so() -> None:
    results = {r.id: r for r in check_claims(CLAIMS)}
    for claim_id in ANY_TIME:
        result = results[claim_id]
        assert result.ok, result
        assert result.hypothetical is not None and result.hypothetical.startswith("What if")
        assert result.simulated.startswith(f"hypothetical ({result.hypothetical}): ")
        assert result.as_json()["hypothetical"] == result.hypothetical
    # Claims on the record say nothing of the kind.
    for result in results.values():
        if result.id not in ANY_TIME:
            assert result.hypothetical is None and "hypothetical" not in result.simulated
            assert result.as_json()["hypothetical"] is None


def test_every_format_says_which_claims_are_hypothetical(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["claims", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    flagged = [c for c in document["claims"] if c["hypothetical"]]
    assert len(flagged) == 3
    assert all(c["simulated"].startswith("hypothetical (What if") for c in flagged)
    assert main(["claims", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sum(row["simulated"].startswith("hypothetical (What if") for row in rows) == 3
    for fmt in ("table", "markdown"):
        assert main(["claims", "--format", fmt]) == 0
        assert capsys.readouterr().out.count("hypothetical (What if") == 3


# Korea Times, 7 Aug 2020: "at any time regardless of the date": the pact ends at once,
# within a day of the resumption. Under `fresh` (a resumption is a new notice, PRODUCT.md)
# a resumption on 4 August 2020 ends the pact only on 23 November 2020, and one on
# 1 September 2020 (after the deadline of 25 August) on 23 November 2021: every one of the
# claims fails, so they test the rule, not the what-ifs' own dates.
def test_the_any_time_claims_fail_under_a_rule_that_waits_for_a_date() -> None:
    timelines = {
        name: replace(
            spec,
            scenario=spec.scenario.model_copy(update={"interpretation": Interpretation.FRESH}),
        )
        for name, spec in CLAIMS.timelines.items()
    }
    results = {r.id: r for r in check_claims(replace(CLAIMS, timelines=timelines))}
    for claim_id in ANY_TIME:
        assert not results[claim_id].ok, results[claim_id]
    assert "terminated 2020-11-23T00:00:00+09:00" in results[ANY_TIME[0]].simulated
    # (the what-if's horizon is 2021-01-01, before that end)
    assert "still in force at the horizon" in results[ANY_TIME[2]].simulated


# Under `remaining` six hours were left (suspended 18:00 on 22 November 2019,
# facts/treaties.md): the pact ends within the day. Had the notice been suspended a day and
# more before its effect, `remaining` would wait more than a day: "at any time" fails.
def test_the_any_time_claim_fails_when_more_than_a_day_was_left() -> None:
    spec = CLAIMS.timelines["resumed_2020_08_04_remaining"]
    actions = [
        Action.model_validate(NOTICE),
        Action.model_validate({"at": "2019-11-21T18:00", "by": "KR", "do": "suspend_notice"}),
        Action.model_validate({"at": "2020-08-04", "by": "KR", "do": "resume_notice"}),
    ]
    timelines = {
        **CLAIMS.timelines,
        "resumed_2020_08_04_remaining": replace(
            spec, scenario=spec.scenario.model_copy(update={"actions": actions})
        ),
    }
    result = verdict("koreatimes-any-time-remaining", replace(CLAIMS, timelines=timelines))
    assert not result.ok
    assert "1 day, 6 hours later" in result.simulated


def test_the_any_time_claim_fails_when_nothing_is_resumed() -> None:
    spec = CLAIMS.timelines["resumed_2020_08_04_immediate"]
    timelines = {
        **CLAIMS.timelines,
        "resumed_2020_08_04_immediate": replace(
            spec,
            scenario=spec.scenario.model_copy(update={"actions": [Action.model_validate(NOTICE)]}),
        ),
    }
    result = verdict("koreatimes-any-time-immediate", replace(CLAIMS, timelines=timelines))
    assert not result.ok
    assert result.simulated.endswith("no notice resumed")


@pytest.mark.parametrize("value", ["", "hypothetical: maybe\n    "])
def test_a_timeline_must_say_whether_it_is_hypothetical(tmp_path: Path, value: str) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    path = seeds / "claims.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "    hypothetical: false     # the record: facts/treaties.md\n    ", "    " + value
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as raised:
        load_claims(seeds)
    [error] = raised.value.errors
    assert error.field == ("timelines.history.hypothetical" if value else "timelines.history")
    assert error.message == (
        "say whether this timeline is the record (hypothetical: false) or a what-if "
        "(hypothetical: true)"
    )


def test_the_claims_keep_their_article_note_and_timeline() -> None:
    [claim] = [c for c in CLAIMS.claims if c.id == "bangkok-three-year-old-pact"]
    assert claim.article == "004_9bb8d9a62761c524.txt"
    assert claim.note is not None and claim.note.startswith("Counted from entry into force")
    results = {r.id: r for r in check_claims(CLAIMS)}
    assert results["bangkok-three-year-old-pact"].timeline == "history"
    assert results["koreatimes-any-time-remaining"].timeline == "resumed_2020_08_04_remaining"


def test_a_missing_seeds_folder_is_named(tmp_path: Path) -> None:
    from sim.errors import InputError

    with pytest.raises(InputError) as raised:
        load_claims(tmp_path / "nowhere")
    assert (raised.value.field, raised.value.message) == (
        "(folder)",
        "no such folder (the seed articles and claims.yaml)",
    )


# A timeline may write its treaty out instead of naming a built-in one: GSOMIA as in
# sim/treaties/gsomia.yaml (facts/treaties.md), and every claim still agrees.
def test_a_timeline_with_an_inline_treaty(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    path = seeds / "claims.yaml"
    inline = (
        "treaty:\n      name: Korea–Japan GSOMIA\n      parties: [KR, JP]\n"
        "      timezone: Asia/Seoul\n      signed: 2016-11-23\n      in_force: 2016-11-23\n"
        "      clause: {term: 1y, renewal: 1y, notice: 90d}\n"
    )
    text = path.read_text(encoding="utf-8").replace("treaty: gsomia\n", inline, 1)
    path.write_text(text, encoding="utf-8")
    claims = load_claims(seeds)
    assert claims.timelines["history"].hypothetical is False
    assert claims.timelines["history"].treaty.in_force == date(2016, 11, 23)
    assert all(r.ok for r in check_claims(claims))


# A statement made on the article's own date is allowed as as_of; a day later is not.
def test_as_of_may_be_the_article_date(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    path = seeds / "claims.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    as_of: 2020-08-04\n    weekday: Tuesday\n",
        "    as_of: 2020-08-07\n    weekday: Friday\n",
        1,
    )
    path.write_text(text, encoding="utf-8")
    assert load_claims(seeds)


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("date 2019-08-29 No major differences", True),  # the first words of the article
        ("SEOUL, Aug. 29", True),
        ("South Korea decided last week", True),
        ("South Korea ... decided last week", True),
        ("SEOUL, Aug. 29 ... the pact, signed in 2016", True),
        ("the pact, signed in 2016 ... SEOUL, Aug. 29", False),  # pieces out of order
        ("decided last week ... decided last week", False),  # one piece used twice
    ],
)
def test_a_quote_is_found_verbatim_in_order(quote: str, found: bool) -> None:
    from sim.claims import _quoted

    article = (SEEDS / "000_b7f1e4cc074a4794.txt").read_text(encoding="utf-8")
    assert _quoted(quote, article) is found
