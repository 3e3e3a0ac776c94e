"""Files that hold personal data or keys: 0600 in 0700 folders, whatever the umask.

Used for key files (forms.payload.keys), the kiosk's outbox, the back office's SQLite database,
its key folder and exports, PDFs written on request, screenshots and metrics. Modes are set
with chmod after creation, so a umask of 000 (or 022) changes nothing. It lives in `forms`,
the one package every part may import (the pre-entry site included): the only files `forms`
writes are these, on behalf of the parts.

SQLite creates `-wal`, `-shm` and `-journal` files beside a database with the database file's
own mode (its unix VFS copies it and chmods the new file), so creating the database file
0600 before SQLite opens it covers them; companions left by an older version are tightened.

A folder Madoguchi creates is 0700. A folder that already exists is changed only when it is
Madoguchi's own (`private_dir`: the back office's data directory, a key folder): a database
placed by the operator in, say, /tmp must not chmod /tmp.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import IO

FILE_MODE = 0o600
DIR_MODE = 0o700
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def make_dirs(path: Path) -> None:
    """Create `path` and every missing parent 0700; folders that exist are left alone."""
    missing: list[Path] = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # another process made it meanwhile: not ours to change
            continue
        os.chmod(folder, DIR_MODE)


def private_dir(path: Path) -> Path:
    """Madoguchi's own folder: created 0700 (parents too), or tightened to 0700.

    A shared sticky folder such as /tmp, or one that belongs to another account, is left as
    it is: it is not ours to close."""
    make_dirs(path)
    info = path.stat()
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(path)
    shared = info.st_mode & stat.S_ISVTX or info.st_uid != os.geteuid()
    if stat.S_IMODE(info.st_mode) != DIR_MODE and not shared:
        os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty if missing, and make it 0600 either way (parents made 0700)."""
    make_dirs(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def private_sqlite(path: Path) -> Path:
    """The database file 0600 before SQLite opens it, and any companion file 0600."""
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.chmod(companion, FILE_MODE)
    return path


def write_private(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """`data` into `path`, 0600 from its first byte, whole or not at all (a temporary file
    renamed into place); FileExistsError if it exists and not `overwrite`."""
    private_dir(path.parent)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), FILE_MODE)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the target exists: never replaces it
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def open_private_text(path: Path) -> IO[str]:
    """A text file for writing (UTF-8, no newline translation), 0600 before any byte."""
    private_file(path)
    return path.open("w", encoding="utf-8", newline="")
