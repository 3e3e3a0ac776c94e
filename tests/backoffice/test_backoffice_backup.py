"""The restore drill, on SQLite and PostgreSQL: back up, add records, restore, check what is
there; the keys come back; a damaged backup and a running service are refused."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from backoffice_factory import sealed_record
from sqlalchemy import select

from backoffice import backup
from backoffice.devserver import serve_subprocess
from backoffice.models import Application
from madoguchi.cli import main


def _receipts(office) -> list[str]:  # type: ignore[no-untyped-def]
    with office.context.sessions() as session:
        return sorted(session.scalars(select(Application.receipt_number)))


def _ingest(office, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    records = [sealed_record(office.public_key) for _ in range(n)]
    results = office.ingest(records).json()["results"]
    assert all(r["status"] == "accepted" for r in results), results
    return [r["receipt_number"] for r in results]


def _cli(db_url: str, data: Path, *words: str) -> int:
    return main(["backoffice", *words, "--db", db_url, "--data-dir", str(data)])


def test_the_restore_drill(office, db_url: str, tmp_path: Path, capsys) -> None:
    data = office.context.settings.data_dir
    kept = _ingest(office, 3)
    key_before = (data / "office_key.pem").read_bytes()
    folder = tmp_path / "backups" / "2026-12-03"
    assert _cli(db_url, data, "backup", "--to", str(folder), "--json") == 0
    info = json.loads(capsys.readouterr().out)
    kind = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    assert info["database"] == kind

    manifest = json.loads((folder / "manifest.json").read_text())
    names = set(manifest["files"])
    assert ("database.sqlite3" if kind == "sqlite" else "database.pgdump") in names
    assert {"keys/office_key.pem", "keys/office_key.pub.pem", "keys/pseudonym.key"} <= names
    assert manifest["schema_revision"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.rglob("*"):
        want = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == want, path

    added = _ingest(office, 2)
    assert set(kept) | set(added) == set(_receipts(office))
    (data / "office_key.pem").write_bytes(b"damaged")  # lost or overwritten after the backup

    office.context.engine.dispose()  # the test's own connections (no service holds the lock)
    assert _cli(db_url, data, "restore", "--from", str(folder)) == 0
    assert "restored" in capsys.readouterr().out
    assert _receipts(office) == sorted(kept)
    assert (data / "office_key.pem").read_bytes() == key_before
    assert stat.S_IMODE((data / "office_key.pem").stat().st_mode) == 0o600

    # after the restore the office goes on: the next receipt follows the restored ones
    again = _ingest(office, 1)
    assert again[0] not in kept and len(set(_receipts(office))) == 4


def test_a_damaged_backup_is_refused_before_anything_changes(
    office, db_url: str, tmp_path: Path, capsys
) -> None:
    data = office.context.settings.data_dir
    _ingest(office, 1)
    folder = tmp_path / "b"
    assert _cli(db_url, data, "backup", "--to", str(folder)) == 0
    _ingest(office, 1)
    key = folder / "keys" / "office_key.pem"
    key.write_bytes(key.read_bytes() + b"\n")
    assert _cli(db_url, data, "restore", "--from", str(folder)) != 0
    assert "does not match: keys/office_key.pem" in capsys.readouterr().err
    assert len(_receipts(office)) == 2
    assert _cli(db_url, data, "backup", "--to", str(folder)) != 0  # not an empty folder


def test_restore_is_refused_while_the_service_runs(db_url: str, tmp_path: Path, capsys) -> None:
    data = tmp_path / "office"
    folder = tmp_path / "b"
    assert _cli(db_url, data, "backup", "--to", str(folder)) == 0
    with serve_subprocess(data_dir=data, db_url=db_url, log_path=tmp_path / "serve.log"):
        assert backup.is_running(backup.BackofficeSettings(data_dir=data, db_url=db_url))
        assert _cli(db_url, data, "restore", "--from", str(folder)) != 0
        assert "running" in capsys.readouterr().err
        # an online backup is fine meanwhile
        assert _cli(db_url, data, "backup", "--to", str(tmp_path / "b2")) == 0
    assert _cli(db_url, data, "restore", "--from", str(folder)) == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_sqlite_backup_does_not_restore_into_postgres_kind_mismatch(
    db_url: str, tmp_path: Path, capsys
) -> None:
    data = tmp_path / "office"
    folder = tmp_path / "b"
    assert _cli(db_url, data, "backup", "--to", str(folder)) == 0
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["database"] = "postgresql"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert _cli(db_url, data, "restore", "--from", str(folder)) != 0
    assert "cannot be restored into sqlite" in capsys.readouterr().err
