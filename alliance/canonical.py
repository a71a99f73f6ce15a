"""One canonical text for every event file, so diffs show changes of substance, never of style.

Keys in dictionary order (`EVENT_FIELDS`), short lists in flow style, summaries folded at 96
columns, dates unquoted. Every rendering is parsed back and compared with the original value: if
the pretty form would change a single character, the value is written in a quoted form instead,
so formatting can never alter the record.
"""

from __future__ import annotations

import difflib
import functools
import os
import textwrap
from pathlib import Path

import yaml

from .record import event_files, shown_path
from .safeio import read_regular, write_atomic
from .schema import EVENT_FIELDS, SOURCE_SPEC
from .yamlsafe import MAX_BYTES, parse_yaml_bytes

WIDTH = 96
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the checks below parse every value again


def _load(text: str):
    """`yaml.safe_load`, through libyaml when PyYAML has it (same results, several times faster)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader

_FLOW_LISTS = {"topics", "actors", "related"}
_DATES = {"date", "end_date"}


def _scalar(value) -> str:
    """The shortest safe YAML form of one scalar: plain when YAML reads it back unchanged."""
    if isinstance(value, str) and _reads_back_plain(value):
        return value
    return _dump_inline(value)


@functools.lru_cache(maxsize=4096)  # kinds, topics, actors and publishers recur in every event
def _reads_back_plain(value: str) -> bool:
    if not value or value != value.strip() or "\n" in value or ": " in value or " #" in value:
        return False
    if value[0] in "'\"[]{}&*!|>%@`#-?:,":
        return False
    try:
        return _load(value + "\n") == value
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
    if lines and _load(candidate) == {"x": value}:
        return [">-", *block]
    return [_scalar(value)]


def _flow(items: list) -> str:
    text = "[" + ", ".join(_scalar(item) for item in items) + "]"
    return text if _load("x: " + text) == {"x": list(items)} else _dump_inline(list(items))


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
    """Format every event file. Returns (changed files, files not formatted, each with the reason).

    With `check`, nothing is written and each changed file's diff is returned instead of its name.
    Files that do not parse are left alone (the validator reports them), and so are symbolic links
    and read-only files. Every file is replaced atomically (`safeio.write_atomic`): a failed or
    killed write leaves the file as it was, and is reported here, never raised.
    """
    changed, skipped = [], []
    root = Path(root)
    for path in event_files(root):
        shown = shown_path(path)
        if path.is_symlink():
            skipped.append(f"{shown}: not formatted: a symbolic link (format the file it points to)")
            continue
        try:
            before_bytes = read_regular(path, MAX_BYTES)
        except OSError as error:
            skipped.append(f"{shown}: not formatted: cannot read it ({error.strerror or error})")
            continue
        documents, problems = parse_yaml_bytes(before_bytes, shown)
        if problems or len(documents) != 1:
            skipped.append(f"{shown}: not formatted: it does not parse (run `python -m alliance validate`)")
            continue
        before = before_bytes.decode("utf-8")
        after = render(documents[0])
        if _load(after) != _load(before):  # never change the data, only its form
            skipped.append(f"{shown}: not formatted: its canonical form would change its data")
            continue
        if after == before:
            continue
        if check:
            diff = difflib.unified_diff(before.splitlines(True), after.splitlines(True), shown, shown + " (canonical)")
            changed.append("".join(diff))
            continue
        reason = _not_writable(path)
        if reason is None:
            try:
                write_atomic(path, after.encode("utf-8"))
            except OSError as error:
                reason = f"cannot write it ({error.strerror or error}); the file is unchanged"
        if reason:
            skipped.append(f"{shown}: not formatted: {reason}")
        else:
            changed.append(shown)
    return changed, skipped


def _not_writable(path: Path) -> str | None:
    """Why `path` must not be rewritten, if it must not: read-only (even for root), or not ours to write."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"cannot read it ({error.strerror or error})"
    if not mode & 0o222 or not os.access(path, os.W_OK):
        return "the file is read-only"
    return None
