"""Shared fixtures: small records built in temporary folders, and headless Chromium for dash_duo."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from alliance.labels import compact_label, short_label
from alliance.problems import Problem
from alliance.record import Failed, Loaded, LoadResult, Record

ROOT = Path(__file__).resolve().parent.parent
REAL_EVENTS = Path(os.environ.get("ALLIANCE_TEST_RECORD", ROOT / "events"))  # override only to debug

BASE_EVENT = """\
id: test-event
date: 2000-01-02
title: A test event
summary: Something happened.
topics: [security]
kind: treaty
sources:
  - title: A source
    url: https://example.org/a
"""

ERAS = """\
- name: Bill Clinton
  country: US
  start: 1993-01-20
  end: 2001-01-20
- name: Kim Dae-jung
  country: ROK
  start: 1998-02-25
  end: 2003-02-24
"""


def make_record(folder: Path, events: dict[str, str] | None = None) -> Path:
    """A record folder with the real topic and kind vocabularies, a small eras file and `events`."""
    (folder / "vocabulary").mkdir(parents=True, exist_ok=True)
    for name in ("topics.yaml", "kinds.yaml"):
        shutil.copy(REAL_EVENTS / "vocabulary" / name, folder / "vocabulary" / name)
    (folder / "vocabulary" / "eras.yaml").write_text(ERAS, encoding="utf-8")
    for name, text in (events or {}).items():
        data = text if isinstance(text, bytes) else textwrap.dedent(text).encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def record_of(result: LoadResult) -> Record:
    """The record of a load that must succeed; the test fails listing every problem otherwise."""
    assert isinstance(result, Loaded), "the record has problems:\n" + "\n".join(map(str, result.problems))
    return result.record


def problems_of(result: LoadResult) -> tuple[Problem, ...]:
    """The problems of a load that must fail; the test fails if the record loaded."""
    assert isinstance(result, Failed), f"the record loaded ({result.record.label}); problems were expected"
    return result.problems


def event(id: str = "test-event", date: str = "2000-01-02", **fields) -> str:
    """Event text with overridable fields (values are inserted as written)."""
    lines = {"id": id, "date": date, "title": "A test event", "summary": "Something happened.",
             "topics": "[security]", "kind": "treaty",
             "sources": "\n  - title: A source\n    url: https://example.org/a"}
    lines.update(fields)
    return "".join(f"{k}: {v}\n" for k, v in lines.items() if v is not None)


@pytest.fixture(autouse=True, scope="session")
def _private_load_cache(tmp_path_factory):
    """The suite (and the apps and CLIs it starts) never touches the user's load cache."""
    patch = pytest.MonkeyPatch()
    patch.setenv("ALLIANCE_CACHE_DIR", str(tmp_path_factory.mktemp("load-cache")))
    yield
    patch.undo()


@pytest.fixture
def record_dir(tmp_path):
    return make_record(tmp_path / "events")


def chromium_options(window: str = "1400,1000"):
    """Debian's chromium, headless, no sandbox (CI runs as root); also used by bench/browser.py."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 f"--window-size={window}"):
        options.add_argument(flag)
    return options


def pytest_setup_options():
    """dash_duo's Chrome options."""
    return chromium_options()


def _free_port_base() -> int:
    """A port the OS says is free: dash_duo counts up from a fixed 58050 in every process, so two
    test runs on one machine (a developer's and CI's, or parallel helpers) would collide."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pytest_configure(config):
    try:
        from dash.testing.application_runners import BaseDashRunner
    except ImportError:  # dash[testing] not installed: no browser tests to run
        return
    BaseDashRunner._next_port = _free_port_base()


def label_forms(record, query) -> list[tuple[str, str | None]]:
    """Each event in view: (its label, its compact form or None)."""
    frame = query.apply(record.frame)
    return [(short_label(t, lab if isinstance(lab, str) else None), compact_label(t, lab if isinstance(lab, str) else None))
            for t, lab in zip(frame["title"], frame["label"], strict=True)]


def unlabelled(events: list[tuple[str, str | None]], texts: list[str]) -> list[str]:
    """The events among `events` with no label among `texts` (each text names one event, in either form;
    two events may share a label, so texts are counted, not just matched)."""
    left = Counter(texts)
    missing = []
    for full, compact in sorted(events, key=lambda e: e[1] is None, reverse=True):  # events with two forms first
        form = full if left[full] else compact if compact and left[compact] else None
        if form is None:
            missing.append(full)
        else:
            left[form] -= 1
    return missing
