"""The back office's settings: one plain object handed to `create_app` (no globals)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from forms.clock import DEFAULT_ZONE, ZONE_ENV, OfficeClock, zone_named

DEFAULT_DATA_DIR = Path("~/.local/share/madoguchi/backoffice").expanduser()
PRIVATE_KEY_FILE = "office_key.pem"
PUBLIC_KEY_FILE = "office_key.pub.pem"
DATABASE_FILE = "backoffice.db"
PSEUDONYM_KEY_FILE = "pseudonym.key"
TLS_DIR = "tls"
CA_CERT_FILE = "ca.pem"


@dataclass(frozen=True)
class BackofficeSettings:
    """Where the data lives and the service's limits.

    `db_url` is a SQLAlchemy URL; None means a SQLite file in `data_dir`. PostgreSQL in
    production: `postgresql+psycopg://user@host/dbname`.
    """

    data_dir: Path = DEFAULT_DATA_DIR
    db_url: str | None = None
    # The whole HTTP body, checked before parsing. Ingest batches are the big ones: a kiosk
    # splits its batches so that one stays under this (a single record may be up to
    # sync.protocol.MAX_SEALED_BYTES).
    max_ingest_body: int = 64 * 1024 * 1024
    max_other_body: int = 1024 * 1024
    session_ttl: dt.timedelta = dt.timedelta(hours=8)
    migrate_on_start: bool = True
    # The office's time zone (IANA; default MADOGUCHI_OFFICE_TZ, else Asia/Tokyo, as every
    # part's `office_clock()`): receipt numbers restart on its New Year, the call board and
    # the queue's date filters use its days, measurements are totalled per its day.
    # Everything is stored in UTC.
    time_zone: str = field(default_factory=lambda: os.environ.get(ZONE_ENV) or DEFAULT_ZONE)
    # Tests and scripted runs inject a fixed clock; None: the system time in `time_zone`.
    clock: OfficeClock | None = field(default=None, repr=False)
    # The public call board is answered from a cache this many seconds old at most.
    call_board_ttl: float = 1.0
    # The office CA's certificate, if not in the data folder's tls/ca.pem.
    tls_ca: Path | None = None
    # Enrolment codes live this long; this many wrong codes from one address within the
    # window lock that address out of enrolment for the window.
    enrolment_ttl: dt.timedelta = dt.timedelta(minutes=10)
    enrolment_max_failures: int = 5
    enrolment_failure_window: dt.timedelta = dt.timedelta(hours=1)
    # A kiosk whose last heartbeat is older than this is shown grey ("silent").
    kiosk_silent_after: dt.timedelta = dt.timedelta(minutes=2)

    def __post_init__(self) -> None:
        zone_named(self.time_zone)  # UnknownTimeZone for a misspelt zone, at start-up
        if self.clock is not None and self.clock.zone.key != self.time_zone:
            raise ValueError("clock.zone must be the office's time_zone")

    @property
    def office_clock(self) -> OfficeClock:
        """The one clock of this back office (built from `time_zone` unless injected)."""
        return self.clock if self.clock is not None else OfficeClock.in_zone(self.time_zone)

    @property
    def database_url(self) -> str:
        if self.db_url:
            return self.db_url
        return f"sqlite:///{self.data_dir / DATABASE_FILE}"

    @property
    def private_key_path(self) -> Path:
        return self.data_dir / PRIVATE_KEY_FILE

    @property
    def public_key_path(self) -> Path:
        return self.data_dir / PUBLIC_KEY_FILE

    @property
    def pseudonym_key_path(self) -> Path:
        return self.data_dir / PSEUDONYM_KEY_FILE

    @property
    def ca_cert_path(self) -> Path:
        """The office CA certificate handed to terminals at enrolment (`tls/ca.pem`; made by
        `madoguchi backoffice tls init`, or the office's own CA copied there)."""
        return self.tls_ca or self.data_dir / TLS_DIR / CA_CERT_FILE
