"""The docs show real outputs, and stand alone (issue 10, point 5).

- Every ``text`` block that follows a ``sh`` block in docs/ (prose between them allowed) is
  output of the sh block's last command: each of its lines appears in the real output, in
  order (an excerpt may leave rows out, never change one).
- Every ``treaty-sim`` command of docs/index.md runs and exits 0 (a command that shows its
  exit code with ``; echo "exit $?"`` exits 0 too).
- No page points at a file outside the repository.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
PROMPT = ".venv/bin/treaty-sim"


def _blocks(path: Path) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(path.read_text("utf-8"))]


def _pairs() -> list[tuple[str, str, str]]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        blocks = _blocks(page)
        for before, (lang, text) in itertools.pairwise(blocks):
            if lang == "text" and before[0] == "sh":
                command = before[1].strip().splitlines()[-1]
                found.append((str(page.relative_to(ROOT)), command, text))
    return found


def _treaty_sim() -> str:
    """The command as installed next to this Python, or ``python -m sim``."""
    script = Path(sys.executable).with_name("treaty-sim")
    return str(script) if script.exists() else f"{sys.executable} -m sim"


def _run(command: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run a documented command from a folder that looks like the repository's top (so that
    ``> scenario.schema.json`` writes nowhere that matters), stdout and stderr together."""
    for name in ("scenarios", "seeds", "docs"):
        link = tmp_path / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    return subprocess.run(
        ["bash", "-c", command.replace(PROMPT, _treaty_sim())],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


def _in_order(shown: list[str], real: list[str]) -> bool:
    position = 0
    for line in shown:
        try:
            position = real.index(line, position) + 1
        except ValueError:
            return False
    return True


@pytest.mark.parametrize(("page", "command", "shown"), _pairs(), ids=lambda v: str(v)[:60])
def test_a_shown_output_is_the_real_output(
    page: str, command: str, shown: str, tmp_path: Path
) -> None:
    done = _run(command, tmp_path)
    real = [line.rstrip() for line in done.stdout.splitlines()]
    wanted = [line.rstrip() for line in shown.splitlines() if line.strip()]
    assert _in_order(wanted, real), f"{page}: {command}\n--- real output:\n{done.stdout}"


def _index_commands() -> list[str]:
    commands = []
    for lang, text in _blocks(DOCS / "index.md"):
        if lang == "sh":
            commands.extend(
                line.split("  #")[0].strip()
                for line in text.splitlines()
                if line.startswith(PROMPT)
            )
    return commands


@pytest.mark.parametrize("command", _index_commands())
def test_every_command_of_index_md_runs(command: str, tmp_path: Path) -> None:
    done = _run(command, tmp_path)
    assert done.returncode == 0, f"{command}\n{done.stdout}"
    assert "Traceback" not in done.stdout


def test_the_docs_point_at_no_file_outside_the_repository() -> None:
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text("utf-8")
        for target in re.findall(r"\]\(([^)#]+)", text):
            if target.startswith(("http://", "https://")):
                continue
            assert (page.parent / target).resolve().is_relative_to(ROOT), f"{page}: {target}"
            assert (page.parent / target).exists(), f"{page}: broken link {target}"
        assert "../shared" not in text, page
        assert "PRODUCT.md" not in text, f"{page}: cite contract.md, the copy in docs/"
        if page.name != "sources.md":  # which says it reproduces facts/treaties.md
            assert "facts/treaties.md" not in text, f"{page}: cite sources.md, the copy in docs/"
