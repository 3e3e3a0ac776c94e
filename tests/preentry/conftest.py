"""Fixtures of the pre-entry site tests: keys, the catalogue, an app and its client.

The browser test's server and Chromium are started in `test_preentry_browser.py`'s own
session fixtures, and stopped by PID there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from forms.catalog import Catalog
from forms.clock import OfficeClock
from forms.payload.keys import generate_counter_keypair, generate_signing_keypair
from preentry.app import create_app
from preentry.settings import PreentrySettings, RateLimit
from preentry.webform import Procedure, procedures


@dataclass(frozen=True)
class Keys:
    counter_private: Any
    counter_public: Any
    signing_private: Any
    signing_public: Any


@pytest.fixture(scope="session")
def keys() -> Keys:
    counter_private, counter_public = generate_counter_keypair()
    signing_private, signing_public = generate_signing_keypair()
    return Keys(counter_private, counter_public, signing_private, signing_public)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.builtin()


@pytest.fixture(scope="session")
def all_procedures(catalog: Catalog) -> list[Procedure]:
    return procedures(catalog)


class Clock:
    """A settable clock (UTC) for expiry and CSRF-age tests."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_settings(keys: Keys, catalog: Catalog, clock: Clock) -> Callable[..., PreentrySettings]:
    def make(**overrides: Any) -> PreentrySettings:
        values: dict[str, Any] = {
            "signing_key": keys.signing_private,
            "counter_public_key": keys.counter_public,
            "catalog": catalog,
            "csrf_secret": b"0123456789abcdef0123456789abcdef",
            "rate_limit": RateLimit(burst=10_000, per_second=1_000.0),
            "clock": OfficeClock(source=clock),
            "allowed_hosts": ("testserver", "localhost"),  # TestClient's Host is testserver
        }
        values.update(overrides)
        return PreentrySettings(**values)

    return make


@pytest.fixture
def make_client(
    make_settings: Callable[..., PreentrySettings],
) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        client = TestClient(create_app(make_settings(**overrides)), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()
