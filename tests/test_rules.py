"""The schedule of a clause: term ends anchored on entry into force, notice deadlines, when a
notice takes effect, and extensions (PRODUCT.md, "Time" and "The clause")."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from sim.core.dates import Duration, iso, last_day
from sim.core.model import Clause, LateNotice
from sim.core.rules import Schedule

SEOUL = ZoneInfo("Asia/Seoul")
UTC = ZoneInfo("UTC")

# facts/treaties.md, GSOMIA: in force 23 November 2016 (Asia/Seoul); art. 21(3): one year,
# "automatically extended annually", notice "ninety days in advance".
GSOMIA_CLAUSE = {"term": "1y", "renewal": "1y", "notice": "90d"}
GSOMIA_IN_FORCE = datetime(2016, 11, 23, tzinfo=SEOUL)


def gsomia(**changes: str) -> Schedule:
    """GSOMIA's schedule, with clause fields changed as given."""
    return Schedule.of(
        Clause.model_validate({**GSOMIA_CLAUSE, **changes}), GSOMIA_IN_FORCE.date(), SEOUL
    )


def kst(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SEOUL)


# --- GSOMIA ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number", range(1, 11))
def test_gsomia_terms_end_at_midnight_on_23_november(number: int) -> None:
    # facts/treaties.md, GSOMIA: in force 2016-11-23, one year, extended annually; term n
    # ends at in_force + 1y + (n-1)·1y (PRODUCT.md, "Time"), 00:00 KST on 23 November.
    schedule = gsomia()
    year = 2016 + number
    assert iso(schedule.end(number) or GSOMIA_IN_FORCE) == f"{year}-11-23T00:00:00+09:00"
    # PRODUCT.md, "Time": "expires at midnight, November 23" = last day in force 22 November.
    assert last_day(schedule.end(number) or GSOMIA_IN_FORCE) == date(year, 11, 22)


@pytest.mark.parametrize("number", range(1, 11))
def test_gsomia_notice_deadline_is_25_august_so_24_august_is_the_last_day(number: int) -> None:
    # facts/treaties.md: NHK (2019) and Hankyoreh (2020, "the deadline of Aug. 24") name
    # 24 August as the last day to notify; PRODUCT.md: the deadline is end - 90d, the first
    # instant at which a notice is too late, 2019-08-25T00:00+09:00 for the 2019 term.
    schedule = gsomia()
    deadline = schedule.deadline(number)
    assert deadline is not None
    year = 2016 + number
    assert iso(deadline) == f"{year}-08-25T00:00:00+09:00"
    assert last_day(deadline) == date(year, 8, 24)


def test_gsomia_terms_start_where_the_previous_one_ends() -> None:
    # PRODUCT.md, "Time": a term is [start, end); the first starts at entry into force.
    schedule = gsomia()
    assert schedule.start(1) == GSOMIA_IN_FORCE
    assert schedule.start(3) == kst(2018, 11, 23)
    assert schedule.start(4) == kst(2019, 11, 23)


def test_the_term_in_force_changes_at_the_end_instant() -> None:
    # PRODUCT.md, "Time": half-open: in force at start, no longer at end. The third term is
    # [2018-11-23, 2019-11-23).
    schedule = gsomia()
    assert schedule.term_at(kst(2019, 11, 22, 23, 59)) == 3
    assert schedule.term_at(kst(2019, 11, 23)) == 4
    assert schedule.term_at(kst(2018, 11, 23)) == 3


def test_a_notice_on_24_august_stops_the_2019_renewal() -> None:
    # PRODUCT.md, "Counting": a notice on 2019-08-24 stops the renewal at
    # 2019-11-23T00:00+09:00 (the end of term 3).
    schedule = gsomia()
    assert schedule.renewal_notice_target(kst(2019, 8, 24), 3) == 3
    assert schedule.renewal_notice_target(kst(2019, 8, 24, 23, 59), 3) == 3


def test_a_late_notice_stops_the_following_renewal_by_default() -> None:
    # PRODUCT.md, "Counting" and "The clause": one on 2019-08-25 is late; late_notice
    # next_term (default) stops the following renewal, at the end of term 4 (2020-11-23).
    schedule = gsomia()
    target = schedule.renewal_notice_target(kst(2019, 8, 25), 3)
    assert target == 4
    assert iso(schedule.end(4) or GSOMIA_IN_FORCE) == "2020-11-23T00:00:00+09:00"


def test_a_late_notice_is_void_under_late_notice_void() -> None:
    # PRODUCT.md, "The clause": void: a late notice has no effect.
    schedule = gsomia(late_notice=LateNotice.VOID.value)
    assert schedule.renewal_notice_target(kst(2019, 8, 25), 3) is None
    assert schedule.renewal_notice_target(kst(2019, 8, 24), 3) == 3


def test_whole_days_gives_gsomia_the_same_deadlines() -> None:
    # PRODUCT.md, "Counting": whole_days: in time if received on or before the local date
    # (end - notice) - 1 day = 24 August; the term ends are at midnight, so the first late
    # instant is again 25 August 00:00.
    schedule = gsomia(counting="whole_days")
    assert iso(schedule.deadline(3) or GSOMIA_IN_FORCE) == "2019-08-25T00:00:00+09:00"
    assert schedule.renewal_notice_target(kst(2019, 8, 24, 23, 59), 3) == 3
    assert schedule.renewal_notice_target(kst(2019, 8, 25), 3) == 4


# --- the 29 February anchor -------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        # PRODUCT.md, "Time": term n ends at in_force + term + (n-1)·renewal, never by adding
        # a year to the previous end, so a 29 February anchor does not drift: in force
        # 2016-02-29, term 1y, renewal 1y: term 4 ends 2020-02-29, the others on 28 February.
        (1, date(2017, 2, 28)),
        (2, date(2018, 2, 28)),
        (3, date(2019, 2, 28)),
        (4, date(2020, 2, 29)),
        (5, date(2021, 2, 28)),
        (6, date(2022, 2, 28)),
        (7, date(2023, 2, 28)),
        (8, date(2024, 2, 29)),
    ],
)
def test_a_29_february_anchor_does_not_drift(number: int, expected: date) -> None:
    clause = Clause.model_validate({"term": "1y", "renewal": "1y"})
    schedule = Schedule.of(clause, date(2016, 2, 29), UTC)
    assert schedule.end(number) == datetime(expected.year, expected.month, expected.day, tzinfo=UTC)


def test_the_anchor_holds_when_term_and_renewal_differ() -> None:
    # PRODUCT.md, "Time": in_force + term + (n-1)·renewal with term 2y, renewal 1y from
    # 2016-02-29: term 1 ends 2018-02-28, term 3 ends 2016-02-29 + 4y = 2020-02-29.
    clause = Clause.model_validate({"term": "2y", "renewal": "1y"})
    schedule = Schedule.of(clause, date(2016, 2, 29), UTC)
    assert schedule.end(1) == datetime(2018, 2, 28, tzinfo=UTC)
    assert schedule.end(2) == datetime(2019, 2, 28, tzinfo=UTC)
    assert schedule.end(3) == datetime(2020, 2, 29, tzinfo=UTC)


# --- fixed terms, indefinite treaties and withdrawals ---------------------------------------


def test_a_fixed_term_has_one_end_and_no_deadline() -> None:
    # facts/treaties.md, New START: in force 5 February 2011, ten years: ends 2021-02-05.
    # PRODUCT.md, "The clause": a fixed term (term, no renewal) ends at its end.
    clause = Clause.model_validate({"term": "10y", "withdrawal": "3mo"})
    schedule = Schedule.of(clause, date(2011, 2, 5), UTC)
    assert schedule.end(1) == datetime(2021, 2, 5, tzinfo=UTC)
    assert schedule.end(2) is None
    assert schedule.last_number() == 1
    # PRODUCT.md, "The timeline": notice_deadline is null where there is no renewal notice
    assert schedule.deadline(1) is None


def test_an_indefinite_treaty_has_no_term_end() -> None:
    # facts/treaties.md, INF: "unlimited duration" (PRODUCT.md: term absent: indefinite).
    clause = Clause.model_validate({"withdrawal": "6mo"})
    schedule = Schedule.of(clause, date(1988, 6, 1), UTC)
    assert schedule.indefinite
    assert schedule.end(1) is None
    assert schedule.deadline(1) is None
    assert schedule.term_at(datetime(2019, 2, 2, tzinfo=UTC)) == 1


@pytest.mark.parametrize(
    ("in_force", "given", "period", "expected"),
    [
        # facts/treaties.md, INF: notice 2 February 2019, six months: effect 2 August 2019.
        (date(1988, 6, 1), date(2019, 2, 2), "6mo", date(2019, 8, 2)),
        # facts/treaties.md, NPT: notice 12 March 1993, three months: effect 12 June 1993.
        (date(1970, 3, 5), date(1993, 3, 12), "3mo", date(1993, 6, 12)),
        # facts/treaties.md, Paris: notice 4 November 2019, effective 4 November 2020; new
        # notice 27 January 2025, effective 27 January 2026.
        (date(2016, 11, 4), date(2019, 11, 4), "1y", date(2020, 11, 4)),
        (date(2016, 11, 4), date(2025, 1, 27), "1y", date(2026, 1, 27)),
    ],
)
def test_a_withdrawal_takes_effect_the_withdrawal_period_after_receipt(
    in_force: date, given: date, period: str, expected: date
) -> None:
    # PRODUCT.md, "The clause": withdrawal: a notice takes effect this long after receipt
    # (exact counting, the default).
    clause = Clause.model_validate({"withdrawal": period})
    schedule = Schedule.of(clause, in_force, UTC)
    effect = schedule.withdrawal_effect(datetime(given.year, given.month, given.day, tzinfo=UTC))
    assert effect == datetime(expected.year, expected.month, expected.day, tzinfo=UTC)


def test_a_withdrawal_under_whole_days_ends_at_the_start_of_the_following_day() -> None:
    # PRODUCT.md, "Counting": whole_days: a notice on 2019-11-04 with 1y ends at 00:00 of
    # the day after 2020-11-04.
    clause = Clause.model_validate({"withdrawal": "1y", "counting": "whole_days"})
    schedule = Schedule.of(clause, date(2016, 11, 4), UTC)
    effect = schedule.withdrawal_effect(datetime(2019, 11, 4, 15, tzinfo=UTC))
    assert effect == datetime(2020, 11, 5, tzinfo=UTC)


# --- extensions -------------------------------------------------------------------------


def new_start() -> Schedule:
    # facts/treaties.md, New START: in force 5 February 2011, ten years.
    clause = Clause.model_validate({"term": "10y", "withdrawal": "3mo"})
    return Schedule.of(clause, date(2011, 2, 5), UTC)


def test_new_start_extended_by_five_years_ends_on_5_february_2026() -> None:
    # facts/treaties.md, New START: "3 February 2021: extended by five years, to 5 February
    # 2026". PRODUCT.md, "Actions": period is a duration added to the current end.
    schedule = new_start()
    extended = schedule.extended(1, schedule.extension_end(1, Duration.parse("5y"), None))
    assert extended.end(1) == datetime(2021, 2, 5, tzinfo=UTC)
    assert extended.end(2) == datetime(2026, 2, 5, tzinfo=UTC)
    assert extended.end(3) is None
    assert extended.last_number() == 2


def test_an_extension_through_a_day_ends_at_the_following_midnight() -> None:
    # PRODUCT.md, "Actions": through is the new last day in force, inclusive: "the new end
    # is 00:00 of the following day": through 2026-02-04 ends at 2026-02-05T00:00.
    schedule = new_start()
    extended = schedule.extended(1, schedule.extension_end(1, None, date(2026, 2, 4)))
    through_end = extended.end(2)
    assert through_end == datetime(2026, 2, 5, tzinfo=UTC)
    assert last_day(through_end) == date(2026, 2, 4)


def test_an_extension_by_a_period_is_added_to_the_current_end() -> None:
    # PRODUCT.md, "Actions": "period (a duration added to the current end)". A one-year
    # fixed term from 2016-02-29 ends 2017-02-28 (clipped); three more years from that end
    # is 2020-02-28, not 2020-02-29.
    clause = Clause.model_validate({"term": "1y"})
    schedule = Schedule.of(clause, date(2016, 2, 29), UTC)
    assert schedule.end(1) == datetime(2017, 2, 28, tzinfo=UTC)
    extended = schedule.extended(1, schedule.extension_end(1, Duration.parse("3y"), None))
    assert extended.end(2) == datetime(2020, 2, 28, tzinfo=UTC)


def test_an_extended_renewing_term_renews_after_its_new_end() -> None:
    # PRODUCT.md, "Actions" (extend moves the current end) and "The clause" (renewal after
    # each term): GSOMIA's third term, extended by 6mo from 2019-11-23, ends 2020-05-23;
    # the next term renews for a year to 2021-05-23, with its deadline 90 days before.
    schedule = gsomia()
    extended = schedule.extended(3, schedule.extension_end(3, Duration.parse("6mo"), None))
    assert extended.end(3) == kst(2019, 11, 23)
    assert extended.end(4) == kst(2020, 5, 23)
    assert extended.end(5) == kst(2021, 5, 23)
    # 2021-05-23 - 90d = 2021-02-22
    assert extended.deadline(5) == kst(2021, 2, 22)
