"""What one pre-entry site needs to run: its keys, the catalogue and its limits.

The site signs with its own Ed25519 key and encrypts to the office's counter public key; it
never holds the counter's private key, so it cannot read a QR code once it has made one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from forms.catalog import Catalog
from forms.clock import OfficeClock, office_clock


@dataclass(frozen=True)
class RateLimit:
    """A token bucket per client: `burst` requests at once, refilled at `per_second`."""

    burst: int = 60
    per_second: float = 1.0
    max_clients: int = 10_000  # buckets kept in memory; the stalest are dropped first


@dataclass(frozen=True)
class PreentrySettings:
    signing_key: Any = field(repr=False)  # Ed25519PrivateKey of this site
    counter_public_key: Any = field(repr=False)  # the office's counter key (HPKE recipient)
    catalog: Catalog = field(repr=False)
    csrf_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    rate_limit: RateLimit = field(default_factory=RateLimit)
    max_body_bytes: int = 64 * 1024
    payload_ttl: dt.timedelta = dt.timedelta(days=30)
    csrf_max_age: dt.timedelta = dt.timedelta(hours=2)
    # How long the guided pages' sealed answers stay usable (preentry.sealed).
    state_max_age: dt.timedelta = dt.timedelta(hours=2)
    # Behind a TLS-terminating proxy: mark cookies Secure and send HSTS.
    https: bool = False
    # Take the client address for rate limiting from X-Forwarded-For (only behind a proxy
    # that sets it; otherwise anyone could pick their own bucket).
    trust_forwarded_for: bool = False
    # The Host header must be one of these (the site's public name behind the proxy): nothing
    # the site answers is ever built from a Host it did not choose. "*" would turn this off.
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
    # "now" for CSRF ages and QR validity; "today" (the office's date, Asia/Tokyo unless
    # MADOGUCHI_OFFICE_TZ says otherwise) for the record's date and the expiry shown.
    clock: OfficeClock = field(default_factory=office_clock, repr=False)

    def __post_init__(self) -> None:
        if len(self.csrf_secret) < 16:
            raise ValueError("csrf_secret must be at least 16 bytes")
        if self.rate_limit.burst < 1 or self.rate_limit.per_second <= 0:
            raise ValueError("rate limit must allow at least one request")
        if not self.allowed_hosts or "*" in self.allowed_hosts:
            raise ValueError("allowed_hosts must name the site's hosts (no wildcard)")
