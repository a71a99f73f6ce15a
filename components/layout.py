"""The page: header, filter bar, the timeline as the hero, and a footer naming the record."""

from __future__ import annotations

from dash import dcc, html

from alliance.figures import timeline_figure
from alliance.record import Record

from . import ids


def count_text(shown: int, total: int) -> str:
    return f"{shown} of {total} events"


def topic_filter(record: Record) -> dcc.Checklist:
    """Issue-area checkboxes; each label carries its lane colour as a swatch (text carries the meaning)."""
    options = [
        {"label": html.Span([html.Span(className="swatch", style={"backgroundColor": t.colour}), t.label],
                            title=t.description),
         "value": t.id}
        for t in record.vocab.topics
    ]
    return dcc.Checklist(id=ids.TOPIC_FILTER, options=options, value=[t.id for t in record.vocab.topics],
                         className="topic-filter", inline=True)


def page(record: Record) -> html.Div:
    total = len(record.frame)
    return html.Div(className="page", children=[
        dcc.Location(id=ids.URL, refresh=False),
        html.Header(className="header", children=[
            html.H1("Alliance Timeline"),
            html.P("Seventy years of the U.S.–Republic of Korea alliance, from the sourced record.",
                   className="subtitle"),
        ]),
        html.Section(className="filter-bar", **{"aria-label": "Filters"}, children=[
            html.Fieldset(className="filter", children=[html.Legend("Issue areas"), topic_filter(record)]),
            html.Output(count_text(total, total), id=ids.EVENT_COUNT, className="event-count",
                        **{"aria-live": "polite"}),
        ]),
        html.Main(className="hero", children=[
            dcc.Graph(id=ids.TIMELINE, figure=timeline_figure(record.frame, record.vocab),
                      config={"displaylogo": False, "scrollZoom": True,
                              "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]},
                      className="timeline"),
        ]),
        html.Footer(className="footer", id=ids.RECORD_FOOTER,
                    children=f"Alliance Timeline record: {record.label}."),
    ])
