"""Every way a claim check can fail, fails: for each kind of claim, a timeline or a treaty
under which the seed claim must disagree, and the exact words the verdict gives (issue 12:
"a checker that passes a wrong answer is worse than none"; found missing by the mutation
run of sim/claims.py, docs/properties.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sim.claims import ClaimResult, Claims, Kind, check_claims, load_claims
from sim.claims_vocabulary import resolve_period
from sim.core.dates import Duration
from sim.core.model import Action, Clause, Interpretation, Treaty
from sim.library import builtin

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CLAIMS = load_claims(SEEDS)
GSOMIA = builtin("gsomia")


def with_history(*actions: dict[str, Any]) -> Claims:
    """The claims, with the record timeline's actions replaced."""
    spec = CLAIMS.timelines["history"]
    scenario = spec.scenario.model_copy(
        update={"actions": [Action.model_validate(a) for a in actions]}
    )
    timelines = {**CLAIMS.timelines, "history": replace(spec, scenario=scenario)}
    return replace(CLAIMS, timelines=timelines)


def verdict(
    claim_id: str, claims: Claims = CLAIMS, treaty: Treaty | None = None, **changes: Any
) -> ClaimResult:
    [claim] = [c for c in claims.claims if c.id == claim_id]
    [result] = check_claims(replace(claims, claims=(replace(claim, **changes),)), treaty)
    # A verdict is always whole: a yes or no, and both values in words.
    assert isinstance(result.ok, bool)
    assert isinstance(result.expected, str) and result.expected
    assert isinstance(result.simulated, str) and result.simulated
    return result


def gsomia(**changes: Any) -> Treaty:
    return GSOMIA.model_copy(update=changes)


def clause(**fields: str) -> Treaty:
    return gsomia(clause=Clause.model_validate(fields))


NOTICE_CLAIMS = [
    "yonhap-decided-last-week",
    "yonhap-invalid-in-november",
    "arirang-expires-midnight-november-23",
    "kbs-less-than-two-weeks",
    "kbs-november-22-termination",
    "bangkok-six-days-left",
    "bangkok-expire-on-saturday",
]


# Without a notice, no claim about "the notice" can agree, and the verdict says why.
@pytest.mark.parametrize("claim_id", NOTICE_CLAIMS)
def test_a_claim_about_the_notice_fails_without_one(claim_id: str) -> None:
    result = verdict(claim_id, with_history())
    assert not result.ok
    assert result.simulated == "no notice given"


# PRODUCT.md, "Actions": a notice by one that is not a party is rejected; the verdict quotes
# the rejection.
@pytest.mark.parametrize("claim_id", NOTICE_CLAIMS)
def test_a_claim_about_a_rejected_notice_fails_and_quotes_the_reason(claim_id: str) -> None:
    result = verdict(claim_id, with_history({"at": "2019-08-23", "by": "US", "do": "notify"}))
    assert not result.ok
    assert result.simulated.startswith("no notice given: rejected, ")


# Korea Times: "90 days in advance". A clause with no renewal notice (a withdrawal clause)
# has no deadline at all: the claim fails.
def test_ninety_days_in_advance_fails_without_a_renewal_notice() -> None:
    result = verdict("koreatimes-90-days-in-advance", treaty=clause(withdrawal="3mo"))
    assert not result.ok
    assert result.simulated == "no notice deadline (the clause has no renewal notice)"


def test_ninety_days_in_advance_shows_the_term_of_the_as_of_date() -> None:
    # As of 7 August 2020, term 4 (23 Nov 2019 to 23 Nov 2020); 8 terms to the horizon 2024.
    result = verdict("koreatimes-90-days-in-advance")
    assert result.ok
    assert result.simulated == (
        "term 4: deadline 2020-08-25T00:00:00+09:00, 90 days before "
        "2020-11-23T00:00:00+09:00 (so for all 8 terms)"
    )
    # Before entry into force no term runs: the first is shown.
    early = verdict("koreatimes-90-days-in-advance", as_of=date(2016, 1, 1))
    assert early.simulated.startswith("term 1: deadline 2017-08-25T00:00:00+09:00")


def test_an_89_day_notice_is_shown_as_such() -> None:
    result = verdict(
        "koreatimes-90-days-in-advance", treaty=clause(term="1y", renewal="1y", notice="89d")
    )
    assert not result.ok
    assert result.simulated == (
        "term 1: deadline 2017-08-26T00:00:00+09:00, 89 days before its end "
        "2017-11-23T00:00:00+09:00"
    )


# "The three-year-old pact" (in force 23 November 2016), to the nearest year: from 00:00 on
# 23 May 2019 (two years and six months) it is three; the day before, two.
@pytest.mark.parametrize(
    ("as_of", "agrees", "shown"),
    [
        (date(2019, 5, 23), True, "2 years 181 days since 2016-11-23 (nearest whole years: 3)"),
        (date(2019, 5, 22), False, "2 years 180 days since 2016-11-23 (nearest whole years: 2)"),
        (date(2019, 11, 23), True, "3 years 0 days since 2016-11-23 (nearest whole years: 3)"),
        (date(2019, 11, 22), True, "2 years 364 days since 2016-11-23 (nearest whole years: 3)"),
        (date(2020, 5, 23), False, "3 years 182 days since 2016-11-23 (nearest whole years: 4)"),
    ],
)
def test_three_years_old_to_the_nearest_year(as_of: date, agrees: bool, shown: str) -> None:
    result = verdict("bangkok-three-year-old-pact", as_of=as_of)
    assert (result.ok, result.simulated) == (agrees, shown)


def test_an_age_before_entry_into_force_fails() -> None:
    result = verdict("bangkok-three-year-old-pact", as_of=date(2016, 11, 22))
    assert not result.ok
    assert result.simulated == "not yet in force (from 2016-11-23T00:00:00+09:00)"
    on_the_day = verdict("bangkok-three-year-old-pact", as_of=date(2016, 11, 23), expected=0)
    assert on_the_day.ok
    assert on_the_day.simulated == "0 years 0 days since 2016-11-23 (nearest whole years: 0)"


# Korea Times: "automatically renewed every year". A fixed term of one year, not renewed,
# expires: the claim fails on that term; a pact that ends in its first term was never
# renewed: the claim fails too.
def test_renewed_every_year_fails_for_a_term_that_expires() -> None:
    result = verdict("koreatimes-renewed-every-year", treaty=clause(term="1y"))
    assert not result.ok
    assert result.simulated == "term 1: expired"


def test_renewed_every_year_fails_with_no_renewal_at_all() -> None:
    # A notice on 1 January 2017 ends the pact at 00:00 KST on 23 November 2017.
    claims = with_history({"at": "2017-01-01", "by": "KR", "do": "notify"})
    result = verdict("koreatimes-renewed-every-year", claims)
    assert not result.ok
    assert result.simulated == "0 automatic renewals; each of 1 terms lasts 1y"


def test_renewed_every_year_fails_for_two_year_terms_and_shows_the_first() -> None:
    result = verdict("koreatimes-renewed-every-year", treaty=clause(term="2y", renewal="2y"))
    assert not result.ok
    assert result.simulated == "term 1 runs 2016-11-23T00:00:00+09:00 to 2018-11-23T00:00:00+09:00"
    later = verdict("koreatimes-renewed-every-year", treaty=clause(term="1y", renewal="2y"))
    assert later.simulated == "term 2 runs 2017-11-23T00:00:00+09:00 to 2019-11-23T00:00:00+09:00"


def test_signed_in_fails_without_a_signing_date() -> None:
    result = verdict("yonhap-signed-in-2016", treaty=gsomia(signed=None))
    assert not result.ok
    assert result.simulated == "Korea–Japan GSOMIA: no signing date"
    assert not verdict("yonhap-signed-in-2016", treaty=gsomia(signed=date(2015, 12, 31))).ok


# Korea Times, 7 Aug 2020: "It will expire Nov. 22." read on the day a term begins (23
# November 2019: term 4, last day 22 November 2020) and on the day before (term 3, last day
# 22 November 2019).
@pytest.mark.parametrize(
    ("as_of", "last_day"),
    [(date(2019, 11, 23), "2020-11-22"), (date(2019, 11, 22), "2019-11-22")],
)
def test_the_term_running_on_a_day_begins_at_its_start(as_of: date, last_day: str) -> None:
    expected = resolve_period(last_day, as_of)
    result = verdict("koreatimes-expires-nov-22", as_of=as_of, expected=expected)
    assert result.ok
    assert result.simulated.endswith(f"last day in force {last_day}")
    other = "2019-11-22" if last_day == "2020-11-22" else "2020-11-22"
    wrong = resolve_period(other, as_of)
    assert not verdict("koreatimes-expires-nov-22", as_of=as_of, expected=wrong).ok


def test_a_term_last_day_fails_when_no_term_runs() -> None:
    result = verdict("koreatimes-expires-nov-22", as_of=date(2016, 1, 1))
    assert not result.ok
    assert result.simulated == "no term with an end in force on 2016-01-01"
    indefinite = verdict("koreatimes-expires-nov-22", treaty=clause(withdrawal="3mo"))
    assert not indefinite.ok


def test_a_suspension_shown_to_the_minute() -> None:
    claims = with_history(
        {"at": "2019-08-23", "by": "KR", "do": "notify"},
        {"at": "2019-11-22T18:30", "by": "KR", "do": "suspend_notice"},
    )
    result = verdict("koreatimes-extended-at-the-last-minute", claims)
    assert result.ok
    assert result.simulated == (
        "suspended 2019-11-22T18:30:00+09:00, 5 hours, 30 minutes before "
        "2019-11-23T00:00:00+09:00; renewed then"
    )


def test_a_resumption_that_is_refused_is_quoted() -> None:
    spec = CLAIMS.timelines["resumed_2020_08_04_immediate"]
    actions = [
        Action.model_validate({"at": "2019-08-23", "by": "KR", "do": "notify"}),
        Action.model_validate({"at": "2020-08-04", "by": "KR", "do": "resume_notice"}),
    ]
    timelines = {
        **CLAIMS.timelines,
        "resumed_2020_08_04_immediate": replace(
            spec, scenario=spec.scenario.model_copy(update={"actions": actions})
        ),
    }
    result = verdict("koreatimes-any-time-immediate", replace(CLAIMS, timelines=timelines))
    assert not result.ok
    assert result.expected == "ends less than 1 day after the notice's resumption"
    assert "no notice resumed: rejected, " in result.simulated


def test_a_resumption_that_leaves_the_pact_in_force_fails() -> None:
    # Under `fresh`, a resumption on 1 September 2020 is a notice too late for 2020 (deadline
    # 25 August), so the pact is still in force at the what-if's horizon, 1 January 2021.
    spec = CLAIMS.timelines["resumed_2020_09_01_immediate"]
    scenario = spec.scenario.model_copy(update={"interpretation": Interpretation.FRESH})
    timelines = {
        **CLAIMS.timelines,
        "resumed_2020_09_01_immediate": replace(spec, scenario=scenario),
    }
    result = verdict("koreatimes-any-time-after-deadline", replace(CLAIMS, timelines=timelines))
    assert not result.ok
    assert result.simulated.endswith(
        "resumed 2020-09-01T00:00:00+09:00; still in force at the horizon "
        "2021-01-01T00:00:00+09:00 (resumed notice read as fresh)"
    )


def test_the_json_of_a_claim() -> None:
    result = verdict("bangkok-six-days-left")
    assert result.as_json() == {
        "article": "004_9bb8d9a62761c524.txt",
        "quote": "just six days left to go before the planned expiry",
        "asserts": "days_to_notice_effect",
        "expected": "6 days from 2019-11-17",
        "simulated": "6 days from 2019-11-17 to 2019-11-23T00:00:00+09:00",
        "ok": True,
        "hypothetical": None,
        "off_by": None,
    }


def test_durations_of_claims_are_read_as_written() -> None:
    assert verdict("koreatimes-renewed-every-year", expected=Duration(months=12)).ok
    assert not verdict("koreatimes-renewed-every-year", expected=Duration(days=365)).ok


# A zone west of UTC: 00:00 on an as-of date in New York is 05:00 UTC, so reading the date
# at UTC midnight would put it in the day before. GSOMIA's dates moved to New York: the term
# that begins at 00:00 on 23 November 2019 (term 4, last day 22 November 2020) is the one
# running on that date; the pact is three years old on it (PRODUCT.md, "Time": a date is
# 00:00 local in the treaty's zone).
NEW_YORK = gsomia(timezone="America/New_York")


def test_the_as_of_date_is_read_in_the_treaty_zone() -> None:
    as_of = date(2019, 11, 23)
    expected = resolve_period("2020-11-22", as_of)
    result = verdict("koreatimes-expires-nov-22", treaty=NEW_YORK, as_of=as_of, expected=expected)
    assert result.ok, result
    age = verdict("bangkok-three-year-old-pact", treaty=NEW_YORK, as_of=as_of)
    assert age.simulated == "3 years 0 days since 2016-11-23 (nearest whole years: 3)"
    period = verdict("koreatimes-90-days-in-advance", treaty=NEW_YORK, as_of=as_of)
    assert period.simulated.startswith("term 4: deadline 2020-08-25T00:00:00-04:00")


def test_a_verdict_against_the_claim_says_false_not_nothing() -> None:
    assert verdict("yonhap-decided-last-week", with_history()).ok is False
    assert verdict("koreatimes-renewed-every-year", treaty=clause(term="1y")).ok is False


# One renewal is enough for "renewed every year": a notice on 1 January 2018 ends the pact
# at 00:00 KST on 23 November 2018, after the renewal of 23 November 2017.
def test_one_renewal_is_renewed_every_year() -> None:
    claims = with_history({"at": "2018-01-01", "by": "KR", "do": "notify"})
    result = verdict("koreatimes-renewed-every-year", claims)
    assert result.ok
    assert result.simulated == "1 automatic renewals; each of 2 terms lasts 1y"


# The suspended notice is the party's own pending notice, whatever else that party did in
# between (Russia's kind of "suspension" of operation, PRODUCT.md "Actions", changes nothing).
def test_the_suspended_notice_is_the_party_s_notice() -> None:
    claims = with_history(
        {"at": "2019-08-23", "by": "KR", "do": "notify"},
        {"at": "2019-09-01", "by": "KR", "do": "suspend_operation"},
        {"at": "2019-11-22T18:00", "by": "KR", "do": "suspend_notice"},
    )
    result = verdict("koreatimes-extended-at-the-last-minute", claims)
    assert result.ok, result


def test_a_suspension_that_is_refused_is_quoted() -> None:
    claims = with_history({"at": "2019-11-22T18:00", "by": "KR", "do": "suspend_notice"})
    result = verdict("koreatimes-extended-at-the-last-minute", claims)
    assert result.ok is False
    assert result.simulated.startswith("no notice suspended: rejected, ")
    assert result.expected == "suspended less than 1 day before the effect, then renewed"


def test_a_suspension_in_the_last_minute_is_shown_as_such() -> None:
    claims = with_history(
        {"at": "2019-08-23", "by": "KR", "do": "notify"},
        {"at": "2019-11-22T23:59:30", "by": "KR", "do": "suspend_notice"},
    )
    result = verdict("koreatimes-extended-at-the-last-minute", claims)
    assert result.simulated == (
        "suspended 2019-11-22T23:59:30+09:00, less than a minute before "
        "2019-11-23T00:00:00+09:00; renewed then"
    )


# `terminated_in`: the notice of 23 August 2019, left standing, ends GSOMIA at 00:00 KST on
# 23 November 2019 (PRODUCT.md, "Time"); suspended (the record), the pact goes on.
def test_terminated_in() -> None:
    standing = with_history({"at": "2019-08-23", "by": "KR", "do": "notify"})
    november = resolve_period("November", date(2019, 8, 29))
    result = verdict(
        "yonhap-invalid-in-november", standing, kind=Kind.TERMINATED_IN, expected=november
    )
    assert result.ok
    assert result.expected == "ends in November (2019-11)"
    assert result.simulated == (
        "terminated 2019-11-23T00:00:00+09:00 (resumed notice read as remaining)"
    )
    october = resolve_period("October", date(2019, 8, 29))
    assert not verdict(
        "yonhap-invalid-in-november", standing, kind=Kind.TERMINATED_IN, expected=october
    ).ok
    record = verdict("yonhap-invalid-in-november", kind=Kind.TERMINATED_IN, expected=november)
    assert record.ok is False
    assert record.simulated == "still in force at the horizon 2024-01-01T00:00:00+09:00"
