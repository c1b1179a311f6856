"""The clause language of PRODUCT.md's "Additions for version 0.3" built on the rule kernel:
the Nth month (``effect_on: {first_of_month_after: N}``) and the turn of the year
(``effect_on: start_of_year``), through the engine, explain and the command line, with the
located one-line errors for their malformed forms."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from cli_helpers import cli, write

from sim.core.explain import explain_event
from sim.core.model import Action, Scenario, Treaty
from sim.core.timeline import EventKind, Timeline
from sim.engine import run

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = ZoneInfo("UTC")


def simulate(treaty: dict[str, Any], actions: list[dict[str, Any]], horizon: str) -> Timeline:
    subject = Treaty.model_validate(treaty)
    scenario = Scenario(
        name="test",
        treaty=subject,
        horizon=horizon,  # type: ignore[arg-type]
        actions=[Action.model_validate(a) for a in actions],
    )
    return run(scenario, subject)


def refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[str, str]:
    """``treaty-sim run`` on a scenario file holding ``text``: it must exit 2 with nothing
    run and one line on standard error (the contract, "Errors"). The file's path and the
    line."""
    path = write(tmp_path, text)
    code, out, err = cli(["run", path], capsys)
    assert code == 2 and out == "", (code, out)
    assert err.count("\n") == 1, err
    return path, err


def clause_file(clause_lines: str, actions: str = "") -> str:
    """A scenario with an inline two-party treaty whose clause is ``clause_lines`` (indented
    under ``clause:``, from line 7)."""
    return (
        "name: bad\n"
        "treaty:\n"
        "  name: T\n"
        "  parties: [A, B]\n"
        "  in_force: 1950-07-04\n"
        "  clause:\n"
        f"{clause_lines}"
        f"{actions}"
    )


def effect_of_notice(timeline: Timeline) -> datetime | None:
    return next(e.effective for e in timeline.events if e.kind is EventKind.NOTICE_GIVEN)


# --- the Nth month -------------------------------------------------------------------------

# PRODUCT.md 0.3, "The Nth month": UK–EU TCA art. 779(1), "the first day of the twelfth month
# following the date of notification": {effect_on: {first_of_month_after: 12}}; a notice of
# 2025-03-10 takes effect 2026-03-01T00:00 (in force 1 May 2021: facts/treaties.md).
TCA: dict[str, Any] = {
    "name": "UK–EU Trade and Cooperation Agreement",
    "parties": ["UK", "EU"],
    "timezone": "Europe/Brussels",
    "in_force": "2021-05-01",
    "clause": {"effect_on": {"first_of_month_after": 12}},
}


def test_tca_notice_takes_effect_on_the_first_of_the_twelfth_month() -> None:
    timeline = simulate(TCA, [{"at": "2025-03-10", "by": "UK", "do": "notify"}], "2027-01-01")
    assert effect_of_notice(timeline) == datetime(2026, 3, 1, tzinfo=BRUSSELS)
    assert timeline.terminated_at == datetime(2026, 3, 1, tzinfo=BRUSSELS)


def test_a_notice_on_the_last_day_of_a_month_counts_from_that_month() -> None:
    # the month of receipt is March 2025 whether the notice comes on the 1st or the 31st
    timeline = simulate(TCA, [{"at": "2025-03-31", "by": "UK", "do": "notify"}], "2027-01-01")
    assert effect_of_notice(timeline) == datetime(2026, 3, 1, tzinfo=BRUSSELS)
    timeline = simulate(TCA, [{"at": "2025-04-01", "by": "UK", "do": "notify"}], "2027-01-01")
    assert effect_of_notice(timeline) == datetime(2026, 4, 1, tzinfo=BRUSSELS)


# Istanbul Convention art. 80(2) (scenarios/istanbul_turkey_2021.yaml): notice received
# 22 March 2021, three months end 22 June 2021, "the first day of the month following":
# 1 July 2021. PRODUCT.md 0.3: first_of_next_month is {first_of_month_after: 1}.
ISTANBUL: dict[str, Any] = {
    "name": "Istanbul Convention",
    "parties": ["TR", "FR", "DE"],
    "timezone": "Europe/Paris",
    "in_force": "2014-08-01",
    "clause": {"withdrawal": "3mo", "effect_on": "first_of_next_month"},
}


@pytest.mark.parametrize("effect_on", ["first_of_next_month", {"first_of_month_after": 1}])
def test_first_of_next_month_is_the_first_month_after(effect_on: Any) -> None:
    treaty = {**ISTANBUL, "clause": {**ISTANBUL["clause"], "effect_on": effect_on}}
    timeline = simulate(treaty, [{"at": "2021-03-22", "by": "TR", "do": "notify"}], "2022-01-01")
    assert effect_of_notice(timeline) == datetime(2021, 7, 1, tzinfo=ZoneInfo("Europe/Paris"))


def test_with_a_period_the_month_is_the_one_the_period_ends_in() -> None:
    # 22 March 2021 + 3 months = 22 June 2021 (June); the 2nd month after June: 1 August
    treaty = {**ISTANBUL, "clause": {"withdrawal": "3mo", "effect_on": {"first_of_month_after": 2}}}
    timeline = simulate(treaty, [{"at": "2021-03-22", "by": "TR", "do": "notify"}], "2022-01-01")
    assert effect_of_notice(timeline) == datetime(2021, 8, 1, tzinfo=ZoneInfo("Europe/Paris"))


def test_explain_names_the_twelfth_month() -> None:
    treaty = Treaty.model_validate(TCA)
    timeline = simulate(TCA, [{"at": "2025-03-10", "by": "UK", "do": "notify"}], "2027-01-01")
    explanation = explain_event(treaty, timeline, 2)
    assert explanation.agrees
    shown = [step.computation for step in explanation.steps]
    assert any("the first day of the 12th month after March 2025" in text for text in shown)


# --- the turn of the year ------------------------------------------------------------------

# PRODUCT.md 0.3, "The turn of the year": {withdrawal: 6mo, effect_on: start_of_year}; a
# notice on 1 July 2010 takes effect 2011-01-01T00:00, one on 2 July 2010 on 2012-01-01T00:00.
CALENDAR_YEAR: dict[str, Any] = {
    "name": "a convention with the calendar-year rule",
    "parties": ["A", "B"],
    "timezone": "UTC",
    "in_force": "2000-01-01",
    "clause": {"withdrawal": "6mo", "effect_on": "start_of_year"},
}


@pytest.mark.parametrize(
    ("given", "effect"),
    [
        ("2010-07-01", datetime(2011, 1, 1, tzinfo=UTC)),
        ("2010-07-02", datetime(2012, 1, 1, tzinfo=UTC)),
    ],
)
def test_start_of_year_is_the_first_new_year_at_or_after_the_period(
    given: str, effect: datetime
) -> None:
    timeline = simulate(CALENDAR_YEAR, [{"at": given, "by": "A", "do": "notify"}], "2014-01-01")
    assert effect_of_notice(timeline) == effect
    assert timeline.terminated_at == effect


# --- malformed forms: one located line, exit 2, nothing runs --------------------------------


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("{first_of_month_after: 0}", "first_of_month_after must be a whole number N >= 1, not 0"),
        ("{first_of_month_after: -3}", "must be a whole number N >= 1, not -3"),
        ("{first_of_month_after: 1.5}", "must be a whole number N >= 1, not 1.5"),
        ("{first_of_month_after: twelve}", "must be a whole number N >= 1, not 'twelve'"),
        ("{first_of_month_aftr: 12}", "unknown field 'first_of_month_aftr'"),
        ("first_of_next_mnth", "unknown boundary 'first_of_next_mnth'"),
    ],
)
def test_a_malformed_effect_on_is_one_located_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, message: str
) -> None:
    path, err = refused(
        tmp_path,
        capsys,
        clause_file(
            f"    effect_on: {written}\n", "actions: [{at: 2025-03-10, by: A, do: notify}]\n"
        ),
    )
    assert err.startswith(f"{path}:7:16: treaty.clause.effect_on: ")
    assert message in err


# --- windows on a fixed cycle --------------------------------------------------------------

# PRODUCT.md 0.3, "Windows on a fixed cycle": ILO Convention No. 87 art. 16, {withdrawal: 1y,
# notice_window: {every: 10y, open_for: 1y}}; in force 4 July 1950 (facts/treaties.md), so a
# notice is accepted only in [1960-07-04, 1961-07-04), [1970-07-04, 1971-07-04), ...
ILO_87: dict[str, Any] = {
    "name": "ILO Convention No. 87",
    "parties": ["A", "B", "C"],
    "timezone": "Europe/Zurich",
    "in_force": "1950-07-04",
    "clause": {"withdrawal": "1y", "notice_window": {"every": "10y", "open_for": "1y"}},
}
ZURICH = ZoneInfo("Europe/Zurich")


def rejections(timeline: Timeline) -> list[tuple[datetime, str | None, str]]:
    return [(e.at, e.by, e.reason or "") for e in timeline.events if e.kind is EventKind.REJECTED]


def test_a_notice_outside_every_window_is_rejected_naming_the_next_window() -> None:
    timeline = simulate(
        ILO_87,
        [
            {"at": "1955-01-01", "by": "A", "do": "notify"},  # before the first window
            {"at": "1961-07-04", "by": "B", "do": "notify"},  # the first window has closed
        ],
        "1975-01-01",
    )
    (early, _, first_reason), (late, _, second_reason) = rejections(timeline)
    assert early == datetime(1955, 1, 1, tzinfo=ZURICH)
    assert "the next opens at 1960-07-04T00:00:00+01:00" in first_reason
    assert late == datetime(1961, 7, 4, tzinfo=ZURICH)
    assert "the next opens at 1970-07-04T00:00:00+01:00" in second_reason
    assert timeline.bound_until == {"A": None, "B": None, "C": None}


@pytest.mark.parametrize("given", ["1960-07-04", "1961-07-03", "1970-07-04"])
def test_a_notice_inside_a_window_takes_effect_a_year_on(given: str) -> None:
    timeline = simulate(ILO_87, [{"at": given, "by": "B", "do": "notify"}], "1975-01-01")
    assert rejections(timeline) == []
    year, month, day = (int(part) for part in given.split("-"))
    # art. 16: "shall not take effect until one year after the date on which it is registered"
    assert timeline.bound_until["B"] == datetime(year + 1, month, day, tzinfo=ZURICH)


def test_a_window_counted_from_the_party_follows_its_own_entry_into_force() -> None:
    treaty = {
        **ILO_87,
        "parties": ["A", "B", {"party": "C", "in_force": "1953-03-01"}],
        "clause": {
            "withdrawal": "1y",
            "notice_window": {"every": "10y", "open_for": "1y", "from": "party"},
        },
    }
    timeline = simulate(
        treaty,
        [
            {"at": "1960-07-04", "by": "C", "do": "notify"},  # the treaty's window, not C's
            {"at": "1963-03-01", "by": "C", "do": "notify"},  # C's own first window
        ],
        "1966-01-01",
    )
    ((_, _, reason),) = rejections(timeline)
    assert "the next opens at 1963-03-01T00:00:00+01:00" in reason
    assert timeline.bound_until["C"] == datetime(1964, 3, 1, tzinfo=ZURICH)


def test_earliest_notice_and_a_cyclic_window_must_both_hold() -> None:
    # PRODUCT.md 0.3 (ILO Forced Labour Convention No. 29 pattern: a first period of ten
    # years, then every five): windows every 5 years, but no notice before 10 years
    treaty = {
        **ILO_87,
        "clause": {
            "withdrawal": "1y",
            "earliest_notice": "10y",
            "notice_window": {"every": "5y", "open_for": "1y"},
        },
    }
    timeline = simulate(
        treaty,
        [
            {"at": "1955-07-04", "by": "A", "do": "notify"},  # in a window, before 10 years
            {"at": "1960-07-04", "by": "B", "do": "notify"},  # in a window, after 10 years
        ],
        "1963-01-01",
    )
    ((at, by, reason),) = rejections(timeline)
    assert (at, by) == (datetime(1955, 7, 4, tzinfo=ZURICH), "A")
    assert reason.startswith("too early")
    assert timeline.bound_until["B"] == datetime(1961, 7, 4, tzinfo=ZURICH)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("{opens: 6mo, every: 10y, open_for: 1y}", "not both"),
        ("{every: 10y}", "needs open_for too"),
        ("{every: 1y, open_for: 2y}", "open_for (2y) must not be longer than every (1y)"),
        ("{every: 0d, open_for: 1y}", "not a positive duration"),
        ("{every: 10y, open_for: -1y}", "not a duration"),
        ("{every: 10y, open_for: 1y, from: member}", "from"),
    ],
)
def test_a_malformed_window_is_one_located_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, message: str
) -> None:
    path, err = refused(
        tmp_path,
        capsys,
        clause_file(
            f"    withdrawal: 1y\n    notice_window: {written}\n",
            "actions: [{at: 1960-07-04, by: A, do: notify}]\n",
        ),
    )
    assert err.startswith(f"{path}:8:"), err
    assert "treaty.clause.notice_window" in err and message in err, err


# --- effects that wait out an armed conflict -----------------------------------------------

# PRODUCT.md 0.3, "Effects that wait out an armed conflict"; Ottawa Convention art. 20(3):
# "Such withdrawal shall only take effect six months after the receipt of the instrument of
# withdrawal by the Depositary. If, however, on the expiry of that six-month period, the
# withdrawing State Party is engaged in an armed conflict, the withdrawal shall not take
# effect before the end of the armed conflict." In force 1 March 1999 (sim/treaties/ottawa.yaml).
OTTAWA: dict[str, Any] = {
    "name": "Ottawa Convention",
    "parties": ["UA", "CA", "DE"],
    "timezone": "America/New_York",
    "in_force": "1999-03-01",
    "clause": {"withdrawal": "6mo", "effect_not_during": "armed_conflict"},
}
NEW_YORK = ZoneInfo("America/New_York")


def kinds(timeline: Timeline) -> list[tuple[datetime, str, str | None]]:
    return [(e.at, e.kind.value, e.by) for e in timeline.events]


def test_a_withdrawal_due_during_an_armed_conflict_takes_effect_at_its_end() -> None:
    timeline = simulate(
        OTTAWA,
        [
            {"at": "2022-02-24", "by": "UA", "do": "enter_armed_conflict"},
            {"at": "2025-07-16", "by": "UA", "do": "notify"},
            {"at": "2027-03-01", "by": "UA", "do": "end_armed_conflict"},
        ],
        "2028-01-01",
    )
    events = kinds(timeline)
    # six months after receipt: 2026-01-16, during the conflict: postponed, not effective
    assert (datetime(2026, 1, 16, tzinfo=NEW_YORK), "effect_postponed", "UA") in events
    assert timeline.bound_until["UA"] == datetime(2027, 3, 1, tzinfo=NEW_YORK)
    assert events[-1] == (datetime(2027, 3, 1, tzinfo=NEW_YORK), "withdrawal_effective", "UA")


def test_a_conflict_that_ends_before_the_effect_does_not_postpone_it() -> None:
    timeline = simulate(
        OTTAWA,
        [
            {"at": "2025-07-16", "by": "UA", "do": "notify"},
            {"at": "2025-08-01", "by": "UA", "do": "enter_armed_conflict"},
            {"at": "2025-10-01", "by": "UA", "do": "end_armed_conflict"},
        ],
        "2027-01-01",
    )
    assert "effect_postponed" not in [kind for _, kind, _ in kinds(timeline)]
    assert timeline.bound_until["UA"] == datetime(2026, 1, 16, tzinfo=NEW_YORK)


def test_without_the_clause_a_conflict_changes_nothing() -> None:
    treaty = {**OTTAWA, "clause": {"withdrawal": "6mo"}}
    timeline = simulate(
        treaty,
        [
            {"at": "2022-02-24", "by": "UA", "do": "enter_armed_conflict"},
            {"at": "2025-07-16", "by": "UA", "do": "notify"},
        ],
        "2027-01-01",
    )
    assert timeline.bound_until["UA"] == datetime(2026, 1, 16, tzinfo=NEW_YORK)


def test_a_postponed_notice_cannot_be_suspended_and_a_second_entry_is_rejected() -> None:
    timeline = simulate(
        OTTAWA,
        [
            {"at": "2022-02-24", "by": "UA", "do": "enter_armed_conflict"},
            {"at": "2023-01-01", "by": "UA", "do": "enter_armed_conflict"},
            {"at": "2025-07-16", "by": "UA", "do": "notify"},
            {"at": "2026-06-01", "by": "UA", "do": "suspend_notice"},
        ],
        "2027-01-01",
    )
    reasons = [reason for _, _, reason in rejections(timeline)]
    assert reasons == [
        "this party is already in an armed conflict",
        "the notice's effect is due and waits only for the end of the armed conflict",
    ]
    assert timeline.bound_until["UA"] is None


def test_an_end_before_a_beginning_is_a_located_load_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "name: bad\n"
        "treaty: ottawa\n"
        "actions:\n"
        "  - {at: 2027-03-01, by: UA, do: end_armed_conflict}\n"
        "  - {at: 2028-03-01, by: UA, do: enter_armed_conflict}\n",
    )
    code, out, err = cli(["run", path], capsys)
    assert code == 2 and out == ""
    assert err == (
        f"{path}:4:34: actions[0].do: UA ends an armed conflict it has not entered before "
        "2027-03-01 (give enter_armed_conflict first)\n"
    )


# --- each party's own terms ----------------------------------------------------------------

# PRODUCT.md 0.3, "Each party's own terms"; European Social Charter of 1961, art. 37(1):
# denunciation "only at the end of a period of five years from the date on which the Charter
# entered into force for it, or at the end of any successive period of two years, and, in each
# case, after giving six months' notice": {term: 5y, renewal: 2y, notice: 6mo, terms_from:
# party}. In force 26 February 1965 (facts/treaties.md). Issue 19: a party in force from
# 5 July 1985 giving notice on 1 January 1990 leaves on 5 July 1990, not on 26 February 1992.
ESC: dict[str, Any] = {
    "name": "European Social Charter (1961)",
    "parties": ["AA", "BB", {"party": "CC", "in_force": "1985-07-05"}],
    "timezone": "Europe/Paris",
    "in_force": "1965-02-26",
    "clause": {"term": "5y", "renewal": "2y", "notice": "6mo", "terms_from": "party"},
}
PARIS = ZoneInfo("Europe/Paris")


def test_a_party_leaves_at_the_end_of_its_own_term() -> None:
    timeline = simulate(ESC, [{"at": "1990-01-01", "by": "CC", "do": "notify"}], "1993-01-01")
    assert timeline.bound_until["CC"] == datetime(1990, 7, 5, tzinfo=PARIS)
    assert timeline.bound_until["AA"] is None


def test_counted_from_the_treaty_the_same_notice_waits_for_the_treaty_s_term() -> None:
    treaty = {**ESC, "clause": {**ESC["clause"], "terms_from": "treaty"}}
    timeline = simulate(treaty, [{"at": "1990-01-01", "by": "CC", "do": "notify"}], "1993-01-01")
    # the treaty's terms end 1970-02-26, then every two years: 1990-02-26 is too near
    # (deadline 1989-08-26), so 1992-02-26
    assert timeline.bound_until["CC"] == datetime(1992, 2, 26, tzinfo=PARIS)


def test_a_party_s_own_late_notice_moves_to_its_own_next_term_end() -> None:
    # CC's own terms end 1990-07-05, 1992-07-05: a notice on 1990-01-05 is too late for the
    # first (deadline 1990-01-05T00:00, PRODUCT.md "Counting", exact) and stops the second
    timeline = simulate(ESC, [{"at": "1990-01-05", "by": "CC", "do": "notify"}], "1994-01-01")
    assert timeline.bound_until["CC"] == datetime(1992, 7, 5, tzinfo=PARIS)
    given = next(e for e in timeline.events if e.kind is EventKind.NOTICE_GIVEN)
    assert given.late_for == datetime(1990, 7, 5, tzinfo=PARIS)


def test_terms_from_party_needs_a_term(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, err = refused(tmp_path, capsys, clause_file("    withdrawal: 1y\n    terms_from: party\n"))
    assert "terms_from: party needs term" in err


@pytest.mark.parametrize("written", ["parties", "member"])
def test_an_unknown_terms_from_is_one_located_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    path, err = refused(tmp_path, capsys, clause_file(f"    term: 5y\n    terms_from: {written}\n"))
    assert err.startswith(f"{path}:8:17: treaty.clause.terms_from: ")


# --- late notices say so -------------------------------------------------------------------

# PRODUCT.md 0.3, "Late notices": every notice_given carries late_for, the end of the term the
# notice came too late to stop. GSOMIA (facts/treaties.md: in force 2016-11-23, 1y terms, 90
# days' notice): the 2019 term ends 2019-11-23T00:00+09:00, deadline 2019-08-25T00:00+09:00.
GSOMIA: dict[str, Any] = {
    "name": "Korea–Japan GSOMIA",
    "parties": ["KR", "JP"],
    "timezone": "Asia/Seoul",
    "in_force": "2016-11-23",
    "clause": {"term": "1y", "renewal": "1y", "notice": "90d"},
}
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize(
    ("given", "late_for", "effect"),
    [
        ("2019-08-24", None, datetime(2019, 11, 23, tzinfo=SEOUL)),
        ("2019-08-25", datetime(2019, 11, 23, tzinfo=SEOUL), datetime(2020, 11, 23, tzinfo=SEOUL)),
    ],
)
def test_late_for_names_the_end_a_late_notice_missed(
    given: str, late_for: datetime | None, effect: datetime
) -> None:
    timeline = simulate(GSOMIA, [{"at": given, "by": "KR", "do": "notify"}], "2022-01-01")
    notice = next(e for e in timeline.events if e.kind is EventKind.NOTICE_GIVEN)
    assert notice.late_for == late_for
    assert notice.effective == effect


def test_late_for_is_in_the_json_the_table_and_expect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # scenarios/gsomia_notice_late.yaml: a notice on 25 August 2019 misses the 2019 term's end
    # (deadline 2019-08-25T00:00+09:00, PRODUCT.md "Counting") and stops the 2020 renewal
    scenario = str(Path(__file__).parent.parent / "scenarios" / "gsomia_notice_late.yaml")
    code, out, _ = cli(["run", scenario, "--format", "json"], capsys)
    assert code == 0
    (given,) = [e for e in json.loads(out)["events"] if e["kind"] == "notice_given"]
    assert given["late_for"] == "2019-11-23T00:00:00+09:00"
    code, out, _ = cli(["run", scenario], capsys)
    assert "late for the end of term 3 (2019-11-23); stops the renewal at 2020-11-23" in out
    wrong = (
        Path(scenario)
        .read_text(encoding="utf-8")
        .replace("late_for: 2019-11-23", "late_for: 2020-11-23")
    )
    path = write(tmp_path, wrong)
    code, out, _ = cli(["check", path], capsys)
    assert code == 1 and "events[0].late_for" in out


def test_deadlines_show_each_party_s_own_terms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md 0.3: under terms_from: party, "deadline tables then show one row of terms per
    # party". ESC art. 37(1) as above: CC's first term runs 5 July 1985 to 5 July 1990, its
    # notice deadline six months before, 5 January 1990 (last day to notify 4 January 1990);
    # AA's terms are the treaty's: 26 February 1965 + 5y, then every 2y, so the term running
    # on 1 June 1989 ends on 26 February 1990, deadline 26 August 1989.
    path = write(
        tmp_path,
        "name: ESC\n"
        "treaty:\n"
        "  name: European Social Charter (1961)\n"
        "  parties: [AA, BB, {party: CC, in_force: 1985-07-05}]\n"
        "  timezone: Europe/Paris\n"
        "  in_force: 1965-02-26\n"
        "  clause: {term: 5y, renewal: 2y, notice: 6mo, terms_from: party}\n"
        "horizon: 1995-01-01\n",
    )
    code, out, _ = cli(["deadlines", path, "--as-of", "1989-06-01", "--format", "json"], capsys)
    assert code == 0
    terms = json.loads(out)["terms"]
    first = {party: next(t for t in terms if t["party"] == party) for party in ("AA", "CC")}
    assert first["CC"]["start"] == "1985-07-05T00:00:00+02:00"
    assert first["CC"]["end"] == "1990-07-05T00:00:00+02:00"
    assert first["CC"]["last_day_to_notify"] == "1990-01-04"
    assert first["AA"]["end"] == "1990-02-26T00:00:00+01:00"
    assert first["AA"]["last_day_to_notify"] == "1989-08-25"
    assert [t["party"] for t in terms] == ["AA"] * 3 + ["BB"] * 3 + ["CC"] * 3


@pytest.mark.parametrize(
    ("conflict", "postponed", "bound_until"),
    [
        # a conflict is half-open, [enter, end) (docs/decisions.md, 52): one that ends at the
        # very instant the six months run out (2026-01-16) no longer holds the withdrawal back
        (("2022-02-24", "2026-01-16"), False, datetime(2026, 1, 16, tzinfo=NEW_YORK)),
        # one that begins at that instant does, until it ends
        (("2026-01-16", "2026-05-01"), True, datetime(2026, 5, 1, tzinfo=NEW_YORK)),
    ],
)
def test_a_conflict_is_judged_half_open_at_the_effect_s_instant(
    conflict: tuple[str, str], postponed: bool, bound_until: datetime
) -> None:
    timeline = simulate(
        OTTAWA,
        [
            {"at": conflict[0], "by": "UA", "do": "enter_armed_conflict"},
            {"at": "2025-07-16", "by": "UA", "do": "notify"},
            {"at": conflict[1], "by": "UA", "do": "end_armed_conflict"},
        ],
        "2027-01-01",
    )
    assert ("effect_postponed" in [kind for _, kind, _ in kinds(timeline)]) is postponed
    assert timeline.bound_until["UA"] == bound_until


# docs/decisions.md, 52: a notice waiting out an armed conflict has no date until the
# conflict ends, so `extend` does not move it; agreed during the wait, it moves the treaty's
# own end (here a 30-year term to 1 March 2034, by "period: 5y" added to the current end), and
# the withdrawal still takes effect at the conflict's end. (Found by the vectorised path's
# review: the extension went to the waiting notice, the term expired on 1 March 2029, and
# the timeline said the notice "takes effect later", on 16 January 2031.)
def test_an_extension_during_the_wait_moves_the_term_not_the_waiting_notice() -> None:
    clause = {"term": "30y", "withdrawal": "6mo", "effect_not_during": "armed_conflict"}
    timeline = simulate(
        {**OTTAWA, "clause": clause},
        [
            {"at": "2022-02-24", "by": "UA", "do": "enter_armed_conflict"},
            {"at": "2025-07-16", "by": "UA", "do": "notify"},
            {"at": "2027-01-01", "do": "extend", "period": "5y"},
            {"at": "2030-01-01", "by": "UA", "do": "end_armed_conflict"},
        ],
        "2032-01-01",
    )
    extended = [e for e in timeline.events if e.kind is EventKind.EXTENDED]
    assert [e.effective for e in extended] == [datetime(2034, 3, 1, tzinfo=NEW_YORK)]
    assert timeline.terminated_at is None
    assert timeline.bound_until["UA"] == datetime(2030, 1, 1, tzinfo=NEW_YORK)


# PRODUCT.md 0.3, "Effects that wait out an armed conflict": under `immediate` a resumed
# notice takes effect at its resumption (PRODUCT.md, "Interpretations"), and that effect,
# like any other, waits for the end of its party's armed conflict (effect_postponed), rather
# than ending its participation during the conflict.
def test_an_immediate_resumption_during_a_conflict_waits_for_its_end() -> None:
    subject = Treaty.model_validate(OTTAWA)
    scenario = Scenario(
        name="test",
        treaty=subject,
        interpretation="immediate",  # type: ignore[arg-type]
        horizon="2030-01-01",  # type: ignore[arg-type]
        actions=[
            Action.model_validate(a)
            for a in [
                {"at": "2025-07-16", "by": "UA", "do": "notify"},
                {"at": "2025-08-01", "by": "UA", "do": "suspend_notice"},
                {"at": "2026-01-01", "by": "UA", "do": "enter_armed_conflict"},
                {"at": "2026-03-01", "by": "UA", "do": "resume_notice"},
                {"at": "2027-03-01", "by": "UA", "do": "end_armed_conflict"},
            ]
        ],
    )
    timeline = run(scenario, subject)
    assert (datetime(2026, 3, 1, tzinfo=NEW_YORK), "effect_postponed", "UA") in kinds(timeline)
    assert timeline.bound_until["UA"] == datetime(2027, 3, 1, tzinfo=NEW_YORK)


# PRODUCT.md 0.3, "Windows on a fixed cycle": with `from: treaty`, s is the treaty's
# `in_force`, also where each party goes by its own terms (terms_from: party): a party bound
# from 2003 may give notice in the treaty's window [2010-01-01, 2011-01-01), not in one
# counted from its own date. (Found by the vectorised path's review: the window was counted
# from the party's own terms' start, 2003-01-01, and the notice rejected.)
def test_a_window_from_the_treaty_counts_from_the_treaty_under_own_terms() -> None:
    treaty = {
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
    timeline = simulate(treaty, [{"at": "2010-03-01", "by": "B", "do": "notify"}], "2020-01-01")
    assert not timeline.rejections
    # B's own terms: 2008-01-01, 2013-01-01 (deadline 2012-07-01)
    assert timeline.bound_until["B"] == datetime(2013, 1, 1, tzinfo=UTC)
