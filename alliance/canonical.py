"""One canonical text for every event file, so diffs show changes of substance, never of style.

Keys in dictionary order (`EVENT_FIELDS`), short lists in flow style, summaries folded at 96
columns, dates unquoted. Every rendering is parsed back and compared with the original value: if
the pretty form would change a single character, the value is written in a quoted form instead,
so formatting can never alter the record.

Curators' comments are kept (`render_keeping_comments`): each stays above, or at the end of the
line of, the field it was written with. A file whose comment has no such place is left alone and
named, never stripped of it. Files are replaced atomically, and symbolic links are not followed.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import os
import textwrap
from dataclasses import dataclass
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


def _render_mapping(mapping: dict, order, indent: str, first_prefix: str, out: list[str], anchors: dict) -> None:
    """Append the lines of one mapping to `out`; `anchors` gets source line -> index in `out` of the
    first line of each key read from that line (a `LocatedMap` knows them), for placing comments."""
    lines = getattr(mapping, "lines", {})
    for position, key in enumerate(_ordered(mapping, order)):
        value = mapping[key]
        lead = first_prefix if position == 0 else indent
        if key in lines:
            anchors.setdefault(lines[key], len(out))
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
                _render_mapping(source, tuple(SOURCE_SPEC), indent + "    ", indent + "  - ", out, anchors)
        elif isinstance(value, (dict, list)):
            dumped = yaml.safe_dump({key: value}, default_flow_style=False, sort_keys=False, allow_unicode=True, width=WIDTH)
            out.extend(f"{lead if i == 0 else indent}{line}" for i, line in enumerate(dumped.rstrip().splitlines()))
        else:
            out.append(f"{lead}{key}: {_scalar(value) if value is not None else ''}".rstrip())


def _render_lines(document) -> tuple[list[str], dict]:
    out: list[str] = []
    anchors: dict = {}
    for item in document if isinstance(document, list) else [document]:
        if isinstance(document, list):
            _render_mapping(item, EVENT_FIELDS, "  ", "- ", out, anchors)
        else:
            _render_mapping(item, EVENT_FIELDS, "", "", out, anchors)
    return out, anchors


def render(document) -> str:
    """Canonical text for one event file's document (a mapping, or a list of them)."""
    return "\n".join(_render_lines(document)[0]) + "\n"


@dataclass(frozen=True)
class Comment:
    line: int  # 1-based
    text: str  # from the `#`, trailing spaces dropped
    own_line: bool  # a full-line comment (else it trails a value)


def comments(text: str) -> list[Comment]:
    """Every comment in a YAML text, found as the `#` outside every scalar (YAML's own tokens say where
    scalars are, so a `#` in a quoted title, a URL fragment or a folded summary is never one)."""
    spans = []
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.ScalarToken):
            start, end = token.start_mark.index, token.end_mark.index
            if token.style in (">", "|"):  # a comment may follow the block's indicators on its first line
                header_end = text.find("\n", start, end)
                header_end = end if header_end < 0 else header_end
                hash_at = text.find("#", start, header_end)
                spans.append((start, hash_at if hash_at > 0 else header_end))
                spans.append((header_end, end))
            else:
                spans.append((start, end))
    found, line_starts = [], [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    position = 0
    for start, end in [*spans, (len(text), len(text))]:
        found.extend(_comments_between(text, position, start, line_starts))
        position = max(position, end)
    return found


def _comments_between(text: str, start: int, end: int, line_starts: list[int]):
    index = text.find("#", start, end)
    while index >= 0:
        if index == 0 or text[index - 1] in " \t\n":
            line = bisect.bisect_right(line_starts, index)
            stop = text.find("\n", index)
            stop = len(text) if stop < 0 else stop
            yield Comment(line, text[index:stop].rstrip(), not text[line_starts[line - 1]:index].strip())
            index = stop
        index = text.find("#", index + 1, end)


def render_keeping_comments(document, text: str) -> str | None:
    """The canonical text with the curators' comments of `text` kept; None if one cannot be kept.

    A full-line comment stays above the field that follows it (and moves with that field when the
    fields are put in order); one above the first field and set off by a blank line stays at the
    top; one after the last field stays at the end; a trailing comment stays on its field's line.
    A trailing comment on a line that holds no field (a list item written in block style, a value
    continued on the next line) has no canonical place: then the file is left as it is.
    """
    found = comments(text)
    out, anchors = _render_lines(document)
    if not found:
        return "\n".join(out) + "\n"
    if not anchors:
        return None
    before: dict[int, list[str]] = {}
    trailing: dict[int, str] = {}
    header, footer = [], []
    anchor_lines = sorted(anchors)
    first = anchor_lines[0]
    source = text.splitlines()
    for comment in found:
        if not comment.own_line:
            if comment.line not in anchors:
                return None
            trailing[anchors[comment.line]] = comment.text
            continue
        following = anchor_lines[bisect.bisect_right(anchor_lines, comment.line):]
        if not following:
            footer.append(comment.text)
        elif following[0] == first and any(not ln.strip() for ln in source[comment.line:first - 1]):
            header.append(comment.text)
        else:
            before.setdefault(anchors[following[0]], []).append(comment.text)
    lines = [*header, *([""] if header else [])]
    for index, line in enumerate(out):
        indent = " " * (len(line) - len(line.lstrip(" ")))
        lines.extend(indent + comment for comment in before.get(index, ()))
        lines.append(f"{line}  {trailing[index]}" if index in trailing else line)
    lines.extend(footer)
    result = "\n".join(lines) + "\n"
    kept = sorted((c.text, c.own_line) for c in comments(result))
    return result if kept == sorted((c.text, c.own_line) for c in found) else None


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
        after = render_keeping_comments(documents[0], before)
        if after is None:
            skipped.append(f"{shown}: not formatted: a comment in it has no place in the canonical form "
                           "(put it on a line of its own above a field)")
            continue
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
