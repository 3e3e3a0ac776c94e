"""The back office's settings: one plain object handed to `create_app` (no globals)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path("~/.local/share/madoguchi/backoffice").expanduser()
PRIVATE_KEY_FILE = "office_key.pem"
PUBLIC_KEY_FILE = "office_key.pub.pem"
DATABASE_FILE = "backoffice.db"


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
    # Receipt numbers restart every calendar year in the office's time zone.
    time_zone: str = "Asia/Tokyo"
    # The public call board is answered from a cache this many seconds old at most.
    call_board_ttl: float = 1.0

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
