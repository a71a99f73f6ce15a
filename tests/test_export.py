"""Exports are opened again and checked: pixels, XML, PDF pages, offline HTML, the deck, CSV rows."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pptx import Presentation
from selenium.webdriver.support.ui import WebDriverWait

from alliance.export import ExportError, build_export, csv_bytes, title_for
from alliance.query import Query
from alliance.record import load_record

from .conftest import REAL_EVENTS, ROOT

QUERY = Query(topics=("trade", "security"), start="2000", end="2021")


@pytest.fixture(scope="module")
def record():
    return load_record(REAL_EVENTS)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("view", ["timeline", "topics", "matrix"])
@pytest.mark.parametrize("size, pixels", [("1920x1080", (1920, 1080)), ("1280x720", (1280, 720)), ("1600x1200", (1600, 1200))])
def test_png_has_the_slide_size(record, view, size, pixels):
    assert png_size(build_export(record, QUERY, view, "png", size).content) == pixels


def test_svg_parses_and_carries_title_and_source_line(record):
    root = ET.fromstring(build_export(record, QUERY, "timeline", "svg").content)
    text = " ".join(root.itertext())
    assert "U.S.–ROK alliance: Security & defense and Trade & economy, 2000–2021" in text
    assert f"record {record.version}" in text and "filters: Security & defense, Trade & economy; 2000–2021" in text


def test_pdf_is_one_page(record):
    data = build_export(record, QUERY, "topics", "pdf").content
    assert data.startswith(b"%PDF") and re.findall(rb"/Count (\d+)", data) == [b"1"]


def test_html_is_standalone_and_names_the_events(record):
    page = build_export(record, QUERY, "timeline", "html").content.decode("utf-8")
    assert not re.search(r"<script[^>]+src=", page)  # plotly.js is inside the file: works offline
    missing = [t for t in QUERY.apply(record.frame)["title"] if not in_plotly_json(html.escape(t), page)]
    assert missing == []


def in_plotly_json(text: str, page: str) -> bool:
    """Whether `text` is in the page as plotly serialises strings (JSON, with or without ASCII escapes)."""
    return any(json.dumps(text, ensure_ascii=ascii)[1:-1] in page for ascii in (True, False))


def test_csv_rows_equal_the_events_in_view_with_every_field(record):
    rows = list(csv.DictReader(io.StringIO(csv_bytes(record, QUERY).decode("utf-8-sig"))))
    in_view = QUERY.apply(record.frame)
    assert [r["id"] for r in rows] == list(in_view["id"])
    first = rows[0]
    assert {"date", "end_date", "precision", "title", "summary", "topics", "kind", "actors", "importance", "related",
            "source1_title", "source1_url"} <= set(first)
    assert first["source1_title"] == in_view.iloc[0]["sources"][0]["title"]


def test_csv_neutralises_spreadsheet_formulas(tmp_path):
    from .conftest import event, make_record

    record = load_record(make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event(title="'=HYPERLINK(\"x\")'")}))
    rows = list(csv.reader(io.StringIO(csv_bytes(record, Query()).decode("utf-8-sig"))))
    assert rows[1][4] == "'=HYPERLINK(\"x\")"


def test_deck_has_title_charts_and_one_slide_per_landmark(record):
    deck = Presentation(io.BytesIO(build_export(record, QUERY, "timeline", "pptx").content))
    landmarks = QUERY.apply(record.frame).query("importance == 3")
    slides = list(deck.slides)
    assert len(slides) == 3 + len(landmarks)
    assert deck.slide_width * 9 == deck.slide_height * 16  # 16:9
    assert title_for(record, QUERY, "timeline") in slides[0].shapes.title.text
    cover = slides[0].shapes.title
    assert cover.width > deck.slide_width * 0.8 and abs(cover.left * 2 + cover.width - deck.slide_width) < 10  # centred
    assert all(any(s.shape_type == 13 for s in slide.shapes) for slide in slides[1:3])  # 13: picture
    for slide, row in zip(slides[3:], landmarks.itertuples(), strict=True):
        text = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert row.title in text and row.date_label in text
        notes = slide.notes_slide.notes_text_frame.text
        assert all(s["title"] in notes and (s["url"] or "") in notes for s in row.sources)


def test_a_landmark_with_a_long_summary_gets_smaller_type_to_stay_on_its_slide(tmp_path):
    from .conftest import event, make_record

    long_summary = " ".join(["The allies agree on a long list of measures."] * 27)[:1200]  # the schema's limit
    sources = "".join(f"\n  - title: Source number {i} with a fairly long descriptive title\n    url: https://example.org/{i}"
                      for i in range(8))
    record = load_record(make_record(tmp_path / "events", {
        "2000-01-02-short.yaml": event(id="short", importance=3),
        "2001-01-02-long.yaml": event(id="long", date="2001-01-02", importance=3, title="L" + "ong title " * 11,
                                      summary=f"'{long_summary}'", sources=sources)}))
    deck = Presentation(io.BytesIO(build_export(record, Query(), "timeline", "pptx").content))
    short_slide, long_slide = list(deck.slides)[3:]

    def sizes(slide) -> list[float]:
        paragraphs = next(shape for shape in slide.shapes if shape.has_text_frame).text_frame.paragraphs
        return [p.runs[0].font.size.pt for p in paragraphs]

    assert sizes(short_slide)[:3] == [32, 20, 20]  # title, date, summary at full size
    assert sizes(long_slide)[2] < 20 and sizes(long_slide)[0] < 32
    assert len(sizes(long_slide)) == 4 + 8  # nothing dropped: every source is still listed


def test_text_scale_shrinks_only_what_does_not_fit():
    from alliance.export import text_scale

    assert text_scale([("A short title", 32), ("Something happened.", 20)], 11.9, 6.5) == 1.0
    longer = [text_scale([("word " * n, 20)], 11.9, 6.5) for n in (200, 400, 800)]
    assert 1.0 >= longer[0] >= longer[1] >= longer[2] >= 0.4 and longer[2] < 1.0


@pytest.mark.parametrize("kwargs, message", [({"fmt": "gif"}, "unknown format"), ({"view": "map"}, "unknown view"),
                                             ({"size": "800x600"}, "unknown size")])
def test_bad_options_are_refused(record, kwargs, message):
    with pytest.raises(ExportError, match=message):
        build_export(record, QUERY, **{"view": "timeline", "fmt": "png", "size": "1920x1080", **kwargs})


def run_export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "alliance", "export", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_cli_writes_the_file(tmp_path):
    out = tmp_path / "chart.png"
    result = run_export("--format", "png", "--size", "1280x720", "--topics", "security,trade", "--from", "2000", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert png_size(out.read_bytes()) == (1280, 720)


def test_cli_matrix_of_rok_presidents(tmp_path):
    out = tmp_path / "matrix.html"
    result = run_export("--view", "matrix", "--format", "html", "--matrix", "rok", "--from", "2000", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert in_plotly_json("Moon 2017", out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("args, message", [
    (["--format", "gif"], "invalid choice"),
    (["--format", "png", "--topics", "securty"], "not understood: --topics"),
    (["--format", "png", "--from", "2021-02-30"], "not understood: --from"),
    (["--format", "png", "--size", "10x10"], "invalid choice"),
])
def test_cli_bad_options_exit_2_and_leave_no_file(tmp_path, args, message):
    out = tmp_path / "chart.out"
    result = run_export(*args, "--out", str(out))
    assert result.returncode == 2 and message in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("search, words", [
    ("?topics=security,north-korea", "filters: Security & defense, North Korea"),
    ("?topics=none", "filters: no issue areas"),
    ("?kinds=summit,treaty&importance=2,3&q=fta&from=2000-06&to=2021", "filters: kinds: Summit, Treaty; search: “fta”; "
     "2000-06–2021; importance: normal, landmark"),
    ("?actors=Moon Jae-in&to=1990", "filters: actors: Moon Jae-in; until 1990"),
    ("", "filters: none"),
])
def test_source_lines_name_the_filters_in_words_not_ids(record, search, words):
    from alliance.export import source_line
    from components.state import parse

    line = source_line(record, parse(record, search), 1)
    assert line.endswith(words)
    assert "topics=" not in line and "kinds=" not in line and "north-korea" not in line


def test_matrix_exports_follow_the_url_country_and_the_title_says_so(record):
    query = Query.from_url("?topics=trade&from=2000&to=2021&matrix=rok")
    assert "by ROK administration" in title_for(record, query, "matrix")
    page = build_export(record, query, "matrix", "html").content.decode()
    assert in_plotly_json("Moon 2017", page) and not in_plotly_json("Obama 2009", page)
    assert "by U.S. administration" in title_for(record, QUERY, "matrix")


def test_embed_page_is_chart_only_and_applies_the_query(record):
    from app import create_app

    client = create_app(record).server.test_client()
    page = client.get("/embed?view=timeline&topics=trade&from=2000").get_data(as_text=True)
    assert re.findall(r'<script[^>]+src="([^"]+)"', page) == ["/embed/plotly.min.js"]
    ticks = json.loads(re.search(r'"ticktext":(\[[^\]]*\])', page).group(1))
    assert ticks == ["Trade & economy", "ROK president", "U.S. president"]
    assert in_plotly_json("filters: Trade & economy; from 2000", page)
    assert client.get("/embed/plotly.min.js").status_code == 200
    matrix = client.get("/embed?view=matrix&topics=trade&from=2000&to=2021&matrix=rok").get_data(as_text=True)
    assert in_plotly_json("Moon 2017", matrix) and not in_plotly_json("Obama 2009", matrix)
    assert client.get("/embed?view=<script>&from=zz&topics=%00").status_code == 200


def test_export_menu_downloads_a_file(dash_duo, record):
    from app import create_app
    from components import ids

    dash_duo.start_server(create_app(record))
    dash_duo.driver.get(dash_duo.server_url + "/?topics=trade")
    dash_duo.wait_for_element(f"#{ids.TABLE} td", timeout=10)
    dash_duo.select_dcc_dropdown(f"#{ids.EXPORT_FORMAT}", value="CSV of events")
    dash_duo.find_element(f"#{ids.EXPORT_BUTTON}").click()
    dash_duo.wait_for_contains_text(f"#{ids.EXPORT_STATUS}", "Downloaded", timeout=20)
    folder = Path(dash_duo.download_path)
    WebDriverWait(dash_duo.driver, 10).until(lambda _: any(folder.glob("*.csv")), "no file was downloaded")
    files = list(folder.glob("*.csv"))
    rows = list(csv.DictReader(io.StringIO(files[0].read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == list(Query(topics=("trade",)).apply(record.frame)["id"])


def test_embed_page_renders_in_the_browser_with_the_query_applied(dash_duo, record):
    from app import create_app

    dash_duo.start_server(create_app(record))
    dash_duo.driver.get(dash_duo.server_url + "/embed?view=timeline&topics=trade&from=2000")
    dash_duo.wait_for_element(".js-plotly-plot", timeout=15)
    lanes = dash_duo.driver.execute_script(
        "return document.querySelector('.js-plotly-plot')._fullData.filter(t => t.mode === 'markers').map(t => t.name)")
    assert lanes == ["Trade & economy"]
    points = dash_duo.driver.execute_script(
        "return document.querySelector('.js-plotly-plot')._fullData.find(t => t.name === 'Trade & economy').x.length")
    assert points == len(Query(topics=("trade",), start="2000").apply(record.frame))
    assert dash_duo.driver.find_elements("css selector", "input, button, select") == []  # chart only


@pytest.mark.parametrize("size", ["1920x1080", "1280x720", None])
def test_timeline_lane_labels_fit_the_margin_reserved_for_them(dash_duo, record, tmp_path, size):
    """The timeline reserves room for its lane names itself. If it reserved too little plotly would
    widen the margin and draw the chart a second time, doubling every export and dashboard update."""
    from alliance.export import html_bytes, slide_figure, view_figure

    figure = slide_figure(record, Query(), "timeline", size) if size else view_figure(record, Query(), "timeline")
    page = tmp_path / "chart.html"
    page.write_bytes(html_bytes(figure))
    dash_duo.driver.get(page.as_uri())
    dash_duo.wait_for_element(".js-plotly-plot .ytick text", timeout=15)
    drawn = dash_duo.driver.execute_script("""
        const gd = document.querySelector('.js-plotly-plot');
        const labels = [...gd.querySelectorAll('.ytick text')].map(t => t.getBoundingClientRect());
        return {reserved: gd.layout.margin.l, used: gd._fullLayout._size.l,
                leftmost: Math.min(...labels.map(r => r.left - gd.getBoundingClientRect().left)),
                widest: Math.max(...labels.map(r => r.width)), count: labels.length};""")
    assert drawn["count"] == len(figure["layout"]["yaxis"]["ticktext"])
    assert drawn["used"] == drawn["reserved"], "plotly had to widen the margin: the labels did not fit"
    assert drawn["leftmost"] >= 0
    assert drawn["widest"] > 0.75 * drawn["reserved"] - 16, "the margin is far wider than the labels need"


@pytest.mark.parametrize("view, size", [("matrix", "1920x1080"), ("matrix", "1280x720"), ("matrix", "1600x1200"),
                                        ("timeline", "1920x1080"), ("topics", "1280x720")])
def test_the_source_line_sits_below_the_axis_labels_inside_the_slide(dash_duo, record, tmp_path, view, size):
    from alliance.export import html_bytes, slide_figure

    figure = slide_figure(record, Query(), view, size)
    page = tmp_path / "slide.html"
    page.write_bytes(html_bytes(figure))
    dash_duo.driver.get(page.as_uri())
    dash_duo.wait_for_element(".js-plotly-plot .annotation-text", timeout=15)
    boxes = dash_duo.driver.execute_script("""
        const gd = document.querySelector('.js-plotly-plot'), top = gd.getBoundingClientRect().top;
        const source = [...gd.querySelectorAll('.annotation-text')].find(t => t.textContent.startsWith('Source:'));
        const ticks = [...gd.querySelectorAll('.xtick text')].map(t => t.getBoundingClientRect().bottom - top);
        const box = source.getBoundingClientRect();
        return {ticks_bottom: Math.max(...ticks), source_top: box.top - top, source_bottom: box.bottom - top,
                height: gd._fullLayout.height};""")
    assert boxes["source_top"] >= boxes["ticks_bottom"], "the source line overlaps the axis labels"
    assert boxes["source_bottom"] <= boxes["height"], "the source line is cut off at the bottom of the slide"
