"""libyaml's ``CSafeLoader`` and PyYAML's pure-Python ``SafeLoader`` (issue 8, point 6: "the
same errors and locations as today"). :func:`sim.loader.parse_yaml` reads with libyaml when
it is present and, on any refusal, reads again with the pure-Python loader, whose words are
the errors'. What makes that safe, checked here on the error cases of tests/test_errors.py,
every scenario and built-in treaty, and fuzzed text: where libyaml accepts a text, the
pure-Python loader accepts it too, with the same data and the same line and column for every
value (validation errors are located by these marks); and ``parse_yaml`` says exactly what
the pure-Python loader says, error or not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from test_errors import CASES
from test_loader_fuzz import FILE, loads, noisy_text

import sim.loader
from sim.errors import InputError
from sim.loader import Reader, fast_loader_for, parse_yaml, parse_yaml_with

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted([*(ROOT / "scenarios").glob("*.yaml"), *(ROOT / "sim" / "treaties").glob("*.yaml")])
ERROR_TEXTS = [case[1] for case in CASES if isinstance(case[1], str)]


def test_libyaml_is_present() -> None:
    # The project's set-up installs PyYAML's wheel, which is built with libyaml: without it
    # this file would compare the pure-Python loader with itself.
    assert sim.loader.FAST_LOADER is yaml.CSafeLoader


def outcome(loader: Reader, text: str) -> tuple[Any, Any] | str:
    """The data and marks of ``text`` read by ``loader``, or its error line (or, for
    libyaml, what made ``parse_yaml`` read it again with the pure-Python loader)."""
    try:
        loaded = parse_yaml_with(loader, text, FILE)
    except InputError as error:
        return str(error)
    except Exception as error:
        assert loader is yaml.CSafeLoader, error
        return f"read again: {error!r}"
    return loaded.data, loaded.marks


def public(text: str) -> tuple[Any, Any] | str:
    try:
        loaded = parse_yaml(text, FILE)
    except InputError as error:
        return str(error)
    return loaded.data, loaded.marks


def reference(text: str) -> tuple[Any, Any] | str:
    """Today's reading: the check of flow nesting, then the pure-Python loader."""
    too_deep = sim.loader._flow_depth_problem(text, FILE)
    return str(too_deep) if too_deep is not None else outcome(yaml.SafeLoader, text)


def assert_same(text: str) -> None:
    expected = reference(text)
    assert public(text) == expected
    fast = outcome(yaml.CSafeLoader, text)
    if fast_loader_for(text) is not None and not isinstance(fast, str):
        assert fast == outcome(yaml.SafeLoader, text), "libyaml accepts it differently"


@pytest.mark.parametrize("path", TEXTS, ids=[path.name for path in TEXTS])
def test_every_scenario_and_treaty_reads_the_same(path: Path) -> None:
    text = path.read_text("utf-8")
    if fast_loader_for(text) is not None:  # (a few have a "?" or "!": read by PyYAML)
        assert not isinstance(outcome(yaml.CSafeLoader, text), str)
    assert_same(text)


@pytest.mark.parametrize(
    "text", ERROR_TEXTS, ids=[case[0] for case in CASES if case[1] in ERROR_TEXTS]
)
def test_the_error_cases_read_the_same(text: str) -> None:
    assert_same(text)


@pytest.mark.parametrize(
    "text", ERROR_TEXTS, ids=[case[0] for case in CASES if case[1] in ERROR_TEXTS]
)
def test_the_error_cases_give_the_same_lines_under_both_loaders(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    # The whole way from text to the error lines (validation included), with libyaml and
    # with the pure-Python loader alone.
    with_libyaml = loads(text)
    monkeypatch.setattr(sim.loader, "FAST_LOADER", None)
    assert loads(text) == with_libyaml


SYNTAX = [
    "a: [1, 2\n",
    "a:\n\tb: 1\n",
    "a: 'x\n",
    "a: b: c\n",
    "- a\nb: c\n",
    "a: 1\na: 2\n",
    "a: !!python/object:os.system x\n",
    "a: !!timestamp ''\n",
    "a: \x07\n",
    "a: *nowhere\n",
    "{a: 1}\n--- \n{b: 2}\n",
    "%YAML 1.1\n%YAML 1.1\n--- a\n",
    "a: é\nb: [1, 2,\n",
    "a: 😀😀 x\nb: {c\n",
    "a:\r\n  - 1\r\n  -: x\r\nb: [\r\n",
    "- " * 2000 + "x\n",
    "",
    "# only a comment\n",
]


@pytest.mark.parametrize("text", SYNTAX)
def test_syntax_errors_and_odd_texts_read_the_same(text: str) -> None:
    assert_same(text)


@given(st.one_of(st.text(), noisy_text))
def test_any_text_reads_the_same(text: str) -> None:
    assert_same(text)


def test_a_tag_is_left_to_the_pure_python_loader() -> None:
    # Found by the fuzzing above: for a lone non-specific tag, libyaml gives '' where the
    # pure-Python loader gives None (null).
    assert yaml.load("!", Loader=yaml.CSafeLoader) == ""
    assert yaml.load("!", Loader=yaml.SafeLoader) is None
    assert fast_loader_for("!") is None
    assert parse_yaml("!", FILE).data is None


YAML_ALPHABET = st.sampled_from(
    [
        *":-[]{},#&*?|>'\"%@`=~ \n\r",
        *("a", "1", "é", "😀", "\x85", "\u2028", "\u2029", "\x00"),
        *("a: ", "- ", "---", "...", "\n  ", "2019-08-23", "null", "~", "&x ", "*x", "<<: "),
        *("|", ">", "|-", ">+", "|2", " # c", "? ", '"\\x4', "''", "\\", "%YAML 1.1", "1e3"),
        *(".inf", "|#", "a?b", "\t", "\ufeff", "!", "!!str ", "'", '"'),
    ]
)
"""Pieces of YAML, whose combinations reach the corners where the two loaders were found to
differ."""


@given(st.lists(YAML_ALPHABET, max_size=30).map("".join))
def test_any_text_of_yaml_pieces_reads_the_same(text: str) -> None:
    assert_same(text)
