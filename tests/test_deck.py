"""Decks and spreadsheets are opened again and read as a presenter's tools would read them."""

from __future__ import annotations

import csv
import html
import io
from datetime import date

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn

from alliance.deck import short_summary, sources_line
from alliance.export import build_export, filename_for, title_for, view_figure
from alliance.query import Query
from alliance.record import load_record

from .conftest import REAL_EVENTS, event, make_record

QUERY = Query(topics=("trade", "security"), start="2000", end="2021")
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


@pytest.fixture(scope="module")
def record():
    return load_record(REAL_EVENTS)


@pytest.fixture(scope="module")
def deck(record):
    return Presentation(io.BytesIO(build_export(record, QUERY, "timeline", "pptx").content))


def title_of(slide) -> str:
    """The slide's title as PowerPoint's outline and screen readers see it: the title placeholder's text."""
    titles = [s for s in slide.placeholders if s.placeholder_format.type in TITLES]
    assert len(titles) == 1, "every slide has one title placeholder"
    return titles[0].text_frame.text


def alt_texts(slide) -> list[str]:
    return [shape._element.nvPicPr.cNvPr.get("descr") for shape in slide.shapes if shape.shape_type == 13]


def test_every_slide_has_a_real_title_a_slide_number_and_the_source_line(record, deck):
    source = f"{len(QUERY.apply(record.frame))} of {len(record.frame)} events, record {record.version}"
    for number, slide in enumerate(deck.slides, start=1):
        assert title_of(slide).strip()
        fields = slide.shapes._spTree.iter(qn("a:fld"))
        assert [f.get("type") for f in fields] == ["slidenum"], f"slide {number} has no slide-number field"
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert source in text, f"slide {number} has no source line"
    assert title_of(deck.slides[0]) == title_for(record, QUERY, "timeline")


def test_pictures_have_alt_text_that_says_what_they_show(deck):
    pictures = [text for slide in deck.slides for text in alt_texts(slide)]
    assert pictures and all(text and "image" not in text.casefold() and "Timeline" in text for text in pictures)


def test_deck_properties_are_set(deck, record):
    properties = deck.core_properties
    assert properties.title == title_for(record, QUERY, "timeline")
    assert properties.author == "Alliance Timeline" and properties.subject


def test_events_per_year_is_a_native_chart_that_agrees_with_the_dashboard(record, deck):
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 1 and charts[0].chart_type == XL_CHART_TYPE.COLUMN_STACKED
    chart = charts[0]
    years = [int(c) for c in chart.plots[0].categories]
    assert years == list(range(years[0], years[-1] + 1))  # one column per year, none skipped
    figure = view_figure(record, QUERY, "topics")
    on_screen = {(html.unescape(t["name"]), int(x)): int(y)  # plotly gets escaped names; the deck shows them as text
                 for t in figure["data"] for x, y in zip(t["x"], t["y"], strict=True)}
    in_deck = {(s.name, year): int(v) for s in chart.series for year, v in zip(years, s.values, strict=True) if v}
    assert in_deck == on_screen
    in_view = QUERY.apply(record.frame)
    begun_in_window = int((in_view["start"].dt.year >= 2000).sum())  # spans begun earlier are noted, not stacked
    assert sum(in_deck.values()) == begun_in_window  # one count per event: the stack never adds up to more


def test_areas_by_administration_is_a_native_table_that_agrees_with_the_dashboard(record, deck):
    tables = [shape.table for slide in deck.slides for shape in slide.shapes if shape.has_table]
    assert tables and all(len(t.rows) <= 12 for t in tables)  # 14 pt type: a long window continues on a new slide
    heatmap = next(t for t in view_figure(record, QUERY, "matrix")["data"] if t["type"] == "heatmap")
    areas = [html.unescape(y) for y in heatmap["y"]]
    assert "Security & defense" in areas  # shown as written: "&amp;" is for plotly only
    assert all([t.cell(0, c).text for c in range(1, len(t.columns))] == areas for t in tables)
    body = [[t.cell(r, c).text for c in range(len(t.columns))] for t in tables for r in range(1, len(t.rows))]
    assert [row[0] for row in body] == [html.unescape(x) for x in heatmap["x"]]
    for r, row in enumerate(body):
        assert row[1:] == [str(heatmap["z"][a][r]) if heatmap["z"][a][r] else "" for a in range(len(heatmap["y"]))]
    sizes = {run.font.size.pt for t in tables for row in t.rows for cell in row.cells
             for p in cell.text_frame.paragraphs for run in p.runs}
    assert sizes == {14}


def test_landmark_slides_are_short_and_readable_with_talking_points_in_the_notes(record, deck):
    landmarks = QUERY.apply(record.frame).query("importance == 3")
    slides = {title_of(s): s for s in deck.slides}
    assert set(landmarks["title"]) <= set(slides)
    for row in landmarks.itertuples():
        slide = slides[row.title]
        sizes = [run.font.size.pt for shape in slide.shapes if shape.has_text_frame
                 for p in shape.text_frame.paragraphs for run in p.runs if run.font.size]
        assert min(sizes) >= 10 and sorted(sizes)[len(sizes) // 2] >= 14
        body = [s for s in slide.shapes if s.has_text_frame and short_summary(row.summary) in s.text_frame.text]
        assert body and all(run.font.size.pt >= 18 for p in body[0].text_frame.paragraphs for run in p.runs)
        assert len(short_summary(row.summary)) <= 340
        notes = slide.notes_slide.notes_text_frame.text
        for part in ("Date:", "What happened:", "Why it mattered:", "Sources:", row.summary):
            assert part in notes
        assert all(s["title"] in notes and (s["url"] or "") in notes for s in row.sources)


def test_the_open_event_gets_a_slide_even_when_it_is_not_a_landmark(record):
    minor = record.frame[record.frame["importance"] == 1].iloc[0]
    deck = Presentation(io.BytesIO(build_export(record, Query(event=minor["id"], start=str(minor["year"]), end=str(minor["year"])), "timeline", "pptx").content))
    assert minor["title"] in [title_of(s) for s in deck.slides]


def test_a_narrative_deck_has_one_slide_per_step_with_the_timeline_focused_on_it(record):
    narrative = next(n for n in record.narratives if n.id == "korus-fta")
    content = build_export(record, Query(narrative=narrative.id), "timeline", "pptx").content
    slides = list(Presentation(io.BytesIO(content)).slides)
    assert len(slides) == 1 + len(narrative.steps) + 1
    assert title_of(slides[0]) == narrative.title
    titles = dict(zip(record.frame["id"], record.frame["title"], strict=True))
    for number, (slide, step) in enumerate(zip(slides[1:-1], narrative.steps, strict=True), start=1):
        assert title_of(slide) == titles[step.event]
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert step.note in text and f"Step {number} of {len(narrative.steps)}" in text
        (alt,) = alt_texts(slide)
        assert titles[step.event] in alt and "highlighted" in alt
    closing = " ".join(s.text_frame.text for s in slides[-1].shapes if s.has_text_frame)
    assert all(titles[step.event] in closing for step in narrative.steps)


def test_an_empty_view_says_so_instead_of_drawing_empty_charts(record):
    deck = Presentation(io.BytesIO(build_export(record, Query(q="zzzzqq"), "timeline", "pptx").content))
    assert [title_of(s) for s in deck.slides][1:] == ["No events match these filters"]


def test_short_summary_keeps_whole_sentences_and_abbreviations():
    text = "The U.S. and the ROK sign it. Gen. Kim attends. " + "A long tail sentence follows here. " * 20
    assert short_summary(text).startswith("The U.S. and the ROK sign it. Gen. Kim attends.")
    assert short_summary(text).endswith(".") and len(short_summary(text)) <= 330
    assert short_summary("word " * 200).endswith(" …") and len(short_summary("word " * 200)) <= 330


def test_sources_line_names_publishers_once_and_links_them():
    runs = sources_line([{"title": "A", "publisher": "USTR", "url": "https://ustr.gov/a"},
                         {"title": "B", "publisher": "USTR", "url": "https://ustr.gov/b"},
                         {"title": "C", "publisher": None, "url": None}])
    assert "".join(text for text, _ in runs) == "Sources: USTR; C"
    assert ("USTR", "https://ustr.gov/a") in runs


def test_file_names_tell_views_apart(record):
    names = {filename_for(record, Query.from_url(q), "timeline", "png") for q in ("", "q=zzzzqq", "q=gangneung",
                                                                                 "kinds=treaty", "mode=dim")}
    assert len(names) == 5


def test_csv_has_a_sortable_iso_start_and_guards_every_formula_lead(tmp_path):
    record = load_record(make_record(tmp_path / "events", {
        "1958-a.yaml": event(id="a", date="1958", title="'-2+3+cmd|'' /C calc''!A0'"),
        "1958-03-b.yaml": event(id="b", date="1958-03", title="'@SUM(A1)'"),
        "1957-12-31-c.yaml": event(id="c", date="1957-12-31", title="'+1'"),
    }))
    rows = list(csv.DictReader(io.StringIO(build_export(record, Query(), "timeline", "csv").content.decode("utf-8-sig"))))
    assert [(r["id"], r["start"], r["date"], r["precision"]) for r in sorted(rows, key=lambda r: r["start"])] == [
        ("c", "1957-12-31", "1957-12-31", "day"), ("a", "1958-01-01", "1958", "year"), ("b", "1958-03-01", "1958-03", "month")]
    assert all(r["title"].startswith("'") for r in rows)


def test_xlsx_has_real_date_cells_and_text_that_never_runs(tmp_path):
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl is in requirements-dev.txt")
    record = load_record(make_record(tmp_path / "events", {
        "1958-a.yaml": event(id="a", date="1958", title="'=HYPERLINK(\"http://x\")'"),
        "2018-11-20-b.yaml": event(id="b", date="2018-11-20", end_date="2021-06"),
    }))
    content = build_export(record, Query(), "timeline", "xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert [r["id"].value for r in rows] == ["a", "b"]
    assert all(r["start"].is_date for r in rows) and rows[0]["start"].value.date() == date(1958, 1, 1)
    assert rows[1]["end"].value.date() == date(2021, 6, 30) and rows[0]["end"].value is None
    assert rows[0]["importance"].value == 2 and rows[0]["importance"].data_type == "n"
    assert rows[0]["title"].data_type == "s" and rows[0]["title"].value.startswith("=HYPERLINK")  # text, not a formula
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


LISTED = ("mutual-defense-treaty-signed", "first-inter-korean-summit", "imf-standby-arrangement-korea")


def test_a_list_deck_has_one_slide_per_listed_event_in_the_order_given(record):
    content = build_export(record, Query(), "timeline", "pptx", events=LISTED).content
    slides = list(Presentation(io.BytesIO(content)).slides)
    rows = record.frame.set_index("id").loc[list(LISTED)]
    assert len(slides) == 1 + len(LISTED) + 1
    assert title_of(slides[0]) == "U.S.–ROK alliance: 3 events, 1953–2000"
    for number, (slide, row) in enumerate(zip(slides[1:-1], rows.itertuples(), strict=True), start=1):
        assert title_of(slide) == row.title
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert f"Event {number} of 3 · {row.date_label}" in text
        assert text.count(short_summary(row.summary)[:60]) == 1  # the summary, as much as fits at 18 pt or more
        (alt,) = alt_texts(slide)
        assert row.title in alt and "highlighted" in alt
        assert row.summary in slide.notes_slide.notes_text_frame.text and "Sources:" in slide.notes_slide.notes_text_frame.text
    closing = " ".join(s.text_frame.text for s in slides[-1].shapes if s.has_text_frame)
    assert [closing.index(title) for title in rows["title"]] == sorted(closing.index(t) for t in rows["title"])
    assert filename_for(record, Query(), "timeline", "pptx", events=LISTED).startswith("alliance-events_3_")
    assert filename_for(record, Query(), "timeline", "pptx", events=LISTED[::-1]) != filename_for(
        record, Query(), "timeline", "pptx", events=LISTED)


def test_a_list_deck_refuses_unknown_events_and_a_narrative_at_once(record):
    from alliance.export import ExportError

    with pytest.raises(ExportError, match="unknown event id 'no-such-event'"):
        build_export(record, Query(), "timeline", "pptx", events=("no-such-event",))
    with pytest.raises(ExportError, match="either a narrative or a list"):
        build_export(record, Query(narrative="korus-fta"), "timeline", "pptx", events=LISTED[:1])


@pytest.mark.parametrize("query, events", [(QUERY, ()), (Query(narrative="korus-fta"), ()), (Query(), LISTED)])
def test_deck_pictures_are_drawn_for_the_box_they_fill(monkeypatch, record, query, events):
    """A chart's type is sized in points as the picture is shown on its slide: a 1920 px chart
    squeezed into a 10-inch box would show 14 pt type at 10 pt. The images are stood in for (no
    browser): the figure each picture was drawn from is kept beside its placed size."""
    from PIL import Image

    import alliance.export

    drawn = []

    def fake_image(figure, fmt):
        drawn.append(figure)
        out = io.BytesIO()
        Image.new("RGB", (figure["layout"]["width"], figure["layout"]["height"]), "white").save(out, "PNG")
        return out.getvalue()

    monkeypatch.setattr(alliance.export, "image_bytes", fake_image)
    deck = Presentation(io.BytesIO(build_export(record, query, "timeline", "pptx", events=events).content))
    placed = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
    assert placed and len(placed) == len(drawn)
    for shape, figure in zip(placed, drawn, strict=True):
        layout = figure["layout"]
        assert abs(layout["width"] / layout["height"] - shape.width / shape.height) < 0.01  # not stretched
        px_per_pt = layout["width"] / shape.width.pt
        for font in (layout["xaxis"]["tickfont"], layout["yaxis"]["tickfont"], layout["legend"]["font"]):
            assert font["size"] / px_per_pt >= 14


def test_the_list_deck_export_is_named_after_its_events(record):
    assert build_export(record, Query(), "timeline", "pptx", events=LISTED).filename == filename_for(
        record, Query(), "timeline", "pptx", events=LISTED)
