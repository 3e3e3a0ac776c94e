"""Backups of one back office: the database, the key folder, and a manifest.

    madoguchi backoffice backup --to DIR      # online: the service may run
    madoguchi backoffice restore --from DIR   # refused while the service runs

A backup folder (0700, every file 0600, whatever the umask) holds:

    manifest.json          format, database kind, schema revision, when (UTC), and the sha256
                           and size of every other file
    database.sqlite3       SQLite: a consistent copy made with SQLite's online backup API
    database.pgdump        PostgreSQL: `pg_dump --format=custom`
    keys/…                 the data folder without its database: the office key pairs (current
                           and every earlier one not retired), the pseudonym key, tls/

The keys are what open every sealed outbox row and paper QR: a database restored without them
is a queue of ciphertext. Keep backups where the database's own protection applies.

Restoring checks every file's sha256 first (nothing is touched when one differs), then takes
the data folder's `serve.lock` exclusively: `madoguchi backoffice serve` holds it (shared) for
as long as it runs, so a running service on this data folder refuses the restore, and a
service cannot start while a restore is under way. Key files present now but not in the backup
are kept (a key made after the backup may still open paper printed since); files in the backup
replace their namesakes. PostgreSQL is restored with `pg_restore --clean --if-exists
--single-transaction`: all or nothing.

Instances on other machines sharing one PostgreSQL hold their own data folder's lock; stop
them all before a restore (docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from backoffice.settings import DATABASE_FILE, BackofficeSettings
from forms.errors import MadoguchiError
from forms.private_files import FILE_MODE, private_dir, private_file, write_private

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
KEYS_DIR = "keys"
LOCK_FILE = "serve.lock"
FORMAT = 1
SKIPPED = {LOCK_FILE}


class BackupError(MadoguchiError):
    code = "backup_failed"


class ServiceRunning(BackupError):
    code = "service_running"

    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            f"バックオフィスが動いています（{data_dir}）。止めてから復元してください",
            f"the back office is running on {data_dir}; stop it before restoring",
        )


class RestoreUnderWay(BackupError):
    code = "restore_under_way"

    def __init__(self) -> None:
        super().__init__("復元中です。終わってから起動してください", "a restore is under way")


class BadBackup(BackupError):
    code = "bad_backup"


@dataclass(frozen=True)
class BackupInfo:
    folder: Path
    database: str
    files: int
    bytes: int
    schema_revision: str | None


def _lock_path(settings: BackofficeSettings) -> Path:
    return settings.data_dir / LOCK_FILE


@contextlib.contextmanager
def serving(settings: BackofficeSettings) -> Iterator[None]:
    """Held by `backoffice serve` while it runs (a shared lock: several instances may share
    one data folder); refuses to start during a restore."""
    path = private_file(_lock_path(settings))
    fd = os.open(path, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RestoreUnderWay() from None
        yield
    finally:
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def _exclusive(settings: BackofficeSettings) -> Iterator[None]:
    path = private_file(_lock_path(settings))
    fd = os.open(path, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ServiceRunning(settings.data_dir) from None
        yield
    finally:
        os.close(fd)


def is_running(settings: BackofficeSettings) -> bool:
    try:
        with _exclusive(settings):
            return False
    except ServiceRunning:
        return True


def _kind(settings: BackofficeSettings) -> str:
    return make_url(settings.database_url).get_backend_name()


def _libpq(settings: BackofficeSettings) -> tuple[str, dict[str, str]]:
    """The database URL for pg_dump/pg_restore (without the driver and without the password,
    which goes in PGPASSWORD: never on a command line)."""
    url = make_url(settings.database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _sqlite_path(settings: BackofficeSettings) -> Path:
    database = make_url(settings.database_url).database
    if not database or database == ":memory:":
        raise BadBackup("SQLite のファイルがありません", "no SQLite database file")
    return Path(database)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        # pg_* messages name objects, never row values; keep only the last line.
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1][:200]
        raise BackupError(f"{command[0]} が失敗しました: {last}", f"{command[0]} failed: {last}")


def _key_files(settings: BackofficeSettings) -> list[Path]:
    data = settings.data_dir
    database = None
    if _kind(settings) == "sqlite":
        database = _sqlite_path(settings).resolve()
    out = []
    for path in sorted(data.rglob("*")):
        if not path.is_file() or path.name in SKIPPED:
            continue
        if path.relative_to(data).parts[0].startswith("metrics."):
            continue  # a running service's shared counters
        resolved = path.resolve()
        if (
            database is not None
            and resolved.name.startswith(database.name)
            and (resolved.parent == database.parent)
        ):
            continue  # the database and its -wal/-shm/-journal: copied by the backup API
        if path.name.startswith(DATABASE_FILE):
            continue
        out.append(path)
    return out


def backup(settings: BackofficeSettings, folder: Path, *, now_iso: str) -> BackupInfo:
    """Write a backup into `folder` (new or empty); the service may be running."""
    from backoffice import migrate
    from backoffice.db import make_engine

    if folder.exists() and any(folder.iterdir()):
        raise BadBackup(f"{folder} が空ではありません", f"{folder} is not empty")
    private_dir(folder)
    kind = _kind(settings)
    if kind == "sqlite":
        target = private_file(folder / SQLITE_FILE)
        source = sqlite3.connect(f"file:{_sqlite_path(settings)}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)  # online: a consistent snapshot, writers go on
            finally:
                copy.close()
        finally:
            source.close()
        # the copy is one file (no WAL): make sure of it
        with contextlib.closing(sqlite3.connect(target)) as check:
            check.execute("PRAGMA journal_mode=DELETE")
    elif kind == "postgresql":
        target = private_file(folder / PG_FILE)
        url, env = _libpq(settings)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", url], env)
        os.chmod(target, FILE_MODE)
    else:
        raise BadBackup(f"{kind} は対象外です", f"unsupported database {kind}")
    for path in _key_files(settings):
        relative = path.relative_to(settings.data_dir)
        copy_to = folder / KEYS_DIR / relative
        private_dir(copy_to.parent)
        write_private(copy_to, path.read_bytes())
    engine = make_engine(settings.database_url)
    try:
        revision = migrate.current_revision(engine)
    finally:
        engine.dispose()
    files = {}
    total = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            size = path.stat().st_size
            total += size
            files[path.relative_to(folder).as_posix()] = {"sha256": _sha256(path), "size": size}
    manifest = {
        "format": FORMAT,
        "database": kind,
        "schema_revision": revision,
        "created_at": now_iso,
        "files": files,
    }
    write_private(folder / MANIFEST, json.dumps(manifest, indent=2).encode("utf-8"))
    return BackupInfo(folder, kind, len(files), total, revision)


def verify(folder: Path) -> dict:
    """The manifest, once every file it lists has its size and sha256 (else BadBackup)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        raise BadBackup(
            f"{folder} にマニフェストがありません", f"no readable manifest in {folder}"
        ) from None
    if manifest.get("format") != FORMAT:
        raise BadBackup("バックアップの形式が違います", "unknown backup format")
    for name, entry in manifest["files"].items():
        path = folder / name
        if ".." in Path(name).parts or not path.is_file():
            raise BadBackup(f"ファイルがありません: {name}", f"missing file: {name}")
        if path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
            raise BadBackup(f"ファイルが壊れています: {name}", f"file does not match: {name}")
    return manifest


def restore(settings: BackofficeSettings, folder: Path) -> dict:
    """Put a backup back (see the module's docstring); returns its manifest."""
    manifest = verify(folder)
    kind = _kind(settings)
    if manifest["database"] != kind:
        raise BadBackup(
            f"{manifest['database']} のバックアップは {kind} に復元できません",
            f"a {manifest['database']} backup cannot be restored into {kind}",
        )
    private_dir(settings.data_dir)
    with _exclusive(settings):
        if kind == "sqlite":
            target = private_file(_sqlite_path(settings))
            source = sqlite3.connect(f"file:{folder / SQLITE_FILE}?mode=ro", uri=True)
            try:
                into = sqlite3.connect(target)
                try:
                    source.backup(into)
                finally:
                    into.close()
            finally:
                source.close()
        else:
            url, env = _libpq(settings)
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    f"--dbname={url}",
                    str(folder / PG_FILE),
                ],
                env,
            )
        keys = folder / KEYS_DIR
        for path in sorted(keys.rglob("*")) if keys.exists() else []:
            if path.is_file():
                target = settings.data_dir / path.relative_to(keys)
                private_dir(target.parent)
                write_private(target, path.read_bytes())
    return manifest
