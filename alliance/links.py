"""Make `related` links go both ways: the curator writes a link once, this adds the link back.

The validator insists that links are symmetric (`record.one_way_links`). Writing every back-link by
hand is tedious and error-prone when a series of twenty steps lands, so `alliance links --fix` adds
the missing ids to the target files' `related:` line. It edits the line as text, so comments and
layout elsewhere in the file are kept, and it writes each file whole or not at all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from .record import one_way_links, read_events, shown_path
from .safeio import write_atomic

_RELATED = re.compile(r"^related:[ \t]*\[(?P<items>[^\]#\n]*)\][ \t]*(?P<comment>#[^\n]*)?$", re.MULTILINE)


def add_back_links(root: Path) -> tuple[list[str], list[str]]:
    """Add every missing back-link. Returns (files changed, files that need a hand edit), each as
    `shown_path` shows it (from the working directory)."""
    events = read_events(root)
    wanted: dict[str, list[str]] = defaultdict(list)
    by_id = {event.id: event for event in events}
    for event, target in one_way_links(events):
        if event.id not in wanted[target]:
            wanted[target].append(event.id)
    changed, by_hand = [], []
    for target, missing in sorted(wanted.items()):
        event = by_id[target]
        path = Path(root) / event.path  # an event's path is relative to the record folder
        text = path.read_text(encoding="utf-8")
        updated = None if text.lstrip().startswith("-") else _with_links(text, missing)  # a list file: by hand
        if updated is None:
            by_hand.append(shown_path(path))
            continue
        write_atomic(path, updated.encode("utf-8"))
        changed.append(shown_path(path))
    return changed, by_hand


def _with_links(text: str, missing: list[str]) -> str | None:
    """The file's text with `missing` appended to its one-line `related:` list (or a new one)."""
    matches = list(_RELATED.finditer(text))
    if len(matches) > 1:
        return None
    if not matches:
        if re.search(r"^related:", text, re.MULTILINE):
            return None  # a block-style list: leave it to the curator
        return text.rstrip("\n") + f"\nrelated: [{', '.join(missing)}]\n"
    match = matches[0]
    items = [item.strip() for item in match["items"].split(",") if item.strip()]
    line = f"related: [{', '.join(items + missing)}]" + (f"  {match['comment']}" if match["comment"] else "")
    return text[: match.start()] + line + text[match.end():]
