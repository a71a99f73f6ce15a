"""The page: header, filters, scrubber, the timeline as the hero with details beside it, topic views,
the table, and a footer naming the record version."""

from __future__ import annotations

from dash import dcc, html

from alliance.record import Record

from . import aria, ids
from .controls import filter_bar, scrubber
from .detail import events_table
from .exports import export_menu

GRAPH_CONFIG: dcc.Graph.Config = {"displaylogo": False, "scrollZoom": True, "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage", "sendChartToCloud"]}
STATIC_CONFIG: dcc.Graph.Config = {"displaylogo": False, "displayModeBar": False, "responsive": True}


def count_text(shown: int, total: int, listed: int | None = None) -> str:
    """`12 of 252 events`; says so when the table lists only the first part of a large selection (the CSV has all)."""
    text = f"{shown:,} of {total:,} events"
    if listed is not None and listed < shown:
        text += f" (table: first {listed:,})"
    return text


def narrative_box(record: Record) -> html.Section:
    return html.Section(className="card narrative", **aria.label("Narratives"), children=[
        html.H2("Narratives"),
        dcc.Dropdown(id=ids.NARRATIVE, options=[{"label": n.title, "value": n.id} for n in record.narratives],
                     placeholder="Step through a curated story…", clearable=True),
        # The buttons above the story's text, so however long its framing, they stay on screen with an event open.
        html.Div(className="step-buttons", children=[
            html.Button("◀ Previous step", id=ids.NARRATIVE_PREV, className="button secondary"),
            html.Button("Next step ▶", id=ids.NARRATIVE_NEXT, className="button secondary"),
        ]),
        html.Div(id=ids.NARRATIVE_PANEL, className="narrative-step"),
    ])


def page(record: Record) -> html.Div:
    return html.Div(className="page", children=[
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id="window-preview"),
        dcc.Store(id=ids.DRAWN),
        dcc.Store(id=ids.VIEWS_DRAWN),
        html.Header(className="header", children=[
            html.H1("Alliance Timeline"),
            html.P("Seventy years of the U.S.–Republic of Korea alliance, from a sourced record.", className="subtitle"),
        ]),
        filter_bar(record),
        scrubber(record),
        html.Div(className="main-grid", children=[
            html.Main(className="card hero", children=[
                html.Div(className="hero-bar", children=[
                    html.H2("Timeline"),
                    html.Span("The key under the chart explains shapes, sizes and bars.", className="legend-note"),
                    html.Div(className="step-buttons", children=[
                        html.Button("◀ Previous event", id=ids.PREV_EVENT, className="button secondary",
                                    title="Previous event in view ( [ )"),
                        html.Button("Next event ▶", id=ids.NEXT_EVENT, className="button secondary",
                                    title="Next event in view ( ] )"),
                    ]),
                ]),
                dcc.Graph(id=ids.TIMELINE, config=GRAPH_CONFIG, className="timeline"),
            ]),
            html.Aside(className="side", children=[
                html.Section(className="card detail", **aria.label("Event detail"), children=[
                    html.Button("×", id=ids.CLOSE_DETAIL, className="close", title="Close (Esc)",
                                **aria.label("Close event detail")),
                    html.Div(id=ids.DETAIL, **aria.live()),
                ]),
                narrative_box(record),
            ]),
        ]),
        html.Div(className="topic-grid", children=[
            html.Section(className="card", children=[
                html.H2("Events per year by issue area"),
                html.P("Each event is counted once, in the colour of its first-listed issue area; hover for every area's "
                       "count. Click a bar to filter to that issue area and year.", className="muted small"),
                dcc.Graph(id=ids.TOPIC_YEARS, config=STATIC_CONFIG, style={"height": "300px"}),
            ]),
            html.Section(className="card", children=[
                html.Div(className="matrix-head", children=[
                    html.H2("Issue areas by administration"),
                    dcc.RadioItems(id=ids.MATRIX_COUNTRY, value="US", inline=True,
                                   options=[{"label": "U.S. presidents", "value": "US"},
                                            {"label": "ROK presidents", "value": "ROK"}]),
                ]),
                html.P("Click a cell to filter to that issue area and term.", className="muted small"),
                dcc.Graph(id=ids.TOPIC_MATRIX, config=STATIC_CONFIG, style={"height": "320px"}),
            ]),
        ]),
        export_menu(),
        html.Section(className="card", **aria.label("Events in view"), children=[
            html.H2("Events in view"), events_table(),
        ]),
        html.Footer(className="footer", id=ids.RECORD_FOOTER,
                    children=f"Alliance Timeline record: {record.label}. Every event cites its sources."),
    ])
