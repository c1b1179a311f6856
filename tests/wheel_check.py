"""The package as a user installs it (issue 9, point 7): ``python -m build`` makes an sdist and
a wheel from it; the wheel, installed with its completion extra in a fresh virtual environment,
runs from a folder that has no ``sim/`` in it, and finds its data files (the built-in treaties
of ``sim/treaties/``) inside the installed package.

`make package-test` runs it, and `make test` runs that target (about 10 s: the build and the
install need the package index, as `make install` does). It is a script, not a collected test,
so that the default pytest run neither builds nor skips it. It prints one line per check and
closes with ``package-test: N passed, M failed``; the exit code is 1 if any failed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
TREATIES = sorted(p.name for p in (ROOT / "sim" / "treaties").glob("*.yaml"))
MODULES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "sim").rglob("*.py"))


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)


def _must(done: subprocess.CompletedProcess[str], what: str) -> str:
    if done.returncode != 0:
        raise AssertionError(f"{what} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="treaty-sim-package-") as temporary:
        top = Path(temporary)
        dist, venv, elsewhere = top / "dist", top / "venv", top / "elsewhere"
        elsewhere.mkdir()
        # The conventional build: an sdist, then the wheel built from the unpacked sdist (so a
        # file missing from the sdist is missing from the wheel too).
        build = [sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)]
        _must(_run(build, top), "python -m build")
        wheel = next(dist.glob("*.whl"))
        # A fresh environment: nothing of this project's .venv, no pip of its own (the running
        # pip installs into it with --python).
        _must(_run([sys.executable, "-m", "venv", "--without-pip", str(venv)], top), "venv")
        install = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
        install += ["--python", str(venv / "bin" / "python"), "install", f"{wheel}[completion]"]
        _must(_run(install, top), "pip install the wheel")
        command = str(venv / "bin" / "treaty-sim")
        scenario = elsewhere / "gsomia_history.yaml"
        scenario.write_text((ROOT / "scenarios" / "gsomia_history.yaml").read_text("utf-8"))

        def wheel_has_every_module_and_treaty() -> None:
            names = set(zipfile.ZipFile(wheel).namelist())
            missing = [m for m in MODULES if m not in names]
            missing += [f"sim/treaties/{t}" for t in TREATIES if f"sim/treaties/{t}" not in names]
            assert not missing, f"missing from {wheel.name}: {missing}"

        def wheel_metadata_names_version_and_licence() -> None:
            info = f"treaty_sim-{PROJECT['version']}.dist-info/METADATA"
            metadata = zipfile.ZipFile(wheel).read(info).decode("utf-8").splitlines()
            assert f"Version: {PROJECT['version']}" in metadata, metadata[:10]
            assert f"License-Expression: {PROJECT['license']}" in metadata, metadata[:10]

        def imports_the_installed_package_not_the_source() -> None:
            probe = [str(venv / "bin" / "python"), "-c", "import sim; print(sim.__file__)"]
            path = Path(_must(_run(probe, elsewhere), "import sim").strip())
            assert path.is_relative_to(venv), f"sim imported from {path}"

        def version_is_pyproject_version() -> None:
            out = _must(_run([command, "--version"], elsewhere), "--version")
            assert out == f"treaty-sim {PROJECT['version']}\n", out

        def treaties_lists_every_shipped_file() -> None:
            out = _must(_run([command, "treaties", "--format", "json"], elsewhere), "treaties")
            names = [row["name"] for row in json.loads(out)["treaties"]]
            assert names == [t.removesuffix(".yaml") for t in TREATIES], names

        def deadlines_of_a_builtin_treaty() -> None:
            # GSOMIA's 2019 term ends at midnight 23 November 2019, Korea time; the notice
            # deadline is 90 days earlier (art. 21(3); docs/dates.md): 25 August 00:00 +09:00.
            args = ["deadlines", "gsomia", "--from", "2019", "--to", "2019"]
            args += ["--as-of", "2019-08-22", "--format", "json"]
            out = _must(_run([command, *args], elsewhere), "deadlines")
            terms = json.loads(out)["terms"]
            assert [t["notice_deadline"] for t in terms] == ["2019-08-25T00:00:00+09:00"], terms

        def run_a_scenario_file_in_another_folder() -> None:
            # GSOMIA as it happened (scenarios/gsomia_history.yaml): Korea's notice of
            # 23 August 2019 was suspended, so the treaty was renewed and never ended.
            run = [command, "run", scenario.name, "--format", "json"]
            timeline = json.loads(_must(_run(run, elsewhere), "run"))
            kinds = [event["kind"] for event in timeline["events"]]
            assert "notice_suspended" in kinds and timeline["terminated_at"] is None, kinds
            done = _run([command, "check", scenario.name], elsewhere)
            assert done.returncode == 0 and done.stdout.startswith("  ok"), done.stdout

        def schema_and_completion() -> None:
            schema = json.loads(_must(_run([command, "schema"], elsewhere), "schema"))
            assert "properties" in schema, list(schema)
            script = _must(_run([command, "--print-completion", "bash"], elsewhere), "completion")
            assert "deadlines" in script and "complete " in script

        checks: list[Callable[[], None]] = [
            wheel_has_every_module_and_treaty,
            wheel_metadata_names_version_and_licence,
            imports_the_installed_package_not_the_source,
            version_is_pyproject_version,
            treaties_lists_every_shipped_file,
            deadlines_of_a_builtin_treaty,
            run_a_scenario_file_in_another_folder,
            schema_and_completion,
        ]
        failed = 0
        for check in checks:
            try:
                check()
            except AssertionError as problem:
                failed += 1
                print(f"FAIL  {check.__name__}: {problem}")
            else:
                print(f"  ok  {check.__name__}")
    print(f"package-test: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
