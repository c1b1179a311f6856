"""The vectorised path (sim/engines/vector.py) on the clause language of version 0.3, second
by second around the instants each addition turns on, against the SimPy engine (the
reference): the Nth month and the turn of the year (``rules.on_boundary``, asked once per
local date), windows on a fixed cycle (``rules.cyclic_window``, once per date and anchor),
each party's own terms (``kernel.terms_for``) and effects that wait out an armed conflict
(``kernel.effect_waits``; conflict actions before effects at one instant)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest

from sim.core.dates import zone
from sim.core.model import Interpretation, Scenario, Treaty
from sim.core.rules import on_boundary
from sim.core.zone_table import as_seconds
from sim.engines.batch import BatchOutcome
from sim.engines.vector import NONE, base_instants, covers, engine_rows, outcomes
from sim.source import load_source

SHIFTS = [-86_400, -3601, -3600, -1, 0, 1, 3599, 3600, 86_399, 86_400]
"""A day, an hour and a second either way of an instant, and the instant itself."""


def _rows(batch: BatchOutcome) -> list[tuple[Any, ...]]:
    return [
        (
            int(batch.terminated_at[r]),
            [int(s) for s in batch.bound_until[r]],
            int(batch.rejections[r]),
            int(batch.horizon[r]),
        )
        for r in range(len(batch.terminated_at))
    ]


def _scenario(treaty: dict[str, Any], actions: list[dict[str, Any]], **more: Any) -> Scenario:
    return Scenario.model_validate(
        {"name": "0.3 on the vectorised path", "treaty": treaty, "actions": actions, **more}
    )


def _each_moved(base: np.ndarray, shifts: list[int] = SHIFTS) -> np.ndarray:
    """The scenario as given, and each action alone moved by each of ``shifts``."""
    rows = [base]
    for k in range(len(base)):
        for shift in shifts:
            moved = base.copy()
            moved[k] += shift
            rows.append(moved)
    return np.array(rows, dtype=np.int64)


def _agree(chosen: Scenario, at: np.ndarray) -> BatchOutcome:
    treaty = chosen.treaty
    assert isinstance(treaty, Treaty)
    assert covers(chosen, treaty) is None
    for interpretation in Interpretation:
        batch = outcomes(chosen, treaty, at, None, interpretation)
        engine = engine_rows(chosen, treaty, at, None, interpretation)
        assert batch.engine_rows == 0
        assert batch.errors == engine.errors
        assert _rows(batch) == _rows(engine), interpretation
    return outcomes(chosen, treaty, at)


def _instant(text: str) -> int:
    return as_seconds(datetime.fromisoformat(text))


# PRODUCT.md 0.3, "The turn of the year": "a notice on 1 July 2010 takes effect
# 2011-01-01T00:00, one on 2 July 2010 on 2012-01-01T00:00" ({withdrawal: 6mo, effect_on:
# start_of_year}). Under exact counting a notice at 00:00 on 1 July ends its period at 00:00
# on 1 January, that very turn of the year; one a second later ends it on 1 January at
# 00:00:01, after the turn: the next one. rules.on_boundary treats 00:00 apart, and the
# vectorised path asks it for each date at 00:00 and, for instants later that day, after it.
@pytest.mark.parametrize("counting", ["exact", "whole_days"])
def test_the_turn_of_the_year_to_the_second(counting: str) -> None:
    treaty = {
        "name": "Calendar-year convention",
        "parties": ["FR", "DK"],
        "timezone": "Europe/Paris",
        "in_force": "1958-01-01",
        "clause": {"withdrawal": "6mo", "effect_on": "start_of_year", "counting": counting},
    }
    chosen = _scenario(treaty, [{"at": "2010-07-01", "by": "DK", "do": "notify"}])
    at = _each_moved(base_instants(chosen, chosen.treaty))  # type: ignore[arg-type]
    batch = _agree(chosen, at)
    ends = dict(zip(at[:, 0].tolist(), batch.terminated_at.tolist(), strict=True))
    first = _instant("2010-07-01T00:00:00+02:00")
    if counting == "exact":
        assert ends[first] == _instant("2011-01-01T00:00:00+01:00")
        assert ends[first + 1] == _instant("2012-01-01T00:00:00+01:00")
    else:
        # whole_days: the day of the notice is not counted, so even 1 July's period ends
        # at 00:00 on 2 January 2011 (PRODUCT.md, "Counting")
        assert ends[first] == _instant("2012-01-01T00:00:00+01:00")
    assert ends[first - 1] == _instant("2011-01-01T00:00:00+01:00")


# The array form beside the scalar: for instants at and just after 00:00 on dates around
# the turn of the year and the first of a month (New York, with daylight saving), the
# vectorised boundary is rules.on_boundary of each instant.
@pytest.mark.parametrize(
    "effect_on", ["start_of_year", {"first_of_month_after": 12}, "end_of_following_year"]
)
def test_the_boundary_on_arrays_is_rules_on_boundary(effect_on: Any) -> None:
    treaty = {
        "name": "Boundary",
        "parties": ["A", "B"],
        "timezone": "America/New_York",
        "in_force": "2000-01-01",
        "clause": {"withdrawal": "1d", "effect_on": effect_on},
    }
    chosen = _scenario(treaty, [{"at": "2010-12-31", "by": "A", "do": "notify"}])
    tz = zone("America/New_York")
    base = base_instants(chosen, chosen.treaty)  # type: ignore[arg-type]
    shifts = [-86_400, -1, 0, 1, 60, 43_200, 86_399, 86_400, 86_401, 31 * 86_400]
    at = np.array([base + shift for shift in shifts], dtype=np.int64)
    batch = _agree(chosen, at)
    clause = chosen.treaty.clause  # type: ignore[union-attr]
    for row, second in enumerate(at[:, 0].tolist()):
        given = datetime.fromtimestamp(second + 86_400, UTC).astimezone(tz)
        expected = on_boundary(given, clause.effect_on)
        assert int(batch.terminated_at[row]) == as_seconds(expected), row


# PRODUCT.md 0.3, "Windows on a fixed cycle": ILO Convention No. 87 art. 16, in force
# 4 July 1950, {withdrawal: 1y, notice_window: {every: 10y, open_for: 1y}}: the first window
# is [1960-07-04, 1961-07-04). A notice a second before it opens or as it closes is
# rejected; one as it opens, or a second before it closes, is accepted and takes effect a
# year later. With `from: party`, the windows count from the party's own entry into force.
@pytest.mark.parametrize("counted_from", ["treaty", "party"])
def test_a_window_on_a_fixed_cycle_to_the_second(counted_from: str) -> None:
    treaty = {
        "name": "ILO C87",
        "parties": ["GB", {"party": "UY", "in_force": "1954-03-18"}, "FR"],
        "timezone": "Europe/Zurich",
        "in_force": "1950-07-04",
        "clause": {
            "withdrawal": "1y",
            "notice_window": {"every": "10y", "open_for": "1y", "from": counted_from},
        },
    }
    opens = "1960-07-04" if counted_from == "treaty" else "1964-03-18"
    closes = "1961-07-04" if counted_from == "treaty" else "1965-03-18"
    chosen = _scenario(
        treaty,
        [
            {"at": opens, "by": "UY", "do": "notify"},
            {"at": closes, "by": "GB", "do": "notify"},
        ],
    )
    at = _each_moved(base_instants(chosen, chosen.treaty))  # type: ignore[arg-type]
    batch = _agree(chosen, at)
    # as given: UY's notice as the window opens is accepted, GB's as it closes is not
    # (GB's own window is the treaty's, under either `from`)
    assert int(batch.rejections[0]) == 1
    uy_opens = at[0, 0]
    before = [r for r in range(len(at)) if at[r, 0] == uy_opens - 1]
    assert before and all(int(batch.rejections[r]) == 2 for r in before)


# PRODUCT.md 0.3, "Each party's own terms" (European Social Charter of 1961, art. 37(1),
# {term: 5y, renewal: 2y, notice: 6mo, terms_from: party}); issue 19: "a party in force from
# 5 July 1985 giving notice on 1 January 1990 leaves ... on 5 July 1990". Around its own
# deadline (5 January 1990, 00:00) the notice stops its own term's renewal or the next one,
# a dated effect (GB's goes by its own terms, those of the treaty, ending on 26 February
# of even years: on 1 February 1990 it is late for 1990 and stops the renewal of 1992).
def test_each_partys_own_terms_to_the_second() -> None:
    treaty = {
        "name": "European Social Charter (1961)",
        "parties": ["GB", "IT", {"party": "ES", "in_force": "1985-07-05"}, "XX"],
        "timezone": "Europe/Paris",
        "in_force": "1965-02-26",
        "clause": {"term": "5y", "renewal": "2y", "notice": "6mo", "terms_from": "party"},
    }
    chosen = _scenario(
        treaty,
        [
            {"at": "1990-01-05", "by": "ES", "do": "notify"},
            {"at": "1990-02-01", "by": "GB", "do": "notify"},
        ],
    )
    at = _each_moved(base_instants(chosen, chosen.treaty))  # type: ignore[arg-type]
    batch = _agree(chosen, at)
    es = batch.parties.index("ES")
    deadline = _instant("1990-01-05T00:00:00+01:00")
    rows = {int(at[r, 0]): int(batch.bound_until[r, es]) for r in range(len(at))}
    assert rows[deadline - 1] == _instant("1990-07-05T00:00:00+02:00")
    assert rows[deadline] == _instant("1992-07-05T00:00:00+02:00")
    gb = batch.parties.index("GB")
    assert int(batch.bound_until[0, gb]) == _instant("1992-02-26T00:00:00+01:00")


# PRODUCT.md 0.3, "Effects that wait out an armed conflict" (Ottawa Convention art. 20(3)),
# the library's scenario for Ukraine: its notice's effect (2026-01-16) waits for the end of
# the conflict. A conflict is half-open, [enter, end) (sim/engine.py: at one instant, conflict
# actions before effects): a conflict that begins at the effect's instant holds it back, one
# that ends then does not, and an end moved before the effect frees it at once.
def test_an_armed_conflict_around_the_effect_to_the_second() -> None:
    source = load_source("scenarios/ottawa_ukraine_2025_hypothetical.yaml")
    chosen, treaty = source.scenario, source.treaty
    base = base_instants(chosen, treaty)
    effect = _instant("2026-01-16T00:00:00-05:00")
    rows = [base]
    for shift in (-1, 0, 1):
        entered = base.copy()
        entered[0] = effect + shift  # the conflict begins around the effect
        rows.append(entered)
        ended = base.copy()
        ended[3] = effect + shift  # the conflict ends around the effect
        rows.append(ended)
    at = np.array(rows, dtype=np.int64)
    assert covers(chosen, treaty) is None
    batch = outcomes(chosen, treaty, at)
    engine = engine_rows(chosen, treaty, at)
    assert batch.engine_rows == 0
    assert _rows(batch) == _rows(engine)
    ua = batch.parties.index("UA")
    bound = [int(b) for b in batch.bound_until[:, ua]]
    end = _instant("2027-03-01T00:00:00-05:00")
    # as given; begun a second before the effect, at it: held back to the conflict's end;
    # begun a second after it: the effect came first
    assert bound[0] == end
    assert bound[1] == end and bound[3] == end and bound[5] == effect
    # ended a second before the effect, or at it: no postponement; a second after: then
    assert bound[2] == effect and bound[4] == effect and bound[6] == effect + 1


# A notice waiting out a conflict cannot be suspended (kernel guard effect_not_postponed: a
# rejection), may still be withdrawn (then the conflict's end changes nothing), and the
# actions of one instant apply the conflict first whatever their order in the file.
def test_a_waiting_notice_is_not_suspended_but_may_be_withdrawn() -> None:
    treaty = {
        "name": "Ottawa-like",
        "parties": ["UA", "LT", "CA"],
        "timezone": "UTC",
        "in_force": "1999-03-01",
        "clause": {"withdrawal": "6mo", "effect_not_during": "armed_conflict"},
    }
    chosen = _scenario(
        treaty,
        [
            {"at": "2025-07-16", "by": "UA", "do": "notify"},
            {"at": "2026-01-16", "by": "UA", "do": "enter_armed_conflict"},
            {"at": "2026-03-01", "by": "UA", "do": "suspend_notice"},
            {"at": "2026-05-01", "by": "UA", "do": "withdraw_notice"},
            {"at": "2026-06-01", "by": "UA", "do": "end_armed_conflict"},
            {"at": "2026-06-01", "by": "LT", "do": "notify"},
            {"at": "2026-06-01", "by": "LT", "do": "enter_armed_conflict"},
        ],
        horizon="2028-01-01",
    )
    base = base_instants(chosen, chosen.treaty)  # type: ignore[arg-type]
    at = _each_moved(base, [-86_400 * 200, -86_400 * 40, -1, 0, 1, 86_400 * 40])
    happens = np.ones_like(at, dtype=bool)
    batch = _agree(chosen, at)
    assert int(batch.rejections[0]) == 1  # the suspension
    ua = batch.parties.index("UA")
    assert int(batch.bound_until[0, ua]) == NONE  # withdrawn: still bound
    without = happens.copy()
    without[:, 3] = False  # not withdrawn: UA leaves as the conflict ends
    batch = outcomes(chosen, chosen.treaty, at, without)  # type: ignore[arg-type]
    engine = engine_rows(chosen, chosen.treaty, at, without)  # type: ignore[arg-type]
    assert _rows(batch) == _rows(engine)
    assert int(batch.bound_until[0, ua]) == _instant("2026-06-01T00:00:00+00:00")


OTTAWA_LIKE = {
    "name": "Ottawa-like",
    "parties": ["UA", "LT", "CA"],
    "timezone": "UTC",
    "in_force": "1999-03-01",
    "clause": {"term": "30y", "withdrawal": "6mo", "effect_not_during": "armed_conflict"},
}
OWN_TERMS_AND_WINDOW = {
    "name": "Cyclic and own terms",
    "parties": ["A", {"party": "B", "in_force": "2003-01-01"}, "C"],
    "timezone": "UTC",
    "in_force": "2000-01-01",
    "clause": {
        "term": "5y",
        "renewal": "5y",
        "notice": "6mo",
        "terms_from": "party",
        "notice_window": {"every": "10y", "open_for": "1y", "from": "treaty"},
    },
}


# The three cases tests/test_clause_language_03.py keeps for the engine (an extension
# during the wait moves the term; an immediate resumption during a conflict waits; a window
# from the treaty under each party's own terms), each action moved around its instant: the
# vectorised path gives what the engine gives.
@pytest.mark.parametrize(
    ("treaty", "actions"),
    [
        (
            OTTAWA_LIKE,
            [
                {"at": "2022-02-24", "by": "UA", "do": "enter_armed_conflict"},
                {"at": "2025-07-16", "by": "UA", "do": "notify"},
                {"at": "2027-01-01", "do": "extend", "period": "5y"},
                {"at": "2030-01-01", "by": "UA", "do": "end_armed_conflict"},
            ],
        ),
        (
            {**OTTAWA_LIKE, "clause": {"withdrawal": "6mo", "effect_not_during": "armed_conflict"}},
            [
                {"at": "2025-07-16", "by": "UA", "do": "notify"},
                {"at": "2025-08-01", "by": "UA", "do": "suspend_notice"},
                {"at": "2026-01-01", "by": "UA", "do": "enter_armed_conflict"},
                {"at": "2026-03-01", "by": "UA", "do": "resume_notice"},
                {"at": "2027-03-01", "by": "UA", "do": "end_armed_conflict"},
            ],
        ),
        (
            OWN_TERMS_AND_WINDOW,
            [
                {"at": "2010-03-01", "by": "B", "do": "notify"},
                {"at": "2013-03-01", "by": "A", "do": "notify"},
            ],
        ),
    ],
    ids=["extend-during-the-wait", "immediate-in-conflict", "window-from-treaty-own-terms"],
)
def test_the_engine_fixes_of_03_agree_on_the_vectorised_path(
    treaty: dict[str, Any], actions: list[dict[str, Any]]
) -> None:
    chosen = _scenario(treaty, actions, horizon="2034-01-01")
    base = base_instants(chosen, chosen.treaty)  # type: ignore[arg-type]
    _agree(chosen, _each_moved(base, [-400 * 86_400, -60 * 86_400, -1, 0, 1, 60 * 86_400]))
