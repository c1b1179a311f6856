"""Durations, calendar arithmetic and the counting conventions (PRODUCT.md, "Time")."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from sim.core.dates import (
    Counting,
    DateError,
    Duration,
    add,
    as_instant,
    at_midnight,
    ensure_aware,
    iso,
    last_day,
    local_date,
    notice_deadline,
    period_end,
    subtract,
    wall_clock_difference,
    zone,
)

SEOUL = ZoneInfo("Asia/Seoul")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SANTIAGO = ZoneInfo("America/Santiago")
UTC = ZoneInfo("UTC")


def local(text: str, tz: ZoneInfo) -> datetime:
    """A local date or date-time in ``tz``, read as a scenario reads it."""
    return as_instant(text, tz)


# --- durations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        # PRODUCT.md, "Time": "Durations: 90d, 2w, 6mo, 1y (also ISO 8601 P90D, P2W, P6M, P1Y)".
        ("90d", "P90D"),
        ("2w", "P2W"),
        ("6mo", "P6M"),
        ("1y", "P1Y"),
    ],
)
def test_short_and_iso_durations_mean_the_same(text: str, same_as: str) -> None:
    assert Duration.parse(text) == Duration.parse(same_as)


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        # PRODUCT.md, "Time": days are local calendar days: 90 days after 2019-08-25 is 23 Nov.
        ("90d", "2019-08-25", "2019-11-23"),
        ("P90D", "2019-08-25", "2019-11-23"),
        # a week is seven calendar days
        ("2w", "2019-08-25", "2019-09-08"),
        ("P2W", "2019-08-25", "2019-09-08"),
        # months are calendar months on the wall clock
        ("6mo", "2019-02-02", "2019-08-02"),
        ("P6M", "2019-02-02", "2019-08-02"),
        # a year is a calendar year
        ("1y", "2016-11-23", "2017-11-23"),
        ("P1Y", "2016-11-23", "2017-11-23"),
    ],
)
def test_each_duration_form_moves_the_calendar(text: str, start: str, expected: str) -> None:
    moved = add(local(start, SEOUL), Duration.parse(text))
    assert iso(moved) == iso(local(expected, SEOUL))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "90",  # no unit
        "0d",  # PRODUCT.md, "The clause": "durations are positive"
        "P0D",
        "-1d",
        "1.5y",
        "1m",  # neither mo nor a minute: not one of the documented forms
        "90 days",
        "P",
        "PT1H",  # hours are not calendar durations of a clause
        "1y6",
    ],
)
def test_malformed_or_non_positive_durations_are_rejected(text: str) -> None:
    with pytest.raises(DateError):
        Duration.parse(text)


# --- calendar arithmetic ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # PRODUCT.md, "Time": "clipped to the end of the month (Jan 31 + 1mo = Feb 28 or 29)".
        ("2019-01-31", "2019-02-28"),
        ("2020-01-31", "2020-02-29"),
        ("2019-03-31", "2019-04-30"),
    ],
)
def test_a_month_after_a_month_end_is_clipped_to_the_next_month_end(
    start: str, expected: str
) -> None:
    assert add(local(start, UTC), Duration.parse("1mo")) == local(expected, UTC)


def test_a_year_after_29_february_is_28_february() -> None:
    # PRODUCT.md, "Time": calendar arithmetic clipped to the end of the month.
    assert add(local("2016-02-29", UTC), Duration.parse("1y")) == local("2017-02-28", UTC)
    assert add(local("2016-02-29", UTC), Duration.parse("4y")) == local("2020-02-29", UTC)


def test_subtracting_ninety_days_from_the_gsomia_expiry_gives_25_august() -> None:
    # PRODUCT.md, "Counting": a term ending 2019-11-23T00:00+09:00 with 90d notice has its
    # deadline at end - notice = 2019-08-25T00:00+09:00.
    end = local("2019-11-23", SEOUL)
    assert iso(subtract(end, Duration.parse("90d"))) == "2019-08-25T00:00:00+09:00"


def test_a_date_without_a_time_is_midnight_local_time() -> None:
    # PRODUCT.md, "Time": "A date without a time means 00:00 local time in the treaty's zone".
    assert iso(at_midnight(date(2019, 11, 23), SEOUL)) == "2019-11-23T00:00:00+09:00"
    assert iso(local("2019-11-22T18:00", SEOUL)) == "2019-11-22T18:00:00+09:00"


def test_instants_are_printed_with_offset_and_seconds() -> None:
    # PRODUCT.md, "Time": "Output instants are ISO 8601 with offset, ..., seconds included".
    assert iso(datetime(2019, 11, 23, tzinfo=SEOUL)) == "2019-11-23T00:00:00+09:00"


# --- half-open intervals ----------------------------------------------------------------------


def test_last_day_in_force_is_the_date_before_a_midnight_end() -> None:
    # PRODUCT.md, "Time": "expires at midnight, November 23" and "expires November 22"
    # describe the same end, 2019-11-23T00:00:00+09:00.
    assert last_day(datetime(2019, 11, 23, tzinfo=SEOUL)) == date(2019, 11, 22)


def test_last_day_in_force_of_an_end_during_the_day_is_that_day() -> None:
    # PRODUCT.md, "Time": the last day in force is the local date of the last instant
    # before end; a notice resumed under `remaining` may end a treaty at 06:00.
    assert last_day(datetime(2020, 8, 10, 6, tzinfo=SEOUL)) == date(2020, 8, 10)


# --- counting conventions -----------------------------------------------------------------


def test_exact_counting_ends_a_period_at_the_event_plus_the_period() -> None:
    # facts/treaties.md, NPT: notice 12 March 1993, three months; on 11 June 1993 it was
    # "one day before it would have taken effect", so the effect is 12 June 1993.
    notice = local("1993-03-12", UTC)
    assert period_end(notice, Duration.parse("3mo"), Counting.EXACT) == local("1993-06-12", UTC)
    # facts/treaties.md, INF: notice 2 February 2019, effective 2 August 2019.
    notice = local("2019-02-02", UTC)
    assert period_end(notice, Duration.parse("6mo"), Counting.EXACT) == local("2019-08-02", UTC)


def test_exact_counting_keeps_the_time_of_the_event() -> None:
    # PRODUCT.md, "Counting": exact: a period from an event at instant t ends at t + period.
    notice = local("2019-02-02T15:00", UTC)
    expected = local("2019-08-02T15:00", UTC)
    assert period_end(notice, Duration.parse("6mo"), Counting.EXACT) == expected


@pytest.mark.parametrize("time_of_day", ["00:00", "15:00", "23:59:59"])
def test_whole_days_does_not_count_the_day_of_the_event(time_of_day: str) -> None:
    # PRODUCT.md, "Counting" (EU Reg. 1182/71, art. 3): a period from an event on local
    # date d ends at 00:00 of the day after d + period: 2019-02-02 + 6mo = 2019-08-02, so
    # 2019-08-03T00:00, whatever the time of the event on 2 February.
    notice = local(f"2019-02-02T{time_of_day}", UTC)
    expected = local("2019-08-03", UTC)
    assert period_end(notice, Duration.parse("6mo"), Counting.WHOLE_DAYS) == expected


def test_whole_days_clips_the_month_before_adding_the_day_after() -> None:
    # PRODUCT.md, "Counting" and "Time": d + 1mo from 31 January 2019 is 28 February, so
    # the period ends at 00:00 on 1 March.
    notice = local("2019-01-31T10:00", UTC)
    expected = local("2019-03-01", UTC)
    assert period_end(notice, Duration.parse("1mo"), Counting.WHOLE_DAYS) == expected


def test_gsomia_notice_deadline_is_25_august_under_both_conventions() -> None:
    # PRODUCT.md, "Counting": a notice on 2019-08-24 stops the renewal at
    # 2019-11-23T00:00+09:00; one on 2019-08-25 is late. Under whole_days, in time on or
    # before (end - notice) - 1 day = 24 August. facts/treaties.md: NHK and Hankyoreh name
    # 24 August as the last day to notify.
    end = local("2019-11-23", SEOUL)
    ninety = Duration.parse("90d")
    for counting in Counting:
        deadline = notice_deadline(end, ninety, counting)
        assert iso(deadline) == "2019-08-25T00:00:00+09:00"
        assert last_day(deadline) == date(2019, 8, 24)


def test_whole_days_notice_deadline_falls_at_the_start_of_the_day() -> None:
    # PRODUCT.md, "Counting": with an end at 12:00 on 23 November, exact counting accepts a
    # notice until end - 90d = 25 August 12:00; whole_days only on or before the date
    # (end - notice) - 1 day = 24 August, so the first late instant is 25 August 00:00.
    end = local("2019-11-23T12:00", SEOUL)
    ninety = Duration.parse("90d")
    assert iso(notice_deadline(end, ninety, Counting.EXACT)) == "2019-08-25T12:00:00+09:00"
    assert iso(notice_deadline(end, ninety, Counting.WHOLE_DAYS)) == "2019-08-25T00:00:00+09:00"


# --- time zones with daylight saving ------------------------------------------------------


def test_one_day_across_spring_forward_is_one_calendar_day() -> None:
    # PRODUCT.md, "Time": "Days are local calendar days": Berlin moves to summer time on
    # 28 March 2021, so one day after noon on the 27th is noon on the 28th (23 hours later).
    start = local("2021-03-27T12:00", BERLIN)
    moved = add(start, Duration.parse("1d"))
    assert iso(moved) == "2021-03-28T12:00:00+02:00"
    assert (moved.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 23 * 3600


def test_one_day_across_fall_back_is_one_calendar_day() -> None:
    # PRODUCT.md, "Time": New York leaves daylight time on 3 November 2019; a day after noon
    # on the 2nd is noon on the 3rd (25 hours later).
    start = local("2019-11-02T12:00", NEW_YORK)
    moved = add(start, Duration.parse("1d"))
    assert iso(moved) == "2019-11-03T12:00:00-05:00"
    assert (moved.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 25 * 3600


def test_whole_days_across_daylight_saving_ends_at_local_midnight() -> None:
    # PRODUCT.md, "Counting": a 1-day period from an event on 27 March 2021 ends at 00:00
    # on 29 March, local time (summer time by then).
    notice = local("2021-03-27T10:00", BERLIN)
    end = period_end(notice, Duration.parse("1d"), Counting.WHOLE_DAYS)
    assert iso(end) == "2021-03-29T00:00:00+02:00"
    exact = period_end(notice, Duration.parse("1d"), Counting.EXACT)
    assert iso(exact) == "2021-03-28T10:00:00+02:00"


def test_a_wall_time_inside_a_spring_forward_gap_is_moved_forward() -> None:
    # The brief and sim/core/dates.py ("compatible" disambiguation; PRODUCT.md is silent):
    # 02:30 on 28 March 2021 does not exist in Berlin; it is read as 03:30 summer time.
    assert iso(local("2021-03-28T02:30", BERLIN)) == "2021-03-28T03:30:00+02:00"
    # the same holds for the result of arithmetic that lands in the gap
    moved = add(local("2021-03-27T02:30", BERLIN), Duration.parse("1d"))
    assert iso(moved) == "2021-03-28T03:30:00+02:00"


def test_a_midnight_that_does_not_exist_is_moved_forward() -> None:
    # Chile moved to summer time at 24:00 on 7 September 2019: there is no 00:00 on the
    # 8th, so "2019-09-08" (PRODUCT.md: 00:00 local) is the first instant of that day.
    assert iso(at_midnight(date(2019, 9, 8), SANTIAGO)) == "2019-09-08T01:00:00-03:00"


def test_wall_clock_difference_counts_a_calendar_day_as_one_day() -> None:
    # PRODUCT.md, "Time": days are local calendar days, even on a 23-hour day.
    earlier = local("2021-03-27", BERLIN)
    later = local("2021-03-28", BERLIN)
    assert wall_clock_difference(earlier, later).days == 1
    assert wall_clock_difference(earlier, later).seconds == 0


# --- awareness and zones ------------------------------------------------------------------


def test_naive_datetimes_are_refused() -> None:
    # PRODUCT.md, "Time": "Every instant is time-zone aware".
    naive = datetime(2019, 8, 23)
    with pytest.raises(DateError):
        ensure_aware(naive)
    with pytest.raises(DateError):
        add(naive, Duration.parse("1d"))
    with pytest.raises(DateError):
        subtract(naive, Duration.parse("1d"))
    with pytest.raises(DateError):
        local_date(naive)
    with pytest.raises(DateError):
        iso(naive)


def test_unknown_zones_are_refused() -> None:
    # PRODUCT.md, "Time": a treaty has an IANA timezone.
    assert zone("Asia/Seoul") == SEOUL
    with pytest.raises(DateError):
        zone("Korea/Seoul_Standard")
