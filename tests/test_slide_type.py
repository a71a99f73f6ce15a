"""Slide exports read from the back of a room: type sizes read back from the exported SVG.

Points are measured as the picture is shown: filling the width of a slide of its shape (13.333 in
for 16:9, 10 in for 4:3), so px per pt = SVG width / (slide inches × 72). Every text element of
the SVG is mapped to its role (title, tick and lane labels, key, matrix cells, axis titles, source
line) from plotly's class names, and each role must meet issue #16's minimum at every size the
Export menu and the CLI offer.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from alliance.canvas import MIN_PT, SLIDE_INCHES
from alliance.export import SIZES, build_export, slide_figure, title_for
from alliance.labels import text_width
from alliance.query import Query
from alliance.record import load_record

from .conftest import REAL_EVENTS

QUERY = Query(topics=("trade", "security"), start="2000", end="2021")
# The longest realistic filter set: three areas, two kinds, two importances, a search, a window in months.
LONG = Query.from_url("?topics=security,north-korea,trade&kinds=summit,treaty,agreement&importance=2,3&q=korus"
                      "&from=2000-06&to=2021-03")
SVG = "{http://www.w3.org/2000/svg}"
MINIMUM_PT = {"title": MIN_PT["title"], "tick": MIN_PT["tick"], "key": MIN_PT["key"], "cell": MIN_PT["tick"],
              "axis title": MIN_PT["tick"], "source": MIN_PT["source"]}


@pytest.fixture(scope="module")
def record():
    return load_record(REAL_EVENTS)


@pytest.fixture(scope="module")
def svgs(record):
    """Exported SVGs, rendered once per (query, view, size) for the whole module."""
    cache = {}

    def get(query: Query, view: str, size: str) -> ET.Element:
        key = (query, view, size)
        if key not in cache:
            cache[key] = ET.fromstring(build_export(record, query, view, "svg", size).content)
        return cache[key]

    return get


def px_per_pt(size: str) -> float:
    width, height = SIZES[size]
    inches = SLIDE_INCHES[(16, 9)] if abs(width / height - 16 / 9) < 0.01 else SLIDE_INCHES[(4, 3)]
    return width / (inches * 72)


def font_px(element: ET.Element) -> float:
    return float(re.search(r"font-size:\s*([\d.]+)px", element.get("style", "")).group(1))


def texts_by_role(root: ET.Element) -> dict[str, list[tuple[str, float]]]:
    """(text, font px) of every text element, keyed by what it is on the slide."""
    roles: dict[str, list[tuple[str, float]]] = {}

    def walk(node: ET.Element, classes: tuple[str, ...]) -> None:
        classes = classes + tuple((node.get("class") or "").split())
        if node.tag == f"{SVG}text":
            lines = ["".join(span.itertext()) for span in node.iter(f"{SVG}tspan") if span.get("class") == "line"]
            text = " ".join(lines) if lines else "".join(node.itertext())  # a wrapped name, read as one
            role = ("title" if "g-gtitle" in classes else "tick" if {"xtick", "ytick"} & set(classes)
                    else "key" if "legend" in classes else "cell" if "heatmap-label" in classes
                    else "axis title" if {"g-xtitle", "g-ytitle"} & set(classes)
                    else "source" if "annotation-text" in classes and text.startswith("Source:") else "other")
            roles.setdefault(role, []).append((text, font_px(node)))
        for child in node:
            walk(child, classes)

    walk(root, ())
    return roles


CASES = [(view, size) for view in ("timeline", "topics", "matrix") for size in SIZES]


@pytest.mark.parametrize("view, size", CASES)
def test_every_text_on_the_slide_meets_its_minimum_in_points(svgs, view, size):
    roles = texts_by_role(svgs(QUERY, view, size))
    expected = {"title", "tick", "source"} | ({"key"} if view != "matrix" else {"cell", "axis title"})
    assert expected <= set(roles), f"missing roles: {expected - set(roles)}"
    too_small = [(role, text, round(px / px_per_pt(size), 1)) for role, items in roles.items() if role in MINIMUM_PT
                 for text, px in items if px / px_per_pt(size) < MINIMUM_PT[role] - 0.05]
    assert too_small == []


@pytest.mark.parametrize("size", list(SIZES))
def test_the_timeline_key_and_lane_names_are_on_the_slide(svgs, size):
    roles = texts_by_role(svgs(QUERY, "timeline", size))
    assert {"Security & defense", "Trade & economy", "U.S. president", "ROK president"} <= {t for t, _ in roles["tick"]}
    assert {"size: landmark", "hollow: month or year only"} <= {t for t, _ in roles["key"]}


@pytest.mark.parametrize("view, size", CASES)
def test_long_titles_wrap_inside_the_slide_and_lose_no_word(record, svgs, view, size):
    root = svgs(LONG, view, size)
    width = float(root.get("width"))
    title = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "gtitle")
    lines = [("".join(span.itertext()), float(span.get("x"))) for span in title.iter(f"{SVG}tspan")]
    assert " ".join(text for text, _ in lines) == title_for(record, LONG, view)
    overrun = [text for text, x in lines if x + text_width(text, font_px(title)) > width - 0.01 * width]
    assert overrun == [], "a title line runs off the slide"
    assert len(lines) >= 2  # this title cannot be one line at 28 pt: it wrapped instead of running off


@pytest.mark.parametrize("view, size", CASES)
def test_the_source_line_wraps_inside_the_slide(svgs, view, size):
    root = svgs(LONG, view, size)
    width = float(root.get("width"))
    (source,) = [a for a in root.iter(f"{SVG}text") if "".join(a.itertext()).startswith("Source:")]
    group_x = _translate_x(root, source)
    lines = [("".join(span.itertext())) for span in source.iter(f"{SVG}tspan")] or ["".join(source.itertext())]
    assert all(group_x + text_width(line, font_px(source)) <= width for line in lines)


def _translate_x(root: ET.Element, target: ET.Element) -> float:
    """The x where an annotation's text starts: its group's translate plus the text's own x."""
    parents = {child: parent for parent in root.iter() for child in parent}
    x, node = float(target.get("x", 0)), target
    while node in parents:
        node = parents[node]
        found = re.search(r"translate\(([-\d.]+)", node.get("transform", ""))
        x += float(found.group(1)) if found else 0
    return x


@pytest.mark.parametrize("size", list(SIZES))
def test_administration_bands_sit_beside_their_labels(svgs, size):
    """Each band is centred on its label ("U.S. president", "ROK president") at every size; grouped
    bars used to shift each band half a row away from its label."""
    root = svgs(QUERY, "timeline", size)
    plot = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "xy")
    top = float(re.search(r"translate\([-\d.]+,([-\d.]+)\)", plot.get("transform")).group(1))
    bars = []
    for trace in root.iter(f"{SVG}g"):
        if "bars" in (trace.get("class") or "").split():
            for path in trace.iter(f"{SVG}path"):
                ys = [float(v) for v in re.findall(r"[VM][-\d.]+,?([-\d.]+)?", path.get("d", "")) if v]
                vertical = [float(v) for v in re.findall(r"V([-\d.]+)", path.get("d", ""))]
                if ys and vertical:
                    bars.append((min(ys + vertical) + top, max(ys + vertical) + top))
    labels = {}
    for tick in root.iter(f"{SVG}text"):
        text = "".join(tick.itertext())
        if text in ("U.S. president", "ROK president"):
            labels[text] = float(re.search(r"translate\([-\d.]+,([-\d.]+)\)", tick.get("transform")).group(1))
    assert set(labels) == {"U.S. president", "ROK president"} and bars
    for name, y in labels.items():
        centres = [abs((a + b) / 2 - y) for a, b in bars if a <= y <= b]
        assert centres and min(centres) <= 2, f"the {name} band is not beside its label at {size}"


@pytest.mark.parametrize("view, size", CASES)
def test_the_slide_is_drawn_in_the_margins_it_reserved(record, svgs, view, size):
    """Title, key, lane names and source line fit the room set aside for them: had they not, plotly
    would have widened a margin (and drawn the chart twice), moving the plot area."""
    margin = slide_figure(record, QUERY, view, size)["layout"]["margin"]
    root = svgs(QUERY, view, size)
    plot = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "xy")
    left, top = (float(v) for v in re.search(r"translate\(([-\d.]+),([-\d.]+)\)", plot.get("transform")).groups())
    clip = next(c for c in root.iter(f"{SVG}clipPath") if (c.get("id") or "").endswith("xyplot"))
    height = float(next(iter(clip)).get("height"))
    assert (left, top) == (margin["l"], margin["t"])
    assert float(root.get("height")) - top - height == pytest.approx(margin["b"], abs=1)
