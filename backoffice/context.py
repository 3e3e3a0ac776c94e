"""Everything one running back office holds: built by `open_context`, kept on `app.state`."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from backoffice import migrate
from backoffice.db import make_engine, make_sessionmaker
from backoffice.office_keys import OfficeKeyRing, record_keys
from backoffice.registry import TemplateRegistry
from backoffice.services.callboard import CallBoardCache
from backoffice.services.ingest import IngestService
from backoffice.services.login_throttle import LoginThrottle
from backoffice.services.paper import PaperImporter
from backoffice.settings import BackofficeSettings
from forms.clock import OfficeClock
from forms.private_files import make_dirs, private_dir


@dataclass
class BackofficeContext:
    settings: BackofficeSettings
    engine: Engine
    sessions: sessionmaker[Session]
    registry: TemplateRegistry
    keys: OfficeKeyRing
    ingest: IngestService
    paper: PaperImporter
    call_board: CallBoardCache
    clock: OfficeClock  # the office's: UTC now, dates in settings.time_zone
    login_throttle: LoginThrottle = field(default_factory=LoginThrottle)  # in memory, per process
    # Keys the hash that stands for a user name that is no account (log and audit log).
    pseudonym_key: bytes = field(default=b"", repr=False)

    @property
    def private_key(self) -> X25519PrivateKey:
        """The current office key (the one kiosks seal new records to)."""
        self.keys.refresh()
        return self.keys.current

    def close(self) -> None:
        self.engine.dispose()


def open_store(
    settings: BackofficeSettings,
) -> tuple[Engine, sessionmaker[Session], TemplateRegistry]:
    """Open the database, migrating it and seeding the shipped templates."""
    private_dir(settings.data_dir)  # holds the database and the office's private key
    engine = make_engine(settings.database_url)
    try:
        if settings.migrate_on_start:
            migrate.upgrade(engine)
        sessions = make_sessionmaker(engine)
        registry = TemplateRegistry()
        with sessions() as session, session.begin():
            registry.seed_builtin(session)
    except BaseException:
        engine.dispose()
        raise
    return engine, sessions, registry


def open_context(settings: BackofficeSettings) -> BackofficeContext:
    """The store and the office key pairs (the first made on first start)."""
    engine, sessions, registry = open_store(settings)
    try:
        keys = office_key_ring(settings)
        with sessions() as session, session.begin():
            record_keys(session, keys)
    except BaseException:
        engine.dispose()
        raise
    clock = settings.office_clock
    ingest = IngestService(sessions, engine, registry, keys, clock)
    paper = PaperImporter(sessions, engine, registry, keys, clock)
    return BackofficeContext(
        settings,
        engine,
        sessions,
        registry,
        keys,
        ingest,
        paper,
        CallBoardCache(settings.call_board_ttl),
        clock,
        pseudonym_key=load_or_create_secret(settings.pseudonym_key_path),
    )


def load_or_create_secret(path: Path, size: int = 32) -> bytes:
    """Random bytes kept in a 0600 file (0700 folder), made once; a racing second process
    reads the first one's file."""
    make_dirs(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        data = path.read_bytes()
        if len(data) != size:
            raise ValueError(f"{path}: not a {size}-byte secret") from None
        return data
    secret = secrets.token_bytes(size)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, secret)
        os.fsync(fd)
    finally:
        os.close(fd)
    return secret


def office_key_ring(settings: BackofficeSettings) -> OfficeKeyRing:
    return OfficeKeyRing(
        settings.data_dir, settings.private_key_path.name, settings.public_key_path.name
    )
