"""Reading the record folder: only regular files inside it, never more than the limit, never a hang."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from alliance import record as record_module
from alliance.record import RecordFiles, read_record
from alliance.yamlsafe import MAX_BYTES

from .conftest import ROOT, event, make_record, problems_of, record_of

NAME = "2000-01-02-test-event.yaml"
COMMANDS = {"validate": ["-m", "alliance", "validate"], "stats": ["-m", "alliance", "stats"],
            "cached load": ["-c", "import sys; from alliance.cache import read_record_cached; from alliance.record import Failed; "
                                  "r = read_record_cached(sys.argv[1]); p = r.problems if isinstance(r, Failed) else (); "
                                  "print(*p, sep='\\n'); sys.exit(1 if p else 0)"]}


def run(command: str, folder) -> subprocess.CompletedProcess:
    """One command on `folder` in a subprocess: a hang fails the test on the timeout instead of hanging it."""
    return subprocess.run([sys.executable, *COMMANDS[command], str(folder)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("special, message", [
    ("fifo", "not read: a FIFO, not a regular file"),
    ("dev-zero", "not read: a symbolic link leading outside the record"),
    ("outside", "not read: a symbolic link leading outside the record"),
    ("folder", "not read: a folder, not a regular file"),
])
def test_a_special_file_in_events_is_a_problem_never_a_hang(tmp_path, command, special, message):
    folder = make_record(tmp_path / "events", {NAME: event()})
    strange = folder / "2001-strange.yaml"
    if special == "fifo":
        os.mkfifo(strange)
    elif special == "dev-zero":
        strange.symlink_to("/dev/zero")
    elif special == "outside":
        (tmp_path / "secret.yaml").write_text(event(id="secret", date="2001"))
        strange.symlink_to(tmp_path / "secret.yaml")
    else:
        strange.mkdir()
    result = run(command, folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    if command != "stats":
        assert f"2001-strange.yaml:1: file: {message}" in result.stdout


def test_a_symbolic_link_to_a_file_inside_the_record_is_read(tmp_path):
    folder = make_record(tmp_path / "events", {NAME: event()})
    (folder / "drafts").mkdir()
    (folder / "drafts" / "2001-linked.yaml").write_text(event(id="linked", date="2001"))
    (folder / "2001-linked.yaml").symlink_to(folder / "drafts" / "2001-linked.yaml")
    record = record_of(read_record(folder))
    assert sorted(e.id for e in record.events) == ["linked", "test-event"]


def test_a_huge_file_is_read_only_up_to_the_limit(tmp_path):
    folder = make_record(tmp_path / "events", {NAME: event()})
    huge = folder / "2001-huge.yaml"
    with open(huge, "wb") as out:
        out.truncate(5 * MAX_BYTES)  # sparse: 100 MB that cost no disk
    assert len(RecordFiles(folder).read(huge)) == MAX_BYTES + 1
    problems = problems_of(read_record(folder))
    assert [str(p) for p in problems if "huge" in p.path] == [f"{os.path.relpath(huge)}:1: file: larger than 20 MB"]


@pytest.mark.parametrize("sub", ["vocabulary", "narratives"])
def test_an_unreadable_vocabulary_or_narratives_folder_is_a_problem(tmp_path, monkeypatch, sub):
    folder = make_record(tmp_path / "events", {NAME: event()})
    (folder / "narratives").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == sub:
            raise PermissionError(13, "Permission denied")  # what a chmod 000 folder does to anyone but root
        return real_scandir(path)

    monkeypatch.setattr(record_module.os, "scandir", scandir)
    problems = problems_of(read_record(folder))
    assert f"{os.path.relpath(folder / sub)}:1: file: cannot read the folder: Permission denied" in map(str, problems)


def test_a_narratives_path_that_is_a_file_is_a_problem_not_zero_narratives(tmp_path):
    folder = make_record(tmp_path / "events", {NAME: event()})
    (folder / "narratives").write_text("not a folder")
    problems = problems_of(read_record(folder))
    assert [p.message for p in problems] == ["cannot read the folder: Not a directory"]
