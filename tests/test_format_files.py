"""`alliance format` under faults: a failed, refused or killed write never costs a curator a byte."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time

import pytest

from alliance import safeio
from alliance.canonical import format_record

from .conftest import ROOT, make_record

MESSY = """\
title: A test event
id: test-event
date: 2000-01-02
summary: Something happened.
topics:
  - security
kind: treaty
sources:
- {title: A source, url: "https://example.org/a"}
"""
NAME = "2000-01-02-test-event.yaml"


def messy_list(count: int) -> str:
    """A list file of `count` events, none in canonical form (keys out of order, block-style topics)."""
    return "".join(f"- title: Event number {i} of a long list\n  id: list-event-{i}\n  date: 2000-01-02\n"
                   f"  summary: Something happened on this day.\n  topics:\n    - security\n  kind: treaty\n"
                   f"  sources:\n  - {{title: A source, url: 'https://example.org/{i}'}}\n" for i in range(count))


def run_format(folder, **popen) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "alliance", "format", str(folder)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, **popen)


def test_a_write_that_fails_on_a_full_disk_leaves_the_file_whole_and_is_reported(tmp_path):
    big = messy_list(40)
    folder = make_record(tmp_path / "events", {"2000-list.yaml": big, NAME: MESSY})
    limit = 2000  # bytes any one file may have: like a disk that fills during the write

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    assert len(big) > limit > len(MESSY)
    result = run_format(folder, preexec_fn=small_disk)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "2000-list.yaml: not formatted: cannot write it" in result.stderr
    assert (folder / "2000-list.yaml").read_text() == big
    assert (folder / NAME).read_text() != MESSY  # the other file was still formatted
    assert [p.name for p in folder.iterdir() if p.name.endswith(".partial")] == []


def test_a_failed_rename_leaves_the_original_and_is_a_problem_not_a_traceback(tmp_path, monkeypatch):
    folder = make_record(tmp_path / "events", {NAME: MESSY})

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safeio.os, "replace", refuse)
    changed, skipped = format_record(folder, check=False)
    assert changed == [] and len(skipped) == 1 and "No space left on device" in skipped[0]
    assert (folder / NAME).read_text() == MESSY
    assert sorted(p.name for p in folder.iterdir()) == [NAME, "vocabulary"]  # no temporary file left


def test_a_read_only_file_is_reported_and_the_rest_is_formatted(tmp_path):
    other = "2001-01-02-other-event.yaml"
    folder = make_record(tmp_path / "events", {NAME: MESSY, other: MESSY.replace("test-event", "other-event")
                                               .replace("2000-01-02", "2001-01-02")})
    (folder / NAME).chmod(0o444)
    result = run_format(folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{NAME}: not formatted: the file is read-only" in result.stderr
    assert (folder / NAME).read_text() == MESSY
    assert (folder / other).read_text().startswith("id: other-event\n")


def test_format_keeps_the_mode_of_the_file(tmp_path):
    folder = make_record(tmp_path / "events", {NAME: MESSY})
    (folder / NAME).chmod(0o640)
    assert format_record(folder, check=False)[1] == []
    assert (folder / NAME).stat().st_mode & 0o777 == 0o640


def test_a_kill_during_format_leaves_each_file_whole_old_or_whole_new(tmp_path):
    """SIGKILL `format` the moment it starts writing (a file changes or a new one appears in the folder):
    the 2,000-event list file is then byte for byte the original or the formatted text, never truncated."""
    original = messy_list(2_000)
    expected = None
    for attempt in range(5):
        folder = make_record(tmp_path / f"events{attempt}", {"2000-list.yaml": original})
        target = folder / "2000-list.yaml"
        if expected is None:
            reference = make_record(tmp_path / "reference", {"2000-list.yaml": original})
            assert run_format(reference).returncode == 0
            expected = (reference / "2000-list.yaml").read_text()
        before = _state(target)
        process = subprocess.Popen([sys.executable, "-m", "alliance", "format", str(folder)], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if _state(target) != before:
                process.send_signal(signal.SIGKILL)  # mid-write: the process is stopped where it stands
                break
        process.wait(timeout=30)
        text = target.read_text()
        assert text in (original, expected), f"attempt {attempt}: {len(text)} bytes, a truncated file"


def _state(target):
    """What a write changes: the file's inode, size and mtime, and its folder's mtime (a new temporary file)."""
    st = os.stat(target)
    return st.st_ino, st.st_size, st.st_mtime_ns, os.stat(target.parent).st_mtime_ns


def test_format_writes_nothing_outside_the_record_through_a_symbolic_link(tmp_path):
    outside = tmp_path / "private.yaml"
    outside.write_text(MESSY)
    folder = make_record(tmp_path / "events")
    (folder / NAME).symlink_to(outside)
    changed, skipped = format_record(folder, check=False)
    assert changed == [] and skipped == [f"{os.path.relpath(folder / NAME)}: not formatted: a symbolic link "
                                         "(format the file it points to)"]
    assert outside.read_text() == MESSY and (folder / NAME).is_symlink()


@pytest.mark.parametrize("special", ["fifo", "dev-zero"])
def test_format_never_hangs_on_a_special_file(tmp_path, special):
    folder = make_record(tmp_path / "events", {NAME: MESSY})
    if special == "fifo":
        os.mkfifo(folder / "2001-fifo.yaml")
    else:
        (folder / "2001-zero.yaml").symlink_to("/dev/zero")
    result = run_format(folder)  # a hang fails on the timeout
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (folder / NAME).read_text().startswith("id: test-event")
