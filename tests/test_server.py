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
