"""One canonical text for every event file, so diffs show changes of substance, never of style.

Keys in dictionary order (`EVENT_FIELDS`), short lists in flow style, summaries folded at 96
columns, dates unquoted. Every rendering is parsed back and compared with the original value: if
the pretty form would change a single character, the value is written in a quoted form instead,
so formatting can never alter the record.
"""

from __future__ import annotations

import difflib
import textwrap
from pathlib import Path

import yaml

from .record import event_files, shown_path
from .schema import EVENT_FIELDS, SOURCE_SPEC
from .yamlsafe import read_yaml

WIDTH = 96
_FLOW_LISTS = {"topics", "actors", "related"}
_DATES = {"date", "end_date"}


def _scalar(value) -> str:
    """The shortest safe YAML form of one scalar: plain when YAML reads it back unchanged."""
    if isinstance(value, str) and _reads_back_plain(value):
        return value
    return _dump_inline(value)


def _reads_back_plain(value: str) -> bool:
    if not value or value != value.strip() or "\n" in value or ": " in value or " #" in value:
        return False
    if value[0] in "'\"[]{}&*!|>%@`#-?:,":
        return False
    try:
        return yaml.safe_load(value + "\n") == value
    except yaml.YAMLError:
        return False


def _dump_inline(value) -> str:
    text = yaml.safe_dump(value, width=10**6, allow_unicode=True, default_flow_style=True).strip()
    return text.removesuffix("...").strip()


def _date(value) -> str:
    return str(value)  # dates are read as their raw text (YYYY, YYYY-MM, YYYY-MM-DD)


def _folded(value: str, indent: str) -> list[str]:
    lines = textwrap.wrap(value, width=WIDTH - len(indent), break_long_words=False, break_on_hyphens=False)
    block = [f"{indent}{line}" for line in lines]
    candidate = "x: >-\n" + "\n".join(block) + "\n"
    if lines and yaml.safe_load(candidate) == {"x": value}:
        return [">-", *block]
    return [_scalar(value)]


def _flow(items: list) -> str:
    text = "[" + ", ".join(_scalar(item) for item in items) + "]"
    return text if yaml.safe_load("x: " + text) == {"x": list(items)} else _dump_inline(list(items))


def _ordered(mapping: dict, order) -> list:
    known = [key for key in order if key in mapping]
    return known + [key for key in mapping if key not in order]


def _render_mapping(mapping: dict, order, indent: str, first_prefix: str) -> list[str]:
    out = []
    for position, key in enumerate(_ordered(mapping, order)):
        value = mapping[key]
        lead = first_prefix if position == 0 else indent
        if key in _DATES or (key == "date" and order is not EVENT_FIELDS):
            out.append(f"{lead}{key}: {_date(value)}")
        elif key == "summary" and isinstance(value, str):
            head, *rest = _folded(value, indent + "  ")
            out.append(f"{lead}{key}: {head}")
            out.extend(rest)
        elif key in _FLOW_LISTS and isinstance(value, list):
            out.append(f"{lead}{key}: {_flow(value)}")
        elif key == "sources" and isinstance(value, list) and all(isinstance(s, dict) for s in value):
            out.append(f"{lead}{key}:")
            for source in value:
                out.extend(_render_mapping(source, tuple(SOURCE_SPEC), indent + "    ", indent + "  - "))
        elif isinstance(value, (dict, list)):
            dumped = yaml.safe_dump({key: value}, default_flow_style=False, sort_keys=False, allow_unicode=True, width=WIDTH)
            out.extend(f"{lead if i == 0 else indent}{line}" for i, line in enumerate(dumped.rstrip().splitlines()))
        else:
            out.append(f"{lead}{key}: {_scalar(value) if value is not None else ''}".rstrip())
    return out


def render(document) -> str:
    """Canonical text for one event file's document (a mapping, or a list of them)."""
    if isinstance(document, list):
        lines = []
        for item in document:
            lines.extend(_render_mapping(item, EVENT_FIELDS, "  ", "- "))
        return "\n".join(lines) + "\n"
    return "\n".join(_render_mapping(document, EVENT_FIELDS, "", "")) + "\n"


def format_record(root: Path, *, check: bool) -> tuple[list[str], list[str]]:
    """Format every event file. Returns (changed files, unreadable files).

    With `check`, nothing is written and each changed file's diff is returned instead of its name.
    Files that do not parse are left alone: the validator reports them.
    """
    changed, skipped = [], []
    for path in event_files(Path(root)):
        documents, problems = read_yaml(path)
        if problems or len(documents) != 1:
            skipped.append(shown_path(path))
            continue
        before = path.read_text(encoding="utf-8")
        after = render(documents[0])
        if yaml.safe_load(after) != yaml.safe_load(before):  # never change the data, only its form
            skipped.append(shown_path(path))
            continue
        if after == before:
            continue
        if check:
            diff = difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                        shown_path(path), shown_path(path) + " (canonical)")
            changed.append("".join(diff))
        else:
            path.write_text(after, encoding="utf-8")
            changed.append(shown_path(path))
    return changed, skipped
