"""`alliance export` writes only the file it was asked for: never through a planted link, never over a device."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from .conftest import ROOT


def run_export(tmp_path, out: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ALLIANCE_EVENTS": str(ROOT / "events")}  # no ./events here
    return subprocess.run([sys.executable, "-m", "alliance", "export", "--format", "csv", "--out", out], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)


def test_a_planted_partial_link_is_never_written_through(tmp_path):
    private = tmp_path / "private.txt"
    private.write_text("the user's own notes\n")
    (tmp_path / ".report.csv.partial").symlink_to(private)
    result = run_export(tmp_path, "report.csv")
    assert result.returncode == 0, result.stderr
    assert private.read_text() == "the user's own notes\n"
    assert (tmp_path / "report.csv").read_bytes().startswith("\ufeffid,start,date".encode())
    assert (tmp_path / ".report.csv.partial").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".report.csv.partial", "private.txt", "report.csv"]


def test_an_export_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    (tmp_path / "report.csv").write_text("old")
    (tmp_path / "report.csv").chmod(0o600)
    assert run_export(tmp_path, "report.csv").returncode == 0
    assert (tmp_path / "report.csv").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("kind", ["fifo", "device", "symlink"])
def test_a_target_that_is_not_a_regular_file_is_refused_and_left_as_it_is(tmp_path, kind):
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("only root may make a device node")  # CI runs as root
        os.mknod(target, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # another /dev/null
    else:
        (tmp_path / "elsewhere.csv").write_text("kept\n")
        target.symlink_to(tmp_path / "elsewhere.csv")
    mode = os.lstat(target).st_mode
    result = run_export(tmp_path, "target")
    assert result.returncode == 2 and "not a regular file" in result.stderr and "Traceback" not in result.stderr
    assert os.lstat(target).st_mode == mode
    assert kind != "symlink" or (tmp_path / "elsewhere.csv").read_text() == "kept\n"


@pytest.mark.parametrize("out, message", [("", "give a file name"), ("/", "is a folder"), (".", "is a folder"),
                                          ("sub/", "is a folder")])
def test_an_out_that_names_no_file_gets_a_message_and_exit_2(tmp_path, out, message):
    (tmp_path / "sub").mkdir()
    result = run_export(tmp_path, out)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"] and list((tmp_path / "sub").iterdir()) == []


def test_a_folder_that_does_not_exist_is_a_write_error_not_a_traceback(tmp_path):
    result = run_export(tmp_path, "missing/report.csv")
    assert result.returncode == 1 and "cannot write" in result.stderr and "Traceback" not in result.stderr
