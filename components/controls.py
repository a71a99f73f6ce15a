"""The filter bar and the time scrubber: factories that take the record and return components."""

from __future__ import annotations

from dash import dcc, html

from alliance.record import Record

from . import aria, ids


def topic_filter(record: Record) -> dcc.Checklist:
    """Issue-area checkboxes; each label carries its lane colour as a swatch (the text carries the meaning)."""
    options = [
        {"label": html.Span([html.Span(className="swatch", style={"backgroundColor": t.colour}), t.label],
                            title=t.description),
         "value": t.id}
        for t in record.vocab.topics
    ]
    return dcc.Checklist(id=ids.TOPIC_FILTER, options=options, value=[t.id for t in record.vocab.topics],
                         className="topic-filter", inline=True)


def actor_options(record: Record) -> list[str]:
    """Actors named in at least two events, most frequent first: the ones worth filtering by."""
    counts = record.frame["actors"].explode().value_counts()
    return sorted(counts[counts >= 2].index, key=lambda a: (-counts[a], a))


def filter_bar(record: Record) -> html.Section:
    kinds = [{"label": k.label, "value": k.id} for k in record.vocab.kinds]
    return html.Section(className="filter-bar", **aria.label("Filters"), children=[
        html.Fieldset(className="filter topics", children=[html.Legend("Issue areas"), topic_filter(record)]),
        html.Div(className="filter-row", children=[
            html.Div(className="filter", children=[
                # Applied on Enter (or leaving the field), and the label says so. Not as-you-type: Dash 4's
                # timed debounce puts the caret back where it was when the redraw started, so a user who
                # keeps typing while the page redraws gets their letters out of order.
                html.Label("Search (press Enter)", htmlFor=ids.SEARCH),
                dcc.Input(id=ids.SEARCH, type="search", debounce=True, placeholder="Title, summary or actor  ( / )",
                          maxLength=200, className="search"),
            ]),
            html.Div(className="filter", children=[
                html.Label("Kind", htmlFor=ids.KIND_FILTER),
                dcc.Dropdown(id=ids.KIND_FILTER, options=kinds, multi=True, placeholder="All kinds", className="dropdown"),
            ]),
            html.Div(className="filter", children=[
                html.Label("Actor", htmlFor=ids.ACTOR_FILTER),
                dcc.Dropdown(id=ids.ACTOR_FILTER, options=actor_options(record), multi=True, placeholder="Anyone",
                             className="dropdown"),
            ]),
            html.Fieldset(className="filter compact", children=[
                html.Legend("Importance"),
                dcc.Checklist(id=ids.IMPORTANCE_FILTER, inline=True, value=[],
                              options=[{"label": "minor", "value": 1}, {"label": "normal", "value": 2},
                                       {"label": "landmark", "value": 3}]),
            ]),
            html.Fieldset(className="filter compact", children=[
                html.Legend("Filtered-out events"),
                dcc.RadioItems(id=ids.MODE, inline=True, value="hide",
                               options=[{"label": "hide", "value": "hide"}, {"label": "dim", "value": "dim"}]),
            ]),
            html.Div(className="filter actions", children=[
                html.Output("", id=ids.EVENT_COUNT, className="event-count", **aria.live()),
                html.Button("Reset", id=ids.RESET, className="button secondary", title="Clear every filter"),
                html.Button("Copy link", id=ids.SHARE, className="button", title="Copy a link to exactly this view"),
                html.Span(id=ids.SHARE_STATUS, className="share-status", role="status"),
            ]),
        ]),
    ])


def scrubber(record: Record) -> html.Section:
    """Two-handle time window with decade presets, administration presets and a play button.

    Dragging moves the timeline in the browser (a clientside callback); the server hears only the
    final value when the handle is released.
    """
    first, last = record.span
    marks = {year: {"label": str(year)} for year in range((first + 9) // 10 * 10, last + 1, 10)}
    eras = [{"label": f"{e.name} ({'U.S.' if e.country == 'US' else 'ROK'}, {e.start.first.year}–"
                      f"{e.end.first.year if e.end else 'now'})", "value": e.id}
            for e in record.vocab.eras if not e.acting]
    return html.Section(className="scrubber", **aria.label("Time window"), children=[
        html.Button("▶ Play", id=ids.PLAY, className="button play", title="Move the window forward through time"),
        dcc.Interval(id=ids.PLAY_CLOCK, interval=900, disabled=True),
        html.Div(className="window", children=[
            dcc.RangeSlider(id=ids.WINDOW, min=first, max=last, step=1, value=[first, last],
                            marks=marks, allowCross=False, updatemode="mouseup", allow_direct_input=False,
                            tooltip={"placement": "bottom", "always_visible": False}),
        ]),
        html.Div(className="presets", role="group", **aria.label("Zoom to a decade"), children=[
            html.Button(f"{decade}s", id={"type": ids.DECADE, "index": decade}, className="chip")
            for decade in range((first + 9) // 10 * 10, last + 1, 10)
        ] + [html.Button("All", id={"type": ids.DECADE, "index": 0}, className="chip")]),
        dcc.Dropdown(id=ids.ERA_PRESET, options=eras, placeholder="Zoom to an administration…", className="era-preset",
                     clearable=True),
    ])
