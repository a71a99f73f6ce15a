"""Every server callback of the app, posted with wrong-typed and malformed values over HTTP.

The browser is not the only client: anyone can post to /_dash-update-component. Whatever arrives,
the answer is a 2xx (a bad value falls back to its default, as a bad URL does) or a 4xx (a request
no browser would send), never a 5xx, and the log gets at most a line, never a traceback.
"""

from __future__ import annotations

import json
import logging
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance import export
from alliance.record import load_record
from app import create_app
from components import ids

from .conftest import REAL_EVENTS
from .dash_requests import body, outputs_of, pattern_of, post, prop_id, server_callbacks

# A 1×1 PNG: the deck and image exports get it instead of starting Chromium for every example.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                    st.sampled_from(["abc", "", "US", "1", "3", "security", "security|garbage", "security|1999",
                                     "security|-1", "era:US:0", "US:99", "png", "pptx", "1920x1080", "?topics=trade"]))
hostile = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.sampled_from(["points", "customdata", "data", "timestamp", "row",
                                                                       "column", "timeline", "x"]) | st.text(max_size=5),
                                                     children, max_size=4)), max_leaves=12)
click = st.builds(lambda data: {"points": [{"customdata": data}]}, hostile)
cell = st.builds(lambda row_id: {"data": row_id, "timestamp": 1}, hostile)  # the table's eventData
values = st.one_of(hostile, click, cell, st.lists(st.integers(1, 3)), st.lists(st.integers(1950, 2030), min_size=2, max_size=2))
index = st.one_of(st.integers(), st.text(max_size=10), st.floats(), st.sampled_from(["abc", 1990, "treaty"]), st.lists(st.integers(), max_size=2))


@pytest.fixture(scope="module")
def client():
    app = create_app(load_record(REAL_EVENTS))
    with mock.patch.object(export.RENDERER, "render", return_value=PNG):
        yield app.server.test_client()


@pytest.fixture(scope="module")
def callbacks(client):
    return server_callbacks(client)


@st.composite
def requests(draw, callback: dict) -> dict:
    """A request for `callback` whose values (and, now and then, whose shape) are hostile."""
    sent = {}
    for item in callback["inputs"] + callback["state"]:
        key = f"{item['id']}.{item['property']}"
        sent[key] = draw(st.lists(st.tuples(index, values), max_size=3)) if pattern_of(item) else draw(values)
    payload = body(callback, sent)
    changeable = [prop_id(i["id"], i["property"]) for group in payload["inputs"]
                  for i in (group if isinstance(group, list) else [group])]
    payload["changedPropIds"] = draw(st.lists(st.sampled_from(changeable), max_size=2) if changeable else st.just([]))
    mangle = draw(st.sampled_from(["none"] * 8 + ["changed", "output", "outputs", "inputs", "item", "body"]))
    if mangle == "changed":
        payload["changedPropIds"] = draw(st.lists(st.one_of(st.text(max_size=20), hostile), max_size=2))
    elif mangle == "output":
        payload["output"] = draw(st.one_of(st.text(max_size=40), hostile))
    elif mangle == "outputs":
        payload["outputs"] = draw(hostile)
    elif mangle == "inputs":
        payload[draw(st.sampled_from(["inputs", "state"]))] = draw(hostile)
    elif mangle == "item" and payload["inputs"]:
        payload["inputs"][draw(st.integers(0, len(payload["inputs"]) - 1))] = draw(hostile)
    elif mangle == "body":
        payload = draw(hostile)
    return payload


def names(callbacks) -> list[str]:
    return [",".join(o["id"] for o in outputs_of(c)) for c in callbacks]


FUZZED = {"sync": ids.URL, "views": ids.TOPIC_YEARS, "export": ids.EXPORT_DOWNLOAD,
          "embed-code": ids.EMBED_CODE}  # each server callback, by its first output (sync also draws the timeline)


@pytest.mark.parametrize("which", range(len(FUZZED)), ids=list(FUZZED))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_wrong_typed_callback_input_never_gives_a_server_error(client, callbacks, caplog, which, data):
    callback = callbacks[which]
    assert names([callback])[0].split(",")[0] == list(FUZZED.values())[which]
    payload = data.draw(requests(callback))
    caplog.clear()
    with caplog.at_level(logging.INFO):
        response = post(client, payload)
    assert response.status_code < 500, json.dumps(payload)[:2000]
    assert not [r for r in caplog.records if r.exc_info], json.dumps(payload)[:2000]
    assert len(caplog.records) <= 1


def test_the_fuzzed_callbacks_are_all_the_server_callbacks(callbacks):
    """The fuzz above covers every callback the app registers on the server."""
    assert len(callbacks) == len(FUZZED)


DECADE = {"type": ids.DECADE, "index": 1990}
REPORTED = [  # (input that changed, its value, pattern items for that input): the values issue 14 found
    ("url.search", ["?topics=trade"], None),
    (f"{ids.IMPORTANCE_FILTER}.value", ["a"], None),
    (f"{ids.WINDOW}.value", ["a", "b"], None),
    (f"{ids.TABLE}.eventData", {"data": ["korus"], "timestamp": 1}, None),
    (f"{ids.TOPIC_YEARS}.clickData", {"points": [{"customdata": "security|garbage"}]}, None),
    (f"{ids.TOPIC_MATRIX}.clickData", {"points": [{"customdata": "security|-1"}]}, None),
    (prop_id({**DECADE, "index": "abc"}, "n_clicks"), 1, "abc"),
]


@pytest.mark.parametrize("changed, value, pattern_index", REPORTED, ids=[r[0] for r in REPORTED])
def test_each_reported_wrong_value_falls_back_and_keeps_the_view(client, callbacks, caplog, changed, value, pattern_index):
    sync = callbacks[0]
    values = {"url.search": "?topics=trade", changed: value}
    if pattern_index is not None:
        values = {"url.search": "?topics=trade", f'{{"index":["ALL"],"type":"{ids.DECADE}"}}.n_clicks': [(pattern_index, 1)]}
    response = post(client, body(sync, values, [changed]))
    assert response.status_code == 200
    assert "url" not in response.get_json()["response"]  # the view is kept: the URL is not rewritten
    assert not [r for r in caplog.records if r.exc_info] and len(caplog.records) == 1  # one line, no traceback


def test_a_pattern_id_of_the_wrong_shape_is_refused(client, callbacks):
    pattern = f'{{"index":["ALL"],"type":"{ids.DECADE}"}}.n_clicks'
    response = post(client, body(callbacks[0], {pattern: [([], 1)]}, [prop_id({**DECADE, "index": []}, "n_clicks")]))
    assert response.status_code == 400


def test_an_export_with_a_list_as_size_uses_the_default_size(client, callbacks):
    export_callback = callbacks[list(FUZZED).index("export")]
    values = {f"{ids.EXPORT_BUTTON}.n_clicks": 1, "url.search": "", f"{ids.EXPORT_VIEW}.value": "timeline",
              f"{ids.EXPORT_FORMAT}.value": "png", f"{ids.EXPORT_SIZE}.value": ["1920x1080"]}
    response = post(client, body(export_callback, values, [prop_id(ids.EXPORT_BUTTON, "n_clicks")]))
    assert response.status_code == 200
    assert response.get_json()["response"][ids.EXPORT_STATUS]["children"].startswith("Downloaded alliance-timeline")


def test_a_click_on_a_shape_without_data_is_ignored_quietly(client, callbacks, caplog):
    click = {"points": [{"x": "2000-01-01", "y": 3, "curveNumber": 4}]}  # a density cell carries no event id
    response = post(client, body(callbacks[0], {f"{ids.TIMELINE}.clickData": click}, [prop_id(ids.TIMELINE, "clickData")]))
    assert response.status_code == 200 and caplog.records == []


def test_an_ordinary_url_change_logs_no_bad_input(client, callbacks, caplog):
    """Every page load triggers `sync` from the URL: its plain query string is not a wrong-typed value."""
    response = post(client, body(callbacks[0], {f"{ids.URL}.search": "?from=2018&to=2019"}, [prop_id(ids.URL, "search")]))
    assert response.status_code == 200
    assert [r.getMessage() for r in caplog.records if r.name.startswith("components.")] == []  # inputs, guard, errors
