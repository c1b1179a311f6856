"""``treaty-sim calendar``: the deadlines as an iCalendar file (issue 9, point 1), run as a
user runs it and read back by two parsers that share no code: ``icalendar`` (which writes
it) and ``vobject``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from cli_helpers import cli, write
from test_help import test_help_describes_every_option_and_shows_an_example as described

ROOT = Path(__file__).resolve().parent.parent


def _export(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> bytes:
    out = tmp_path / "deadlines.ics"
    code, stdout, err = cli(["calendar", *args, "-o", str(out)], capsys)
    data = out.read_bytes()
    # Issue 18, item 6: one line on standard error says what was written, where.
    events = data.count(b"BEGIN:VEVENT")
    size = f"{len(data)} bytes" if len(data) < 1024 else f"{round(len(data) / 1024)} KB"
    plural = "" if events == 1 else "s"
    assert (code, stdout, err) == (0, "", f"wrote {out} ({size}, {events} event{plural})\n")
    return data


def _by_icalendar(data: bytes) -> dict[str, Any]:
    """Each VEVENT, by its UID, as icalendar reads it."""
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _by_vobject(data: bytes) -> dict[str, Any]:
    """Each VEVENT, by its UID, as vobject reads it."""
    calendar = vobject.readOne(data.decode("utf-8"))
    return {event.uid.value: event for event in calendar.vevent_list}


# GSOMIA art. 21(3): "automatically extended annually ... unless either Party notifies the
# other ... ninety days in advance"; term 3 runs from 23 November 2018 to 00:00 KST on
# 23 November 2019 (docs/sources.md: "Expiry would have been at midnight between 22 and 23
# November 2019, KST"); ninety days before it is 00:00 KST on 25 August 2019, so the last day
# to notify is 24 August ("the deadline of Aug. 24", docs/sources.md). KST is UTC+9.
LAST_DAY_TO_NOTIFY = date(2019, 8, 24)
DEADLINE_UTC = datetime(2019, 8, 24, 15, 0, tzinfo=UTC)
END_UTC = datetime(2019, 11, 22, 15, 0, tzinfo=UTC)
GSOMIA_UIDS = {
    "gsomia.term-3.last-day-to-notify@treaty-sim",
    "gsomia.term-3.notice-deadline@treaty-sim",
    "gsomia.term-3.end@treaty-sim",
}


def test_gsomia_2019_read_back_by_icalendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = _by_icalendar(_export(tmp_path, capsys, "gsomia", "--from", "2019", "--to", "2019"))
    assert set(events) == GSOMIA_UIDS
    last_day = events["gsomia.term-3.last-day-to-notify@treaty-sim"]
    # An all-day event: DTSTART;VALUE=DATE, one day long.
    start = last_day.decoded("DTSTART")
    assert type(start) is date and start == LAST_DAY_TO_NOTIFY
    assert last_day.decoded("DTEND") == date(2019, 8, 25)
    alarms = last_day.walk("VALARM")
    assert len(alarms) == 1
    # The default reminder, docs/calendar.md: 14 days ahead.
    assert alarms[0].decoded("TRIGGER") == -timedelta(days=14)
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    deadline = events["gsomia.term-3.notice-deadline@treaty-sim"].decoded("DTSTART")
    assert deadline == DEADLINE_UTC and deadline.utcoffset() == timedelta(0)
    end = events["gsomia.term-3.end@treaty-sim"].decoded("DTSTART")
    assert end == END_UTC and end.utcoffset() == timedelta(0)
    assert "Sat 2019-11-23 00:00 +09:00" in str(
        events["gsomia.term-3.end@treaty-sim"]["SUMMARY"]
    ) + str(events["gsomia.term-3.end@treaty-sim"]["DESCRIPTION"])


def test_gsomia_2019_read_back_by_vobject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = _by_vobject(_export(tmp_path, capsys, "gsomia", "--from", "2019", "--to", "2019"))
    assert set(events) == GSOMIA_UIDS
    last_day = events["gsomia.term-3.last-day-to-notify@treaty-sim"]
    start = last_day.dtstart.value
    assert type(start) is date and start == LAST_DAY_TO_NOTIFY
    assert last_day.valarm.trigger.value == -timedelta(days=14)
    deadline = events["gsomia.term-3.notice-deadline@treaty-sim"].dtstart.value
    assert deadline == DEADLINE_UTC and deadline.utcoffset() == timedelta(0)
    end = events["gsomia.term-3.end@treaty-sim"].dtstart.value
    assert end == END_UTC
    assert events["gsomia.term-3.end@treaty-sim"].summary.value == "Korea–Japan GSOMIA: term 3 ends"


def test_each_term_in_the_range_has_its_three_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = _by_vobject(_export(tmp_path, capsys, "gsomia", "--from", "2017", "--to", "2020"))
    # Terms end on 23 November each year from 2017 (in force 23 November 2016, one-year
    # terms: docs/sources.md); terms 1 to 4 have their last day in force in 2017 to 2020.
    for number, year in ((1, 2017), (2, 2018), (3, 2019), (4, 2020)):
        day = events[f"gsomia.term-{number}.last-day-to-notify@treaty-sim"].dtstart.value
        assert day == date(year, 8, 24)
        end = events[f"gsomia.term-{number}.end@treaty-sim"].dtstart.value
        assert end == datetime(year, 11, 22, 15, tzinfo=UTC)
    assert len(events) == 12


def test_the_reminder_is_configurable_or_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    three_weeks = _by_icalendar(
        _export(tmp_path, capsys, "gsomia", "--from", "2019", "--to", "2019", "--remind", "3w")
    )
    alarm = three_weeks["gsomia.term-3.last-day-to-notify@treaty-sim"].walk("VALARM")[0]
    assert alarm.decoded("TRIGGER") == -timedelta(days=21)
    silent = _by_vobject(
        _export(tmp_path, capsys, "gsomia", "--from", "2019", "--to", "2019", "--remind", "none")
    )
    assert not hasattr(silent["gsomia.term-3.last-day-to-notify@treaty-sim"], "valarm")


@pytest.mark.parametrize(
    ("value", "words"),
    [("1mo", "a fixed number of days"), ("soon", "is not a duration"), ("0d", "positive")],
)
def test_a_bad_reminder_is_a_usage_error(
    value: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli(["calendar", "gsomia", "--remind", value], capsys)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--remind" in err and words in err and len(err.strip().splitlines()) == 1


def test_uids_are_stable_so_a_reimport_updates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def scenario(day: str) -> bytes:
        path = write(
            tmp_path,
            "name: A US withdrawal\ntreaty: paris\nhorizon: 2022-01-01\n"
            f"actions:\n  - {{at: {day}, by: US, do: notify}}\n",
        )
        return _export(tmp_path, capsys, path, "--from", "2019", "--to", "2021")

    early, late = _by_icalendar(scenario("2019-11-04")), _by_icalendar(scenario("2019-12-02"))
    uid = "a-us-withdrawal.withdrawal.US.1@treaty-sim"
    assert set(early) == set(late) == {uid}
    # Paris art. 28(2): effect one year after receipt, 00:00 in New York (EST, UTC-5).
    assert early[uid].decoded("DTSTART") == datetime(2020, 11, 4, 5, tzinfo=UTC)
    assert late[uid].decoded("DTSTART") == datetime(2020, 12, 2, 5, tzinfo=UTC)


def test_a_withdrawal_scenario_gives_its_effects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _export(
        tmp_path,
        capsys,
        str(ROOT / "scenarios/paris_us_withdrawal_2019.yaml"),
        str(ROOT / "scenarios/npt_north_korea_remaining.yaml"),
        str(ROOT / "scenarios/energy_charter_italy_2014.yaml"),
    )
    for events in (_by_icalendar(data), _by_vobject(data)):
        starts = {
            uid: (e.decoded("DTSTART") if isinstance(e, icalendar.Event) else e.dtstart.value)
            for uid, e in events.items()
        }
        # Withdrawal clauses have no deadline and their terms no end: only the effects.
        assert starts == {
            # docs/sources.md, "Paris Agreement": "notice 4 November 2019, effective
            # 4 November 2020", 00:00 in New York (EST, UTC-5).
            "paris-agreement-us-withdrawal-2019-2020.withdrawal.US.1@treaty-sim": datetime(
                2020, 11, 4, 5, tzinfo=UTC
            ),
            # docs/sources.md, "NPT": suspended one day before effect in 1993, resumed
            # 10 January 2003, so effect a day later, 11 January 2003 (UTC).
            "npt-north-korea-1993-2003-remaining.withdrawal.KP.1@treaty-sim": datetime(
                2003, 1, 11, tzinfo=UTC
            ),
            # docs/treaties/energy_charter.md: Italy's withdrawal effective 1 January 2016;
            # "end of the 20-year protection" (art. 47(3)) 1 January 2036; Lisbon is UTC+0
            # in winter.
            "energy-charter-treaty-italy-s-withdrawal-2014-2016.withdrawal.IT.1@treaty-sim": (
                datetime(2016, 1, 1, tzinfo=UTC)
            ),
            "energy-charter-treaty-italy-s-withdrawal-2014-2016.survival-end.IT.1@treaty-sim": (
                datetime(2036, 1, 1, tzinfo=UTC)
            ),
        }


def test_a_withdrawal_treaty_alone_has_nothing_to_put_in_a_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "npt.ics"
    code, stdout, err = cli(["calendar", "npt", "-o", str(out)], capsys)
    assert (code, stdout) == (2, "")
    assert err.startswith("npt:1:1: (argument): nothing to put in a calendar")
    assert not out.exists()


def test_without_o_the_calendar_goes_to_standard_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(["calendar", "gsomia", "--from", "2019", "--to", "2019"], capsys)
    assert code == 0
    assert out.startswith("BEGIN:VCALENDAR\r\n") and out.endswith("END:VCALENDAR\r\n")
    assert set(_by_vobject(out.encode("utf-8"))) == GSOMIA_UIDS


def test_the_same_stamp_makes_the_same_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1566000000")
    first = _export(tmp_path, capsys, "gsomia", "--from", "2019", "--to", "2020")
    second = _export(tmp_path, capsys, "gsomia", "--from", "2019", "--to", "2020")
    assert first == second
    assert b"DTSTAMP:20190817T000000Z" in first


def test_a_folder_as_output_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(["calendar", "gsomia", "-o", str(tmp_path)], capsys)
    assert (code, out) == (2, "")
    assert err == f"{tmp_path}:1:1: -o: is a folder; -o names the file to write a calendar in\n"


def test_a_missing_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such.ics"
    code, _, err = cli(["calendar", "gsomia", "-o", str(target)], capsys)
    assert code == 2
    assert err.startswith(f"{target}:1:1: -o: there is no folder")
    assert not (tmp_path / "no").exists()


def test_a_file_that_is_not_a_calendar_is_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# my notes\n", encoding="utf-8")
    code, _, err = cli(["calendar", "gsomia", "-o", str(notes)], capsys)
    assert code == 2
    assert err == (
        f"{notes}:1:1: -o: exists and was not written by treaty-sim as a calendar; not "
        "overwritten (--force replaces it)\n"
    )
    assert notes.read_text(encoding="utf-8") == "# my notes\n"


def test_the_scenario_read_is_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "name: Seoul notifies\ntreaty: gsomia\nactions:\n  - {at: 2019-08-23, by: KR, do: notify}\n"
    )
    path = write(tmp_path, text)
    code, _, err = cli(["calendar", path, "-o", path], capsys)
    assert code == 2
    assert err == f"{path}:1:1: -o: is one of the files read; never overwritten\n"
    assert Path(path).read_text(encoding="utf-8") == text


def test_an_earlier_calendar_is_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _export(tmp_path, capsys, "gsomia", "--from", "2018", "--to", "2018")
    events = _by_icalendar(_export(tmp_path, capsys, "gsomia", "--from", "2019", "--to", "2019"))
    assert set(events) == GSOMIA_UIDS


def test_a_bad_scenario_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "name: Typo\ntreaty: gsomia\nactoins: []\n")
    out = tmp_path / "deadlines.ics"
    code, _, err = cli(["calendar", path, "-o", str(out)], capsys)
    assert code == 2
    assert err.startswith(f"{path}:3:") and "unknown field 'actoins'" in err
    assert not out.exists()


def test_from_after_to_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(["calendar", "gsomia", "--from", "2021", "--to", "2019"], capsys)
    assert code == 2
    assert err == "--from:1:1: (argument): --from 2021 is after --to 2019\n"


def test_help_describes_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    described("calendar", capsys)
