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


def render_callbacks(dependencies: list[dict]) -> list[dict]:
    """The callbacks a URL change runs, in order (timeline, then the views below it), from the app's
    /_dash-dependencies: each with its output spec and the inputs and state a browser sends."""
    drawing = [d for d in dependencies if any(i["id"] == "url" for i in d["inputs"]) and "url.search" not in d["output"]]
    drawing.sort(key=lambda d: "timeline.figure" not in d["output"])
    return [{"output": d["output"], "inputs": d["inputs"], "state": d["state"],
             "outputs": [dict(zip(("id", "property"), part.split(".", 1), strict=True))
                         for part in d["output"].strip(".").split("...")]} for d in drawing]


def render_requests(callbacks: list[dict], search: str) -> list[dict]:
    """The bodies a browser posts to draw `search` when nothing is drawn yet: every figure is built."""
    values = {("url", "search"): search, ("matrix-country", "value"): "US"}

    def sent(items: list[dict]) -> list[dict]:
        return [{"id": i["id"], "property": i["property"], "value": values.get((i["id"], i["property"]))} for i in items]

    return [{"output": c["output"], "outputs": c["outputs"], "changedPropIds": ["url.search"],
             "inputs": sent(c["inputs"]), "state": sent(c["state"])} for c in callbacks]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def print_figures(figures: dict, *, name_width: int = 24, value_width: int = 10) -> None:
    """A benchmark's figures as an aligned table, then as one JSON line for BENCHMARKS.md and scripts."""
    import json

    print(f"{'measure':<{name_width}}{'value':>{value_width}}")
    for key, value in figures.items():
        print(f"{key:<{name_width}}{value:>{value_width}}")
    print(json.dumps(figures))
