"""The back office's files hold decrypted records and the office's private key: 0600 in 0700
folders whatever the umask (022, the usual default, and 000), SQLite's -wal/-shm/-journal
included; exports and key folders likewise."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from backoffice_factory import sealed_record
from fastapi.testclient import TestClient

from backoffice.app import create_app
from backoffice.context import open_context
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from sync.protocol.vocabulary import Role


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _ingest_one(settings: BackofficeSettings) -> None:
    context = open_context(settings)
    try:
        with context.sessions() as session, session.begin():
            token = accounts.add_terminal(session, "kiosk-m", Role.KIOSK)
        with TestClient(create_app(settings, context)) as client:
            answer = client.post(
                "/api/v1/ingest",
                json={"records": [sealed_record(context.private_key.public_key())]},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert answer.json()["results"][0]["status"] == "accepted"
        db = settings.data_dir / "backoffice.db"
        # while the database is open in WAL mode its companions exist: 0600 as well
        for name in ("backoffice.db", "backoffice.db-wal", "backoffice.db-shm"):
            assert mode(settings.data_dir / name) == 0o600, name
        assert db.stat().st_size > 0
    finally:
        context.close()


def test_a_new_data_folder_database_and_keys(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "srv" / "madoguchi" / "office"  # three folders to create
    settings = BackofficeSettings(data_dir=data)
    _ingest_one(settings)
    for folder in (tmp_path / "srv", tmp_path / "srv" / "madoguchi", data):
        assert mode(folder) == 0o700, folder
    for path in data.iterdir():
        assert mode(path) == 0o600, path.name
    assert {p.name for p in data.iterdir()} >= {
        "backoffice.db",
        "office_key.pem",
        "office_key.pub.pem",
    }


def test_files_of_an_older_version_are_tightened(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "office"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    (data / "backoffice.db").touch()
    os.chmod(data / "backoffice.db", 0o644)
    _ingest_one(BackofficeSettings(data_dir=data))  # checks the database and its companions
    assert mode(data) == 0o700


def test_a_database_elsewhere_is_private_but_its_existing_folder_untouched(
    tmp_path: Path, umask: int
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)  # an operator's folder, like /srv or /tmp: not ours to change
    db = shared / "office.db"
    settings = BackofficeSettings(data_dir=tmp_path / "office", db_url=f"sqlite:///{db}")
    context = open_context(settings)
    try:
        assert mode(db) == 0o600
        assert mode(Path(f"{db}-wal")) == 0o600 and mode(Path(f"{db}-shm")) == 0o600
    finally:
        context.close()
    assert mode(shared) == 0o755


def _madoguchi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "madoguchi.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_export_and_key_folders_from_the_command_line(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "office"
    _ingest_one(BackofficeSettings(data_dir=data))
    out = tmp_path / "exports" / "today" / "all.jsonl"
    result = _madoguchi("backoffice", "export", "--data-dir", str(data), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 0
    assert mode(out) == 0o600
    assert mode(out.parent) == 0o700 and mode(out.parent.parent) == 0o700
    keys = tmp_path / "keys"
    result = _madoguchi("backoffice", "keys", "--out", str(keys), "--json")
    assert result.returncode == 0, result.stderr
    assert mode(keys) == 0o700
    assert sorted((p.name, mode(p)) for p in keys.iterdir()) == [
        ("office_key.pem", 0o600),
        ("office_key.pub.pem", 0o600),
    ]
