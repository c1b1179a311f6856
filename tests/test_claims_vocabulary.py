"""The calendar vocabulary of the seed articles (sim/claims_vocabulary.py), each phrase
pinned on both sides of its limit (issue 12, points 3 and 4; docs/claims.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sim.claims_vocabulary import DayCount, Period, resolve_period

SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)


# Korea Times, 7 Aug 2020: "at the last minute" read as `< 1d`: less than 24 hours. Seoul
# suspended 6 hours before the effect (facts/treaties.md); exactly one day is not "less than
# a day", one second less is.
@pytest.mark.parametrize(
    ("span", "agrees"),
    [
        (timedelta(hours=6), True),
        (DAY - SECOND, True),
        (DAY, False),
        (DAY + SECOND, False),
        (timedelta(0), True),
    ],
)
def test_less_than_a_day(span: timedelta, agrees: bool) -> None:
    assert DayCount.parse("< 1d").accepts_span(span) is agrees


# KBS, 12 Nov 2019: "less than two weeks" (`< 2w`): 13 whole days agree, 14 do not.
@pytest.mark.parametrize(("days", "agrees"), [(0, True), (11, True), (13, True), (14, False)])
def test_less_than_two_weeks(days: int, agrees: bool) -> None:
    assert DayCount.parse("< 2w").accepts(days) is agrees


# "Within two weeks" (`<= 2w`) includes the fourteenth day, not the fifteenth.
@pytest.mark.parametrize(("days", "agrees"), [(13, True), (14, True), (15, False)])
def test_within_two_weeks(days: int, agrees: bool) -> None:
    assert DayCount.parse("<= 2w").accepts(days) is agrees
    assert DayCount.parse("<= 2w").accepts_span(timedelta(days=days)) is agrees


def test_within_a_day_includes_the_day_itself() -> None:
    assert DayCount.parse("<= 1d").accepts_span(DAY)
    assert not DayCount.parse("<= 1d").accepts_span(DAY + SECOND)


# Yonhap (Bangkok), 17 Nov 2019: "six days left" (`6d`): exactly six, not five or seven.
@pytest.mark.parametrize(("days", "agrees"), [(5, False), (6, True), (7, False)])
def test_n_days_left(days: int, agrees: bool) -> None:
    assert DayCount.parse("6d").accepts(days) is agrees


@pytest.mark.parametrize(
    ("span", "agrees"), [(6 * DAY - SECOND, False), (6 * DAY, True), (6 * DAY + SECOND, False)]
)
def test_n_days_as_a_span(span: timedelta, agrees: bool) -> None:
    assert DayCount.parse("6d").accepts_span(span) is agrees


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("6d", "6 days"),
        ("1d", "1 day"),
        ("< 1d", "less than 1 day"),
        ("< 2w", "less than 14 days"),
        ("<= 2w", "within 14 days"),
    ],
)
def test_a_day_count_reads_as_the_article_wrote_it(text: str, shown: str) -> None:
    count = DayCount.parse(text)
    assert str(count) == shown
    assert count.text == text


@pytest.mark.parametrize("text", ["6mo", "< 1y", "soon", "<", "< -1d"])
def test_a_count_that_is_not_one_of_days_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        DayCount.parse(text)


def test_a_month_in_a_count_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="not months or years"):
        DayCount.parse("< 1y")
    with pytest.raises(ValueError, match="a bound is written"):
        DayCount.parse("< soon")


# Yonhap (Bangkok), Sunday 17 Nov 2019: "to expire on Saturday": the first Saturday on or
# after the as-of date. On the Saturday itself it is that day; on the Sunday after, the next.
@pytest.mark.parametrize(
    ("as_of", "day"),
    [
        (date(2019, 11, 17), date(2019, 11, 23)),  # Sunday: six days ahead
        (date(2019, 11, 22), date(2019, 11, 23)),  # Friday: the next day
        (date(2019, 11, 23), date(2019, 11, 23)),  # Saturday: that day
        (date(2019, 11, 24), date(2019, 11, 30)),  # Sunday after: a week later
    ],
)
def test_a_weekday_is_the_first_such_day_from_the_as_of_date(as_of: date, day: date) -> None:
    period = resolve_period("Saturday", as_of)
    assert (period.first, period.last) == (day, day)
    lower = resolve_period("saturday", as_of)
    assert (lower.first, lower.last) == (day, day)


# Yonhap, Thursday 29 Aug 2019, "last week": Monday 19 to Sunday 25 August; said on the
# Monday 26 August or the Sunday 1 September it is the same week, said on Sunday 25 August
# the week before.
@pytest.mark.parametrize(
    ("as_of", "first"),
    [
        (date(2019, 8, 26), date(2019, 8, 19)),
        (date(2019, 9, 1), date(2019, 8, 19)),
        (date(2019, 8, 25), date(2019, 8, 12)),
    ],
)
def test_last_week_runs_monday_to_sunday(as_of: date, first: date) -> None:
    period = resolve_period("last week", as_of)
    assert (period.first, period.last) == (first, first + timedelta(days=6))


@pytest.mark.parametrize(
    ("phrase", "as_of", "first", "last"),
    [
        ("this week", date(2019, 11, 17), date(2019, 11, 11), date(2019, 11, 17)),
        ("next week", date(2019, 11, 17), date(2019, 11, 18), date(2019, 11, 24)),
        ("this year", date(2019, 11, 17), date(2019, 1, 1), date(2019, 12, 31)),
        ("next year", date(2019, 11, 17), date(2020, 1, 1), date(2020, 12, 31)),
        ("2019-11-22", date(2020, 1, 1), date(2019, 11, 22), date(2019, 11, 22)),
        # The month nearest to the as-of date: in January, a December is last year's...
        ("December", date(2020, 1, 10), date(2019, 12, 1), date(2019, 12, 31)),
        # ... and in December, a January is next year's.
        ("Jan.", date(2019, 12, 20), date(2020, 1, 1), date(2020, 1, 31)),
        ("Nov 22", date(2019, 8, 29), date(2019, 11, 22), date(2019, 11, 22)),
        ("February 29", date(2020, 8, 1), date(2020, 2, 29), date(2020, 2, 29)),
    ],
)
def test_more_phrases(phrase: str, as_of: date, first: date, last: date) -> None:
    period = resolve_period(phrase, as_of)
    assert (period.first, period.last) == (first, last)
    assert period.first in period and period.last in period
    assert period.first - timedelta(days=1) not in period
    assert period.last + timedelta(days=1) not in period


@pytest.mark.parametrize(
    ("phrase", "as_of", "shown"),
    [
        ("2016", date(2019, 8, 29), "in 2016"),
        ("November", date(2019, 8, 29), "in November (2019-11)"),
        ("Saturday", date(2019, 11, 17), "on Saturday (2019-11-23)"),
        ("last week", date(2019, 8, 29), "last week (2019-08-19..2019-08-25)"),
        ("2019-11-22", date(2019, 8, 29), "on 2019-11-22"),
    ],
)
def test_a_period_is_shown_with_the_dates_it_names(phrase: str, as_of: date, shown: str) -> None:
    assert resolve_period(phrase, as_of).phrase() == shown


@pytest.mark.parametrize("phrase", ["soon", "Smarch", "Nov. 31", "last month", "Ju"])
def test_a_phrase_that_names_no_period_is_refused(phrase: str) -> None:
    with pytest.raises(ValueError):
        resolve_period(phrase, date(2019, 11, 17))


@pytest.mark.parametrize(
    ("text", "days", "bound"),
    [
        ("6d", 6, "exactly"),
        ("< 2w", 14, "fewer_than"),
        ("<2w", 14, "fewer_than"),
        ("<= 2w", 14, "at_most"),
        ("<=2w", 14, "at_most"),
        (" <  1d ", 1, "fewer_than"),
    ],
)
def test_a_day_count_is_read_with_or_without_spaces(text: str, days: int, bound: str) -> None:
    count = DayCount.parse(text)
    assert (count.days, count.bound) == (days, bound)


# "this week" and "next week" read as they are said ("this week (...)"), not "in this week".
@pytest.mark.parametrize(
    ("phrase", "shown"),
    [
        ("this week", "this week (2019-11-11..2019-11-17)"),
        ("next week", "next week (2019-11-18..2019-11-24)"),
        ("next year", "next year (2020)"),
    ],
)
def test_relative_periods_read_as_said(phrase: str, shown: str) -> None:
    assert resolve_period(phrase, date(2019, 11, 17)).phrase() == shown


def test_a_week_that_begins_on_the_first_is_not_a_month() -> None:
    # Monday 1 July 2019 to Sunday 7 July: said on Monday 8 July, "last week".
    assert str(resolve_period("last week", date(2019, 7, 8))) == (
        "last week (2019-07-01..2019-07-07)"
    )
    assert str(Period("two years", date(2019, 1, 1), date(2020, 12, 31))) == (
        "two years (2019-01-01..2020-12-31)"
    )


def test_the_refusals_say_what_is_allowed() -> None:
    with pytest.raises(ValueError) as raised:
        resolve_period("soon", date(2019, 11, 17))
    assert str(raised.value) == (
        "'soon' is not a period: write a date (2019-11-22), a year (2016), last week, "
        "this year, a month (November, Nov.), a day (Nov. 22) or a weekday (Saturday)"
    )
    with pytest.raises(ValueError) as raised:
        resolve_period("Nov. 31", date(2019, 11, 17))
    assert str(raised.value) == "'Nov. 31' is not a day of that month"
    with pytest.raises(ValueError) as raised:
        DayCount.parse("< soon")
    assert str(raised.value).endswith("; a bound is written < 2w or <= 2w")
