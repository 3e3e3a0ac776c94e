"""Everything one running back office holds: built by `open_context`, kept on `app.state`."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from backoffice import migrate
from backoffice.db import make_engine, make_sessionmaker
from backoffice.registry import TemplateRegistry
from backoffice.services.callboard import CallBoardCache
from backoffice.services.ingest import IngestService
from backoffice.services.login_throttle import LoginThrottle
from backoffice.services.paper import PaperImporter
from backoffice.settings import BackofficeSettings
from forms.clock import OfficeClock
from forms.payload.keys import load_or_create_counter_key
from forms.private_files import private_dir


@dataclass
class BackofficeContext:
    settings: BackofficeSettings
    engine: Engine
    sessions: sessionmaker[Session]
    registry: TemplateRegistry
    private_key: X25519PrivateKey
    ingest: IngestService
    paper: PaperImporter
    call_board: CallBoardCache
    clock: OfficeClock  # the office's: UTC now, dates in settings.time_zone
    login_throttle: LoginThrottle = field(default_factory=LoginThrottle)  # in memory, per process

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
    """The store and the office key pair (made on first start)."""
    engine, sessions, registry = open_store(settings)
    private_key = load_or_create_counter_key(settings.private_key_path, settings.public_key_path)
    ingest = IngestService(sessions, engine, registry, private_key, settings.time_zone)
    paper = PaperImporter(sessions, engine, registry, private_key, settings.time_zone)
    return BackofficeContext(
        settings,
        engine,
        sessions,
        registry,
        private_key,
        ingest,
        paper,
        CallBoardCache(settings.call_board_ttl),
        settings.office_clock,
    )
