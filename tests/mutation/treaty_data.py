"""Mutation testing of the built-in treaty data (docs/properties.md, "Mutation testing").

Every number of every ``sim/treaties/*.yaml`` (the digits of ``signed`` and ``in_force``, the
count and unit of each clause duration) is changed one at a time, and each ``timezone`` is
replaced by nearby zones; a mutant is killed when ``treaty-sim check scenarios/``,
``treaty-sim claims`` or the test suite fails on it. Runs on a copy of the tree (made by the
caller, ``make mutation``), never on the working tree::

    python tests/mutation/treaty_data.py /tmp/treaty-sim-mutation

Prints one line per mutant and the score; exits 1 if any mutant survives that is not listed
in EQUIVALENT (with its reason, copied into docs/properties.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

ALTERNATIVE_ZONES = {
    "Asia/Seoul": ["Asia/Tokyo", "Asia/Pyongyang", "Asia/Shanghai", "UTC"],
    "America/New_York": ["America/Chicago", "America/Toronto", "UTC", "Europe/London"],
    "UTC": ["Europe/London", "America/New_York", "Asia/Tokyo", "Etc/GMT+1"],
}

EQUIVALENT = {
    # Korea and Japan have kept UTC+9 without daylight saving since 1988 (IANA tzdata): every
    # GSOMIA instant (2016 on) is the same in either zone.
    ("gsomia.yaml", "timezone: Asia/Seoul -> Asia/Tokyo"),
    # Toronto and New York have kept the same offsets and clock changes since 1974: every INF
    # (1988 on) and Paris (2016 on) instant is the same in either zone.
    ("inf.yaml", "timezone: America/New_York -> America/Toronto"),
    ("paris.yaml", "timezone: America/New_York -> America/Toronto"),
}


def _dates(text: str) -> Iterator[tuple[str, str, str]]:
    """Each date field changed in one digit (+1, or -1 where +1 is not a date)."""
    for match in re.finditer(r"^(signed|in_force): (\d{4}-\d{2}-\d{2})$", text, re.M):
        field, value = match.groups()
        for position, char in enumerate(value):
            if not char.isdigit():
                continue
            for step in (1, -1):
                digit = (int(char) + step) % 10
                changed = value[:position] + str(digit) + value[position + 1 :]
                try:
                    date.fromisoformat(changed)
                except ValueError:
                    continue
                yield match.group(0), f"{field}: {changed}", f"{field}: {value} -> {changed}"
                break


def _durations(text: str) -> Iterator[tuple[str, str, str]]:
    """Each clause duration with its count one more and one less, and its unit changed."""
    line = re.search(r"^clause: \{.*\}$", text, re.M)
    assert line is not None
    units = {"y": ["mo"], "mo": ["y", "d"], "d": ["w", "mo"], "w": ["d"]}
    for match in re.finditer(r"(\w+): (\d+)(mo|y|d|w)\b", line.group(0)):
        key, count, unit = match.group(1), int(match.group(2)), match.group(3)
        variants = [f"{count + 1}{unit}"] + ([f"{count - 1}{unit}"] if count > 1 else [])
        variants += [f"{count}{other}" for other in units[unit]]
        for variant in variants:
            start, end = match.span()
            changed = line.group(0)[:start] + f"{key}: {variant}" + line.group(0)[end:]
            yield line.group(0), changed, f"{key}: {count}{unit} -> {variant}"


def _zones(text: str) -> Iterator[tuple[str, str, str]]:
    match = re.search(r"^timezone: (\S+)$", text, re.M)
    assert match is not None
    for other in ALTERNATIVE_ZONES[match.group(1)]:
        yield match.group(0), f"timezone: {other}", f"timezone: {match.group(1)} -> {other}"


def _fails(root: Path, *command: str) -> bool:
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, *command], cwd=root, env=env, capture_output=True, check=False
    )
    return done.returncode != 0


def killed(root: Path) -> str | None:
    """What caught the mutant in ``root``, or None."""
    if _fails(root, "-m", "sim", "check", "scenarios"):
        return "check scenarios"
    if _fails(root, "-m", "sim", "claims"):
        return "claims"
    if _fails(root, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "tests"):
        return "pytest"
    return None


def main(root: Path) -> int:
    total = caught = equivalents = 0
    survivors = []
    for path in sorted((root / "sim" / "treaties").glob("*.yaml")):
        original = path.read_text(encoding="utf-8")
        mutants = [*_dates(original), *_durations(original), *_zones(original)]
        for old, new, label in mutants:
            path.write_text(original.replace(old, new, 1), encoding="utf-8")
            try:
                by = killed(root)
            finally:
                path.write_text(original, encoding="utf-8")
            total += 1
            equivalent = (path.name, label) in EQUIVALENT
            if by:
                caught += 1
            elif equivalent:
                equivalents += 1
            else:
                survivors.append(f"{path.name}: {label}")
            verdict = f"killed by {by}" if by else ("equivalent" if equivalent else "SURVIVED")
            print(f"{path.name:16} {label:45} {verdict}", flush=True)
    print(
        f"\ntreaty data: {total} mutants, {caught} killed, {equivalents} equivalent, "
        f"{len(survivors)} survived"
    )
    for survivor in survivors:
        print(f"  survived: {survivor}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve()))
