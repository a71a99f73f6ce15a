"""What the server logs: an export that failed, or any server error, with the view it was asked for;
and under gunicorn, our messages go where gunicorn's go, in its format."""

from __future__ import annotations

import logging

import pytest

from alliance import export, logs
from alliance.record import load_record
from app import create_app
from components import ids

from .conftest import event, make_record
from .dash_requests import body, find, post, prop_id, server_callbacks

VIEW = "?topics=trade&from=2000"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    record = load_record(make_record(tmp_path_factory.mktemp("logging") / "events", {
        "2007-06-30-korus.yaml": event(id="korus", date="2007-06-30", topics="[trade]", kind="agreement")}))
    return create_app(record)


def export_request(app, fmt: str = "png"):
    callback = find(server_callbacks(app.server.test_client()), "export-status.children")
    values = {f"{ids.EXPORT_BUTTON}.n_clicks": 1, f"{ids.URL}.search": VIEW, f"{ids.EXPORT_VIEW}.value": "timeline",
              f"{ids.EXPORT_FORMAT}.value": fmt, f"{ids.EXPORT_SIZE}.value": "1920x1080"}
    return post(app.server.test_client(), body(callback, values, [prop_id(ids.EXPORT_BUTTON, "n_clicks")]))


def test_an_export_that_fails_on_the_server_is_logged_with_its_query(app, monkeypatch, caplog):
    def broken_browser(figure, **options):
        raise RuntimeError("chromium exited")

    monkeypatch.setattr(export.RENDERER, "render", broken_browser)
    with caplog.at_level(logging.INFO):
        response = export_request(app)
    assert response.status_code == 200
    assert response.get_json()["response"][ids.EXPORT_STATUS]["children"].startswith("Export failed: the image engine")
    [record] = [r for r in caplog.records if r.name == "components.exports"]
    assert record.levelno == logging.ERROR
    assert "chromium exited" in record.getMessage() and repr(VIEW) in record.getMessage()
    assert "format png" in record.getMessage()


def test_a_server_error_is_logged_once_with_its_query_and_traceback(app, monkeypatch, caplog):
    def bug(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr("components.exports.build_export", bug)
    with caplog.at_level(logging.INFO):
        response = export_request(app, "svg")
    assert response.status_code == 500
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]  # not a second copy from Flask
    assert record.name == "components.errors" and record.exc_info and record.exc_info[0] is KeyError
    assert repr(VIEW) in record.getMessage() and "/_dash-update-component" in record.getMessage()


def test_opening_a_link_logs_nothing(app, caplog):
    sync = find(server_callbacks(app.server.test_client()), "url.search")
    with caplog.at_level(logging.DEBUG):
        response = post(app.server.test_client(), body(sync, {"url.search": VIEW}, [prop_id(ids.URL, "search")]))
    assert response.status_code == 200 and caplog.records == []  # once a warning on every page load


def test_under_gunicorn_our_loggers_use_its_error_log_and_leave_the_root_logger_alone(monkeypatch):
    gunicorn = logging.getLogger(logs.GUNICORN_ERROR_LOG)
    handler = logging.Handler()
    seen: list[logging.LogRecord] = []
    handler.emit = seen.append
    root_handlers = list(logging.getLogger().handlers)
    saved = [(lg, lg.handlers, lg.level, lg.propagate) for lg in map(logging.getLogger, logs.PACKAGES)]
    monkeypatch.setattr(gunicorn, "handlers", [handler])
    monkeypatch.setattr(gunicorn, "level", logging.INFO)
    try:
        assert logs.follow_gunicorn()
        logging.getLogger("alliance.cache").info("to gunicorn")
        logging.getLogger("components.exports").debug("below gunicorn's level")
        assert [r.getMessage() for r in seen] == ["to gunicorn"]
        assert logging.getLogger().handlers == root_handlers
    finally:
        for logger, handlers, level, propagate in saved:
            logger.handlers, logger.propagate = handlers, propagate
            logger.setLevel(level)


def test_outside_gunicorn_nothing_is_configured(monkeypatch):
    monkeypatch.setattr(logging.getLogger(logs.GUNICORN_ERROR_LOG), "handlers", [])
    before = [(lg.handlers[:], lg.level, lg.propagate) for lg in map(logging.getLogger, logs.PACKAGES)]
    assert not logs.follow_gunicorn()
    assert [(lg.handlers, lg.level, lg.propagate) for lg in map(logging.getLogger, logs.PACKAGES)] == before
