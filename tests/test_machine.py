"""The state machine: every action in every standing does what :data:`TABLE` says, each guard
refuses what it names, and a resumed notice takes effect as the interpretation says
(PRODUCT.md, "Actions" and "Interpretations of a resumed notice")."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import fixtures
import pytest

from sim.core.dates import iso
from sim.core.machine import TABLE, Go, Reject, Standing, TreatyMachine
from sim.core.model import Action, ActionKind, EventKind, Interpretation, Treaty
from sim.core.timeline import Event

SEOUL = ZoneInfo("Asia/Seoul")
UTC = ZoneInfo("UTC")

# facts/treaties.md, GSOMIA: parties KR and JP, in force 23 November 2016 (Asia/Seoul), one
# year, renewed annually, ninety days' notice.
GSOMIA = fixtures.GSOMIA
# facts/treaties.md, NPT: in force 5 March 1970, multilateral, three months' notice.
NPT: dict[str, Any] = {
    "name": "NPT",
    "parties": ["US", "GB", "RU", "KP"],
    "in_force": "1970-03-05",
    "clause": {"withdrawal": "3mo"},
}


def treaty(base: dict[str, Any], **clause: str) -> Treaty:
    """The treaty ``base`` with clause fields changed as given."""
    return Treaty.model_validate({**base, "clause": {**base["clause"], **clause}})


def kst(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SEOUL)


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def started(
    subject: Treaty, interpretation: Interpretation = Interpretation.REMAINING
) -> TreatyMachine:
    tz = ZoneInfo(subject.timezone)
    in_force = datetime.combine(subject.in_force, datetime.min.time(), tz)
    machine = TreatyMachine(subject, in_force, interpretation)
    machine.enter_into_force()
    return machine


def act(do: ActionKind, by: str | None = None, **fields: str) -> Action:
    return Action.model_validate({"at": "2000-01-01", "do": do, "by": by, **fields})


def only(events: list[Event]) -> Event:
    assert len(events) == 1, events
    return events[0]


# --- every action in every standing ------------------------------------------------------

# The moment of the actions below: in GSOMIA's first term, before its notice deadline
# (2017-08-25, PRODUCT.md "Counting").
MOMENT = kst(2017, 3, 1)
PARTY_ACTIONS = {
    ActionKind.NOTIFY,
    ActionKind.SUSPEND_NOTICE,
    ActionKind.RESUME_NOTICE,
    ActionKind.WITHDRAW_NOTICE,
    ActionKind.SUSPEND_OPERATION,
    ActionKind.RESUME_OPERATION,
    ActionKind.JOIN,
    ActionKind.ENTER_ARMED_CONFLICT,
    ActionKind.END_ARMED_CONFLICT,
}


def action_for(kind: ActionKind) -> Action:
    if kind is ActionKind.SUSPEND_NOTICE:
        # PRODUCT.md 0.2, "Timed suspension": a suspension for a time; a suspended notice
        # may be suspended again only so (its guard)
        return act(kind, by="KR", **{"for": "6mo"})
    if kind is ActionKind.EXTEND:
        return act(kind, period="1y")
    if kind is ActionKind.TERMINATE:
        return act(kind)
    return act(kind, by="KR")


def machine_in(standing: Standing, kind: ActionKind) -> tuple[TreatyMachine, datetime]:
    """A GSOMIA machine where KR (or, for actions by agreement, the treaty) is in
    ``standing``, set up so that the guards of a transition all pass."""
    subject = treaty(GSOMIA)
    if kind is ActionKind.JOIN:
        # PRODUCT.md 0.2: a party joining is bound from `at` + accession_delay, so it is
        # not yet in force for it at once; a party that left may join again while the
        # treaty goes on for the others (three parties, so KR's leaving does not end it).
        subject = Treaty.model_validate(
            {
                **GSOMIA,
                "parties": ["KR", "JP", "US"],
                "clause": {"withdrawal": "3mo", "accession_delay": "30d"},
            }
        )
        if standing is Standing.ENDED:
            machine = started(subject)
            machine.apply(act(ActionKind.NOTIFY, by="KR"), kst(2016, 12, 1))
            machine.notice_takes_effect("KR", kst(2017, 2, 1))
            return machine, MOMENT
        if standing is Standing.NOT_A_PARTY:
            parties = [{"party": "KR", "in_force": None}, "JP", "US"]
            data = {**subject.model_dump(), "parties": parties}
            return started(Treaty.model_validate(data)), MOMENT
    elif standing is Standing.NOT_A_PARTY:
        subject = Treaty.model_validate(
            {**GSOMIA, "parties": [{"party": "KR", "in_force": None}, "JP"]}
        )
        return started(subject), MOMENT
    if standing is Standing.NOT_YET_IN_FORCE:
        in_force = kst(2016, 11, 23)
        return TreatyMachine(subject, in_force, Interpretation.REMAINING), kst(2016, 11, 1)
    machine = started(subject)
    setup = MOMENT - timedelta(days=1)
    if kind is ActionKind.RESUME_OPERATION:
        machine.apply(act(ActionKind.SUSPEND_OPERATION, by="KR"), setup)
    if kind is ActionKind.END_ARMED_CONFLICT:
        # PRODUCT.md 0.3: a conflict ends only once it has begun (its guard)
        machine.apply(act(ActionKind.ENTER_ARMED_CONFLICT, by="KR"), setup)
    if standing in (Standing.NOTICE_PENDING, Standing.NOTICE_SUSPENDED):
        machine.apply(act(ActionKind.NOTIFY, by="KR"), setup)
    if standing is Standing.NOTICE_SUSPENDED:
        machine.apply(act(ActionKind.SUSPEND_NOTICE, by="KR"), setup)
    if standing is Standing.ENDED:
        machine.apply(act(ActionKind.TERMINATE), setup)
    return machine, MOMENT


# The treaty's own standing, which actions by agreement are judged in, is never not_a_party.
PAIRS = [
    (standing, kind)
    for standing, kind in itertools.product(Standing, ActionKind)
    if not (standing is Standing.NOT_A_PARTY and kind.by_agreement)
]


@pytest.mark.parametrize(("standing", "kind"), PAIRS, ids=[f"{s}-{k}" for s, k in PAIRS])
def test_each_action_in_each_standing_does_what_the_table_says(
    standing: Standing, kind: ActionKind
) -> None:
    # PRODUCT.md, "Actions": an action that does not apply is recorded as rejected with the
    # reason; TABLE is the one place that says which apply.
    machine, moment = machine_in(standing, kind)
    by = "KR" if kind in PARTY_ACTIONS else None
    assert machine.standing(by, moment) is standing
    outcome = TABLE[(standing, kind)]
    events = machine.apply(action_for(kind), moment)
    if isinstance(outcome, Reject):
        event = only(events)
        assert event.kind is EventKind.REJECTED
        assert event.reason == outcome.reason
        assert event.action == kind.value
        assert machine.standing(by, moment) is standing
    else:
        assert isinstance(outcome, Go)
        assert events[0].kind is outcome.event
        assert EventKind.REJECTED not in {event.kind for event in events}
        assert machine.standing(by, moment) is (outcome.then or standing)


@pytest.mark.parametrize("kind", sorted(PARTY_ACTIONS - {ActionKind.JOIN}))
def test_a_party_that_has_left_a_multilateral_treaty_stands_as_ended(kind: ActionKind) -> None:
    # PRODUCT.md, "The treaty": with three or more parties a notice that takes effect ends
    # the notifying party's participation; "Actions": anything after the end is rejected.
    # facts/treaties.md, NPT: KP's notice of 12 March 1993 would take effect 12 June 1993.
    machine = started(Treaty.model_validate(NPT))
    machine.apply(act(ActionKind.NOTIFY, by="KP"), utc(1993, 3, 12))
    machine.notice_takes_effect("KP", utc(1993, 6, 12))
    later = utc(1994, 1, 1)
    assert machine.standing("KP", later) is Standing.ENDED
    assert machine.standing("US", later) is Standing.IN_FORCE
    outcome = TABLE[(Standing.ENDED, kind)]
    assert isinstance(outcome, Reject)
    event = only(machine.apply(act(kind, by="KP"), later))
    assert (event.kind, event.reason) == (EventKind.REJECTED, outcome.reason)


def test_the_treaty_stands_with_a_suspended_notice_when_none_is_pending() -> None:
    # TABLE has a column notice_suspended for extend and terminate: the treaty's standing
    # when a notice is suspended and none is pending.
    machine = started(treaty(GSOMIA))
    machine.apply(act(ActionKind.NOTIFY, by="KR"), MOMENT)
    machine.apply(act(ActionKind.SUSPEND_NOTICE, by="KR"), MOMENT)
    assert machine.standing(None, MOMENT) is Standing.NOTICE_SUSPENDED
    machine.apply(act(ActionKind.NOTIFY, by="JP"), MOMENT)
    assert machine.standing(None, MOMENT) is Standing.NOTICE_PENDING


# --- the guards ---------------------------------------------------------------------------


def test_a_party_that_is_not_a_party_is_rejected() -> None:
    # PRODUCT.md, "Actions": "a by that is not a party" is not applied.
    machine = started(treaty(GSOMIA))
    event = only(machine.apply(act(ActionKind.NOTIFY, by="US"), MOMENT))
    assert event.kind is EventKind.REJECTED
    assert event.reason is not None and "US" in event.reason


def test_a_notice_is_rejected_where_the_clause_allows_no_exit() -> None:
    # PRODUCT.md, "The clause": "A clause with neither notice nor withdrawal allows no
    # unilateral exit: a notice is rejected."
    subject = Treaty.model_validate({**GSOMIA, "clause": {"term": "10y"}})
    machine = started(subject)
    event = only(machine.apply(act(ActionKind.NOTIFY, by="KR"), MOMENT))
    assert event.kind is EventKind.REJECTED
    assert machine.standing("KR", MOMENT) is Standing.IN_FORCE


def test_earliest_notice_is_inclusive() -> None:
    # facts/treaties.md, Paris: withdrawal "at any time after three years from the date the
    # Agreement entered into force" (4 November 2016); the US notice of 4 November 2019 was
    # accepted. PRODUCT.md, "The timeline": earliest_notice is inclusive.
    paris = Treaty.model_validate(fixtures.variant(fixtures.PARIS, timezone="UTC"))
    machine = started(paris)
    early = only(machine.apply(act(ActionKind.NOTIFY, by="US"), utc(2019, 11, 3)))
    assert early.kind is EventKind.REJECTED
    given = only(machine.apply(act(ActionKind.NOTIFY, by="US"), utc(2019, 11, 4)))
    assert given.kind is EventKind.NOTICE_GIVEN
    # facts/treaties.md, Paris: effective 4 November 2020
    assert given.effective == utc(2020, 11, 4)


def test_a_late_notice_is_rejected_when_late_notices_are_void() -> None:
    # PRODUCT.md, "Counting": a notice on 2019-08-25 is late (deadline
    # 2019-08-25T00:00+09:00); "The clause": void: recorded as rejected.
    machine = started(treaty(GSOMIA, late_notice="void"))
    machine.term_end(kst(2017, 11, 23))
    machine.term_end(kst(2018, 11, 23))
    event = only(machine.apply(act(ActionKind.NOTIFY, by="KR"), kst(2019, 8, 25)))
    assert event.kind is EventKind.REJECTED
    assert event.reason is not None and "2019-08-25T00:00:00+09:00" in event.reason
    assert machine.standing("KR", kst(2019, 8, 25)) is Standing.IN_FORCE
    in_time = only(machine.apply(act(ActionKind.NOTIFY, by="KR"), kst(2019, 8, 24)))
    assert in_time.kind is EventKind.NOTICE_GIVEN
    assert in_time.effective == kst(2019, 11, 23)


def test_a_fresh_resumption_of_a_late_notice_is_rejected_when_late_notices_are_void() -> None:
    # PRODUCT.md, "Interpretations": fresh: it counts as a new notice given at resumption; a
    # new notice on 2020-09-01 misses the 2020 deadline (2020-08-25T00:00+09:00) and is void.
    machine = started(treaty(GSOMIA, late_notice="void"), Interpretation.FRESH)
    machine.term_end(kst(2017, 11, 23))
    machine.term_end(kst(2018, 11, 23))
    machine.apply(act(ActionKind.NOTIFY, by="KR"), kst(2019, 8, 23))
    machine.apply(act(ActionKind.SUSPEND_NOTICE, by="KR"), kst(2019, 11, 22, 18))
    machine.term_end(kst(2019, 11, 23))
    late = only(machine.apply(act(ActionKind.RESUME_NOTICE, by="KR"), kst(2020, 9, 1)))
    assert late.kind is EventKind.REJECTED
    assert machine.standing("KR", kst(2020, 9, 1)) is Standing.NOTICE_SUSPENDED
    resumed = only(machine.apply(act(ActionKind.RESUME_NOTICE, by="KR"), kst(2020, 8, 10)))
    assert resumed.kind is EventKind.NOTICE_RESUMED
    assert resumed.effective == kst(2020, 11, 23)


def test_an_indefinite_treaty_without_a_pending_withdrawal_has_no_end_to_extend() -> None:
    # PRODUCT.md, "Actions": extend moves "the current end (term, or pending withdrawal)";
    # facts/treaties.md, INF: unlimited duration.
    inf = Treaty.model_validate(
        {
            "name": "INF",
            "parties": ["US", "RU"],
            "in_force": "1988-06-01",
            "clause": {"withdrawal": "6mo"},
        }
    )
    machine = started(inf)
    event = only(machine.apply(act(ActionKind.EXTEND, period="1y"), utc(2019, 1, 1)))
    assert event.kind is EventKind.REJECTED


def new_start() -> TreatyMachine:
    # facts/treaties.md, New START: in force 5 February 2011, ten years.
    return started(
        Treaty.model_validate(
            {
                "name": "New START",
                "parties": ["US", "RU"],
                "in_force": "2011-02-05",
                "clause": {"term": "10y", "withdrawal": "3mo"},
            }
        )
    )


@pytest.mark.parametrize("through", ["2021-02-01", "2021-02-04"])
def test_an_extension_must_move_the_end_later(through: str) -> None:
    # PRODUCT.md, "Actions": through is the new last day in force; the term ends
    # 2021-02-05T00:00 (last day 4 February), so through 4 February or earlier moves nothing.
    machine = new_start()
    event = only(machine.apply(act(ActionKind.EXTEND, through=through), utc(2021, 1, 1)))
    assert event.kind is EventKind.REJECTED
    assert machine.next_term_end() == utc(2021, 2, 5)


def test_new_start_extension_by_five_years() -> None:
    # facts/treaties.md, New START: 3 February 2021, extended by five years to 5 February 2026.
    machine = new_start()
    event = only(machine.apply(act(ActionKind.EXTEND, period="5y"), utc(2021, 2, 3)))
    assert event.kind is EventKind.EXTENDED
    assert event.effective == utc(2026, 2, 5)


def test_a_second_extension_moves_the_extended_end() -> None:
    # PRODUCT.md, "Actions": extend moves the current end; after New START's extension to
    # 2026-02-05 (facts/treaties.md) the current end is 2026-02-05, and one more year moves
    # it to 2027-02-05; an extension through 2025-12-31 would move it earlier: rejected.
    machine = new_start()
    machine.apply(act(ActionKind.EXTEND, period="5y"), utc(2021, 2, 3))
    earlier = only(machine.apply(act(ActionKind.EXTEND, through="2025-12-31"), utc(2021, 2, 4)))
    assert earlier.kind is EventKind.REJECTED
    again = only(machine.apply(act(ActionKind.EXTEND, period="1y"), utc(2021, 2, 4)))
    assert again.kind is EventKind.EXTENDED
    assert again.effective == utc(2027, 2, 5)
    machine.term_end(utc(2021, 2, 5))
    assert machine.next_term_end() == utc(2027, 2, 5)


def test_an_extension_moves_a_pending_withdrawal() -> None:
    # PRODUCT.md, "Actions": extend moves "the current end (term, or pending withdrawal)".
    # New START: a withdrawal notice on 2021-06-01 takes effect three months later,
    # 2021-09-01 (before the term's end in 2026); through 2021-10-31 moves it to 2021-11-01.
    machine = new_start()
    machine.apply(act(ActionKind.EXTEND, period="5y"), utc(2021, 2, 3))
    machine.term_end(utc(2021, 2, 5))
    given = only(machine.apply(act(ActionKind.NOTIFY, by="RU"), utc(2021, 6, 1)))
    assert given.effective == utc(2021, 9, 1)
    moved = only(machine.apply(act(ActionKind.EXTEND, through="2021-10-31"), utc(2021, 7, 1)))
    assert moved.kind is EventKind.EXTENDED
    assert moved.effective == utc(2021, 11, 1)
    assert machine.pending_effects() == {"RU": utc(2021, 11, 1)}
    assert machine.next_term_end() == utc(2026, 2, 5)


def test_operation_cannot_be_suspended_twice_nor_resumed_when_running() -> None:
    # facts/treaties.md, New START: 21 February 2023, Russia "suspends" its participation;
    # PRODUCT.md, "Actions": terms and deadlines run on unchanged.
    machine = new_start()
    resumed = only(machine.apply(act(ActionKind.RESUME_OPERATION, by="RU"), utc(2023, 2, 20)))
    assert resumed.kind is EventKind.REJECTED
    first = only(machine.apply(act(ActionKind.SUSPEND_OPERATION, by="RU"), utc(2023, 2, 21)))
    assert first.kind is EventKind.OPERATION_SUSPENDED
    second = only(machine.apply(act(ActionKind.SUSPEND_OPERATION, by="RU"), utc(2023, 3, 1)))
    assert second.kind is EventKind.REJECTED
    assert machine.next_term_end() == utc(2021, 2, 5)
    back = only(machine.apply(act(ActionKind.RESUME_OPERATION, by="RU"), utc(2024, 1, 1)))
    assert back.kind is EventKind.OPERATION_RESUMED


def test_a_withdrawn_notice_is_as_if_never_given() -> None:
    # PRODUCT.md, "Actions": withdraw_notice revokes the notice "as if never given".
    machine = started(treaty(GSOMIA))
    machine.apply(act(ActionKind.NOTIFY, by="KR"), MOMENT)
    machine.apply(act(ActionKind.WITHDRAW_NOTICE, by="KR"), MOMENT + timedelta(days=1))
    assert machine.pending_effects() == {}
    again = only(machine.apply(act(ActionKind.NOTIFY, by="KR"), MOMENT + timedelta(days=2)))
    assert again.kind is EventKind.NOTICE_GIVEN


def test_a_notice_during_an_extended_term_stops_the_renewal_at_the_extended_end() -> None:
    # PRODUCT.md, "Actions": extend moves the current end. GSOMIA's third term (ending
    # 2019-11-23) extended by a year ends 2020-11-23; a notice on 2019-08-01 stops the
    # renewal at that end, not at 2019-11-23 (which is no longer an end of the treaty).
    machine = started(treaty(GSOMIA))
    machine.term_end(kst(2017, 11, 23))
    machine.term_end(kst(2018, 11, 23))
    machine.apply(act(ActionKind.EXTEND, period="1y"), kst(2019, 6, 1))
    given = only(machine.apply(act(ActionKind.NOTIFY, by="KR"), kst(2019, 8, 1)))
    assert given.kind is EventKind.NOTICE_GIVEN
    assert given.effective == kst(2020, 11, 23)


# --- interpretations of a resumed notice ---------------------------------------------------


@pytest.mark.parametrize(
    ("interpretation", "effect"),
    [
        # facts/treaties.md, NPT: notice 12 March 1993 (three months: effect 12 June 1993),
        # suspended 11 June 1993 (one day left), announcement 10 January 2003.
        # remaining: "effect one day after the 2003 announcement", 11 January 2003.
        (Interpretation.REMAINING, utc(2003, 1, 11)),
        # fresh: a new notice on 10 January 2003, three months: 10 April 2003 (CNS).
        (Interpretation.FRESH, utc(2003, 4, 10)),
        # immediate: at resumption.
        (Interpretation.IMMEDIATE, utc(2003, 1, 10)),
    ],
)
def test_north_korea_resumed_npt_notice(interpretation: Interpretation, effect: datetime) -> None:
    machine = started(Treaty.model_validate(NPT), interpretation)
    given = only(machine.apply(act(ActionKind.NOTIFY, by="KP"), utc(1993, 3, 12)))
    assert given.effective == utc(1993, 6, 12)
    machine.apply(act(ActionKind.SUSPEND_NOTICE, by="KP"), utc(1993, 6, 11))
    assert machine.pending_effects() == {}
    events = machine.apply(act(ActionKind.RESUME_NOTICE, by="KP"), utc(2003, 1, 10))
    assert events[0].kind is EventKind.NOTICE_RESUMED
    assert events[0].effective == effect
    if interpretation is Interpretation.IMMEDIATE:
        # PRODUCT.md, "The treaty": with three or more parties a notice that takes effect
        # ends only the notifying party's participation.
        assert [event.kind for event in events[1:]] == [EventKind.WITHDRAWAL_EFFECTIVE]
        assert machine.bound_until["KP"] == effect
        assert machine.terminated_at is None
    else:
        assert machine.pending_effects() == {"KP": effect}


@pytest.mark.parametrize(
    ("interpretation", "effect"),
    [
        # facts/treaties.md, GSOMIA: notice delivered 23 August 2019 (effect at expiry,
        # 2019-11-23T00:00 KST), suspended 22 November 2019 about 18:00 KST ("six hours
        # before expiry"). Resumed on 2020-08-10 (PRODUCT.md's example):
        # remaining: six hours after resumption.
        (Interpretation.REMAINING, kst(2020, 8, 10, 6)),
        # immediate: at resumption.
        (Interpretation.IMMEDIATE, kst(2020, 8, 10)),
        # fresh: a new notice on 2020-08-10, in time for the 2020 deadline (2020-08-25), so it
        # stops the renewal at 2020-11-23T00:00 KST.
        (Interpretation.FRESH, kst(2020, 11, 23)),
    ],
)
def test_gsomia_resumed_notice(interpretation: Interpretation, effect: datetime) -> None:
    machine = started(treaty(GSOMIA), interpretation)
    machine.term_end(kst(2017, 11, 23))
    machine.term_end(kst(2018, 11, 23))
    given = only(machine.apply(act(ActionKind.NOTIFY, by="KR"), kst(2019, 8, 23)))
    assert given.effective == kst(2019, 11, 23)
    suspended = only(machine.apply(act(ActionKind.SUSPEND_NOTICE, by="KR"), kst(2019, 11, 22, 18)))
    assert suspended.kind is EventKind.NOTICE_SUSPENDED
    machine.term_end(kst(2019, 11, 23))
    events = machine.apply(act(ActionKind.RESUME_NOTICE, by="KR"), kst(2020, 8, 10))
    assert events[0].kind is EventKind.NOTICE_RESUMED
    assert iso(events[0].effective or effect) == iso(effect)
    assert events[0].effective == effect
    if interpretation is Interpretation.IMMEDIATE:
        # PRODUCT.md, "The treaty": with two parties a notice that takes effect ends it.
        assert [event.kind for event in events[1:]] == [EventKind.TERMINATED]
        assert machine.terminated_at == effect


def test_a_fresh_resumption_after_the_deadline_stops_the_following_renewal() -> None:
    # PRODUCT.md, "Interpretations": fresh: a new notice at resumption; on 2020-09-01 it is
    # late for 2020 (deadline 2020-08-25), so late_notice next_term stops the renewal at
    # 2021-11-23T00:00 KST.
    machine = started(treaty(GSOMIA), Interpretation.FRESH)
    machine.term_end(kst(2017, 11, 23))
    machine.term_end(kst(2018, 11, 23))
    machine.apply(act(ActionKind.NOTIFY, by="KR"), kst(2019, 8, 23))
    machine.apply(act(ActionKind.SUSPEND_NOTICE, by="KR"), kst(2019, 11, 22, 18))
    machine.term_end(kst(2019, 11, 23))
    resumed = machine.apply(act(ActionKind.RESUME_NOTICE, by="KR"), kst(2020, 9, 1))[0]
    assert resumed.effective == kst(2021, 11, 23)
