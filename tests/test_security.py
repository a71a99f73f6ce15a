"""Safe defaults: security headers, /healthz, hostile record text rendered inert, a real WSGI server."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from selenium.common.exceptions import NoAlertPresentException

from alliance.record import load_record
from app import create_app
from components import ids
from components.detail import safe_link

from .conftest import ROOT, event, make_record

HOSTILE = {
    "2000-01-02-hostile.yaml": event(
        id="hostile", date="2000-01-02", title="'<script>alert(1)</script> Treaty'",
        summary="'<img src=x onerror=alert(2)> and <a href=\"javascript:alert(3)\">click</a>'",
        actors="['<b onmouseover=alert(4)>Bold</b>']",
        sources="\n  - title: '<script>alert(5)</script>'\n    url: https://example.org/x?a=<script>"),
    "2001-03-04-plain.yaml": event(id="plain", date="2001-03-04"),
}


@pytest.fixture
def hostile_record(tmp_path):
    return load_record(make_record(tmp_path / "events", HOSTILE))


def test_security_headers_on_the_dashboard(hostile_record):
    response = create_app(hostile_record).server.test_client().get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_embed_may_be_framed_by_configured_origins(hostile_record, monkeypatch):
    monkeypatch.setenv("ALLIANCE_EMBED_FRAME_ANCESTORS", "https://slides.example.org")
    response = create_app(hostile_record).server.test_client().get("/embed?view=timeline")
    assert "frame-ancestors https://slides.example.org" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert "'sha256-" in response.headers["Content-Security-Policy"]  # its own inline script, by hash


def test_healthz_reports_the_record_version(hostile_record):
    body = create_app(hostile_record).server.test_client().get("/healthz").get_json()
    assert body == {"status": "ok", "events": 2, "version": hostile_record.version}


@pytest.mark.parametrize("url, linked", [("https://example.org", True), ("http://example.org", True),
                                         ("javascript:alert(1)", False), ("data:text/html,x", False), (None, False)])
def test_only_web_urls_become_links(url, linked):
    assert (safe_link(url, "x").__class__.__name__ == "A") == linked


def test_hostile_text_renders_inert_in_the_browser(dash_duo, hostile_record):
    dash_duo.start_server(create_app(hostile_record))
    title = "<script>alert(1)</script> Treaty"
    cell = f"#{ids.TABLE} .ag-row[row-id='hostile'] .ag-cell[col-id='title']"
    dash_duo.wait_for_text_to_equal(cell, title, timeout=30)  # the table shows record text as text
    assert dash_duo.find_element(f"#{ids.TABLE} .ag-row[row-id='hostile'] .ag-cell[col-id='areas']").text == "Security & defense"
    assert dash_duo.find_elements(f"#{ids.TABLE} .ag-center-cols-container script, #{ids.TABLE} .ag-center-cols-container img") == []
    dash_duo.find_element(cell).click()
    dash_duo.wait_for_contains_text("#event-detail h2", title, timeout=30)
    with pytest.raises(NoAlertPresentException):
        dash_duo.driver.switch_to.alert.text  # noqa: B018 - reading it is the check
    detail = dash_duo.find_element("#event-detail")
    assert detail.find_elements("css selector", "script, img, b") == []
    assert "<img src=x onerror=alert(2)>" in detail.text
    assert [a.get_attribute("href") for a in detail.find_elements("css selector", "a")] == ["https://example.org/x?a=%3Cscript%3E"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_the_app_with_the_documented_config_and_its_log_format(tmp_path):
    folder = make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event()})
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}",
                               "--log-level", "debug"], cwd=ROOT, env={**os.environ, "ALLIANCE_EVENTS": str(folder)},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(100):
            try:
                health = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2))
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer within 10 s")
        assert health["status"] == "ok" and health["events"] == 1
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/?topics=<script>", timeout=5)
        assert page.status == 200 and "Content-Security-Policy" in page.headers
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    # The app's own messages (here the load cache's, at gunicorn's --log-level) in gunicorn's error-log format.
    assert re.search(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[DEBUG\] load cache: ", output, re.MULTILINE), output
