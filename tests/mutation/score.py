"""Per-module scores of a mutmut run (``mutmut results --all true`` saved to a file), for
docs/properties.md. ``render.py`` is scored on its deadline cells only (the functions that
write the deadline table); its other mutants are listed apart."""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

DEADLINE_CELLS = ("_days_left", "render_deadlines", "deadlines_json")
CAUGHT = {"killed", "timeout"}


def module(name: str) -> str:
    """``sim.render.x__days_left__mutmut_3`` -> ``render.py (deadline cells)``."""
    path, _, function = name.rpartition(".x")
    path = path.removeprefix("sim.")
    if path == "render":
        function = re.sub(r"__mutmut_\d+$", "", function.lstrip("_"))
        cells = any(function == cell.lstrip("_") for cell in DEADLINE_CELLS)
        return "render.py (deadline cells)" if cells else "render.py (other)"
    return path.replace(".", "/") + ".py"


def main(results: Path) -> None:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for line in results.read_text(encoding="utf-8").splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        counts[module(name)][status] += 1
        if status not in CAUGHT:
            survivors[module(name)].append(f"{name} ({status})")
    print("| code | mutants | killed | timed out | survived | other | caught |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for code, count in sorted(counts.items()):
        total = sum(count.values())
        caught = sum(count[s] for s in CAUGHT)
        other = total - caught - count["survived"]
        print(
            f"| `{code}` | {total} | {count['killed']} | {count['timeout']} | "
            f"{count['survived']} | {other} | {100 * caught / total:.1f} % |"
        )
    for code, names in sorted(survivors.items()):
        print(f"\n{code}: {len(names)} not caught")
        for name in names:
            print(f"  {name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
