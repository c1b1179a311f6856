"""The state machine's events in full: each transition records exactly its event (the party,
the running term, the instant it takes effect and the reason, which are user-visible in the
timeline), each guard refuses with exactly its reason, and the bookkeeping behind the clock
(survival, re-joining, the earliest pending withdrawal) does what PRODUCT.md says.

Held to the mutation target of issue 15, item 7 (docs/properties.md, "Mutation testing")."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import fixtures

from sim.core.kernel import ExtensionBasis
from sim.core.machine import Standing, TreatyMachine, Wakeup
from sim.core.model import Action, ActionKind, EventKind, Interpretation, Treaty
from sim.core.timeline import Event

SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")
LISBON = ZoneInfo("Europe/Lisbon")
TEHRAN = ZoneInfo("Asia/Tehran")
UTC = ZoneInfo("UTC")
A = ActionKind
E = EventKind


def gsomia_in_term_3(
    interpretation: Interpretation = Interpretation.REMAINING,
) -> TreatyMachine:
    """GSOMIA's machine in its third term, 23 November 2018 to 23 November 2019 (in force
    2016-11-23, one-year terms: docs/sources.md), its first two terms renewed."""
    gsomia = machine(GSOMIA, interpretation)
    gsomia.term_end(kst(2017, 11, 23))
    gsomia.term_end(kst(2018, 11, 23))
    return gsomia


def rejected(at: datetime, by: str | None, term: int | None, reason: str, action: str) -> Event:
    """A ``rejected`` event, as the state machine records a refusal: the action refused and
    the reason the contract makes user-visible text."""
    return Event(at, E.REJECTED, by=by, term=term, reason=reason, action=action)


def kst(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SEOUL)


def nyc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=NEW_YORK)


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def lisbon(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=LISBON)


def machine(
    data: dict[str, Any],
    interpretation: Interpretation = Interpretation.REMAINING,
    *,
    enter: bool = True,
) -> TreatyMachine:
    subject = Treaty.model_validate(data)
    in_force = None
    if subject.in_force is not None:
        in_force = datetime.combine(
            subject.in_force, datetime.min.time(), ZoneInfo(subject.timezone)
        )
    treaty_machine = TreatyMachine(subject, in_force, interpretation)
    if enter:
        treaty_machine.enter_into_force()
    return treaty_machine


def act(do: ActionKind, by: str | None = None, **fields: str) -> Action:
    """An action; the machine is given its instant (``at`` matters only to validation)."""
    return Action.model_validate({"at": "1950-01-01", "do": do, "by": by, **fields})


# docs/sources.md, GSOMIA: in force 23 November 2016, one year renewed annually, 90 days'
# notice; notice delivered 23 August 2019 (effect 2019-11-23T00:00 KST), suspended
# 22 November 2019 about 18:00 KST, six hours before.
GSOMIA = fixtures.GSOMIA


def gsomia_suspended(
    interpretation: Interpretation = Interpretation.REMAINING, **suspend: str
) -> TreatyMachine:
    """GSOMIA in its fourth term (from 2019-11-23), KR's notice of 2019-08-23 suspended
    six hours before its effect."""
    gsomia = gsomia_in_term_3(interpretation)
    gsomia.apply(act(A.NOTIFY, by="KR"), kst(2019, 8, 23))
    gsomia.apply(act(A.SUSPEND_NOTICE, by="KR", **suspend), kst(2019, 11, 22, 18))
    gsomia.term_end(kst(2019, 11, 23))
    return gsomia


# docs/sources.md, New START: in force 5 February 2011, ten years (to 2021-02-05), three
# months' withdrawal; extendable for up to five years (sim/treaties/new_start.yaml).
NEW_START = {
    "name": "New START",
    "parties": ["US", "RU"],
    "in_force": "2011-02-05",
    "clause": {"term": "10y", "withdrawal": "3mo", "max_extension": "5y"},
}
# docs/sources.md, NPT: in force 5 March 1970, multilateral, three months' notice; KP's
# notice of 12 March 1993 (effect 12 June 1993), suspended 11 June 1993.
NPT = {
    "name": "NPT",
    "parties": ["US", "GB", "RU", "KP"],
    "in_force": "1970-03-05",
    "clause": {"withdrawal": "3mo"},
}
# docs/sources.md, Energy Charter Treaty: in force 16 April 1998 (Europe/Lisbon), one year
# after receipt, whole days, 20 years of survival (art. 47(3)); Italy's notification received
# 31 December 2014 took effect 1 January 2016.
ENERGY_CHARTER = {
    "name": "Energy Charter Treaty",
    "parties": ["IT", "GB", "FR"],
    "timezone": "Europe/Lisbon",
    "in_force": "1998-04-16",
    "clause": {
        "withdrawal": "1y",
        "earliest_notice": "5y",
        "counting": "whole_days",
        "survival": "20y",
    },
}


# --- the clock -------------------------------------------------------------------------------


def test_entry_into_force_opens_term_one() -> None:
    gsomia = machine(GSOMIA, enter=False)
    assert gsomia.enter_into_force() == [Event(kst(2016, 11, 23), E.ENTERED_INTO_FORCE, term=1)]


def test_a_fixed_term_expires_with_its_reason() -> None:
    # PRODUCT.md, "The clause": a fixed term ends at its end unless extended; New START's
    # ten years end 2021-02-05 (docs/sources.md).
    new_start = machine(NEW_START)
    assert new_start.term_end(utc(2021, 2, 5)) == [
        Event(utc(2021, 2, 5), E.TERMINATED, term=1, reason="the term expired")
    ]


def test_a_bilateral_notice_ends_the_treaty_naming_the_notice() -> None:
    # docs/sources.md, INF: US notice 2 February 2019, effect 2 August 2019; the treaty ends.
    inf = machine(
        {
            "name": "INF",
            "parties": ["US", "RU"],
            "in_force": "1988-06-01",
            "clause": {"withdrawal": "6mo"},
        }
    )
    inf.apply(act(A.NOTIFY, by="US"), utc(2019, 2, 2))
    assert inf.wake(Wakeup("effect", "US", utc(2019, 8, 2))) == [
        Event(
            utc(2019, 8, 2),
            E.TERMINATED,
            by="US",
            term=1,
            reason="notice of 2019-02-02T00:00:00+00:00",
        )
    ]


def test_a_withdrawal_leaves_obligations_that_survive_it_and_then_end() -> None:
    # PRODUCT.md 0.2, "Survival": survives_until = effect + survival, and the event
    # survival_ended then; Italy (docs/sources.md): effect 1 January 2016, so 1 January 2036.
    charter = machine(ENERGY_CHARTER)
    given = charter.apply(act(A.NOTIFY, by="IT"), lisbon(2014, 12, 31))
    assert given[0].effective == lisbon(2016, 1, 1)
    assert charter.wake(Wakeup("effect", "IT", lisbon(2016, 1, 1))) == [
        Event(
            lisbon(2016, 1, 1),
            E.WITHDRAWAL_EFFECTIVE,
            by="IT",
            term=1,
            reason="notice of 2014-12-31T00:00:00+00:00",
        )
    ]
    assert charter.bound_until == {"IT": lisbon(2016, 1, 1), "GB": None, "FR": None}
    assert charter.survives_until == {"IT": lisbon(2036, 1, 1), "GB": None, "FR": None}
    assert Wakeup("survival", "IT", lisbon(2036, 1, 1)) in charter.wakeups()
    assert charter.wake(Wakeup("survival", "IT", lisbon(2036, 1, 1))) == [
        Event(
            lisbon(2036, 1, 1),
            E.SURVIVAL_ENDED,
            by="IT",
            term=1,
            reason="the obligations that survived the withdrawal end",
        )
    ]
    assert [w for w in charter.wakeups() if w.kind == "survival"] == []


def test_a_party_that_rejoins_enters_again_and_a_second_withdrawal_survives_again() -> None:
    # PRODUCT.md 0.2: "a party that left may join again"; earliest_notice is counted from
    # its own entry into force. Italy (hypothetically) rejoins on 2037-01-01 (bound at once:
    # no accession_delay), notifies five years later, 2042-01-01; under whole_days the
    # withdrawal takes effect at 00:00 on the day after 2043-01-01 (PRODUCT.md, "Counting"),
    # and its obligations survive twenty years more.
    charter = machine(ENERGY_CHARTER)
    charter.apply(act(A.NOTIFY, by="IT"), lisbon(2014, 12, 31))
    charter.wake(Wakeup("effect", "IT", lisbon(2016, 1, 1)))
    charter.wake(Wakeup("survival", "IT", lisbon(2036, 1, 1)))
    joined = charter.apply(act(A.JOIN, by="IT"), lisbon(2037, 1, 1))
    assert joined == [
        Event(lisbon(2037, 1, 1), E.JOINED, by="IT", term=1, effective=lisbon(2037, 1, 1))
    ]
    assert Wakeup("enter", "IT", lisbon(2037, 1, 1)) in charter.wakeups()
    assert charter.wake(Wakeup("enter", "IT", lisbon(2037, 1, 1))) == [
        Event(lisbon(2037, 1, 1), E.ENTERED_INTO_FORCE_FOR, by="IT", term=1)
    ]
    charter.apply(act(A.NOTIFY, by="IT"), lisbon(2042, 1, 1))
    charter.wake(Wakeup("effect", "IT", lisbon(2043, 1, 2)))
    assert Wakeup("survival", "IT", lisbon(2063, 1, 2)) in charter.wakeups()


def test_termination_by_agreement_keeps_the_day_a_party_left() -> None:
    # PRODUCT.md, "Actions": terminate ends the treaty at once, for the parties still bound;
    # Italy had left on 1 January 2016 (docs/sources.md). The date of the termination is
    # hypothetical.
    charter = machine(ENERGY_CHARTER)
    charter.apply(act(A.NOTIFY, by="IT"), lisbon(2014, 12, 31))
    charter.wake(Wakeup("effect", "IT", lisbon(2016, 1, 1)))
    assert charter.apply(act(A.TERMINATE), lisbon(2020, 1, 1)) == [
        Event(lisbon(2020, 1, 1), E.TERMINATED, term=1, reason="terminated by agreement")
    ]
    assert charter.bound_until == {
        "IT": lisbon(2016, 1, 1),
        "GB": lisbon(2020, 1, 1),
        "FR": lisbon(2020, 1, 1),
    }


# --- standings at the edges ------------------------------------------------------------------


def test_the_treaty_is_in_force_from_the_instant_of_entry_into_force() -> None:
    # PRODUCT.md, "Time": intervals are half-open, in force at `start`.
    gsomia = machine(GSOMIA)
    assert gsomia.standing(None, kst(2016, 11, 23)) is Standing.IN_FORCE
    assert gsomia.standing("KR", kst(2016, 11, 23)) is Standing.IN_FORCE
    # an action dated before entry into force is judged not yet in force
    before = kst(2016, 11, 22, 23)
    assert gsomia.standing(None, before) is Standing.NOT_YET_IN_FORCE
    assert gsomia.standing("KR", before) is Standing.NOT_YET_IN_FORCE


def test_before_entry_into_force_has_come_nothing_is_in_force() -> None:
    # Until the clock has brought entry into force, even at its instant, the treaty and each
    # party stand as not yet in force (PRODUCT.md, "Actions": "the treaty is not yet in force").
    gsomia = machine(GSOMIA, enter=False)
    assert gsomia.standing(None, kst(2016, 11, 23)) is Standing.NOT_YET_IN_FORCE
    assert gsomia.standing("KR", kst(2016, 11, 23)) is Standing.NOT_YET_IN_FORCE
    assert gsomia.apply(act(A.TERMINATE), kst(2016, 11, 1)) == [
        Event(
            kst(2016, 11, 1),
            E.REJECTED,
            reason="the treaty is not yet in force",
            action="terminate",
        )
    ]


def test_a_stranger_is_rejected_at_the_action_instant_in_the_running_term() -> None:
    # PRODUCT.md, "Actions": "a by that is not a party" is not applied.
    gsomia = machine(GSOMIA)
    assert gsomia.apply(act(A.NOTIFY, by="US"), kst(2017, 3, 1)) == [
        rejected(kst(2017, 3, 1), "US", 1, "US is not a party", "notify")
    ]


# --- notices, suspensions, resumptions -------------------------------------------------------


def test_a_suspension_records_the_time_left() -> None:
    gsomia = gsomia_in_term_3()
    gsomia.apply(act(A.NOTIFY, by="KR"), kst(2019, 8, 23))
    assert gsomia.apply(act(A.SUSPEND_NOTICE, by="KR"), kst(2019, 11, 22, 18)) == [
        Event(
            kst(2019, 11, 22, 18),
            E.NOTICE_SUSPENDED,
            by="KR",
            term=3,
            reason="left before its effect: 6 hours",
        )
    ]


def test_a_timed_suspension_says_until_when_and_may_be_suspended_again() -> None:
    # PRODUCT.md 0.2, "Timed suspension"; resumption date 2020-08-10 (PRODUCT.md's example).
    gsomia = gsomia_in_term_3()
    gsomia.apply(act(A.NOTIFY, by="KR"), kst(2019, 8, 23))
    first = gsomia.apply(act(A.SUSPEND_NOTICE, by="KR", until="2020-08-10"), kst(2019, 11, 22, 18))
    assert first == [
        Event(
            kst(2019, 11, 22, 18),
            E.NOTICE_SUSPENDED,
            by="KR",
            term=3,
            reason="left before its effect: 6 hours; until 2020-08-10T00:00:00+09:00",
        )
    ]
    again = gsomia.apply(act(A.SUSPEND_NOTICE, by="KR", until="2020-09-01"), kst(2019, 12, 1))
    assert again == [
        Event(
            kst(2019, 12, 1),
            E.NOTICE_SUSPENDED,
            by="KR",
            term=3,
            reason="suspended again, until 2020-09-01T00:00:00+09:00",
        )
    ]
    assert Wakeup("resume", "KR", kst(2020, 9, 1)) in gsomia.wakeups()


def test_a_resumed_notice_records_the_interpretation() -> None:
    # PRODUCT.md, "Interpretations": remaining, six hours after the resumption of 2020-08-10.
    gsomia = gsomia_suspended()
    assert gsomia.apply(act(A.RESUME_NOTICE, by="KR"), kst(2020, 8, 10)) == [
        Event(
            kst(2020, 8, 10),
            E.NOTICE_RESUMED,
            by="KR",
            term=4,
            effective=kst(2020, 8, 10, 6),
            reason="interpretation: remaining",
        )
    ]


def test_a_timed_suspension_that_runs_out_says_so() -> None:
    # PRODUCT.md 0.2, "Timed suspension": event notice_resumed, reason "suspension expired".
    gsomia = gsomia_suspended(until="2020-08-10")
    assert gsomia.wake(Wakeup("resume", "KR", kst(2020, 8, 10))) == [
        Event(
            kst(2020, 8, 10),
            E.NOTICE_RESUMED,
            by="KR",
            term=4,
            effective=kst(2020, 8, 10, 6),
            reason="suspension expired; interpretation: remaining",
        )
    ]


VOID_LATE = (
    "as a fresh notice: late: the deadline to stop this renewal was 2020-08-25T00:00:00+09:00, "
    "and the clause makes a late notice void"
)


def test_a_fresh_resumption_that_would_be_void_is_rejected_and_the_notice_stays_suspended() -> None:
    # PRODUCT.md, "Interpretations": fresh, a new notice at resumption; on 2020-09-01 it
    # misses the 2020 deadline (2020-08-25T00:00+09:00) and late notices are void.
    gsomia_void = machine(
        fixtures.variant(GSOMIA, clause={"late_notice": "void"}), Interpretation.FRESH
    )
    gsomia_void.term_end(kst(2017, 11, 23))
    gsomia_void.term_end(kst(2018, 11, 23))
    gsomia_void.apply(act(A.NOTIFY, by="KR"), kst(2019, 8, 23))
    gsomia_void.apply(act(A.SUSPEND_NOTICE, by="KR", until="2020-09-01"), kst(2019, 11, 22, 18))
    gsomia_void.term_end(kst(2019, 11, 23))
    assert gsomia_void.apply(act(A.RESUME_NOTICE, by="KR"), kst(2020, 8, 30)) == [
        rejected(kst(2020, 8, 30), "KR", 4, VOID_LATE, "resume_notice")
    ]
    # the timed suspension runs out on 2020-09-01: rejected the same way, said why
    assert gsomia_void.wake(Wakeup("resume", "KR", kst(2020, 9, 1))) == [
        rejected(kst(2020, 9, 1), "KR", 4, f"suspension expired; {VOID_LATE}", "resume_notice")
    ]
    assert gsomia_void.standing("KR", kst(2020, 9, 1)) is Standing.NOTICE_SUSPENDED
    assert [w for w in gsomia_void.wakeups() if w.kind == "resume"] == []


def test_a_withdrawn_notice_is_recorded_in_the_running_term() -> None:
    gsomia = machine(GSOMIA)
    gsomia.apply(act(A.NOTIFY, by="KR"), kst(2017, 3, 1))
    assert gsomia.apply(act(A.WITHDRAW_NOTICE, by="KR"), kst(2017, 3, 2)) == [
        Event(kst(2017, 3, 2), E.NOTICE_WITHDRAWN, by="KR", term=1)
    ]


def test_a_notice_naming_its_date_reads_it_in_the_treaty_zone() -> None:
    # PRODUCT.md 0.2, "Notice naming a later date": a date means 00:00 local. docs/sources.md,
    # Paris: the US notice of 4 November 2019 (effect 4 November 2020 by the clause) naming
    # 20 January 2021 (hypothetically).
    paris = machine(fixtures.PARIS)
    given = paris.apply(act(A.NOTIFY, by="US", effective="2021-01-20"), nyc(2019, 11, 4))
    assert given[0].effective == nyc(2021, 1, 20)
    assert paris.pending_effects() == {"US": nyc(2021, 1, 20)}


def test_a_notice_waits_for_the_earliest_effect_in_the_treaty_zone() -> None:
    # sim/treaties/treaty_of_amity.yaml: in force 16 June 1957 (Asia/Tehran), effect no
    # earlier than in_force + 10y, 00:00 on 16 June 1967 in Tehran; a notice in 1958.
    amity = machine(
        {
            "name": "Treaty of Amity",
            "parties": ["US", "IR"],
            "timezone": "Asia/Tehran",
            "in_force": "1957-06-16",
            "clause": {"withdrawal": "1y", "earliest_effect": "10y"},
        }
    )
    given = amity.apply(act(A.NOTIFY, by="US"), datetime(1958, 1, 10, tzinfo=TEHRAN))
    assert given[0].effective == datetime(1967, 6, 16, tzinfo=TEHRAN)


# --- extensions ------------------------------------------------------------------------------


def test_a_term_extension_records_its_basis() -> None:
    # docs/sources.md, New START: 3 February 2021, extended by five years, to 5 February 2026.
    new_start = machine(NEW_START)
    events = new_start.apply(act(A.EXTEND, period="5y"), utc(2021, 2, 3))
    assert events == [Event(utc(2021, 2, 3), E.EXTENDED, term=1, effective=utc(2026, 2, 5))]
    basis = events[0].basis
    assert isinstance(basis, ExtensionBasis) and basis.new_day == date(2026, 2, 5)


def test_a_withdrawal_due_after_the_term_end_is_not_moved_by_a_term_extension() -> None:
    # docs/decisions.md, 10-13: the pending effect moves only where it comes before the
    # running term's end. New START (hypothetically): RU's notice of 2020-12-01 takes
    # effect three months later, 2021-03-01, after the term's end (2021-02-05), which the
    # extension of 2021-02-03 moves; RU's effect stays.
    new_start = machine(NEW_START)
    new_start.apply(act(A.NOTIFY, by="RU"), utc(2020, 12, 1))
    events = new_start.apply(act(A.EXTEND, period="5y"), utc(2021, 2, 3))
    assert events == [Event(utc(2021, 2, 3), E.EXTENDED, term=1, effective=utc(2026, 2, 5))]
    assert new_start.pending_effects() == {"RU": utc(2021, 3, 1)}


def test_a_term_extension_leaves_a_notice_with_a_date_of_its_own() -> None:
    # PRODUCT.md 0.2: a notice naming a later date takes effect then; GSOMIA's third term
    # ends 2019-11-23, KR's notice of 2019-08-01 names 2020-01-01 (hypothetically); a year's
    # extension of the term moves the term's end, not the date the notice named.
    gsomia = gsomia_in_term_3()
    gsomia.apply(act(A.NOTIFY, by="KR", effective="2020-01-01"), kst(2019, 8, 1))
    events = gsomia.apply(act(A.EXTEND, period="1y"), kst(2019, 9, 1))
    assert events == [Event(kst(2019, 9, 1), E.EXTENDED, term=3, effective=kst(2020, 11, 23))]
    assert gsomia.pending_effects() == {"KR": kst(2020, 1, 1)}


def npt_two_withdrawals(suspend_kp: bool) -> TreatyMachine:
    """The NPT with KP's notice of 12 March 1993 (effect 12 June 1993) and a hypothetical US
    notice of 1 April 1993 naming 1 January 1994: two dated effects, the later given first."""
    npt = machine(NPT)
    npt.apply(act(A.NOTIFY, by="US", effective="1994-01-01"), utc(1993, 4, 1))
    npt.apply(act(A.NOTIFY, by="KP"), utc(1993, 3, 12))
    if suspend_kp:
        npt.apply(act(A.SUSPEND_NOTICE, by="KP"), utc(1993, 6, 11))
    return npt


def test_an_extension_moves_the_earliest_pending_withdrawal() -> None:
    # PRODUCT.md, "Actions": extend moves "the current end (term, or pending withdrawal)":
    # the earliest, KP's of 1993-06-12; through 1993-09-30, the new end is 1993-10-01.
    npt = npt_two_withdrawals(suspend_kp=False)
    assert npt.apply(act(A.EXTEND, through="1993-09-30"), utc(1993, 5, 1)) == [
        Event(
            utc(1993, 5, 1),
            E.EXTENDED,
            term=1,
            effective=utc(1993, 10, 1),
            reason="the notice by KP takes effect later",
        )
    ]
    assert npt.pending_effects() == {"US": utc(1994, 1, 1), "KP": utc(1993, 10, 1)}


def test_an_extension_passes_over_a_suspended_withdrawal() -> None:
    # A suspended notice has no effect to move (PRODUCT.md, "Actions": suspend_notice); the
    # pending one is the US notice naming 1 January 1994, through 1994-03-31 -> 1994-04-01.
    npt = npt_two_withdrawals(suspend_kp=True)
    assert npt.apply(act(A.EXTEND, through="1994-03-31"), utc(1993, 7, 1)) == [
        Event(
            utc(1993, 7, 1),
            E.EXTENDED,
            term=1,
            effective=utc(1994, 4, 1),
            reason="the notice by US takes effect later",
        )
    ]


def test_an_extension_moves_a_resumed_withdrawal_naming_its_party() -> None:
    # docs/sources.md, NPT: KP resumed on 10 January 2003; fresh: effect 10 April 2003;
    # remaining: 11 January 2003. An extension (hypothetical) through 30 April 2003 moves it.
    for interpretation in (Interpretation.FRESH, Interpretation.REMAINING):
        npt = machine(NPT, interpretation)
        npt.apply(act(A.NOTIFY, by="KP"), utc(1993, 3, 12))
        npt.apply(act(A.SUSPEND_NOTICE, by="KP"), utc(1993, 6, 11))
        npt.apply(act(A.RESUME_NOTICE, by="KP"), utc(2003, 1, 10))
        assert npt.apply(act(A.EXTEND, through="2003-04-30"), utc(2003, 1, 10)) == [
            Event(
                utc(2003, 1, 10),
                E.EXTENDED,
                term=1,
                effective=utc(2003, 5, 1),
                reason="the notice by KP takes effect later",
            )
        ]


# --- operation and armed conflict ------------------------------------------------------------


def test_operation_suspended_and_resumed_with_their_reasons() -> None:
    # docs/sources.md, New START: 21 February 2023, Russia "suspends" its participation; the
    # resumption dates are hypothetical. PRODUCT.md, "Actions": terms run on unchanged.
    new_start = machine(NEW_START)
    new_start.apply(act(A.EXTEND, period="5y"), utc(2021, 2, 3))
    new_start.term_end(utc(2021, 2, 5))
    assert new_start.apply(act(A.RESUME_OPERATION, by="RU"), utc(2023, 2, 20)) == [
        rejected(
            utc(2023, 2, 20),
            "RU",
            2,
            "operation is not suspended by this party",
            "resume_operation",
        )
    ]
    assert new_start.apply(act(A.SUSPEND_OPERATION, by="RU"), utc(2023, 2, 21)) == [
        Event(utc(2023, 2, 21), E.OPERATION_SUSPENDED, by="RU", term=2)
    ]
    assert new_start.apply(act(A.SUSPEND_OPERATION, by="RU"), utc(2023, 3, 1)) == [
        rejected(
            utc(2023, 3, 1),
            "RU",
            2,
            "operation is already suspended by this party",
            "suspend_operation",
        )
    ]
    assert new_start.apply(act(A.RESUME_OPERATION, by="RU"), utc(2024, 1, 1)) == [
        Event(utc(2024, 1, 1), E.OPERATION_RESUMED, by="RU", term=2)
    ]
    again = new_start.apply(act(A.SUSPEND_OPERATION, by="RU"), utc(2024, 6, 1))
    assert [event.kind for event in again] == [E.OPERATION_SUSPENDED]


# sim/treaties/ottawa.yaml and scenarios/ottawa_ukraine_2025_hypothetical.yaml: in force
# 1 March 1999 (America/New_York), six months' withdrawal, not during an armed conflict
# (art. 20(3)); UA in an armed conflict from 2022-02-24, notice 2025-07-16 (effect
# 2026-01-16, postponed), the conflict ending (hypothetically) 2027-03-01.
OTTAWA = {
    "name": "Ottawa Convention",
    "parties": ["LT", "UA", "CA"],
    "timezone": "America/New_York",
    "in_force": "1999-03-01",
    "clause": {"withdrawal": "6mo", "effect_not_during": "armed_conflict"},
}


def test_an_effect_due_in_an_armed_conflict_waits_for_its_end() -> None:
    ottawa = machine(OTTAWA)
    assert ottawa.apply(act(A.END_ARMED_CONFLICT, by="UA"), nyc(2022, 2, 1)) == [
        rejected(
            nyc(2022, 2, 1), "UA", 1, "this party is not in an armed conflict", "end_armed_conflict"
        )
    ]
    assert ottawa.apply(act(A.ENTER_ARMED_CONFLICT, by="UA"), nyc(2022, 2, 24)) == [
        Event(nyc(2022, 2, 24), E.ARMED_CONFLICT_ENTERED, by="UA", term=1)
    ]
    ottawa.apply(act(A.NOTIFY, by="UA"), nyc(2025, 7, 16))
    assert ottawa.wake(Wakeup("effect", "UA", nyc(2026, 1, 16))) == [
        Event(
            nyc(2026, 1, 16),
            E.EFFECT_POSTPONED,
            by="UA",
            term=1,
            reason="UA is in an armed conflict (since 2022-02-24T00:00:00-05:00): the "
            "withdrawal takes effect at its end",
        )
    ]
    assert ottawa.apply(act(A.END_ARMED_CONFLICT, by="UA"), nyc(2027, 3, 1)) == [
        Event(
            nyc(2027, 3, 1),
            E.ARMED_CONFLICT_ENDED,
            by="UA",
            term=1,
            reason="in an armed conflict since 2022-02-24T00:00:00-05:00",
        ),
        Event(
            nyc(2027, 3, 1),
            E.WITHDRAWAL_EFFECTIVE,
            by="UA",
            term=1,
            reason="notice of 2025-07-16T00:00:00-04:00",
        ),
    ]


# --- joining ---------------------------------------------------------------------------------


PARIS_JOINING = fixtures.variant(
    fixtures.PARIS,
    parties=["US", "FR", {"party": "CN", "in_force": None}],
    clause={"accession_delay": "30d"},
)
"""docs/sources.md, Paris: in force 4 November 2016; art. 21(3) (sim/treaties/paris.yaml):
bound "on the thirtieth day after the date of deposit"."""


def test_a_party_joining_before_entry_into_force_is_bound_from_it() -> None:
    # PRODUCT.md 0.2, "Parties with their own dates": bound from `at` + accession_delay, not
    # before the treaty's entry into force (hypothetical deposit on 1 October 2016, which
    # would give 31 October). No term runs yet.
    paris = machine(PARIS_JOINING, enter=False)
    assert paris.apply(act(A.JOIN, by="CN"), nyc(2016, 10, 1)) == [
        Event(nyc(2016, 10, 1), E.JOINED, by="CN", term=None, effective=nyc(2016, 11, 4))
    ]


def test_a_party_joining_a_treaty_in_force_is_bound_after_the_delay() -> None:
    # docs/sources.md, Paris: the US accepted on 20 January 2021, bound from 19 February 2021
    # (here for CN, a party not yet bound, at the same dates).
    paris = machine(PARIS_JOINING)
    assert paris.apply(act(A.JOIN, by="CN"), nyc(2021, 1, 20)) == [
        Event(nyc(2021, 1, 20), E.JOINED, by="CN", term=1, effective=nyc(2021, 2, 19))
    ]


def test_nothing_to_join_once_the_treaty_has_ended() -> None:
    paris = machine(PARIS_JOINING)
    paris.apply(act(A.TERMINATE), nyc(2030, 1, 1))
    assert paris.apply(act(A.JOIN, by="US"), nyc(2030, 2, 1)) == [
        rejected(nyc(2030, 2, 1), "US", 1, "the treaty has ended: there is nothing to join", "join")
    ]


def test_terms_counted_from_an_entry_by_count_are_in_the_treaty_zone() -> None:
    # PRODUCT.md 0.2: `entry_into_force: {parties: N, after: DURATION}`: in force `after` the
    # Nth join. GSOMIA's clause and zone with entry by two deposits (hypothetical: the second
    # on 2016-10-24, so in force 30 days later, 2016-11-23); the first term ends a year on,
    # 2017-11-23T00:00 KST.
    data = {key: value for key, value in GSOMIA.items() if key != "in_force"} | {
        "parties": [{"party": "KR", "in_force": None}, {"party": "JP", "in_force": None}],
        "entry_into_force": {"parties": 2, "after": "30d"},
    }
    gsomia = machine(data, enter=False)
    gsomia.apply(act(A.JOIN, by="KR"), kst(2016, 10, 1))
    gsomia.apply(act(A.JOIN, by="JP"), kst(2016, 10, 24))
    assert gsomia.in_force == kst(2016, 11, 23)
    assert gsomia.schedule.end(1) == kst(2017, 11, 23)
    assert gsomia.schedule.end(1) - gsomia.in_force == timedelta(days=365)


def test_a_notice_window_of_a_party_own_terms_is_read_in_the_treaty_zone() -> None:
    # PRODUCT.md 0.3, "Each party's own terms" (European Social Charter of 1961, art. 37(1):
    # five years, then two, six months' notice, from the party's own entry into force), with
    # a hypothetical 0.2 notice window opening a year before each end. docs/sources.md:
    # Greece ratified on 6 June 1984, bound 30 days later (art. 35(3)), 6 July 1984; its first
    # term ends 1989-07-06T00:00 in Paris (+02:00). At 01:00 that day the second term runs,
    # whose window opens a year before its end (1991-07-06): too early.
    paris_zone = ZoneInfo("Europe/Paris")
    charter = machine(
        {
            "name": "European Social Charter",
            "parties": ["FR", "DE", {"party": "GR", "in_force": "1984-07-06"}],
            "timezone": "Europe/Paris",
            "in_force": "1965-02-26",
            "clause": {
                "term": "5y",
                "renewal": "2y",
                "notice": "6mo",
                "terms_from": "party",
                "notice_window": {"opens": "1y"},
            },
        }
    )
    at = datetime(1989, 7, 6, 1, tzinfo=paris_zone)
    assert charter.apply(act(A.NOTIFY, by="GR"), at) == [
        rejected(
            at,
            "GR",
            1,
            "too early: the notice window for this term opens at 1990-07-06T00:00:00+02:00",
            "notify",
        )
    ]
