"""The command line's plumbing: which record folder, which exit code, how much logging."""

from __future__ import annotations

import logging

import pytest

from alliance import logs
from alliance.__main__ import main
from alliance.export import ExportError, ExportOptionError
from alliance.settings import events_folder

from .conftest import event, make_record


@pytest.fixture
def folder(tmp_path):
    return make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event()})


@pytest.fixture(autouse=True)
def _restore_loggers():
    """`main` sets up our loggers (--log-level); other tests must not inherit that."""
    loggers = [logging.getLogger(name) for name in logs.PACKAGES]
    saved = [(logger.level, logger.handlers) for logger in loggers]
    yield
    for logger, (level, handlers) in zip(loggers, saved, strict=True):
        logger.setLevel(level)
        logger.handlers = handlers


def test_the_record_folder_is_the_option_else_the_environment_else_dot_events():
    assert events_folder("given", {"ALLIANCE_EVENTS": "env"}).as_posix() == "given"
    assert events_folder(None, {"ALLIANCE_EVENTS": "env"}).as_posix() == "env"
    assert events_folder(None, {"ALLIANCE_EVENTS": "  "}).as_posix() == "events"
    assert events_folder(None, {}).as_posix() == "events"  # relative: the working directory's, not the checkout's


def test_two_different_folders_are_refused(folder, tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(folder), "--events", str(tmp_path)])
    assert exited.value.code == 2 and "two record folders" in capsys.readouterr().err
    assert main(["validate", str(folder), "--events", str(folder)]) == 0  # the same one twice is fine


@pytest.mark.parametrize(("error", "code"), [
    (ExportOptionError("unknown size '1x1'; choose one of 1920x1080"), 2),  # the caller's mistake
    (ExportError("the image engine failed (unknown error); is chromium installed?"), 1),  # a failure, whatever its words
])
def test_the_export_exit_code_follows_the_kind_of_error_not_its_words(folder, tmp_path, monkeypatch, capsys, error, code):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("alliance.export.build_export", fail)
    assert main(["export", "--format", "png", "--events", str(folder), "--out", str(tmp_path / "x.png")]) == code
    assert capsys.readouterr().err.strip() == f"error: {error}"
    assert not (tmp_path / "x.png").exists()


def test_log_level_debug_shows_the_load_cache_decisions_and_the_default_does_not(folder, tmp_path, caplog):
    out = str(tmp_path / "x.csv")
    with caplog.at_level(logging.DEBUG):
        assert main(["export", "--format", "csv", "--events", str(folder), "--out", out]) == 0
        assert not [r for r in caplog.records if r.name == "alliance.cache"]
        assert main(["export", "--format", "csv", "--events", str(folder), "--out", out, "--log-level", "debug"]) == 0
    decisions = [r.getMessage() for r in caplog.records if r.name == "alliance.cache" and r.levelno == logging.DEBUG]
    assert decisions and all(message.startswith("load cache") for message in decisions)


def test_log_lines_go_to_stderr_once_each_and_the_root_logger_is_left_alone(folder, tmp_path, capsys, caplog):
    root_handlers = list(logging.getLogger().handlers)
    for _ in range(2):  # a second set-up replaces the first instead of doubling every line
        caplog.clear()
        assert main(["export", "--format", "csv", "--events", str(folder), "--out", str(tmp_path / "x.csv"),
                     "--log-level", "debug"]) == 0
        lines = [line for line in capsys.readouterr().err.splitlines() if " DEBUG alliance.cache: load cache: " in line]
        logged = [r.getMessage() for r in caplog.records if r.name == "alliance.cache"]
        assert logged and [line.split(": ", 1)[1] for line in lines] == logged
    assert logging.getLogger().handlers == root_handlers
