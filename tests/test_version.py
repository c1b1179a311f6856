"""``treaty-sim --version`` (PRODUCT.md, "Additions for version 0.2": ``--version``)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_version_prints_the_version_of_pyproject_toml() -> None:
    # The source of the expected value: pyproject.toml's [project] version, which the
    # installed metadata carries.
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    done = subprocess.run(
        [sys.executable, "-m", "sim", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"treaty-sim {expected}"
