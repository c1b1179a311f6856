"""``treaty-sim claims``: every dated claim of the seed articles agrees with the simulated
GSOMIA timelines, and a wrong rule makes the claims it contradicts fail (PRODUCT.md,
"Commands"; seeds/claims.yaml; sim/claims.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sim.claims import ClaimResult, check_claims, load_claims, resolve_period
from sim.cli import main
from sim.core.dates import Duration
from sim.core.model import Treaty
from sim.errors import InputError, InputErrors
from sim.library import builtin

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def treaty_sim(*args: str) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, from the repository root."""
    script = Path(sys.executable).parent / "treaty-sim"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sim"]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )


def by_quote(results: list[ClaimResult]) -> dict[str, list[ClaimResult]]:
    found: dict[str, list[ClaimResult]] = {}
    for result in results:
        found.setdefault(result.quote, []).append(result)
    return found


def with_clause(**changes: object) -> Treaty:
    gsomia = builtin("gsomia")
    return gsomia.model_copy(update={"clause": gsomia.clause.model_copy(update=changes)})


def failing(treaty: Treaty) -> set[str]:
    return {r.id for r in check_claims(load_claims(SEEDS), treaty) if not r.ok}


# --- the command ----------------------------------------------------------------------------


def test_claims_json_agrees_with_every_article() -> None:
    done = treaty_sim("claims", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    document = json.loads(done.stdout)
    assert list(document) == ["claims"]
    claims = document["claims"]
    assert claims
    for claim in claims:
        # PRODUCT.md, "Commands": each claim is {"article", "quote", "asserts", "expected",
        # "simulated", "ok"}; and "hypothetical", the what-if it rests on or null (issue 12); and
        # "off_by", how far a claim that does not hold is off, or null (issue 9).
        assert list(claim) == [
            "article",
            "quote",
            "asserts",
            "expected",
            "simulated",
            "ok",
            "hypothetical",
            "off_by",
        ]
        assert claim["ok"] is True, claim
    # Every seed article has at least one claim.
    assert {c["article"] for c in claims} == {p.name for p in SEEDS.glob("*.txt")}


# Each required claim: (quote, asserts, text of the expected value, text of the simulated
# value). The expected text is the article's own; the simulated text is what the GSOMIA rule
# (art. 21(3), PRODUCT.md "Time") must give.
REQUIRED = [
    # Yonhap, Thu 29 Aug 2019: "South Korea decided last week to terminate": the week of
    # Mon 19 to Sun 25 Aug 2019 holds the notice of 23 Aug (facts/treaties.md).
    (
        "South Korea decided last week to terminate",
        "notice_given_in",
        "last week (2019-08-19..2019-08-25)",
        "2019-08-23",
    ),
    # Yonhap, 29 Aug 2019: "will become invalid in November" (of 2019).
    ("will become invalid in November", "notice_effect_in", "November (2019-11)", "2019-11-23"),
    # Yonhap, 29 Aug 2019: "the pact, signed in 2016" (facts/treaties.md: 23 Nov 2016).
    ("the pact, signed in 2016", "signed_in", "2016", "2016-11-23"),
    # Arirang, 18 Nov 2019: "GSOMIA expires midnight November 23, Korea time".
    (
        "GSOMIA expires midnight November 23, Korea time",
        "notice_effect_at",
        "2019-11-23T00:00:00+09:00",
        "2019-11-23T00:00:00+09:00",
    ),
    # KBS, 12 Nov 2019: "the November 22 termination": the last day in force.
    ("the November 22 termination", "notice_last_day_in", "2019-11-22", "2019-11-22"),
    # KBS, 12 Nov 2019: "less than two weeks before ... expires": 11 days to 23 Nov 00:00.
    (
        "less than two weeks before a military intel-sharing pact ... expires",
        "days_to_notice_effect",
        "less than 14 days",
        "11 days",
    ),
    # Yonhap (Bangkok), Sun 17 Nov 2019: "just six days left to go before the planned expiry".
    (
        "just six days left to go before the planned expiry",
        "days_to_notice_effect",
        "6 days",
        "6 days",
    ),
    # Yonhap (Bangkok), Sun 17 Nov 2019: "The pact is to expire on Saturday." (23 Nov 2019).
    ("The pact is to expire on Saturday.", "notice_effect_in", "2019-11-23", "Saturday"),
    # Yonhap (Bangkok), 17 Nov 2019: "the three-year-old pact" (in force 23 Nov 2016).
    ("the three-year-old pact", "age_in_years", "3 years", "nearest whole years: 3"),
    # Korea Times, 7 Aug 2020: "terminate the deal 90 days in advance" (art. 21(3): "ninety
    # days in advance"); 2020 deadline 25 Aug 00:00 KST, last day to notify 24 Aug
    # (facts/treaties.md, Hankyoreh: "the deadline of Aug. 24").
    (
        "notifies the other of its decision to terminate the deal 90 days in advance",
        "notice_period",
        "90d",
        "2020-08-25T00:00:00+09:00",
    ),
    # Korea Times, 7 Aug 2020: "automatically renewed every year".
    ("The GSOMIA is automatically renewed every year", "renews_every", "1y", "lasts 1y"),
    # Korea Times, 7 Aug 2020: "It will expire Nov. 22." (of 2020).
    ("It will expire Nov. 22.", "term_last_day_in", "2020-11-22", "2020-11-22"),
    # Korea Times, 7 Aug 2020: "decided to extend the GSOMIA at the last minute before its
    # expiration in 2019": suspended 18:00 KST on 22 Nov 2019 (facts/treaties.md), then renewed.
    (
        "decided to extend the GSOMIA at the last minute before its expiration in 2019",
        "suspended_before_effect",
        "less than 1 day",
        "6 hours before 2019-11-23T00:00:00+09:00; renewed then",
    ),
]


@pytest.mark.parametrize(("quote", "asserts", "expected", "simulated"), REQUIRED)
def test_required_claim_is_present_and_agrees(
    quote: str, asserts: str, expected: str, simulated: str
) -> None:
    results = by_quote(check_claims(load_claims(SEEDS)))
    assert quote in results, sorted(results)
    [result] = [r for r in results[quote] if r.asserts == asserts]
    assert expected in result.expected
    assert simulated in result.simulated
    assert result.ok, result


def test_any_time_regardless_of_the_date_under_immediate_and_remaining() -> None:
    results = {r.id: r for r in check_claims(load_claims(SEEDS))}
    # Korea Times, Fri 7 Aug 2020: spokesman Kim In-chul "said Tuesday" (4 Aug 2020) the
    # government "could end the pact ... at any time regardless of the date": resuming the
    # suspended notice that day ends the pact at once under `immediate`...
    immediate = results["koreatimes-any-time-immediate"]
    assert immediate.ok and "terminated 2020-08-04T00:00:00+09:00, at the resumption" in (
        immediate.simulated
    )
    # ... and six hours later under `remaining` (six hours were left on 22 Nov 2019 at 18:00,
    # facts/treaties.md), within the day;
    remaining = results["koreatimes-any-time-remaining"]
    assert remaining.ok and "terminated 2020-08-04T06:00:00+09:00, 6 hours later" in (
        remaining.simulated
    )
    # ... and also after the 2020 deadline (25 Aug 2020 00:00 KST): "regardless of the date".
    late = results["koreatimes-any-time-after-deadline"]
    assert late.ok and "terminated 2020-09-01T00:00:00+09:00, at the resumption" in late.simulated


def test_claims_table_shows_claim_article_simulated_and_verdict(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["claims", "--seeds", str(SEEDS)])
    out = capsys.readouterr().out
    assert code == 0
    header = out.splitlines()[0].split()
    assert {"claim", "article", "simulated", "verdict"} <= set(header)
    assert "agrees" in out and "DISAGREES" not in out


# --- a wrong rule fails -----------------------------------------------------------------------


def test_an_89_day_notice_fails_the_90_days_in_advance_claim() -> None:
    # Korea Times, 7 Aug 2020: "terminate the deal 90 days in advance": an 89-day notice
    # puts the 2020 deadline at 26 Aug, 89 days before 23 Nov.
    assert "koreatimes-90-days-in-advance" in failing(with_clause(notice=Duration(days=89)))


def test_a_wrong_entry_into_force_fails_the_date_claims() -> None:
    gsomia = builtin("gsomia")
    wrong = gsomia.model_copy(update={"in_force": date(2016, 11, 22)})
    failed = failing(wrong)
    # With terms of one year from 22 Nov 2016, the 2019 term would end at 00:00 KST on
    # 22 Nov 2019, against: Arirang "midnight November 23, Korea time"; KBS "the November 22
    # termination"; Bangkok "six days left" (on 17 Nov) and "expire on Saturday" (23 Nov);
    # Korea Times "It will expire Nov. 22." and "at the last minute" (the suspension at
    # 18:00 on 22 Nov would come after the end).
    assert {
        "arirang-expires-midnight-november-23",
        "kbs-november-22-termination",
        "bangkok-six-days-left",
        "bangkok-expire-on-saturday",
        "koreatimes-expires-nov-22",
        "koreatimes-extended-at-the-last-minute",
    } <= failed


def test_a_two_year_renewal_fails_every_year_and_nov_22() -> None:
    # Korea Times, 7 Aug 2020: "automatically renewed every year" and "It will expire
    # Nov. 22." (2020): with two-year renewals the term running in 2020 ends in 2021.
    failed = failing(with_clause(renewal=Duration(months=24)))
    assert {"koreatimes-renewed-every-year", "koreatimes-expires-nov-22"} <= failed


def test_a_two_year_first_term_fails_every_year() -> None:
    # Korea Times, 7 Aug 2020: "automatically renewed every year"; art. 21(3): "in force for
    # a period of one year": a first term of two years is not what the article describes.
    assert "koreatimes-renewed-every-year" in failing(with_clause(term=Duration(months=24)))


def test_a_disagreeing_claim_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    claims = seeds / "claims.yaml"
    # Yonhap (Bangkok), 17 Nov 2019, says "six days": seven must disagree.
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("expected: 6d", "expected: 7d"),
        encoding="utf-8",
    )
    code = main(["claims", "--seeds", str(seeds)])
    out = capsys.readouterr().out
    assert code == 1
    assert "DISAGREES" in out


# --- the claims file ----------------------------------------------------------------------


def test_a_missing_seeds_folder_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["claims", "--seeds", str(tmp_path / "nowhere")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"{tmp_path / 'nowhere'}:1:1: ")
    assert "Traceback" not in err


def test_a_missing_claims_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        load_claims(tmp_path)
    assert str(raised.value).startswith(f"{tmp_path / 'claims.yaml'}:1:1: (file): ")


def test_a_bad_claims_file_gives_located_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    claims = seeds / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    text = text.replace("expected: November\n", "expected: Novembre\n", 1)
    text = text.replace("quote: the three-year-old pact", "quote: the four-year-old pact", 1)
    text = text.replace("    timeline: history\n", "    timelin: history\n", 1)
    claims.write_text(text, encoding="utf-8")
    code = main(["claims", "--seeds", str(seeds)])
    lines = capsys.readouterr().err.splitlines()
    assert code == 2
    assert all(line.startswith(f"{claims}:") for line in lines), lines
    joined = "\n".join(lines)
    assert "claims[1].expected: for notice_effect_in: 'Novembre' is not a period" in joined
    assert "claims[0].timelin: unknown field 'timelin'; did you mean 'timeline'?" in joined
    assert "quote: not found verbatim in 004_9bb8d9a62761c524.txt" in joined


def test_a_wrong_weekday_for_an_as_of_date_is_an_error(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    claims = seeds / "claims.yaml"
    # Korea Times, Fri 7 Aug 2020: "said Tuesday" is 4 Aug 2020; 5 Aug is a Wednesday.
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("as_of: 2020-08-04", "as_of: 2020-08-05", 1),
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as raised:
        load_claims(seeds)
    assert any(
        e.field.endswith(".weekday") and "2020-08-05 is a Wednesday, not a Tuesday" in e.message
        for e in raised.value.errors
    )


def test_a_seed_article_without_an_entry_is_an_error(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "005_new.txt").write_text("A new article.", encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        load_claims(seeds)
    assert [e.field for e in raised.value.errors] == ["articles"]


# --- the calendar phrases -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "as_of", "first", "last"),
    [
        # Yonhap, Thu 29 Aug 2019, "decided last week": Monday 19 to Sunday 25 August.
        ("last week", date(2019, 8, 29), date(2019, 8, 19), date(2019, 8, 25)),
        # Yonhap, 29 Aug 2019, "will become invalid in November": November 2019.
        ("November", date(2019, 8, 29), date(2019, 11, 1), date(2019, 11, 30)),
        # Yonhap (Bangkok), Sun 17 Nov 2019, "In August": August 2019.
        ("August", date(2019, 11, 17), date(2019, 8, 1), date(2019, 8, 31)),
        # Yonhap (Bangkok), Sun 17 Nov 2019, "to expire on Saturday": 23 Nov 2019.
        ("Saturday", date(2019, 11, 17), date(2019, 11, 23), date(2019, 11, 23)),
        # Korea Times, 7 Aug 2020, "It will expire Nov. 22.": 22 Nov 2020.
        ("Nov. 22", date(2020, 8, 7), date(2020, 11, 22), date(2020, 11, 22)),
        # Korea Times, 7 Aug 2020, "last year when Korea sought to terminate": 2019.
        ("last year", date(2020, 8, 7), date(2019, 1, 1), date(2019, 12, 31)),
        # Yonhap, 29 Aug 2019, "signed in 2016".
        ("2016", date(2019, 8, 29), date(2016, 1, 1), date(2016, 12, 31)),
    ],
)
def test_a_phrase_names_the_dates_a_reader_would_read(
    phrase: str, as_of: date, first: date, last: date
) -> None:
    period = resolve_period(phrase, as_of)
    assert (period.first, period.last) == (first, last)


def test_an_unknown_phrase_is_refused() -> None:
    with pytest.raises(ValueError, match="is not a period"):
        resolve_period("soon", date(2019, 11, 17))
