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
import yaml
from selenium.webdriver.support.ui import WebDriverWait

from alliance.export import ExportError, build_export, csv_bytes, title_for
from alliance.query import Query
from alliance.record import load_record

from .conftest import REAL_EVENTS, ROOT, record_of

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
    forms = [json.dumps(text, ensure_ascii=ascii)[1:-1] for ascii in (True, False)]
    escaped = [form.replace("/", "\\u002f") for form in forms]  # plotly writes "/" as a \\u escape
    return any(form in page for form in forms + escaped)


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

    payloads = ["=HYPERLINK(\"x\")", "-2+3+cmd|' /C calc'!A0", "+1+1", "@SUM(A1)"]
    events = {f"2000-01-0{i + 1}-e{i}.yaml": event(id=f"e{i}", date=f"2000-01-0{i + 1}", title=yaml.safe_dump(text).split("\n")[0],
                                                  actors=f"[{yaml.safe_dump(text).split(chr(10))[0]}]")
              for i, text in enumerate(payloads)}
    record = load_record(make_record(tmp_path / "events", events))
    rows = list(csv.DictReader(io.StringIO(csv_bytes(record, Query()).decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == ["'" + text for text in payloads]
    assert [row["actors"] for row in rows] == ["'" + text for text in payloads]


@pytest.mark.parametrize("text", ["\t=1+1", "\r=1+1", "-1", "=1", "+1", "@x"])
def test_every_formula_start_is_guarded(text):
    from alliance.spreadsheet import guarded

    assert guarded(text) == "'" + text


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
    (["--format", "csv", "--actors", "Nobody At All"], "not understood: --actors 'Nobody At All'"),
    (["--format", "csv", "--q", "x" * 201], "--q is 201 characters long; at most 200"),
    (["--format", "csv", "--story", "no-such-event"], "not understood: --story 'no-such-event'"),
    (["--format", "pptx", "--view", "matrix", "--size", "1600x1200"], "--view and --size do not apply to --format pptx"),
    (["--format", "html", "--size", "1280x720"], "--size does not apply to --format html"),
    (["--format", "csv", "--size", "1280x720"], "--size does not apply to --format csv"),
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
     "June 2000–2021; importance: normal, landmark"),
    ("?actors=Moon Jae-in&to=1990", "filters: actors: Moon Jae-in; until 1990"),
    ("", "filters: none"),
    ("?story=korus-fta-signed&from=2007", "filters: from 2007; the story of “KORUS Free Trade Agreement signed on Capitol Hill”"),
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


def test_cli_exports_a_story_as_its_events_in_date_order(tmp_path, record):
    out = tmp_path / "story.csv"
    result = run_export("--format", "csv", "--story", "korus-fta-signed", "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    related = record.frame.loc[record.frame["id"] == "korus-fta-signed", "related"].iloc[0]
    assert {r["id"] for r in rows} == {"korus-fta-signed", *related}
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)


def test_cli_known_actors_and_a_200_character_search_are_taken(tmp_path):
    from alliance.record import read_record

    actor = sorted(record_of(read_record(REAL_EVENTS)).actors)[0]
    out = tmp_path / "events.csv"
    result = run_export("--format", "csv", "--actors", actor, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) > 1
    result = run_export("--format", "csv", "--q", "x" * 200, "--out", str(out))
    assert result.returncode == 0 and "q=" + "x" * 200 in result.stdout, result.stderr


def test_embed_page_is_chart_only_and_applies_the_query(record):
    from app import create_app

    client = create_app(record).server.test_client()
    page = client.get("/embed?view=timeline&topics=trade&from=2000").get_data(as_text=True)
    # plotly.js and the label code from this server, nothing from elsewhere
    assert re.findall(r'<script[^>]+src="([^"]+)"', page) == ["/embed/plotly.min.js", "/assets/labels.js"]
    assert client.get("/assets/labels.js").status_code == 200 and client.get("/assets/labels.css").status_code == 200
    ticks = json.loads(re.search(r'"ticktext":(\[[^\]]*\])', page).group(1))
    assert ticks == ["Trade &amp; economy", "ROK president", "U.S. president"]  # escaped for plotly
    title = html.escape(title_for(record, Query(topics=("trade",), start="2000"), "timeline"))
    assert f"<title>{title}</title>" in page and f"<h1>{title}</h1>" in page
    assert re.search(r'<p class="source">Source: [^<]*filters: Trade &amp; economy; from 2000</p>', page)
    assert client.get("/embed/plotly.min.js").status_code == 200
    matrix = client.get("/embed?view=matrix&topics=trade&from=2000&to=2021&matrix=rok").get_data(as_text=True)
    assert in_plotly_json("Moon 2017", matrix) and not in_plotly_json("Obama 2009", matrix)
    assert client.get("/embed?view=<script>&from=zz&topics=%00").status_code == 200


def test_export_menu_downloads_a_file(dash_duo, record):
    from app import create_app
    from components import ids

    dash_duo.start_server(create_app(record))
    dash_duo.driver.get(dash_duo.server_url + "/?topics=trade")
    dash_duo.wait_for_element(f"#{ids.TABLE} .ag-cell", timeout=10)
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
    lanes = dash_duo.driver.execute_script(  # key entries carry no points
        "return document.querySelector('.js-plotly-plot')._fullData"
        ".filter(t => t.mode === 'markers' && t.x && t.x.some(x => x !== null)).map(t => t.name)")
    assert lanes == ["Trade &amp; economy"]  # plotly draws it as "Trade & economy"
    points = dash_duo.driver.execute_script(
        "return document.querySelector('.js-plotly-plot')._fullData.find(t => t.name === 'Trade &amp; economy').x.length")
    # every trade event is drawn (those outside the window too, so a pan never shows a blank year)
    assert points == len(Query(topics=("trade",)).apply(record.frame))
    assert dash_duo.driver.find_elements("css selector", "input, button, select") == []  # chart only


@pytest.mark.parametrize("size", ["1920x1080", "1280x720", None])
def test_timeline_lane_labels_fit_the_margin_reserved_for_them(dash_duo, record, tmp_path, size):
    """The timeline reserves room for its lane names itself. If it reserved too little plotly would
    widen the margin and draw the chart a second time, doubling every export and dashboard update."""
    from alliance.export import html_bytes, slide_figure, view_figure

    figure = (slide_figure(record, Query(), "timeline", size, reflows=True) if size  # as the HTML export draws it
              else view_figure(record, Query(), "timeline"))
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


def test_cli_warns_when_no_event_matches(tmp_path):
    out = tmp_path / "events.csv"
    result = run_export("--format", "csv", "--q", "zzzzqq", "--out", str(out))
    assert result.returncode == 0 and "no events match" in result.stderr
    assert out.read_text(encoding="utf-8-sig").splitlines()[1:] == []


def test_cli_writes_several_views_and_formats_in_one_run(tmp_path, record):
    from pptx import Presentation

    from alliance.export import filename_for

    folder = tmp_path / "slides"
    result = run_export("--view", "timeline,topics", "--format", "png,svg,pptx", "--size", "1280x720",
                        "--topics", "security,trade", "--from", "2019-03", "--to", "2019-03", "--out-dir", str(folder))
    assert result.returncode == 0, result.stderr
    query = Query(topics=("security", "trade"), start="2019-03", end="2019-03")
    expected = {filename_for(record, query, view, fmt) for view in ("timeline", "topics") for fmt in ("png", "svg")}
    expected.add(filename_for(record, query, "timeline", "pptx"))
    assert {p.name for p in folder.iterdir()} == expected and len(expected) == 5  # one deck: it holds the whole view
    assert result.stdout.count("Wrote ") == 5
    for path in folder.glob("*.png"):
        assert png_size(path.read_bytes()) == (1280, 720)
    for path in folder.glob("*.svg"):
        assert "March 2019" in " ".join(ET.fromstring(path.read_bytes()).itertext())
    assert len(Presentation(next(folder.glob("*.pptx"))).slides) > 3


def test_one_run_starts_the_image_browser_once(tmp_path, monkeypatch):
    import alliance.export
    from alliance.__main__ import main
    from alliance.renderer import Renderer

    class Counting(Renderer):
        starts = 0

        def _start(self):
            Counting.starts += 1
            return super()._start()

    renderer = Counting()
    monkeypatch.setattr(alliance.export, "RENDERER", renderer)
    try:
        assert main(["export", "--view", "timeline,topics", "--format", "png,svg", "--from", "2018", "--to", "2019",
                     "--out-dir", str(tmp_path)]) == 0
    finally:
        renderer.close()
    assert len(list(tmp_path.iterdir())) == 4 and Counting.starts == 1


def test_cli_writes_a_deck_of_listed_events(tmp_path):
    from pptx import Presentation

    ids = "first-inter-korean-summit,mutual-defense-treaty-signed"
    result = run_export("--format", "pptx", "--events-list", ids, "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    (path,) = tmp_path.iterdir()
    assert path.name.startswith("alliance-events_2_first-inter-korean-summit-mutual-defense")
    titles = [slide.shapes.title.text for slide in Presentation(path).slides]
    assert len(titles) == 4 and "inter-Korean summit" in titles[1] and "Mutual Defense Treaty" in titles[2]


@pytest.mark.parametrize("args, message", [
    (["--view", "matrix", "--format", "pptx,csv"], "--view does not apply to --format pptx,csv"),
    (["--format", "png,svg", "--out", "chart.png"], "--out names one file, and this run writes 2; give --out-dir"),
    (["--format", "png", "--narrative", "korus-fta"], "--narrative only shapes a deck; add pptx to --format"),
    (["--format", "pptx", "--narrative", "korus-fta", "--events-list", "first-inter-korean-summit"],
     "either a narrative (--narrative) or a list of events (--events-list), not both"),
    (["--format", "pptx", "--events-list", "first-inter-korean-summit", "--topics", "trade"],
     "the filters do not apply to a deck of listed events"),
    (["--format", "pptx", "--events-list", "first-inter-korean-summit,no-such-event"],
     "not understood: --events-list no-such-event"),
    (["--format", "pptx", "--narrative", "no-such-story"], "not understood: --narrative 'no-such-story'"),
    (["--format", "png,gif"], "invalid choice: 'gif' for --format"),
    (["--view", "timeline,map", "--format", "png"], "invalid choice: 'map' for --view"),
])
def test_cli_refuses_a_batch_that_does_not_apply_and_writes_nothing(tmp_path, args, message):
    folder = tmp_path / "out"
    argv = [a.replace("chart.png", str(folder / "chart.png")) for a in args]
    result = run_export(*argv, *([] if "--out" in args else ["--out-dir", str(folder)]))
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []
