"""Read YAML files defensively, keeping the line of every value.

PyYAML's loaders lose line numbers, silently keep the last of two duplicate keys, expand aliases
(the "billion laughs" attack) and crash the interpreter on deeply nested input (libyaml's composer
recurses in C). So we read libyaml's *event* stream, which is iterative and fast, and build plain
Python values ourselves, stopping at the first alias, custom tag or excessive depth. Mappings and
lists come back as `LocatedMap` / `LocatedList`, which remember the line of each entry.

Same values as `yaml.safe_load` (tests/test_properties.py compares them on generated documents), so
the validator, the formatter (which checks its output with `yaml.safe_load`) and other YAML tools
read a file alike: `.inf`, `.nan`, `0x1F`, `010` (octal), `1:30` (base 60), `yes`/`off` are what
PyYAML makes of them. The differences are deliberate: timestamps stay text (see `_scalar`); a
document `safe_load` would read but this refuses with a problem: aliases and merge keys (`<<`),
duplicate keys, tags other than the core ones (`!!binary`, `!!set`, `!foo`), nesting deeper than
`MAX_DEPTH`, more than `MAX_ITEMS` entries; and a file with no document in it is a problem, not `None`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from .problems import Problem
from .safeio import NotRegularFile, read_regular

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:  # libyaml is about 6x faster; the pure-Python parser is the fallback.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 12
MAX_ITEMS = 10_000  # entries of one list or mapping: a list file's events, and a bound on the work a small file makes
MAX_BYTES = 20_000_000

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_ALLOWED_TAGS = _SCALAR_TAGS | {_YAML + "seq", _YAML + "map"}
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
        raise _Abort(event.start_mark.line + 1, "yaml", _misplaced(tag, "a single value"))
    try:
        return convert(value)
    except (ValueError, KeyError, IndexError):  # an explicit tag, `!!int abc`, `!!bool maybe`, `!!int +`; or `0b_`
        raise _Abort(event.start_mark.line + 1, "yaml", f"{value!r} cannot be read as {tag.removeprefix(_YAML)}") from None


def _int(value: str):
    """Decimal integers here (every one in the record); `0x1F`, `010` (octal), `1:30` (base 60) as PyYAML reads them."""
    if _INT.match(value):
        return int(value.replace("_", ""))
    return _PYYAML.construct_yaml_int(yaml.ScalarNode(_YAML + "int", value))


def _float(value: str):
    """`1.5` here; `.inf`, `-.Inf`, `.nan`, `1:30.5` and explicit `!!float 1` as PyYAML reads them."""
    if _FLOAT.match(value):
        return float(value.replace("_", ""))
    return _PYYAML.construct_yaml_float(yaml.ScalarNode(_YAML + "float", value))


_PYYAML = yaml.constructor.SafeConstructor()  # its scalar constructors only: they keep no state
_STR = _YAML + "str"
_CONVERT = {tag: (lambda value: value) for tag in _SCALAR_TAGS}  # str, and timestamp (kept as text)
_CONVERT.update({_YAML + "null": lambda value: None, _YAML + "bool": lambda value: _PYYAML.bool_values[value.lower()],
                 _YAML + "int": _int, _YAML + "float": _float})
_COLLECTION_TAGS = {_YAML + "map": True, _YAML + "seq": False}  # tag -> is for a mapping


def _misplaced(tag: str, where: str) -> str:
    """Why a tag is refused where it stands (PyYAML refuses `!!str {a: 1}` and `!!map x` too)."""
    return f"tag {tag!r} does not fit {where}" if tag in _ALLOWED_TAGS else f"custom tag {tag!r} is not allowed"
# PyYAML's implicit resolvers, by first character ('' for the empty string), wildcard ones appended.
_WILDCARD = tuple(_Loader.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT = {first: tuple(resolvers) + _WILDCARD
             for first, resolvers in _Loader.yaml_implicit_resolvers.items() if first is not None}


def _compose(loader, path: str) -> list:
    """Build the documents of one stream from its events (iteratively, with a depth limit).

    One flat loop with the innermost open container in local variables (`top_map` when it is a
    mapping, `top_list` when it is a list, both None at document level; the pending map `key`) and
    the enclosing ones saved on `outer`: this is the hot path of loading the record, so it avoids
    per-event function calls and isinstance chains (the two typed variables are what a flag would
    be, and let the checker know which container each branch has).
    """
    documents: list = []
    outer: list[tuple[LocatedMap | None, LocatedList | None, object]] = []  # (map, list, pending key) of each enclosing one
    top_map: LocatedMap | None = None
    top_list: LocatedList | None = None
    node: LocatedMap | LocatedList
    key: object = _NO_KEY  # a map's key whose value is still to come
    get_event = loader.get_event
    event = get_event()
    while event is not None:
        kind = type(event)
        if kind is _SCALAR:
            value = event.value
            if event.tag is not None or (event.implicit[0] and (value[:1] in _IMPLICIT or _WILDCARD)):
                value = _scalar(event)  # else: quoted, or plain text no resolver can claim
            if top_map is not None:
                if key is _NO_KEY:
                    lines = top_map.lines
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
                    top_map[key] = value
                    key = _NO_KEY
            elif top_list is not None:
                if len(top_list) >= MAX_ITEMS:
                    raise _Abort(event.start_mark.line + 1, "yaml", _too_many(outer))
                top_list.append(value)
                top_list.lines.append(event.start_mark.line + 1)
            else:
                documents[-1] = value
        elif kind is _MAP_START or kind is _SEQ_START:
            line = event.start_mark.line + 1
            if event.tag not in (None, "!") and _COLLECTION_TAGS.get(event.tag) is not (kind is _MAP_START):
                raise _Abort(line, "yaml", _misplaced(event.tag, "a mapping" if kind is _MAP_START else "a list"))
            if len(outer) >= MAX_DEPTH:
                raise _Abort(line, "yaml", f"nesting deeper than {MAX_DEPTH} levels")
            if kind is _MAP_START:
                node = LocatedMap()
                node.lines = {}
            else:
                node = LocatedList()
                node.lines = []
            node.line = line
            if top_map is not None:
                if key is _NO_KEY:
                    raise _Abort(line, "yaml", "a mapping key must be a plain value")
                top_map[key] = node
                key = _NO_KEY
            elif top_list is not None:
                if len(top_list) >= MAX_ITEMS:
                    raise _Abort(line, "yaml", _too_many(outer))
                top_list.append(node)
                top_list.lines.append(line)
            else:
                documents[-1] = node
            outer.append((top_map, top_list, key))
            key = _NO_KEY
            if isinstance(node, LocatedMap):
                top_map, top_list = node, None
            else:
                top_map, top_list = None, node
        elif kind is _MAP_END or kind is _SEQ_END:
            top_map, top_list, key = outer.pop()
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
