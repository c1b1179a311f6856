"""``deadlines`` shows by default the term running at ``--as-of`` and the next two;
``--history`` and ``--from``/``--to`` show the past (issue 18, item 1; docs/decisions.md,
decision 46). Run through the CLI's entry point, as a user runs it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from cli_helpers import cli, write


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = cli(["deadlines", *args, "--format", "json"], capsys)
    assert (code, err) == (0, "")
    document: dict[str, Any] = json.loads(out)
    return document


def _numbers(document: dict[str, Any]) -> list[int]:
    return [term["number"] for term in document["terms"]]


# GSOMIA art. 21(3) (docs/sources.md; PRODUCT.md, "The treaty"): in force 2016-11-23 in
# Seoul for one year, renewed yearly, ninety days' notice. Term n is
# [2016-11-23 + (n-1)y, 2016-11-23 + n·y) (PRODUCT.md, "Time": ends from the anchor), so on
# 2026-12-06 term 11 runs, from 2026-11-23 to 2027-11-23.


def test_gsomia_shows_the_running_term_first_and_the_next_two(
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = _json(capsys, "gsomia", "--as-of", "2026-12-06")
    assert _numbers(document) == [11, 12, 13]
    running = document["terms"][0]
    assert (running["start"], running["end"]) == (
        "2026-11-23T00:00:00+09:00",
        "2027-11-23T00:00:00+09:00",
    )
    # Ninety days before 2027-11-23 is 2027-08-25 (the deadline; the last day to notify is
    # the day before), 262 days after 2026-12-06, as issue 18 counts it.
    assert running["notice_deadline"] == "2027-08-25T00:00:00+09:00"
    assert running["last_day_to_notify"] == "2027-08-24"
    assert running["days_left"] == (date(2027, 8, 25) - date(2026, 12, 6)).days == 262
    assert document["terms"][-1]["end"] == "2029-11-23T00:00:00+09:00"


def test_the_table_prints_the_running_term_first_and_ends_with_the_next_two(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(["deadlines", "gsomia", "--as-of", "2026-12-06"], capsys)
    assert code == 0
    rows = [line.split()[0] for line in out.splitlines() if line[:2].strip().isdigit()]
    assert rows == ["11", "12", "13"]
    assert "passed" not in out


def test_a_term_starts_at_its_first_instant(capsys: pytest.CaptureFixture[str]) -> None:
    # PRODUCT.md, "Time": terms are half-open, so 00:00 on 2026-11-23 is in term 11, and
    # 2026-11-22 is still the last day of term 10.
    assert _numbers(_json(capsys, "gsomia", "--as-of", "2026-11-23"))[0] == 11
    assert _numbers(_json(capsys, "gsomia", "--as-of", "2026-11-22"))[0] == 10


def test_before_entry_into_force_the_first_three_terms(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _numbers(_json(capsys, "gsomia", "--as-of", "2016-01-01")) == [1, 2, 3]


def test_history_prints_every_term_since_entry_into_force(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _numbers(_json(capsys, "gsomia", "--as-of", "2026-12-06", "--history")) == list(
        range(1, 14)
    )


def test_from_prints_the_past(capsys: pytest.CaptureFixture[str]) -> None:
    # With --from, the terms by the year of their last day in force, through the year
    # after --as-of (docs/decisions.md, decision 28): 2017 to 2027.
    document = _json(capsys, "gsomia", "--from", "2016", "--as-of", "2026-12-06")
    assert _numbers(document) == list(range(1, 12))


def test_history_with_years_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(["deadlines", "gsomia", "--history", "--from", "2016"], capsys)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and "--history" in err


def test_long_terms_are_looked_for_far_enough(capsys: pytest.CaptureFixture[str]) -> None:
    # Soviet–Japanese Neutrality Pact art. 3 (docs/treaties): in force 1941-04-25 for five
    # years, renewed for five: term n ends 1941-04-25 + 5n years, so on 2026-12-06 term 18
    # runs (2026-04-25 to 2031-04-25), and the next two end in 2036 and 2041.
    document = _json(capsys, "soviet_japanese_neutrality", "--as-of", "2026-12-06")
    assert _numbers(document) == [18, 19, 20]
    assert document["terms"][-1]["end"].startswith("2041-04-25T00:00:00")


def test_after_the_end_the_last_term(capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    # GSOMIA with a notice in time for term 3 (received before 2019-08-25): it ends at the
    # end of term 3, 2019-11-23 (PRODUCT.md, "Time", the deadline example).
    path = write(
        tmp_path,
        "name: ends\ntreaty: gsomia\nactions:\n  - {at: 2019-08-23, by: KR, do: notify}\n",
    )
    document = _json(capsys, path, "--as-of", "2026-12-06")
    assert _numbers(document) == [3]
    assert document["terms"][0]["end"] == "2019-11-23T00:00:00+09:00"


class _Clock(datetime):
    """The clock at 20:00 UTC on 5 December 2026: already 6 December in Seoul (UTC+9),
    still 5 December in New York (UTC-5)."""

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return datetime(2026, 12, 5, 20, tzinfo=UTC).astimezone(tz)


@pytest.mark.parametrize(("treaty", "today"), [("gsomia", "2026-12-06"), ("inf", "2026-12-05")])
def test_as_of_defaults_to_today_in_the_treaty_zone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, treaty: str, today: str
) -> None:
    import sim.commands.deadlines

    monkeypatch.setattr(sim.commands.deadlines, "datetime", _Clock)
    assert _json(capsys, treaty)["as_of"] == today


class _LateClock(datetime):
    """23:30 UTC on 5 December 2026: already 00:30 on 6 December in Paris (UTC+1)."""

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return datetime(2026, 12, 5, 23, 30, tzinfo=UTC).astimezone(tz)


def test_a_withdrawal_clause_says_today_for_today_in_its_zone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.commands.deadlines
    import sim.render

    monkeypatch.setattr(sim.commands.deadlines, "datetime", _LateClock)
    monkeypatch.setattr(sim.render, "datetime", _LateClock)
    code, out, _ = cli(["deadlines", "istanbul"], capsys)
    assert code == 0
    # sim/treaties/istanbul.yaml: Europe/Paris; decision 45's line for a withdrawal clause.
    assert "a notice given today Sunday 6 December 2026 takes effect" in out
