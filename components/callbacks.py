"""Callbacks: unpack inputs, call the pure core, return. Registered on the app they are given.

Two server callbacks: `sync` turns any user action into the next Query (via `state.next_query`)
and writes it to the URL and the controls; `render` draws everything from the URL. Dragging the
time window, playing it forward and copying the link run in the browser (assets/*.js).
"""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update

from alliance.export import view_figure
from alliance.figures import plot_data_of, topic_matrix_figure, topic_year_figure
from alliance.query import Query
from alliance.record import Record
from alliance.view import find_narrative, narrative_position, year_window

from . import ids, inputs
from .detail import detail_panel, table_rows, table_size
from .layout import count_text
from .state import FILTER_CONTROLS, Action, controls_for, next_query, parse

# Inputs of `sync`, in order: (component id, property). Their values are the controls' values.
# Controls whose value the URL sets (the filters' own, from `state.FILTER_CONTROLS`, then the rest) and
# actions that only change the view; a filter control without a value to show is a button.
CONTROLS = [*[(c.id, "value") for c in FILTER_CONTROLS if c.shows], (ids.MODE, "value"), (ids.NARRATIVE, "value"),
            (ids.MATRIX_COUNTRY, "value")]
ACTIONS: list[tuple[str | dict, str]] = [  # (component id, or pattern id; property)
    (ids.ERA_PRESET, "value"), (ids.RESET, "n_clicks"), (ids.TIMELINE, "clickData"), (ids.TABLE, "eventData"),
    (ids.CLOSE_DETAIL, "n_clicks"), (ids.PREV_EVENT, "n_clicks"), (ids.NEXT_EVENT, "n_clicks"),
    (ids.TOPIC_YEARS, "clickData"), (ids.TOPIC_MATRIX, "clickData"), (ids.NARRATIVE_PREV, "n_clicks"),
    (ids.NARRATIVE_NEXT, "n_clicks"), ({"type": ids.DECADE, "index": ALL}, "n_clicks"),
    ({"type": ids.RELATED, "index": ALL}, "n_clicks"),
    *[({"type": c.id, "index": ALL}, "n_clicks") for c in FILTER_CONTROLS if not c.shows]]
KEY_ROOM = 134  # px under the timeline's plot on the dashboard: the year axis and up to five rows of the key
# Actions that mean nothing without a value (a button rendered with n_clicks=None was not clicked).
_NEEDS_A_VALUE = {ids.RESET, ids.CLOSE_DETAIL, ids.PREV_EVENT, ids.NEXT_EVENT, ids.NARRATIVE_PREV, ids.NARRATIVE_NEXT,
                  ids.DECADE, ids.RELATED, ids.TIMELINE, ids.TABLE, ids.TOPIC_YEARS, ids.TOPIC_MATRIX, ids.ERA_PRESET,
                  *[c.id for c in FILTER_CONTROLS if not c.shows]}


def sync(record: Record, search: str | None, triggered_id, triggered_value):
    """(URL, what changed) → (new URL or no_update, control values). The testable heart of `sync`."""
    current = parse(record, search)
    if triggered_id in (None, ids.URL):
        return no_update, controls_for(record, current)
    kind = triggered_id.get("type") if isinstance(triggered_id, dict) else triggered_id
    if kind in _NEEDS_A_VALUE and not triggered_value:
        return no_update, {}  # a button that was just (re)rendered, or a click that was cleared
    query = next_query(record, current, Action(triggered_id, triggered_value))
    url = query.to_url()
    return (url if url != (search or "") else no_update), controls_for(record, query)


def figure_keys(query: Query) -> dict[str, str]:
    """What each figure (and the table) is drawn from. The browser's redraw of a figure costs more than
    the server's whole answer (issue #6), so a figure whose key has not changed is not sent again: the
    topic views and the table ignore the mode, the selected event and the narrative (opening or stepping
    through events leaves the table's rows, scroll and focus as they are); the timeline ignores the narrative."""
    filters = query.with_changes(mode="hide", event=None, narrative=None, matrix="US").to_url()
    return {"timeline": query.with_changes(narrative=None, matrix="US").to_url(), "topic-years": filters,
            "topic-matrix": f"{filters}&country={query.matrix}", "table": filters}


def render(record: Record, search: str | None, skip=frozenset()):
    """Everything drawn from the URL, in the order of the app's outputs: timeline, events per year,
    matrix, count, table, detail, narrative step. Figures named in `skip` (keys of `figure_keys`)
    are already on screen and come back as `no_update`."""
    timeline, count, detail, narrative = render_timeline(record, search, skip_timeline="timeline" in skip)
    years, matrix, table = render_views(record, search, skip)
    return timeline, years, matrix, count, table, detail, narrative


def render_timeline(record: Record, search: str | None, *, skip_timeline: bool = False, playing: bool = False):
    """What is on screen at once: the timeline, the count, the open event and the narrative step.
    While Play runs, the lanes stay those of the whole filtered record (no lane comes and goes per tick)."""
    query = parse(record, search)
    keep = query.mask(record.frame).to_numpy()
    timeline = no_update if skip_timeline else dashboard_timeline(record, query, playing=playing)
    shown = int(keep.sum())
    return timeline, count_text(shown, len(keep), table_size(shown)), detail_panel(record, query.event, story=query.story), \
        narrative_text(record, query)


def dashboard_timeline(record: Record, query: Query, *, playing: bool = False, near_only: bool = True) -> dict:
    """The timeline figure as the dashboard shows it (`near_only=False`: with every event drawn, as
    before the dashboard drew only those near its window; for bench/zoom_cost.py's comparison)."""
    timeline = view_figure(record, query, "timeline", steady_lanes=playing, near_only=near_only)
    timeline["layout"]["uirevision"] = str(timeline["layout"]["xaxis"]["range"])
    # Issue 12: on the dashboard the chart takes the screen's height (style.css), so the year axis is in view.
    # The room under the axis is fixed (the key's rows at 1280 px fit in it), so the axis stays put
    # whatever the number of key rows.
    del timeline["layout"]["height"]
    timeline["layout"].setdefault("legend", {}).update(yref="container", y=0, yanchor="bottom")
    timeline["layout"]["margin"]["b"] = KEY_ROOM
    return timeline


def render_views(record: Record, search: str | None, skip=frozenset()):
    """Below the fold, drawn after the timeline: events per year, the matrix, the table."""
    query = parse(record, search)
    keep = query.mask(record.frame).to_numpy()
    data = plot_data_of(record)
    years = no_update if "topic-years" in skip else topic_year_figure(
        data, record.vocab, keep=keep, lanes=query.topics, years=year_window(query, record.span))
    matrix = no_update if "topic-matrix" in skip else topic_matrix_figure(
        data, record.vocab, keep=keep, lanes=query.topics, country=query.matrix, years=year_window(query, record.span))
    return years, matrix, (no_update if "table" in skip else table_rows(record, keep))


def narrative_text(record: Record, query) -> list:
    narrative = find_narrative(record, query.narrative)
    if narrative is None:
        return [html.P("Pick a narrative to step through its events; the timeline focuses each one.", className="hint")]
    position = narrative_position(narrative, query.event)
    step = narrative.steps[position] if position >= 0 else None
    return [
        html.P(narrative.framing, className="framing"),
        html.P([html.Strong(f"Step {position + 1} of {len(narrative.steps)}: " if step else "Not on a step: "),
                step.note if step else "press Next step to begin."], className="step-note"),
    ]


def register(app: Dash, record: Record) -> None:
    control_outputs = [Output(cid, prop, allow_duplicate=(cid == ids.WINDOW)) for cid, prop in CONTROLS]
    # What is on screen at once, answered with the URL: `render_timeline`'s outputs, then the drawn keys.
    on_screen = [Output(ids.TIMELINE, "figure"), Output(ids.EVENT_COUNT, "children"), Output(ids.DETAIL, "children"),
                 Output(ids.NARRATIVE_PANEL, "children"), Output(ids.DRAWN, "data")]

    def unchanged(search, drawn, names, extra: str = "") -> tuple[dict, frozenset]:
        """(keys of the figures `names` for this view, those already drawn from the same keys). `extra`
        is anything else the figures were drawn from (Play's steady lanes)."""
        # The record version too: a page left open across a restart on a new record redraws everything.
        keys = {name: f"{record.version}{key}{extra}" for name, key in figure_keys(parse(record, search)).items()
                if name in names}
        drawn = drawn if isinstance(drawn, dict) else {}  # the store is browser state: any value may come back
        return keys, frozenset(name for name, key in keys.items() if drawn.get(name) == key)

    # One request from a control to the timeline: the URL (the page's one state) and what is on screen at
    # once are answered together, not as a URL first and the timeline in a second round trip (issue 12
    # §9: that was ~35 ms of a filter change). The views below the fold are a second step: that callback
    # takes this one's store as an input, and Dash runs it once that store is written.
    @app.callback(Output(ids.URL, "search"), *control_outputs, *on_screen,
                  Input(ids.URL, "search"), *[Input(c, p) for c, p in CONTROLS], *[Input(c, p) for c, p in ACTIONS],
                  State(ids.DRAWN, "data"), State(ids.PLAY_CLOCK, "disabled"),
                  prevent_initial_call="initial_duplicate")
    def _sync(search, *values):
        *_controls, drawn, paused = values
        search = inputs.text(ids.URL, search)
        trigger, value = inputs.action(ctx.triggered_id, ctx.triggered[0]["value"] if ctx.triggered else None)
        url, controls = sync(record, search, trigger, value)
        control_values = [controls.get(cid, no_update) for cid, _ in CONTROLS]
        if url is no_update and trigger not in (None, ids.URL):
            return (url, *control_values, *[no_update] * len(on_screen))  # nothing a person sees has changed
        shown = search if url is no_update else url
        playing = paused is False  # the play clock runs: anything else (None, a wrong type) is not playing
        keys, same = unchanged(shown, drawn, {"timeline"}, "&playing" if playing else "")
        return (url, *control_values, *render_timeline(record, shown, skip_timeline="timeline" in same, playing=playing),
                keys)

    @app.callback(Output(ids.TOPIC_YEARS, "figure"), Output(ids.TOPIC_MATRIX, "figure"), Output(ids.TABLE, "rowData"),
                  Output(ids.VIEWS_DRAWN, "data"),
                  Input(ids.URL, "search"), Input(ids.DRAWN, "data"), State(ids.VIEWS_DRAWN, "data"))
    def _render_views(search, _timeline_drawn, drawn):
        search = inputs.text(ids.URL, search)
        keys, same = unchanged(search, drawn, {"topic-years", "topic-matrix", "table"})
        return (*render_views(record, search, skip=same), keys)

    app.clientside_callback(ClientsideFunction("alliance", "previewWindow"), Output("window-preview", "data"),
                            Input(ids.WINDOW, "drag_value"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("alliance", "togglePlay"), Output(ids.PLAY_CLOCK, "disabled"),
                            Output(ids.PLAY, "children"), Input(ids.PLAY, "n_clicks"), State(ids.PLAY_CLOCK, "disabled"),
                            prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("alliance", "playStep"), Output(ids.WINDOW, "value", allow_duplicate=True),
                            Output(ids.PLAY_CLOCK, "disabled", allow_duplicate=True),
                            Output(ids.PLAY, "children", allow_duplicate=True),
                            Input(ids.PLAY_CLOCK, "n_intervals"), State(ids.WINDOW, "value"), State(ids.WINDOW, "min"),
                            State(ids.WINDOW, "max"), prevent_initial_call=True)
    # Issue 12: a pan or zoom of the chart becomes the window; the administration menu resets after a jump.
    app.clientside_callback(ClientsideFunction("alliance", "chartWindow"), Output(ids.WINDOW, "value", allow_duplicate=True),
                            Input(ids.TIMELINE, "relayoutData"), State(ids.WINDOW, "value"), State(ids.WINDOW, "min"),
                            State(ids.WINDOW, "max"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("alliance", "clearPreset"), Output(ids.ERA_PRESET, "value"),
                            Input(ids.URL, "search"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("alliance", "copyLink"), Output(ids.SHARE_STATUS, "children"),
                            Input(ids.SHARE, "n_clicks"), prevent_initial_call=True)
