"""`make bench`: the engine's scenarios per second on the GSOMIA scenarios, and the wall time
of a whole `treaty-sim deadlines gsomia` process (start-up included). Prints; asserts nothing.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
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


def main() -> None:
    rate, files = engine_rate()
    print(f"engine: {rate:,.0f} scenarios/s over {files} GSOMIA scenario files")
    print(
        f"treaty-sim deadlines gsomia: {command_wall_time() * 1000:.0f} ms wall time (median of 5)"
    )


if __name__ == "__main__":
    main()
