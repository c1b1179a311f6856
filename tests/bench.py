"""`make bench`: the engine's scenarios per second on the GSOMIA scenarios, the wall time of a
whole `treaty-sim deadlines gsomia` process (start-up included), the start-up of `--help` and
of the two everyday commands against a bare interpreter and against `python -c "import yaml,
pydantic"` (issue 16, point 1: within 1.5x of the latter), and how long
hostile scenario files take to be refused (issue 3: "in about a second"). Prints; asserts
nothing.
"""

from __future__ import annotations

import compileall
import math
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import yaml

from sim.core.dates import zone
from sim.core.zone_table import as_seconds
from sim.engine import run
from sim.library import resolve
from sim.loader import load_scenario, parse_yaml_with

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


STARTUP = {
    "python -c pass": [sys.executable, "-c", "pass"],
    # issue 16, point 1: the reference the everyday commands are measured against
    'python -c "import yaml, pydantic"': [sys.executable, "-c", "import yaml, pydantic"],
    # what any use of a pydantic model costs (pydantic imports BaseModel lazily)
    'python -c "import yaml; from pydantic import BaseModel"': [
        sys.executable,
        "-c",
        "import yaml; from pydantic import BaseModel",
    ],
    "treaty-sim --help": [sys.executable, "-m", "sim", "--help"],
    "treaty-sim deadlines gsomia": [
        sys.executable,
        "-m",
        "sim",
        "deadlines",
        "gsomia",
        "--as-of",
        "2019-08-22",
    ],
    "treaty-sim run scenarios/gsomia_history.yaml": [
        sys.executable,
        "-m",
        "sim",
        "run",
        "scenarios/gsomia_history.yaml",
    ],
}
REFERENCE = 'python -c "import yaml, pydantic"'
LOADING = ("treaty-sim deadlines gsomia", "treaty-sim run scenarios/gsomia_history.yaml")


def startup_times(rounds: int = 21) -> dict[str, list[float]]:
    """Wall times, in seconds, of each command of :data:`STARTUP` as a new process; the
    commands take turns, round after round, so that a busy machine slows them alike. The
    same interpreter runs them all (the project's .venv: its ``site`` start-up, with the
    editable install's path hook, is in every figure)."""
    times: dict[str, list[float]] = {name: [] for name in STARTUP}
    for _ in range(rounds):
        for name, command in STARTUP.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
            times[name].append(time.perf_counter() - start)
    return times


def import_breakdown(command: list[str], repeats: int = 5) -> list[tuple[str, float]]:
    """Where a command's imports spend their time (``python -X importtime``, each module's own
    time summed by top-level package, ``sim`` by module; the median of ``repeats`` runs),
    largest first, in milliseconds."""
    runs: list[dict[str, float]] = []
    for _ in range(repeats):
        done = subprocess.run(
            [command[0], "-X", "importtime", *command[1:]],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        sums: dict[str, float] = {"(all imports)": 0.0}
        for line in done.stderr.splitlines():
            found = re.match(r"import time:\s+(\d+) \|\s+\d+ \| +(\S+)", line)
            if found:
                name = found[2] if found[2].startswith("sim.") else found[2].split(".")[0]
                sums[name] = sums.get(name, 0.0) + int(found[1]) / 1000
                sums["(all imports)"] += int(found[1]) / 1000
        runs.append(sums)
    names = {name for sums in runs for name in sums}
    middle = {name: statistics.median(sums.get(name, 0.0) for sums in runs) for name in names}
    return sorted(middle.items(), key=lambda item: -item[1])


def print_startup() -> None:
    """Each command's start-up, and its ratio to the bare interpreter and to
    ``import yaml, pydantic`` (issue 16, point 1: the two commands that load a scenario
    within 1.5x the latter), each ratio taken round by round (the median of the ratios of
    the same round, so a busy moment slows both sides of a ratio alike)."""
    # An installed package has its bytecode compiled by pip; an editable checkout run with
    # PYTHONDONTWRITEBYTECODE would compile sim/ at every start, so it is compiled first.
    compileall.compile_dir(ROOT / "sim", quiet=1)
    times = startup_times()

    def ratio(name: str, to: str) -> float:
        return statistics.median(a / b for a, b in zip(times[name], times[to], strict=True))

    for name, values in times.items():
        middle, fastest = statistics.median(values), min(values)
        print(
            f"start-up, {name}: {middle * 1000:.0f} ms median, {fastest * 1000:.0f} ms fastest "
            f"of {len(values)}; {ratio(name, 'python -c pass'):.1f}x the bare interpreter, "
            f"{ratio(name, REFERENCE):.2f}x import yaml, pydantic"
            + (" (target <= 1.5x)" if name in LOADING else "")
        )
    top = import_breakdown(STARTUP["treaty-sim deadlines gsomia"])[:10]
    shown = ", ".join(f"{name} {ms:.0f}" for name, ms in top)
    print(f"start-up, deadlines gsomia, import time by package (ms, median of 5): {shown}")


def loader_times(actions: int = 10_000) -> dict[str, float]:
    """Seconds to read a scenario of ``actions`` actions with each YAML loader."""
    lines = ["name: many", "treaty: gsomia", "actions:"]
    lines += [f"  - {{at: 2019-08-{1 + n % 28:02d}, by: KR, do: notify}}" for n in range(actions)]
    text = "\n".join(lines) + "\n"
    results = {}
    for name, loader in (("libyaml", yaml.CSafeLoader), ("pure Python", yaml.SafeLoader)):
        start = time.perf_counter()
        parse_yaml_with(loader, text, "many.yaml")
        results[name] = time.perf_counter() - start
    return results


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


def vector_ratio(rows: int = 100_000, sample: int = 1_000) -> tuple[float, float, float]:
    """Scenarios per second of the vectorised closed form on ``rows`` GSOMIA-like scenarios
    (the 2019 notice and its suspension at random instants), against the engine's, per
    scenario, on ``sample`` of the same scenarios (every ``rows // sample``-th: the engine
    runs about 3,000 a second, so 1,000 take a third of a second); and the ratio. Both sides
    are timed alike: one warm-up, then the best of three passes, the scenarios built before
    the clock starts (the array of instants; the engine's scenario objects)."""
    import numpy as np

    from sim.engines.vector import NONE, base_instants, outcomes
    from sim.source import load_source

    source = load_source(str(ROOT / "scenarios" / "gsomia_history.yaml"))
    scenario, treaty = source.scenario, source.treaty
    generator = np.random.default_rng(1)
    base = base_instants(scenario, treaty)
    at = np.repeat(base[None, :], rows, axis=0)
    at[:, 0] += generator.integers(-30 * 86400, 30 * 86400, rows)
    at[:, 1] += generator.integers(-86400, 86400, rows)

    def best_of_three(work: Callable[[], object]) -> float:
        work()  # warm-up: the zone's transitions, caches, the first allocations
        best = math.inf
        for _ in range(3):
            start = time.perf_counter()
            work()
            best = min(best, time.perf_counter() - start)
        return best

    result = outcomes(scenario, treaty, at)
    assert result.engine_rows == 0
    vector = rows / best_of_three(lambda: outcomes(scenario, treaty, at))
    tz = zone(treaty.timezone)
    picked = range(0, rows, rows // sample)
    scenarios = [
        scenario.model_copy(
            update={
                "actions": [
                    action.model_copy(
                        update={"at": datetime.fromtimestamp(int(s), UTC).astimezone(tz)}
                    )
                    for action, s in zip(scenario.actions, at[row], strict=True)
                ]
            }
        )
        for row in picked
    ]
    # the same scenarios on both sides: the engine's outcome is the vectorised one
    for row, varied in zip(picked, scenarios, strict=True):
        ended = run(varied, treaty).terminated_at
        assert (NONE if ended is None else as_seconds(ended)) == result.terminated_at[row]
    engine = len(scenarios) / best_of_three(lambda: [run(one, treaty) for one in scenarios])
    return vector, engine, vector / engine


BATCH_FILES = (
    "istanbul_turkey_2021.yaml",
    "paris_us_withdrawal_2025.yaml",
    "echr_russia_2022.yaml",
)
"""Scenarios in the 0.2 language (issue 15): Istanbul (effect_on first_of_next_month),
Paris (accession_delay, earliest_notice from the party's own date, a re-accession), ECHR
(whole-day counting, a party's own date)."""


def vector_batch_ratio(rows: int = 100_000, sample: int = 300) -> tuple[float, float, float]:
    """Scenarios per second of the vectorised path on ``rows`` scenarios of each of
    :data:`BATCH_FILES` (every action moved by up to 30 days either way, alone, at random),
    against the engine's on ``sample`` of the same scenarios of each (checked to come out
    the same, row by row); and the ratio. Both sides timed alike: one warm-up, then the best
    of three passes, the scenarios built before the clock starts."""
    import numpy as np

    from sim.engines.vector import base_instants, engine_rows, outcomes
    from sim.source import load_source

    generator = np.random.default_rng(2)
    batches = []
    for name in BATCH_FILES:
        source = load_source(str(ROOT / "scenarios" / name))
        base = base_instants(source.scenario, source.treaty)
        at = np.repeat(base[None, :], rows, axis=0)
        at += generator.integers(-30 * 86400, 30 * 86400, at.shape)
        batches.append((source.scenario, source.treaty, at))

    def best(work: Callable[[], object]) -> float:
        work()
        fastest = math.inf
        for _ in range(3):
            start = time.perf_counter()
            work()
            fastest = min(fastest, time.perf_counter() - start)
        return fastest

    runs = []
    for scenario, treaty, at in batches:
        picked = at[:: rows // sample]
        vector, engine = outcomes(scenario, treaty, at), engine_rows(scenario, treaty, picked)
        assert vector.engine_rows == 0
        assert (vector.bound_until[:: rows // sample] == engine.bound_until).all()
        assert (vector.terminated_at[:: rows // sample] == engine.terminated_at).all()
        tz = zone(treaty.timezone)
        for row in picked:
            moved = [
                action.model_copy(update={"at": datetime.fromtimestamp(int(s), UTC).astimezone(tz)})
                for action, s in zip(scenario.actions, row, strict=True)
            ]
            runs.append((scenario.model_copy(update={"actions": moved}), treaty))
    vector_rate = 3 * rows / best(lambda: [outcomes(s, t, at) for s, t, at in batches])
    engine_rate = len(runs) / best(lambda: [run(s, t) for s, t in runs])
    return vector_rate, engine_rate, vector_rate / engine_rate


def command_with_peak(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident memory in MiB (the process and its workers) and the bytes
    written to stdout, of a `treaty-sim` command."""
    import resource

    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        subprocess.run(command, check=True, stdout=out, cwd=ROOT)
        size = out.tell()
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, peak, size


SWEEP = [
    sys.executable,
    "-m",
    "sim",
    "sweep",
    "scenarios/gsomia_no_suspension.yaml",
    "--vary",
    "actions[0].at=2019-01-01..2020-11-26",
    "--step",
    "1min",
]
SAMPLE = [
    sys.executable,
    "-m",
    "sim",
    "sample",
    "scenarios/gsomia_history.yaml",
    "--vary",
    "actions[0].at~uniform(2019-08-01,2019-09-30)",
    "--vary",
    "actions[1].happens~bernoulli(0.6)",
    "-n",
    "1000000",
    "--seed",
    "7",
]


def _peak_run(command: list[str], out: Path) -> tuple[float, float, float]:
    """Wall seconds, peak resident memory in MiB (the largest of the command's processes,
    its workers included) and CPU seconds (all of them) of one run, measured from a fresh
    parent so that no earlier command's peak is counted. On a shared machine the CPU time
    says what the wall time would be on an idle one, for one process."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "with open(sys.argv[1], 'wb') as out:\n"
        "    subprocess.run(sys.argv[2:], check=True, stdout=out)\n"
        "wall = time.perf_counter() - start\n"
        "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(wall, used.ru_maxrss / 1024, used.ru_utime + used.ru_stime)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(out), *command],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    wall, peak, cpu = (float(x) for x in done.stdout.split())
    return wall, peak, cpu


def _side_by_side(name: str, measured: tuple[float, float, float], target: float) -> None:
    wall, peak, cpu = measured
    print(
        f"{name}: {wall:.2f} s (target < {target} s; CPU {cpu:.2f} s), "
        f"peak {peak:,.0f} MiB (target < 300 MiB)"
    )


def bench_sweep_summary() -> None:
    """Issue 16: `sweep --summary` over 10^6 values, default jobs, then --jobs 1 and 2."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "summary.txt"
        measured = _peak_run([*SWEEP, "--summary"], out)
        _side_by_side("sweep --summary, 1,000,801 values (default jobs)", measured, 0.6)
        for jobs in ("1", "2"):
            measured = _peak_run([*SWEEP, "--summary", "--jobs", jobs], out)
            _side_by_side(f"sweep --summary, 1,000,801 values, --jobs {jobs}", measured, 0.6)


def bench_sweep_parquet() -> None:
    """Issue 16: `sweep --format parquet -o FILE`, 10^6 rows."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "sweep.parquet"
        command = [*SWEEP, "--format", "parquet", "-o", str(target)]
        measured = _peak_run(command, Path(folder) / "stdout")
        size = target.stat().st_size / 2**20
        _side_by_side(f"sweep --format parquet, 1,000,801 rows ({size:,.0f} MiB)", measured, 1.5)


def bench_sweep_csv() -> None:
    """Issue 16: `sweep --format csv`, 10^6 rows, default jobs, then --jobs 1 and 2."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "sweep.csv"
        measured = _peak_run([*SWEEP, "--format", "csv"], out)
        size = out.stat().st_size / 2**20
        _side_by_side(f"sweep --format csv, 1,000,801 rows ({size:,.0f} MiB)", measured, 3)
        for jobs in ("1", "2"):
            measured = _peak_run([*SWEEP, "--format", "csv", "--jobs", jobs], out)
            _side_by_side(f"sweep --format csv, 1,000,801 rows, --jobs {jobs}", measured, 3)


def _serve_rate(server: object, method: str, path: str, body: bytes | None, count: int) -> float:
    """Requests per second, ``count`` requests, 8 at a time on kept-alive connections."""
    import http.client
    import threading
    from concurrent.futures import ThreadPoolExecutor

    local = threading.local()
    port: int = server.port  # type: ignore[attr-defined]

    def one(_: int) -> None:
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        local.connection.request(method, path, body=body)
        response = local.connection.getresponse()
        response.read()
        assert response.status == 200, response.status

    start = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(count)))
    return count / (time.perf_counter() - start)


def print_serve(count: int = 1_000) -> None:
    """`treaty-sim serve` (two workers): requests per second for /v1/deadlines/gsomia and
    /v1/run, against a `treaty-sim` process doing the same work (docs/serve.md)."""
    from serve_helpers import serving

    scenario = ROOT / "scenarios" / "gsomia_no_suspension.yaml"
    work = {
        "/v1/deadlines/gsomia": (
            ("GET", "/v1/deadlines/gsomia?as_of=2019-08-22", None),
            ["deadlines", "gsomia", "--as-of", "2019-08-22", "--format", "json"],
        ),
        "/v1/run": (
            ("POST", "/v1/run", scenario.read_bytes()),
            ["run", str(scenario), "--format", "json"],
        ),
    }
    with serving("--workers", "2") as server:
        for name, ((method, path, body), argv) in work.items():
            _serve_rate(server, method, path, body, 50)  # warm-up
            rate = _serve_rate(server, method, path, body, count)
            times = []
            for _ in range(5):
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "sim", *argv], check=True, capture_output=True
                )
                times.append(time.perf_counter() - start)
            cli = statistics.median(times)
            print(
                f"serve {name}: {rate:,.0f} requests/s (2 workers, 8 clients); the CLI "
                f"`treaty-sim {argv[0]}` process: {cli * 1000:.0f} ms, {1 / cli:,.1f}/s "
                f"({rate * cli:,.0f}x)"
            )


def main() -> None:
    print_serve()
    vector, engine, ratio = vector_ratio()
    print(
        f"vectorised closed form: {vector:,.0f} scenarios/s on 100,000 GSOMIA-like scenarios; "
        f"engine {engine:,.0f}/s; ratio {ratio:,.0f}x (target >= 1,000x)"
    )
    vector, engine, ratio = vector_batch_ratio()
    print(
        f"vectorised path, 0.2 clauses (Istanbul, Paris, ECHR; 300,000 scenarios): "
        f"{vector:,.0f} scenarios/s; engine {engine:,.0f}/s; ratio {ratio:,.0f}x "
        "(target >= 1,000x)"
    )
    bench_sweep_summary()
    bench_sweep_parquet()
    bench_sweep_csv()
    wall, _, _ = command_with_peak(SAMPLE)
    print(f"sample -n 1,000,000, three interpretations: {wall:.2f} s (target < 10 s)")
    rate, files = engine_rate()
    print(f"engine: {rate:,.0f} scenarios/s over {files} GSOMIA scenario files")
    wall = command_wall_time() * 1000
    print(f"treaty-sim deadlines gsomia: {wall:.0f} ms wall time (median of 5)")
    print_startup()
    read = loader_times()
    print(
        f"YAML, a scenario of 10,000 actions: {read['libyaml']:.2f} s with libyaml, "
        f"{read['pure Python']:.2f} s with the pure-Python loader"
    )
    for name, (seconds, code) in hostile_times().items():
        print(f"hostile input, {name}: exit {code} after {seconds:.2f} s")


if __name__ == "__main__":
    if sys.argv[1:] == ["startup"]:
        print_startup()
    elif sys.argv[1:] == ["sweep"]:
        bench_sweep_summary()
        bench_sweep_parquet()
        bench_sweep_csv()
    elif sys.argv[1:] == ["serve"]:
        print_serve()
    else:
        main()
