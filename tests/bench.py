"""`make bench`: the engine's scenarios per second on the GSOMIA scenarios, the wall time of a
whole `treaty-sim deadlines gsomia` process (start-up included), and how long hostile scenario
files take to be refused (issue 3: "in about a second"). Prints; asserts nothing.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim.engine import run
from sim.library import resolve
from sim.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def engine_rate(seconds: float = 2.0) -> tuple[float, int]:
    """Scenarios per second through `sim.engine.run`, loading excluded."""
    loaded = [load_scenario(path) for path in sorted((ROOT / "scenarios").glob("gsomia*.yaml"))]
    prepared = [(scenario, resolve(scenario, where)) for scenario, where in loaded]
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for scenario, treaty in prepared:
            run(scenario, treaty)
            count += 1
    return count / (time.perf_counter() - start), len(prepared)


def command_wall_time(repeats: int = 5) -> float:
    """Median wall time, in seconds, of `treaty-sim deadlines gsomia` as a new process."""
    command = [sys.executable, "-m", "sim", "deadlines", "gsomia", "--as-of", "2019-08-22"]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


HOSTILE = {
    "alias bomb": "\n".join(
        ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    )
    + "\nname: bomb\ntreaty: gsomia\n",
    "deep nesting": "name: " + "[" * 5000 + "]" * 5000 + "\ntreaty: gsomia\n",
    "daily renewals to 9999": (
        "name: far\ntreaty: {name: t, parties: [A, B], in_force: 2000-01-01,"
        " clause: {term: 1d, renewal: 1d}}\nhorizon: 9999-01-01\n"
    ),
    "weekly renewals to 9999 (over 400,000)": (
        "name: far\ntreaty: {name: t, parties: [A, B], in_force: 2000-01-01,"
        " clause: {term: 1w, renewal: 1w}}\nhorizon: 9999-01-01\n"
    ),
    # Not hostile: 95,988 monthly renewals, within the 100,000-event limit, so the run goes
    # on to the end; this times the largest run the limit allows.
    "monthly renewals, 8,000 years (allowed)": (
        "name: long\ntreaty: {name: t, parties: [A, B], in_force: 2000-01-31,"
        " clause: {term: 1mo, renewal: 1mo, notice: 10d}}\nhorizon: 9999-01-01\n"
    ),
}


def hostile_times() -> dict[str, tuple[float, int]]:
    """Wall time and exit code of `treaty-sim run` on each hostile file."""
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, text in HOSTILE.items():
            path = Path(folder) / "hostile.yaml"
            path.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "sim", "run", str(path), "--format", "json"],
                capture_output=True,
                cwd=ROOT,
                check=False,
            )
            results[name] = (time.perf_counter() - start, done.returncode)
    return results


def main() -> None:
    rate, files = engine_rate()
    print(f"engine: {rate:,.0f} scenarios/s over {files} GSOMIA scenario files")
    wall = command_wall_time() * 1000
    print(f"treaty-sim deadlines gsomia: {wall:.0f} ms wall time (median of 5)")
    for name, (seconds, code) in hostile_times().items():
        print(f"hostile input, {name}: exit {code} after {seconds:.2f} s")


if __name__ == "__main__":
    main()
