"""Fixtures of the back-office tests: SQLite and a real PostgreSQL (started here, stopped by
PID), a back office on each with a kiosk, a core system, staff, an admin and a revoked kiosk."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from backoffice_factory import PASSWORD
from fastapi.testclient import TestClient
from sqlalchemy import make_url

from backoffice import security
from backoffice.app import create_app
from backoffice.context import BackofficeContext, open_context, open_store
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from forms.clock import OfficeClock, zone_named
from sync.protocol.vocabulary import Role
from tests.support.postgres import fresh_database, postgres_server

API = "/api/v1"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One throwaway PostgreSQL 15 server for the whole session (stopped by PID at the end)."""
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'backoffice.db'}"
    server = request.getfixturevalue("postgres_url")
    return fresh_database(server, f"t_{uuid.uuid4().hex[:12]}")


@dataclass
class Office:
    client: TestClient
    context: BackofficeContext
    tokens: dict[str, str] = field(default_factory=dict)
    expected_growth: int = 0

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who in self.tokens else {}

    @property
    def public_key(self):  # type: ignore[no-untyped-def]
        return self.context.private_key.public_key()

    def ingest(self, records: list[dict], who: str = "kiosk"):  # type: ignore[no-untyped-def]
        return self.client.post(f"{API}/ingest", json={"records": records}, headers=self.auth(who))


_PASSWORD_HASH: list[str] = []  # made on first use, with the real hash function


@contextlib.contextmanager
def _password_hashed_once() -> Iterator[None]:
    """`PASSWORD`'s argon2 hash made once per process for the accounts every office starts
    with (a real hash of it, salted once): two of the four argon2 runs (~40 ms each) of every
    provisioned office. Any other password is hashed as usual; the logins still verify it."""
    real = security.hash_password

    def hash_password(password: str) -> str:
        if password != PASSWORD:
            return real(password)
        if not _PASSWORD_HASH:
            _PASSWORD_HASH.append(real(PASSWORD))
        return _PASSWORD_HASH[0]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(security, "hash_password", hash_password)
        yield


def provision(context: BackofficeContext, client: TestClient) -> dict[str, str]:
    tokens: dict[str, str] = {}
    with _password_hashed_once(), context.sessions() as session, session.begin():
        tokens["kiosk"] = accounts.add_terminal(session, "kiosk-1", Role.KIOSK)
        tokens["kiosk2"] = accounts.add_terminal(session, "kiosk-2", Role.KIOSK)
        tokens["core"] = accounts.add_terminal(session, "juki-core", Role.CORE)
        tokens["reception"] = accounts.add_terminal(session, "reception-1", Role.RECEPTION)
        tokens["pending"] = accounts.add_terminal(
            session, "core-pending", Role.CORE, created_by="user:admin", active=False
        )
        tokens["revoked"] = accounts.add_terminal(session, "stolen-kiosk", Role.KIOSK)
        accounts.revoke_terminal(session, "stolen-kiosk")
        accounts.add_user(session, "sato", Role.STAFF, PASSWORD)
        accounts.add_user(session, "admin", Role.ADMIN, PASSWORD)
    for who, user in (("staff", "sato"), ("admin", "admin")):
        answer = client.post(f"{API}/auth/login", json={"username": user, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        tokens[who] = answer.json()["token"]
    tokens["bad"] = "mdt_not-a-real-token"
    return tokens


@functools.cache
def migrated_sqlite() -> Path:
    """A SQLite back-office database migrated to head and seeded with the shipped templates,
    made once per process (removed at its exit): what `open_store` makes of an empty file."""
    folder = Path(tempfile.mkdtemp(prefix="madoguchi-migrated-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "backoffice.db"
    engine, _, _ = open_store(
        BackofficeSettings(data_dir=folder / "data", db_url=f"sqlite:///{path}")
    )
    engine.dispose()  # checkpoints the WAL into the file: one self-contained copy
    return path


def start_from_migrated(db_url: str) -> None:
    """A new SQLite database starts as a copy of `migrated_sqlite()` (its own file: tests stay
    isolated); opening it still runs the migrations and the seeding, which find nothing to do.
    Migrating each test's database from empty took ~0.15 s of every back-office test."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    target = Path(url.database)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated_sqlite(), target)


@contextlib.contextmanager
def open_office(db_url: str, data_dir: Path, clock: OfficeClock | None = None) -> Iterator[Office]:
    """A provisioned back office; `clock` (injected) is its office clock, else the system's."""
    start_from_migrated(db_url)
    zone = {"time_zone": clock.zone.key} if clock is not None else {}
    settings = BackofficeSettings(data_dir=data_dir, db_url=db_url, clock=clock, **zone)
    context = open_context(settings)
    app = create_app(settings, context)
    try:
        with TestClient(app) as client:
            office = Office(client, context)
            office.tokens = provision(context, client)
            yield office
    finally:
        context.close()


@pytest.fixture
def office(db_url: str, tmp_path: Path) -> Iterator[Office]:
    with open_office(db_url, tmp_path / "office") as office:
        yield office


class SettableClock:
    """The time source of an injected office clock: tests move it across midnight and New Year."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def office_clock_source() -> SettableClock:
    """Starts at 2026-12-31T14:59:59Z: one second before the office's (Tokyo) New Year."""
    return SettableClock(dt.datetime(2026, 12, 31, 14, 59, 59, tzinfo=dt.UTC))


@pytest.fixture
def office_at(db_url: str, tmp_path: Path, office_clock_source: SettableClock) -> Iterator[Office]:
    """A back office (each database) whose clock is `office_clock_source`, in Asia/Tokyo."""
    clock = OfficeClock(zone=zone_named("Asia/Tokyo"), source=office_clock_source)
    with open_office(db_url, tmp_path / "office", clock) as office:
        yield office


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def shared_office(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Office]:
    """One back office per database kind for a whole module (tests that tolerate each
    other's rows: they count what they add)."""
    root = tmp_path_factory.mktemp("office")
    if request.param == "sqlite":
        url = f"sqlite:///{root / 'backoffice.db'}"
    else:
        url = fresh_database(request.getfixturevalue("postgres_url"), f"m_{uuid.uuid4().hex[:12]}")
    start_from_migrated(url)
    settings = BackofficeSettings(data_dir=root, db_url=url)
    context = open_context(settings)
    app = create_app(settings, context)
    with TestClient(app) as client:
        office = Office(client, context)
        office.tokens = provision(context, client)
        yield office
    context.close()
