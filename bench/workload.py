"""The filter mix the benchmarks replay: what staff do to the dashboard, as URL query strings."""

from __future__ import annotations

import random

TOPICS = ["security", "north-korea", "alliance-politics", "trade", "china-region", "health-global", "technology", "people"]


def random_search(rng: random.Random) -> str:
    """One dashboard view: some issue areas, maybe a window, a search word, dim mode."""
    parts = []
    if rng.random() < 0.6:
        parts.append("topics=" + ",".join(rng.sample(TOPICS, rng.randint(1, 3))))
    if rng.random() < 0.4:
        start = rng.randint(1950, 2015)
        parts.append(f"from={start}&to={start + rng.randint(5, 30)}")
    if rng.random() < 0.2:
        parts.append("q=" + rng.choice(["korus", "nuclear", "summit", "treaty", "trade"]))
    if rng.random() < 0.2:
        parts.append("mode=dim")
    return "?" + "&".join(parts) if parts else ""


def percentile(values: list[float], p: float) -> float:
    """The value at index int(p·(n-1)) of the sorted values: the rule every benchmark here reports."""
    values = sorted(values)
    return values[min(len(values) - 1, int(p * (len(values) - 1)))]
