"""The rule kernel, called with plain values: each decision returns exactly its answer and the
basis it was reached from (which the run records and ``explain`` formats), or exactly its
refusal, with the guard and the reason the timeline records (PRODUCT.md, "Actions": a
``rejected`` event carries the reason)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import fixtures
import pytest

from sim.core import kernel
from sim.core.dates import Duration
from sim.core.kernel import (
    ExtensionBasis,
    Guard,
    JoinBasis,
    NoticeBasis,
    Refusal,
    ResumptionBasis,
    SuspensionBasis,
)
from sim.core.model import Clause, Interpretation, Treaty
from sim.core.rules import Check, Schedule

SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")
TEHRAN = ZoneInfo("Asia/Tehran")
UTC = ZoneInfo("UTC")


def kst(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SEOUL)


def nyc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=NEW_YORK)


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def clause(**fields: object) -> Clause:
    return Clause.model_validate(fields)


# docs/sources.md, GSOMIA: in force 23 November 2016 (Asia/Seoul); art. 21(3): one year,
# "automatically extended annually", "ninety days in advance".
GSOMIA = clause(**fixtures.GSOMIA["clause"])
GSOMIA_IN_FORCE = date(2016, 11, 23)
# docs/sources.md, Paris Agreement: in force 4 November 2016; art. 28: withdrawal one year
# after receipt, "at any time after three years" (the Depositary is in New York).
PARIS = clause(withdrawal="1y", earliest_notice="3y", accession_delay="30d")
PARIS_IN_FORCE = date(2016, 11, 4)
# docs/sources.md, New START: in force 5 February 2011; art. XIV: ten years, extendable "for a
# period of no more than five years" (sim/treaties/new_start.yaml); three months' withdrawal.
NEW_START = clause(term="10y", withdrawal="3mo", max_extension="5y")
NEW_START_IN_FORCE = date(2011, 2, 5)


def schedule(subject: Clause, in_force: date, tz: ZoneInfo) -> Schedule:
    return Schedule.of(subject, in_force, tz)


# --- may a notice be given -------------------------------------------------------------------


def test_a_clause_without_an_exit_refuses_every_notice_with_its_reason() -> None:
    # PRODUCT.md, "The clause": "A clause with neither notice nor withdrawal allows no
    # unilateral exit: a notice is rejected." New START's ten years without art. XIV(3).
    fixed = clause(term="10y")
    refused = kernel.may_give_notice(
        fixed,
        schedule(fixed, NEW_START_IN_FORCE, UTC),
        utc(2015, 1, 1),
        1,
        NEW_START_IN_FORCE,
        UTC,
    )
    assert refused == Refusal(
        Guard.CLAUSE_ALLOWS_EXIT, "the clause allows no unilateral exit (no notice or withdrawal)"
    )


def test_a_window_on_a_fixed_cycle_counts_from_the_treaty_by_default() -> None:
    # docs/sources.md, ILO Convention No. 158: in force 23 November 1985 (Europe/Zurich),
    # denunciation in windows of one year every ten years (sim/treaties/ilo_c158.yaml);
    # Brazil, in force for it 5 January 1996, denounced on 20 November 1996, inside the first
    # window counted from the treaty, [1995-11-23, 1996-11-23) (PRODUCT.md 0.3, "Windows on a
    # fixed cycle": `from` defaults to `treaty`). Counted from Brazil's own date it would be
    # refused.
    zurich = ZoneInfo("Europe/Zurich")
    ilo = clause(withdrawal="1y", notice_window={"every": "10y", "open_for": "1y"})
    in_force, brazil = date(1985, 11, 23), date(1996, 1, 5)
    given = datetime(1996, 11, 20, tzinfo=zurich)
    terms = schedule(ilo, in_force, zurich)
    assert kernel.may_give_notice(ilo, terms, given, 1, brazil, zurich) is None


# --- what a notice comes to ------------------------------------------------------------------


def test_a_withdrawal_takes_effect_a_period_after_receipt() -> None:
    # docs/sources.md, Paris: the US notice of 4 November 2019 took effect 4 November 2020.
    terms = schedule(PARIS, PARIS_IN_FORCE, NEW_YORK)
    basis = kernel.notice(PARIS, terms, nyc(2019, 11, 4), 1, PARIS_IN_FORCE, NEW_YORK)
    assert basis == NoticeBasis(
        nyc(2019, 11, 4),
        1,
        nyc(2020, 11, 4),
        nyc(2020, 11, 4),
        period_end=nyc(2020, 11, 4),
        boundary=nyc(2020, 11, 4),
        not_before=None,
    )
    assert isinstance(basis, NoticeBasis) and basis.dated and basis.effect == nyc(2020, 11, 4)


def test_a_withdrawal_waits_for_the_earliest_effect() -> None:
    # sim/treaties/treaty_of_amity.yaml: in force 16 June 1957, one year's notice, effect "at
    # the end of the initial ten-year period or at any time thereafter" (earliest_effect 10y,
    # 16 June 1967, 00:00 in Tehran). A notice in its first year (PRODUCT.md 0.2, "Earliest
    # effect": the later of the rule's effect and that instant) takes effect then.
    amity = clause(withdrawal="1y", earliest_effect="10y")
    in_force = date(1957, 6, 16)
    given = datetime(1958, 1, 10, tzinfo=TEHRAN)
    basis = kernel.notice(amity, schedule(amity, in_force, TEHRAN), given, 1, in_force, TEHRAN)
    earliest = datetime(1967, 6, 16, tzinfo=TEHRAN)
    assert basis == NoticeBasis(
        given,
        1,
        datetime(1959, 1, 10, tzinfo=TEHRAN),
        earliest,
        period_end=datetime(1959, 1, 10, tzinfo=TEHRAN),
        boundary=datetime(1959, 1, 10, tzinfo=TEHRAN),
        not_before=earliest,
    )
    # docs/sources.md-backed dates of the yaml: the US notice of 3 October 2018, effective
    # 3 October 2019, long after the earliest effect.
    late = kernel.notice(
        amity,
        schedule(amity, in_force, TEHRAN),
        datetime(2018, 10, 3, tzinfo=TEHRAN),
        1,
        in_force,
        TEHRAN,
    )
    assert isinstance(late, NoticeBasis)
    assert (late.effect, late.not_before) == (datetime(2019, 10, 3, tzinfo=TEHRAN), earliest)


def test_a_renewal_notice_in_time_stops_the_running_term() -> None:
    # PRODUCT.md, "Counting": a notice on 2019-08-24 stops the renewal at
    # 2019-11-23T00:00+09:00 (deadline 2019-08-25T00:00+09:00).
    terms = schedule(GSOMIA, GSOMIA_IN_FORCE, SEOUL)
    basis = kernel.notice(GSOMIA, terms, kst(2019, 8, 24), 3, GSOMIA_IN_FORCE, SEOUL)
    assert basis == NoticeBasis(
        kst(2019, 8, 24),
        3,
        kst(2019, 11, 23),
        kst(2019, 11, 23),
        target=3,
        checks=(Check(3, kst(2019, 8, 25), True),),
        not_before=None,
        late_for=None,
    )


def test_a_late_renewal_notice_stops_the_next_renewal_and_says_what_it_was_late_for() -> None:
    # PRODUCT.md, "Counting": a notice on 2019-08-25 is late for 2019-11-23; late_notice
    # next_term: it stops the renewal at the next end, 2020-11-23 (deadline 2020-08-25).
    terms = schedule(GSOMIA, GSOMIA_IN_FORCE, SEOUL)
    basis = kernel.notice(GSOMIA, terms, kst(2019, 8, 25), 3, GSOMIA_IN_FORCE, SEOUL)
    assert basis == NoticeBasis(
        kst(2019, 8, 25),
        3,
        kst(2020, 11, 23),
        kst(2020, 11, 23),
        target=4,
        checks=(Check(3, kst(2019, 8, 25), False), Check(4, kst(2020, 8, 25), True)),
        not_before=None,
        late_for=kst(2019, 11, 23),
    )


def test_a_late_notice_under_void_is_refused_with_the_deadline() -> None:
    # PRODUCT.md, "The clause": late_notice void: "a late notice has no effect (recorded as
    # rejected)"; the 2019 deadline is 2019-08-25T00:00+09:00 ("Counting").
    void = clause(term="1y", renewal="1y", notice="90d", late_notice="void")
    terms = schedule(void, GSOMIA_IN_FORCE, SEOUL)
    refused = kernel.notice(void, terms, kst(2019, 8, 25), 3, GSOMIA_IN_FORCE, SEOUL)
    assert refused == Refusal(
        Guard.NOTICE_NOT_VOID,
        "late: the deadline to stop this renewal was 2019-08-25T00:00:00+09:00, "
        "and the clause makes a late notice void",
    )


def test_a_renewal_notice_waits_for_the_first_end_after_the_earliest_effect() -> None:
    # PRODUCT.md 0.2, "Earliest effect": the later of the rule's effect and in_force + the
    # duration. GSOMIA's dates with earliest_effect 2y (2018-11-23): a notice in time for the
    # first term's end (2017-11-23) stops the renewal at the end of the second.
    waiting = clause(term="1y", renewal="1y", notice="90d", earliest_effect="2y")
    terms = schedule(waiting, GSOMIA_IN_FORCE, SEOUL)
    basis = kernel.notice(waiting, terms, kst(2017, 3, 1), 1, GSOMIA_IN_FORCE, SEOUL)
    assert basis == NoticeBasis(
        kst(2017, 3, 1),
        1,
        kst(2017, 11, 23),
        kst(2018, 11, 23),
        target=2,
        checks=(Check(1, kst(2017, 8, 25), True),),
        not_before=kst(2018, 11, 23),
        late_for=None,
    )


# --- a notice naming its date ----------------------------------------------------------------


def paris_notice() -> NoticeBasis:
    # docs/sources.md, Paris: notice 4 November 2019, effective 4 November 2020.
    terms = schedule(PARIS, PARIS_IN_FORCE, NEW_YORK)
    basis = kernel.notice(PARIS, terms, nyc(2019, 11, 4), 1, PARIS_IN_FORCE, NEW_YORK)
    assert isinstance(basis, NoticeBasis)
    return basis


def test_a_notice_may_name_a_later_date_read_in_the_treaty_zone() -> None:
    # PRODUCT.md 0.2, "Notice naming a later date": a date means 00:00 local.
    basis = paris_notice()
    named = kernel.named_effect(basis, "2021-01-20", NEW_YORK)
    assert isinstance(named, NoticeBasis)
    assert named.named == nyc(2021, 1, 20)
    assert named.effect == nyc(2021, 1, 20)
    assert named.dated


def test_a_notice_may_name_exactly_the_clause_effect() -> None:
    # PRODUCT.md 0.2: the named date applies "if that is not earlier than the clause's own
    # effect": the clause's own effect itself is not earlier.
    basis = paris_notice()
    named = kernel.named_effect(basis, "2020-11-04", NEW_YORK)
    assert isinstance(named, NoticeBasis)
    assert named.named == nyc(2020, 11, 4)


def test_a_notice_naming_an_earlier_date_is_refused_with_both_dates() -> None:
    basis = paris_notice()
    refused = kernel.named_effect(basis, "2020-11-03", NEW_YORK)
    assert refused == Refusal(
        Guard.EFFECTIVE_NOT_EARLIER,
        "the notice names 2020-11-03T00:00:00-05:00, earlier than the clause allows "
        "(2020-11-04T00:00:00-05:00): a notice may name a later date only",
    )


# --- suspension and resumption --------------------------------------------------------------


# docs/sources.md, GSOMIA: notice of 23 August 2019, effect 2019-11-23T00:00 KST, suspended
# 22 November 2019 about 18:00 KST, six hours before.
SUSPENDED_AT = kst(2019, 11, 22, 18)
EFFECT = kst(2019, 11, 23)


def test_an_untimed_suspension_keeps_the_time_left() -> None:
    basis = kernel.suspension(SUSPENDED_AT, EFFECT, None, None, SEOUL)
    assert basis == SuspensionBasis(SUSPENDED_AT, EFFECT, timedelta(hours=6), None, None)


def test_a_suspension_for_a_time_ends_by_itself() -> None:
    # PRODUCT.md 0.2, "Timed suspension": with `for: DURATION` the notice resumes by itself.
    basis = kernel.suspension(SUSPENDED_AT, EFFECT, Duration(days=30), None, SEOUL)
    assert basis == SuspensionBasis(
        SUSPENDED_AT,
        EFFECT,
        timedelta(hours=6),
        kst(2019, 12, 22, 18),
        "2019-11-22T18:00:00+09:00 + 30d",
    )


def test_a_suspension_until_a_date_ends_then() -> None:
    # PRODUCT.md 0.2, "Timed suspension": `until: DATE` (00:00 local); PRODUCT.md's resume
    # example, 2020-08-10.
    basis = kernel.suspension(SUSPENDED_AT, EFFECT, None, date(2020, 8, 10), SEOUL)
    assert basis == SuspensionBasis(
        SUSPENDED_AT, EFFECT, timedelta(hours=6), kst(2020, 8, 10), "until 2020-08-10"
    )


def test_a_suspended_notice_is_suspended_again_only_for_a_time() -> None:
    # PRODUCT.md 0.2, "Timed suspension": a suspended notice may be suspended again to set
    # the suspension's new end; without one there is nothing to do.
    refused = kernel.suspension(SUSPENDED_AT, None, None, None, SEOUL)
    assert refused == Refusal(
        Guard.TIMED_SUSPENSION,
        "the notice is already suspended (a new suspension needs 'for' or 'until')",
    )
    again = kernel.suspension(SUSPENDED_AT, None, None, date(2020, 8, 10), SEOUL)
    assert again == SuspensionBasis(SUSPENDED_AT, None, None, kst(2020, 8, 10), "until 2020-08-10")


@pytest.mark.parametrize("until", ["2019-11-22T18:00", "2019-11-22"])
def test_a_suspension_must_end_after_it_begins(until: str) -> None:
    # PRODUCT.md 0.2, "Timed suspension": the suspension ends at `until`, which must come
    # after it begins: at the same instant, or before, it would not hold the notice at all.
    refused = kernel.suspension(SUSPENDED_AT, EFFECT, None, until, SEOUL)
    end = "2019-11-22T18:00:00+09:00" if "T" in until else "2019-11-22T00:00:00+09:00"
    assert refused == Refusal(
        Guard.SUSPENSION_ENDS_LATER, f"the suspension would end at {end}, not after it begins"
    )


# docs/sources.md, GSOMIA: resumed (PRODUCT.md's example) on 2020-08-10.
RESUMED_AT = kst(2020, 8, 10)


def test_an_immediate_resumption_takes_effect_at_once() -> None:
    suspension = SuspensionBasis(SUSPENDED_AT, EFFECT, timedelta(hours=6), None)
    decision = kernel.resumption(Interpretation.IMMEDIATE, RESUMED_AT, suspension, None)
    assert decision == ResumptionBasis(RESUMED_AT, Interpretation.IMMEDIATE, RESUMED_AT)


def test_a_remaining_resumption_takes_effect_after_the_time_left() -> None:
    # PRODUCT.md, "Interpretations": remaining: six hours after resumption.
    suspension = SuspensionBasis(SUSPENDED_AT, EFFECT, timedelta(hours=6), None)
    decision = kernel.resumption(Interpretation.REMAINING, RESUMED_AT, suspension, None)
    assert decision == ResumptionBasis(
        RESUMED_AT, Interpretation.REMAINING, kst(2020, 8, 10, 6), suspension=suspension
    )


def test_a_fresh_resumption_is_a_new_notice() -> None:
    # PRODUCT.md, "Interpretations": fresh: a new notice on 2020-08-10, in time for the 2020
    # deadline (2020-08-25), stops the renewal at 2020-11-23T00:00 KST.
    suspension = SuspensionBasis(SUSPENDED_AT, EFFECT, timedelta(hours=6), None)
    terms = schedule(GSOMIA, GSOMIA_IN_FORCE, SEOUL)
    fresh = kernel.notice(GSOMIA, terms, RESUMED_AT, 4, GSOMIA_IN_FORCE, SEOUL)
    assert isinstance(fresh, NoticeBasis)
    decision = kernel.resumption(Interpretation.FRESH, RESUMED_AT, suspension, fresh)
    assert decision == ResumptionBasis(
        RESUMED_AT, Interpretation.FRESH, kst(2020, 11, 23), fresh=fresh
    )


def test_a_fresh_resumption_that_would_be_void_is_refused_with_the_notice_reason() -> None:
    suspension = SuspensionBasis(SUSPENDED_AT, EFFECT, timedelta(hours=6), None)
    void = Refusal(Guard.NOTICE_NOT_VOID, "late: the deadline was ...")
    decision = kernel.resumption(Interpretation.FRESH, RESUMED_AT, suspension, void)
    assert decision == Refusal(
        Guard.FRESH_NOTICE_NOT_VOID, "as a fresh notice: late: the deadline was ..."
    )


# --- extension -------------------------------------------------------------------------------


def test_an_extension_moves_the_running_term_end() -> None:
    # docs/sources.md, New START: 3 February 2021, extended by five years, to 5 February 2026.
    terms = schedule(NEW_START, NEW_START_IN_FORCE, UTC)
    five = Duration(months=60)
    basis = kernel.extension(NEW_START, terms, utc(2021, 2, 3), 1, None, five, None)
    assert basis == ExtensionBasis(
        utc(2021, 2, 3), 1, utc(2021, 2, 5), utc(2026, 2, 5), five, None, new_day=date(2026, 2, 5)
    )
    assert isinstance(basis, ExtensionBasis) and not basis.moved


def test_an_extension_through_a_day_ends_the_term_at_the_next_midnight_in_the_treaty_zone() -> None:
    # PRODUCT.md, "Actions": through is the new last day in force: the new end is 00:00 of
    # the following day. GSOMIA's third term (ending 2019-11-23) extended through 2020-11-22.
    terms = schedule(GSOMIA, GSOMIA_IN_FORCE, SEOUL)
    through = date(2020, 11, 22)
    basis = kernel.extension(GSOMIA, terms, kst(2019, 6, 1), 3, None, None, through)
    assert basis == ExtensionBasis(
        kst(2019, 6, 1),
        3,
        kst(2019, 11, 23),
        kst(2020, 11, 23),
        None,
        through,
        new_day=date(2020, 11, 23),
    )


def test_an_extension_moves_a_pending_withdrawal_due_before_the_term_end() -> None:
    # PRODUCT.md, "Actions": extend moves "the current end (term, or pending withdrawal)".
    # New START after its extension (end 2026-02-05): a withdrawal due 2021-09-01 moved
    # through 2021-10-31 takes effect 2021-11-01.
    terms = schedule(NEW_START, NEW_START_IN_FORCE, UTC).extended(1, date(2026, 2, 5))
    through = date(2021, 10, 31)
    first = ("RU", utc(2021, 9, 1))
    basis = kernel.extension(NEW_START, terms, utc(2021, 7, 1), 2, first, None, through)
    assert basis == ExtensionBasis(
        utc(2021, 7, 1), 2, utc(2021, 9, 1), utc(2021, 11, 1), None, through, party="RU"
    )
    assert isinstance(basis, ExtensionBasis) and basis.moved
    three = Duration(months=3)
    by_period = kernel.extension(NEW_START, terms, utc(2021, 7, 1), 2, first, three, None)
    assert by_period == ExtensionBasis(
        utc(2021, 7, 1), 2, utc(2021, 9, 1), utc(2021, 12, 1), three, None, party="RU"
    )


def test_a_withdrawal_due_at_the_term_end_leaves_the_extension_to_the_term() -> None:
    # docs/decisions.md, 10-13: the pending effect is moved only where it comes before the
    # running term's end; New START's end, 2021-02-05, and a withdrawal due then: the
    # extension moves the term's end (and the notice with it is not dated later).
    terms = schedule(NEW_START, NEW_START_IN_FORCE, UTC)
    first = ("RU", utc(2021, 2, 5))
    five = Duration(months=60)
    basis = kernel.extension(NEW_START, terms, utc(2021, 2, 3), 1, first, five, None)
    assert isinstance(basis, ExtensionBasis)
    assert basis.party is None and basis.new_end == utc(2026, 2, 5)


def test_an_extension_that_does_not_move_the_term_end_later_names_its_last_day() -> None:
    # docs/sources.md, New START: the term ends 2021-02-05T00:00 UTC, so its last day in force
    # is 4 February (PRODUCT.md, "Time"); through 4 February moves nothing.
    terms = schedule(NEW_START, NEW_START_IN_FORCE, UTC)
    refused = kernel.extension(NEW_START, terms, utc(2021, 1, 1), 1, None, None, date(2021, 2, 4))
    assert refused == Refusal(
        Guard.MOVES_END_LATER,
        "an extension must move the end later than 2021-02-05T00:00:00+00:00 (last day 2021-02-04)",
    )


def test_a_moved_withdrawal_must_move_later() -> None:
    # PRODUCT.md, "Actions": extend moves the end later; through 2021-08-30 (new end
    # 2021-08-31) would bring the withdrawal due 2021-09-01 forward.
    terms = schedule(NEW_START, NEW_START_IN_FORCE, UTC).extended(1, date(2026, 2, 5))
    first = ("RU", utc(2021, 9, 1))
    refused = kernel.extension(NEW_START, terms, utc(2021, 7, 1), 2, first, None, date(2021, 8, 30))
    assert refused == Refusal(
        Guard.MOVES_END_LATER,
        "an extension must move the end later than 2021-09-01T00:00:00+00:00 (last day 2021-08-31)",
    )


def test_nothing_to_extend_without_a_term_end_or_a_pending_withdrawal() -> None:
    # docs/sources.md, INF: unlimited duration, six months' withdrawal.
    inf = clause(withdrawal="6mo")
    in_force = date(1988, 6, 1)
    refused = kernel.extension(
        inf, schedule(inf, in_force, UTC), utc(2019, 1, 1), 1, None, Duration(months=12), None
    )
    assert refused == Refusal(
        Guard.END_TO_MOVE, "nothing to extend: no term end and no pending withdrawal"
    )


def test_an_extension_may_reach_but_not_pass_the_max_extension() -> None:
    # New START art. XIV(2): "for a period of no more than five years" (max_extension 5y):
    # 2021-02-05 + 5y = 2026-02-05 is allowed, through 2026-02-05 (end 2026-02-06) is not.
    terms = schedule(NEW_START, NEW_START_IN_FORCE, UTC)
    exactly = kernel.extension(NEW_START, terms, utc(2021, 2, 3), 1, None, None, date(2026, 2, 4))
    assert isinstance(exactly, ExtensionBasis) and exactly.new_end == utc(2026, 2, 5)
    refused = kernel.extension(NEW_START, terms, utc(2021, 2, 3), 1, None, None, date(2026, 2, 5))
    assert refused == Refusal(
        Guard.WITHIN_MAX_EXTENSION,
        "an extension may move the end 2021-02-05T00:00:00+00:00 no later than "
        "2026-02-05T00:00:00+00:00 (max_extension 5y)",
    )


# --- joining ---------------------------------------------------------------------------------


def paris_treaty() -> Treaty:
    return Treaty.model_validate(
        fixtures.variant(fixtures.PARIS, clause={"accession_delay": "30d"})
    )


def test_a_party_joining_is_bound_after_the_accession_delay() -> None:
    # docs/sources.md, Paris: the US accepted on 20 January 2021 and was bound from
    # 19 February 2021 (art. 21(3), "on the thirtieth day after the date of deposit").
    basis = kernel.joining(paris_treaty(), 4, nyc(2021, 1, 20), nyc(2016, 11, 4))
    assert basis == JoinBasis(
        nyc(2021, 1, 20), 4, nyc(2021, 2, 19), nyc(2016, 11, 4), nyc(2021, 2, 19)
    )


def test_a_party_joining_before_entry_into_force_is_bound_from_it() -> None:
    # PRODUCT.md 0.2, "Parties with their own dates": bound from `at` + accession_delay, and
    # (sim/core/rules.bound_from) never before the treaty's entry into force: a deposit on
    # 1 October 2016 would give 31 October, before Paris's 4 November 2016.
    basis = kernel.joining(paris_treaty(), 1, nyc(2016, 10, 1), nyc(2016, 11, 4))
    assert basis == JoinBasis(
        nyc(2016, 10, 1), 1, nyc(2016, 10, 31), nyc(2016, 11, 4), nyc(2016, 11, 4)
    )
