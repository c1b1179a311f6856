"""The clause language of version 0.2 (PRODUCT.md, "Additions for version 0.2"), on dates
from the sources: every example runs in BOTH the SimPy engine (``sim.engine.run``) and the
closed form (``tests/closed_form.py``, ``outcome``), which must give the dates the sources give and
agree with each other on everything else (tests/test_closed_form.py, ``engine_facts``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import fixtures
import pytest
from closed_form import ClosedOutcome, outcome
from test_closed_form import engine_facts, model_facts

from sim.core.dates import iso
from sim.core.model import EventKind, Interpretation, Scenario, Treaty
from sim.core.timeline import Timeline
from sim.engine import run

# docs/treaties/istanbul.md; Istanbul Convention (CETS 210) art. 80(2): "Such denunciation
# shall become effective on the first day of the month following the expiration of a period
# of three months after the date of receipt of the notification by the Secretary General."
# In force 1 August 2014; the depositary sits in Strasbourg.
ISTANBUL = {
    "name": "Istanbul Convention",
    "parties": ["TR", "FR", "DE"],
    "timezone": "Europe/Paris",
    "in_force": "2014-08-01",
    "clause": {"withdrawal": "3mo", "effect_on": "first_of_next_month"},
}
# UNESCO Constitution art. II(6): "Such notice shall take effect on 31 December of the year
# following that during which the notice was given." In force 4 November 1946 (Paris).
UNESCO = {
    "name": "Constitution of UNESCO",
    "parties": ["US", "GB", "FR"],
    "timezone": "Europe/Paris",
    "in_force": "1946-11-04",
    "clause": {"effect_on": "end_of_following_year"},
}
# Rome Statute art. 127(1): "The withdrawal shall take effect one year after the date of
# receipt of the notification, unless the notification specifies a later date." In force
# 1 July 2002 (ICC ASP press release PR1244); depositary: the UN Secretary-General, New York.
ROME = {
    "name": "Rome Statute",
    "parties": ["BI", "PH", "ZA", "DE"],
    "timezone": "America/New_York",
    "in_force": "2002-07-01",
    "clause": {"withdrawal": "1y"},
}
# Energy Charter Treaty art. 47: (1) notice "at any time after five years from the date on
# which this Treaty has entered into force for a Contracting Party"; (2) effect "upon the
# expiry of one year after the date of the receipt of the notification" (the day of receipt
# not counted: whole_days); (3) the Treaty goes on applying to existing investments "for a
# period of 20 years from such date". In force 16 April 1998; depositary: Portugal (Lisbon).
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
# Paris Agreement (facts/treaties.md): in force 4 November 2016; art. 28(1): notice "at any
# time after three years from the date on which this Agreement has entered into force for a
# Party"; art. 28(2): effect one year after receipt; art. 21(3): for a State joining later,
# "on the thirtieth day after the date of deposit". Depositary: New York.
PARIS = fixtures.variant(
    fixtures.PARIS, parties=["US", "CN", "FR"], clause={"accession_delay": "30d"}
)
# New START (facts/treaties.md): in force 5 February 2011, ten years; art. XIV(2): "it will
# be extended for a period of no more than five years"; three months' notice of withdrawal.
NEW_START = {
    "name": "New START",
    "parties": ["US", "RU"],
    "in_force": "2011-02-05",
    "clause": {"term": "10y", "withdrawal": "3mo", "max_extension": "5y"},
}
# Visiting Forces Agreement (docs/treaties/vfa.md): PH and US, Manila, in force 1 June 1999;
# art. IX: termination 180 days after notice.
VFA = {
    "name": "Visiting Forces Agreement",
    "parties": ["PH", "US"],
    "timezone": "Asia/Manila",
    "in_force": "1999-06-01",
    "clause": {"withdrawal": "180d"},
}


@dataclass(frozen=True)
class Both:
    """One scenario, run by the engine and by the closed form, which agree on every field."""

    engine: Timeline
    closed: ClosedOutcome

    def bound_until(self, party: str) -> str | None:
        engine, closed = self.engine.bound_until[party], self.closed.bound()[party]
        assert _text(engine) == _text(closed)
        return _text(engine)

    def survives_until(self, party: str) -> str | None:
        engine = self.engine.survives_until.get(party)
        closed = self.closed.survives()[party]
        assert _text(engine) == _text(closed)
        return _text(engine)

    def terminated_at(self) -> str | None:
        assert _text(self.engine.terminated_at) == _text(self.closed.terminated_at)
        return _text(self.engine.terminated_at)

    def rejected(self) -> list[tuple[str, str]]:
        """The rejected actions: (instant, action), the same in both."""
        engine = [
            (iso(e.at), str(e.action)) for e in self.engine.events if e.kind is EventKind.REJECTED
        ]
        closed = [(iso(r.at), r.action.value) for r in self.closed.rejections]
        assert sorted(engine) == sorted(closed)
        return engine

    def notices(self) -> list[tuple[str, str, bool, str | None]]:
        """Each notice given or resumed, and when it is due to take effect, in both."""
        closed = [(iso(n.at), n.by, n.resumed, _text(n.effective)) for n in self.closed.notices]
        assert engine_facts(self.engine)["notices"] == closed
        return closed


def _text(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def both(
    treaty: dict[str, Any],
    actions: list[dict[str, Any]],
    horizon: str,
    interpretation: str = "remaining",
) -> Both:
    chosen = Scenario.model_validate(
        {
            "name": "example",
            "treaty": treaty,
            "horizon": horizon,
            "actions": actions,
            "interpretation": interpretation,
        }
    )
    assert isinstance(chosen.treaty, Treaty)
    engine = run(chosen, chosen.treaty)
    closed = outcome(chosen, chosen.treaty)
    engine_side, closed_side = engine_facts(engine), model_facts(closed)
    for key in engine_side:
        assert engine_side[key] == closed_side[key], key
    return Both(engine, closed)


# --- effects on a calendar boundary ---------------------------------------------------------


def test_istanbul_turkey_denunciation_takes_effect_on_1_july_2021() -> None:
    # docs/treaties/istanbul.md: notification received 22 March 2021; "The convention ceased
    # to be effective in Turkey on 1 July 2021" (Wikipedia, citing the Council of Europe).
    # 2021-03-22 + 3mo = 2021-06-22; the first day of the following month, 00:00 CEST.
    result = both(ISTANBUL, [{"at": "2021-03-22", "by": "TR", "do": "notify"}], "2022-01-01")
    assert result.bound_until("TR") == "2021-07-01T00:00:00+02:00"
    assert result.terminated_at() is None


def test_a_period_ending_at_00_00_on_a_first_moves_to_the_next_first() -> None:
    # FORMAT-0.2.md, effect_on: "(period ending exactly at 00:00 on a 1st: that month counts,
    # receipt 2021-03-01 -> 2021-07-01)".
    result = both(ISTANBUL, [{"at": "2021-03-01", "by": "TR", "do": "notify"}], "2022-01-01")
    assert result.bound_until("TR") == "2021-07-01T00:00:00+02:00"


def test_unesco_us_notice_of_2017_binds_it_through_31_december_2018() -> None:
    # docs/treaties/unesco.md: US notice 12 October 2017; art. II(6): effect on 31 December of
    # the following year, i.e. bound through 31 December 2018: bound_until 2019-01-01T00:00
    # (FORMAT-0.2.md, end_of_following_year), in Paris (CET, UTC+1).
    result = both(UNESCO, [{"at": "2017-10-12", "by": "US", "do": "notify"}], "2020-01-01")
    assert result.bound_until("US") == "2019-01-01T00:00:00+01:00"
    assert result.notices() == [
        ("2017-10-12T00:00:00+02:00", "US", False, "2019-01-01T00:00:00+01:00")
    ]


# --- a notice naming a later date -----------------------------------------------------------


def test_rome_statute_burundi_withdrawal_takes_effect_one_year_after_receipt() -> None:
    # docs/treaties/rome_statute.md: Burundi's notification reached the Secretary-General on
    # 27 October 2016 and took effect on 27 October 2017 ("Burundi's withdrawal took effect on
    # 27 October 2017, one year after it had lodged its decision with the United Nations",
    # Justice Hub). (The brief for this test gave 27 October 2017 -> 27 October 2018, a year
    # off; the library's scenario rome_statute_burundi_2016.yaml notes the same.)
    result = both(ROME, [{"at": "2016-10-27", "by": "BI", "do": "notify"}], "2019-01-01")
    assert result.bound_until("BI") == "2017-10-27T00:00:00-04:00"
    # the Statute goes on for the others (PRODUCT.md, "The treaty")
    assert result.terminated_at() is None
    assert result.bound_until("PH") is None


def test_a_notice_may_name_a_later_date_and_takes_effect_then() -> None:
    # Art. 127(1), "unless the notification specifies a later date"; PRODUCT.md 0.2: "The
    # notice takes effect then, if that is not earlier than the clause's own effect".
    # Hypothetical: a notice of 27 October 2016 naming 1 January 2018.
    notice = {"at": "2016-10-27", "by": "BI", "do": "notify", "effective": "2018-01-01"}
    result = both(ROME, [notice], "2019-01-01")
    assert result.bound_until("BI") == "2018-01-01T00:00:00-05:00"
    assert result.notices() == [
        ("2016-10-27T00:00:00-04:00", "BI", False, "2018-01-01T00:00:00-05:00")
    ]


@pytest.mark.parametrize(
    ("named", "accepted"),
    [
        # one second before the clause's own effect: earlier, so rejected
        ("2017-10-26T23:59:59", False),
        # exactly the clause's own effect: "not earlier", so accepted
        ("2017-10-27", True),
    ],
)
def test_a_notice_naming_a_date_earlier_than_the_rule_allows_is_rejected(
    named: str, accepted: bool
) -> None:
    # PRODUCT.md 0.2: "otherwise the action is rejected".
    notice = {"at": "2016-10-27", "by": "BI", "do": "notify", "effective": named}
    result = both(ROME, [notice], "2019-01-01")
    if accepted:
        assert result.rejected() == []
        assert result.bound_until("BI") == "2017-10-27T00:00:00-04:00"
    else:
        assert result.rejected() == [("2016-10-27T00:00:00-04:00", "notify")]
        assert result.bound_until("BI") is None


# --- survival -------------------------------------------------------------------------------


def test_energy_charter_italy_withdrawal_and_its_twenty_years_of_survival() -> None:
    # docs/treaties/energy_charter.md: Italy's notification received 31 December 2014;
    # "Italy's withdrawal took effect on the 01 January 2016" (Mena Chambers, citing the
    # Energy Charter Secretariat): whole_days, the day of receipt not counted, 2014-12-31 +
    # 1y = 2015-12-31, effect at 00:00 the day after. Art. 47(3): protection "until January
    # 2036" (HSF Notes): 2016-01-01 + 20y.
    result = both(ENERGY_CHARTER, [{"at": "2014-12-31", "by": "IT", "do": "notify"}], "2037-01-01")
    assert result.bound_until("IT") == "2016-01-01T00:00:00+00:00"
    assert result.survives_until("IT") == "2036-01-01T00:00:00+00:00"
    assert result.survives_until("GB") is None
    kinds = [(e.kind, e.by) for e in result.engine.events if e.at.year == 2036]
    assert kinds == [(EventKind.SURVIVAL_ENDED, "IT")]


def test_energy_charter_notice_before_five_years_is_rejected() -> None:
    # Art. 47(1): "At any time after five years from the date on which this Treaty has
    # entered into force for a Contracting Party": not before 16 April 2003 (inclusive,
    # PRODUCT.md "The timeline").
    actions = [
        {"at": "2003-04-15T23:59:59", "by": "IT", "do": "notify"},
        {"at": "2003-04-16", "by": "GB", "do": "notify"},
    ]
    result = both(ENERGY_CHARTER, actions, "2005-01-01")
    assert result.rejected() == [("2003-04-15T23:59:59+01:00", "notify")]
    # whole_days: 2003-04-16 + 1y = 2004-04-16, effect 00:00 on 17 April
    assert result.bound_until("GB") == "2004-04-17T00:00:00+01:00"
    assert result.survives_until("GB") == "2024-04-17T00:00:00+01:00"


# --- join, accession delay, re-accession ----------------------------------------------------


def test_paris_us_leaves_joins_again_and_counts_its_three_years_from_its_own_date() -> None:
    # facts/treaties.md, Paris: US notice 4 November 2019, effective 4 November 2020;
    # acceptance deposited 20 January 2021, "in force for the US 19 February 2021" (art.
    # 21(3), thirtieth day after deposit, exact counting); new notice 27 January 2025,
    # effective 27 January 2026: accepted, because art. 28(1)'s three years run from
    # 19 February 2021 (to 19 February 2024), not from 4 November 2016.
    actions = [
        {"at": "2019-11-04", "by": "US", "do": "notify"},
        {"at": "2021-01-20", "by": "US", "do": "join"},
        {"at": "2025-01-27", "by": "US", "do": "notify"},
    ]
    result = both(PARIS, actions, "2027-01-01")
    assert result.rejected() == []
    assert [(iso(j.at), j.by, iso(j.bound_from)) for j in result.closed.joins] == [
        ("2021-01-20T00:00:00-05:00", "US", "2021-02-19T00:00:00-05:00")
    ]
    assert result.notices() == [
        ("2019-11-04T00:00:00-05:00", "US", False, "2020-11-04T00:00:00-05:00"),
        ("2025-01-27T00:00:00-05:00", "US", False, "2026-01-27T00:00:00-05:00"),
    ]
    assert result.bound_until("US") == "2026-01-27T00:00:00-05:00"


def test_paris_notice_within_three_years_of_rejoining_is_rejected() -> None:
    # Art. 28(1) counted from the party's own entry into force (PRODUCT.md 0.2): bound again
    # from 19 February 2021, so a notice on 18 February 2024 is too early and one on
    # 19 February 2024 is in time.
    actions = [
        {"at": "2019-11-04", "by": "US", "do": "notify"},
        {"at": "2021-01-20", "by": "US", "do": "join"},
        {"at": "2024-02-18T23:59:59", "by": "US", "do": "notify"},
        {"at": "2024-02-19", "by": "US", "do": "notify"},
    ]
    result = both(PARIS, actions, "2026-01-01")
    assert result.rejected() == [("2024-02-18T23:59:59-05:00", "notify")]
    assert result.bound_until("US") == "2025-02-19T00:00:00-05:00"


def test_a_party_that_has_not_joined_can_do_nothing_but_join() -> None:
    # PRODUCT.md 0.2, "Parties with their own dates": a party listed with in_force: null is
    # bound only once it joins (FORMAT-0.2.md); before its accession delay has run, it is not
    # yet bound either (hypothetical, Paris' 30 days).
    treaty = {**PARIS, "parties": ["US", "CN", "FR", {"party": "XX", "in_force": None}]}
    actions = [
        {"at": "2020-03-01", "by": "XX", "do": "notify"},
        {"at": "2020-03-02", "by": "XX", "do": "join"},
        {"at": "2020-03-31T23:59:59", "by": "XX", "do": "suspend_operation"},
        {"at": "2020-04-01", "by": "XX", "do": "suspend_operation"},
        {"at": "2020-04-02", "by": "XX", "do": "join"},
    ]
    result = both(treaty, actions, "2021-01-01")
    assert [action for _, action in result.rejected()] == [
        "notify",
        "suspend_operation",
        "join",
    ]
    assert result.closed.joins[0].bound_from.isoformat() == "2020-04-01T00:00:00-04:00"


def test_entry_into_force_after_the_nth_join() -> None:
    # PRODUCT.md 0.2: "entry_into_force: {parties: N, after: DURATION}: in force after the
    # Nth join" (Paris art. 21(1): "on the thirtieth day after the date on which at least 55
    # Parties ... have deposited"). Hypothetical, with three: the third deposit on
    # 5 October 2016 brings it into force 30 days later, on 4 November 2016 (the Paris dates).
    treaty = {
        "name": "By count",
        "parties": ["US", "CN", "FR", "IN"],
        "timezone": "America/New_York",
        "signed": "2016-04-22",
        "entry_into_force": {"parties": 3, "after": "30d"},
        "clause": {"withdrawal": "1y", "accession_delay": "30d"},
    }
    actions = [
        {"at": "2016-09-03", "by": "US", "do": "join"},
        {"at": "2016-09-03", "by": "CN", "do": "join"},
        {"at": "2016-10-05", "by": "FR", "do": "join"},
        {"at": "2016-10-20", "by": "US", "do": "notify"},
        {"at": "2016-11-04", "by": "US", "do": "notify"},
        {"at": "2016-11-05", "by": "IN", "do": "notify"},
    ]
    result = both(treaty, actions, "2018-01-01")
    assert result.engine.in_force is not None
    assert iso(result.engine.in_force) == "2016-11-04T00:00:00-04:00"
    # before entry into force nothing but joins apply; IN never joined
    assert result.rejected() == [
        ("2016-10-20T00:00:00-04:00", "notify"),
        ("2016-11-05T00:00:00-04:00", "notify"),
    ]
    assert result.bound_until("US") == "2017-11-04T00:00:00-04:00"
    assert result.bound_until("IN") is None


# --- extension cap --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "end"),
    [
        # facts/treaties.md, New START: "3 February 2021: extended by five years, to
        # 5 February 2026": within max_extension 5y (the cap itself is allowed).
        ("5y", "2026-02-05T00:00:00+00:00"),
        # six years would end 5 February 2027, later than the cap: rejected, and the treaty
        # expires at the end of its ten years.
        ("6y", "2021-02-05T00:00:00+00:00"),
    ],
)
def test_new_start_extension_up_to_five_years(period: str, end: str) -> None:
    result = both(NEW_START, [{"at": "2021-02-03", "do": "extend", "period": period}], "2028-01-01")
    assert result.terminated_at() == end
    rejected = result.rejected()
    assert rejected == ([] if period == "5y" else [("2021-02-03T00:00:00+00:00", "extend")])


# --- timed suspension -----------------------------------------------------------------------

VFA_2020_2021 = [
    # docs/treaties/vfa.md: notice received 11 February 2020 (180 days: 9 August 2020)
    {"at": "2020-02-11", "by": "PH", "do": "notify"},
    # suspended on 1 June 2020 "for six months", 69 days before the effect ...
    {"at": "2020-06-01", "by": "PH", "do": "suspend_notice", "for": "6mo"},
    # ... and on 11 November 2020 "for another six months", to 1 June 2021 (re-timed)
    {"at": "2020-11-11", "by": "PH", "do": "suspend_notice", "until": "2021-06-01"},
]


@pytest.mark.parametrize(
    ("interpretation", "effective", "ended"),
    [
        # remaining: the 69 days left on 1 June 2020 run from 1 June 2021: 9 August 2021
        # (docs/treaties/vfa.md: the DFA's "would take effect after 69 days")
        ("remaining", "2021-08-09T00:00:00+08:00", "2021-08-09T00:00:00+08:00"),
        # immediate: it takes effect when the suspension runs out
        ("immediate", "2021-06-01T00:00:00+08:00", "2021-06-01T00:00:00+08:00"),
        # fresh: a new notice on 1 June 2021, 180 days: 28 November 2021
        ("fresh", "2021-11-28T00:00:00+08:00", "2021-11-28T00:00:00+08:00"),
    ],
)
def test_vfa_suspension_runs_out_and_the_notice_resumes_by_itself(
    interpretation: str, effective: str, ended: str
) -> None:
    # PRODUCT.md 0.2, "Timed suspension": "at that instant the notice resumes by itself
    # (event notice_resumed, by the party, reason suspension expired) under the chosen
    # interpretation, unless suspended again or withdrawn first".
    result = both(VFA, VFA_2020_2021, "2022-06-01", interpretation)
    assert result.notices()[1:] == [("2021-06-01T00:00:00+08:00", "PH", True, effective)]
    assert result.terminated_at() == ended
    resumed = [e for e in result.engine.events if e.kind is EventKind.NOTICE_RESUMED]
    assert resumed[0].by == "PH"
    assert resumed[0].reason is not None and "suspension expired" in resumed[0].reason


def test_vfa_as_it_happened_suspended_again_then_retracted() -> None:
    # docs/treaties/vfa.md: suspended a third time on 14 June 2021 "for another six months",
    # and retracted on 30 July 2021: the VFA stays in force.
    actions = [
        *VFA_2020_2021,
        {"at": "2021-06-14", "by": "PH", "do": "suspend_notice", "for": "6mo"},
        {"at": "2021-07-30", "by": "PH", "do": "withdraw_notice"},
    ]
    result = both(VFA, actions, "2022-06-01")
    assert result.terminated_at() is None
    assert result.rejected() == []


def test_an_untimed_suspension_is_not_suspended_again_and_a_past_until_is_rejected() -> None:
    # FORMAT-0.2.md: "a further suspend_notice with for/until while suspended re-times the
    # suspension"; a plain one has nothing to do (docs/state-machine.md, timed_suspension),
    # and a suspension must end after it begins (suspension_ends_later).
    actions = [
        {"at": "2020-02-11", "by": "PH", "do": "notify"},
        {"at": "2020-06-01", "by": "PH", "do": "suspend_notice"},
        {"at": "2020-06-02", "by": "PH", "do": "suspend_notice"},
        {"at": "2020-06-03", "by": "PH", "do": "suspend_notice", "until": "2020-06-03T00:00+08:00"},
        {"at": "2020-06-04", "by": "PH", "do": "suspend_notice", "until": "2020-07-01"},
    ]
    result = both(VFA, actions, "2021-01-01")
    assert [at[:10] for at, _ in result.rejected()] == ["2020-06-02", "2020-06-03"]
    # resumed by itself on 1 July with the 69 days left: 8 September 2020
    assert result.terminated_at() == "2020-09-08T00:00:00+08:00"


# GSOMIA art. 21(3) (tests/test_closed_form.py): in force 23 November 2016, one year, renewed
# annually unless notice is given ninety days before; here under late_notice: void.
GSOMIA_VOID = fixtures.variant(fixtures.GSOMIA, name="GSOMIA", clause={"late_notice": "void"})


def test_under_fresh_and_void_a_late_expiry_is_a_rejected_resume_and_the_notice_stays() -> None:
    # docs/decisions.md, 8: under fresh the resumption is judged as a new notice; under
    # void a late one is rejected and the notice stays suspended. A suspension running out
    # on 1 September 2019, after the 25 August deadline, is a rejected resume_notice by KR;
    # the notice, still suspended, stops nothing, and the 2019 renewal goes ahead.
    actions = [
        {"at": "2019-08-23", "by": "KR", "do": "notify"},
        {"at": "2019-08-24", "by": "KR", "do": "suspend_notice", "until": "2019-09-01"},
    ]
    result = both(GSOMIA_VOID, actions, "2020-01-01", "fresh")
    assert result.rejected() == [("2019-09-01T00:00:00+09:00", "resume_notice")]
    assert result.terminated_at() is None
    # it stays suspended: a later resume_notice in time for the 2020 deadline is a new notice
    later = [*actions, {"at": "2020-08-01", "by": "KR", "do": "resume_notice"}]
    resumed = both(GSOMIA_VOID, later, "2021-01-01", "fresh")
    assert resumed.terminated_at() == "2020-11-23T00:00:00+09:00"


# --- notice window and earliest effect ------------------------------------------------------


def test_a_renewal_notice_before_the_window_opens_is_rejected() -> None:
    # PRODUCT.md 0.2, "Notice window": "a notice earlier than the window is rejected, one
    # later than notice follows late_notice". Hypothetical: GSOMIA's clause with a window
    # opening six months before each term's end: for the term ending 23 November 2019, from
    # 23 May 2019.
    treaty = {
        **GSOMIA_VOID,
        "clause": {
            "term": "1y",
            "renewal": "1y",
            "notice": "90d",
            "notice_window": {"opens": "6mo"},
        },
    }
    actions = [
        {"at": "2019-05-22T23:59:59", "by": "KR", "do": "notify"},
        {"at": "2019-05-23", "by": "JP", "do": "notify"},
    ]
    result = both(treaty, actions, "2020-06-01")
    assert result.rejected() == [("2019-05-22T23:59:59+09:00", "notify")]
    assert result.terminated_at() == "2019-11-23T00:00:00+09:00"


def test_earliest_effect_moves_a_renewal_notice_to_the_first_end_not_before_it() -> None:
    # PRODUCT.md 0.2, "Earliest effect": "a notice's effect is the later of the rule's effect
    # and that instant"; for a renewal clause, the first term end not before it (FORMAT-0.2:
    # "a notice takes effect no earlier than in_force + 10y"). Hypothetical: GSOMIA's clause
    # with earliest_effect 5y (23 November 2021): a notice in time for 2019 ends it in 2021.
    treaty = {
        **GSOMIA_VOID,
        "clause": {"term": "1y", "renewal": "1y", "notice": "90d", "earliest_effect": "5y"},
    }
    result = both(treaty, [{"at": "2019-08-24", "by": "KR", "do": "notify"}], "2023-01-01")
    assert result.terminated_at() == "2021-11-23T00:00:00+09:00"


def test_earliest_effect_as_a_date_holds_a_withdrawal_until_then() -> None:
    # US–Iran Treaty of Amity art. XXIII(3): one year's notice "at the end of the initial
    # ten-year period or at any time thereafter" (in force 16 June 1957): hypothetically, a
    # notice in 1960 takes effect on 16 June 1967, the date.
    treaty = {
        "name": "Treaty of Amity",
        "parties": ["US", "IR"],
        "timezone": "America/New_York",
        "in_force": "1957-06-16",
        "clause": {"withdrawal": "1y", "earliest_effect": "1967-06-16"},
    }
    result = both(treaty, [{"at": "1960-01-04", "by": "US", "do": "notify"}], "1970-01-01")
    assert result.terminated_at() == "1967-06-16T00:00:00-04:00"


@pytest.mark.parametrize("interpretation", list(Interpretation))
def test_every_example_agrees_under_every_interpretation(interpretation: Interpretation) -> None:
    # The examples above, with a suspension and a resumption added where there is a notice,
    # run under each interpretation: the engine and the closed form agree on every field.
    for treaty, party, given in (
        (ISTANBUL, "TR", "2021-03-22"),
        (UNESCO, "US", "2017-10-12"),
        (ENERGY_CHARTER, "IT", "2014-12-31"),
        (PARIS, "US", "2019-11-04"),
    ):
        actions = [
            {"at": given, "by": party, "do": "notify"},
            {"at": f"{given[:4]}-12-31T12:00", "by": party, "do": "suspend_notice", "for": "3mo"},
        ]
        both(treaty, actions, "2040-01-01", interpretation.value)
