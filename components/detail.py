"""The event detail panel and the table of events: record text rendered as text, never as HTML."""

from __future__ import annotations

import numpy as np
from dash import dash_table, html

from alliance.figures import FONT
from alliance.memo import per_record
from alliance.record import Record

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
    position = record.positions.get(event_id)
    if position is None:
        return [html.P("Click an event on the timeline or in the table to see what happened, who was involved and "
                       "the sources. Keys: [ and ] step through events, / searches.", className="hint")]
    row = record.frame.iloc[position]
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
            html.Dt("Importance"), html.Dd({1: "minor", 2: "normal", 3: "landmark"}[int(row["importance"])]),
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


TABLE_COLUMNS = [
    {"name": "Date", "id": "date_label"},
    {"name": "Title", "id": "title"},
    {"name": "Issue areas", "id": "areas"},
    {"name": "Kind", "id": "kind_label"},
    {"name": "Importance", "id": "importance", "type": "numeric"},
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
             "kind_label": kinds[str(r.kind)], "importance": int(r.importance)}
            for r in record.frame.itertuples()]


def events_table() -> dash_table.DataTable:
    return dash_table.DataTable(
        id=ids.TABLE, columns=TABLE_COLUMNS, data=[], sort_action="native", page_action="native", page_size=12,
        style_as_list_view=True, cell_selectable=True,
        style_header={"fontWeight": "600", "fontFamily": FONT, "backgroundColor": "#f5f7fa", "color": "#1f2933"},
        style_cell={"fontFamily": FONT, "fontSize": "14px", "textAlign": "left", "padding": "6px 10px",
                    "whiteSpace": "normal", "height": "auto", "color": "#1f2933"},
        style_cell_conditional=[{"if": {"column_id": "date_label"}, "width": "170px"},
                                {"if": {"column_id": "importance"}, "width": "90px"}],
    )
