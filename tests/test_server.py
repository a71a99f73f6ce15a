"""The office server against hostile requests: long links, look-alike paths, huge bodies, unknown
routes and callbacks. Each answer is a 2xx or a 4xx, never a server error."""

from __future__ import annotations

import pytest

from alliance.query import Query
from alliance.record import load_record
from app import create_app
from components import ids

from .conftest import event, make_record
from .dash_requests import body, find, post, prop_id, server_callbacks

LONG_LINK = "?topics=trade&from=2000&" + "&".join(f"utm{i}=x" for i in range(60))


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    return load_record(make_record(tmp_path_factory.mktemp("server") / "events", {
        "1953-10-01-treaty.yaml": event(id="treaty", date="1953-10-01", importance="3"),
        "2007-06-30-korus.yaml": event(id="korus", date="2007-06-30", topics="[trade]", kind="agreement"),
    }))


@pytest.fixture(scope="module")
def client(record):
    return create_app(record).server.test_client()


def test_a_link_with_many_fields_keeps_the_first_ones_and_ignores_the_rest():
    query = Query.from_url(LONG_LINK)
    assert query.topics == ("trade",) and query.start == "2000"
    assert Query.from_url("?" + "&".join(["x=1"] * 45) + "&topics=trade") == Query()  # beyond the 40th: ignored


def test_a_link_with_many_fields_draws_the_embed_and_the_dashboard(client):
    assert client.get("/embed" + LONG_LINK).status_code == 200
    sync = find(server_callbacks(client), "url.search")
    response = post(client, body(sync, {"url.search": LONG_LINK}, [prop_id(ids.URL, "search")]))
    assert response.status_code == 200
    assert response.get_json()["response"][ids.TOPIC_FILTER]["value"] == ["trade"]


@pytest.mark.parametrize("path", ["/embed/", "/embedx", "/embed/anything", "/embedded?view=timeline"])
def test_only_the_embed_path_itself_may_be_framed(client, path):
    response = client.get(path)
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_embed_path_itself_may_be_framed(client):
    response = client.get("/embed?view=topics")
    assert response.status_code == 200 and "X-Frame-Options" not in response.headers
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]


def test_a_body_over_the_limit_is_refused_with_413_and_a_real_one_passes(client, record):
    from app import MAX_REQUEST_BYTES

    sync = find(server_callbacks(client), "url.search")
    every_filter = {f"{ids.TOPIC_FILTER}.value": [t.id for t in record.vocab.topics],
                    f"{ids.KIND_FILTER}.value": [k.id for k in record.vocab.kinds],
                    f"{ids.ACTOR_FILTER}.value": [f"Actor number {i}" for i in range(10_000)]}
    legit = post(client, body(sync, every_filter, [prop_id(ids.ACTOR_FILTER, "value")]))
    assert legit.status_code == 200
    padded = body(sync, {"url.search": "?" + "x" * MAX_REQUEST_BYTES}, [prop_id(ids.URL, "search")])
    assert post(client, padded).status_code == 413


@pytest.mark.parametrize("path", ["/_dash-component-suites/dash/nope.js", "/_dash-component-suites/nopackage/x.js",
                                  "/_dash-component-suites/dash/dcc/../../app.py", "/_dash-component-suites/os/path.py",
                                  "/_dash-component-suites/dash/deps/react@18.v9_9_9m1.3.1.min.map"])
def test_an_unknown_component_suites_path_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_the_component_suites_the_page_names_are_served(client):
    import re

    page = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', page)
    assert scripts and all(client.get(src).status_code == 200 for src in scripts)


@pytest.mark.parametrize("payload", [
    {"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, "inputs": [], "changedPropIds": []},
    {"output": f"{ids.EVENT_COUNT}.children", "outputs": {"id": ids.EVENT_COUNT, "property": "children"}, "inputs": []},
    ["not", "an", "object"],
    {},
])
def test_a_callback_request_for_an_unknown_output_is_a_bad_request(client, payload):
    assert post(client, payload).status_code == 400


def test_a_callback_body_nested_too_deep_to_parse_is_a_bad_request(client):
    response = client.post("/_dash-update-component", data="[" * 100_000, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/", "/embed", "/healthz", "/embed/plotly.min.js"])
def test_every_response_turns_off_browser_features_the_dashboard_never_uses(client, path):
    policy = client.get(path).headers["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy


def test_the_embed_policy_allows_only_the_script_the_page_writes(client, monkeypatch):
    """Were the figure's JSON ever to let text through unescaped, it could close the page's script
    and open its own; the policy must not allow that script just because it is in the response."""
    import plotly.io.json as plotly_json

    from components.security import script_hash

    encode = plotly_json.to_json_plotly
    monkeypatch.setattr(plotly_json, "to_json_plotly",
                        lambda value, *args, **kwargs: encode(value, *args, **kwargs) + "</script><script>alert(1)</script>")
    response = client.get("/embed")
    page = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" in page  # the injection is in the page...
    csp = response.headers["Content-Security-Policy"]
    assert script_hash("alert(1)") not in csp  # ...and may not run
    assert csp.count("'sha256-") == 1


def test_the_embed_policy_allows_the_chart_to_be_drawn(client):
    import re

    from components.security import script_hash

    response = client.get("/embed?view=timeline")
    scripts = re.findall(r"<script>(.*?)</script>", response.get_data(as_text=True), re.S)
    assert len(scripts) == 1 and "Plotly.newPlot(chart, " in scripts[0]  # the page's own; the rest come from 'self'
    assert re.findall(r'<script src="([^"]+)"></script>', response.get_data(as_text=True)) == \
        ["/embed/plotly.min.js", "/assets/labels.js"]
    assert re.findall(r"'sha256-[^']+'", response.headers["Content-Security-Policy"]) == [script_hash(scripts[0])]


def test_exports_run_one_at_a_time_a_few_wait_and_the_rest_are_told_to_retry(record, monkeypatch):
    import threading

    from alliance import export
    from components import exports

    started, finish = threading.Event(), threading.Event()
    rendering, peaks = [], []

    def slow_render(figure, **options):
        rendering.append(1)
        peaks.append(len(rendering))
        started.set()
        assert finish.wait(30)
        rendering.pop()
        return b"image"

    monkeypatch.setattr(export.RENDERER, "render", slow_render)
    monkeypatch.setattr(exports, "MAX_WAITING", 1)
    app = create_app(record)
    export_callback = find(server_callbacks(app.server.test_client()), "export-status.children")

    def export_image():
        values = {f"{ids.EXPORT_BUTTON}.n_clicks": 1, f"{ids.EXPORT_VIEW}.value": "timeline",
                  f"{ids.EXPORT_FORMAT}.value": "svg", f"{ids.EXPORT_SIZE}.value": "1920x1080"}
        return post(app.server.test_client(), body(export_callback, values, [prop_id(ids.EXPORT_BUTTON, "n_clicks")]))

    def status(response) -> str:
        return response.get_json()["response"][ids.EXPORT_STATUS]["children"]

    answers: list = []
    first = threading.Thread(target=lambda: answers.append(export_image()))
    first.start()
    assert started.wait(30)
    queued = threading.Thread(target=lambda: answers.append(export_image()))
    queued.start()
    while queued.is_alive() and len(answers) == 0:  # until the second export waits for its turn...
        busy = export_image()  # ...a third finds the queue full
        if status(busy) == exports.BUSY:
            break
    assert busy.status_code == 200 and busy.headers["Retry-After"].isdigit() and status(busy) == exports.BUSY
    finish.set()
    first.join(30)
    queued.join(30)
    assert [status(a)[:10] for a in answers] == ["Downloaded", "Downloaded"]  # the queued one ran after the first
    assert peaks == [1, 1]  # never two at once: the queued one started only when the first was done
