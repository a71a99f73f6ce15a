"""The load cache: a warm load equals a cold one, and a stale, invalid or damaged entry is never served."""

from __future__ import annotations

import logging
import os
import re
import stat
import time

import pandas.testing as pdt
import pytest

from alliance import cache, safeio
from alliance.problems import RecordError
from alliance.record import Loaded, load_record, read_record

from .conftest import event, make_record, problems_of, record_of

NAME = "2000-01-02-test-event.yaml"
BATCH = "- " + event(id="listed-one", date="1953-10", related="[listed-two]").replace("\n", "\n  ").rstrip() + "\n" \
        "- " + event(id="listed-two", date="1968", actors="[President, Ambassador]", related="[listed-one]").replace("\n", "\n  ").rstrip() + "\n"
NARRATIVE = """\
id: a-story
title: A story
framing: Two events.
steps:
  - event: test-event
    note: First.
  - event: listed-one
    note: Second.
"""
MARGIN_NS = 50_000_000  # tests age files by 0.1 s instead of waiting out the real 2 s margin


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("ALLIANCE_CACHE_DIR", str(folder))
    monkeypatch.setattr(cache, "RACY_MARGIN_NS", MARGIN_NS)
    return folder


@pytest.fixture
def folder(tmp_path):
    root = make_record(tmp_path / "events", {NAME: event(), "batch.yaml": BATCH})
    (root / "narratives").mkdir()
    (root / "narratives" / "a-story.yaml").write_text(NARRATIVE, encoding="utf-8")
    return root


@pytest.fixture
def builds(monkeypatch):
    """How many times the cache fell back to reading and validating the record."""
    calls = []
    real = cache.read_files
    monkeypatch.setattr(cache, "read_files", lambda files: calls.append(files.root) or real(files))
    return calls


def age(seconds: float = 0.1) -> None:
    """Let the record's files become older than the (test) margin, so their signatures can be trusted."""
    time.sleep(seconds)


def assert_same_record(got, expected) -> None:
    assert got.version == expected.version
    assert got.events == expected.events
    assert [e.lines for e in got.events] == [e.lines for e in expected.events]  # not part of Event equality
    assert got.vocab == expected.vocab and got.narratives == expected.narratives
    pdt.assert_frame_equal(got.frame, expected.frame)


def rewrite_same_size(path, old: str, new: str) -> None:
    """Change bytes without changing the size or the modification time (as a careless tool might)."""
    assert len(old) == len(new)
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_warm_load_equals_the_cold_one_and_skips_validation(cache_dir, folder, builds):
    age()
    first = cache.load(folder)
    assert first.source == "built" and builds == [folder]
    second = cache.load(folder)
    assert second.source == "stat" and builds == [folder]  # no second validation
    cold = record_of(read_record(folder))
    warm = record_of(second.result)
    assert_same_record(warm, cold)
    assert_same_record(record_of(first.result), cold)
    assert len(warm.events) == 3 and len(warm.narratives) == 1


def test_each_decision_is_logged_at_debug_level(cache_dir, folder, caplog):
    caplog.set_level(logging.DEBUG, "alliance.cache")
    age()
    cache.load(folder)
    cache.load(folder)
    said = [(r.levelno, re.sub(r"entry [0-9a-f]{12}", "entry K", r.getMessage().replace(str(folder), "DIR")))
            for r in caplog.records if r.name == "alliance.cache"]
    assert said == [(logging.DEBUG, "load cache: no trusted signatures for DIR; reading and hashing its files"),
                    (logging.DEBUG, "load cache: DIR read, checked and stored as entry K"),
                    (logging.DEBUG, "load cache: DIR unchanged by its files' signatures: entry K")]


def test_files_changed_too_recently_are_checked_by_content(cache_dir, folder, builds, monkeypatch):
    newest = max(os.stat(p).st_ctime_ns for p in folder.rglob("*.yaml"))
    monkeypatch.setattr(cache, "_now_ns", lambda: newest)  # as if loading the instant the files were written
    assert cache.load(folder).source == "built"
    second = cache.load(folder)
    assert second.source == "content" and len(builds) == 1  # no signature was trusted, but the entry was
    assert_same_record(record_of(second.result), record_of(read_record(folder)))


def test_one_changed_byte_is_a_miss_even_with_the_same_size_and_mtime(cache_dir, folder, builds):
    age()
    cache.load(folder)
    assert cache.load(folder).source == "stat"
    rewrite_same_size(folder / NAME, "A test event", "A test evenT")
    loaded = cache.load(folder)
    assert loaded.source == "built" and len(builds) == 2
    assert next(e for e in record_of(loaded.result).events if e.id == "test-event").title == "A test evenT"
    assert_same_record(record_of(loaded.result), record_of(read_record(folder)))


def test_an_added_or_removed_file_is_a_miss(cache_dir, folder):
    age()
    cache.load(folder)
    (folder / "2001-05-06-another.yaml").write_text(event(id="another", date="2001-05-06"), encoding="utf-8")
    assert {e.id for e in record_of(cache.load(folder).result).events} == {"test-event", "listed-one", "listed-two", "another"}
    (folder / "2001-05-06-another.yaml").unlink()
    assert {e.id for e in record_of(cache.load(folder).result).events} == {"test-event", "listed-one", "listed-two"}


def test_an_invalid_record_is_never_served_from_the_cache(cache_dir, folder):
    age()
    good = record_of(cache.read_record_cached(folder))
    assert cache.load(folder).source == "stat"
    rewrite_same_size(folder / NAME, "kind: treaty", "kind: trxaty")
    for _ in range(2):  # every run reports every problem
        problems = problems_of(cache.read_record_cached(folder))
        assert [str(p) for p in problems] == [str(p) for p in problems_of(read_record(folder))]
        assert any(p.field == "kind" and "unknown kind 'trxaty'" in p.message for p in problems)
    with pytest.raises(RecordError, match="unknown kind"):
        load_record(folder, cache=True)
    rewrite_same_size(folder / NAME, "kind: trxaty", "kind: treaty")
    back = cache.load(folder)
    assert back.source == "content"  # same bytes as before: the old entry is good again
    assert_same_record(record_of(back.result), good)


def test_an_invalid_record_is_not_cached(cache_dir, tmp_path):
    root = make_record(tmp_path / "bad", {NAME: event(kind="nope", titel="x")})
    for _ in range(2):
        loaded = cache.load(root)
        assert loaded.source == "built"
        assert {p.field for p in problems_of(loaded.result)} == {"kind", "titel"}
    assert not list(cache_dir.glob("record-*"))


def entry(cache_dir):
    (path,) = cache_dir.glob("record-*.pickle")
    return path


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # truncated
    lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped in the pickle
    lambda data: data[:20] + bytes([data[20] ^ 1]) + data[21:],  # one bit flipped in the checksum
    lambda data: b"",
    lambda data: b"not a cache file at all",
], ids=["truncated", "payload bit", "checksum bit", "empty", "garbage"])
def test_a_damaged_entry_falls_back_to_a_full_load(cache_dir, folder, builds, damage):
    age()
    expected = record_of(cache.load(folder).result)
    path = entry(cache_dir)
    path.write_bytes(damage(path.read_bytes()))
    loaded = cache.load(folder)
    assert loaded.source == "built" and len(builds) == 2
    assert_same_record(record_of(loaded.result), expected)
    assert cache.load(folder).source == "stat"  # and the entry was rewritten


def test_an_intact_entry_under_the_wrong_key_is_not_served(cache_dir, folder):
    age()
    cache.load(folder)
    path = entry(cache_dir)
    other = "0" * 64
    (cache_dir / f"record-{other}.pickle").write_bytes(path.read_bytes())
    os.chmod(cache_dir / f"record-{other}.pickle", 0o600)
    assert cache._read_entry(cache_dir, other) is None
    assert cache._read_entry(cache_dir, path.name[len("record-"):-len(".pickle")]) is not None


@pytest.mark.parametrize("damage", [
    lambda text: "",
    lambda text: text[:-2],
    lambda text: "[]",
    lambda text: text.replace('"key": "', '"key": "../../x/'),  # signature matches; the key is no file name
    lambda text: text.replace('"format": 1', '"format": 99'),
], ids=["empty", "truncated", "a list", "path in key", "other format"])
def test_a_damaged_pointer_falls_back_to_reading_the_files(cache_dir, folder, builds, damage):
    age()
    cache.load(folder)
    (path,) = cache_dir.glob("where-*.json")
    path.write_text(damage(path.read_text()))
    loaded = cache.load(folder)
    assert loaded.source == "content" and len(builds) == 1
    assert_same_record(record_of(loaded.result), record_of(read_record(folder)))


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "alliance.cache" and r.levelno == logging.WARNING]


def test_a_cache_folder_that_cannot_be_created_still_loads_and_says_so(tmp_path, monkeypatch, folder, caplog):
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("ALLIANCE_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    loaded = cache.load(folder)
    assert loaded.source == "uncached"
    assert_same_record(record_of(loaded.result), record_of(read_record(folder)))
    assert warnings_of(caplog) == [f"load cache off: cannot use {tmp_path / 'a-file' / 'cache'} (Not a directory); "
                                   "every start reads and checks the whole record"]


def test_a_cache_folder_that_cannot_be_written_still_loads_and_says_so(cache_dir, folder, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safeio.tempfile, "mkstemp", refuse)
    age()
    for _ in range(2):
        loaded = cache.load(folder)
        assert loaded.source == "built"
        assert_same_record(record_of(loaded.result), record_of(read_record(folder)))
    assert list(cache_dir.iterdir()) == []
    said = warnings_of(caplog)
    assert len(said) == 4 and all("cannot write" in m and "Permission denied" in m for m in said)  # entry, pointer


def test_a_folder_others_can_write_is_not_used_and_that_is_said(cache_dir, folder, caplog):
    cache_dir.mkdir(mode=0o700)
    os.chmod(cache_dir, 0o777)  # anyone could plant a pickle here
    loaded = cache.load(folder)
    assert loaded.source == "uncached" and isinstance(loaded.result, Loaded)
    assert list(cache_dir.iterdir()) == []
    assert [m.split(":")[0] for m in warnings_of(caplog)] == ["load cache off"] and str(cache_dir) in caplog.text


def test_an_entry_others_can_write_is_not_unpickled(cache_dir, folder):
    age()
    cache.load(folder)
    os.chmod(entry(cache_dir), 0o666)
    assert cache.load(folder).source == "built"


@pytest.mark.parametrize("value", ["off", "OFF", "0", "none"])
def test_the_cache_can_be_turned_off(tmp_path, monkeypatch, folder, builds, value, caplog):
    caplog.set_level(logging.DEBUG, "alliance.cache")
    monkeypatch.setenv("ALLIANCE_CACHE_DIR", value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() is None
    for _ in range(2):
        loaded = cache.load(folder)
        assert loaded.source == "uncached"
        assert_same_record(record_of(loaded.result), record_of(read_record(folder)))
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()
    assert not os.path.exists(value)
    assert warnings_of(caplog) == [] and f"load cache off (ALLIANCE_CACHE_DIR={value})" in caplog.text  # as asked


def test_default_locations(tmp_path, monkeypatch, folder):
    monkeypatch.delenv("ALLIANCE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "alliance-timeline"
    cache.load(folder)
    assert stat.S_IMODE(os.stat(tmp_path / "xdg" / "alliance-timeline").st_mode) == 0o700
    assert list((tmp_path / "xdg" / "alliance-timeline").glob("record-*.pickle"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # invalid by the XDG spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "alliance-timeline"


def test_a_change_of_code_is_a_miss(cache_dir, folder, builds, monkeypatch):
    age()
    cache.load(folder)
    monkeypatch.setattr(cache, "_runtime", lambda: b"other code")
    assert cache.load(folder).source == "built" and len(builds) == 2


def test_events_carry_their_path_in_the_record_so_any_working_directory_is_served_from_the_cache(
        cache_dir, folder, builds, monkeypatch, tmp_path):
    age()
    monkeypatch.chdir(folder.parent)
    first = cache.load(folder)
    monkeypatch.chdir(folder)
    here = cache.load(folder)
    assert (first.source, here.source, len(builds)) == ("built", "stat", 1)
    assert {e.path for e in record_of(here.result).events} == {e.path for e in record_of(first.result).events} == {NAME, "batch.yaml"}
    copy = make_record(tmp_path / "elsewhere" / "events", {NAME: event(), "batch.yaml": BATCH})
    (copy / "narratives").mkdir()
    (copy / "narratives" / "a-story.yaml").write_text(NARRATIVE, encoding="utf-8")
    moved = cache.load(copy)  # the same content in another place: the same entry, found by its content
    assert moved.source == "content" and len(builds) == 1
    assert_same_record(record_of(moved.result), record_of(first.result))


def test_old_entries_are_pruned(cache_dir, folder, monkeypatch):
    monkeypatch.setattr(cache, "KEEP_ENTRIES", 2)
    for title in ("First title!", "Second title", "Third title!"):
        (folder / NAME).write_text(event(title=title), encoding="utf-8")
        assert record_of(cache.load(folder).result).events[-1].title == title
        time.sleep(0.01)  # distinct modification times
    assert len(list(cache_dir.glob("record-*.pickle"))) == 2
    assert cache.load(folder).source != "built"  # the newest survived


def test_cached_properties_are_not_stored(cache_dir, folder):
    record = record_of(read_record(folder))
    assert record.ids and record.actors and record.positions  # computed, so held in the instance
    cache.cache_dir().mkdir(mode=0o700)
    cache._write_entry(cache_dir, "f" * 64, record)
    loaded = cache._read_entry(cache_dir, "f" * 64)
    assert_same_record(loaded, record)
    assert not {"ids", "actors", "positions"} & set(vars(loaded))
    assert loaded.ids == record.ids
