"""What the benchmarks share: the filter mix they replay (what staff do to the dashboard, as URL query
strings), the render callback request, percentiles, and a free loopback port."""

from __future__ import annotations

import random
import socket

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


def render_callback(dependencies: list[dict]) -> dict:
    """The dashboard's render callback (the one fed by the URL), from the app's /_dash-dependencies."""
    spec = next(d for d in dependencies if [i["id"] for i in d["inputs"]] == ["url", "matrix-country"])
    outputs = [dict(zip(("id", "property"), part.split(".", 1), strict=True)) for part in spec["output"].strip(".").split("...")]
    return {"output": spec["output"], "outputs": outputs}


def render_request(callback: dict, search: str) -> dict:
    """The body a browser posts to render `search` when nothing is drawn yet: every figure is built."""
    return dict(callback, changedPropIds=["url.search"],
                inputs=[{"id": "url", "property": "search", "value": search},
                        {"id": "matrix-country", "property": "value", "value": "US"}],
                state=[{"id": "drawn", "property": "data", "value": None}])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
