"""Files read and written without surprises: whole or not at all, never through a planted link.

`write_atomic` is how every file this project writes reaches the disk (formatted event files,
exports, load-cache entries). The bytes go to a new temporary file in the same folder (a unique
name created exclusively, so a name someone planted, even a symbolic link, is never written
through), are flushed and fsynced, get the mode (and, for root, the owner) of the file they
replace, and only then are renamed over the target. A kill or a full disk at any moment leaves
either the old file or the new one, never a truncated one; a failure raises OSError after removing
the temporary file.

`read_regular` is how record files are read: only regular files, at most `limit + 1` bytes (so a
caller can tell "too large" without reading gigabytes), opened without blocking (a FIFO does not
hang the reader), and a symbolic link is followed only if it leads to a file inside `inside`.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


class NotRegularFile(OSError):
    """A path that is not a plain file (FIFO, device, folder) or a link leading out of the record."""

    def __init__(self, message: str):
        super().__init__(errno.EINVAL, message)


def refuse_unless_regular(path: Path) -> None:
    """Raise NotRegularFile if `path` exists and is anything but a regular file (not followed)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise NotRegularFile(f"{_kind(mode)}, not a regular file")


def write_atomic(path: Path, data: bytes | list[bytes], *, mode: int | None = None) -> None:
    """Replace `path` with `data` atomically. Keeps an existing file's mode (and owner when allowed);
    a new file gets `mode`, else 0o666 less the umask. Raises OSError; the target is then untouched."""
    path = Path(path)
    try:
        old = os.stat(path)
    except FileNotFoundError:
        old = None
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        for chunk in [data] if isinstance(data, (bytes, bytearray, memoryview)) else data:
            view = memoryview(chunk)
            while view:
                view = view[os.write(handle, view):]
        if old is not None:
            os.fchmod(handle, stat.S_IMODE(old.st_mode))
            if hasattr(os, "fchown") and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(handle, old.st_uid, old.st_gid)
                except OSError:  # only root may give a file away; the content matters more
                    pass
        else:
            os.fchmod(handle, mode if mode is not None else 0o666 & ~_umask())
        os.fsync(handle)
        os.close(handle)
        handle = -1
        os.replace(temporary, path)
    except BaseException:
        if handle >= 0:
            os.close(handle)
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _sync_folder(path.parent)


def read_regular(path: Path, limit: int, *, inside: Path | None = None) -> bytes:
    """At most `limit + 1` bytes of a regular file. Raises OSError (NotRegularFile for a FIFO, a
    device, a folder, or a symbolic link that leads outside `inside`)."""
    path = Path(path)
    target = path
    if inside is not None and os.path.islink(path):
        target = Path(os.path.realpath(path))
        base = os.path.join(os.path.realpath(inside), "")
        if not str(target).startswith(base):
            raise NotRegularFile("a symbolic link leading outside the record (not followed)")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    if target is not path:
        flags |= getattr(os, "O_NOFOLLOW", 0)  # the resolved path: no link may be swapped in at its end
    handle = os.open(target, flags)
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"{_kind(mode)}, not a regular file")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(handle, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                       (stat.S_ISDIR, "a folder"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "a special file"


def _umask() -> int:
    """This process's umask, read without changing it (setting it, even back, races other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every file system lets a folder be fsynced)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
