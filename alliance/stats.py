"""Curator's overview of the record: where it is thin, and what is not yet linked or sourced online."""

from __future__ import annotations

from collections import Counter

from .record import Record, one_way_links


def _table(title: str, counts: dict, order=None) -> list[str]:
    keys = order if order is not None else sorted(counts)
    width = max([len(str(k)) for k in keys] + [4])
    return [title] + [f"  {str(k):<{width}}  {counts.get(k, 0):>4}" for k in keys] + [""]


def render_stats(record: Record) -> str:
    frame = record.frame
    topic_counts = Counter(t for topics in frame["topics"] for t in topics)
    decades = Counter(f"{year // 10 * 10}s" for year in frame["year"])
    kinds = Counter(frame["kind"].astype(str))
    importance = Counter(int(i) for i in frame["importance"])
    no_url = [e.id for e in record.events if not any(s.url for s in e.sources)]
    linked = {e.id for e in record.events if e.related} | {r for e in record.events for r in e.related}
    linked |= {step.event for n in record.narratives for step in n.steps}
    unlinked = [e.id for e in record.events if e.id not in linked]
    with_url = len(record.events) - len(no_url)
    one_way = one_way_links(list(record.events))
    series = story_chains(record)
    spans = int(frame["end"].notna().sum())
    lines = [f"{len(record.events)} events, {spans} spans, {len(record.narratives)} narratives (record {record.version})", ""]
    topic_ids = [t.id for t in record.vocab.topics]
    lines += _table("By issue area", {t: topic_counts.get(t, 0) for t in topic_ids}, topic_ids)
    lines += _table("By decade", decades)
    lines += _table("By kind", kinds, [k.id for k in record.vocab.kinds])
    lines += _table("By importance", importance, [1, 2, 3])
    lines += _table("By precision", Counter(frame["precision"].astype(str)), ["day", "month", "year"])
    share = f"{with_url / len(record.events):.0%}" if record.events else "-"
    lines += [f"Events with a URL source: {with_url} of {len(record.events)} ({share})", ""]
    lines += [f"One-way related links ({len(one_way)}):"] + [f"  {e.id} -> {t}" for e, t in one_way] + [""]
    lines += [f"Series (events joined by related links): {len(series)}, of which {sum(len(c) > 1 for c in series)} "
              "with two or more events; the largest:"]
    lines += [f"  {len(chain):>4}  {chain[0]} … {chain[-1]}" for chain in series[:10] if len(chain) > 1] + [""]
    lines += [f"Events with no URL among their sources ({len(no_url)}):"] + [f"  {i}" for i in no_url] + [""]
    lines += [f"Events no narrative or related link touches ({len(unlinked)}):"] + [f"  {i}" for i in unlinked]
    return "\n".join(lines)


def story_chains(record: Record) -> list[list[str]]:
    """The record's series: groups of events joined by `related` links, largest first, each in date order.

    A series is what a briefer follows from step to step (a treaty's life cycle, a crisis); counting
    them shows where a story is still told by one lonely event.
    """
    order = {event.id: position for position, event in enumerate(record.events)}  # events are in date order
    neighbours = {event.id: set(event.related) & order.keys() for event in record.events}
    for event in record.events:
        for target in neighbours[event.id]:
            neighbours[target].add(event.id)
    seen: set[str] = set()
    chains = []
    for event in record.events:
        if event.id in seen:
            continue
        chain, todo = [], [event.id]
        seen.add(event.id)
        while todo:
            current = todo.pop()
            chain.append(current)
            for other in neighbours[current] - seen:
                seen.add(other)
                todo.append(other)
        chains.append(sorted(chain, key=order.__getitem__))
    return sorted(chains, key=lambda chain: (-len(chain), order[chain[0]]))
