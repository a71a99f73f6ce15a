"""The event detail panel and the table of events: record text rendered as text, never as HTML."""

from __future__ import annotations

import dash_ag_grid as dag
import numpy as np
from dash import html

from alliance.filters import IMPORTANCE_WORDS
from alliance.memo import per_record
from alliance.record import Record, event_rows

from . import ids

_PRECISION = {"day": "exact date", "month": "month known, day not", "year": "year known, month not"}


def safe_link(url: str | None, text: str):
    """A link only for http(s) URLs; anything else is shown as plain text."""
    if url and url.startswith(("http://", "https://")):
        return html.A(text, href=url, target="_blank", rel="noopener noreferrer")
    return html.Span(text)


def detail_panel(record: Record, event_id: str | None, *, story: str | None = None) -> list:
    """Children of the detail panel for one event (or a hint when none is open). `story`: the event
    whose story (it and its related events) the view shows, if any."""
    if event_id is None or event_id not in record.positions:
        return [html.P("Click an event on the timeline or in the table to see what happened, who was involved and "
                       "the sources. Keys: [ and ] step through events, / searches.", className="hint")]
    row = record.frame.iloc[record.positions[event_id]]
    topics = {t.id: t for t in record.vocab.topics}
    kind = record.vocab.kind(str(row["kind"]))
    titles = {r: record.frame["title"].iat[record.positions[r]] for r in row["related"] if r in record.positions}
    return [
        html.H2(row["title"], id="detail-title", tabIndex=-1),
        html.P(className="detail-date", children=[
            html.Strong(row["date_label"]), html.Span(f" · {_PRECISION[row['precision']]}", className="muted"),
            html.Span(" · span" if isinstance(row["end_date_text"], str) else "", className="muted"),
        ]),
        html.P(row["summary"], className="summary"),
        html.Dl(className="facts", children=[
            html.Dt("Kind"), html.Dd(kind.label),
            html.Dt("Issue areas"), html.Dd([
                html.Span([html.Span(className="swatch", style={"backgroundColor": topics[t].colour}), topics[t].label],
                          className="tag") for t in row["topics"]]),
            html.Dt("Importance"), html.Dd(IMPORTANCE_WORDS[int(row["importance"])]),
            *([html.Dt("Who"), html.Dd(", ".join(row["actors"]))] if row["actors"] else []),
        ]),
        html.H3("Sources"),
        html.Ol(className="sources", children=[
            html.Li([safe_link(s["url"], s["title"]),
                     html.Span(f" — {s['publisher']}" if s["publisher"] else "", className="muted"),
                     html.Span(f" ({s['date']})" if s["date"] else "", className="muted")])
            for s in row["sources"]
        ]),
        *([html.H3("Related events"), html.Ul(className="related", children=[
            html.Li(html.Button(titles.get(r, r), id={"type": ids.RELATED, "index": r}, className="link-button"))
            for r in row["related"] if r in titles
        ]), story_button(event_id, len(titles) + 1, story)] if row["related"] else []),
    ]


def story_button(event_id: str, size: int, story: str | None):
    """"Show this story": the event and its related events alone on the timeline, in date order; while
    that story is shown, the same button brings every event back."""
    showing = story == event_id
    return html.Button("Show all events" if showing else f"Show this story ({size} events)",
                       id={"type": ids.STORY, "index": event_id}, className="button secondary story",
                       title="Back to every event that matches the filters" if showing else
                       "Show only this event and the events related to it, from first to last")


# The table's columns. Each sorts by a key while showing words: the date by its ISO start (so "March 1977"
# sorts at 1 March 1977 and "1 April 2020" after "1 December 1994"), importance by its rank. Cells show
# values as text (no cell renderer), so record text is never read as HTML.
TABLE_COLUMNS = [
    {"field": "sort_date", "headerName": "Date", "valueFormatter": {"function": "params.data.date_label"},
     "width": 180, "sort": "asc", "sortingOrder": ["asc", "desc"], "wrapText": True, "autoHeight": True},
    {"field": "title", "headerName": "Title", "flex": 3, "minWidth": 260, "wrapText": True, "autoHeight": True},
    {"field": "areas", "headerName": "Issue areas", "flex": 2, "minWidth": 180, "wrapText": True, "autoHeight": True},
    {"field": "kind_label", "headerName": "Kind", "width": 160, "wrapText": True, "autoHeight": True},
    {"field": "importance", "headerName": "Importance", "width": 130, "sortingOrder": ["desc", "asc"],
     "valueFormatter": {"function": "params.data.importance_label"}},
]


TABLE_LIMIT = 1000  # rows sent to the browser's table; a person pages through hundreds, not 100,000


def table_size(shown: int) -> int:
    """How many of `shown` events the table lists."""
    return min(shown, TABLE_LIMIT)


def table_rows(record: Record, keep) -> list[dict]:
    """Table rows of the kept events (a boolean per event), in date order, at most TABLE_LIMIT.

    Every row is formatted once per record (`all_table_rows`); a view only picks rows.
    """
    rows = all_table_rows(record)
    return [rows[i] for i in np.flatnonzero(keep)[:table_size(len(rows))]]


@per_record
def all_table_rows(record: Record) -> list[dict]:
    """Every event's table row, in date order: the dashboard's own cache, kept beside the record."""
    labels = {t.id: t.label for t in record.vocab.topics}
    kinds = {k.id: k.label for k in record.vocab.kinds}
    return [{"id": r.id, "date_label": r.date_label, "sort_date": r.start.strftime("%Y-%m-%d"),
             "title": r.title, "areas": ", ".join(labels[t] for t in r.topics),
             "kind_label": kinds[str(r.kind)], "importance": int(r.importance),
             "importance_label": IMPORTANCE_WORDS[int(r.importance)]}
            for r in event_rows(record.frame)]


# What the grid's keys do, beyond ag-grid's own (arrows, Page Up/Down, Home/End between cells and rows;
# Enter on a header sorts): Enter on a row opens its event, like a click (assets/grid.js `openEvent`,
# which reports the row's id as the grid's `eventData`). Tab and Shift+Tab leave the grid instead of
# walking its thousands of cells: the grid is one stop in the page's Tab order, as in the ARIA grid pattern.
OPEN_EVENT = "openEvent(params, setEventData)"


def events_table() -> dag.AgGrid:
    return dag.AgGrid(
        id=ids.TABLE, columnDefs=TABLE_COLUMNS, rowData=[], getRowId="params.data.id", className="event-grid",
        defaultColDef={"sortable": True, "resizable": True, "suppressMovable": True, "filter": False},
        eventListeners={"cellClicked": [OPEN_EVENT], "cellKeyDown": [OPEN_EVENT]},
        dashGridOptions={"tabToNextCell": {"function": "false"}, "tabToNextHeader": {"function": "false"},
                         "suppressCellFocus": False, "enableCellTextSelection": True, "ensureDomOrder": True,
                         "rowHeight": 36, "headerHeight": 38, "animateRows": False,
                         "localeText": {"noRowsToShow": "No events in view"}},
        style={"height": "520px", "width": "100%"},
    )
