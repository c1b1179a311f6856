"""A real headless browser for the report tests: Debian's chromium (installed by `make
chromium`, run by `make test`), driven by Playwright without its own browser builds.

Run as a script, it writes the picture of docs/report.md:

    .venv/bin/python tests/browser.py docs/report.png
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless, asking nothing of the network on its own."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(browser: Browser, page_file: Path, png: Path) -> None:
    """The top of a report page as a reader first sees it, 1100 by 900 pixels."""
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        page.goto(page_file.resolve().as_uri())
        page.screenshot(path=str(png))
    finally:
        page.close()


def main(argv: list[str]) -> int:
    from sim.cli import main as treaty_sim

    png = Path(argv[0]) if argv else ROOT / "docs" / "report.png"
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.html"
        scenario = str(ROOT / "scenarios" / "gsomia_history.yaml")
        code = treaty_sim(["report", scenario, "-o", str(report), "--quiet"])
        if code:
            return code
        with chromium() as browser:
            screenshot(browser, report, png)
    print(f"wrote {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
