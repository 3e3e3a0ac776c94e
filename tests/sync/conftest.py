"""Fixtures of the kiosk-side sync tests: the office key pair and an outbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.outbox import Outbox


@pytest.fixture(scope="session")
def office_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    with Outbox(tmp_path / "outbox.sqlite3") as box:
        yield box


# --- the real back office (subprocess), on SQLite and on a throwaway PostgreSQL ------------


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    from support.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def office(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """One running back office per database kind for the whole session (restartable)."""
    from support.postgres import fresh_database
    from sync_office import Office

    data_dir = tmp_path_factory.mktemp(f"office-{request.param}")
    db_url = None
    if request.param == "postgres":
        server = request.getfixturevalue("postgres_server_url")
        db_url = fresh_database(server, "sync_faults")
    office = Office(data_dir, db_url)
    office.start()
    yield office
    office.close()
