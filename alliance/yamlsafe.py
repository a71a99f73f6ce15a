"""Read YAML files defensively, keeping the line of every value.

PyYAML's loaders lose line numbers, silently keep the last of two duplicate keys, expand aliases
(the "billion laughs" attack) and crash the interpreter on deeply nested input (libyaml's composer
recurses in C). So we read libyaml's *event* stream, which is iterative and fast, and build plain
Python values ourselves, stopping at the first alias, custom tag or excessive depth. Mappings and
lists come back as `LocatedMap` / `LocatedList`, which remember the line of each entry.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .problems import Problem

try:  # libyaml is about 6x faster; the pure-Python parser is the fallback.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 12
MAX_BYTES = 20_000_000

_YAML = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$")


class LocatedMap(dict):
    """A dict that knows the line (1-based) of itself and of each key."""

    line: int
    lines: dict

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class LocatedList(list):
    """A list that knows the line (1-based) of itself and of each item."""

    line: int
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class _Abort(Exception):
    def __init__(self, line: int, field: str, message: str):
        self.line, self.field, self.message = line, field, message


def _scalar(event) -> object:
    """Turn a scalar event into a Python value.

    Timestamps stay strings: the schema checks dates itself, so `2021-02-30` becomes a clear
    validation error instead of a constructor crash.
    """
    value, tag = event.value, event.tag
    if tag is None or tag == "!":
        if not event.implicit[0]:  # quoted: always a string
            return value
        tag = _Loader.resolve(_Loader, yaml.ScalarNode, value, (True, False))
    if tag not in _ALLOWED_TAGS:
        raise _Abort(event.start_mark.line + 1, "yaml", f"custom tag {tag!r} is not allowed")
    kind = tag[len(_YAML):]
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() in ("true", "yes", "on")
    if kind == "int" and _INT.match(value):
        return int(value.replace("_", ""))
    if kind == "float" and _FLOAT.match(value):
        return float(value.replace("_", ""))
    return value


def _compose(loader, path: str) -> list:
    """Build the documents of one stream from its events (iteratively, with a depth limit)."""
    documents: list = []
    stack: list = []  # containers being filled; a map holds its pending key in `_key`
    while loader.check_event():
        event = loader.get_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise _Abort(line, "yaml", "anchors and aliases (&name / *name) are not allowed in the record")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if event.tag not in (None, "!") and event.tag not in _ALLOWED_TAGS:
                raise _Abort(line, "yaml", f"custom tag {event.tag!r} is not allowed")
            if len(stack) >= MAX_DEPTH:
                raise _Abort(line, "yaml", f"nesting deeper than {MAX_DEPTH} levels")
            node = LocatedMap() if isinstance(event, yaml.MappingStartEvent) else LocatedList()
            node.line = line
            node.lines = {} if isinstance(node, LocatedMap) else []
            node._key = _NO_KEY
            _attach(stack, node, line, documents)
            stack.append(node)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            del stack.pop()._key
        elif isinstance(event, yaml.ScalarEvent):
            _attach(stack, _scalar(event), line, documents)
        elif isinstance(event, yaml.DocumentStartEvent):
            documents.append(_EMPTY)
    return [None if doc is _EMPTY else doc for doc in documents]


_NO_KEY = object()
_EMPTY = object()


def _attach(stack: list, value, line: int, documents: list) -> None:
    """Put a finished value into its parent: the document list, a list, or a map (key or value)."""
    if not stack:
        documents[-1] = value
        return
    parent = stack[-1]
    if isinstance(parent, LocatedList):
        parent.append(value)
        parent.lines.append(line)
    elif parent._key is _NO_KEY:
        if isinstance(value, (dict, list)):
            raise _Abort(line, "yaml", "a mapping key must be a plain value")
        if value in parent:
            raise _Abort(
                line, str(value),
                f"duplicate key (first at line {parent.lines[value]}); YAML would silently keep only the last value",
            )
        parent._key = value
        parent.lines[value] = line
    else:
        parent[parent._key] = value
        parent._key = _NO_KEY


def read_yaml(path: Path, display: str | None = None) -> tuple[list, list[Problem]]:
    """Read every document in a YAML file. Returns (documents, problems); never raises on bad input."""
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [Problem(shown, 1, "file", f"cannot read: {exc.strerror or exc}")]
    return parse_yaml_bytes(raw, shown)


def parse_yaml_bytes(raw: bytes, shown: str) -> tuple[list, list[Problem]]:
    """Parse YAML bytes from a file named `shown` (used in messages)."""
    if len(raw) > MAX_BYTES:
        return [], [Problem(shown, 1, "file", f"larger than {MAX_BYTES // 1_000_000} MB")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [], [Problem(shown, line, "encoding", f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return [], [Problem(shown, 1, "file", "empty file: no event in it")]
    if "\x00" in text:
        return [], [Problem(shown, text[: text.index("\x00")].count("\n") + 1, "encoding", "contains a NUL character")]
    loader = _Loader(text)
    try:
        return _compose(loader, shown), []
    except _Abort as abort:
        return [], [Problem(shown, abort.line, abort.field, abort.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(filter(None, [exc.context, exc.problem]))
        return [], [Problem(shown, line, "yaml", f"syntax error at column {col}: {what}")]
    except yaml.YAMLError as exc:
        return [], [Problem(shown, 1, "yaml", f"cannot parse: {exc}")]
    finally:
        loader.dispose()
