"""The load cache: a second start with an unchanged, valid record skips parsing and validation.

`read_record_cached(root)` answers exactly what `read_record(root)` would, faster when it can:

- **What is cached**: only valid records (an invalid one is read and checked on every call, so every
  problem is reported every time), as a pickle of the Record's fields (never its cached properties).
- **Key**: a hash of the record's content (every file `record_version` hashes: its path relative to
  the record folder and its bytes) plus everything else the loaded Record depends on: the source of
  every `alliance/*.py` module, and the Python, pandas, numpy, PyYAML (and libyaml) and plotly versions.
  Not the working directory, nor where the folder is: events carry their path relative to the record
  folder, so a record loads the same from anywhere (problems, which name files as seen from the
  working directory, are never cached). An entry is `record-<key>.pickle`.
- **Finding the key without reading 10,000 files**: at 10k events (5,010 files) reading and hashing
  every file takes about 0.1 s and unpickling the entry another 0.1 s, over the 0.2 s a warm start
  may take; one stat per file takes about 0.03 s. So each record location also has a pointer
  `where-<location>.json` saying "files with exactly these stat signatures hold content <key>".
  A signature is (relative path, device, inode, size, mtime_ns, ctime_ns) of every file, listed
  afresh on each start. The pointer is written only when every file's mtime and ctime were at least
  `RACY_MARGIN_NS` older than the moment its bytes began to be read: any later change to a file
  (write, truncate; a file renamed over it has another inode) sets its ctime to the time of the
  change, which no user can set back short of turning the system clock back (`touch` and `utime`
  restore mtime, never ctime), so it can no longer match the pointer. Files changed too recently
  to tell (git's "racily clean" problem: timestamps are coarse) are never trusted by signature: the
  next start reads and hashes their content instead, and writes the pointer once they are old enough. This assumes POSIX ctime
  semantics and a file-system clock within `RACY_MARGIN_NS` of this machine's; on a file system
  without them, set `ALLIANCE_CACHE_DIR=off`.
- **Never an error**: a missing, truncated, corrupt or foreign cache file, or a cache folder that
  cannot be created or written, means a full load. Each decision is logged at debug level
  (`--log-level debug`); a cache that cannot be used at all, or cannot be written, says so as a warning.
  Each entry starts with a magic string and the SHA-256 of its payload, checked before unpickling;
  files are written to a temporary name and `os.replace`d, so a reader never sees half a file. Only
  files owned by this user in a folder no one else can write are unpickled (a pickle can run code).
- **Where**: `$ALLIANCE_CACHE_DIR`, else `$XDG_CACHE_HOME/alliance-timeline`, else
  `~/.cache/alliance-timeline`, created with mode 0700. `ALLIANCE_CACHE_DIR=off` disables the cache.
  The newest `KEEP_ENTRIES` entries and `KEEP_POINTERS` pointers are kept; older ones are deleted.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import pickle
import re
import sys
import time
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from .record import Failed, Loaded, LoadResult, Record, RecordFiles, paused_gc, read_files, read_record
from .safeio import write_atomic

FORMAT = 1
MAGIC = b"alliance-cache\x00" + bytes([FORMAT])
KEEP_ENTRIES = 4
KEEP_POINTERS = 16
RACY_MARGIN_NS = 2_000_000_000  # 2 s: far above any kernel timestamp granularity but FAT's
STALE_TEMP_S = 3600
OFF = {"off", "0", "no", "false", "none", "disabled"}
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_U64 = 2**64 - 1
LOG = logging.getLogger(__name__)


Source = Literal["stat", "content", "built", "uncached"]


@dataclass(frozen=True)
class Served:
    """What `load` returns: the load's result (`Loaded` or `Failed`) and where it came from.

    `source`: "stat" (cache entry found by file signatures), "content" (found by reading and hashing
    the files), "built" (read and validated; cached if valid), or "uncached" (cache off or unusable).
    """

    result: LoadResult
    source: Source


def read_record_cached(root: Path) -> LoadResult:
    """`read_record`, served from the load cache when the record and the code are unchanged."""
    return load(root).result


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is disabled (or no home folder can be found)."""
    configured = os.environ.get("ALLIANCE_CACHE_DIR", "").strip()
    if configured:
        if configured.lower() in OFF:
            LOG.debug("load cache off (ALLIANCE_CACHE_DIR=%s)", configured)
            return None
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is invalid and ignored
        try:
            base = os.path.join(Path.home(), ".cache")
        except (RuntimeError, KeyError):
            LOG.warning("load cache off: no home folder to keep it in; set ALLIANCE_CACHE_DIR")
            return None
    return Path(base) / "alliance-timeline"


def load(root: Path) -> Served:
    root = Path(root)
    folder = _usable_dir(cache_dir())
    if folder is None or not root.is_dir():
        return Served(read_record(root), "uncached")
    try:
        _runtime()
    except OSError as error:  # a module's source cannot be read
        LOG.warning("load cache off: cannot read the code's own source (%s)", error)
        return Served(read_record(root), "uncached")
    with paused_gc():
        return _load(root, folder)


def _load(root: Path, folder: Path) -> Served:
    files = RecordFiles(root)
    where = _hash(b"where", _runtime(), os.path.abspath(root).encode())  # the folder's files' signatures
    pointer = folder / f"where-{where}.json"
    signature = _signature(files)
    if signature is not None:
        pointed = _read_pointer(pointer, signature)
        found = _read_entry(folder, pointed) if pointed else None
        if pointed and found is not None:
            LOG.debug("load cache: %s unchanged by its files' signatures: entry %s", root, pointed[:12])
            return Served(Loaded(found), "stat")
    LOG.debug("load cache: no trusted signatures for %s; reading and hashing its files", root)
    started = _now_ns()
    try:
        contents = [files.read(path) for path in files.all]
    except OSError as error:  # unreadable: not cacheable; read_files reports it (or raises) as read_record does
        LOG.debug("load cache: not used for %s: %s", root, error)
        return Served(read_files(files), "uncached")
    key = _content_key(files, contents)
    record = _read_entry(folder, key)
    source: Source = "content"
    if record is None:
        result = read_files(files)
        if isinstance(result, Failed):
            LOG.debug("load cache: %s has %d problem(s): not cached", root, len(result.problems))
            return Served(result, "built")
        record = result.record
        _write_entry(folder, key, record)
        source = "built"
    how = "found by its content in" if source == "content" else "read, checked and stored as"
    LOG.debug("load cache: %s %s entry %s", root, how, key[:12])
    signature = _signature(files, racy_before=started - RACY_MARGIN_NS)
    if signature is not None:
        _write(pointer, json.dumps({"format": FORMAT, "signature": signature, "key": key}).encode())
    else:
        LOG.debug("load cache: a file of %s changed in the last %.0f s; its signatures are trusted on a later start",
                  root, RACY_MARGIN_NS / 1e9)
    return Served(Loaded(record), source)


# ---- keys -------------------------------------------------------------------------------------------

@functools.cache
def _runtime() -> bytes:
    """Everything besides the record's files that decides what loading it gives."""
    import numpy
    import yaml

    try:
        plotly = importlib.metadata.version("plotly")  # validates kind symbols; not imported to ask
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        plotly = "-"
    parts = [f"format {FORMAT}", sys.version, sys.implementation.cache_tag or "", f"pandas {pd.__version__}",
             f"numpy {numpy.__version__}", f"yaml {yaml.__version__} libyaml {yaml.__with_libyaml__}", f"plotly {plotly}"]
    digest = hashlib.sha256("\n".join(parts).encode())
    for source in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest().encode()


def _content_key(files: RecordFiles, contents: list[bytes]) -> str:
    digest = hashlib.sha256(b"\0".join([b"content", _runtime(), b""]))
    for name, data in zip(files.names, contents, strict=True):
        encoded = name.encode()
        digest.update(b"%d:%s%d:" % (len(encoded), encoded, len(data)))
        digest.update(data)
    return digest.hexdigest()


def _signature(files: RecordFiles, racy_before: int | None = None) -> str | None:
    """A hash of every file's (path, device, inode, size, mtime_ns, ctime_ns), or None if a file cannot
    be statted or (with `racy_before`) was changed too recently to be told apart from a later change."""
    root = os.path.abspath(files.root)
    prefix = os.path.join(root, "")
    try:
        stats = [os.stat(prefix + name) for name in files.names]
    except OSError:
        return None
    if racy_before is not None and any(st.st_mtime_ns >= racy_before or st.st_ctime_ns >= racy_before for st in stats):
        return None
    digest = hashlib.sha256(b"signature\0" + root.encode() + b"\0" + "\0".join(files.names).encode() + b"\0")
    digest.update(array("Q", [value & _U64 for st in stats  # 64-bit two's complement: negative times too
                              for value in (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)]))
    return digest.hexdigest()


def _hash(*parts: bytes) -> str:
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def _now_ns() -> int:
    return time.time_ns()


# ---- files ------------------------------------------------------------------------------------------

def _usable_dir(folder: Path | None) -> Path | None:
    """The cache folder, created (0700) if needed, if only this user can write it; else None."""
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(os.stat(folder)):
            LOG.warning("load cache off: %s is not this user's, or others can write to it (a planted entry could "
                        "run code); every start reads and checks the whole record", folder)
            return None
    except OSError as error:
        LOG.warning("load cache off: cannot use %s (%s); every start reads and checks the whole record",
                    folder, error.strerror or error)
        return None
    return folder


def _trusted(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (on systems with owners)."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - Windows
        return True
    return st.st_uid == os.geteuid() and not st.st_mode & 0o022


def _read_pointer(pointer: Path, signature: str) -> str | None:
    try:
        with open(pointer, "rb") as handle:
            if not _trusted(os.fstat(handle.fileno())):
                return None
            data = json.loads(handle.read(4096))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("signature") != signature:
        return None
    key = data.get("key")
    return key if isinstance(key, str) and _HEX64.match(key) else None


def _read_entry(folder: Path, key: str) -> Record | None:
    """The cached record for `key`, or None if there is none or it is not intact and ours."""
    path = folder / f"record-{key}.pickle"
    try:
        with open(path, "rb") as handle:
            if not _trusted(os.fstat(handle.fileno())):
                LOG.warning("load cache: %s is not this user's or others can write it: not read", path)
                return None
            blob = handle.read()
    except OSError:
        return None
    head = len(MAGIC) + 32
    payload = memoryview(blob)[head:]
    if not blob.startswith(MAGIC) or len(blob) < head or hashlib.sha256(payload).digest() != blob[len(MAGIC):head]:
        LOG.debug("load cache: %s is truncated, corrupt or not ours: ignored", path)
        return None
    try:
        stored_key, fields = pickle.loads(payload)
        record = Record(*fields)
    except Exception:  # an intact file from an incompatible writer: treat as absent
        LOG.debug("load cache: %s was written by incompatible code: ignored", path)
        return None
    if stored_key != key or not _well_formed(record):
        LOG.debug("load cache: %s holds another record: ignored", path)
        return None
    try:
        os.utime(path)  # recently used: kept by pruning
    except OSError:
        pass
    return record


def _well_formed(record: Record) -> bool:
    return (isinstance(record.events, tuple) and isinstance(record.narratives, tuple)
            and isinstance(record.frame, pd.DataFrame) and isinstance(record.version, str)
            and len(record.frame) == len(record.events))


def _write_entry(folder: Path, key: str, record: Record) -> None:
    # The Record's fields only: its cached properties (ids, positions) are rebuilt on demand.
    fields = (record.events, record.vocab, record.narratives, record.frame, record.version)
    try:
        payload = pickle.dumps((key, fields), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # noqa: BLE001 - whatever it is, the record just is not cached
        LOG.warning("load cache: cannot store the record (%s: %s)", type(error).__name__, error)
        return
    if _write(folder / f"record-{key}.pickle", [MAGIC, hashlib.sha256(payload).digest(), payload]):
        _prune(folder, "record-", ".pickle", KEEP_ENTRIES)
        _prune(folder, "where-", ".json", KEEP_POINTERS)


def _write(path: Path, data: bytes | list[bytes]) -> bool:
    """Write atomically (`safeio.write_atomic`, mode 0600); False, and nothing left behind, on failure."""
    try:
        write_atomic(path, data, mode=0o600)
        return True
    except OSError as error:
        LOG.warning("load cache: cannot write %s (%s); the next start reads the record again", path,
                    error.strerror or error)
        return False


def _prune(folder: Path, prefix: str, suffix: str, keep: int) -> None:
    """Delete all but the `keep` most recently used files of one kind, and abandoned temporary files."""
    try:
        with os.scandir(folder) as entries:
            found = []
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(suffix):
                    found.append((entry.stat().st_mtime_ns, entry.path))
                elif (entry.name.startswith(".") and entry.name.endswith(".partial")
                      and time.time() - entry.stat().st_mtime > STALE_TEMP_S):
                    os.unlink(entry.path)
        for _, path in sorted(found, reverse=True)[keep:]:
            os.unlink(path)
    except OSError:
        pass
