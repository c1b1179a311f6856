"""The docs show real outputs, and cannot drift (issue 9, point 6; issue 10, point 5).

Every shell example of README.md and of every page under docs/ (found anew on each run, so a
new page is covered without being listed here) is run; the convention, documented in
docs/writing-docs.md:

- A shell example is a ``sh`` block; other shell tags (``bash``, ``console``, ...) are refused
  so that no example escapes this test.
- Each command of a block runs with ``bash`` in a fresh temporary folder that looks like the
  repository's top (its files and folders linked there, ``.venv`` the environment running the
  tests, which is also first on PATH), so a command that writes a file writes it there. The
  commands of one block run in order in the same folder.
- A command exits 0, unless its comment says otherwise: ``# exit N`` (N its exit code).
- A ``make TARGET`` line is checked with ``make -n TARGET``: the target exists and its recipe
  expands; it is not run (``make test`` would run these tests again).
- A block right after ``<!-- not run: REASON -->`` is not run; the reason is required.
- A ``text`` block that follows a ``sh`` block (prose between them allowed) is output of the
  sh block's last command: each of its lines appears in the real output, stdout and stderr
  together, in order (an excerpt may leave rows out, never change one).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
NOT_RUN = re.compile(r"<!--\s*not run:((?:(?!-->).)*)-->\Z", re.DOTALL)
EXIT = re.compile(r"#\s*exit (\d+)\b")
HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")
OTHER_SHELL_TAGS = ("bash", "shell", "console", "shell-session", "zsh", "session")
# Top-level entries not linked into an example's folder: git's, the build's and caches.
UNLINKED = {".git", ".venv", "site", "build", "dist", ".mypy_cache", ".ruff_cache"}


@dataclass(frozen=True)
class Block:
    page: str
    line: int
    lang: str
    text: str
    not_run: str | None  # the reason, for a block marked <!-- not run: ... -->


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def _blocks(path: Path) -> list[Block]:
    source = path.read_text("utf-8")
    blocks = []
    for match in FENCE.finditer(source):
        marker = NOT_RUN.search(source[: match.start()].rstrip())
        blocks.append(
            Block(
                page=str(path.relative_to(ROOT)),
                line=source.count("\n", 0, match.start()) + 1,
                lang=match.group(1),
                text=match.group(2),
                not_run=marker.group(1).strip() if marker else None,
            )
        )
    return blocks


def commands(text: str) -> list[str]:
    """The commands of a sh block: one a line, a line ending in a backslash continued on the
    next, a here-document to its closing word; blank lines and comment lines left out."""
    found: list[str] = []
    lines = iter(text.splitlines())
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        command = [line]
        while command[-1].endswith("\\"):
            command.append(next(lines))
        heredoc = HEREDOC.search(line)
        if heredoc:
            for rest in lines:
                command.append(rest)
                if rest.strip() == heredoc.group(1):
                    break
        found.append("\n".join(command))
    return found


def expected_exit(command: str) -> int:
    """0, or the N of a ``# exit N`` comment on the command's first line."""
    found = EXIT.search(command.splitlines()[0])
    return int(found.group(1)) if found else 0


def _examples() -> list[tuple[Block, Block | None]]:
    """Each sh block to run, with the text block that shows its output, if one follows."""
    found: list[tuple[Block, Block | None]] = []
    for page in _pages():
        blocks = _blocks(page)
        for i, block in enumerate(blocks):
            if block.lang != "sh" or block.not_run is not None:
                continue
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            shown = following if following and following.lang == "text" else None
            found.append((block, shown))
    return found


def _folder(tmp_path: Path) -> Path:
    """A folder that looks like the repository's top, with ``.venv`` the running one."""
    for entry in ROOT.iterdir():
        if entry.name not in UNLINKED and not (tmp_path / entry.name).exists():
            (tmp_path / entry.name).symlink_to(entry)
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    return tmp_path


def _run(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    words = command.split("#")[0].split()
    if words[:1] == ["make"]:
        command = "make -n " + " ".join(shlex.quote(w) for w in words[1:])
    bin_dir = str(Path(sys.executable).parent)
    return subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        env={
            **os.environ,
            "COLUMNS": "200",
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        },
    )


def _in_order(shown: list[str], real: list[str]) -> bool:
    position = 0
    for line in shown:
        try:
            position = real.index(line, position) + 1
        except ValueError:
            return False
    return True


@pytest.mark.parametrize(
    ("block", "shown"), _examples(), ids=[f"{b.page}:{b.line}" for b, _ in _examples()]
)
def test_every_shell_example_runs_and_shows_its_real_output(
    block: Block, shown: Block | None, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    assert commands(block.text), f"{block.page}:{block.line}: a sh block without a command"
    for command in commands(block.text):
        done = _run(command, folder)
        where = f"{block.page}:{block.line}: {command}\n--- real output:\n{done.stdout}"
        assert done.returncode == expected_exit(command), where
        assert "Traceback" not in done.stdout, where
    if shown is not None:
        real = [line.rstrip() for line in done.stdout.splitlines()]
        wanted = [line.rstrip() for line in shown.text.splitlines() if line.strip()]
        assert _in_order(wanted, real), where


def test_every_page_and_the_readme_are_covered() -> None:
    # The pages are found anew on each run: README.md and every docs/**/*.md with a sh block.
    pages = {block.page for block, _ in _examples()}
    assert "README.md" in pages
    assert "docs/index.md" in pages
    assert {"docs/writing-docs.md", "docs/install.md"} <= pages


def test_shell_examples_are_sh_blocks() -> None:
    for page in _pages():
        for block in _blocks(page):
            assert block.lang not in OTHER_SHELL_TAGS, (
                f"{block.page}:{block.line}: write shell examples as ```sh, which the tests run"
            )


def test_a_block_not_run_says_why() -> None:
    for page in _pages():
        source = page.read_text("utf-8")
        for match in re.finditer(r"<!--\s*not run:(.*?)-->", source, re.DOTALL):
            assert len(match.group(1).split()) >= 3, f"{page}: {match.group(0)}"


def test_the_convention_reads_commands_as_documented() -> None:
    # Examples of docs/writing-docs.md, "The shell examples": continued lines, a
    # here-document, an expected exit code in a comment.
    text = (
        "# a comment line\n"
        "treaty-sim claims  # exit 1: a claim disagrees\n"
        "treaty-sim run \\\n  scenarios/gsomia_history.yaml\n"
        "cat > x.yaml <<'YAML'\nname: x\n# not a command\nYAML\n"
        'treaty-sim run x.yaml; echo "exit $?"\n'
    )
    found = commands(text)
    assert found == [
        "treaty-sim claims  # exit 1: a claim disagrees",
        "treaty-sim run \\\n  scenarios/gsomia_history.yaml",
        "cat > x.yaml <<'YAML'\nname: x\n# not a command\nYAML",
        'treaty-sim run x.yaml; echo "exit $?"',
    ]
    assert [expected_exit(c) for c in found] == [1, 0, 0, 0]


def test_the_docs_point_at_no_file_outside_the_repository() -> None:
    for page in _pages():
        text = page.read_text("utf-8")
        for target in re.findall(r"\]\(([^)#]+)", text):
            if target.startswith(("http://", "https://")):
                continue
            assert (page.parent / target).resolve().is_relative_to(ROOT), f"{page}: {target}"
            assert (page.parent / target).exists(), f"{page}: broken link {target}"
        assert "../shared" not in text, page
        assert "PRODUCT.md" not in text, f"{page}: cite contract.md, the copy in docs/"
        if page.name not in ("sources.md", "README.md"):  # sources.md reproduces it
            assert "facts/treaties.md" not in text, f"{page}: cite sources.md, the copy in docs/"
