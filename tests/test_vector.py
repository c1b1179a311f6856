"""The vectorised closed form (sim/engines/vector.py) against the scalar closed form
(tests/closed_form.py) and the SimPy engine (sim/engine.py, the reference): for batches
of random scenarios, one row per variant of a scenario's action instants, the three agree on
``terminated_at``, every party's ``bound_until`` and the count of rejected actions, to the
second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import cli
from closed_form import outcome
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import (
    EFFECTS_ON_02,
    KINDS_02,
    ZONES,
    ZONES_WITH_DST,
    conflict_stories,
    duration_of,
    durations,
    notice_stories_02,
    scenarios,
    scenarios_02,
    scenarios_03,
    soon,
    treaties,
)

from sim.core.dates import as_instant, zone
from sim.core.model import (
    Action,
    ActionKind,
    Clause,
    Interpretation,
    Scenario,
    TermsFrom,
    Treaty,
)
from sim.core.zone_table import as_seconds
from sim.engine import run
from sim.engines.batch import BatchOutcome, timeline_row
from sim.engines.vector import NONE, base_instants, covers, engine_rows, outcomes
from sim.source import load_source


def _seconds(moment: datetime | None) -> int:
    return NONE if moment is None else as_seconds(moment)


def _row(batch: BatchOutcome, row: int) -> tuple[int, list[int], list[int], int, int]:
    """Row ``row`` of a batch, in the form of :func:`timeline_row`."""
    return (
        int(batch.terminated_at[row]),
        [int(s) for s in batch.bound_until[row]],
        [int(s) for s in batch.survives_until[row]],
        int(batch.rejections[row]),
        int(batch.horizon[row]),
    )


def with_instants(chosen: Scenario, treaty: Treaty, row: list[int], kept: list[bool]) -> Scenario:
    """The scenario with action k at ``row[k]`` (UTC seconds), without those not ``kept``."""
    tz = zone(treaty.timezone)
    actions = [
        action.model_copy(update={"at": datetime.fromtimestamp(second, UTC).astimezone(tz)})
        for action, second, keep in zip(chosen.actions, row, kept, strict=True)
        if keep
    ]
    return chosen.model_copy(update={"actions": actions})


def in_language_02(chosen: Scenario, treaty: Treaty) -> bool:
    """Whether a scenario says only what version 0.2 can say: the closed form
    (tests/closed_form.py) is an oracle of that language, so it is asked only then; the 0.3
    additions (the Nth month, the turn of the year, windows on a fixed cycle, each party's
    own terms, effects that wait out an armed conflict) are held to the engine alone."""
    clause = treaty.clause
    window = clause.notice_window
    return (
        (clause.effect_on is None or clause.effect_on in EFFECTS_ON_02)
        and (window is None or not window.cyclic)
        and clause.terms_from is TermsFrom.TREATY
        and clause.effect_not_during is None
        and all(action.do in KINDS_02 for action in chosen.actions)
    )


def three_agree(
    chosen: Scenario,
    treaty: Treaty,
    at: np.ndarray,
    happens: np.ndarray,
    interpretation: Interpretation,
) -> None:
    batch = outcomes(chosen, treaty, at, happens, interpretation)
    for row in range(at.shape[0]):
        variant = with_instants(chosen, treaty, list(at[row]), list(happens[row]))
        engine = run(variant, treaty, interpretation)
        expected = (
            _seconds(engine.terminated_at),
            [_seconds(engine.bound_until.get(p)) for p in batch.parties],
            len(engine.rejections),
        )
        if in_language_02(chosen, treaty):
            # the oracle knows the 0.2 language only
            closed = outcome(variant, treaty, interpretation)
            model = (
                _seconds(closed.terminated_at),
                [_seconds(closed.bound().get(p)) for p in batch.parties],
                len(closed.rejections),
            )
            assert model == expected, row
        vector = (
            int(batch.terminated_at[row]),
            [int(moment) for moment in batch.bound_until[row]],
            int(batch.rejections[row]),
        )
        assert vector == expected, (row, covers(chosen, treaty))
        # the whole row, survives_until and the horizon too, as the engine's timeline
        # gives it (batch.timeline_row)
        assert _row(batch, row) == timeline_row(engine, batch.parties), row


@st.composite
def batches(
    draw: st.DrawFn, chosen_scenarios: st.SearchStrategy[Scenario]
) -> tuple[Scenario, np.ndarray, np.ndarray]:
    """A scenario, and a few variants of it: each action moved by a little (often to the
    second before or after a landmark of the original story) and some left out."""
    chosen = draw(chosen_scenarios)
    assert isinstance(chosen.treaty, Treaty)
    base = base_instants(chosen, chosen.treaty)
    rows = draw(st.integers(1, 6))
    at = np.repeat(base[None, :], rows, axis=0)
    happens = np.ones_like(at, dtype=bool)
    for row in range(1, rows):
        for k in range(len(base)):
            if draw(st.booleans()):
                shift = draw(soon)
                sign = draw(st.sampled_from([1, -1]))
                at[row, k] += sign * int(shift / timedelta(seconds=1))
            happens[row, k] = draw(st.integers(0, 4)) > 0
    if chosen.horizon is not None:
        # every variant keeps its actions before the horizon, as the engine requires
        tz = zone(chosen.treaty.timezone)
        limit = as_seconds(as_instant(chosen.horizon, tz)) - 1
        at = np.minimum(at, limit)
    return chosen, at, happens


# For any scenario and any batch of variants of its action instants (and of which actions
# happen), the vectorised path, the closed form and the engine agree on when the treaty
# ends, when each party stops being bound and how many actions are rejected, to the second.
@settings(max_examples=max(120, settings.default.max_examples))
@given(batches(scenarios()), st.sampled_from(list(Interpretation)))
def test_the_vectorised_path_agrees_with_the_closed_form_and_the_engine(
    drawn: tuple[Scenario, np.ndarray, np.ndarray], interpretation: Interpretation
) -> None:
    chosen, at, happens = drawn
    assert isinstance(chosen.treaty, Treaty)
    three_agree(chosen, chosen.treaty, at, happens, interpretation)


# ... in zones with daylight saving (clocks that jump at midnight, half-hour changes, a
# skipped day), where each notice's effect, time left and horizon is local calendar
# arithmetic resolved through the zone's transitions.
@settings(max_examples=max(80, settings.default.max_examples))
@given(
    batches(
        scenarios(
            treaties=treaties(zones=ZONES_WITH_DST),
            kinds=(
                ActionKind.NOTIFY,
                ActionKind.SUSPEND_NOTICE,
                ActionKind.RESUME_NOTICE,
                ActionKind.WITHDRAW_NOTICE,
                ActionKind.EXTEND,
                ActionKind.TERMINATE,
            ),
        )
    ),
    st.sampled_from(list(Interpretation)),
)
def test_the_vectorised_path_agrees_across_clock_changes(
    drawn: tuple[Scenario, np.ndarray, np.ndarray], interpretation: Interpretation
) -> None:
    chosen, at, happens = drawn
    assert isinstance(chosen.treaty, Treaty)
    three_agree(chosen, chosen.treaty, at, happens, interpretation)


@st.composite
def capped_treaties(draw: st.DrawFn) -> Treaty:
    """Any treaty of :func:`treaties`, half the time with an extension cap (``max_extension``,
    PRODUCT.md 0.2, "Extension cap"), the one 0.2 clause field the vectorised path covers."""
    treaty = draw(treaties(zones=ZONES))
    if draw(st.booleans()):
        cap = duration_of(draw(durations))
        clause = treaty.clause.model_copy(update={"max_extension": cap})
        return treaty.model_copy(update={"clause": clause})
    return treaty


# ``extend`` (docs/decisions.md, 10-13): stories rich in extensions, by period or through a
# date, of a term's end (later terms anchored on the new end) or of a pending withdrawal's
# effect, some beyond the cap, in every zone (daylight saving too) and under every
# interpretation; the vectorised path runs them itself (no row goes to the engine) and
# agrees with the closed form and the engine.
@settings(max_examples=max(120, settings.default.max_examples))
@given(
    batches(
        scenarios(
            treaties=capped_treaties(),
            kinds=(
                ActionKind.EXTEND,
                ActionKind.NOTIFY,
                ActionKind.SUSPEND_NOTICE,
                ActionKind.RESUME_NOTICE,
                ActionKind.WITHDRAW_NOTICE,
                ActionKind.EXTEND,
            ),
        )
    ),
    st.sampled_from(list(Interpretation)),
)
def test_extensions_are_vectorised_and_agree(
    drawn: tuple[Scenario, np.ndarray, np.ndarray], interpretation: Interpretation
) -> None:
    chosen, at, happens = drawn
    assert isinstance(chosen.treaty, Treaty)
    assert covers(chosen, chosen.treaty) is None
    three_agree(chosen, chosen.treaty, at, happens, interpretation)
    batch = outcomes(chosen, chosen.treaty, at, happens, interpretation)
    assert batch.engine_rows == 0


# In the whole 0.2 language (earliest_effect, effect_on, survival, notice_window,
# max_extension, accession_delay; parties with their own dates, joins and re-accessions,
# entry into force by a count of joins; notices naming their date, timed suspensions), the
# vectorised path runs every row itself and agrees with the closed form and the engine, to
# the second, survives_until and the horizon included.
@settings(max_examples=max(120, settings.default.max_examples))
@given(batches(scenarios_02))
def test_the_whole_02_language_is_vectorised_and_agrees(
    drawn: tuple[Scenario, np.ndarray, np.ndarray],
) -> None:
    chosen, at, happens = drawn
    assert isinstance(chosen.treaty, Treaty)
    assert covers(chosen, chosen.treaty) is None
    three_agree(chosen, chosen.treaty, at, happens, chosen.interpretation)
    batch = outcomes(chosen, chosen.treaty, at, happens)
    assert batch.engine_rows == 0


# In the whole 0.3 language (PRODUCT.md, "Additions for version 0.3": the Nth month and the
# turn of the year, windows on a fixed cycle from the treaty's or the party's entry into
# force, each party's own terms, effects that wait out an armed conflict, with its actions
# entered and ended around the notices), under every interpretation, the vectorised path
# runs every row itself and gives what the engine gives, to the second.
@settings(max_examples=max(150, settings.default.max_examples))
@given(batches(scenarios_03), st.sampled_from(list(Interpretation)))
def test_the_whole_03_language_is_vectorised_and_agrees(
    drawn: tuple[Scenario, np.ndarray, np.ndarray], interpretation: Interpretation
) -> None:
    chosen, at, happens = drawn
    assert isinstance(chosen.treaty, Treaty)
    assert covers(chosen, chosen.treaty) is None
    three_agree(chosen, chosen.treaty, at, happens, interpretation)
    assert outcomes(chosen, chosen.treaty, at, happens, interpretation).engine_rows == 0


# Effects that wait out an armed conflict (PRODUCT.md 0.3; docs/decisions.md, 52): withdrawals
# and their life with conflicts entered and ended around their effects, under every
# interpretation: a conflict is half-open, an effect due during it (an immediate resumption's
# too) waits for its end, a waiting notice cannot be suspended but may be withdrawn, and an
# extension does not move it. The vectorised path runs every row and agrees with the engine.
@settings(max_examples=max(100, settings.default.max_examples))
@given(batches(conflict_stories), st.sampled_from(list(Interpretation)))
def test_armed_conflicts_are_vectorised_and_agree(
    drawn: tuple[Scenario, np.ndarray, np.ndarray], interpretation: Interpretation
) -> None:
    chosen, at, happens = drawn
    assert isinstance(chosen.treaty, Treaty)
    three_agree(chosen, chosen.treaty, at, happens, interpretation)
    assert outcomes(chosen, chosen.treaty, at, happens, interpretation).engine_rows == 0


# Timed suspensions under every interpretation (PRODUCT.md 0.2, "Timed suspension";
# docs/decisions.md, 39): one that runs out resumes the notice by itself, at the instant
# before notices take effect and terms end; under fresh, a resumption that would be void is a
# rejection and leaves the notice suspended with no end; a second timed suspension re-times
# the first. The vectorised path runs every row and agrees with the engine.
@settings(max_examples=max(80, settings.default.max_examples))
@given(batches(notice_stories_02), st.sampled_from(list(Interpretation)))
def test_timed_suspensions_are_vectorised_and_agree(
    drawn: tuple[Scenario, np.ndarray, np.ndarray], interpretation: Interpretation
) -> None:
    chosen, at, happens = drawn
    assert isinstance(chosen.treaty, Treaty)
    three_agree(chosen, chosen.treaty, at, happens, interpretation)
    assert outcomes(chosen, chosen.treaty, at, happens, interpretation).engine_rows == 0


def test_gsomia_notice_before_25_august_2019_ends_the_treaty_on_23_november() -> None:
    # docs/sources.md, GSOMIA: term 3 ends 2019-11-23T00:00+09:00 and its notice deadline is
    # 2019-11-23 - 90d = 2019-08-25T00:00+09:00 (PRODUCT.md, "Counting", exact): a notice in
    # the last second before it ends the treaty then; one at the deadline is late and stops
    # the 2020 renewal instead, 2020-11-23T00:00+09:00.
    source = load_source("scenarios/gsomia_no_suspension.yaml")
    deadline = as_seconds(datetime.fromisoformat("2019-08-25T00:00:00+09:00"))
    at = np.array([[deadline - 1], [deadline]], dtype=np.int64)
    batch = outcomes(source.scenario, source.treaty, at)
    ends = [datetime.fromtimestamp(int(s), UTC).isoformat() for s in batch.terminated_at]
    assert ends == ["2019-11-22T15:00:00+00:00", "2020-11-22T15:00:00+00:00"]
    assert batch.engine_rows == 0


@pytest.mark.parametrize("interpretation", list(Interpretation))
def test_every_scenario_file_agrees_with_the_engine(interpretation: Interpretation) -> None:
    # Every scenario in scenarios/, each a batch of one, under each interpretation.
    for path in sorted(Path("scenarios").glob("*.yaml")):
        source = load_source(str(path))
        at = base_instants(source.scenario, source.treaty)[None, :]
        happens = np.ones_like(at, dtype=bool)
        three_agree(source.scenario, source.treaty, at, happens, interpretation)


def _treaty_in(zone_name: str, clause: dict[str, str]) -> Treaty:
    return Treaty(
        name="Fall-back treaty",
        parties=["A", "B"],
        timezone=zone_name,
        in_force=datetime(2015, 1, 1).date(),
        clause=Clause.model_validate(clause),
    )


def _story(treaty: Treaty, steps: list[tuple[str, str]]) -> Scenario:
    return Scenario(
        name="Fall-back resumption",
        treaty=treaty,
        interpretation=Interpretation.REMAINING,
        actions=[Action.model_validate({"at": at, "by": "A", "do": do}) for at, do in steps],
    )


# A notice resumed under `remaining` whose effect lands in the repeated hour of New York's
# fall-back (2019-11-03, 02:00 EDT -> 01:00 EST), the case rules.resumed_effect settles
# (docs/decisions.md, 6) and the vectorised path's array copy must follow. A 30-day
# withdrawal notice of 2019-10-04T01:40-04:00 takes effect at 01:40 EDT on 3 November
# (dates.add: the first occurrence); suspended at 01:20 EDT, 20 minutes of wall clock are
# left; resumed at 01:10 EST (the second occurrence, 50 minutes later in real time), 01:10 +
# 20 min = 01:30, whose first occurrence (01:30 EDT) is before the resumption: the effect is
# the second, 2019-11-03T01:30-05:00, and the bilateral treaty ends then. Each action is
# also moved across the hour, second by second around the landmarks.
def test_a_resumption_into_the_repeated_hour_agrees_with_rules_resumed_effect() -> None:
    treaty = _treaty_in("America/New_York", {"withdrawal": "30d"})
    chosen = _story(
        treaty,
        [
            ("2019-10-04T01:40:00-04:00", "notify"),
            ("2019-11-03T01:20:00-04:00", "suspend_notice"),
            ("2019-11-03T01:10:00-05:00", "resume_notice"),
        ],
    )
    base = base_instants(chosen, treaty)
    batch = outcomes(chosen, treaty, base[None, :])
    assert int(batch.terminated_at[0]) == as_seconds(
        datetime.fromisoformat("2019-11-03T01:30:00-05:00")
    )
    shifts = [-3600, -1201, -1200, -1199, -601, -1, 0, 1, 599, 600, 1800, 3599, 3600]
    rows = [base + np.array([0, 0, d]) for d in shifts]
    rows += [base + np.array([0, d, 0]) for d in shifts if d < 3000]
    rows += [base + np.array([d, 0, 0]) for d in shifts]
    at = np.array(rows, dtype=np.int64)
    three_agree(chosen, treaty, at, np.ones_like(at, dtype=bool), Interpretation.REMAINING)
    assert outcomes(chosen, treaty, at).engine_rows == 0


SCENARIO_FILES = [
    str(p) for p in sorted(Path("scenarios").glob("*.yaml")) if load_source(str(p)).scenario.actions
]
"""The files of scenarios/ with actions (each of the others is a batch of one, above)."""
DAY = 86_400
# each action moved alone, and all together: by -30 to +30 days in steps of five, and by a
# second either way of the date the file gives (issue 15: "every action date moved across a
# range")
SHIFTS = [d * DAY for d in range(-30, 31, 5)] + [-1, 1]


def _moved(base: np.ndarray) -> np.ndarray:
    rows = [base]
    for shift in SHIFTS:
        rows.append(base + shift)
        for k in range(len(base)):
            moved = base.copy()
            moved[k] += shift
            rows.append(moved)
    return np.array(rows, dtype=np.int64)


# Every scenario of scenarios/ with actions, each action date moved across ±30 days (alone
# and all together), under each interpretation: the vectorised path runs every row itself
# (no row falls back to the engine) and gives, row by row, what the SimPy engine gives:
# terminated_at, each party's bound_until and survives_until, the count of rejections, the
# horizon, and the same error where a moved action lands at or after the horizon.
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: Path(p).stem)
def test_every_scenario_file_with_moved_actions_is_vectorised_and_agrees(path: str) -> None:
    source = load_source(path)
    assert covers(source.scenario, source.treaty) is None
    at = _moved(base_instants(source.scenario, source.treaty))
    for interpretation in Interpretation:
        batch = outcomes(source.scenario, source.treaty, at, None, interpretation)
        engine = engine_rows(source.scenario, source.treaty, at, None, interpretation)
        assert batch.engine_rows == 0
        assert engine.engine_rows == len(at)
        assert batch.errors == engine.errors
        for row in range(len(at)):
            assert _row(batch, row) == _row(engine, row), (interpretation, row)


def test_an_action_moved_past_the_horizon_is_the_engines_error_without_the_engine() -> None:
    # PRODUCT.md, "The timeline": the horizon bounds the run; sim.engine.run refuses an
    # action at or after it (actions[k].at). Moved there, the row carries that same error,
    # and the rows before it their outcome, with no row run by the engine.
    source = load_source("scenarios/gsomia_no_suspension.yaml")
    scenario = source.scenario.model_copy(update={"horizon": datetime(2020, 1, 1).date()})
    horizon = as_seconds(datetime.fromisoformat("2020-01-01T00:00:00+09:00"))
    at = np.array([[horizon - 1], [horizon], [horizon + DAY]], dtype=np.int64)
    batch = outcomes(scenario, source.treaty, at)
    engine = engine_rows(scenario, source.treaty, at)
    assert batch.engine_rows == 0
    assert batch.errors == engine.errors
    assert set(batch.errors) == {1, 2}
    assert batch.errors[1].startswith("actions[0].at: the action is at or after the horizon")
    assert [_row(batch, r) for r in range(3)] == [_row(engine, r) for r in range(3)]


def test_no_horizon_to_count_from_is_the_engines_error() -> None:
    # rules.default_horizon: with no action, the horizon counts from entry into force or
    # signature; a treaty brought into force by a count of joins with neither, in a row
    # where its one join does not happen, has none (sim.engine.run's RunError).
    treaty = Treaty.model_validate(
        {
            "name": "By count",
            "parties": ["A", "B"],
            "entry_into_force": {"parties": 1},
            "clause": {"withdrawal": "1y"},
        }
    )
    chosen = Scenario(
        name="One join",
        treaty=treaty,
        actions=[Action.model_validate({"at": "2020-01-01", "by": "A", "do": "join"})],
    )
    at = np.repeat(base_instants(chosen, treaty)[None, :], 2, axis=0)
    happens = np.array([[True], [False]])
    batch = outcomes(chosen, treaty, at, happens)
    engine = engine_rows(chosen, treaty, at, happens)
    assert batch.engine_rows == 0
    assert batch.errors == engine.errors
    assert list(batch.errors) == [1]
    assert [_row(batch, r) for r in range(2)] == [_row(engine, r) for r in range(2)]


# Issue 15, "Done when": `treaty-sim sweep FILE --vary 'actions[0].at=A..B' --step 1d
# --summary` reports "0 run by the engine" for every file of scenarios/ with actions; here
# over the 61 days from 30 before to 30 after the first action's local date.
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: Path(p).stem)
def test_a_sweep_of_the_first_action_runs_nothing_on_the_engine(
    path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = load_source(path)
    first = as_instant(source.scenario.actions[0].at, zone(source.treaty.timezone)).date()
    begin, end = first - timedelta(days=30), first + timedelta(days=30)
    vary = f"actions[0].at={begin}..{end}"
    code, out, err = cli(["sweep", path, "--vary", vary, "--step", "1d", "--summary"], capsys)
    headline = out.splitlines()[0]
    assert "varying actions[0].at: 61 values" in headline, (code, out, err)
    assert covers(source.scenario, source.treaty) is None
    assert headline.endswith(", 0 run by the engine"), headline


# Samoa skipped 30 December 2011 (IANA tzdata, Pacific/Apia: 29 December 23:59:59 -10:00
# was followed by 31 December 00:00 +14:00). A period counted in whole days from 00:00 on
# 29 December lands on the skipped day and goes on from the day after (dates.period_end),
# and a treaty in force on the skipped date counts its default horizon from that date
# (rules.default_horizon): found by Hypothesis, kept here as examples.
@pytest.mark.parametrize("counting", ["whole_days", "exact"])
def test_the_day_samoa_skipped_is_counted_as_the_engine_counts_it(counting: str) -> None:
    treaty = Treaty.model_validate(
        {
            "name": "Apia",
            "parties": ["KR", "JP"],
            "timezone": "Pacific/Apia",
            "signed": "2011-12-20",
            "entry_into_force": {"parties": 1, "after": "1d"},
            "clause": {"withdrawal": "1d", "accession_delay": "1d", "counting": counting},
        }
    )
    chosen = Scenario(
        name="Join on the eve",
        treaty=treaty,
        actions=[
            Action.model_validate({"at": "2011-12-29T12:00", "by": "KR", "do": "join"}),
            Action.model_validate({"at": "2011-12-29T12:00", "by": "JP", "do": "join"}),
            Action.model_validate({"at": "2012-01-03", "by": "KR", "do": "notify"}),
        ],
    )
    base = base_instants(chosen, treaty)
    at = np.array([base + shift for shift in (-86_400, -3600, 0, 43_199, 43_200)])
    batch = outcomes(chosen, treaty, at)
    engine = engine_rows(chosen, treaty, at)
    assert batch.engine_rows == 0
    assert [_row(batch, r) for r in range(len(at))] == [_row(engine, r) for r in range(len(at))]
    in_force = treaty.model_copy(update={"signed": None, "entry_into_force": None})
    in_force = in_force.model_copy(update={"in_force": datetime(2011, 12, 30).date()})
    quiet = Scenario(name="No action", treaty=in_force, actions=[])
    none = np.zeros((1, 0), dtype=np.int64)
    assert _row(outcomes(quiet, in_force, none), 0) == _row(engine_rows(quiet, in_force, none), 0)


def test_what_covers_does_not_state_runs_on_the_engine_with_the_same_outcome(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The driver is chosen by covers(), a statement of the clause fields the vectorised path
    # applies, not by an error: were survival not among them, the Energy Charter's batch
    # would run, every row, on the engine, into the same BatchOutcome fields.
    source = load_source("scenarios/energy_charter_italy_2014.yaml")
    at = _moved(base_instants(source.scenario, source.treaty))[:8]
    fast = outcomes(source.scenario, source.treaty, at)
    assert covers(source.scenario, source.treaty) is None
    assert fast.engine_rows == 0
    import sim.engines.vector as vector

    narrower = tuple(name for name in vector.COVERED_CLAUSE if name != "survival")
    monkeypatch.setattr(vector, "COVERED_CLAUSE", narrower)
    assert covers(source.scenario, source.treaty) == "the clause uses survival"
    slow = outcomes(source.scenario, source.treaty, at)
    assert slow.engine_rows == len(at)
    assert [_row(slow, r) for r in range(len(at))] == [_row(fast, r) for r in range(len(at))]
    # Energy Charter Treaty art. 47(3): obligations survive 20 years from the withdrawal's
    # effect (scenario file and docs/sources.md: Italy's of 1 January 2016, to 1 January
    # 2036, 00:00 in Lisbon, the Depositary's zone: UTC+0 in winter)
    assert {int(s) for s in fast.survives_until[0]} - {NONE} == {
        as_seconds(datetime.fromisoformat("2036-01-01T00:00:00+00:00"))
    }
