"""Rows of text written column by column: a whole array of UTC seconds turned into ISO 8601
bytes in the treaty's zone with NumPy arithmetic, not one ``datetime.isoformat`` per cell, so
that a million rows of CSV take well under a second of formatting (docs/performance.md).

A column is :class:`Cells`: a matrix of bytes, one row per cell, and each cell's length. The
rows of a file are the columns side by side; the bytes of each cell are kept and the padding
dropped in one boolean selection, in row order.

The text is the one ``run`` prints (PRODUCT.md "Time"): ``2019-11-23T00:00:00+09:00``, with
the offset the zone has at that instant (``+08:27:52`` where a zone's old local mean time has
seconds), or the local date ``2019-08-24`` for a value that is a day's 00:00.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo

import numpy as np
import numpy.typing as npt

from sim.core.zone_table import Instants, ZoneTable, zone_table
from sim.engines.vector import NONE

__all__ = ["Cells", "constant", "distinct", "few", "iso", "joined", "table_of"]

Bytes = npt.NDArray[np.uint8]
_DAY = 86_400


def table_of(tz: tzinfo, first_year: int, last_year: int) -> ZoneTable:
    """The zone's table of offsets over the years given (only those a sweep's values need:
    a table over centuries takes a noticeable part of a second to build), built once per
    process and inherited by forked workers when built before they start."""
    return zone_table(tz, max(1, first_year), min(9999, last_year))


@dataclass(frozen=True)
class Cells:
    """One column of text: ``data[i, :lengths[i]]`` is row i's cell."""

    data: Bytes
    lengths: npt.NDArray[np.int64]

    def where(self, chosen: npt.NDArray[np.bool_], other: Cells) -> Cells:
        """This column's cells where ``chosen``, ``other``'s elsewhere."""
        width = max(self.data.shape[1], other.data.shape[1])
        data = np.where(chosen[:, None], _widen(self.data, width), _widen(other.data, width))
        return Cells(data.astype(np.uint8), np.where(chosen, self.lengths, other.lengths))


def _widen(data: Bytes, width: int) -> Bytes:
    if data.shape[1] == width:
        return data
    return np.pad(data, ((0, 0), (0, width - data.shape[1])))


def distinct(texts: Sequence[str], which: npt.NDArray[np.int64]) -> Cells:
    """Row i's cell is ``texts[which[i]]``: for columns of few distinct values."""
    encoded = [text.encode() for text in texts]
    width = max((len(e) for e in encoded), default=0)
    table = np.zeros((len(encoded), width), np.uint8)
    for row, text in enumerate(encoded):
        table[row, : len(text)] = np.frombuffer(text, np.uint8)
    lengths = np.array([len(e) for e in encoded], np.int64)
    return Cells(table[which], lengths[which])


def constant(text: str, rows: int) -> Cells:
    """The same cell on every row."""
    return distinct([text], np.zeros(rows, np.int64))


_PAIRS = np.array([[ord(str(n // 10)), ord(str(n % 10))] for n in range(100)], np.uint8)
"""The two digits of 0 to 99."""


def _digits(values: npt.NDArray[np.int64], width: int) -> Bytes:
    """Each value as ``width`` (2 or 4) decimal digits, zero-padded."""
    if width == 2:
        return _PAIRS[values % 100]
    return np.concatenate([_PAIRS[(values // 100) % 100], _PAIRS[values % 100]], axis=1)


def _civil(days: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], ...]:
    """Year, month and day of each count of days since 1970-01-01 (proleptic Gregorian;
    H. Hinnant's ``civil_from_days``)."""
    z = days + 719_468
    era = np.floor_divide(z, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1_460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def _offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, second = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{second:02d}" if second else "")


def _separator(text: str, rows: int) -> Bytes:
    return np.tile(np.frombuffer(text.encode(), np.uint8), (rows, 1))


def iso(
    seconds: Instants, table: ZoneTable, dated: bool = False, null: str = "", quote: str = ""
) -> Cells:
    """Each instant as ISO 8601 with its offset in the table's zone (``dated``: its local
    date), between ``quote`` marks; ``NONE`` (never) as ``null``."""
    rows = len(seconds)
    known = seconds != NONE
    instants = np.where(known, seconds, 0)
    local = table.local(instants)
    days, clock = np.divmod(local, _DAY)
    year, month, day = _civil(days)
    parts = [
        _separator(quote, rows),
        _digits(year, 4),
        _separator("-", rows),
        _digits(month, 2),
        _separator("-", rows),
        _digits(day, 2),
    ]
    if not dated:
        hour, rest = np.divmod(clock, 3600)
        minute, second = np.divmod(rest, 60)
        parts += [
            _separator("T", rows),
            _digits(hour, 2),
            _separator(":", rows),
            _digits(minute, 2),
            _separator(":", rows),
            _digits(second, 2),
        ]
    fixed = np.concatenate(parts, axis=1)
    if dated:
        text = Cells(
            np.concatenate([fixed, _separator(quote, rows)], axis=1),
            np.full(rows, fixed.shape[1] + len(quote), np.int64),
        )
    else:
        offsets, which = np.unique(local - instants, return_inverse=True)
        suffix = distinct([_offset_text(int(o)) + quote for o in offsets], which.reshape(-1))
        text = Cells(
            np.concatenate([fixed, suffix.data], axis=1),
            fixed.shape[1] + suffix.lengths,
        )
    if known.all():
        return text
    return text.where(known, constant(null, rows))


def few(seconds: Instants, tz: tzinfo, null: str = "", quote: str = "") -> Cells:
    """As :func:`iso`, for a column of few distinct instants (an outcome): each distinct
    one is written once, by ``datetime``."""
    values, which = np.unique(seconds, return_inverse=True)
    texts = [
        null if value == NONE else quote + _iso_text(int(value), tz) + quote for value in values
    ]
    return distinct(texts, which.reshape(-1))


def _iso_text(second: int, tz: tzinfo) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(second, UTC).astimezone(tz).isoformat()


def joined(columns: Sequence[Cells], separator: str = ",", end: str = "\n") -> str:
    """The rows of the columns side by side, cells separated by ``separator``, each row
    ending with ``end``. A cell's padding is NUL, which no cell contains, so the text is the
    non-NUL bytes in row order."""
    if not columns or not len(columns[0].lengths):
        return ""
    rows = len(columns[0].lengths)
    blocks: list[Bytes] = []
    for number, column in enumerate(columns):
        blocks.append(column.data)
        blocks.append(_separator(separator if number < len(columns) - 1 else end, rows))
    data = np.concatenate(blocks, axis=1)
    if all((column.lengths == column.data.shape[1]).all() for column in columns):
        text: str = data.tobytes().decode()  # no padding to drop
        return text
    flat = data.reshape(-1)
    text = flat[flat != 0].tobytes().decode()
    return text
