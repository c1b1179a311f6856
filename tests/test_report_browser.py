"""The report in a real browser (Debian's headless chromium, tests/browser.py): the page loads
from a file with no other request, the picture renders (every element has a box on the
screen), its elements stand where the timeline puts them (terms left to right in time order,
one lane per party in the treaty's order, the horizon at the right end), and a screenshot is
taken. One browser for the whole session; each page is opened once per module."""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import write
from playwright.sync_api import Browser, Page, Request

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Every drawn element with its box in page pixels (getBoundingClientRect).
DRAWN = ", ".join(
    f"svg .{css}"
    for css in (
        "term",
        "deadline",
        "horizon",
        "lane-band",
        "notice",
        "suspension",
        "notice-head",
        "notice-would",
        "axis-label",
        "timeline",
    )
)
BOXES = """selector => [...document.querySelectorAll(selector)].map(e => {
  const r = e.getBoundingClientRect();
  const panel = e.closest('g.timeline');
  return {css: e.getAttribute('class'), party: e.getAttribute('data-party') ||
          (e.parentElement && e.parentElement.getAttribute('data-party')),
          term: e.getAttribute('data-term'), start: e.getAttribute('data-start'),
          interpretation: panel && panel.getAttribute('data-interpretation'),
          left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          width: r.width, height: r.height};
})"""


@dataclass
class Loaded:
    """A page as the browser showed it: every request it made, its elements' boxes, and a
    screenshot."""

    url: str
    requests: list[str]
    boxes: list[dict[str, Any]]
    png: bytes
    page: Page


def _open(browser: Browser, path: Path) -> Loaded:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    requests: list[str] = []

    def record(request: Request) -> None:
        requests.append(request.url)

    page.on("request", record)
    url = path.resolve().as_uri()
    page.goto(url, wait_until="load")
    png = page.screenshot(full_page=path.suffix == ".html")
    return Loaded(url, requests, page.evaluate(BOXES, DRAWN), png, page)


def _report(folder: Path, *args: str) -> Path:
    target = folder / ("report.svg" if "svg" in args else "report.html")
    assert main(["report", *args, "-o", str(target)]) == 0
    return target


@pytest.fixture(scope="module")
def gsomia(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    folder = tmp_path_factory.mktemp("gsomia")
    loaded = _open(browser, _report(folder, str(ROOT / "scenarios" / "gsomia_history.yaml")))
    yield loaded
    loaded.page.close()


def _of(loaded: Loaded, css: str, party: str | None = None) -> list[dict[str, Any]]:
    return [
        b
        for b in loaded.boxes
        if css in b["css"].split() and (party is None or b["party"] == party)
    ]


def test_the_page_asks_for_nothing_but_itself(gsomia: Loaded) -> None:
    assert gsomia.requests == [gsomia.url]


def test_the_screenshot_is_a_png_with_a_drawing_in_it(gsomia: Loaded) -> None:
    assert gsomia.png.startswith(PNG_SIGNATURE)
    width = int.from_bytes(gsomia.png[16:20], "big")
    height = int.from_bytes(gsomia.png[20:24], "big")
    assert width == 1100 and height > 900  # the full page, taller than the window
    # Not a blank page: the image data (IDAT chunks, inflated) holds many distinct values.
    data, position = b"", 8
    while position < len(gsomia.png):
        size = int.from_bytes(gsomia.png[position : position + 4], "big")
        kind = gsomia.png[position + 4 : position + 8]
        if kind == b"IDAT":
            data += gsomia.png[position + 8 : position + 8 + size]
        position += 12 + size
    assert len(set(zlib.decompress(data))) > 100


def test_every_element_of_the_picture_has_rendered(gsomia: Loaded) -> None:
    kinds = {"term", "deadline", "horizon", "lane-band", "notice", "suspension", "axis-label"}
    assert kinds <= {css for b in gsomia.boxes for css in b["css"].split()}
    for box in gsomia.boxes:
        if box["css"] in ("deadline", "horizon"):  # vertical lines: a box with no width
            assert box["width"] == 0 and box["height"] > 0, box
        elif box["css"] == "suspension":  # a horizontal line
            assert box["width"] > 0 and box["height"] == 0, box
        else:
            assert box["width"] > 0 and box["height"] > 0, box


def test_terms_run_left_to_right_in_time_order_on_each_party_lane(gsomia: Loaded) -> None:
    for party in ("KR", "JP"):
        bars = _of(gsomia, "term", party)
        # docs/sources.md: terms from 23 November 2016, one a year, to the horizon (2024-01-01)
        assert [b["start"][:10] for b in bars] == [f"{y}-11-23" for y in range(2016, 2024)]
        for before, after in itertools.pairwise(bars):
            assert before["right"] <= after["left"] + 0.5
            assert before["left"] < after["left"]
        # a year is a year: the seven whole terms are drawn the same width, to the pixel
        widths = [b["width"] for b in bars[:7]]
        assert max(widths) - min(widths) < 1.5


def test_each_party_has_its_own_lane_in_the_treatys_order(gsomia: Loaded) -> None:
    # docs/sources.md: parties KR and JP, listed in that order
    bands = _of(gsomia, "lane-band")
    assert [b["party"] for b in bands] == ["KR", "JP"]
    kr, jp = bands
    assert kr["bottom"] <= jp["top"] + 0.5
    for band in bands:
        for bar in _of(gsomia, "term", band["party"]):
            assert band["top"] <= bar["top"] and bar["bottom"] <= band["bottom"]


def test_the_horizon_is_at_the_right_end(gsomia: Loaded) -> None:
    (horizon,) = _of(gsomia, "horizon")
    kinds = ("term", "deadline", "notice-would", "suspension")
    drawn = [b for b in gsomia.boxes if b["css"] in kinds]
    assert all(b["right"] <= horizon["right"] + 0.5 for b in drawn)
    # the last year on the axis, 2024, is centred on it (the horizon is 1 January 2024)
    last_label = _of(gsomia, "axis-label")[-1]
    assert abs((last_label["left"] + last_label["right"]) / 2 - horizon["left"]) < 1
    # the running eighth term reaches it
    last = _of(gsomia, "term", "KR")[-1]
    assert abs(last["right"] - horizon["left"]) < 2


def test_deadline_ticks_fall_inside_their_terms(gsomia: Loaded) -> None:
    # A notice deadline (25 August, docs/sources.md) lies three months before its term's end.
    for party in ("KR", "JP"):
        bars = {b["term"]: b for b in _of(gsomia, "term", party)}
        ticks = _of(gsomia, "deadline", party)
        assert [t["term"] for t in ticks] == [str(n) for n in range(1, 8)]
        for tick in ticks:
            bar = bars[tick["term"]]
            assert bar["left"] < tick["left"] and tick["right"] < bar["right"]
            # 90 days before the end of a 365-day term: three quarters of the way along
            share = (tick["left"] + tick["width"] / 2 - bar["left"]) / bar["width"]
            assert 0.7 < share < 0.8


def test_the_notice_runs_from_its_day_to_its_suspension_then_a_gap(gsomia: Loaded) -> None:
    (notice,) = _of(gsomia, "notice", "KR")
    (would,) = _of(gsomia, "notice-would")
    (gap,) = _of(gsomia, "suspension", "KR")
    term3 = next(b for b in _of(gsomia, "term", "KR") if b["term"] == "3")
    term7 = next(b for b in _of(gsomia, "term", "KR") if b["term"] == "7")
    # docs/sources.md: given 23 August 2019 (in term 3), suspended hours before term 3 ends,
    # withdrawn 21 March 2023 (in term 7); on KR's lane, above the bars
    assert term3["left"] < notice["left"] < term3["right"]
    assert abs(would["right"] - term3["right"]) < 2  # a hollow head where it would have ended
    assert abs(gap["left"] - term3["right"]) < 2
    assert term7["left"] < gap["right"] < term7["right"]
    assert notice["bottom"] <= term3["top"] + 1


def test_interpretations_stand_one_above_the_other_with_their_effects(
    browser: Browser, tmp_path: Path
) -> None:
    npt = str(ROOT / "scenarios" / "npt_north_korea_remaining.yaml")
    loaded = _open(browser, _report(tmp_path, npt, "--interpretation", "all"))
    try:
        assert loaded.requests == [loaded.url]
        panels = _of(loaded, "timeline")
        assert [p["interpretation"] for p in panels] == ["remaining", "immediate", "fresh"]
        for upper, lower in itertools.pairwise(panels):
            assert upper["bottom"] <= lower["top"]
        heads = {h["interpretation"]: h["right"] for h in _of(loaded, "notice-head")}
        # docs/interpretations.md (NPT, North Korea): the resumed notice takes effect
        # 10 January 2003 (immediate), 11 January 2003 (remaining), 10 April 2003 (fresh)
        assert heads["immediate"] < heads["remaining"] < heads["fresh"]
    finally:
        loaded.page.close()


LABELS = """() => [...document.querySelectorAll(
    'svg .notice-label, svg .term-end-label, svg .horizon-label')].map(e => {
  const r = e.getBoundingClientRect();
  return {css: e.getAttribute('class'), text: e.firstChild.nodeValue, left: r.left, right: r.right,
          top: r.top, bottom: r.bottom, height: r.height};
})"""
PICTURE = """() => { const r = document.querySelector('svg.timeline-picture')
  .getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width}; }"""


@pytest.mark.parametrize("width", [800, 1400])
def test_the_picture_follows_the_page_and_shows_its_dates(
    browser: Browser, tmp_path: Path, width: int
) -> None:
    # Issue 18, item 6: the picture as wide as the page, at 800 and 1,400 pixels, with the
    # notice, effect and term-end dates printed on it, readable and apart.
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        scenario = str(ROOT / "scenarios" / "gsomia_history.yaml")
        page.goto(_report(tmp_path, scenario).resolve().as_uri())
        picture = page.evaluate(PICTURE)
        assert 0.9 * width <= picture["width"] <= width
        labels = page.evaluate(LABELS)
        texts = [label["text"] for label in labels]
        # scenarios/gsomia_history.yaml (docs/sources.md): notice 23 August 2019, to take
        # effect at 00:00 KST on 23 November, suspended on 22 November.
        assert "notice 2019-08-23, effect 2019-11-23, suspended 2019-11-22" in texts
        # GSOMIA art. 21(3): each term ends on 23 November, 2017 to 2023 before the horizon.
        ends = [label for label in labels if label["css"] == "term-end-label"]
        assert [label["text"] for label in ends] == [f"{y}-11-23" for y in range(2017, 2024)]
        for label in labels:
            assert picture["left"] <= label["left"] and label["right"] <= picture["right"]
            assert label["height"] >= 9  # not shrunk to unreadable
        for one, other in itertools.pairwise(ends):
            assert one["right"] < other["left"]
    finally:
        page.close()


def test_the_picture_alone_renders_as_a_file(browser: Browser, tmp_path: Path) -> None:
    gsomia = str(ROOT / "scenarios" / "gsomia_history.yaml")
    loaded = _open(browser, _report(tmp_path, gsomia, "--format", "svg"))
    try:
        assert loaded.requests == [loaded.url]
        assert len(_of(loaded, "term")) == 16
        assert loaded.page.evaluate("document.documentElement.localName") == "svg"
    finally:
        loaded.page.close()


def test_a_hostile_name_is_shown_as_text_and_runs_nothing(browser: Browser, tmp_path: Path) -> None:
    name = "<script>alert(1)</script><img src=x onerror=alert(2)> & co"
    scenario = write(
        tmp_path,
        f"name: '{name}'\ntreaty: gsomia\nhorizon: 2018-01-01\n",
    )
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(_report(tmp_path, scenario).resolve().as_uri())
        assert page.inner_text("h1") == name
        assert page.evaluate("document.querySelectorAll('script, img').length") == 0
        assert page.title() == f"{name}: treaty-sim report"
        assert dialogs == []
    finally:
        page.close()


def test_the_request_recorder_sees_a_page_that_asks_for_more(
    browser: Browser, tmp_path: Path
) -> None:
    # The recorder above is trusted to see requests: a page without the report's policy that
    # asks for an image on a closed local port is seen asking.
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<img src="http://127.0.0.1:9/x.png">', "utf-8")
    loaded = _open(browser, leaky)
    try:
        assert loaded.requests == [loaded.url, "http://127.0.0.1:9/x.png"]
    finally:
        loaded.page.close()
