"""Replace a file whole or not at all: the one way this project writes a file a person keeps.

A file is written to a uniquely named temporary file in the same folder (created exclusively, so a
planted name or link is never written through), flushed and fsynced, given the mode of the file it
replaces, then renamed over it. A crash or a full disk leaves the old file as it was.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def replace_atomically(path: Path, data: bytes, *, default_mode: int = 0o644) -> None:
    """Write `data` to `path` atomically. Raises OSError (with nothing left behind) on failure."""
    path = Path(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = default_mode & ~_umask()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
