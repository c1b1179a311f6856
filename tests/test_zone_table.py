"""The zone table read from the zone's data (issue 16, point 2) is the one built day by day:
the same transitions, offsets and wall-clock readings, over the span `sweep` uses
(1900-2200), on every zone of a built-in treaty and on zones with many changes."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from sim import library
from sim.core.zone_table import _candidates_from_data, scanned_zone_table, zone_table

MANY_CHANGES = (
    "America/Sao_Paulo",  # daylight saving on and off by decree, ended in 2019
    "Asia/Tehran",  # daylight saving by the Persian calendar, ended in 2022
    "Europe/Moscow",  # +3, +4 all year, back to +3; and the offsets of 1919
    "Australia/Lord_Howe",  # a half-hour daylight saving, south of the equator
)
ZONES = sorted({library.builtin(name).timezone for name in library.names()} | set(MANY_CHANGES))


@pytest.mark.slow  # the day-by-day reference asks ~110,000 offsets a zone
@pytest.mark.parametrize("name", ZONES)
def test_the_table_from_the_zones_data_is_the_day_by_day_one(name: str) -> None:
    tz = ZoneInfo(name)
    read, scanned = zone_table(tz, 1900, 2200), scanned_zone_table(tz, 1900, 2200)
    assert read.transitions.tolist() == scanned.transitions.tolist()
    assert read.offsets.tolist() == scanned.offsets.tolist()
    for fold in (0, 1):
        assert read.walls[fold].tolist() == scanned.walls[fold].tolist()


def test_a_zone_with_daylight_saving_after_its_last_transition_follows_its_rule() -> None:
    # US daylight saving since 2007 (Energy Policy Act of 2005, sec. 110): from the second
    # Sunday of March at 02:00 to the first Sunday of November at 02:00. In 2150, past the
    # transitions written in the zone's file (to 2037), that is 8 March and 1 November
    # (1 March 2150 is a Sunday, and so is 1 November).
    table = zone_table(ZoneInfo("America/New_York"), 1900, 2200)
    starts = datetime(2150, 3, 8, 7, tzinfo=UTC).timestamp()  # 02:00 EST = 07:00 UTC
    ends = datetime(2150, 11, 1, 6, tzinfo=UTC).timestamp()  # 02:00 EDT = 06:00 UTC
    assert starts in table.transitions and ends in table.transitions
    seconds = np.array([starts - 1, starts, ends - 1, ends], dtype=np.int64)
    assert table.offset_at(seconds).tolist() == [-5 * 3600, -4 * 3600, -4 * 3600, -5 * 3600]


def test_the_table_is_built_once_per_zone_and_span() -> None:
    tz = ZoneInfo("Europe/Paris")
    assert zone_table(tz, 1900, 2200) is zone_table(tz, 1900, 2200)


def test_a_zone_without_data_is_scanned() -> None:
    # A zone read from a file object has no key to find its data by: built day by day.
    with resources.files("tzdata").joinpath("zoneinfo/Asia/Seoul").open("rb") as file:
        tz = ZoneInfo.from_file(file)
    # Korea: UTC+9 since 1988, when daylight saving was last used (KST, Asia/Seoul).
    table = zone_table(tz, 2000, 2010)
    assert table.transitions.tolist() == [] and table.offsets.tolist() == [9 * 3600]


@pytest.mark.parametrize("name", MANY_CHANGES)
def test_a_named_zone_is_read_from_its_data_not_scanned(name: str) -> None:
    # The day-by-day scan is the fallback; were the zone's data no longer readable (zoneinfo's
    # private helpers changed), the tables would still be equal, only slow: this says so.
    start, stop = (int(datetime(year, 1, 1, tzinfo=UTC).timestamp()) for year in (1900, 2200))
    assert _candidates_from_data(name, start, stop) is not None
