"""A throwaway PostgreSQL 15 server for tests (the product's own `backoffice.devdb`).

    with postgres_server() as url:   # postgresql+psycopg://postgres@127.0.0.1:PORT/madoguchi
        ...

Started as the `postgres` user when running as root (PostgreSQL refuses root), on a free
loopback port with its socket in a fresh temporary directory; stopped by `pg_ctl stop -m fast`
and then by PID, and the directory removed. fsync is off: tests need speed, not durability.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import create_engine, text

from backoffice.devdb import throwaway_postgres


@contextlib.contextmanager
def postgres_server(*, durable: bool = False) -> Iterator[str]:
    with throwaway_postgres(durable=durable) as url:
        yield url


def fresh_database(server_url: str, name: str) -> str:
    """Create an empty database `name` on the server; returns its URL."""
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"
