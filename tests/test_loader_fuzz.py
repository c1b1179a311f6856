"""The scenario loader under fuzzing: any text, any bytes and any data either load as a valid
scenario or give located one-line errors, ``FILE:LINE:COL: field: message`` (PRODUCT.md,
"Errors"); no other exception ever escapes."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import fixtures
import yaml
from hypothesis import given
from hypothesis import strategies as st

from sim.core.model import Scenario
from sim.errors import InputError, InputErrors
from sim.loader import load_scenario, parse_yaml, validate

FILE = "fuzz.yaml"
ONE_LINE = re.compile(r"(?P<file>[^\n]+):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): [^\n]+: [^\n]+")


def loads(text: str) -> Scenario | list[str]:
    """The scenario in ``text``, or the lines of its error."""
    try:
        loaded = parse_yaml(text, FILE)
        if not isinstance(loaded.data, dict):
            return ["not a mapping"]
        scenario: Scenario = validate(loaded, Scenario)
        return scenario
    except InputError as error:
        return [str(error)]
    except InputErrors as errors:
        lines = [str(error) for error in errors.errors]
        assert str(errors).split("\n") == lines
        assert lines, "an InputErrors with no error"
        return lines


def assert_located(lines: list[str], file: str = FILE) -> None:
    for line in lines:
        if line == "not a mapping":
            continue
        match = ONE_LINE.fullmatch(line)
        assert match, f"not one located line: {line!r}"
        assert match["file"] == file


# --- the pieces of a document --------------------------------------------------------------

FIELDS = [
    "name",
    "description",
    "treaty",
    "interpretation",
    "horizon",
    "actions",
    "expect",
    "parties",
    "timezone",
    "in_force",
    "signed",
    "clause",
    "term",
    "renewal",
    "notice",
    "late_notice",
    "withdrawal",
    "earliest_notice",
    "counting",
    "at",
    "by",
    "do",
    "period",
    "through",
    "terminated_at",
    "bound_until",
    "status_at",
    "events",
    "kind",
]
WORDS = [
    "gsomia",
    "1y",
    "90d",
    "P1Y",
    "0d",
    "-3d",
    "6mo",
    "2w",
    "notify",
    "extend",
    "terminate",
    "remaining",
    "fresh",
    "immediate",
    "all",
    "next_term",
    "void",
    "exact",
    "whole_days",
    "Asia/Seoul",
    "Mars/Olympus",
    "UTC",
    "KR",
    "JP",
    "2019-08-23",
    "2019-02-30",
    "2019-11-22T18:00",
    "2019-11-22T18:00:00.5",
    "2021-11-07T01:30-05:00",
    "9999-12-31",
    "0001-01-01",
    "in_force",
    "",
    " ",
    "\t",
    "é",
    "名",
    "\u2028",
    "\x85",
]
scalars = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=12),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=8),
)
keys = st.sampled_from(FIELDS) | st.text(max_size=8)
data = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)
"""Any value a YAML document can hold, made of the scenario format's words and others."""

VALID: dict[str, Any] = {
    "name": "GSOMIA 2019",
    "treaty": fixtures.variant(fixtures.GSOMIA, in_force=date(2016, 11, 23)),
    "interpretation": "remaining",
    "horizon": date(2024, 1, 1),
    "actions": [
        {"at": date(2019, 8, 23), "by": "KR", "do": "notify"},
        {"at": "2019-11-22T18:00", "by": "KR", "do": "suspend_notice"},
        {"at": date(2021, 2, 3), "do": "extend", "period": "5y"},
    ],
    "expect": {"terminated_at": None, "status_at": {"2019-11-23T12:00": "in_force"}},
}
"""A valid scenario (facts/treaties.md, GSOMIA), from which near-misses are made."""


@st.composite
def near_misses(draw: st.DrawFn) -> Any:
    """The valid scenario with one value replaced, one key removed or one key added, at any
    depth."""
    document = yaml.safe_load(yaml.safe_dump(VALID, allow_unicode=True))
    paths: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in list(node):
                paths.append((node, key))
                walk(node[key])
        elif isinstance(node, list):
            for index in range(len(node)):
                paths.append((node, index))
                walk(node[index])

    walk(document)
    container, key = draw(st.sampled_from(paths))
    change = draw(st.sampled_from(["replace", "remove", "add"]))
    if change == "replace":
        container[key] = draw(data)
    elif change == "remove":
        del container[key]
    elif isinstance(container, dict):
        container[draw(keys)] = draw(data)
    else:
        container.append(draw(data))
    return document


def dump(document: Any) -> str:
    try:
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return yaml.dump(document, allow_unicode=True)  # e.g. binary values: !!binary


YAML_NOISE = [
    "---\n",
    "...\n",
    "&a [*a]\n",
    "a: &x 1\nb: *x\n",
    "<<: {name: x}\n",
    "!!python/object/apply:os.system ['true']\n",
    "!!binary aGVsbG8=\n",
    "!!set {a, b}\n",
    "!!timestamp 2019-08-23\n",
    "!custom x\n",
    "name: a\nname: b\n",
    "? [a, b]\n: c\n",
    "\ufeff",
    "\t",
    "- \n",
    "{",
    "[",
    '"',
    "'",
    "#",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "[" * 100,
    "a: " * 70 + "b\n",
]
noisy_text = st.lists(
    st.sampled_from(YAML_NOISE) | st.text(max_size=20) | data.map(dump), max_size=6
).map("".join)
"""YAML-looking text: fragments of syntax, aliases, tags, directives, and dumped data."""


# --- properties ----------------------------------------------------------------------------


# Any text loads as a scenario or gives located one-line errors.
@given(st.one_of(st.text(), noisy_text))
def test_any_text_loads_or_gives_located_one_line_errors(text: str) -> None:
    result = loads(text)
    if not isinstance(result, Scenario):
        assert_located(result)


# Any data, written as YAML, loads as a scenario or gives located one-line errors.
@given(data)
def test_any_data_loads_or_gives_located_one_line_errors(document: Any) -> None:
    result = loads(dump(document))
    if not isinstance(result, Scenario):
        assert_located(result)


# A valid scenario with one thing changed loads, or every problem is located on one line
# that names the field at fault.
@given(near_misses())
def test_a_near_miss_loads_or_names_the_field_at_fault(document: Any) -> None:
    result = loads(dump(document))
    if not isinstance(result, Scenario):
        assert_located(result)


# The valid scenario loads (the near misses start from a scenario that is one).
def test_the_valid_scenario_loads() -> None:
    assert isinstance(loads(dump(VALID)), Scenario)


# Any bytes in a file (binary, not UTF-8, empty, huge lines) load or give one located line.
@given(st.binary(max_size=200) | noisy_text.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_file_loads_or_gives_located_one_line_errors(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_bytes(raw)
        try:
            load_scenario(path)
        except InputError as error:
            assert_located([str(error)], str(path))
        except InputErrors as errors:
            assert_located([str(e) for e in errors.errors], str(path))
