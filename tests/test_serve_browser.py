"""The page at ``/`` of ``treaty-sim serve`` in a real browser (Debian's headless chromium,
tests/browser.py): the date control moves GSOMIA's notice across the 2019 deadline and the
outcome, the deadline table and the picture are redrawn from the server's answers; the page
makes no request elsewhere and breaks no rule of its Content-Security-Policy. And a Timeline's
``_repr_html_`` (what Jupyter shows) renders its picture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from serve_helpers import ROOT, Server, serving

from sim import api


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serving("--workers", "2") as running:
        yield running


def _outcome(page: Page, ends: str) -> None:
    page.wait_for_selector(f'#outcome[data-terminated-at="{ends}"]', timeout=20_000)


def test_the_date_control_flips_gsomias_outcome(browser: Browser, server: Server) -> None:
    page = browser.new_page()
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(server.url + "/")
        page.wait_for_selector("#treaty option[value=gsomia]", state="attached")
        assert page.input_value("#treaty") == "gsomia"
        # PRODUCT.md, "Counting": a notice on 2019-08-24 stops the renewal at
        # 2019-11-23T00:00+09:00; one on 2019-08-25 is late, and under late_notice: next_term
        # stops the next renewal, 2020-11-23 (docs/decisions.md, 1).
        for day, ends in (
            ("2019-08-24", "2019-11-23T00:00:00+09:00"),
            ("2019-08-25", "2020-11-23T00:00:00+09:00"),
            ("2019-08-24", "2019-11-23T00:00:00+09:00"),
        ):
            page.fill("#notice-date", day)
            _outcome(page, ends)
            assert f"Terminated at {ends}" in page.inner_text("#outcome")
            assert f"{{at: {day}, by: KR, do: notify}}" in page.input_value("#scenario")
            # The deadline table: the 2019 term's notice deadline (PRODUCT.md's run example).
            table = page.inner_text("#terms")
            assert "2019-08-25T00:00:00+09:00" in table
            box = page.locator("#picture svg g.timeline").first.bounding_box()
            assert box is not None and box["width"] > 100
        page.fill("#scenario", "name: x\ntreaty: gsomia\nactoins: []\n")
        page.click("#run")
        page.wait_for_selector("#problem:not([hidden])")
        assert "actoins: unknown field 'actoins'" in page.inner_text("#problem")
    finally:
        page.close()
    assert all(url.startswith(server.url) for url in requests), requests
    assert [p for p in problems if "422" not in p] == []


def test_a_timeline_renders_its_picture_as_jupyter_shows_it(browser: Browser) -> None:
    html = api.run(ROOT / "scenarios" / "gsomia_history.yaml")._repr_html_()
    page = browser.new_page()
    try:
        page.set_content(f"<!DOCTYPE html><html><body>{html}</body></html>")
        box = page.locator("svg g.timeline").first.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 20
        assert page.locator("table").count() >= 2
    finally:
        page.close()
