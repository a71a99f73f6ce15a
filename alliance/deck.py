"""PowerPoint decks a presenter can put in front of a room as they are.

Three kinds of deck, chosen by the query and the events asked for:
- **a view deck** (the default): cover, the timeline (a picture, with its key and labels), events
  per year as a native stacked column chart, issue areas by administration as a native table, then
  one slide per landmark event in view, plus the open event (`event=`);
- **a narrative deck** (`narrative=<id>`): the narrative's title and framing, one slide per step
  (the step's text above the timeline focused on that step: its window and its event's issue
  areas), and a closing slide listing the steps;
- **a list deck** (a list of event ids, in the presenter's order): the same, one slide per event
  with its short summary.

Pictures are drawn for the box they fill on the slide (`alliance.canvas`), so their type reads at
the sizes a picture exported for a whole slide does.
Every slide has its title in a real title placeholder (PowerPoint's outline, its accessibility
checker and screen readers read it), a slide number, and the source line; every picture has alt
text saying what it shows; the deck's title, subject and author are set. Native charts and tables
take their numbers from the same figures the dashboard draws, so the deck agrees with the screen.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .dates import parse_partial_date
from .filters import listing
from .query import Query
from .record import EventRow, Narrative, Record, SourceCell, event_rows

FONT = "Arial"
TITLE_COLOUR = "0B4F8A"
INK = "1F2933"
MUTED = "52606D"
SUMMARY_CHARS = 330  # a landmark slide's summary: about five lines at 20 pt; the rest is in the notes
_ABBREVIATION = re.compile(r"(\b[A-Z]\.)+$|\b(Gen|Sen|Rep|Mr|Mrs|Ms|Dr|Jr|St|No|Lt|Col|Adm)\.$")


@dataclass(frozen=True)
class DeckPlan:
    """Which slides a deck gets: the view's charts and landmarks (plus extra events), a narrative, or a list."""

    narrative: Narrative | None = None
    extra: tuple[str, ...] = ()  # events that get a slide in a view deck even when they are not landmarks
    listed: tuple[str, ...] = ()  # a list deck: one slide per event, in this order


def plan_for(record: Record, query: Query, events: tuple[str, ...] = ()) -> DeckPlan:
    """The deck the query and `events` (a list of event ids, in the presenter's order) ask for.

    Raises ValueError naming any id the record does not know, or when a narrative and a list are both asked for.
    """
    narrative = next((n for n in record.narratives if n.id == query.narrative), None)
    listed = tuple(dict.fromkeys(events))
    unknown = [i for i in listed if i not in record.ids]
    if unknown:
        raise ValueError(f"unknown event id{'s' * (len(unknown) > 1)} {', '.join(map(repr, unknown))} (not in the record)")
    if listed and narrative is not None:
        raise ValueError("a deck is either a narrative or a list of events, not both")
    return DeckPlan(narrative=narrative, extra=(query.event,) if query.event else (), listed=listed)


def short_summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first sentences of a summary that fit `limit` characters (at least one, cut at a word)."""
    sentences = sentences_of(text)
    kept = sentences[0]
    for sentence in sentences[1:]:
        if len(kept) + 1 + len(sentence) > limit:
            break
        kept += " " + sentence
    if len(kept) > limit:
        kept = kept[: kept.rfind(" ", 0, limit - 1)].rstrip(",;:") + " …"
    return kept


def sentences_of(text: str) -> list[str]:
    """Sentences, not split after "U.S." or "Gen." (the record's prose is full of both)."""
    pieces = re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”)]))\s+(?=[A-Z0-9\"“(])", " ".join(text.split()))
    sentences: list[str] = []
    for piece in pieces:
        if sentences and _ABBREVIATION.search(sentences[-1]):
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences


def sources_line(sources: list[SourceCell], most: int = 3) -> list[tuple[str, str | None]]:
    """(text, url) runs for a one-line source credit: publishers, deduplicated, at most `most`."""
    names: dict[str, str | None] = {}
    for source in sources:
        name = source.get("publisher") or source["title"]
        names.setdefault(name, source.get("url"))
    shown = list(names.items())[:most]
    runs: list[tuple[str, str | None]] = [("Sources: ", None)] if len(names) > 1 else [("Source: ", None)]
    for index, (name, url) in enumerate(shown):
        runs += [("; ", None)] if index else []
        runs.append((name, url))
    if len(names) > most:
        runs.append((f"; and {len(names) - most} more (see notes)", None))
    return runs


def talking_points(record: Record, row: EventRow) -> str:
    """Speaker notes for an event: date, what happened, who, why it mattered, sources."""
    by_id = {e.id: e for e in record.events}
    steps = [by_id[i] for i in row.related if i in by_id]
    before = [e for e in steps if e.date.first < by_id[row.id].date.first]
    after = [e for e in steps if e.date.first >= by_id[row.id].date.first]
    labels = {t.id: t.label for t in record.vocab.topics}
    lines = [f"Date: {row.date_label}", f"What happened: {row.summary}"]
    if row.actors:
        lines.append(f"Who: {', '.join(row.actors)}")
    lines.append(f"Issue areas: {', '.join(labels.get(t, t) for t in row.topics)}")
    why = ["A landmark of the alliance." if int(row.importance) == 3 else "A step in a larger story."]
    if before:
        why.append("It follows " + "; ".join(f"{e.title} ({e.date.label()})" for e in before[-2:]) + ".")
    if after:
        why.append("It led to " + "; ".join(f"{e.title} ({e.date.label()})" for e in after[:2]) + ".")
    lines.append("Why it mattered: " + " ".join(why))
    lines.append("Sources:")
    lines += [" — ".join(part for part in (s["title"], s["publisher"], s["date"], s["url"]) if part) for s in row.sources]
    if isinstance(row.note, str) and row.note:
        lines.append(f"Curator's note: {row.note}")
    return "\n".join(lines)


def title_points(title: str, width_pt: float, sizes=(30, 28, 26, 24)) -> int:
    """The largest size at which a slide title takes at most two lines of its placeholder (bold Arial
    runs about 8% wider than regular); a longer title gets the smallest and wraps on."""
    from .canvas import wrap

    return next((size for size in sizes if len(wrap(title, size * 1.08, width_pt)) <= 2), sizes[-1])


class _Deck:
    """A 16:9 presentation with the house style: one font, the charts' colours, numbered slides."""

    def __init__(self, source: str):
        from pptx import Presentation
        from pptx.util import Emu, Inches

        self.deck = Presentation()
        self.width, self.height = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in
        self.deck.slide_width, self.deck.slide_height = self.width, self.height
        self.margin = Inches(0.6)
        self.source = source

    def slide(self, title: str, *, cover: bool = False, subtitle: str = ""):
        """A slide whose title sits in the layout's title placeholder (Title Slide or Title Only)."""
        from pptx.util import Emu, Inches

        layout = self.deck.slide_layouts[0 if cover else 5]
        slide = self.deck.slides.add_slide(layout)
        title_shape = slide.shapes.title
        title_shape.text = title
        if cover:
            title_shape.left, title_shape.top = self.margin, Inches(1.7)
            title_shape.width, title_shape.height = self.width - 2 * self.margin, Inches(2.0)
            body = slide.placeholders[1]
            body.text = subtitle
            body.left, body.top = self.margin, Inches(3.9)
            body.width, body.height = self.width - 2 * self.margin, Inches(2.2)
            self._style(body.text_frame, 20, MUTED)
            self._style(title_shape.text_frame, 36, TITLE_COLOUR, bold=True)
        else:
            title_shape.left, title_shape.top = self.margin, Inches(0.3)
            title_shape.width, title_shape.height = self.width - 2 * self.margin, Inches(0.95)
            self._style(title_shape.text_frame, title_points(title, Emu(title_shape.width).pt), TITLE_COLOUR,
                        bold=True, left=True)
            title_shape.text_frame.word_wrap = True
        self._footer(slide)
        return slide

    def _style(self, frame, size: float, colour: str, *, bold: bool = False, left: bool = False) -> None:
        from pptx.dml.color import RGBColor
        from pptx.enum.text import PP_ALIGN
        from pptx.util import Pt

        for paragraph in frame.paragraphs:
            if left:
                paragraph.alignment = PP_ALIGN.LEFT
            for run in paragraph.runs:
                run.font.size, run.font.name, run.font.bold = Pt(size), FONT, bold
                run.font.color.rgb = RGBColor.from_string(colour)

    def text(self, slide, left, top, width, height, paragraphs: Sequence[list[tuple[str, str | None]] | str],
             size: float, colour: str = INK, *, space: float = 10):
        """A text box; each paragraph is a string or (text, url) runs (links on the runs that have one)."""
        from pptx.dml.color import RGBColor
        from pptx.util import Pt

        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        for index, paragraph_runs in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(space)
            for text, url in ([(paragraph_runs, None)] if isinstance(paragraph_runs, str) else paragraph_runs):
                run = paragraph.add_run()
                run.text = text
                run.font.size, run.font.name = Pt(size), FONT
                run.font.color.rgb = RGBColor.from_string(colour)
                if url and url.startswith(("http://", "https://")):
                    run.hyperlink.address = url
        return box

    def _footer(self, slide) -> None:
        """The source line (left) and the slide number (right, a real slide-number field)."""
        from pptx.enum.text import PP_ALIGN
        from pptx.oxml.ns import qn
        from pptx.util import Inches

        top = self.height - Inches(0.55)
        self.text(slide, self.margin, top, self.width - 2 * self.margin - Inches(0.8), Inches(0.45), [self.source], 10, MUTED)
        box = slide.shapes.add_textbox(self.width - self.margin - Inches(0.7), top, Inches(0.7), Inches(0.45))
        paragraph = box.text_frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT
        field = paragraph._p.makeelement(qn("a:fld"), {"id": "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", "type": "slidenum"})
        properties = field.makeelement(qn("a:rPr"), {"lang": "en-US", "sz": "1200"})
        field.append(properties)
        text = field.makeelement(qn("a:t"), {})
        text.text = str(len(self.deck.slides))
        field.append(text)
        paragraph._p.append(field)

    def picture(self, slide, png: bytes, alt: str, left, top, width, height=None):
        picture = slide.shapes.add_picture(io.BytesIO(png), left, top, width=width, height=height)
        picture._element.nvPicPr.cNvPr.set("descr", alt)  # alt text, as PowerPoint's "Edit Alt Text" stores it
        picture.name = alt[:60]
        return picture

    def save(self, title: str, subject: str) -> bytes:
        properties = self.deck.core_properties
        properties.title, properties.subject, properties.author = title, subject, "Alliance Timeline"
        properties.keywords = "U.S.-ROK alliance; Alliance Timeline"
        out = io.BytesIO()
        self.deck.save(out)
        return out.getvalue()


def deck_bytes(record: Record, query: Query, *, events: tuple[str, ...] = (), today: date | None = None) -> bytes:
    """The deck the query asks for: a narrative deck when `narrative=` is set, a list deck when
    `events` are given (one slide per event, in that order), else the view deck."""
    from .export import source_line, title_for

    plan = plan_for(record, query, events)
    today = today or date.today()
    frame = query.apply(record.frame)
    deck = _Deck(source_line(record, query, len(frame)))
    if plan.narrative is not None:
        return _narrative_deck(deck, record, plan.narrative, today)
    if plan.listed:
        return _list_deck(deck, record, plan.listed, today)
    title = title_for(record, query, "timeline")
    deck.slide(title, cover=True, subtitle=f"{len(frame)} of {len(record.frame)} events in view\n"
                                           f"Record {record.version} · generated {today.isoformat()}")
    if frame.empty:
        slide = deck.slide("No events match these filters")
        deck.text(slide, deck.margin, deck.margin * 3, deck.width - 2 * deck.margin, deck.height // 2,
                  ["Widen the time window or clear a filter on the dashboard, then export again."], 20)
        return deck.save(title, "Alliance Timeline view")
    _picture_slide(deck, record, query, "timeline")
    _chart_slide(deck, record, query)
    _table_slide(deck, record, query)
    picked = [row for row in event_rows(frame) if int(row.importance) == 3 or row.id in plan.extra]
    extra = [i for i in plan.extra if i not in set(frame["id"])]
    picked += list(event_rows(record.frame[record.frame["id"].isin(extra)]))
    for row in picked:
        _event_slide(deck, record, row)
    return deck.save(title, "Alliance Timeline view: timeline, events per year, issue areas by administration, landmarks")


def _picture_slide(deck: _Deck, record: Record, query: Query, view: str) -> None:
    """The view's chart across the slide, drawn for the box it fills (its type in points on the slide)."""
    from pptx.util import Emu, Inches

    from .canvas import Canvas
    from .export import image_bytes, slide_figure, title_for

    title = title_for(record, query, view, filters=False)
    slide = deck.slide(title)
    top = Inches(1.3)
    width, height = deck.width - 2 * deck.margin, deck.height - top - Inches(0.6)
    figure = slide_figure(record, query, view, Canvas.box(Emu(width).inches, Emu(height).inches), framed=False)
    alt = (f"Timeline chart: {title_for(record, query, view)}. Events of the alliance drawn by issue area, "
           "with U.S. and ROK administrations above.")
    deck.picture(slide, image_bytes(figure, "png"), alt, deck.margin, top, width, height)
    slide.notes_slide.notes_text_frame.text = alt + "\n" + deck.source


def _chart_slide(deck: _Deck, record: Record, query: Query) -> None:
    """Events per year as a native stacked column chart, from the dashboard's own figure."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    from .export import title_for, view_figure

    figure = view_figure(record, query, "topics")
    bars = [t for t in figure["data"] if t.get("type") == "bar"]
    years = sorted({int(x) for t in bars for x in t["x"]})
    if not years:
        return
    years = list(range(years[0], years[-1] + 1))
    data = CategoryChartData()
    data.categories = [str(y) for y in years]
    for trace in bars:
        counts = dict(zip((int(x) for x in trace["x"]), trace["y"], strict=True))
        data.add_series(html.unescape(trace["name"]), [int(counts.get(y, 0)) for y in years])  # plotly's names are escaped
    title = title_for(record, query, "topics")
    slide = deck.slide(title)
    top = Inches(1.3)
    shape = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_STACKED, deck.margin, top, deck.width - 2 * deck.margin,
                                   deck.height - top - Inches(0.7), data)
    chart = shape.chart
    chart.has_legend, chart.legend.position, chart.legend.include_in_layout = True, XL_LEGEND_POSITION.TOP, False
    chart.legend.font.size, chart.legend.font.name = Pt(14), FONT
    chart.font.size, chart.font.name = Pt(14), FONT
    chart.plots[0].gap_width, chart.plots[0].overlap = 30, 100
    colours = {html.unescape(t["name"]): t["marker"]["color"].lstrip("#") for t in bars}
    for series in chart.series:
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(colours[series.name].upper())
    value_axis = chart.value_axis
    value_axis.has_title = True
    value_axis.axis_title.text_frame.text = "events"
    value_axis.major_unit = max(1, int(max(sum(c) for c in zip(*[s.values for s in chart.series], strict=True)) // 6) or 1)
    value_axis.tick_labels.font.size = Pt(14)
    chart.category_axis.tick_labels.font.size = Pt(14)
    total = sum(int(v) for t in bars for v in t["y"])
    shape.name = "Events per year"
    shape._element.nvGraphicFramePr.cNvPr.set("descr", f"Stacked column chart: {title}; {total} events in all.")
    slide.notes_slide.notes_text_frame.text = f"{title}. {total} events in all.\n{deck.source}"


TABLE_ROWS_PER_SLIDE = 11  # administrations per slide at 14 pt; more go on a continuation slide


def _table_slide(deck: _Deck, record: Record, query: Query) -> None:
    """Issue areas by administration as a native table (administrations down the side: they are many).

    At 14 pt a slide holds about eleven administrations; a longer window continues on the next
    slide ("1 of 2"), so the type never shrinks below what the back of the room can read.
    """
    from .export import title_for, view_figure

    figure = view_figure(record, query, "matrix")
    heatmap = next((t for t in figure["data"] if t.get("type") == "heatmap"), None)
    if heatmap is None or not heatmap["x"] or not heatmap["y"]:
        return
    areas, terms, z = [html.unescape(y) for y in heatmap["y"]], [html.unescape(x) for x in heatmap["x"]], heatmap["z"]
    rows = [[term, *(str(int(z[a][t])) if z[a][t] else "" for a in range(len(areas)))] for t, term in enumerate(terms)]
    pages = [rows[i:i + TABLE_ROWS_PER_SLIDE] for i in range(0, len(rows), TABLE_ROWS_PER_SLIDE)]
    title = title_for(record, query, "matrix")
    for number, page in enumerate(pages, start=1):
        shown = title if len(pages) == 1 else f"{title} ({number} of {len(pages)})"
        _one_table(deck, shown, [["Administration", *areas], *page])


def _one_table(deck: _Deck, title: str, cells: list[list[str]]) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    slide = deck.slide(title)
    top, header, row_height = Inches(1.3), Inches(0.75), Inches(0.4)
    shape = slide.shapes.add_table(len(cells), len(cells[0]), deck.margin, top, deck.width - 2 * deck.margin,
                                   header + row_height * (len(cells) - 1))
    table = shape.table
    table.rows[0].height = header
    for r in range(1, len(cells)):
        table.rows[r].height = row_height
    table.columns[0].width = Inches(2.4)
    for column in range(1, len(cells[0])):
        table.columns[column].width = int((deck.width - 2 * deck.margin - Inches(2.4)) / (len(cells[0]) - 1))
    for r, values in enumerate(cells):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size, run.font.name, run.font.bold = Pt(14), FONT, r == 0
                    run.font.color.rgb = RGBColor.from_string("FFFFFF" if r == 0 else INK)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
    shape.name = "Issue areas by administration"
    shape._element.nvGraphicFramePr.cNvPr.set("descr", f"Table: {title}; counts of events per issue area and term.")
    slide.notes_slide.notes_text_frame.text = f"{title}. An event in several issue areas counts in each.\n{deck.source}"


def _event_slide(deck: _Deck, record: Record, row: EventRow) -> None:
    from pptx.util import Inches

    slide = deck.slide(row.title)
    left, width = deck.margin, deck.width - 2 * deck.margin
    deck.text(slide, left, Inches(1.35), width, Inches(0.5), [row.date_label], 20, MUTED)
    deck.text(slide, left, Inches(2.0), width, Inches(3.4), [short_summary(row.summary)], 22)
    deck.text(slide, left, Inches(5.6), width, Inches(0.9), [sources_line(row.sources)], 14, MUTED)
    slide.notes_slide.notes_text_frame.text = talking_points(record, row)


@dataclass(frozen=True)
class Story:
    """A deck told event by event: a narrative's steps, or the presenter's list of events."""

    title: str
    framing: str  # the cover's text; also the closing slide's notes
    steps: tuple[tuple[str, str], ...]  # (event id, the step's text on the slide)
    noun: str  # "Step" or "Event": "Step 2 of 5"
    subject: str


def _narrative_deck(deck: _Deck, record: Record, narrative: Narrative, today: date) -> bytes:
    deck.source = (f"Source: Alliance Timeline record {record.version}, narrative “{narrative.title}” "
                   f"({len(narrative.steps)} steps)")
    return _story_deck(deck, record, Story(narrative.title, narrative.framing,
                                           tuple((s.event, s.note) for s in narrative.steps), "Step",
                                           "Alliance Timeline narrative deck"), today)


def _list_deck(deck: _Deck, record: Record, events: tuple[str, ...], today: date) -> bytes:
    """One slide per listed event (the presenter's order): its timeline, date, short summary and sources."""
    from .titles import ALLIANCE, range_words

    rows = record.frame.set_index("id").loc[list(events)]
    first, last = rows["start"].min().year, rows["date_last"].max().year
    count = f"{len(events)} event{'s' * (len(events) != 1)}"
    deck.source = f"Source: Alliance Timeline record {record.version}, {count} chosen for this deck"
    summaries = tuple((i, record.events[record.positions[i]].summary) for i in events)
    story = Story(f"{ALLIANCE}: {count}, {range_words(parse_partial_date(str(first)), parse_partial_date(str(last)))}",
                  "", summaries, "Event", "Alliance Timeline deck of chosen events")
    return _story_deck(deck, record, story, today)


def fit_text(text: str, width_pt: float, height_pt: float, sizes=(20, 18)) -> tuple[str, int]:
    """(text, size) that fill a box without running out of it: the largest size at which all of
    `text` fits, else the smallest size and the first sentences that fit (the notes keep the rest)."""
    from .canvas import wrap

    def fits(words: str, size: int) -> bool:
        return len(wrap(words, size, width_pt)) * size * 1.2 <= height_pt

    for size in sizes:
        if fits(text, size):
            return text, size
    size, limit = sizes[-1], len(text)
    while limit > 40 and not fits(short_summary(text, limit), size):
        limit = int(limit * 0.9)
    return short_summary(text, limit), size


def _story_deck(deck: _Deck, record: Record, story: Story, today: date) -> bytes:
    """Cover, one slide per step (its text above the timeline focused on it), and a closing list.

    The text runs the slide's width (the step and date, the text as large as fits, the sources),
    so the timeline below gets the whole width too: its key then takes three rows, not eight.
    """
    from pptx.util import Emu, Inches, Pt

    from .canvas import Canvas, wrap
    from .export import image_bytes, slide_figure
    from .view import focus_window

    steps = story.steps
    frame = record.frame.set_index("id")
    areas_by_id = {t.id: t.label for t in record.vocab.topics}
    framing = f"{short_summary(story.framing, 420)}\n" if story.framing else ""
    deck.slide(story.title, cover=True, subtitle=f"{framing}{len(steps)} {story.noun.lower()}s · record "
                                                 f"{record.version} · generated {today.isoformat()}")
    left, top, width = deck.margin, Inches(1.3), deck.width - 2 * deck.margin
    text_pt = Emu(width).pt - 14  # less the text box's own insets
    picture_top, bottom = Inches(3.15), deck.height - Inches(0.6)
    canvas = Canvas.box(Emu(width).inches, Emu(bottom - picture_top).inches)
    lines = []  # the closing slide's: each step's date and title
    for number, (event_id, text) in enumerate(steps, start=1):
        row = next(event_rows(frame.loc[[event_id]].reset_index()))
        lines.append(f"{row.date_label} — {row.title}")
        slide = deck.slide(row.title)
        header = f"{story.noun} {number} of {len(steps)} · {row.date_label}"
        credit = sources_line(row.sources, most=3)
        credit_h = Pt(len(wrap("".join(t for t, _ in credit), 12, text_pt)) * 12 * 1.2 + 8)
        body_top, body_bottom = top + Inches(0.4), picture_top - credit_h
        shown, size = fit_text(text, text_pt, Emu(body_bottom - body_top).pt - 8)
        deck.text(slide, left, top, width, Inches(0.4), [header], 16, MUTED)
        deck.text(slide, left, body_top, width, body_bottom - body_top, [shown], size, space=0)
        deck.text(slide, left, body_bottom, width, credit_h, [credit], 12, MUTED)
        start, end = focus_window(record, event_id)
        focused = Query(topics=tuple(row.topics), event=event_id, start=start, end=end)  # its own areas: lanes that read
        figure = slide_figure(record, focused, "timeline", canvas, framed=False)
        place = f"{story.noun.lower()} {number} of {len(steps)}"
        areas = listing([areas_by_id[t] for t in row.topics if t in areas_by_id], last=" and ")
        alt = f"Timeline of {areas}, {start}–{end}, with {row.title} ({row.date_label}) highlighted: {place}."
        deck.picture(slide, image_bytes(figure, "png"), alt, left, picture_top, width, bottom - picture_top)
        slide.notes_slide.notes_text_frame.text = f"{story.noun} {number}: {text}\n\n" + talking_points(record, row)
    closing = deck.slide(f"{story.title}: the {story.noun.lower()}s")
    deck.text(closing, deck.margin, Inches(1.35), deck.width - 2 * deck.margin, deck.height - Inches(2.1), lines,
              18 if len(lines) <= 9 else 14, space=4)
    closing.notes_slide.notes_text_frame.text = story.framing or "\n".join(lines)
    return deck.save(story.title, story.subject)
