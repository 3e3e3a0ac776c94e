"""The kiosk's outbox holds sealed applications: its SQLite file (with -wal/-shm) is 0600 in a
0700 folder whatever the umask; the template cache's folder, which often creates the kiosk's
data folder, is 0700 too."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_residents import ingest_records

from forms.payload import keys
from forms.private_files import make_dirs, private_dir
from sync.outbox import Outbox


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_outbox_file_and_folder(tmp_path: Path, umask: int, office_key) -> None:
    path = tmp_path / "kiosk" / "data" / "outbox.sqlite3"
    with Outbox(path) as outbox:
        outbox.add(ingest_records(2, office_key.public_key()))
        names = sorted(p.name for p in path.parent.iterdir())
        assert names == ["outbox.sqlite3", "outbox.sqlite3-shm", "outbox.sqlite3-wal"]
        for p in path.parent.iterdir():
            assert mode(p) == 0o600, p.name
    assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700


def test_an_older_outbox_is_tightened_its_existing_folder_left(tmp_path: Path, umask: int) -> None:
    folder = tmp_path / "spool"
    folder.mkdir()
    os.chmod(folder, 0o755)
    path = folder / "outbox.sqlite3"
    with Outbox(path):
        pass
    os.chmod(path, 0o644)
    (folder / "outbox.sqlite3-journal").touch()
    os.chmod(folder / "outbox.sqlite3-journal", 0o666)
    with Outbox(path):
        assert mode(path) == 0o600
        assert mode(folder / "outbox.sqlite3-journal") == 0o600
    assert mode(folder) == 0o755  # not Madoguchi's folder


def test_office_key_pair_files(tmp_path: Path, umask: int) -> None:
    private = tmp_path / "keys" / "office_key.pem"
    key, public = keys.generate_counter_keypair()
    keys.save_private_key(key, private)
    keys.save_public_key(public, private.with_name("office_key.pub.pem"))
    assert mode(private.parent) == 0o700
    assert sorted(mode(p) for p in private.parent.iterdir()) == [0o600, 0o600]
    with pytest.raises(keys.KeyFileError):
        keys.save_private_key(key, private)


def test_folders(tmp_path: Path, umask: int) -> None:
    make_dirs(tmp_path / "a" / "b")
    assert mode(tmp_path / "a") == 0o700 and mode(tmp_path / "a" / "b") == 0o700
    open_folder = tmp_path / "open"
    open_folder.mkdir()
    os.chmod(open_folder, 0o755)
    make_dirs(open_folder)
    assert mode(open_folder) == 0o755
    private_dir(open_folder)
    assert mode(open_folder) == 0o700
