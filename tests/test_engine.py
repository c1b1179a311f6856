"""The SimPy engine: scenarios run to timelines, with the order of events at an instant, the
half-open horizon and the event limit (PRODUCT.md, "Actions", "The timeline")."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import fixtures
import pytest

from sim import engine
from sim.core.dates import iso
from sim.core.model import EventKind, Interpretation, Scenario, Treaty
from sim.core.timeline import Outcome, Timeline
from sim.engine import RunError, run

SEOUL = ZoneInfo("Asia/Seoul")
UTC = ZoneInfo("UTC")

# facts/treaties.md, GSOMIA: KR and JP, Asia/Seoul, in force 23 November 2016; art. 21(3):
# one year, extended annually, ninety days' notice.
GSOMIA = Treaty.model_validate(fixtures.variant(fixtures.GSOMIA, signed="2016-11-23"))
# facts/treaties.md, NPT: in force 5 March 1970, multilateral, three months' notice.
NPT = Treaty.model_validate(
    {
        "name": "NPT",
        "parties": ["US", "GB", "RU", "KP"],
        "in_force": "1970-03-05",
        "clause": {"withdrawal": "3mo"},
    }
)
# facts/treaties.md, INF: US and USSR/Russia, in force 1 June 1988, unlimited duration,
# six months' notice of withdrawal.
INF = Treaty.model_validate(
    {
        "name": "INF",
        "parties": ["US", "RU"],
        "in_force": "1988-06-01",
        "clause": {"withdrawal": "6mo"},
    }
)
# facts/treaties.md, Paris Agreement: in force 4 November 2016; withdrawal after three years
# from entry into force, effective one year after receipt by the Depositary in New York.
PARIS = Treaty.model_validate(fixtures.variant(fixtures.PARIS, parties=["US", "FR", "CN", "IN"]))
# facts/treaties.md, New START: US and Russia, in force 5 February 2011, ten years, extendable
# by agreement; three months' notice of withdrawal.
NEW_START = Treaty.model_validate(
    {
        "name": "New START",
        "parties": ["US", "RU"],
        "in_force": "2011-02-05",
        "clause": {"term": "10y", "withdrawal": "3mo"},
    }
)


def with_clause(treaty: Treaty, **changes: str) -> Treaty:
    """``treaty`` with clause fields changed as given."""
    data = treaty.model_dump(mode="json")
    return Treaty.model_validate({**data, "clause": {**data["clause"], **changes}})


def simulate(
    treaty: Treaty,
    actions: list[dict[str, Any]],
    horizon: str | None = None,
    interpretation: Interpretation | None = None,
) -> Timeline:
    scenario = Scenario.model_validate(
        {"name": "test", "treaty": treaty, "horizon": horizon, "actions": actions}
    )
    return run(scenario, treaty, interpretation)


def events(timeline: Timeline, *kinds: EventKind) -> list[tuple[str, str, str | None]]:
    """The events of the given kinds (all if none given) as (instant, kind, by)."""
    return [
        (iso(event.at), event.kind.value, event.by)
        for event in timeline.events
        if not kinds or event.kind in kinds
    ]


def kst(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SEOUL)


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


ENDINGS = (EventKind.TERMINATED, EventKind.WITHDRAWAL_EFFECTIVE)


# --- GSOMIA -------------------------------------------------------------------------------


def test_gsomia_notice_on_24_august_ends_it_on_23_november_2019() -> None:
    # PRODUCT.md, "Counting": "a notice on 2019-08-24 stops the renewal at
    # 2019-11-23T00:00+09:00".
    timeline = simulate(GSOMIA, [{"at": "2019-08-24", "by": "KR", "do": "notify"}], "2022-01-01")
    assert timeline.terminated_at == kst(2019, 11, 23)
    assert iso(timeline.terminated_at) == "2019-11-23T00:00:00+09:00"
    assert events(timeline, *ENDINGS) == [("2019-11-23T00:00:00+09:00", "terminated", "KR")]
    # PRODUCT.md, "The treaty": with two parties a notice that takes effect ends the treaty.
    assert timeline.bound_until == {"KR": kst(2019, 11, 23), "JP": kst(2019, 11, 23)}
    assert timeline.terms[-1].number == 3
    assert timeline.terms[-1].outcome is Outcome.TERMINATED
    # no renewal at the end the notice stopped
    assert "2019-11-23T00:00:00+09:00" not in [at for at, *_ in events(timeline, EventKind.RENEWED)]


def test_gsomia_notice_on_25_august_is_late_and_ends_it_a_year_later() -> None:
    # PRODUCT.md, "Counting": "one on 2019-08-25 is late"; late_notice next_term (default)
    # stops the following renewal, at 2020-11-23T00:00+09:00.
    timeline = simulate(GSOMIA, [{"at": "2019-08-25", "by": "KR", "do": "notify"}], "2022-01-01")
    given = timeline.events[[e.kind for e in timeline.events].index(EventKind.NOTICE_GIVEN)]
    assert given.effective == kst(2020, 11, 23)
    assert ("2019-11-23T00:00:00+09:00", "renewed", None) in events(timeline)
    assert timeline.terminated_at == kst(2020, 11, 23)
    assert iso(timeline.terminated_at) == "2020-11-23T00:00:00+09:00"


def test_gsomia_late_notice_is_rejected_when_void() -> None:
    # PRODUCT.md, "The clause": void: a late notice has no effect (recorded as rejected).
    void = with_clause(GSOMIA, late_notice="void")
    timeline = simulate(void, [{"at": "2019-08-25", "by": "KR", "do": "notify"}], "2022-01-01")
    assert events(timeline, EventKind.REJECTED) == [("2019-08-25T00:00:00+09:00", "rejected", "KR")]
    assert timeline.terminated_at is None


def test_gsomia_terms_and_deadlines_in_the_timeline() -> None:
    # facts/treaties.md: renewed annually on 23 November; last day to notify 24 August
    # (NHK, Hankyoreh), so the deadline is 25 August 00:00 KST (PRODUCT.md, "The timeline").
    timeline = simulate(GSOMIA, [], "2024-01-01")
    assert [(term.number, iso(term.start)) for term in timeline.terms][:4] == [
        (1, "2016-11-23T00:00:00+09:00"),
        (2, "2017-11-23T00:00:00+09:00"),
        (3, "2018-11-23T00:00:00+09:00"),
        (4, "2019-11-23T00:00:00+09:00"),
    ]
    third = timeline.terms[2]
    assert iso(third.end or third.start) == "2019-11-23T00:00:00+09:00"
    assert iso(third.notice_deadline or third.start) == "2019-08-25T00:00:00+09:00"
    assert third.outcome is Outcome.RENEWED
    assert timeline.terms[-1].outcome is Outcome.RUNNING
    renewals = [at for at, *_ in events(timeline, EventKind.RENEWED)]
    assert renewals == [f"{year}-11-23T00:00:00+09:00" for year in range(2017, 2024)]


def test_gsomia_as_it_happened() -> None:
    # facts/treaties.md, GSOMIA: notice delivered 23 August 2019; suspended 22 November 2019
    # about 18:00 KST; "renewed 23 November 2020"; the notice withdrawn 21 March 2023.
    timeline = simulate(
        GSOMIA,
        [
            {"at": "2019-08-23", "by": "KR", "do": "notify"},
            {"at": "2019-11-22T18:00", "by": "KR", "do": "suspend_notice"},
            {"at": "2023-03-21", "by": "KR", "do": "withdraw_notice"},
        ],
        "2024-01-01",
    )
    assert timeline.terminated_at is None
    assert timeline.bound_until == {"KR": None, "JP": None}
    assert timeline.rejections == []
    # Arirang, 18 November 2019: expiry "midnight November 23, Korea time"; the suspension
    # came first, so it is still in force after that midnight.
    assert timeline.status_at(kst(2019, 11, 23, 12)) == "in_force"
    renewals = [at for at, *_ in events(timeline, EventKind.RENEWED)]
    assert "2019-11-23T00:00:00+09:00" in renewals
    assert "2020-11-23T00:00:00+09:00" in renewals
    assert events(timeline, EventKind.NOTICE_WITHDRAWN) == [
        ("2023-03-21T00:00:00+09:00", "notice_withdrawn", "KR")
    ]


@pytest.mark.parametrize(
    ("interpretation", "end"),
    [
        # facts/treaties.md: suspended "six hours before expiry"; resumed 2020-08-10
        # (PRODUCT.md's example): remaining: six hours after resumption;
        (Interpretation.REMAINING, "2020-08-10T06:00:00+09:00"),
        # immediate: at resumption;
        (Interpretation.IMMEDIATE, "2020-08-10T00:00:00+09:00"),
        # fresh: a new notice on 2020-08-10, before the 2020 deadline (25 August), stops the
        # renewal at 2020-11-23T00:00 KST.
        (Interpretation.FRESH, "2020-11-23T00:00:00+09:00"),
    ],
)
def test_gsomia_resumed_notice_under_each_interpretation(
    interpretation: Interpretation, end: str
) -> None:
    timeline = simulate(
        GSOMIA,
        [
            {"at": "2019-08-23", "by": "KR", "do": "notify"},
            {"at": "2019-11-22T18:00", "by": "KR", "do": "suspend_notice"},
            {"at": "2020-08-10", "by": "KR", "do": "resume_notice"},
        ],
        "2023-01-01",
        interpretation,
    )
    assert timeline.interpretation is interpretation
    assert events(timeline, EventKind.NOTICE_RESUMED) == [
        ("2020-08-10T00:00:00+09:00", "notice_resumed", "KR")
    ]
    assert ("2019-11-23T00:00:00+09:00", "renewed", None) in events(timeline)
    assert timeline.terminated_at is not None
    assert iso(timeline.terminated_at) == end
    assert events(timeline, *ENDINGS) == [(end, "terminated", "KR")]


def test_the_scenario_interpretation_applies_unless_one_is_given() -> None:
    # PRODUCT.md, "Interpretations": the scenario's interpretation (or --interpretation).
    scenario = Scenario.model_validate(
        {
            "name": "test",
            "treaty": GSOMIA,
            "interpretation": "immediate",
            "horizon": "2023-01-01",
            "actions": [
                {"at": "2019-08-23", "by": "KR", "do": "notify"},
                {"at": "2019-11-22T18:00", "by": "KR", "do": "suspend_notice"},
                {"at": "2020-08-10", "by": "KR", "do": "resume_notice"},
            ],
        }
    )
    assert run(scenario, GSOMIA).terminated_at == kst(2020, 8, 10)
    assert run(scenario, GSOMIA, Interpretation.FRESH).terminated_at == kst(2020, 11, 23)


# --- withdrawals: bilateral and multilateral ------------------------------------------------


@pytest.mark.parametrize(
    ("interpretation", "effect"),
    [
        # facts/treaties.md, NPT: notice 12 March 1993, suspended 11 June 1993 (one day
        # before effect), announcement 10 January 2003: remaining: 11 January 2003;
        (Interpretation.REMAINING, "2003-01-11T00:00:00+00:00"),
        # fresh: three months after the announcement, 10 April 2003 (CNS);
        (Interpretation.FRESH, "2003-04-10T00:00:00+00:00"),
        # immediate: at the announcement.
        (Interpretation.IMMEDIATE, "2003-01-10T00:00:00+00:00"),
    ],
)
def test_north_korea_leaves_the_npt(interpretation: Interpretation, effect: str) -> None:
    timeline = simulate(
        NPT,
        [
            {"at": "1993-03-12", "by": "KP", "do": "notify"},
            {"at": "1993-06-11", "by": "KP", "do": "suspend_notice"},
            {"at": "2003-01-10", "by": "KP", "do": "resume_notice"},
        ],
        "2010-01-01",
        interpretation,
    )
    # facts/treaties.md: the notice would have taken effect on 12 June 1993
    given = [e for e in timeline.events if e.kind is EventKind.NOTICE_GIVEN]
    assert [iso(e.effective) for e in given if e.effective] == ["1993-06-12T00:00:00+00:00"]
    # PRODUCT.md, "The treaty": with three or more parties a notice that takes effect ends
    # only the notifying party's participation; the treaty goes on for the others.
    assert events(timeline, *ENDINGS) == [(effect, "withdrawal_effective", "KP")]
    assert timeline.terminated_at is None
    assert timeline.bound_until["KP"] is not None
    assert iso(timeline.bound_until["KP"]) == effect
    assert timeline.bound_until["US"] is None


def test_inf_withdrawal_ends_a_bilateral_treaty() -> None:
    # facts/treaties.md, INF: US notice 2 February 2019; withdrawal takes effect 2 August
    # 2019 and the treaty ends (PRODUCT.md, "The treaty": two parties: the treaty ends).
    timeline = simulate(INF, [{"at": "2019-02-02", "by": "US", "do": "notify"}], "2020-01-01")
    assert events(timeline, *ENDINGS) == [("2019-08-02T00:00:00+00:00", "terminated", "US")]
    assert timeline.terminated_at == utc(2019, 8, 2)
    assert timeline.bound_until == {"US": utc(2019, 8, 2), "RU": utc(2019, 8, 2)}


def test_paris_withdrawal_ends_only_the_party() -> None:
    # facts/treaties.md, Paris: US notice 4 November 2019, effective 4 November 2020.
    timeline = simulate(PARIS, [{"at": "2019-11-04", "by": "US", "do": "notify"}], "2022-01-01")
    assert events(timeline, *ENDINGS) == [
        ("2020-11-04T00:00:00-05:00", "withdrawal_effective", "US")
    ]
    assert timeline.terminated_at is None
    assert timeline.bound_until["FR"] is None
    # PRODUCT.md, "Actions": anything after the end (for that party) is rejected
    later = simulate(
        PARIS,
        [
            {"at": "2019-11-04", "by": "US", "do": "notify"},
            {"at": "2021-01-20", "by": "US", "do": "notify"},
        ],
        "2022-01-01",
    )
    assert events(later, EventKind.REJECTED) == [("2021-01-20T00:00:00-05:00", "rejected", "US")]


def test_paris_notice_before_three_years_is_rejected() -> None:
    # facts/treaties.md, Paris: "at any time after three years from the date the Agreement
    # entered into force" (4 November 2016); PRODUCT.md: a notice before in_force + 3y is
    # rejected, one exactly at it accepted.
    timeline = simulate(
        PARIS,
        [
            {"at": "2019-11-03", "by": "US", "do": "notify"},
            {"at": "2019-11-04", "by": "US", "do": "notify"},
        ],
        "2022-01-01",
    )
    assert events(timeline, EventKind.REJECTED, EventKind.NOTICE_GIVEN) == [
        # (New York is still on daylight time at 00:00 on 3 November 2019)
        ("2019-11-03T00:00:00-04:00", "rejected", "US"),
        ("2019-11-04T00:00:00-05:00", "notice_given", "US"),
    ]


def test_paris_withdrawal_counted_in_whole_days() -> None:
    # PRODUCT.md, "Counting": whole_days: a period from an event on 2019-11-04 ends at 00:00
    # of the day after 2019-11-04 + 1y, i.e. 2020-11-05T00:00 local.
    whole_days = with_clause(PARIS, counting="whole_days")
    timeline = simulate(
        whole_days, [{"at": "2019-11-04T10:00", "by": "US", "do": "notify"}], "2022-01-01"
    )
    assert events(timeline, *ENDINGS) == [
        ("2020-11-05T00:00:00-05:00", "withdrawal_effective", "US")
    ]


def test_a_notice_under_a_renewal_clause_ends_only_the_party_in_a_multilateral_treaty() -> None:
    # PRODUCT.md, "The treaty": with three or more parties a notice that takes effect ends
    # only the notifying party's participation; the treaty goes on (and renews) for the
    # others. GSOMIA's clause with a third party: a notice on 2019-08-24 takes effect at
    # 2019-11-23T00:00 KST ("Counting").
    three = Treaty.model_validate(
        {**GSOMIA.model_dump(mode="json"), "name": "Three", "parties": ["KR", "JP", "US"]}
    )
    timeline = simulate(three, [{"at": "2019-08-24", "by": "KR", "do": "notify"}], "2021-01-01")
    assert events(timeline, *ENDINGS) == [
        ("2019-11-23T00:00:00+09:00", "withdrawal_effective", "KR")
    ]
    assert ("2019-11-23T00:00:00+09:00", "renewed", None) in events(timeline)
    assert ("2020-11-23T00:00:00+09:00", "renewed", None) in events(timeline)
    assert timeline.terminated_at is None
    assert timeline.bound_until == {"KR": kst(2019, 11, 23), "JP": None, "US": None}


def test_gsomia_counted_in_whole_days_has_the_same_last_day_to_notify() -> None:
    # PRODUCT.md, "Counting": whole_days: in time if received on or before (end - notice)
    # - 1 day = 24 August (facts/treaties.md: NHK, Hankyoreh).
    whole_days = with_clause(GSOMIA, counting="whole_days")
    in_time = simulate(
        whole_days, [{"at": "2019-08-24T23:59", "by": "KR", "do": "notify"}], "2022-01-01"
    )
    assert in_time.terminated_at == kst(2019, 11, 23)
    late = simulate(whole_days, [{"at": "2019-08-25", "by": "KR", "do": "notify"}], "2022-01-01")
    assert late.terminated_at == kst(2020, 11, 23)


def test_renewals_from_29_february_do_not_drift() -> None:
    # PRODUCT.md, "Time": in force 2016-02-29, term 1y, renewal 1y: term 4 ends 2020-02-29,
    # the others on 28 February.
    leap = Treaty.model_validate(
        {
            "name": "Leap",
            "parties": ["A", "B"],
            "in_force": "2016-02-29",
            "clause": {"term": "1y", "renewal": "1y"},
        }
    )
    timeline = simulate(leap, [], "2025-01-01")
    assert [at for at, *_ in events(timeline, EventKind.RENEWED)] == [
        "2017-02-28T00:00:00+00:00",
        "2018-02-28T00:00:00+00:00",
        "2019-02-28T00:00:00+00:00",
        "2020-02-29T00:00:00+00:00",
        "2021-02-28T00:00:00+00:00",
        "2022-02-28T00:00:00+00:00",
        "2023-02-28T00:00:00+00:00",
        "2024-02-29T00:00:00+00:00",
    ]


def test_a_suspension_at_the_instant_of_effect_is_too_late() -> None:
    # PRODUCT.md, "Time": half-open: at 2019-11-23T00:00 KST the notice of 2019-08-23 has
    # ended the treaty (facts/treaties.md: expiry at midnight between 22 and 23 November),
    # so a suspension then is an action after the end: rejected.
    timeline = simulate(
        GSOMIA,
        [
            {"at": "2019-08-23", "by": "KR", "do": "notify"},
            {"at": "2019-11-23", "by": "KR", "do": "suspend_notice"},
        ],
        "2021-01-01",
    )
    assert timeline.terminated_at == kst(2019, 11, 23)
    assert events(timeline)[-2:] == [
        ("2019-11-23T00:00:00+09:00", "terminated", "KR"),
        ("2019-11-23T00:00:00+09:00", "rejected", "KR"),
    ]


def test_a_pending_renewal_notice_moves_with_an_extended_term() -> None:
    # PRODUCT.md, "Actions": extend moves the current end: with KR's notice of 2019-08-23
    # pending (effect 2019-11-23), extending by a year moves the end to 2020-11-23.
    timeline = simulate(
        GSOMIA,
        [
            {"at": "2019-08-23", "by": "KR", "do": "notify"},
            {"at": "2019-10-01", "do": "extend", "period": "1y"},
        ],
        "2022-01-01",
    )
    assert ("2019-11-23T00:00:00+09:00", "renewed", None) not in events(timeline)
    assert events(timeline, *ENDINGS) == [("2020-11-23T00:00:00+09:00", "terminated", "KR")]


# --- fixed terms, extension, termination, operation ---------------------------------------


def test_a_fixed_term_expires_at_its_end() -> None:
    # facts/treaties.md, New START: ten years from 5 February 2011; PRODUCT.md, "The clause":
    # a fixed term ends at its end unless extended; "The timeline": terminated, outcome expired.
    timeline = simulate(NEW_START, [], "2022-01-01")
    assert events(timeline, *ENDINGS) == [("2021-02-05T00:00:00+00:00", "terminated", None)]
    assert timeline.terms[-1].outcome is Outcome.EXPIRED
    assert timeline.terminated_at == utc(2021, 2, 5)


@pytest.mark.parametrize(
    "extension",
    [
        # facts/treaties.md, New START: 3 February 2021, extended by five years;
        {"period": "5y"},
        # "to 5 February 2026": last day in force 4 February, end 00:00 on the 5th
        # (PRODUCT.md, "Actions": through is the new last day, inclusive).
        {"through": "2026-02-04"},
    ],
)
def test_new_start_extended_to_5_february_2026(extension: dict[str, str]) -> None:
    timeline = simulate(
        NEW_START, [{"at": "2021-02-03", "do": "extend", **extension}], "2027-01-01"
    )
    extended = [e for e in timeline.events if e.kind is EventKind.EXTENDED]
    assert [(iso(e.at), e.effective) for e in extended] == [
        ("2021-02-03T00:00:00+00:00", utc(2026, 2, 5))
    ]
    assert events(timeline, EventKind.RENEWED) == []
    assert events(timeline, *ENDINGS) == [("2026-02-05T00:00:00+00:00", "terminated", None)]
    assert [(term.number, term.outcome) for term in timeline.terms] == [
        (1, Outcome.EXTENDED),
        (2, Outcome.EXPIRED),
    ]


def test_an_extension_at_the_end_of_a_fixed_term_is_too_late() -> None:
    # PRODUCT.md, "Time": half-open: New START's ten years end at 2021-02-05T00:00
    # (facts/treaties.md); an extension agreed at that instant comes after the end.
    timeline = simulate(
        NEW_START, [{"at": "2021-02-05", "do": "extend", "period": "5y"}], "2027-01-01"
    )
    assert timeline.terminated_at == utc(2021, 2, 5)
    assert events(timeline, EventKind.REJECTED) == [("2021-02-05T00:00:00+00:00", "rejected", None)]


def test_an_extension_moves_a_pending_withdrawal() -> None:
    # PRODUCT.md, "Actions": extend moves "the current end (term, or pending withdrawal)":
    # INF's withdrawal, due 2019-08-02 (facts/treaties.md), through 2019-10-31 ends at
    # 2019-11-01T00:00.
    timeline = simulate(
        INF,
        [
            {"at": "2019-02-02", "by": "US", "do": "notify"},
            {"at": "2019-04-10", "do": "extend", "through": "2019-10-31"},
        ],
        "2020-06-01",
    )
    assert events(timeline, *ENDINGS) == [("2019-11-01T00:00:00+00:00", "terminated", "US")]


def test_a_withdrawn_notice_does_not_decide_between_two_notices_due_together() -> None:
    # PRODUCT.md, "Actions": withdraw_notice revokes a notice, "as if never given". INF counted
    # in whole days: notices given on the same day fall due at the same midnight. The US gives
    # notice and withdraws it; then Russia and the US give notice that day: the timeline is
    # the one without the withdrawn notice, whichever notice it records as ending the treaty.
    treaty = with_clause(INF, counting="whole_days")
    later = [
        {"at": "2019-02-02T03:00:00Z", "by": "RU", "do": "notify"},
        {"at": "2019-02-02T04:00:00Z", "by": "US", "do": "notify"},
    ]
    withdrawn = [
        {"at": "2019-02-02T01:00:00Z", "by": "US", "do": "notify"},
        {"at": "2019-02-02T02:00:00Z", "by": "US", "do": "withdraw_notice"},
    ]
    plain = simulate(treaty, later, "2020-06-01")
    paired = simulate(treaty, withdrawn + later, "2020-06-01")
    kept = [
        event
        for event in paired.events
        if iso(event.at) not in ("2019-02-02T01:00:00+00:00", "2019-02-02T02:00:00+00:00")
    ]
    assert kept == plain.events
    assert events(paired, *ENDINGS) == events(plain, *ENDINGS)
    assert len(events(paired, *ENDINGS)) == 1


def test_a_term_counted_from_a_day_without_midnight_ends_at_midnight() -> None:
    # PRODUCT.md, "Time": a date means 00:00 local, and term ends are in_force + term +
    # (n-1)·renewal. Sao Paulo's clocks jumped from 00:00 to 01:00 on 4 November 2018 (IANA
    # tzdata), so that day began at 01:00; a one-week term from it still ends at 00:00 on
    # 11 November, and the next at 00:00 on 18 November.
    treaty = Treaty.model_validate(
        {
            "name": "weekly",
            "parties": ["A", "B"],
            "timezone": "America/Sao_Paulo",
            "in_force": "2018-11-04",
            "clause": {"term": "1w", "renewal": "1w"},
        }
    )
    timeline = simulate(treaty, [], "2018-11-20")
    assert [iso(term.scheduled_end) for term in timeline.terms if term.scheduled_end][:2] == [
        "2018-11-11T00:00:00-02:00",
        "2018-11-18T00:00:00-02:00",
    ]


def test_a_deadline_before_a_day_without_midnight_is_counted_from_its_date() -> None:
    # PRODUCT.md, "Counting": the deadline is end - notice. A GSOMIA-like clause in force in
    # Sao Paulo on 4 November 2017: the first term ends on 4 November 2018, a day that began
    # at 01:00 (IANA tzdata); 90 days before that date is 6 August 2018, so a notice is late
    # from 00:00 on 6 August (last day to notify: 5 August).
    treaty = Treaty.model_validate(
        {
            "name": "yearly",
            "parties": ["A", "B"],
            "timezone": "America/Sao_Paulo",
            "in_force": "2017-11-04",
            "clause": {"term": "1y", "renewal": "1y", "notice": "90d"},
        }
    )
    first = simulate(treaty, [], "2018-12-01").terms[0]
    assert iso(first.scheduled_end) == "2018-11-04T01:00:00-02:00"
    assert first.notice_deadline is not None
    assert iso(first.notice_deadline) == "2018-08-06T00:00:00-03:00"
    late = simulate(treaty, [{"at": "2018-08-06T00:30", "by": "A", "do": "notify"}], "2020-01-01")
    assert late.terminated_at is not None
    assert iso(late.terminated_at) == "2019-11-04T00:00:00-03:00"


def test_a_notice_resumed_in_the_second_fall_back_hour_takes_effect_after_it() -> None:
    # PRODUCT.md, "Interpretations": under remaining, a resumed notice "takes effect after the
    # time that was left". New York repeats 01:00-02:00 on 7 November 2021 (IANA tzdata). A
    # one-day withdrawal notice of 1 November 2021 (due 2 November 00:00), suspended at 23:50
    # with 10 minutes left, resumed at the second 01:30 (-05:00), ends 10 minutes after it.
    treaty = with_clause(INF, withdrawal="1d").model_copy(update={"timezone": "America/New_York"})
    timeline = simulate(
        treaty,
        [
            {"at": "2021-11-01", "by": "US", "do": "notify"},
            {"at": "2021-11-01T23:50", "by": "US", "do": "suspend_notice"},
            {"at": "2021-11-07T01:30-05:00", "by": "US", "do": "resume_notice"},
        ],
        "2022-01-01",
        Interpretation.REMAINING,
    )
    assert timeline.terminated_at is not None
    assert iso(timeline.terminated_at) == "2021-11-07T01:40:00-05:00"
    kinds = [event.kind for event in timeline.events]
    assert kinds.index(EventKind.NOTICE_RESUMED) < kinds.index(EventKind.TERMINATED)


def test_a_treaty_in_force_on_a_skipped_day_counts_from_that_date() -> None:
    # PRODUCT.md, "Time": term ends are in_force + term + (n-1)·renewal, and a date means
    # 00:00 local. Samoa (Pacific/Apia) skipped 30 December 2011 (IANA tzdata: UTC-10 to
    # UTC+14). A GSOMIA-like clause in force that day: the first term ends at 00:00 on
    # 30 December 2012 and its deadline is 90 days before, 00:00 on 1 October 2012, so a
    # notice on 1 October is late and stops the next renewal (late_notice: next_term).
    treaty = Treaty.model_validate(
        {
            "name": "skipped",
            "parties": ["A", "B"],
            "timezone": "Pacific/Apia",
            "in_force": "2011-12-30",
            "clause": {"term": "1y", "renewal": "1y", "notice": "90d"},
        }
    )
    timeline = simulate(treaty, [{"at": "2012-10-01", "by": "A", "do": "notify"}], "2014-01-01")
    first = timeline.terms[0]
    assert first.scheduled_end is not None and first.notice_deadline is not None
    assert iso(first.scheduled_end) == "2012-12-30T00:00:00+14:00"
    assert iso(first.notice_deadline) == "2012-10-01T00:00:00+14:00"
    assert timeline.terminated_at is not None
    assert iso(timeline.terminated_at) == "2013-12-30T00:00:00+14:00"


def test_an_extension_moves_a_whole_days_effect_on_dates() -> None:
    # PRODUCT.md, "Counting": under whole_days a period ends at 00:00 of a day; "Actions":
    # extend adds its period to the current end. Sao Paulo's 4 November 2018 began at 01:00
    # (IANA tzdata). A one-day withdrawal of 2 November (whole_days) ends at the start of
    # 4 November; extended by a week, it ends at 00:00 on 11 November, not at 01:00.
    treaty = Treaty.model_validate(
        {
            "name": "days",
            "parties": ["A", "B"],
            "timezone": "America/Sao_Paulo",
            "in_force": "2018-01-01",
            "clause": {"withdrawal": "1d", "counting": "whole_days"},
        }
    )
    timeline = simulate(
        treaty,
        [
            {"at": "2018-11-02", "by": "A", "do": "notify"},
            {"at": "2018-11-03", "do": "extend", "period": "1w"},
        ],
        "2019-01-01",
    )
    assert timeline.terminated_at is not None
    assert iso(timeline.terminated_at) == "2018-11-11T00:00:00-02:00"


def test_termination_by_agreement_is_at_once_and_final() -> None:
    # PRODUCT.md, "Actions": terminate, by agreement, effective at once; anything after the
    # end is rejected, and the run goes on.
    timeline = simulate(
        NEW_START,
        [
            {"at": "2021-02-03", "do": "extend", "period": "5y"},
            {"at": "2023-06-01T12:00", "do": "terminate"},
            {"at": "2023-07-01", "by": "RU", "do": "notify"},
            {"at": "2023-07-02", "do": "extend", "period": "1y"},
        ],
        "2027-01-01",
    )
    assert events(timeline, *ENDINGS) == [("2023-06-01T12:00:00+00:00", "terminated", None)]
    assert timeline.terminated_at == datetime(2023, 6, 1, 12, tzinfo=UTC)
    assert timeline.terms[-1].outcome is Outcome.TERMINATED
    assert events(timeline, EventKind.REJECTED) == [
        ("2023-07-01T00:00:00+00:00", "rejected", "RU"),
        ("2023-07-02T00:00:00+00:00", "rejected", None),
    ]
    assert timeline.status_at(datetime(2023, 6, 1, 11, 59, tzinfo=UTC)) == "in_force"
    assert timeline.status_at(datetime(2023, 6, 1, 12, tzinfo=UTC)) == "terminated"


def test_suspending_operation_leaves_terms_and_deadlines_alone() -> None:
    # facts/treaties.md, New START: 21 February 2023, Russia "suspends" its participation
    # (the treaty stays in force); PRODUCT.md, "Actions": terms and deadlines run on unchanged.
    actions: list[dict[str, Any]] = [{"at": "2021-02-03", "do": "extend", "period": "5y"}]
    plain = simulate(NEW_START, actions, "2027-01-01")
    suspended = simulate(
        NEW_START,
        [
            *actions,
            {"at": "2023-02-21", "by": "RU", "do": "suspend_operation"},
            {"at": "2024-01-01", "by": "RU", "do": "resume_operation"},
        ],
        "2027-01-01",
    )
    assert events(suspended, EventKind.OPERATION_SUSPENDED, EventKind.OPERATION_RESUMED) == [
        ("2023-02-21T00:00:00+00:00", "operation_suspended", "RU"),
        ("2024-01-01T00:00:00+00:00", "operation_resumed", "RU"),
    ]
    assert suspended.terminated_at == plain.terminated_at == utc(2026, 2, 5)
    assert [(t.start, t.end) for t in suspended.terms] == [(t.start, t.end) for t in plain.terms]
    assert suspended.status_at(utc(2024, 6, 1)) == "in_force"


# --- order of events at an instant, and the horizon ----------------------------------------


def test_actions_at_the_same_instant_apply_in_file_order() -> None:
    # PRODUCT.md, "Actions": "Actions at the same instant apply in file order."
    notify = {"at": "2019-08-23", "by": "KR", "do": "notify"}
    withdraw = {"at": "2019-08-23", "by": "KR", "do": "withdraw_notice"}
    given_first = simulate(GSOMIA, [notify, withdraw], "2021-01-01")
    assert events(given_first, EventKind.NOTICE_GIVEN, EventKind.NOTICE_WITHDRAWN) == [
        ("2019-08-23T00:00:00+09:00", "notice_given", "KR"),
        ("2019-08-23T00:00:00+09:00", "notice_withdrawn", "KR"),
    ]
    assert given_first.terminated_at is None
    withdrawn_first = simulate(GSOMIA, [withdraw, notify], "2021-01-01")
    assert events(withdrawn_first, EventKind.REJECTED, EventKind.NOTICE_GIVEN) == [
        ("2019-08-23T00:00:00+09:00", "rejected", "KR"),
        ("2019-08-23T00:00:00+09:00", "notice_given", "KR"),
    ]
    assert withdrawn_first.terminated_at == kst(2019, 11, 23)


def test_actions_are_applied_in_time_order_whatever_the_file_order() -> None:
    # PRODUCT.md, "Actions": actions apply in time order (file order only at equal instants).
    timeline = simulate(
        GSOMIA,
        [
            {"at": "2019-08-24", "by": "KR", "do": "withdraw_notice"},
            {"at": "2019-08-23", "by": "KR", "do": "notify"},
        ],
        "2021-01-01",
    )
    assert events(timeline, EventKind.NOTICE_GIVEN, EventKind.NOTICE_WITHDRAWN) == [
        ("2019-08-23T00:00:00+09:00", "notice_given", "KR"),
        ("2019-08-24T00:00:00+09:00", "notice_withdrawn", "KR"),
    ]


def test_actions_in_a_repeated_hour_are_applied_in_the_order_of_the_instants() -> None:
    # PRODUCT.md, "Time": every instant is time-zone aware. New York repeats 01:00-02:00 on
    # 3 November 2019: 01:45-04:00 (05:45 UTC) comes before 01:15-05:00 (06:15 UTC).
    treaty = INF.model_copy(update={"timezone": "America/New_York"})
    timeline = simulate(
        treaty,
        [
            {"at": "2019-11-03T01:15-05:00", "by": "US", "do": "withdraw_notice"},
            {"at": "2019-11-03T01:45-04:00", "by": "US", "do": "notify"},
        ],
        "2021-01-01",
    )
    assert events(timeline, EventKind.NOTICE_GIVEN, EventKind.NOTICE_WITHDRAWN) == [
        ("2019-11-03T01:45:00-04:00", "notice_given", "US"),
        ("2019-11-03T01:15:00-05:00", "notice_withdrawn", "US"),
    ]
    assert timeline.rejections == []
    assert timeline.terminated_at is None


def test_an_action_at_a_term_end_sees_the_next_term() -> None:
    # PRODUCT.md, "Time": terms are half-open, so at 2019-11-23T00:00 KST the fourth term
    # (to 2020-11-23) is in force; a notice then stops the renewal at 2020-11-23.
    timeline = simulate(GSOMIA, [{"at": "2019-11-23", "by": "KR", "do": "notify"}], "2022-01-01")
    given = [e for e in timeline.events if e.kind is EventKind.NOTICE_GIVEN]
    assert [(e.term, e.effective) for e in given] == [(4, kst(2020, 11, 23))]
    renewed = [e for e in timeline.events if e.kind is EventKind.RENEWED]
    assert timeline.events.index(renewed[2]) < timeline.events.index(given[0])
    assert timeline.terminated_at == kst(2020, 11, 23)


def test_an_action_at_entry_into_force_finds_the_treaty_in_force() -> None:
    # PRODUCT.md, "Time": in force at start. facts/treaties.md, INF: in force 1 June 1988.
    timeline = simulate(INF, [{"at": "1988-06-01", "by": "US", "do": "notify"}], "1990-01-01")
    assert events(timeline)[:2] == [
        ("1988-06-01T00:00:00+00:00", "entered_into_force", None),
        ("1988-06-01T00:00:00+00:00", "notice_given", "US"),
    ]
    # facts/treaties.md, INF art. XV: six months' notice: 1988-06-01 + 6mo = 1988-12-01
    assert timeline.terminated_at == utc(1988, 12, 1)


def test_an_action_before_entry_into_force_is_rejected() -> None:
    # PRODUCT.md, "Actions": an action that does not apply in the current state is rejected
    # and the run goes on; status_at: not_yet_in_force.
    timeline = simulate(INF, [{"at": "1988-05-31", "by": "US", "do": "notify"}], "1990-01-01")
    assert events(timeline)[:2] == [
        ("1988-05-31T00:00:00+00:00", "rejected", "US"),
        ("1988-06-01T00:00:00+00:00", "entered_into_force", None),
    ]
    assert timeline.status_at(utc(1988, 5, 31)) == "not_yet_in_force"
    assert timeline.terminated_at is None


def test_the_horizon_is_half_open() -> None:
    # PRODUCT.md, "The timeline": the horizon bounds the run; like every interval here it is
    # half-open: nothing at the horizon itself happens.
    at_horizon = simulate(GSOMIA, [], "2019-11-23")
    assert "2019-11-23T00:00:00+09:00" not in [at for at, *_ in events(at_horizon)]
    assert iso(at_horizon.horizon) == "2019-11-23T00:00:00+09:00"
    after = simulate(GSOMIA, [], "2019-11-24")
    assert ("2019-11-23T00:00:00+09:00", "renewed", None) in events(after)
    # a notice's effect at the horizon is not reached either
    stopped = simulate(GSOMIA, [{"at": "2019-08-24", "by": "KR", "do": "notify"}], "2019-11-23")
    assert stopped.terminated_at is None
    with pytest.raises(RunError):
        simulate(GSOMIA, [{"at": "2019-11-23", "by": "KR", "do": "notify"}], "2019-11-23")


def test_the_default_horizon_is_three_years_after_the_last_action() -> None:
    # PRODUCT.md, "The timeline": by default three years after the last action (or after
    # entry into force).
    timeline = simulate(GSOMIA, [{"at": "2019-08-23", "by": "KR", "do": "withdraw_notice"}])
    assert iso(timeline.horizon) == "2022-08-23T00:00:00+09:00"
    assert iso(simulate(GSOMIA, []).horizon) == "2019-11-23T00:00:00+09:00"


# --- the event limit ----------------------------------------------------------------------


def test_a_horizon_with_too_many_renewals_is_refused_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # PRODUCT.md, "The timeline": "A run that would produce more than 100,000 events is
    # refused with a clear error, never left to grow": daily renewals for three centuries
    # (over 109,000 of them).
    daily = Treaty.model_validate(
        {
            "name": "Daily",
            "parties": ["A", "B"],
            "in_force": "2000-01-01",
            "clause": {"term": "1d", "renewal": "1d"},
        }
    )
    # "At once": refused before the simulation starts (`make bench` times it).
    monkeypatch.setattr(engine._Run, "go", lambda self: pytest.fail("the run was started"))
    with pytest.raises(RunError) as refused:
        simulate(daily, [], "2300-01-01")
    assert "100,000" in refused.value.message
    assert refused.value.field == "horizon"


@pytest.mark.parametrize(
    ("horizon", "refused"),
    [("2001-09-01", False), ("2001-09-02", True)],
)
def test_the_renewal_count_is_exact_for_months(
    monkeypatch: pytest.MonkeyPatch, horizon: str, refused: bool
) -> None:
    # PRODUCT.md, "The timeline": more than MAX_EVENTS events is refused, and no fewer. With
    # the limit lowered to 20, monthly terms from 2000-01-01 (PRODUCT.md, "Time": term n ends
    # in_force + n months) end on the 1st of each month; the 20th ends on 2001-09-01. Up to
    # that horizon the run has 20 events (entry into force and 19 renewals) and is allowed,
    # though 609 days hold 21 periods of 28 days; a day later it would have 21, and is refused
    # before it starts.
    monkeypatch.setattr(engine, "MAX_EVENTS", 20)
    monthly = Treaty.model_validate(
        {
            "name": "Monthly",
            "parties": ["A", "B"],
            "in_force": "2000-01-01",
            "clause": {"term": "1mo", "renewal": "1mo"},
        }
    )
    if refused:
        monkeypatch.setattr(engine._Run, "go", lambda self: pytest.fail("the run was started"))
        with pytest.raises(RunError) as error:
            simulate(monthly, [], horizon)
        assert error.value.field == "horizon"
    else:
        assert len(simulate(monthly, [], horizon).events) == 20


def test_a_run_that_reaches_the_event_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # PRODUCT.md, "The timeline": the limit holds however the events arise; with the limit
    # lowered to 20, thirty actions on an indefinite treaty (no renewals to count in
    # advance) stop the run with a RunError once the 21st event is recorded.
    monkeypatch.setattr(engine, "MAX_EVENTS", 20)
    actions = [
        {
            "at": f"2019-01-{day:02d}",
            "by": "US",
            "do": "suspend_operation" if day % 2 else "resume_operation",
        }
        for day in range(1, 31)
    ]
    with pytest.raises(RunError) as refused:
        simulate(INF, actions, "2020-01-01")
    assert refused.value.field == "horizon"
    assert "20" in refused.value.message
