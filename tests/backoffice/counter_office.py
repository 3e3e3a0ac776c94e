"""A back office on an adjustable office clock, for the counter tests (call numbers by office
day, kiosks falling silent). The same callers as conftest's `office`: kiosk-1, kiosk-2, a core
system, a revoked kiosk, staff (sato) and an admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backoffice_factory import PASSWORD
from fastapi.testclient import TestClient

from backoffice.app import create_app
from backoffice.context import BackofficeContext, open_context
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from forms.clock import OfficeClock, zone_named
from sync.protocol.vocabulary import Role

API = "/api/v1"


@dataclass
class Hands:
    """The clock's hands: tests move `now` (aware UTC)."""

    now: dt.datetime

    def clock(self, zone: str) -> OfficeClock:
        return OfficeClock(zone=zone_named(zone), source=lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class ClockOffice:
    client: TestClient
    context: BackofficeContext
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who in self.tokens else {}

    @property
    def public_key(self) -> Any:
        return self.context.private_key.public_key()

    def ingest(self, records: list[dict[str, Any]], who: str = "kiosk") -> Any:
        return self.client.post(f"{API}/ingest", json={"records": records}, headers=self.auth(who))


def provision(context: BackofficeContext, client: TestClient) -> dict[str, str]:
    tokens: dict[str, str] = {}
    with context.sessions() as session, session.begin():
        tokens["kiosk"] = accounts.add_terminal(session, "kiosk-1", Role.KIOSK)
        tokens["kiosk2"] = accounts.add_terminal(session, "kiosk-2", Role.KIOSK)
        tokens["core"] = accounts.add_terminal(session, "juki-core", Role.CORE)
        tokens["revoked"] = accounts.add_terminal(session, "stolen-kiosk", Role.KIOSK)
        accounts.revoke_terminal(session, "stolen-kiosk")
        accounts.add_user(session, "sato", Role.STAFF, PASSWORD)
        accounts.add_user(session, "suzuki", Role.STAFF, PASSWORD)
        accounts.add_user(session, "admin", Role.ADMIN, PASSWORD)
    for who, user in (("staff", "sato"), ("staff2", "suzuki"), ("admin", "admin")):
        answer = client.post(f"{API}/auth/login", json={"username": user, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        tokens[who] = answer.json()["token"]
    return tokens


def office_on_clock(
    db_url: str, data_dir: Path, hands: Hands, zone: str = "Asia/Tokyo"
) -> Iterator[ClockOffice]:
    settings = BackofficeSettings(
        data_dir=data_dir, db_url=db_url, time_zone=zone, clock=hands.clock(zone)
    )
    context = open_context(settings)
    app = create_app(settings, context)
    with TestClient(app) as client:
        office = ClockOffice(client, context)
        office.tokens = provision(context, client)
        yield office
    context.close()
