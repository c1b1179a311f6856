"""``treaty-sim report``: the page and the picture as files, read back without a browser
(tests/test_report_browser.py looks at them in one). The page asks nothing of the network,
every user text is escaped, and bad input is one line with exit code 2."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli_helpers import cli, write

ROOT = Path(__file__).resolve().parent.parent
GSOMIA = str(ROOT / "scenarios" / "gsomia_history.yaml")
NPT = str(ROOT / "scenarios" / "npt_north_korea_remaining.yaml")
SVG = "{http://www.w3.org/2000/svg}"

HOSTILE = """\
name: '<script>alert("name")</script> & <b>bold</b>'
description: '<img src="https://example.com/x.png"> & "quotes"'
treaty:
  name: 'Treaty <i>of</i> "Tags"'
  parties: ['<P1>', 'P&2']
  in_force: 2016-11-23
  clause: {term: 1y, renewal: 1y, notice: 90d}
horizon: 2019-01-01
actions:
  - {at: 2017-09-01, by: '<P1>', do: notify}
"""


def _svg(capsys: pytest.CaptureFixture[str], *args: str) -> ET.Element:
    code, out, err = cli(["report", *args, "--format", "svg"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- written by treaty-sim report -->\n<svg '
    )
    return ET.fromstring(out)


def _all(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if css in (e.get("class") or "").split()]


def test_the_page_is_written_to_the_file_and_holds_the_picture_and_both_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.html"
    code, out, err = cli(["report", GSOMIA, "-o", str(target)], capsys)
    page = target.read_text("utf-8")
    # Issue 18, item 6: one line on standard error, what was written and where.
    kilobytes = round(len(page.encode("utf-8")) / 1024)
    assert (code, out, err) == (0, "", f"wrote {target} ({kilobytes} KB)\n")
    assert page.startswith("<!DOCTYPE html>")
    assert "<h1>GSOMIA 2019–2023, as it happened</h1>" in page
    assert page.count("<svg ") == 1
    assert '<table class="deadlines">' in page and '<table class="events">' in page
    # docs/sources.md: the press names 24 August as the last day to notify, for a term
    # ending at 00:00 KST on 23 November (2019's term: last day in force Friday 22 November).
    assert '<td data-value="2019-08-24">Saturday 24 August 2019</td>' in page
    assert '<td data-value="2019-11-22">Friday 22 November 2019</td>' in page
    # scenarios/gsomia_history.yaml, from docs/sources.md: the suspension, about 18:00 KST.
    assert (
        '<td data-value="2019-11-22T18:00:00+09:00">Fri 2019-11-22 18:00 +09:00</td>'
        '<td data-value="notice_suspended">notice_suspended</td>'
    ) in page


def test_the_page_asks_nothing_of_the_network(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.html"
    assert cli(["report", GSOMIA, "-o", str(target), "--interpretation", "all"], capsys)[0] == 0
    page = target.read_text("utf-8")
    # No script, no linked style sheet, image or font, no imported CSS; the only URL is the
    # SVG namespace, a name that is never fetched.
    for pattern in (r"<script", r"<link", r"\bsrc=", r"\bhref=", r"url\(", r"@import"):
        assert not re.search(pattern, page, re.IGNORECASE), pattern
    assert set(re.findall(r"\w+://[^\s\"'<>]*", page)) == {"http://www.w3.org/2000/svg"}
    # and the browser is told to refuse anything else all the same
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in page


def test_the_picture_alone_has_a_bar_per_term_and_party_and_the_deadlines_as_ticks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = _svg(capsys, GSOMIA)
    bars = _all(root, "rect", "term")
    # docs/sources.md: in force 23 November 2016, extended annually; the scenario's horizon
    # is 1 January 2024, so terms 1 to 8 (the eighth from 23 November 2023) on each lane.
    for party in ("KR", "JP"):
        own = [b for b in bars if b.get("data-party") == party]
        starts = [b.get("data-start") for b in own]
        assert starts == [f"{year}-11-23T00:00:00+09:00" for year in range(2016, 2024)]
        assert [b.get("data-term") for b in own] == [str(n) for n in range(1, 9)]
        # the eighth is cut at the horizon
        assert own[-1].get("data-end") == "2024-01-01T00:00:00+09:00"
    # The notice deadline of each term ending 23 November: 00:00 on 25 August (docs/sources.md,
    # the last day to notify is 24 August); the eighth term's, 25 August 2024, is past the
    # horizon and not drawn.
    ticks = [t.get("data-at") for t in _all(root, "line", "deadline")]
    expected = [f"{year}-08-25T00:00:00+09:00" for year in range(2017, 2024)]
    assert ticks == expected * 2
    (horizon,) = _all(root, "line", "horizon")
    assert horizon.get("data-at") == "2024-01-01T00:00:00+09:00"


def test_the_notice_is_an_arrow_broken_by_its_suspension(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = _svg(capsys, GSOMIA)
    # docs/sources.md: the notice delivered on 23 August 2019, suspended about 18:00 KST on
    # 22 November 2019, withdrawn on 21 March 2023.
    (notice,) = _all(root, "g", "notice")
    assert notice.get("data-party") == "KR"
    assert notice.get("data-start") == "2019-08-23T00:00:00+09:00"
    assert notice.get("data-end") == "2019-11-22T18:00:00+09:00"
    assert notice.get("data-ending") == "suspended"
    # it never took effect: a hollow head where it would have (00:00 KST, 23 November)
    assert _all(notice, "polygon", "notice-would") and not _all(notice, "polygon", "notice-head")
    (gap,) = _all(root, "line", "suspension")
    assert gap.get("data-party") == "KR"
    title = gap.find(SVG + "title")
    assert title is not None and title.text == (
        "KR's notice suspended from Fri 2019-11-22 18:00 +09:00 to Tue 2023-03-21 00:00 +09:00 "
        "(withdrawn)"
    )


def test_every_interpretation_is_drawn_one_above_the_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _svg(capsys, NPT, "--interpretation", "all")
    panels = _all(root, "g", "timeline")
    # PRODUCT.md: the interpretations are remaining, immediate, fresh, in that order
    assert [p.get("data-interpretation") for p in panels] == ["remaining", "immediate", "fresh"]
    target = tmp_path / "npt.html"
    assert cli(["report", NPT, "--interpretation", "all", "-o", str(target)], capsys)[0] == 0
    page = target.read_text("utf-8")
    found = re.findall(r'<section class="interpretation" id="interpretation-(\w+)"', page)
    assert found == ["remaining", "immediate", "fresh"]


def test_a_built_in_treaty_can_be_reported_without_a_scenario(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = _svg(capsys, "gsomia")
    assert _all(root, "rect", "term")


def test_user_text_is_escaped_in_the_page_and_in_the_picture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write(tmp_path, HOSTILE)
    target = tmp_path / "report.html"
    assert cli(["report", scenario, "-o", str(target)], capsys)[0] == 0
    page = target.read_text("utf-8")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "<h1>&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    assert "&lt;img src=&quot;https://example.com/x.png&quot;&gt;" in page
    # the picture is well-formed XML, and its texts read back as written
    root = _svg(capsys, scenario)
    (caption,) = _all(root, "text", "caption")
    assert caption.text == '<script>alert("name")</script> & <b>bold</b>'
    lanes = [g.get("data-party") for g in _all(root, "g", "lane")]
    assert lanes == ["<P1>", "P&2"]


def test_the_page_goes_to_standard_output_without_o(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(["report", GSOMIA], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("<!DOCTYPE html>") and out.endswith("</html>\n")


def test_a_scenario_with_a_mistake_is_one_located_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.html"
    typo = str(ROOT / "docs" / "examples" / "field_typo.yaml")
    code, out, err = cli(["report", typo, "-o", str(target)], capsys)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith(f"{typo}:4:9: horizn: unknown field")
    assert not target.exists()


def test_a_missing_scenario_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "nowhere.yaml")
    code, out, err = cli(["report", missing], capsys)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith(f"{missing}:")


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("missing/report.html", "there is no folder '{tmp}/missing' to write a report in"),
        (".", "is a folder; -o names the file to write a report in"),
    ],
)
def test_an_output_that_cannot_be_written_is_one_located_line_naming_the_option(
    output: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PRODUCT.md, "Errors": FILE:LINE:COL: field: what is wrong, exit 2.
    target = f"{tmp_path}/{output}"
    code, out, err = cli(["report", GSOMIA, "-o", target], capsys)
    assert (code, out) == (2, "")
    assert err == f"{target}:1:1: -o: {message.format(tmp=tmp_path)}\n"


def test_a_failed_write_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    # /dev/full accepts the open and refuses the write: the disk-full case
    code, out, err = cli(["report", GSOMIA, "-o", "/dev/full"], capsys)
    assert (code, out) == (2, "")
    assert err == "/dev/full:1:1: -o: cannot write a report: No space left on device\n"


def test_an_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli(["report", GSOMIA, "--format", "pdf"], capsys)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "--format" in err and "'pdf'" in err


def _spans(root: ET.Element, css: str, party: str) -> list[tuple[str | None, str | None]]:
    return [
        (e.get("data-start"), e.get("data-end"))
        for e in _all(root, "rect", css)
        if e.get("data-party") == party
    ]


def test_a_party_that_leaves_and_joins_again_has_bars_only_while_bound(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = _svg(capsys, str(ROOT / "scenarios" / "paris_us_withdrawal_2025.yaml"))
    # The scenario's sources: in force 4 November 2016 (the Paris Agreement's single term);
    # the US's first withdrawal takes effect 4 November 2020; bound again from 19 February
    # 2021 (deposit 20 January + 30 days, art. 21(3)); the second takes effect 27 January 2026.
    assert _spans(root, "term", "US") == [
        ("2016-11-04T00:00:00-04:00", "2020-11-04T00:00:00-05:00"),
        ("2021-02-19T00:00:00-05:00", "2026-01-27T00:00:00-05:00"),
    ]
    # a party that stays is bound to the horizon, 1 January 2027
    assert _spans(root, "term", "CN") == [
        ("2016-11-04T00:00:00-04:00", "2027-01-01T00:00:00-05:00")
    ]


def test_a_suspension_of_operation_is_a_gap_in_the_bars(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = _svg(capsys, str(ROOT / "scenarios" / "new_start_extension_2021.yaml"))
    # The scenario's sources: in force 5 February 2011 for ten years, extended to 5 February
    # 2026; Russia "suspends" its participation on 21 February 2023 (the treaty stays in force,
    # so the gap runs to the treaty's end).
    assert _spans(root, "term", "RU") == [
        ("2011-02-05T00:00:00+00:00", "2021-02-05T00:00:00+00:00"),
        ("2021-02-05T00:00:00+00:00", "2023-02-21T00:00:00+00:00"),
    ]
    assert _spans(root, "operation-gap", "RU") == [
        ("2023-02-21T00:00:00+00:00", "2026-02-05T00:00:00+00:00")
    ]
    assert _spans(root, "term", "US")[-1] == (
        "2021-02-05T00:00:00+00:00",
        "2026-02-05T00:00:00+00:00",
    )


def test_a_notice_that_takes_effect_is_an_arrow_with_its_head_at_the_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = _svg(capsys, str(ROOT / "scenarios" / "gsomia_notice_last_day.yaml"))
    # docs/sources.md: 24 August is the last day to notify for a term ending at 00:00 KST on
    # 23 November; a notice then ends the two-party treaty at that end (PRODUCT.md).
    (notice,) = _all(root, "g", "notice")
    assert (notice.get("data-start"), notice.get("data-end"), notice.get("data-ending")) == (
        "2019-08-24T00:00:00+09:00",
        "2019-11-23T00:00:00+09:00",
        "effect",
    )
    assert _all(notice, "polygon", "notice-head") and not _all(notice, "polygon", "notice-would")
    (end,) = _all(root, "line", "ended")
    title = end.find(SVG + "title")
    assert title is not None and title.text is not None
    assert title.text.startswith("the treaty ends: Sat 2019-11-23 00:00 +09:00")


def _texts(root: ET.Element, css: str) -> list[str]:
    return [(e.text or "") for e in _all(root, "text", css)]


def test_the_dates_are_printed_on_the_picture_not_only_on_hover(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Issue 18, item 6. scenarios/gsomia_notice_last_day.yaml: a notice on 24 August 2019
    # stops the renewal at 00:00 KST on 23 November 2019 (PRODUCT.md, "Counting").
    root = _svg(capsys, str(ROOT / "scenarios" / "gsomia_notice_last_day.yaml"))
    assert _texts(root, "notice-label") == ["notice 2019-08-24, effect 2019-11-23"]
    assert _texts(root, "ended-label") == ["treaty ends 2019-11-23"]
    # GSOMIA art. 21(3): terms end each 23 November from 2017; term 3 is the last.
    assert _texts(root, "term-end-label") == ["2017-11-23", "2018-11-23", "2019-11-23"]
