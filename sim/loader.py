"""Loading scenario and treaty files from YAML, with every problem located in the file.

YAML is read safely and defensively: only the standard tags (a ``!!python`` tag is an
error, not code), no duplicate keys, a bounded size, depth and node count (an alias bomb or
deep nesting ends with a clear error, not a crash). Each value keeps the line and column it
came from, so a validation error names ``FILE:LINE:COL: path.to.field``.
"""

from __future__ import annotations

import difflib
import json
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.core.model import Scenario, Treaty
from sim.errors import InputError, InputErrors

__all__ = [
    "Loaded",
    "field_name",
    "load_scenario",
    "load_yaml",
    "parse_bytes",
    "parse_yaml",
    "parse_yaml_with",
    "scenario_of",
]

MAX_BYTES = 1_000_000
MAX_NODES = 100_000
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]


@dataclass
class Loaded:
    """A YAML document as plain data, with where each value stood."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_) -> tuple[int, int]:
        """The line and column of ``path``, or of its nearest enclosing value."""
        while path and path not in self.marks:
            path = path[:-1]
        return self.marks.get(path, (1, 1))

    def error(self, path: Path_, message: str) -> InputError:
        """An :class:`InputError` at ``path``."""
        line, column = self.locate(path)
        return InputError(self.file, line, column, field_name(path), message)


def field_name(path: Path_) -> str:
    """``("actions", 0, "at")`` as ``actions[0].at``; a key that is not plain printable
    text without spaces is quoted (``expect["a b"]``), so an error stays one line."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not _plain(part):
            text += f"[{json.dumps(part)}]"
        else:
            text += f".{part}" if text else part
    return text or "(document)"


def _plain(key: str) -> bool:
    return bool(key) and key.isprintable() and not any(c.isspace() or c in ".[]" for c in key)


def shown(key: str) -> str:
    """A key as an error message quotes it: printable, on one line."""
    return f"'{key}'" if _plain(key) else json.dumps(key)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``; did you mean 'X'?`` naming the closest of ``choices`` to a mistyped ``word``
    (difflib's ratio of at least 0.6), or nothing where none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {shown(close[0])}?" if close else ""


class _Doubt(Exception):
    """libyaml's marks may differ from the pure-Python loader's here: read again with it."""


class _Walker:
    def __init__(self, loader: yaml.SafeLoader | yaml.CSafeLoader, loaded: Loaded) -> None:
        self.loader = loader
        self.loaded = loaded
        self.count = 0
        self.fast = not isinstance(loader, yaml.SafeLoader)

    def fail(self, node: yaml.Node, path: Path_, message: str) -> InputError:
        mark = node.start_mark
        return InputError(
            self.loaded.file, mark.line + 1, mark.column + 1, field_name(path), message
        )

    def walk(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, path, f"more than {MAX_NODES:,} values (an alias bomb?)")
        if len(path) > MAX_DEPTH:
            raise self.fail(node, path, f"nested more than {MAX_DEPTH} levels deep")
        self.loaded.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise self.fail(node, path, f"the tag {node.tag} is not allowed")
            self.loader.flatten_mapping(node)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self._key(key_node, path)
                if key in result:
                    raise self.fail(key_node, (*path, key), "this key is given twice")
                result[key] = self.walk(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.fail(node, path, f"the tag {node.tag} is not allowed")
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _key(self, node: yaml.Node, path: Path_) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, path, "a key must be plain text")
        value = self._scalar(node, path)
        if not isinstance(value, str):
            raise self.fail(node, (*path, str(value)), "a key must be text, not a number or date")
        return value

    def _scalar(self, node: yaml.Node, path: Path_) -> Any:
        if self.fast and node.value == "" and getattr(node, "style", None) not in ("'", '"'):
            # An empty value, not quoted (``key:``, ``{a: }``, ``|``): libyaml may place it a
            # column or a line away from where the pure-Python loader does, or accept a
            # block scalar's header that it refuses.
            raise _Doubt
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            problem = getattr(error, "problem", None) or str(error)
            if "constructor" in problem:
                problem = f"the tag {node.tag} is not allowed"
            raise self.fail(node, path, _one_line(problem)) from None
        except ValueError:
            # An impossible timestamp (2019-02-30): keep the text, so that validation says
            # what is wrong with it in the words of the field it stands in.
            return node.value
        except Exception:
            # PyYAML's constructors fail in other ways on odd input (``!!timestamp ''``).
            raise self.fail(node, path, f"not a valid value for the tag {node.tag}") from None
        return value


def _yaml_error(file: str, error: yaml.YAMLError) -> InputError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(error, "problem", None) or str(error)
    if "'\\t'" in problem or "tab character" in problem:
        # PyYAML's words ("found character '\t' that cannot start any token") do not say
        # what to do; a tab is most often an editor's indentation.
        return InputError(file, line, column, "(yaml)", "tabs cannot indent YAML; use spaces")
    return InputError(file, line, column, "(yaml)", f"YAML syntax error: {_one_line(problem)}")


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "(no detail)"


def _flow_depth_problem(text: str, file: str) -> InputError | None:
    """Brackets nested deeper than :data:`MAX_DEPTH`, found before parsing: PyYAML's scanner
    takes quadratic time over deep flow nesting. Quoted text and comments are skipped."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        quote = ""
        for column, char in enumerate(line, start=1):
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return InputError(
                        file,
                        number,
                        column,
                        "(document)",
                        f"nested more than {MAX_DEPTH} levels deep",
                    )
            elif char in "]}":
                depth = max(0, depth - 1)
    return None


Reader = type[yaml.SafeLoader] | type[yaml.CSafeLoader]
"""The two safe loaders: PyYAML's pure-Python one, and libyaml's."""

FAST_LOADER: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
"""libyaml's safe loader, when PyYAML was built with it: the same nodes and marks as the
pure-Python ``SafeLoader``, several times faster (docs/performance.md)."""


_LEFT_TO_PYTHON = (
    "!",  # a tag: the two loaders resolve the non-specific tag ``!`` differently
    "\ufeff",  # a byte-order mark: libyaml accepts one between documents, PyYAML does not
    "\t",  # a tab: libyaml accepts some after a value that PyYAML refuses
    "?",  # libyaml accepts ``?`` inside a plain value in brackets (``[a?b]``), PyYAML does not
)
_BLOCK_HEADER_COMMENT = re.compile(r"[|>][-+0-9]*#")
"""A block scalar's header with a comment right after it (``|#``): libyaml accepts it, PyYAML
does not."""


def fast_loader_for(text: str) -> type[yaml.CSafeLoader] | None:
    """libyaml's loader, if present and ``text`` has none of the characters the two loaders
    were found to read differently (tests/test_yaml_loaders.py); else None: the pure-Python
    loader reads it."""
    if any(character in text for character in _LEFT_TO_PYTHON):
        return None
    if _BLOCK_HEADER_COMMENT.search(text):
        return None
    return FAST_LOADER


def parse_yaml(text: str, file: str) -> Loaded:
    """Parse one YAML document into data and marks; :class:`InputError` on any problem.

    libyaml reads the text when it is present; a text it refuses, or whose values the
    walker refuses, is read again by the pure-Python loader, whose words and locations are
    the ones the errors give (tests/test_yaml_loaders.py compares the two loaders)."""
    too_deep = _flow_depth_problem(text, file)
    if too_deep is not None:
        raise too_deep
    fast = fast_loader_for(text)
    if fast is not None:
        try:
            return parse_yaml_with(fast, text, file)
        except Exception:  # any refusal is told in the pure-Python loader's words
            pass
    return parse_yaml_with(yaml.SafeLoader, text, file)


def parse_yaml_with(loader_class: Reader, text: str, file: str) -> Loaded:
    """:func:`parse_yaml` with the given loader class (``yaml.SafeLoader`` or libyaml's
    ``yaml.CSafeLoader``), without the check of flow nesting that comes first."""
    loaded = Loaded(file, None)
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as error:
        # A control character: PyYAML refuses the text before parsing begins.
        before = text[: error.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        problem = f"the character #x{error.character:04x} is not allowed in YAML text"
        raise InputError(file, line, column, "(yaml)", problem) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(file, 1, 1, "(document)", "the file is empty")
        loaded.data = _Walker(loader, loaded).walk(node, ())
    except yaml.YAMLError as error:
        raise _yaml_error(file, error) from None
    except RecursionError:
        raise InputError(file, 1, 1, "(document)", "nested too deeply") from None
    finally:
        loader.dispose()
    return loaded


def load_yaml(path: Path) -> Loaded:
    """Read and parse a YAML file; a missing, unreadable, binary or oversized file is an
    :class:`InputError` too."""
    file = str(path)
    try:
        if path.is_dir():
            raise InputError(file, 1, 1, "(file)", "is a folder, not a file")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError(file, 1, 1, "(file)", f"cannot read: {error.strerror}") from None
    return parse_bytes(raw, file)


def parse_bytes(raw: bytes, file: str) -> Loaded:
    """Parse YAML given as bytes (a file's, or a request body's) under the same limits as a
    file: an oversized, binary or non-UTF-8 text is an :class:`InputError`."""
    if len(raw) > MAX_BYTES:
        raise InputError(file, 1, 1, "(file)", f"larger than {MAX_BYTES:,} bytes")
    if b"\x00" in raw:
        raise InputError(file, 1, 1, "(file)", "binary data, not a YAML text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(file, line, 1, "(file)", "not UTF-8 text") from None
    return parse_yaml(text, file)


_NOISE = {
    "str",
    "date",
    "datetime",
    "int",
    "float",
    "bool",
    "Treaty",
    "function-after",
    "function-before",
    "function-plain",
    "union",
}


def _message(error: dict[str, Any], model_fields: list[str]) -> str:
    kind = error["type"]
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if message.startswith("Assertion failed, "):
        message = message[len("Assertion failed, ") :]
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        hint = did_you_mean(name, model_fields)
        return f"unknown field {shown(name)}{hint} (known: {', '.join(model_fields)})"
    if kind == "missing":
        return "required field is missing"
    if kind in ("enum", "literal_error") and isinstance(error.get("input"), str):
        # An action kind or an interpretation mistyped (`do: notice`): name the closest.
        expected = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        hint = did_you_mean(error["input"], expected)
        if hint:
            return f"unknown value {shown(error['input'])}{hint} ({message})".replace(
                "Input should be", "must be"
            )
    return message.replace("Input should be", "must be")


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models a field's annotation can hold: itself, or inside a list, dict or union."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for argument in typing.get_args(annotation):
        found.extend(_models_in(argument))
    return found


def _fields_at(model: type[BaseModel], loc: Path_) -> list[str]:
    """The field names of the model that holds the field at ``loc``, for typo hints."""
    current = model
    for part in loc[:-1]:
        if not isinstance(part, str) or part not in current.model_fields:
            continue
        inner = _models_in(current.model_fields[part].annotation)
        if inner:
            current = inner[0]
    return [info.alias or name for name, info in current.model_fields.items()]


def validate(loaded: Loaded, model: type[BaseModel]) -> Any:
    """Validate the loaded data as ``model``; every problem located, one line each."""
    try:
        return model.model_validate(loaded.data)
    except ValidationError as error:
        by_path: dict[Path_, list[str]] = {}
        for item in error.errors():
            path, noise = _data_path(loaded.data, tuple(item["loc"]))
            if noise:
                continue
            message = _message(dict(item), _fields_at(model, path))
            if message not in by_path.setdefault(path, []):
                by_path[path].append(message)
        problems = [loaded.error(path, "; ".join(messages)) for path, messages in by_path.items()]
        if not problems:
            problems.append(loaded.error((), str(error.errors()[0]["msg"])))
        problems.sort(key=lambda problem: (problem.line, problem.column))
        raise InputErrors(problems) from None


def _has(data: Any, part: str | int) -> bool:
    """Whether ``part`` is a key of the mapping or an index of the list ``data``."""
    if isinstance(data, dict):
        return part in data
    return isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)


def _data_path(data: Any, loc: Path_) -> tuple[Path_, bool]:
    """Pydantic's ``loc`` as a path into the data: union branch labels are dropped, and an
    error from the branch that does not fit the value's kind is noise."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if _has(current, part):
            path.append(part)
            current = current[part]
        elif isinstance(part, str) and (part in _NOISE or part.startswith("function-")):
            if part == "str" and isinstance(current, (dict, list)):
                return tuple(path), True
            if part.endswith("Treaty]") and isinstance(current, str):
                return tuple(path), True
            if part in ("date", "datetime") and not isinstance(current, (date, datetime)):
                return tuple(path), True
        else:
            path.append(part)
            current = None
    return tuple(path), False


def load_scenario(path: Path) -> tuple[Scenario, Loaded]:
    """A scenario file, validated: :class:`InputErrors` lists every problem found."""
    loaded = load_yaml(path)
    return scenario_of(loaded), loaded


def scenario_of(loaded: Loaded) -> Scenario:
    """The scenario in parsed YAML (or in data given as it is), validated."""
    if not isinstance(loaded.data, dict):
        raise InputErrors([loaded.error((), "a scenario is a mapping (name:, treaty:, ...)")])
    scenario: Scenario = validate(loaded, Scenario)
    return scenario


def load_treaty(path: Path) -> tuple[Treaty, Loaded]:
    """A treaty file (a built-in, or a user's own), validated."""
    loaded = load_yaml(path)
    if not isinstance(loaded.data, dict):
        raise InputErrors([loaded.error((), "a treaty is a mapping (name:, parties:, ...)")])
    treaty: Treaty = validate(loaded, Treaty)
    return treaty, loaded
