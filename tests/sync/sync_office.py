"""The real back office in a subprocess (startable, killable, restartable), and its database.

Provisioning and the final checks go straight to the back office's database through its own
service functions and models: the tests compare what the kiosk thinks it delivered with what
the office really holds.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from sqlalchemy import func, select
from sync_residents import ingest_records

from backoffice import devserver
from backoffice.context import open_context
from backoffice.models import Application
from backoffice.services.accounts import add_terminal, revoke_terminal
from backoffice.settings import BackofficeSettings
from forms.payload.keys import load_counter_public_key
from sync.client import OfficeClient
from sync.outbox import Outbox, State
from sync.protocol import IngestRecord
from sync.worker import RetryPolicy, SyncWorker

_MAIN = Path(__file__).with_name("office_main.py")
START_TIMEOUT_S = 60


@dataclass(frozen=True)
class Stored:
    receipt_number: str
    status: str
    template_id: str
    template_version: int
    kiosk_id: str


class Office:
    def __init__(self, data_dir: Path, db_url: str | None = None) -> None:
        self.settings = BackofficeSettings(data_dir=data_dir, db_url=db_url)
        self.context = open_context(self.settings)  # migrates, seeds templates, makes keys
        self.port = devserver.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / "office.log"
        self.starts = 0

    @property
    def public_key(self) -> X25519PublicKey:
        return load_counter_public_key(self.settings.public_key_path)

    def provision(self, name: str) -> str:
        with self.context.sessions() as session, session.begin():
            return add_terminal(session, name)

    def revoke(self, name: str) -> None:
        with self.context.sessions() as session, session.begin():
            revoke_terminal(session, name)

    def applications(self) -> dict[uuid.UUID, Stored]:
        with self.context.sessions() as session:
            rows = session.execute(
                select(
                    Application.uuid,
                    Application.receipt_number,
                    Application.status,
                    Application.template_id,
                    Application.template_version,
                    Application.kiosk_id,
                )
            ).all()
        return {r[0]: Stored(r[1], r[2], r[3], r[4], r[5]) for r in rows}

    def count(self) -> int:
        with self.context.sessions() as session:
            return int(session.scalar(select(func.count(Application.id))) or 0)

    # --- the process --------------------------------------------------------------------------

    def start(self) -> None:
        assert self.process is None, "already running"
        args = [sys.executable, str(_MAIN), str(self.settings.data_dir), str(self.port)]
        if self.settings.db_url:
            args.append(self.settings.db_url)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=log, cwd=_MAIN.parent)
        self.starts += 1
        try:
            devserver.wait_until_healthy(
                self.url, self.process, timeout=START_TIMEOUT_S, log_path=self.log_path
            )
        except RuntimeError:
            self.kill()
            raise

    def kill(self) -> None:
        """SIGKILL by PID: a crash, not a shutdown."""
        if self.process is None:
            return
        devserver.kill(self.process, timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        devserver.stop(self.process, timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        self.context.close()


# --- a kiosk of the tests ----------------------------------------------------------------

_names = itertools.count(1)
FAST_RETRY = RetryPolicy(base=0.05, cap=0.5, max_attempts=30)


class Kiosk:
    """One provisioned terminal with its own outbox."""

    def __init__(self, office, tmp_path) -> None:
        self.office = office
        self.name = f"kiosk-{uuid.uuid4().hex[:8]}-{next(_names)}"
        self.token = office.provision(self.name)
        self.outbox = Outbox(tmp_path / f"{self.name}.sqlite3")

    def queue(self, count: int) -> list[IngestRecord]:
        records = ingest_records(count, self.office.public_key, kiosk_id=self.name)
        for r in records:  # one application per transaction, as the kiosk does
            self.outbox.add([r])
        return records

    def client(self, url: str | None = None, timeout: float = 5.0) -> OfficeClient:
        return OfficeClient(
            url or self.office.url,
            self.token,
            timeout=httpx.Timeout(timeout, connect=1.0),
            # One request per connection, so the proxy's per-connection faults hit requests.
            transport=httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0)),
        )

    def worker(self, client: OfficeClient, **kw) -> SyncWorker:
        kw.setdefault("retry", FAST_RETRY)
        return SyncWorker(self.outbox, client, **kw)


def assert_consistent(kiosk: Kiosk, records: list[IngestRecord], rejected: int = 0) -> None:
    """0 lost, 0 duplicated, receipts agree, statuses consistent, SQLite intact (`rejected`:
    how many records the kiosk has set aside besides `records`)."""
    stored = {key: s for key, s in kiosk.office.applications().items() if s.kiosk_id == kiosk.name}
    expected = {r.uuid for r in records}
    assert set(stored) == expected, (
        f"lost {len(expected - set(stored))}, unexpected {len(set(stored) - expected)}"
    )
    receipts = [s.receipt_number for s in stored.values()]
    assert len(set(receipts)) == len(receipts)
    for r in records:
        state, receipt = kiosk.outbox.receipt(r.uuid)
        assert state == State.SENT
        assert receipt == stored[r.uuid].receipt_number
        assert stored[r.uuid].status == "received"
        assert (stored[r.uuid].template_id, stored[r.uuid].template_version) == ("juminhyo", 1)
    status = kiosk.outbox.status()
    assert status.pending == 0 and status.rejected == rejected
    assert kiosk.outbox.integrity_check() == "ok"
