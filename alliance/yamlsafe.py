"""Read YAML files defensively, keeping the line of every value.

PyYAML's loaders lose line numbers, silently keep the last of two duplicate keys, expand aliases
(the "billion laughs" attack) and crash the interpreter on deeply nested input (libyaml's composer
recurses in C). So we read libyaml's *event* stream, which is iterative and fast, and build plain
Python values ourselves, stopping at the first alias, custom tag or excessive depth. Mappings and
lists come back as `LocatedMap` / `LocatedList`, which remember the line of each entry.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from .problems import Problem
from .safeio import NotRegularFile, read_regular

try:  # libyaml is about 6x faster; the pure-Python parser is the fallback.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 12
MAX_ITEMS = 10_000  # entries of one list or mapping: a list file's events, and a bound on the work a small file makes
MAX_BYTES = 20_000_000

_YAML = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$")


class LocatedMap(dict):
    """A dict that knows the line (1-based) of itself and of each key."""

    __slots__ = ("line", "lines")
    line: int
    lines: dict

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class LocatedList(list):
    """A list that knows the line (1-based) of itself and of each item."""

    __slots__ = ("line", "lines")
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
    validation error instead of a constructor crash. Plain scalars are resolved with PyYAML's own
    implicit-resolver table (what `Loader.resolve` does, without its per-call overhead).
    """
    value, tag = event.value, event.tag
    if tag is None or tag == "!":
        if not event.implicit[0]:  # quoted: always a string
            return value
        tag = _STR
        for candidate, pattern in _IMPLICIT.get(value[:1], _WILDCARD):
            if pattern.match(value):
                tag = candidate
                break
        else:
            return value  # the common case: plain text
    convert = _CONVERT.get(tag)
    if convert is None:
        raise _Abort(event.start_mark.line + 1, "yaml", f"custom tag {tag!r} is not allowed")
    return convert(value)


def _int(value: str):
    return int(value.replace("_", "")) if _INT.match(value) else value


def _float(value: str):
    return float(value.replace("_", "")) if _FLOAT.match(value) else value


_STR = _YAML + "str"
_CONVERT = {tag: (lambda value: value) for tag in _ALLOWED_TAGS}
_CONVERT.update({_YAML + "null": lambda value: None, _YAML + "bool": lambda value: value.lower() in ("true", "yes", "on"),
                 _YAML + "int": _int, _YAML + "float": _float})
# PyYAML's implicit resolvers, by first character ('' for the empty string), wildcard ones appended.
_WILDCARD = tuple(_Loader.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT = {first: tuple(resolvers) + _WILDCARD
             for first, resolvers in _Loader.yaml_implicit_resolvers.items() if first is not None}


def _compose(loader, path: str) -> list:
    """Build the documents of one stream from its events (iteratively, with a depth limit).

    One flat loop with the innermost open container in local variables (`top`, `top_is_map`, the
    pending map `key`) and the enclosing ones saved on `outer`: this is the hot path of loading the
    record, so it avoids per-event function calls and isinstance chains.
    """
    documents: list = []
    outer: list = []  # (container, is_map, pending key) of each enclosing open container
    top = None  # the innermost open container; None at document level
    top_is_map = False
    key = _NO_KEY  # a map's key whose value is still to come
    get_event = loader.get_event
    event = get_event()
    while event is not None:
        kind = type(event)
        if kind is _SCALAR:
            value = event.value
            if event.tag is not None or (event.implicit[0] and (value[:1] in _IMPLICIT or _WILDCARD)):
                value = _scalar(event)  # else: quoted, or plain text no resolver can claim
            if top_is_map:
                if key is _NO_KEY:
                    lines = top.lines
                    if value in lines:
                        raise _Abort(
                            event.start_mark.line + 1, str(value),
                            f"duplicate key (first at line {lines[value]}); YAML would silently keep only the last value",
                        )
                    if type(value) is str:
                        value = _intern(value)  # keys repeat in every event: one object each, pickled once
                    key = value
                    if len(lines) >= MAX_ITEMS:
                        raise _Abort(event.start_mark.line + 1, "yaml", _too_many(outer, True))
                    lines[value] = event.start_mark.line + 1
                else:
                    top[key] = value
                    key = _NO_KEY
            elif top is not None:
                if len(top) >= MAX_ITEMS:
                    raise _Abort(event.start_mark.line + 1, "yaml", _too_many(outer))
                top.append(value)
                top.lines.append(event.start_mark.line + 1)
            else:
                documents[-1] = value
        elif kind is _MAP_START or kind is _SEQ_START:
            line = event.start_mark.line + 1
            if event.tag not in (None, "!") and event.tag not in _ALLOWED_TAGS:
                raise _Abort(line, "yaml", f"custom tag {event.tag!r} is not allowed")
            if len(outer) >= MAX_DEPTH:
                raise _Abort(line, "yaml", f"nesting deeper than {MAX_DEPTH} levels")
            if kind is _MAP_START:
                node = LocatedMap()
                node.lines = {}
            else:
                node = LocatedList()
                node.lines = []
            node.line = line
            if top_is_map:
                if key is _NO_KEY:
                    raise _Abort(line, "yaml", "a mapping key must be a plain value")
                top[key] = node
                key = _NO_KEY
            elif top is not None:
                if len(top) >= MAX_ITEMS:
                    raise _Abort(line, "yaml", _too_many(outer))
                top.append(node)
                top.lines.append(line)
            else:
                documents[-1] = node
            outer.append((top, top_is_map, key))
            top, top_is_map, key = node, kind is _MAP_START, _NO_KEY
        elif kind is _MAP_END or kind is _SEQ_END:
            top, top_is_map, key = outer.pop()
        elif kind is _ALIAS:
            raise _Abort(event.start_mark.line + 1, "yaml", "anchors and aliases (&name / *name) are not allowed in the record")
        elif kind is _DOCUMENT_START:
            documents.append(_EMPTY)
        event = get_event()
    return [None if doc is _EMPTY else doc for doc in documents]


def _too_many(outer: list, is_map: bool = False) -> str:
    if len(outer) == 1 and not is_map:
        return (f"more than {MAX_ITEMS:,} entries at the top of the file "
                f"(a list file holds at most {MAX_ITEMS:,} events: split it)")
    return f"more than {MAX_ITEMS:,} entries in one list or mapping"


_intern = sys.intern
_NO_KEY = object()
_EMPTY = object()
_SCALAR, _ALIAS, _DOCUMENT_START = yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentStartEvent
_MAP_START, _MAP_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQ_START, _SEQ_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent


def read_yaml(path: Path, display: str | None = None) -> tuple[list, list[Problem]]:
    """Read every document in a YAML file. Returns (documents, problems); never raises on bad input."""
    shown = display or str(path)
    try:
        raw = read_regular(path, MAX_BYTES)
    except OSError as exc:
        return [], [unreadable(shown, exc)]
    return parse_yaml_bytes(raw, shown)


def unreadable(shown: str, error: OSError) -> Problem:
    """The problem for a file that could not be read (or, being a FIFO, device or outside link, was not)."""
    verb = "not read" if isinstance(error, NotRegularFile) else "cannot read"
    return Problem(shown, 1, "file", f"{verb}: {error.strerror or error}")


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
