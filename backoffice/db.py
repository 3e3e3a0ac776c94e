"""Engine and session factory for SQLite (default) and PostgreSQL (psycopg 3).

SQLite runs in WAL mode with a busy timeout, and every transaction starts with
`BEGIN IMMEDIATE`: writers queue for the lock up front instead of failing when a reader
upgrades to a writer, which is what makes concurrent ingest of the same key safe there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import CursorResult, Result, make_url
from sqlalchemy.orm import Session, sessionmaker

from forms.private_files import private_sqlite

SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.query.get("uri"):
            # decrypted records: 0600 (with its -wal/-shm/-journal) in a 0700 folder
            private_sqlite(Path(parsed.database))
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,  # an error message must never quote personal data
        )
        _sqlite_pragmas(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            url, pool_size=12, max_overflow=8, pool_pre_ping=True, hide_parameters=True
        )
    raise ValueError(f"unsupported database backend: {parsed.get_backend_name()}")


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def rows_changed(result: Result[Any]) -> int:
    """The rows an INSERT, UPDATE or DELETE run through `Session.execute` touched.

    SQLAlchemy types `Session.execute` as returning a `Result`; for these statements it is a
    `CursorResult`, which has the `rowcount`.
    """
    return cast("CursorResult[Any]", result).rowcount


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
