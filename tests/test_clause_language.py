"""The clause language of PRODUCT.md's "Additions for version 0.2", through the engine and
through the command line as a user runs it: a notice window, timed suspensions, joining and
entry into force by a count of parties, a named later date, and the located errors for bad
uses of each new field. The sourced treaties (Istanbul, UNESCO, Rome, Energy Charter, Paris,
New START, VFA, Treaty of Amity) are checked by their scenarios in scenarios/."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import fixtures
import pytest
from cli_helpers import write

from sim.cli import main
from sim.core.model import Action, Scenario, Treaty
from sim.core.timeline import EventKind, Timeline
from sim.engine import run

SEOUL = ZoneInfo("Asia/Seoul")
UTC = ZoneInfo("UTC")

# facts/treaties.md, GSOMIA: in force 2016-11-23 (Asia/Seoul), term 1y, renewal 1y, notice 90d.
GSOMIA = fixtures.GSOMIA


def simulate(
    treaty: dict[str, Any],
    actions: list[dict[str, Any]],
    horizon: str,
    interpretation: str = "remaining",
) -> Timeline:
    subject = Treaty.model_validate(treaty)
    scenario = Scenario(
        name="test",
        treaty=subject,
        horizon=horizon,  # type: ignore[arg-type]
        interpretation=interpretation,  # type: ignore[arg-type]
        actions=[Action.model_validate(a) for a in actions],
    )
    return run(scenario, subject)


def kinds(timeline: Timeline, kind: EventKind) -> list[tuple[datetime, str | None]]:
    return [(e.at, e.by) for e in timeline.events if e.kind is kind]


def kst(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SEOUL)


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


# --- notice window ------------------------------------------------------------------------

WINDOWED = {**GSOMIA, "clause": {**GSOMIA["clause"], "notice_window": {"opens": "6mo"}}}


def test_a_notice_before_the_window_opens_is_rejected_and_one_inside_it_stops_the_renewal() -> None:
    # PRODUCT.md 0.2: "a notice earlier than the window is rejected". The 2019 term ends at
    # 2019-11-23T00:00+09:00; six months before it, on dates, is 2019-05-23: a notice on
    # 2019-05-22 is too early, one on 2019-05-23 is in the window (and in time: before the
    # 90-day deadline 2019-08-25).
    timeline = simulate(
        WINDOWED,
        [
            {"at": "2019-05-22", "by": "KR", "do": "notify"},
            {"at": "2019-05-23", "by": "KR", "do": "notify"},
        ],
        "2021-01-01",
    )
    assert kinds(timeline, EventKind.REJECTED) == [(kst(2019, 5, 22), "KR")]
    assert kinds(timeline, EventKind.NOTICE_GIVEN) == [(kst(2019, 5, 23), "KR")]
    assert timeline.terminated_at == kst(2019, 11, 23)


def test_a_late_notice_in_a_window_still_follows_late_notice() -> None:
    # PRODUCT.md 0.2: "one later than notice follows late_notice" (next_term by default):
    # a notice on 2019-08-25 misses the 2019 deadline and stops the 2020 renewal.
    timeline = simulate(WINDOWED, [{"at": "2019-08-25", "by": "KR", "do": "notify"}], "2022-01-01")
    assert timeline.terminated_at == kst(2020, 11, 23)


# --- timed suspension -----------------------------------------------------------------------

HISTORY = [
    # facts/treaties.md, GSOMIA: notice 2019-08-23, suspended 2019-11-22 about 18:00 KST
    {"at": "2019-08-23", "by": "KR", "do": "notify"},
    {"at": "2019-11-22T18:00", "by": "KR", "do": "suspend_notice", "for": "6mo"},
]


@pytest.mark.parametrize(
    ("interpretation", "ends"),
    [
        # PRODUCT.md, "Interpretations": remaining: the six hours left, after the automatic
        # resumption at 2019-11-22T18:00 + 6mo = 2020-05-22T18:00; so 2020-05-23T00:00.
        ("remaining", kst(2020, 5, 23)),
        # immediate: at resumption.
        ("immediate", kst(2020, 5, 22, 18)),
        # fresh: a new notice on 2020-05-22, before the 2020 deadline (2020-08-25): it stops
        # the renewal at 2020-11-23.
        ("fresh", kst(2020, 11, 23)),
    ],
)
def test_a_timed_suspension_resumes_by_itself_under_each_interpretation(
    interpretation: str, ends: datetime
) -> None:
    # PRODUCT.md 0.2, "Timed suspension": "at that instant the notice resumes by itself
    # (event notice_resumed, by the party, reason suspension expired)".
    timeline = simulate(GSOMIA, HISTORY, "2022-01-01", interpretation)
    resumed = [e for e in timeline.events if e.kind is EventKind.NOTICE_RESUMED]
    assert [(e.at, e.by) for e in resumed] == [(kst(2020, 5, 22, 18), "KR")]
    assert resumed[0].reason is not None and "suspension expired" in resumed[0].reason
    assert timeline.terminated_at == ends


def test_a_suspension_until_a_date_and_suspended_again_moves_its_end() -> None:
    # PRODUCT.md 0.2: "unless suspended again or withdrawn first". Suspended until
    # 2020-06-01, then on 2020-05-15 again until 2020-12-01: it resumes on 2020-12-01 only.
    actions = [
        HISTORY[0],
        {"at": "2019-11-22T18:00", "by": "KR", "do": "suspend_notice", "until": "2020-06-01"},
        {"at": "2020-05-15", "by": "KR", "do": "suspend_notice", "until": "2020-12-01"},
    ]
    timeline = simulate(GSOMIA, actions, "2022-01-01")
    assert kinds(timeline, EventKind.NOTICE_RESUMED) == [(kst(2020, 12, 1), "KR")]
    # the six hours left at the first suspension: 2020-12-01T06:00
    assert timeline.terminated_at == kst(2020, 12, 1, 6)


def test_a_withdrawn_notice_does_not_resume_when_its_suspension_runs_out() -> None:
    # PRODUCT.md 0.2: the notice resumes "unless ... withdrawn first".
    actions = [*HISTORY, {"at": "2020-03-01", "by": "KR", "do": "withdraw_notice"}]
    timeline = simulate(GSOMIA, actions, "2022-01-01")
    assert kinds(timeline, EventKind.NOTICE_RESUMED) == []
    assert timeline.terminated_at is None


def test_an_untimed_second_suspension_is_rejected() -> None:
    # PRODUCT.md, "Actions": an action that does not apply is rejected; a suspended notice
    # can only be suspended again for a time (for or until).
    actions = [*HISTORY, {"at": "2020-01-01", "by": "KR", "do": "suspend_notice"}]
    timeline = simulate(GSOMIA, actions, "2022-01-01")
    assert kinds(timeline, EventKind.REJECTED) == [(kst(2020, 1, 1), "KR")]


# --- join and entry into force by count -------------------------------------------------------

CONVENTION: dict[str, Any] = {
    "name": "A convention in force thirty days after the third ratification",
    "parties": ["AA", "BB", "CC", "DD"],
    "entry_into_force": {"parties": 3, "after": "30d"},
    "clause": {"withdrawal": "1y", "earliest_notice": "3y", "accession_delay": "30d"},
}


def test_entry_into_force_follows_the_third_join_and_later_parties_their_own_delay() -> None:
    # PRODUCT.md 0.2: "in force `after` the Nth `join`"; a later party is bound from `at` +
    # accession_delay (Paris art. 21(1) and (3): "on the thirtieth day after"). Third join
    # 2016-03-10 + 30d = 2016-04-09; DD joins 2016-03-20: bound from 2016-04-19.
    actions = [
        {"at": "2016-01-10", "by": "AA", "do": "join"},
        {"at": "2016-02-10", "by": "BB", "do": "join"},
        {"at": "2016-03-10", "by": "CC", "do": "join"},
        {"at": "2016-03-20", "by": "DD", "do": "join"},
        # earliest_notice counted from BB's entry into force, 2016-04-09 + 3y
        {"at": "2019-04-08", "by": "BB", "do": "notify"},
        {"at": "2019-04-09", "by": "BB", "do": "notify"},
    ]
    timeline = simulate(CONVENTION, actions, "2021-01-01")
    assert timeline.in_force == utc(2016, 4, 9)
    assert timeline.status_at(utc(2016, 4, 8)) == "not_yet_in_force"
    assert kinds(timeline, EventKind.ENTERED_INTO_FORCE_FOR) == [(utc(2016, 4, 19), "DD")]
    assert kinds(timeline, EventKind.REJECTED) == [(utc(2019, 4, 8), "BB")]
    assert timeline.bound_until["BB"] == utc(2020, 4, 9)


def test_a_treaty_short_of_its_count_never_enters_into_force() -> None:
    actions = [
        {"at": "2016-01-10", "by": "AA", "do": "join"},
        {"at": "2016-02-10", "by": "BB", "do": "join"},
        # a party that has joined cannot join again while it is a party
        {"at": "2016-03-10", "by": "BB", "do": "join"},
        # nor notify before the treaty is in force
        {"at": "2016-04-10", "by": "AA", "do": "notify"},
    ]
    timeline = simulate(CONVENTION, actions, "2020-01-01")
    assert timeline.in_force is None
    assert kinds(timeline, EventKind.ENTERED_INTO_FORCE) == []
    assert kinds(timeline, EventKind.REJECTED) == [
        (utc(2016, 3, 10), "BB"),
        (utc(2016, 4, 10), "AA"),
    ]


def test_a_party_listed_without_a_date_must_join_before_acting() -> None:
    # PRODUCT.md 0.2, "Parties with their own dates": `{party: X, in_force: null}` is listed
    # but is a party only once it joins.
    treaty = {
        "name": "Paris-like",
        "parties": ["US", "FR", "CN", {"party": "IR", "in_force": None}],
        "timezone": "America/New_York",
        "in_force": "2016-11-04",
        "clause": {"withdrawal": "1y", "accession_delay": "30d"},
    }
    actions = [
        {"at": "2017-01-01", "by": "IR", "do": "notify"},
        {"at": "2017-02-01", "by": "IR", "do": "join"},
    ]
    timeline = simulate(treaty, actions, "2018-01-01")
    rejected = [e for e in timeline.events if e.kind is EventKind.REJECTED]
    assert [e.by for e in rejected] == ["IR"] and "join first" in (rejected[0].reason or "")
    new_york = ZoneInfo("America/New_York")
    assert kinds(timeline, EventKind.ENTERED_INTO_FORCE_FOR) == [
        (datetime(2017, 3, 3, tzinfo=new_york), "IR")
    ]


# --- a named later date -------------------------------------------------------------------------


def test_a_notice_naming_a_date_before_the_rules_effect_is_rejected() -> None:
    # PRODUCT.md 0.2: "The notice takes effect then, if that is not earlier than the clause's
    # own effect; otherwise the action is rejected." Rome Statute art. 127(1), one year:
    # Burundi's notice of 27 October 2016 could not name 1 October 2017.
    rome = {
        "name": "Rome Statute",
        "parties": ["BI", "DE", "FR"],
        "timezone": "America/New_York",
        "in_force": "2002-07-01",
        "clause": {"withdrawal": "1y"},
    }
    early = [{"at": "2016-10-27", "by": "BI", "do": "notify", "effective": "2017-10-01"}]
    timeline = simulate(rome, early, "2019-01-01")
    assert [e.kind for e in timeline.events][-1] is EventKind.REJECTED
    assert timeline.bound_until["BI"] is None


# --- located errors for bad uses of the new fields ---------------------------------------------


@pytest.mark.parametrize(
    ("clause", "field", "words"),
    [
        ("{withdrawal: 1y, survival: -20y}", "treaty.clause.survival", "not a duration"),
        (
            "{term: 1y, renewal: 1y, notice: 6mo, notice_window: {opens: 3mo}}",
            "treaty.clause",
            "bounds cross",
        ),
        ("{term: 1y, effect_on: first_of_next_month}", "treaty.clause", "needs withdrawal"),
        ("{withdrawal: 1y, effect_on: next_week}", "treaty.clause.effect_on", "must be"),
        ("{withdrawal: 1y, earliest_effect: soon}", "treaty.clause.earliest_effect", "a date"),
    ],
)
def test_a_bad_new_clause_field_is_one_located_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clause: str, field: str, words: str
) -> None:
    # PRODUCT.md, "Errors": one line FILE:LINE:COL: path.to.field: what is wrong; exit 2.
    path = write(
        tmp_path,
        f"name: bad\ntreaty:\n  name: T\n  parties: [A, B]\n  in_force: 2000-01-01\n"
        f"  clause: {clause}\n",
    )
    assert main(["run", path]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"{path}:6:") and f" {field}: " in err[0] and words in err[0]


@pytest.mark.parametrize(
    ("action", "field", "words"),
    [
        ("{at: 2001-01-01, by: A, do: notify, effective: 2000-12-01}", "effective", "after"),
        ("{at: 2001-01-01, by: A, do: suspend_notice, for: 6mo, until: 2002-01-01}", "", "one"),
        ("{at: 2001-01-01, by: A, do: join, for: 6mo}", "", "belong to suspend_notice"),
        ("{at: 2001-01-01, do: join}", "", "needs 'by'"),
    ],
)
def test_a_bad_new_action_field_is_one_located_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], action: str, field: str, words: str
) -> None:
    path = write(
        tmp_path,
        "name: bad\ntreaty:\n  name: T\n  parties: [A, B]\n  in_force: 2000-01-01\n"
        f"  clause: {{withdrawal: 1y}}\nactions:\n  - {action}\n",
    )
    assert main(["run", path]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert (
        err[0].startswith(f"{path}:8:")
        and f"actions[0]{'.' + field if field else ''}: " in (err[0])
    )
    assert words in err[0]


# --- the library ----------------------------------------------------------------------------


def test_the_library_holds_at_least_25_treaties_each_with_its_article_and_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # issue 11, "The library": at least 25 built-in treaties, each with the clause article
    # quoted and a source; `treaty-sim treaties` lists them, `deadlines` works on each.
    import json

    from sim.library import builtin, names

    assert len(names()) >= 25
    for name in names():
        treaty = builtin(name)
        assert treaty.article and treaty.source, name
        assert main(["deadlines", name, "--as-of", "2026-11-30", "--format", "json"]) == 0, name
        document = json.loads(capsys.readouterr().out)
        assert document["treaty"] == treaty.name
    assert main(["treaties", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)["treaties"]
    assert sorted(t["name"] for t in listed) == sorted(names())


def test_every_built_in_treaty_has_a_scenario_in_scenarios() -> None:
    # issue 11: "each with at least one historical scenario in scenarios/ whose expect: is
    # checked" (`treaty-sim check scenarios/` runs them in make test).
    from sim.library import names

    root = Path(__file__).resolve().parent.parent / "scenarios"
    texts = [path.read_text(encoding="utf-8") for path in root.glob("*.yaml")]
    for name in names():
        assert any(f"treaty: {name}\n" in text and "expect:" in text for text in texts), name


def test_deadlines_for_a_clause_with_only_a_calendar_boundary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # UNESCO Constitution art. II(6): withdrawal "shall take effect on 31 December of the
    # year following that during which the notice was given" (docs/decisions.md: bound
    # through 31 December). A notice on 30 November 2026 is bound through 31 December 2027.
    assert main(["deadlines", "unesco", "--as-of", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert "no unilateral exit" not in out
    assert "takes effect on Sat 2028-01-01 00:00 +01:00" in out
    assert "bound through Fri 2027-12-31" in out


def test_a_treaty_in_force_by_a_count_takes_its_default_horizon_from_the_last_action() -> None:
    # PRODUCT.md, "The timeline": by default the horizon is three years after the last
    # action. A treaty with neither in_force nor signed, in a zone east of UTC, once failed
    # here (it reached for 00:00 on 1 January of year 1, out of range in Asia/Seoul).
    treaty = {
        "name": "count",
        "parties": ["A", "B"],
        "timezone": "Asia/Seoul",
        "entry_into_force": {"parties": 2},
        "clause": {"withdrawal": "1y"},
    }
    subject = Treaty.model_validate(treaty)
    actions = [
        {"at": "2020-01-01", "by": "A", "do": "join"},
        {"at": "2020-02-01", "by": "B", "do": "join"},
    ]
    scenario = Scenario(
        name="count", treaty=subject, actions=[Action.model_validate(a) for a in actions]
    )
    timeline = run(scenario, subject)
    assert timeline.horizon == kst(2023, 2, 1)
    assert timeline.in_force == kst(2020, 2, 1)
